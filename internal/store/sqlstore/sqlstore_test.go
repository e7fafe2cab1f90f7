package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/store/storetest"
)

func openT(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open(%s): %v", redact(dsn), err)
	}
	return s
}

func TestSQLiteMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openT(t, "sqlite::memory:") })
}

func TestSQLiteFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openT(t, "sqlite://"+filepath.Join(t.TempDir(), "tarn.db"))
	})
}

func TestPostgres(t *testing.T) {
	dsn := postgresDB(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openT(t, postgresSchema(t, dsn)) })
}

func TestSQLiteReopenKeepsData(t *testing.T) {
	dsn := "sqlite://" + filepath.Join(t.TempDir(), "tarn.db")
	s := openT(t, dsn)
	ctx := t.Context()
	u := cognito.User{PoolID: "p1", Username: "alice", Sub: "sub", Status: cognito.StatusConfirmed, Enabled: true,
		Aliases: map[string]string{"email": "a@example.com"}}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openT(t, dsn) // migrations find nothing to do
	defer s.Close()
	got, err := s.GetUserByAlias(ctx, "p1", "email", "a@example.com")
	if err != nil || got.Username != "alice" {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
}

func TestPostgresConcurrentMigrations(t *testing.T) {
	dsn := postgresDB(t) // a fresh database: nothing migrated yet
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	stores := make([]*Store, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(t.Context(), dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	var versions int
	if err := stores[0].db.QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if ms, _ := loadMigrations(); versions != len(ms) {
		t.Fatalf("schema_migrations has %d rows, want %d", versions, len(ms))
	}
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"mysql://x", "", "sqlite://"} {
		if s, err := Open(t.Context(), dsn); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}

func TestAfter(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"abc", "abd", true},
		{"a%", "a&", true},
		{"", "", false},
		{"a\U0010FFFF", "b", true},
		{"\U0010FFFF", "", false},
		{"\uD7FF", "\uE000", true},
		{"é", "ê", true},
	} {
		got, ok := after(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("after(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// postgresDB creates a database of its own for the test and returns its
// dsn, or skips the test when no server answers (fails instead when
// TARN_REQUIRE_POSTGRES=1).
func postgresDB(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("TARN_TEST_POSTGRES")
	if admin == "" {
		admin = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	db, err := sql.Open("pgx", admin)
	if err == nil {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		msg := fmt.Sprintf("PostgreSQL at %s unreachable (%v); set TARN_TEST_POSTGRES to an admin dsn to run these tests", redact(admin), err)
		if os.Getenv("TARN_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	name := "tarn_test_" + randomHex(6)
	if _, err := db.ExecContext(t.Context(), `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("TARN_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// postgresSchema creates a schema of its own in the database of dsn, so
// that every conformance subtest starts from an empty store, and returns a
// dsn whose search_path is that schema.
func postgresSchema(t *testing.T, dsn string) string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := "s_" + randomHex(6)
	if _, err := db.ExecContext(t.Context(), `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
