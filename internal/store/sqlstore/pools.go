package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// Pools and clients are kept as their JSON encoding; a client's sealed
// secret, which has no JSON form, has a column of its own. The clear
// ClientSecret is never written.

// CreatePool implements store.Store.
func (s *Store) CreatePool(ctx context.Context, p cognito.UserPool) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("sqlstore: encode pool: %w", err)
	}
	n, err := s.exec(ctx, `INSERT INTO pools (id, data) VALUES ($1, $2) ON CONFLICT DO NOTHING`, p.Id, string(data))
	if err != nil {
		return err
	}
	if n == 0 {
		return alreadyExists("pool", p.Id)
	}
	return nil
}

// GetPool implements store.Store.
func (s *Store) GetPool(ctx context.Context, id string) (cognito.UserPool, error) {
	return s.getPool(ctx, s.q(), id, "")
}

func (s *Store) getPool(ctx context.Context, q querier, id, lock string) (cognito.UserPool, error) {
	var data string
	err := q.QueryRowContext(ctx, `SELECT data FROM pools WHERE id = $1`+lock, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return cognito.UserPool{}, notFound("pool", id)
	}
	if err != nil {
		return cognito.UserPool{}, s.wrap(err)
	}
	return s.pools.decode(id, data)
}

// poolCache keeps each pool's stored JSON with its decoding, so that a
// pool read again unchanged costs a comparison and a Clone instead of a
// JSON decode (the larger part of a short request such as AdminGetUser).
// The row is still read every time, so every node sees every change at
// once; entries are only ever used for the exact bytes they came from.
type poolCache struct {
	mu sync.Mutex
	m  map[string]cachedPool
}

type cachedPool struct {
	data string
	pool cognito.UserPool
}

// poolCacheMax bounds the cache; past it, it starts again empty (pools
// deleted on other nodes leave entries behind).
const poolCacheMax = 4096

func (c *poolCache) decode(id, data string) (cognito.UserPool, error) {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && e.data == data {
		return e.pool.Clone(), nil
	}
	var p cognito.UserPool
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return cognito.UserPool{}, fmt.Errorf("sqlstore: decode pool %q: %w", id, err)
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= poolCacheMax {
		c.m = make(map[string]cachedPool)
	}
	c.m[id] = cachedPool{data: data, pool: p.Clone()}
	c.mu.Unlock()
	return p, nil
}

// ListPools implements store.Store.
func (s *Store) ListPools(ctx context.Context, page store.Page) ([]cognito.UserPool, error) {
	var a args
	query := `SELECT data FROM pools WHERE id > ` + a.add(page.After) + ` ORDER BY id` + limit(&a, page.Limit)
	var out []cognito.UserPool
	err := s.each(ctx, query, a, func(rows *sql.Rows) error {
		var data string
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var p cognito.UserPool
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			return fmt.Errorf("decode pool: %w", err)
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

// UpdatePool implements store.Store.
func (s *Store) UpdatePool(ctx context.Context, id string, fn func(p *cognito.UserPool) error) error {
	return s.write(ctx, func(t *Store) error {
		p, err := t.getPool(ctx, t.tx, id, t.d.forUpdate)
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
		if p.Id != id {
			return fmt.Errorf("sqlstore: UpdatePool may not change the pool id (%q to %q)", id, p.Id)
		}
		data, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("sqlstore: encode pool: %w", err)
		}
		_, err = t.tx.ExecContext(ctx, `UPDATE pools SET data = $2 WHERE id = $1`, id, string(data))
		return t.wrap(err)
	})
}

// DeletePool implements store.Store.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return s.write(ctx, func(t *Store) error {
		res, err := t.tx.ExecContext(ctx, `DELETE FROM pools WHERE id = $1`, id)
		if err != nil {
			return t.wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("pool", id)
		}
		for _, table := range []string{"clients", "users", "user_aliases", "user_groups", "memberships", "codes", "attempts", "attempt_locks", "refresh_tokens", "crypto_keys"} {
			if _, err := t.tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE pool_id = $1`, id); err != nil {
				return fmt.Errorf("sqlstore: delete pool %q from %s: %w", id, table, err)
			}
		}
		return nil
	})
}

// CountPools implements store.Store.
func (s *Store) CountPools(ctx context.Context) (int, error) {
	var n int
	err := s.q().QueryRowContext(ctx, `SELECT count(*) FROM pools`).Scan(&n)
	return n, s.wrap(err)
}

// CountGroups implements store.Store.
func (s *Store) CountGroups(ctx context.Context, poolID string) (int, error) {
	var n int
	err := s.q().QueryRowContext(ctx, `SELECT count(*) FROM user_groups WHERE pool_id = $1`, poolID).Scan(&n)
	return n, s.wrap(err)
}

// CountUsers implements store.Store.
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	var n int
	err := s.q().QueryRowContext(ctx, `SELECT count(*) FROM users WHERE pool_id = $1`, poolID).Scan(&n)
	return n, s.wrap(err)
}

// CreateClient implements store.Store.
func (s *Store) CreateClient(ctx context.Context, c cognito.UserPoolClient) error {
	data, err := encodeClient(c)
	if err != nil {
		return err
	}
	n, err := s.exec(ctx, `INSERT INTO clients (id, pool_id, data, secret_sealed) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		c.ClientId, c.UserPoolId, data, blob(c.SecretSealed))
	if err != nil {
		return err
	}
	if n == 0 {
		return alreadyExists("client", c.ClientId)
	}
	return nil
}

func encodeClient(c cognito.UserPoolClient) (string, error) {
	c.ClientSecret = "" // only ever stored sealed
	data, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("sqlstore: encode client: %w", err)
	}
	return string(data), nil
}

