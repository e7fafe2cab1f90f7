package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// filterColumns maps the searchable attributes of store.UserFilter to their
// column and whether the comparison ignores case (the column then holds a
// lower-cased copy). "status" is handled apart: it is the enabled flag.
var filterColumns = map[string]struct {
	column string
	fold   bool
}{
	"username":            {"username", false},
	"sub":                 {"sub", false},
	"email":               {"email_lc", true},
	"phone_number":        {"phone_number_lc", true},
	"name":                {"name_lc", true},
	"given_name":          {"given_name_lc", true},
	"family_name":         {"family_name_lc", true},
	"preferred_username":  {"preferred_username_lc", true},
	"cognito:user_status": {"status_lc", true},
}

// ListUsers implements store.Store. A page is a range scan of an index
// that starts with (pool_id, <filter column>, username) — or the primary
// key when there is no filter — so its cost does not depend on the size
// of the pool. Prefixes match as ranges [prefix, after(prefix)), never with
// LIKE, so "%" and "_" are ordinary characters.
func (s *Store) ListUsers(ctx context.Context, poolID string, f *store.UserFilter, page store.Page) ([]cognito.User, error) {
	query, a, err := listUsersQuery(poolID, f, page)
	if err != nil {
		return nil, err
	}
	return s.listUsers(ctx, query, a)
}

func listUsersQuery(poolID string, f *store.UserFilter, page store.Page) (string, args, error) {
	var a args
	where := []string{"pool_id = " + a.add(poolID)}
	if f != nil {
		cond, err := filterCondition(&a, f)
		if err != nil {
			return "", nil, err
		}
		where = append(where, cond)
	}
	if page.After != "" {
		where = append(where, "username > "+a.add(page.After))
	}
	query := `SELECT ` + userCols("") + ` FROM users WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY username` + limit(&a, page.Limit)
	return query, a, nil
}

func filterCondition(a *args, f *store.UserFilter) (string, error) {
	if f.Attr == "status" {
		var match []bool
		for _, c := range []struct {
			name    string
			enabled bool
		}{{"Enabled", true}, {"Disabled", false}} {
			if c.name == f.Value || (f.Prefix && strings.HasPrefix(c.name, f.Value)) {
				match = append(match, c.enabled)
			}
		}
		switch len(match) {
		case 0:
			return "1 = 0", nil
		case 1:
			return "enabled = " + a.add(match[0]), nil
		default:
			return "1 = 1", nil
		}
	}
	c, ok := filterColumns[f.Attr]
	if !ok {
		return "", fmt.Errorf("sqlstore: cannot filter users on %q", f.Attr)
	}
	v := f.Value
	if c.fold {
		v = strings.ToLower(v)
	}
	if !f.Prefix {
		return c.column + " = " + a.add(v), nil
	}
	cond := c.column + " >= " + a.add(v)
	if end, ok := after(v); ok {
		cond += " AND " + c.column + " < " + a.add(end)
	}
	return cond, nil
}

// listUsers runs a query selecting userCols.
func (s *Store) listUsers(ctx context.Context, query string, a args) ([]cognito.User, error) {
	var out []cognito.User
	err := s.each(ctx, query, a, func(rows *sql.Rows) error {
		u, err := scanUser(rows)
		out = append(out, u)
		return err
	})
	return out, err
}
