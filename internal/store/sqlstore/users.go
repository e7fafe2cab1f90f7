package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// A user is one row of users: its scalar fields in columns, its attribute
// maps as JSON in data, and lower-cased copies of the searchable attributes
// in *_lc columns that ListUsers filters on. The aliases it holds are also
// rows of user_aliases, whose primary key makes them unique per pool.

// userColumns are the columns scanUser reads, in order.
var userColumns = []string{"pool_id", "username", "sub", "status", "enabled", "failed_attempts",
	"created", "modified", "password_set_at", "tokens_valid_after", "locked_until",
	"credential", "extra", "data"}

// searchColumns are the lower-cased copies, written after userColumns.
var searchColumns = []string{"status_lc", "email_lc", "phone_number_lc", "name_lc",
	"given_name_lc", "family_name_lc", "preferred_username_lc"}

// userCols lists the user columns, each prefixed with prefix ("u." or "").
func userCols(prefix string) string {
	return prefix + strings.Join(userColumns, ", "+prefix)
}

// userData is the JSON of the data column.
type userData struct {
	Attributes map[string]string `json:"attributes"`
	Pending    map[string]string `json:"pending"`
	Aliases    map[string]string `json:"aliases"`
}

// userValues returns the values of userColumns then searchColumns.
func userValues(u *cognito.User) ([]any, error) {
	data, err := json.Marshal(userData{Attributes: u.Attributes, Pending: u.Pending, Aliases: u.Aliases})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encode user: %w", err)
	}
	attr := func(name string) any {
		v, ok := u.Attributes[name]
		return lower(v, ok)
	}
	return []any{u.PoolID, u.Username, u.Sub, u.Status, u.Enabled, u.FailedAttempts,
		ts(u.Created), ts(u.Modified), ts(u.PasswordSetAt), ts(u.TokensValidAfter), ts(u.LockedUntil),
		blob(u.Credential), blob(u.Extra), string(data),
		strings.ToLower(u.Status), attr("email"), attr("phone_number"), attr("name"),
		attr("given_name"), attr("family_name"), attr("preferred_username")}, nil
}

func scanUser(sc interface{ Scan(...any) error }) (cognito.User, error) {
	var (
		u    cognito.User
		data string
	)
	err := sc.Scan(&u.PoolID, &u.Username, &u.Sub, &u.Status, &u.Enabled, &u.FailedAttempts,
		timeCol{&u.Created}, timeCol{&u.Modified}, timeCol{&u.PasswordSetAt},
		timeCol{&u.TokensValidAfter}, timeCol{&u.LockedUntil},
		&u.Credential, &u.Extra, &data)
	if err != nil {
		return u, err
	}
	var d userData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return u, fmt.Errorf("decode user %q: %w", u.Username, err)
	}
	u.Attributes, u.Pending, u.Aliases = d.Attributes, d.Pending, d.Aliases
	return u, nil
}

// CreateUser implements store.Store.
func (s *Store) CreateUser(ctx context.Context, u cognito.User) error {
	vals, err := userValues(&u)
	if err != nil {
		return err
	}
	cols := append(append([]string(nil), userColumns...), searchColumns...)
	var a args
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = a.add(v)
	}
	query := `INSERT INTO users (` + strings.Join(cols, ", ") + `) VALUES (` + strings.Join(ph, ", ") + `) ON CONFLICT DO NOTHING`
	return s.write(ctx, func(t *Store) error {
		res, err := t.tx.ExecContext(ctx, query, a...)
		if err != nil {
			return t.wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: user %q or sub %q in pool %q", store.ErrAlreadyExists, u.Username, u.Sub, u.PoolID)
		}
		return t.addAliases(ctx, u.PoolID, u.Username, u.Aliases)
	})
}

