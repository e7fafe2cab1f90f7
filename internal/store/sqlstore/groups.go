package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// Groups are kept as their JSON encoding; memberships are bare
// (pool, group, user) rows that need neither the user nor the group to
// exist.

// CreateGroup implements store.Store.
func (s *Store) CreateGroup(ctx context.Context, g cognito.Group) error {
	data, err := json.Marshal(g)
	if err != nil {
		return fmt.Errorf("sqlstore: encode group: %w", err)
	}
	n, err := s.exec(ctx, `INSERT INTO user_groups (pool_id, name, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		g.UserPoolId, g.GroupName, string(data))
	if err != nil {
		return err
	}
	if n == 0 {
		return alreadyExists("group", g.GroupName)
	}
	return nil
}

func scanGroup(sc interface{ Scan(...any) error }) (cognito.Group, error) {
	var (
		data string
		g    cognito.Group
	)
	if err := sc.Scan(&data); err != nil {
		return g, err
	}
	if err := json.Unmarshal([]byte(data), &g); err != nil {
		return g, fmt.Errorf("decode group: %w", err)
	}
	return g, nil
}

// GetGroup implements store.Store.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (cognito.Group, error) {
	return s.getGroup(ctx, s.q(), "", poolID, name)
}

func (s *Store) getGroup(ctx context.Context, q querier, lock, poolID, name string) (cognito.Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, `SELECT data FROM user_groups WHERE pool_id = $1 AND name = $2`+lock, poolID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return g, notFound("group", name)
	}
	if err != nil {
		return g, s.wrap(err)
	}
	return g, nil
}

// ListGroups implements store.Store.
func (s *Store) ListGroups(ctx context.Context, poolID string, page store.Page) ([]cognito.Group, error) {
	var a args
	query := `SELECT data FROM user_groups WHERE pool_id = ` + a.add(poolID) +
		` AND name > ` + a.add(page.After) + ` ORDER BY name` + limit(&a, page.Limit)
	return s.listGroups(ctx, query, a)
}

func (s *Store) listGroups(ctx context.Context, query string, a args) ([]cognito.Group, error) {
	var out []cognito.Group
	err := s.each(ctx, query, a, func(rows *sql.Rows) error {
		g, err := scanGroup(rows)
		out = append(out, g)
		return err
	})
	return out, err
}

// UpdateGroup implements store.Store.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(g *cognito.Group) error) error {
	return s.write(ctx, func(t *Store) error {
		g, err := t.getGroup(ctx, t.tx, t.d.forUpdate, poolID, name)
		if err != nil {
			return err
		}
		if err := fn(&g); err != nil {
			return err
		}
		if g.UserPoolId != poolID || g.GroupName != name {
			return fmt.Errorf("sqlstore: UpdateGroup may not change the pool or name of group %q", name)
		}
		data, err := json.Marshal(g)
		if err != nil {
			return fmt.Errorf("sqlstore: encode group: %w", err)
		}
		_, err = t.tx.ExecContext(ctx, `UPDATE user_groups SET data = $3 WHERE pool_id = $1 AND name = $2`,
			poolID, name, string(data))
		return t.wrap(err)
	})
}

// DeleteGroup implements store.Store.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.write(ctx, func(t *Store) error {
		res, err := t.tx.ExecContext(ctx, `DELETE FROM user_groups WHERE pool_id = $1 AND name = $2`, poolID, name)
		if err != nil {
			return t.wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("group", name)
		}
		_, err = t.tx.ExecContext(ctx, `DELETE FROM memberships WHERE pool_id = $1 AND group_name = $2`, poolID, name)
		return t.wrap(err)
	})
}

// AddUserToGroup implements store.Store.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, username, group string) error {
	_, err := s.exec(ctx, `INSERT INTO memberships (pool_id, group_name, username) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, poolID, group, username)
	return err
}

// RemoveUserFromGroup implements store.Store.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, username, group string) error {
	_, err := s.exec(ctx, `DELETE FROM memberships WHERE pool_id = $1 AND group_name = $2 AND username = $3`,
		poolID, group, username)
	return err
}

// ListGroupsForUser implements store.Store.
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, username string, page store.Page) ([]cognito.Group, error) {
	var a args
	query := `SELECT g.data FROM memberships m
		JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
		WHERE m.pool_id = ` + a.add(poolID) + ` AND m.username = ` + a.add(username) +
		` AND m.group_name > ` + a.add(page.After) + ` ORDER BY m.group_name` + limit(&a, page.Limit)
	return s.listGroups(ctx, query, a)
}

// ListUsersInGroup implements store.Store.
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group string, page store.Page) ([]cognito.User, error) {
	var a args
	query := `SELECT ` + userCols("u.") + ` FROM memberships m
		JOIN users u ON u.pool_id = m.pool_id AND u.username = m.username
		WHERE m.pool_id = ` + a.add(poolID) + ` AND m.group_name = ` + a.add(group) +
		` AND m.username > ` + a.add(page.After) + ` ORDER BY m.username` + limit(&a, page.Limit)
	return s.listUsers(ctx, query, a)
}
