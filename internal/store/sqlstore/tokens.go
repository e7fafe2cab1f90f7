package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// One-time codes, refresh-token records and keys: plain rows, one column
// per field.

// PutCode implements store.Store.
func (s *Store) PutCode(ctx context.Context, c cognito.Code) error {
	_, err := s.exec(ctx, `INSERT INTO codes (pool_id, username, purpose, hash, expires, attempts, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (pool_id, username, purpose) DO UPDATE SET
			hash = excluded.hash, expires = excluded.expires,
			attempts = excluded.attempts, created = excluded.created`,
		c.PoolID, c.Username, c.Purpose, blob(c.Hash), ts(c.Expires), c.Attempts, ts(c.Created))
	return err
}

// GetCode implements store.Store.
func (s *Store) GetCode(ctx context.Context, poolID, username, purpose string) (cognito.Code, error) {
	return s.getCode(ctx, s.q(), "", poolID, username, purpose)
}

func (s *Store) getCode(ctx context.Context, q querier, lock, poolID, username, purpose string) (cognito.Code, error) {
	c := cognito.Code{PoolID: poolID, Username: username, Purpose: purpose}
	err := q.QueryRowContext(ctx, `SELECT hash, expires, attempts, created FROM codes
		WHERE pool_id = $1 AND username = $2 AND purpose = $3`+lock, poolID, username, purpose).
		Scan(&c.Hash, timeCol{&c.Expires}, &c.Attempts, timeCol{&c.Created})
	if errors.Is(err, sql.ErrNoRows) {
		return cognito.Code{}, notFound("code", username+"/"+purpose)
	}
	if err != nil {
		return cognito.Code{}, s.wrap(err)
	}
	return c, nil
}

// UpdateCode implements store.Store.
func (s *Store) UpdateCode(ctx context.Context, poolID, username, purpose string, fn func(c *cognito.Code) error) error {
	return s.write(ctx, func(t *Store) error {
		c, err := t.getCode(ctx, t.tx, t.d.forUpdate, poolID, username, purpose)
		if err != nil {
			return err
		}
		if err := fn(&c); err != nil {
			return err
		}
		if c.PoolID != poolID || c.Username != username || c.Purpose != purpose {
			return fmt.Errorf("sqlstore: UpdateCode may not change the pool, username or purpose of a code")
		}
		_, err = t.tx.ExecContext(ctx, `UPDATE codes SET hash = $4, expires = $5, attempts = $6, created = $7
			WHERE pool_id = $1 AND username = $2 AND purpose = $3`,
			poolID, username, purpose, blob(c.Hash), ts(c.Expires), c.Attempts, ts(c.Created))
		return t.wrap(err)
	})
}

// DeleteCode implements store.Store.
func (s *Store) DeleteCode(ctx context.Context, poolID, username, purpose string) error {
	n, err := s.exec(ctx, `DELETE FROM codes WHERE pool_id = $1 AND username = $2 AND purpose = $3`,
		poolID, username, purpose)
	if err == nil && n == 0 {
		err = notFound("code", username+"/"+purpose)
	}
	return err
}

// CreateRefreshToken implements store.Store.
func (s *Store) CreateRefreshToken(ctx context.Context, t cognito.RefreshToken) error {
	n, err := s.exec(ctx, `INSERT INTO refresh_tokens
		(id, pool_id, client_id, username, secret_hash, auth_time, created, expires, revoked, rotated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
		t.ID, t.PoolID, t.ClientID, t.Username, blob(t.SecretHash),
		ts(t.AuthTime), ts(t.Created), ts(t.Expires), t.Revoked, optTime(t.RotatedAt))
	if err != nil {
		return err
	}
	if n == 0 {
		return alreadyExists("refresh token", t.ID)
	}
	return nil
}

// GetRefreshToken implements store.Store.
func (s *Store) GetRefreshToken(ctx context.Context, id string) (cognito.RefreshToken, error) {
	var t cognito.RefreshToken
	err := s.q().QueryRowContext(ctx, `SELECT id, pool_id, client_id, username, secret_hash,
		auth_time, created, expires, revoked, rotated_at FROM refresh_tokens WHERE id = $1`, id).
		Scan(&t.ID, &t.PoolID, &t.ClientID, &t.Username, &t.SecretHash,
			timeCol{&t.AuthTime}, timeCol{&t.Created}, timeCol{&t.Expires}, &t.Revoked, timeCol{&t.RotatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return cognito.RefreshToken{}, notFound("refresh token", id)
	}
	if err != nil {
		return cognito.RefreshToken{}, s.wrap(err)
	}
	return t, nil
}

// RevokeRefreshToken implements store.Store.
func (s *Store) RevokeRefreshToken(ctx context.Context, id string) error {
	n, err := s.exec(ctx, `UPDATE refresh_tokens SET revoked = $2 WHERE id = $1`, id, true)
	if err == nil && n == 0 {
		err = notFound("refresh token", id)
	}
	return err
}

// MarkRefreshTokenRotated implements store.Store.
func (s *Store) MarkRefreshTokenRotated(ctx context.Context, id string, at time.Time) error {
	if _, err := s.GetRefreshToken(ctx, id); err != nil {
		return err
	}
	_, err := s.exec(ctx, `UPDATE refresh_tokens SET rotated_at = $2 WHERE id = $1 AND rotated_at IS NULL`, id, ts(at))
	return err
}

// optTime is the column value of a time that may be absent: NULL for zero.
func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// RevokeUserRefreshTokens implements store.Store.
func (s *Store) RevokeUserRefreshTokens(ctx context.Context, poolID, username string) error {
	_, err := s.exec(ctx, `UPDATE refresh_tokens SET revoked = $3 WHERE pool_id = $1 AND username = $2`,
		poolID, username, true)
	return err
}

// CreateKey implements store.Store.
func (s *Store) CreateKey(ctx context.Context, k cognito.Key) error {
	n, err := s.exec(ctx, `INSERT INTO crypto_keys
		(id, pool_id, key_use, material, public_key, created, not_before, expires)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		k.ID, k.PoolID, k.Use, blob(k.Material), blob(k.Public), ts(k.Created), ts(k.NotBefore), ts(k.Expires))
	if err != nil {
		return err
	}
	if n == 0 {
		return alreadyExists("key", k.ID)
	}
	return nil
}

// ListKeys implements store.Store.
func (s *Store) ListKeys(ctx context.Context, poolID, use string) ([]cognito.Key, error) {
	var out []cognito.Key
	err := s.each(ctx, `SELECT id, pool_id, key_use, material, public_key, created, not_before, expires
		FROM crypto_keys WHERE pool_id = $1 AND key_use = $2 ORDER BY created, id`, args{poolID, use},
		func(rows *sql.Rows) error {
			var k cognito.Key
			err := rows.Scan(&k.ID, &k.PoolID, &k.Use, &k.Material, &k.Public,
				timeCol{&k.Created}, timeCol{&k.NotBefore}, timeCol{&k.Expires})
			out = append(out, k)
			return err
		})
	return out, err
}

// DeleteKey implements store.Store.
func (s *Store) DeleteKey(ctx context.Context, id string) error {
	n, err := s.exec(ctx, `DELETE FROM crypto_keys WHERE id = $1`, id)
	if err == nil && n == 0 {
		err = notFound("key", id)
	}
	return err
}