func scanClient(sc interface{ Scan(...any) error }) (cognito.UserPoolClient, error) {
	var (
		data   string
		sealed []byte
		c      cognito.UserPoolClient
	)
	if err := sc.Scan(&data, &sealed); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return c, fmt.Errorf("decode client: %w", err)
	}
	c.SecretSealed = sealed
	return c, nil
}

// GetClient implements store.Store.
func (s *Store) GetClient(ctx context.Context, clientID string) (cognito.UserPoolClient, error) {
	return s.getClient(ctx, s.q(), clientID, "")
}

func (s *Store) getClient(ctx context.Context, q querier, clientID, lock string) (cognito.UserPoolClient, error) {
	c, err := scanClient(q.QueryRowContext(ctx, `SELECT data, secret_sealed FROM clients WHERE id = $1`+lock, clientID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("client", clientID)
	}
	if err != nil {
		return c, s.wrap(err)
	}
	return c, nil
}

// ListClients implements store.Store.
func (s *Store) ListClients(ctx context.Context, poolID string, page store.Page) ([]cognito.UserPoolClient, error) {
	var a args
	query := `SELECT data, secret_sealed FROM clients WHERE pool_id = ` + a.add(poolID) +
		` AND id > ` + a.add(page.After) + ` ORDER BY id` + limit(&a, page.Limit)
	var out []cognito.UserPoolClient
	err := s.each(ctx, query, a, func(rows *sql.Rows) error {
		c, err := scanClient(rows)
		out = append(out, c)
		return err
	})
	return out, err
}

// UpdateClient implements store.Store.
func (s *Store) UpdateClient(ctx context.Context, clientID string, fn func(c *cognito.UserPoolClient) error) error {
	return s.write(ctx, func(t *Store) error {
		c, err := t.getClient(ctx, t.tx, clientID, t.d.forUpdate)
		if err != nil {
			return err
		}
		pool := c.UserPoolId
		if err := fn(&c); err != nil {
			return err
		}
		if c.ClientId != clientID || c.UserPoolId != pool {
			return fmt.Errorf("sqlstore: UpdateClient may not change the client id or pool of %q", clientID)
		}
		data, err := encodeClient(c)
		if err != nil {
			return err
		}
		_, err = t.tx.ExecContext(ctx, `UPDATE clients SET data = $2, secret_sealed = $3 WHERE id = $1`,
			clientID, data, blob(c.SecretSealed))
		return t.wrap(err)
	})
}

// DeleteClient implements store.Store.
func (s *Store) DeleteClient(ctx context.Context, clientID string) error {
	n, err := s.exec(ctx, `DELETE FROM clients WHERE id = $1`, clientID)
	if err == nil && n == 0 {
		err = notFound("client", clientID)
	}
	return err
}

// each runs a query on s and calls fn for every row.
func (s *Store) each(ctx context.Context, query string, a args, fn func(rows *sql.Rows) error) error {
	rows, err := s.q().QueryContext(ctx, query, a...)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("sqlstore: %w", err)
		}
	}
	return s.wrap(rows.Err())
}
