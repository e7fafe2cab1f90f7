package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/store/sqlstore"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// Signing key rotation: "tarn keys rotate" (by hand) and the schedule of
// "tarn serve --key-rotation-interval" (every node). Both go through
// tokens.Service: the new key is published in the JWKS at once and signs
// from publish-ahead on; the old key stays published for retain more, so
// the tokens it signed verify until they expire.

const (
	// defaultPublishAhead covers tarn's own key cache (a minute) and the
	// JWKS caching of common verifiers.
	defaultPublishAhead = 10 * time.Minute
	// defaultRetain is the longest lifetime of an ID or access token.
	defaultRetain = 24 * time.Hour
)

// signingUses are the key uses a rotation covers: ID and access tokens.
var signingUses = []string{tokens.UseID, tokens.UseAccess}

// runKeys runs "tarn keys <subcommand>".
func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	const usage = "Usage:\n  tarn keys rotate [flags]   rotate the signing keys of one pool or of all pools\n"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return errors.New("keys: missing subcommand")
		}
		return flag.ErrHelp
	}
	switch args[0] {
	case "rotate":
		return runKeysRotate(ctx, args[1:], stdout, stderr, getenv)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("keys: unknown subcommand %q", args[0])
}

// runKeysRotate opens the database directly (the servers may keep
// running: they pick the new keys up within a minute) and rotates.
func runKeysRotate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("tarn keys rotate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	e := envFlags{fs: fs, getenv: getenv}
	m := &Main{}
	var poolID string
	var publishAhead, retain time.Duration
	e.String(&m.DataDir, "data-dir", "TARN_DATA_DIR", "./.tarn", "`directory` of the SQLite database and the server key")
	e.String(&m.DB, "db", "TARN_DB", "", "database: sqlite:///path.db or postgres://… (default sqlite://<data-dir>/tarn.db)")
	e.String(&m.ServerKeyFile, "server-key-file", "TARN_SERVER_KEY_FILE", "", "`file` holding the server key (default <data-dir>/server.key; TARN_SERVER_KEY, base64 or hex, wins)")
	fs.StringVar(&poolID, "pool-id", "", "rotate this pool's keys only (default: every pool)")
	fs.DurationVar(&publishAhead, "publish-ahead", defaultPublishAhead, "how long the new key is published before it signs (at least 1m, tarn's key cache)")
	fs.DurationVar(&retain, "retain", defaultRetain, "how long the old keys stay published after that (the longest token lifetime)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := e.err; err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("keys rotate: unexpected arguments %q", fs.Args())
	}
	if publishAhead < 0 || retain < 0 {
		return errors.New("keys rotate: --publish-ahead and --retain must not be negative")
	}
	m.setDefaults()
	if m.DB == "memory" || m.DB == "sqlite::memory:" {
		return errors.New("keys rotate: an in-memory database belongs to its server; name the database with --db or TARN_DB")
	}
	key, err := commandServerKey(m, getenv)
	if err != nil {
		return err
	}
	sealer, err := seal.New(key)
	if err != nil {
		return fmt.Errorf("server key: %w", err)
	}
	dsn, kind, err := m.dsn()
	if err != nil {
		return err
	}
	st, err := sqlstore.OpenWithOptions(ctx, dsn, sqlstore.Options{MaxOpenConns: 2})
	if err != nil {
		return fmt.Errorf("open database (%s): %w", kind, err)
	}
	defer st.Close()
	tok := tokens.New(st, sealer)

	var pools []string
	if poolID != "" {
		if _, err := st.GetPool(ctx, poolID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("keys rotate: no pool %q in %s", poolID, kind)
			}
			return err
		}
		pools = []string{poolID}
	} else if pools, err = allPoolIDs(ctx, st); err != nil {
		return err
	}
	now := time.Now()
	for _, id := range pools {
		for _, use := range signingUses {
			if err := tok.Rotate(ctx, id, use, publishAhead, retain); err != nil {
				return fmt.Errorf("keys rotate: pool %s, %s tokens: %w", id, use, err)
			}
		}
		fmt.Fprintf(stdout, "%s: new ID and access token keys published now, signing from %s; old keys published until %s\n",
			id, now.Add(publishAhead).UTC().Format(time.RFC3339), now.Add(publishAhead+retain).UTC().Format(time.RFC3339))
	}
	if len(pools) == 0 {
		fmt.Fprintln(stdout, "no pools: nothing to rotate")
	}
	return nil
}

// commandServerKey returns the server key for a command that opens the
// database directly: TARN_SERVER_KEY, else the key file, which must exist
// (a new key would seal keys no server can open).
func commandServerKey(m *Main, getenv func(string) string) ([]byte, error) {
	if v := getenv("TARN_SERVER_KEY"); v != "" {
		key, err := seal.ParseKey(v)
		if err != nil {
			return nil, fmt.Errorf("TARN_SERVER_KEY: %w", err)
		}
		return key, nil
	}
	b, err := os.ReadFile(m.ServerKeyFile)
	if err != nil {
		return nil, fmt.Errorf("server key: %w (use the servers' key: --server-key-file or TARN_SERVER_KEY)", err)
	}
	key, err := seal.ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("server key %s: %w", m.ServerKeyFile, err)
	}
	return key, nil
}

// allPoolIDs lists every pool id, page by page.
func allPoolIDs(ctx context.Context, st store.Store) ([]string, error) {
	var ids []string
	page := store.Page{Limit: 100}
	for range 1_000_000 { // bounded: a million pages of 100
		ps, err := st.ListPools(ctx, page)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			ids = append(ids, p.Id)
		}
		if len(ps) < page.Limit {
			return ids, nil
		}
		page.After = ps[len(ps)-1].Id
	}
	return ids, nil
}

// startKeyRotation runs the rotation schedule in the background until
// Close: at start-up and then every rotationCheck, every pool whose newest
// ID or access key is KeyRotationInterval old is rotated.
func (m *Main) startKeyRotation() {
	check := m.rotationCheck
	if check <= 0 {
		check = min(time.Minute, m.KeyRotationInterval)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.stopRotation, m.rotationDone = cancel, make(chan struct{})
	go func() {
		defer close(m.rotationDone)
		ticker := time.NewTicker(check)
		defer ticker.Stop()
		for {
			m.rotateDueKeys(ctx)
			if m.rotationPassed != nil {
				m.rotationPassed()
			}
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
			}
		}
	}()
}

// rotateDueKeys makes one pass of the schedule; failures are logged and
// tried again at the next pass.
func (m *Main) rotateDueKeys(ctx context.Context) {
	ids, err := allPoolIDs(ctx, m.store)
	if err != nil {
		if ctx.Err() == nil {
			m.Logger.Error("key rotation: list pools", "error", err)
		}
		return
	}
	for _, id := range ids {
		for _, use := range signingUses {
			did, err := m.tokens.RotateDue(ctx, id, use, m.KeyRotationInterval, m.KeyPublishAhead, m.KeyRetain)
			switch {
			case err != nil && ctx.Err() != nil:
				return
			case err != nil:
				m.Logger.Error("key rotation", "pool", id, "use", use, "error", err)
			case did:
				m.Logger.Info("rotated signing key", "pool", id, "use", use,
					"signs_from", m.now().Add(m.KeyPublishAhead), "old_key_until", m.now().Add(m.KeyPublishAhead+m.KeyRetain))
			}
		}
	}
}

// now is the server's clock.
func (m *Main) now() time.Time {
	if m.clock != nil {
		return m.clock()
	}
	return time.Now()
}
