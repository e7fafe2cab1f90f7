package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/tarn-idp/tarn/internal/store"
)

// Migrations are the files migrations/NNNN_name.sql, applied in order of
// NNNN, each once; schema_migrations records which ran. A migration's
// statements are separated by ";" at the end of a line, which is how
// engines that take one statement per Exec get them.

//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := map[int]string{}
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: migration %s: name must be NNNN_name.sql", e.Name())
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("sqlstore: migrations %s and %s share version %d", other, e.Name(), v)
		}
		seen[v] = e.Name()
		b, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate brings the schema up to date. Several processes may start at
// once against one database: they meet on a row of schema_lock, which the
// migrating transaction holds FOR UPDATE, so one migrates and the others
// then find nothing left to do. On SQLite the immediate transaction is
// the lock.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	// Two sessions running the same CREATE TABLE IF NOT EXISTS can collide
	// on PostgreSQL; the loser tries again and finds the table.
	for attempt := 1; ; attempt++ {
		_, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_lock (id INTEGER PRIMARY KEY)`)
		if err == nil {
			break
		}
		if attempt == 5 || !s.d.isDuplicateObject(err) {
			return fmt.Errorf("sqlstore: create schema_lock: %w", err)
		}
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO schema_lock (id) VALUES (1) ON CONFLICT DO NOTHING`); err != nil {
		return fmt.Errorf("sqlstore: init schema_lock: %w", err)
	}
	return s.inTx(ctx, func(t *Store) error {
		var one int
		if err := t.tx.QueryRowContext(ctx, `SELECT id FROM schema_lock WHERE id = 1`+s.d.forUpdate).Scan(&one); err != nil {
			return fmt.Errorf("sqlstore: lock schema: %w", err)
		}
		if _, err := t.tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version BIGINT PRIMARY KEY,
			name    TEXT NOT NULL,
			applied BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("sqlstore: create schema_migrations: %w", err)
		}
		applied, err := appliedVersions(ctx, t)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if applied[m.version] {
				continue
			}
			for _, stmt := range statements(s.d.ddl(m.sql)) {
				if _, err := t.tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
				}
			}
			if _, err := t.tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)`,
				m.version, m.name, ts(store.Now())); err != nil {
				return fmt.Errorf("sqlstore: record migration %s: %w", m.name, err)
			}
		}
		return nil
	})
}

func appliedVersions(ctx context.Context, t *Store) (map[int]bool, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// statements splits a migration into its statements, dropping comments.
func statements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if rest := strings.TrimSpace(cur.String()); rest != "" {
		out = append(out, rest)
	}
	return out
}
