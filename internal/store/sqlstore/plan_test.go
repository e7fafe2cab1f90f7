package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/tarn-idp/tarn/internal/store"
)

// listUsersPlans are the ListUsers pages that must be index range scans,
// returned in index order (no sort of the whole pool).
var listUsersPlans = []struct {
	name string
	f    *store.UserFilter
}{
	{"unfiltered", nil},
	{"username prefix", &store.UserFilter{Attr: "username", Value: "us", Prefix: true}},
	{"email", &store.UserFilter{Attr: "email", Value: "a@example.com"}},
	{"given_name", &store.UserFilter{Attr: "given_name", Value: "ann"}},
	{"cognito:user_status", &store.UserFilter{Attr: "cognito:user_status", Value: "confirmed"}},
	{"status", &store.UserFilter{Attr: "status", Value: "Enabled"}},
}

func TestSQLiteListUsersPlans(t *testing.T) {
	s := openT(t, "sqlite::memory:")
	defer s.Close()
	for _, tc := range listUsersPlans {
		plan := explain(t, s.db, "EXPLAIN QUERY PLAN ", tc.f)
		if !strings.Contains(plan, "USING INDEX") && !strings.Contains(plan, "USING PRIMARY KEY") ||
			strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("%s: plan is not an ordered index scan:\n%s", tc.name, plan)
		}
	}
}

func TestPostgresListUsersPlans(t *testing.T) {
	s := openT(t, postgresSchema(t, postgresDB(t)))
	defer s.Close()
	conn, err := s.db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// An empty table would be scanned whatever the indexes.
	if _, err := conn.ExecContext(t.Context(), `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range listUsersPlans {
		plan := explain(t, conn, "EXPLAIN ", tc.f)
		if !strings.Contains(plan, "Index") || strings.Contains(plan, "Sort") {
			t.Errorf("%s: plan is not an ordered index scan:\n%s", tc.name, plan)
		}
	}
}

func explain(t *testing.T, q querier, prefix string, f *store.UserFilter) string {
	t.Helper()
	query, a, err := listUsersQuery("pool", f, store.Page{After: "m", Limit: 60})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := q.QueryContext(context.Background(), prefix+query, a...)
	if err != nil {
		t.Fatalf("%s%s: %v", prefix, query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		line := ""
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				line += v + " "
			case []byte:
				line += string(v) + " "
			}
		}
		lines = append(lines, line)
	}
	plan := strings.Join(lines, "\n")
	t.Logf("%s%s\n%s", prefix, query, plan)
	return plan
}
