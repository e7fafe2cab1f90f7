package main

// PostgreSQL plumbing of the multi-node tests: a fresh database per test and
// several tarn nodes (Mains with their own listeners, connection pools and
// caches) sharing it, the way a load balancer would spread one deployment.

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx" for the admin connection
)

// pgAdminDSN is the maintenance database the tests create their databases
// from: TARN_TEST_POSTGRES, else the local server with trust auth.
func pgAdminDSN() string {
	if dsn := os.Getenv("TARN_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// pgOptions tunes the database pgDatabase creates.
type pgOptions struct {
	// serializable makes SERIALIZABLE the database's default isolation
	// level, as on CockroachDB: every conflict is a serialization failure
	// the store must retry.
	serializable bool
}

// pgDatabase creates an empty database tarn_e2e_<random> for the test and
// returns its DSN; the database is dropped (WITH (FORCE)) when the test
// ends. Without a reachable server the test is skipped, or failed when
// TARN_REQUIRE_POSTGRES=1.
func pgDatabase(t testing.TB, opt pgOptions) string {
	t.Helper()
	admin := pgAdminDSN()
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("TARN_TEST_POSTGRES: %v", err)
	}
	db, err := sql.Open("pgx", admin)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		msg := fmt.Sprintf("PostgreSQL at %s is unreachable (%v): start it, or set TARN_TEST_POSTGRES to an admin DSN, to run the multi-node tests", u.Redacted(), err)
		if os.Getenv("TARN_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "tarn_e2e_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		db.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	if opt.serializable {
		if _, err := db.ExecContext(ctx, `ALTER DATABASE `+name+` SET default_transaction_isolation TO 'serializable'`); err != nil {
			t.Fatalf("make %s serializable: %v", name, err)
		}
	}
	u.Path = "/" + name
	return u.String()
}

// clusterKey is the server key every node of a test cluster shares: nodes
// must open each other's sealed verifiers, keys and sessions.
var clusterKey = bytes.Repeat([]byte{0x42}, 32)

// clusterURL is the public URL (and so the issuer base) every node of a
// test cluster shares, as behind a load balancer.
const clusterURL = "http://tarn.lb.test"

// clusterNode configures a Main as one node of a cluster on dsn.
func clusterNode(dsn string) func(m *Main) {
	return func(m *Main) {
		m.DB = dsn
		m.ServerKey = clusterKey
		m.PublicURL = clusterURL
		// Bounded pools: the tests' clusters share one server's
		// max_connections (100 by default).
		m.DBMaxOpenConns = 8
		if os.Getenv("TARN_TEST_LOG") != "" { // the nodes' logs, for debugging
			m.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		}
	}
}

// startCluster starts n nodes on the PostgreSQL database dsn, one after
// the other (see startClusterAtOnce for a simultaneous start).
func startCluster(t testing.TB, n int, dsn string, configure ...func(m *Main)) []*tarnServer {
	t.Helper()
	nodes := make([]*tarnServer, n)
	for i := range nodes {
		nodes[i] = startTarn(t, append([]func(*Main){clusterNode(dsn)}, configure...)...)
	}
	return nodes
}

// startClusterAtOnce starts n nodes on dsn at the same moment, so their
// migrations race, and fails the test unless every one comes up.
func startClusterAtOnce(t testing.TB, n int, dsn string) []*tarnServer {
	t.Helper()
	mains := make([]*Main, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range mains {
		m := &Main{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)}
		clusterNode(dsn)(m)
		mains[i] = m
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			errs[i] = m.Run(ctx)
		}()
	}
	close(start)
	wg.Wait()
	nodes := make([]*tarnServer, 0, n)
	for i, m := range mains {
		t.Cleanup(func() { m.Close() })
		if errs[i] != nil {
			t.Errorf("node %d failed to start: %v", i+1, errs[i])
			continue
		}
		nodes = append(nodes, &tarnServer{t: t, m: m, url: m.URL(), cip: sdkClient(m.URL())})
	}
	if t.Failed() {
		t.FailNow()
	}
	return nodes
}
