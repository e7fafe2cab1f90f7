package sqlstore

import (
	"context"
	"database/sql"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// The outbox: one row per message, ordered by (created, id). Messages
// outlive their pool and user.

// AddMessage implements store.Store. A message without an ID gets a random
// one, and one without a time gets store.Now().
func (s *Store) AddMessage(ctx context.Context, m cognito.Message) error {
	if m.ID == "" {
		m.ID = newID()
	}
	if m.Created.IsZero() {
		m.Created = store.Now()
	}
	n, err := s.exec(ctx, `INSERT INTO messages
		(id, pool_id, username, destination, medium, action, code, subject, body, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
		m.ID, m.PoolID, m.Username, m.Destination, m.Medium, m.Action, m.Code, m.Subject, m.Body, ts(m.Created))
	if err != nil {
		return err
	}
	if n == 0 {
		return alreadyExists("message", m.ID)
	}
	return nil
}

// ListMessages implements store.Store.
func (s *Store) ListMessages(ctx context.Context, f store.MessageFilter) ([]cognito.Message, error) {
	var a args
	query := `SELECT id, pool_id, username, destination, medium, action, code, subject, body, created
		FROM messages WHERE ` + equal(&a, "pool_id", f.PoolID, "username", f.Username) + ` ORDER BY created, id`
	var out []cognito.Message
	err := s.each(ctx, query, a, func(rows *sql.Rows) error {
		var m cognito.Message
		err := rows.Scan(&m.ID, &m.PoolID, &m.Username, &m.Destination, &m.Medium, &m.Action,
			&m.Code, &m.Subject, &m.Body, timeCol{&m.Created})
		out = append(out, m)
		return err
	})
	return out, err
}
