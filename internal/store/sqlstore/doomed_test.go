package sqlstore

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// A retryable failure that the closure swallows (a lookup whose error it
// reads as "not found") still gets the whole transaction run again:
// PostgreSQL has aborted it, so what the closure did after it is void.
func TestTx_SwallowedRetryableFailureRetries(t *testing.T) {
	s := openT(t, "sqlite::memory:")
	defer s.Close()
	ctx := t.Context()
	runs := 0
	err := s.Tx(ctx, func(tx store.Store) error {
		runs++
		if runs == 1 {
			_ = tx.(*Store).wrap(&pgconn.PgError{Code: "40001"}) // seen, then ignored
		}
		return tx.CreatePool(ctx, cognito.UserPool{Id: "doomed"})
	})
	if err != nil || runs != 2 {
		t.Fatalf("Tx = %v after %d runs, want nil after 2", err, runs)
	}
	if _, err := s.GetPool(ctx, "doomed"); err != nil {
		t.Fatalf("pool after Tx: %v", err)
	}
}

func TestOpenWithOptions_PoolSettings(t *testing.T) {
	path := t.TempDir() + "/opts.db"
	s, err := OpenWithOptions(t.Context(), "sqlite://"+path, Options{MaxOpenConns: 3, MaxIdleConns: 2, ConnMaxLifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.db.Stats().MaxOpenConnections; got != 3 {
		t.Errorf("MaxOpenConnections %d, want 3", got)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if _, err := OpenWithOptions(t.Context(), "sqlite://"+path, Options{MaxOpenConns: -1}); err == nil {
		t.Errorf("negative MaxOpenConns accepted")
	}
	// The in-memory database keeps its single connection whatever is asked.
	m, err := OpenWithOptions(t.Context(), "sqlite::memory:", Options{MaxOpenConns: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if got := m.db.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("in-memory MaxOpenConnections %d, want 1", got)
	}
}
