package sqlstore

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the small shim between the PostgreSQL-style SQL this package
// writes and the engine underneath. Queries use $n placeholders, which both
// drivers accept; DDL uses the type tokens {{key}} and {{bytes}}.
type dialect struct {
	name   string // "sqlite" or "postgres"
	driver string // database/sql driver name

	// forUpdate is appended to the SELECT of a read-modify-write. SQLite
	// has no row locks; its write transactions are serialized instead.
	forUpdate string

	// types expands the DDL type tokens. {{key}} is text that sorts
	// byte-wise (UTF-8 byte order is code point order), so that ordering,
	// pagination and prefix ranges agree on both engines.
	types *strings.Replacer

	// serialWrites: write transactions must be serialized in-process.
	serialWrites bool
}

var (
	sqliteDialect = &dialect{
		name:         "sqlite",
		driver:       "sqlite",
		types:        strings.NewReplacer("{{key}}", "TEXT", "{{bytes}}", "BLOB"),
		serialWrites: true,
	}
	postgresDialect = &dialect{
		name:      "postgres",
		driver:    "pgx",
		forUpdate: " FOR UPDATE",
		types:     strings.NewReplacer("{{key}}", `TEXT COLLATE "C"`, "{{bytes}}", "BYTEA"),
	}
)

// ddl expands the type tokens of a migration.
func (d *dialect) ddl(sql string) string { return d.types.Replace(sql) }

// isUniqueViolation reports a unique or primary-key constraint violation.
func (d *dialect) isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		c := sqErr.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isRetryable reports a failure after which the whole transaction may be
// run again: serialization failures and deadlocks on PostgreSQL (and
// CockroachDB), a busy database on SQLite shared with another process.
// Unique violations are never retryable.
func (d *dialect) isRetryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	return false
}

// isDuplicateObject reports the errors PostgreSQL may return when two
// sessions run the same CREATE TABLE IF NOT EXISTS at once: duplicate
// table, duplicate object (the table's row type) or a unique violation in
// the catalogue.
func (d *dialect) isDuplicateObject(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "42P07", "42710", "23505":
			return true
		}
	}
	return false
}
