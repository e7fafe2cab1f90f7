// Package sqlstore implements store.Store on SQL databases: SQLite (through
// modernc.org/sqlite, pure Go) and PostgreSQL (through pgx's database/sql
// driver). One set of PostgreSQL-style queries serves both engines, with a
// small dialect shim for the few differences; only SQL that PostgreSQL and
// CockroachDB share is used.
//
// The package owns the schema, its embedded migrations and the mapping of
// cognito records to rows. It knows nothing of HTTP, the flows or sealing:
// sealed credentials, secrets and key material are opaque bytes here.
package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"

	"github.com/tarn-idp/tarn/internal/store"
)

// Store is a store.Store on an SQL database. The Store returned by Open
// works outside transactions; the one Tx hands to its function is bound to
// that transaction. A Tx function must use the Store it is given: on
// SQLite, calling the outer Store from inside it waits for the write lock
// (or the single in-memory connection) that the transaction holds.
type Store struct {
	db *sql.DB
	d  *dialect
	// writeSem serializes write transactions in this process (SQLite has a
	// single writer); nil when the engine needs no such thing.
	writeSem chan struct{}
	// tx is set on the Store bound to a transaction.
	tx *sql.Tx
	// doomed, on the Store bound to a transaction, keeps the first
	// retryable failure (serialization failure, deadlock) seen in it.
	doomed *error
	// pools caches decoded pools (shared with the Store's transactions).
	pools *poolCache
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by dsn and brings its schema up to
// date. Accepted forms:
//
//	sqlite:///path/to/file.db   a SQLite file (WAL mode)
//	sqlite::memory:             a private in-memory SQLite database
//	postgres://… postgresql://… a PostgreSQL (or CockroachDB) database
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenWithOptions(ctx, dsn, Options{})
}

// Options tunes the connection pool of a Store. Zero fields keep the
// defaults: on PostgreSQL 32 open and 8 idle connections that live
// forever; on a SQLite file max(4, GOMAXPROCS) of each. A private in-memory
// SQLite database always has exactly one connection (a second would see
// another database), so Options do not apply to it.
type Options struct {
	// MaxOpenConns bounds the connections open to the database. Several
	// nodes share the server's connection limit (max_connections on
	// PostgreSQL): nodes × MaxOpenConns must stay below it.
	MaxOpenConns int
	// MaxIdleConns bounds the connections kept open while idle (at most
	// MaxOpenConns).
	MaxIdleConns int
	// ConnMaxLifetime closes a connection this long after it was opened
	// (0: never), so that a pooler or a failover behind a DNS name is
	// picked up.
	ConnMaxLifetime time.Duration
}

// OpenWithOptions is Open with connection pool settings.
func OpenWithOptions(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if opt.MaxOpenConns < 0 || opt.MaxIdleConns < 0 || opt.ConnMaxLifetime < 0 {
		return nil, fmt.Errorf("sqlstore: connection pool settings must not be negative")
	}
	var (
		s   *Store
		err error
	)
	switch {
	case dsn == "sqlite::memory:":
		s, err = openSQLite(":memory:", true)
	case strings.HasPrefix(dsn, "sqlite://"):
		s, err = openSQLite(strings.TrimPrefix(dsn, "sqlite://"), false)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err = openPostgres(dsn)
	default:
		return nil, fmt.Errorf("sqlstore: unsupported dsn %q (want sqlite:///file.db, sqlite::memory: or postgres://…)", redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	if dsn != "sqlite::memory:" {
		opt.apply(s.db)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("sqlstore: connect to %s: %w", s.d.name, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(path string, memory bool) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlstore: sqlite dsn names no file")
	}
	params := url.Values{}
	params.Add("_pragma", "busy_timeout(10000)")
	params.Add("_pragma", "foreign_keys(1)")
	params.Set("_txlock", "immediate")
	var name string
	if memory {
		// One connection holds the whole database: closing it would lose
		// the data and a second connection would see another database.
		name = ":memory:?" + params.Encode()
	} else {
		params.Add("_pragma", "journal_mode(WAL)")
		params.Add("_pragma", "synchronous(NORMAL)")
		// A plain path (no "file:" URI): the driver cuts the parameters
		// off at the '?'.
		name = path + "?" + params.Encode()
	}
	db, err := sql.Open(sqliteDialect.driver, name)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	if memory {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	} else {
		n := max(4, runtime.GOMAXPROCS(0))
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
	}
	return &Store{db: db, d: sqliteDialect, writeSem: make(chan struct{}, 1), pools: new(poolCache)}, nil
}

func openPostgres(dsn string) (*Store, error) {
	db, err := sql.Open(postgresDialect.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(8)
	return &Store{db: db, d: postgresDialect, pools: new(poolCache)}, nil
}

// apply sets the non-zero settings on db (database/sql caps the idle
// connections at the open limit).
func (o Options) apply(db *sql.DB) {
	if o.MaxOpenConns > 0 {
		db.SetMaxOpenConns(o.MaxOpenConns)
	}
	if o.MaxIdleConns > 0 {
		db.SetMaxIdleConns(o.MaxIdleConns)
	}
	if o.ConnMaxLifetime > 0 {
		db.SetConnMaxLifetime(o.ConnMaxLifetime)
	}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping %s: %w", s.d.name, err)
	}
	return nil
}

// Close releases the database connections. Closing the Store handed to a
// Tx function does nothing.
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	return s.db.Close()
}

// redact hides a password in a URL-shaped dsn.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	return u.Redacted()
}

// newID returns a random identifier for records the caller left unnamed.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
