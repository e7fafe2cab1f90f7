package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Attempts at quota-limited actions: one row per attempt, pruned per user
// and action as new ones arrive.

// AddAttempt implements store.Store.
func (s *Store) AddAttempt(ctx context.Context, poolID, username, action string, at, pruneBefore time.Time) error {
	return s.write(ctx, func(t *Store) error {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM attempts
			WHERE pool_id = $1 AND username = $2 AND action = $3 AND at < $4`,
			poolID, username, action, ts(pruneBefore)); err != nil {
			return t.wrap(err)
		}
		_, err := t.tx.ExecContext(ctx, `INSERT INTO attempts (pool_id, username, action, at) VALUES ($1, $2, $3, $4)`,
			poolID, username, action, ts(at))
		return t.wrap(err)
	})
}

// CountAttempts implements store.Store.
func (s *Store) CountAttempts(ctx context.Context, poolID, username, action string, since time.Time) (int, error) {
	if s.tx != nil && s.d.forUpdate != "" {
		// PostgreSQL: the user's row is the lock. (SQLite runs one write
		// transaction at a time already.)
		var one int
		err := s.tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE pool_id = $1 AND username = $2`+s.d.forUpdate,
			poolID, username).Scan(&one)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, s.wrap(err)
		}
	}
	var n int
	err := s.q().QueryRowContext(ctx, `SELECT COUNT(*) FROM attempts
		WHERE pool_id = $1 AND username = $2 AND action = $3 AND at >= $4`,
		poolID, username, action, ts(since)).Scan(&n)
	if err != nil {
		return 0, s.wrap(err)
	}
	return n, nil
}
