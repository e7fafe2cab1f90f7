package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// The invocation log: one row per trigger invocation, the record kept as
// JSON, ordered by (created, id).

// AddInvocation implements store.Store. A record without an ID gets a
// random one, and one without a time gets store.Now().
func (s *Store) AddInvocation(ctx context.Context, inv cognito.Invocation) error {
	if inv.ID == "" {
		inv.ID = newID()
	}
	if inv.Created.IsZero() {
		inv.Created = store.Now()
	}
	data, err := json.Marshal(inv)
	if err != nil {
		return err
	}
	n, err := s.exec(ctx, `INSERT INTO invocations (id, pool_id, trigger_name, created, data)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		inv.ID, inv.PoolID, inv.Trigger, ts(inv.Created), string(data))
	if err != nil {
		return err
	}
	if n == 0 {
		return alreadyExists("invocation", inv.ID)
	}
	return nil
}

// ListInvocations implements store.Store.
func (s *Store) ListInvocations(ctx context.Context, f store.InvocationFilter) ([]cognito.Invocation, error) {
	var a args
	query := `SELECT data FROM invocations WHERE ` + equal(&a, "pool_id", f.PoolID, "trigger_name", f.Trigger) + ` ORDER BY created, id`
	var out []cognito.Invocation
	err := s.each(ctx, query, a, func(rows *sql.Rows) error {
		var data string
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var inv cognito.Invocation
		if err := json.Unmarshal([]byte(data), &inv); err != nil {
			return err
		}
		out = append(out, inv)
		return nil
	})
	return out, err
}
