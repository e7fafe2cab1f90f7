package sqlstore

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/store/storetest"
)

// Under SERIALIZABLE (as on CockroachDB) concurrent transactions fail with
// serialization errors that Tx and the update methods must retry.
func TestPostgresSerializable(t *testing.T) {
	dsn := postgresDB(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		return openT(t, postgresSchema(t, dsn)+"&default_transaction_isolation=serializable")
	})
}

func TestTxRetries(t *testing.T) {
	s := openT(t, "sqlite::memory:")
	defer s.Close()
	ctx := t.Context()
	for _, tc := range []struct {
		code     string
		runs     int
		failWith bool
	}{
		{"40001", 2, false}, // serialization failure: run again
		{"40P01", 2, false}, // deadlock: run again
		{"23505", 1, true},  // unique violation: never retried
	} {
		t.Run(tc.code, func(t *testing.T) {
			runs := 0
			pool := "p" + tc.code
			err := s.Tx(ctx, func(tx store.Store) error {
				runs++
				if err := tx.CreatePool(ctx, cognito.UserPool{Id: pool}); err != nil {
					return err
				}
				if runs == 1 {
					return &pgconn.PgError{Code: tc.code}
				}
				return nil
			})
			if runs != tc.runs {
				t.Fatalf("fn ran %d times, want %d", runs, tc.runs)
			}
			var pgErr *pgconn.PgError
			if tc.failWith != errors.As(err, &pgErr) {
				t.Fatalf("Tx returned %v", err)
			}
			_, err = s.GetPool(ctx, pool)
			if tc.failWith != errors.Is(err, store.ErrNotFound) {
				t.Fatalf("pool after Tx: %v", err)
			}
		})
	}
}