// addAliases records that username holds aliases, or fails with
// *store.AliasExistsError naming the user that holds one of them.
func (t *Store) addAliases(ctx context.Context, poolID, username string, aliases map[string]string) error {
	kinds := make([]string, 0, len(aliases))
	for k, v := range aliases {
		if v != "" {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds) // the same lock order in every transaction
	for _, kind := range kinds {
		value := aliases[kind]
		for attempt := 1; ; attempt++ {
			res, err := t.tx.ExecContext(ctx, `INSERT INTO user_aliases (pool_id, kind, value, username)
				VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, poolID, kind, value, username)
			if err != nil {
				return t.wrap(err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				break
			}
			var holder string
			err = t.tx.QueryRowContext(ctx, `SELECT username FROM user_aliases
				WHERE pool_id = $1 AND kind = $2 AND value = $3`, poolID, kind, value).Scan(&holder)
			if errors.Is(err, sql.ErrNoRows) && attempt < 3 {
				continue // released in between: try again
			}
			if err != nil {
				return t.wrap(err)
			}
			if holder != username {
				return &store.AliasExistsError{Kind: kind, Username: holder}
			}
			break
		}
	}
	return nil
}

// GetUser implements store.Store.
func (s *Store) GetUser(ctx context.Context, poolID, username string) (cognito.User, error) {
	return s.getUser(ctx, s.q(), "", poolID, username)
}

func (s *Store) getUser(ctx context.Context, q querier, lock, poolID, username string) (cognito.User, error) {
	return s.queryUser(ctx, q, `SELECT `+userCols("")+` FROM users WHERE pool_id = $1 AND username = $2`+lock,
		"user", username, poolID, username)
}

// GetUserBySub implements store.Store.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (cognito.User, error) {
	return s.queryUser(ctx, s.q(), `SELECT `+userCols("")+` FROM users WHERE pool_id = $1 AND sub = $2`,
		"user with sub", sub, poolID, sub)
}

// GetUserByAlias implements store.Store.
func (s *Store) GetUserByAlias(ctx context.Context, poolID, kind, value string) (cognito.User, error) {
	return s.queryUser(ctx, s.q(), `SELECT `+userCols("u.")+` FROM user_aliases a
		JOIN users u ON u.pool_id = a.pool_id AND u.username = a.username
		WHERE a.pool_id = $1 AND a.kind = $2 AND a.value = $3`,
		"user with "+kind, value, poolID, kind, value)
}

func (s *Store) queryUser(ctx context.Context, q querier, query, what, key string, a ...any) (cognito.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, query, a...))
	if errors.Is(err, sql.ErrNoRows) {
		return cognito.User{}, notFound(what, key)
	}
	if err != nil {
		return cognito.User{}, s.wrap(err)
	}
	return u, nil
}

// UpdateUser implements store.Store.
func (s *Store) UpdateUser(ctx context.Context, poolID, username string, fn func(u *cognito.User) error) error {
	return s.write(ctx, func(t *Store) error {
		u, err := t.getUser(ctx, t.tx, t.d.forUpdate, poolID, username)
		if err != nil {
			return err
		}
		old := u.Clone()
		if err := fn(&u); err != nil {
			return err
		}
		if u.PoolID != old.PoolID || u.Username != old.Username || u.Sub != old.Sub {
			return fmt.Errorf("sqlstore: UpdateUser may not change the pool, username or sub of %q", username)
		}
		added := map[string]string{}
		for kind, v := range u.Aliases {
			if old.Aliases[kind] != v {
				added[kind] = v
			}
		}
		for kind, v := range old.Aliases {
			if nv, ok := u.Aliases[kind]; ok && nv == v {
				continue
			}
			if _, err := t.tx.ExecContext(ctx, `DELETE FROM user_aliases
				WHERE pool_id = $1 AND kind = $2 AND value = $3 AND username = $4`,
				poolID, kind, v, username); err != nil {
				return t.wrap(err)
			}
		}
		if err := t.addAliases(ctx, poolID, username, added); err != nil {
			return err
		}
		vals, err := userValues(&u)
		if err != nil {
			return err
		}
		cols := append(append([]string(nil), userColumns...), searchColumns...)
		var a args
		set := make([]string, 0, len(cols))
		for i, c := range cols {
			if c == "pool_id" || c == "username" || c == "sub" {
				continue
			}
			set = append(set, c+" = "+a.add(vals[i]))
		}
		query := `UPDATE users SET ` + strings.Join(set, ", ") +
			` WHERE pool_id = ` + a.add(poolID) + ` AND username = ` + a.add(username)
		_, err = t.tx.ExecContext(ctx, query, a...)
		return t.wrap(err)
	})
}

// DeleteUser implements store.Store.
func (s *Store) DeleteUser(ctx context.Context, poolID, username string) error {
	return s.write(ctx, func(t *Store) error {
		res, err := t.tx.ExecContext(ctx, `DELETE FROM users WHERE pool_id = $1 AND username = $2`, poolID, username)
		if err != nil {
			return t.wrap(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("user", username)
		}
		for _, table := range []string{"user_aliases", "memberships", "codes", "attempts", "refresh_tokens"} {
			if _, err := t.tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE pool_id = $1 AND username = $2`,
				poolID, username); err != nil {
				return fmt.Errorf("sqlstore: delete user %q from %s: %w", username, table, err)
			}
		}
		return nil
	})
}
