package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tarn-idp/tarn/internal/store"
)

// maxAttempts bounds how often a transaction is run when it keeps failing
// with retryable errors.
const maxAttempts = 25

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q is where s's statements go: its transaction, or the pool.
func (s *Store) q() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db
}

// Tx implements store.Store.
func (s *Store) Tx(ctx context.Context, fn func(s store.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	return s.inTx(ctx, func(t *Store) error { return fn(t) })
}

// write runs fn atomically: in a new transaction, or, when s is already
// bound to one, under a savepoint, so that an error leaves nothing of fn's
// writes behind even when the caller's transaction goes on.
func (s *Store) write(ctx context.Context, fn func(t *Store) error) error {
	if s.tx == nil {
		return s.inTx(ctx, fn)
	}
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT sqlstore_write"); err != nil {
		return fmt.Errorf("sqlstore: savepoint: %w", err)
	}
	if err := fn(s); err != nil {
		// Best effort: if this fails the transaction is lost anyway and
		// fn's error tells more.
		if _, rbErr := s.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT sqlstore_write"); rbErr == nil {
			_, _ = s.tx.ExecContext(ctx, "RELEASE SAVEPOINT sqlstore_write")
		}
		return err
	}
	if _, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT sqlstore_write"); err != nil {
		return fmt.Errorf("sqlstore: release savepoint: %w", err)
	}
	return nil
}

// exec runs one writing statement and returns the number of rows it
// touched.
func (s *Store) exec(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	run := func(t *Store) error {
		res, err := t.tx.ExecContext(ctx, query, args...)
		if err != nil {
			return s.wrap(err)
		}
		n, err = res.RowsAffected()
		return err
	}
	if s.tx != nil {
		return n, run(s)
	}
	return n, s.inTx(ctx, run)
}

// inTx runs fn in a new transaction, retrying it on serialization failures
// and deadlocks with jittered exponential backoff.
func (s *Store) inTx(ctx context.Context, fn func(t *Store) error) error {
	if s.writeSem != nil {
		select {
		case s.writeSem <- struct{}{}:
			defer func() { <-s.writeSem }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for attempt := 1; ; attempt++ {
		err := s.runTx(ctx, fn)
		if err == nil || attempt == maxAttempts || !s.d.isRetryable(err) {
			return err
		}
		backoff := time.Duration(1<<min(attempt, 7)) * time.Millisecond
		backoff += rand.N(backoff)
		timer := time.NewTimer(backoff)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return err
		}
	}
}

// runTx runs fn once in a new transaction: committed when fn returns nil,
// rolled back otherwise. fn's error is returned as is.
func (s *Store) runTx(ctx context.Context, fn func(t *Store) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	var doomed error
	t := &Store{db: s.db, d: s.d, writeSem: s.writeSem, tx: tx, doomed: &doomed, pools: s.pools}
	err = fn(t)
	if doomed != nil && !s.d.isRetryable(err) {
		// A retryable failure dooms the whole transaction (PostgreSQL
		// aborts it), even when fn went on after it, say by reading a
		// lookup failure as "not found": run fn again rather than
		// report what the aborted transaction made of the rest.
		return fmt.Errorf("sqlstore: transaction failed earlier: %w", doomed)
	}
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	committed = true
	return nil
}

// wrap maps a driver error: unique violations become store.ErrAlreadyExists;
// everything else gets the package's context.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	if s.d.isUniqueViolation(err) {
		return fmt.Errorf("%w: %v", store.ErrAlreadyExists, err)
	}
	if s.doomed != nil && *s.doomed == nil && s.d.isRetryable(err) {
		*s.doomed = err
	}
	return fmt.Errorf("sqlstore: %w", err)
}

// notFound reports a missing record of the given kind and key.
func notFound(kind, key string) error {
	return fmt.Errorf("%w: %s %q", store.ErrNotFound, kind, key)
}

// alreadyExists reports a record whose key is taken.
func alreadyExists(kind, key string) error {
	return fmt.Errorf("%w: %s %q", store.ErrAlreadyExists, kind, key)
}
