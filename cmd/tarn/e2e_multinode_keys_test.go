package main

// Signing key rotation that several nodes agree on: "tarn keys rotate" and
// the --key-rotation-interval schedule, on three nodes sharing PostgreSQL.
// The nodes run on a shared fake clock so that publish-ahead and the
// nodes' one-minute key cache pass without waiting.

import (
	"bytes"
	"context"
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/tarn-idp/tarn/internal/store/sqlstore"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// mnClock is a clock the nodes of a test share.
type mnClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *mnClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *mnClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// kidOf is the kid in a JWT's header.
func kidOf(t *testing.T, token string) string {
	t.Helper()
	h, _ := jwtParts(t, token)
	kid, _ := h["kid"].(string)
	if kid == "" {
		t.Fatalf("token without kid: %v", h)
	}
	return kid
}

// kids lists the kids of a node's JWKS for a pool, sorted.
func (ts *tarnServer) kids(poolID string) []string {
	var out []string
	for kid := range ts.jwks(poolID) {
		out = append(out, kid)
	}
	slices.Sort(out)
	return out
}

// mnKeyUser makes a pool with a confirmed user and returns its ids.
func mnKeyUser(t *testing.T, n []*tarnServer) (poolID, clientID string) {
	t.Helper()
	poolID, clientID = n[0].auEmailPool(cip.CreateUserPoolInput{})
	n[0].confirmedUser(poolID, "keyholder", auPassword)
	return poolID, clientID
}

// mnWantKids checks that every node publishes exactly want.
func mnWantKids(t *testing.T, n []*tarnServer, poolID string, want []string) {
	t.Helper()
	want = slices.Sorted(slices.Values(want))
	for i, node := range n {
		if got := node.kids(poolID); !slices.Equal(got, want) {
			t.Fatalf("node %d publishes kids %v, want %v", i+1, got, want)
		}
	}
}

// mnAfterRotation checks the end of a rotation on every node: old and new
// kids published, old tokens verify, new tokens carry the new kids.
func mnAfterRotation(t *testing.T, n []*tarnServer, clientID string, old *tokensIssued, clock *mnClock, publishAhead time.Duration) {
	t.Helper()
	poolID := old.poolID
	// Before NotBefore: the nodes publish the new keys but sign with the old.
	clock.Advance(time.Minute + time.Second) // past the nodes' key cache
	all := []string{old.idKid, old.accessKid}
	for i, node := range n {
		kids := node.kids(poolID)
		if len(kids) != 4 || !slices.Contains(kids, old.idKid) || !slices.Contains(kids, old.accessKid) {
			t.Fatalf("node %d after the rotation publishes %v, want the old kids %v and two new ones", i+1, kids, all)
		}
		res := node.auTokens(clientID, "keyholder", auPassword)
		if kidOf(t, *res.AccessToken) != old.accessKid || kidOf(t, *res.IdToken) != old.idKid {
			t.Fatalf("node %d signs with a new key before publish-ahead passed", i+1)
		}
	}
	newKids := slices.DeleteFunc(n[0].kids(poolID), func(k string) bool { return slices.Contains(all, k) })

	// After NotBefore: every node signs with the new keys; the old ones
	// stay published and old tokens still verify.
	clock.Advance(publishAhead)
	for i, node := range n {
		res := node.auTokens(clientID, "keyholder", auPassword)
		if k := kidOf(t, *res.AccessToken); !slices.Contains(newKids, k) {
			t.Errorf("node %d signs access tokens with %s, want one of the new kids %v", i+1, k, newKids)
		}
		if k := kidOf(t, *res.IdToken); !slices.Contains(newKids, k) {
			t.Errorf("node %d signs ID tokens with %s, want one of the new kids %v", i+1, k, newKids)
		}
		if _, err := node.auGetUser(old.access); err != nil {
			t.Errorf("node %d: GetUser with a token signed before the rotation: %v", i+1, err)
		}
		verifyJWT(t, node.jwks(poolID), old.id)
		verifyJWT(t, node.jwks(poolID), *res.IdToken)
	}
	mnWantKids(t, n, poolID, append(all, newKids...))
}

// tokensIssued are tokens signed before a rotation.
type tokensIssued struct {
	poolID, access, id, idKid, accessKid string
}

func mnIssue(t *testing.T, ts *tarnServer, poolID, clientID string) *tokensIssued {
	t.Helper()
	res := ts.auTokens(clientID, "keyholder", auPassword)
	return &tokensIssued{poolID: poolID, access: *res.AccessToken, id: *res.IdToken,
		idKid: kidOf(t, *res.IdToken), accessKid: kidOf(t, *res.AccessToken)}
}

func TestKeys_RotateCommandOnThreeNodes(t *testing.T) {
	t.Parallel()
	dsn := pgDatabase(t, pgOptions{})
	clock := &mnClock{t: time.Now()}
	n := startCluster(t, 3, dsn, func(m *Main) { m.clock = clock.Now })
	poolID, clientID := mnKeyUser(t, n)
	old := mnIssue(t, n[0], poolID, clientID)
	mnWantKids(t, n, poolID, []string{old.idKid, old.accessKid})

	// The command runs on the real clock; the nodes' clock starts there.
	const publishAhead = 5 * time.Minute
	var stdout, stderr bytes.Buffer
	env := map[string]string{"TARN_DB": dsn, "TARN_SERVER_KEY": hex.EncodeToString(clusterKey)}
	err := run(context.Background(), []string{"keys", "rotate", "--data-dir", t.TempDir(), "--pool-id", poolID,
		"--publish-ahead", publishAhead.String(), "--retain", "2h"}, &stdout, &stderr, func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("tarn keys rotate: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), poolID) {
		t.Errorf("tarn keys rotate printed %q, want a line naming the pool", stdout.String())
	}
	mnAfterRotation(t, n, clientID, old, clock, publishAhead)

	// The old keys disappear once retain has passed too.
	clock.Advance(2*time.Hour + time.Minute)
	for i, node := range n {
		if kids := node.kids(poolID); len(kids) != 2 || slices.Contains(kids, old.idKid) {
			t.Errorf("node %d publishes %v after retain, want the two new kids only", i+1, kids)
		}
	}
}

func TestKeys_RotateCommandAllPoolsAndErrors(t *testing.T) {
	t.Parallel()
	dsn := pgDatabase(t, pgOptions{})
	n := startCluster(t, 1, dsn)
	var ids []string
	for range 2 {
		poolID, clientID := mnKeyUser(t, n)
		n[0].auTokens(clientID, "keyholder", auPassword)
		ids = append(ids, poolID)
	}
	env := map[string]string{"TARN_SERVER_KEY": hex.EncodeToString(clusterKey)}
	getenv := func(k string) string { return env[k] }
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"keys", "rotate", "--db", dsn}, &stdout, &stderr, getenv); err != nil {
		t.Fatalf("tarn keys rotate (all pools): %v", err)
	}
	st, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range ids {
		if !strings.Contains(stdout.String(), id) {
			t.Errorf("output %q does not name pool %s", stdout.String(), id)
		}
		for _, use := range signingUses {
			keys, err := st.ListKeys(context.Background(), id, use)
			if err != nil || len(keys) != 2 {
				t.Errorf("pool %s, %s: %d keys (%v), want 2", id, use, len(keys), err)
			}
		}
	}

	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"keys", "rotate", "--db", dsn, "--pool-id", "us-east-1_nothere00"}, env, "no pool"},
		{[]string{"keys", "rotate", "--db", dsn, "--data-dir", t.TempDir()}, nil, "server key"},
		{[]string{"keys", "rotate", "--db", "memory"}, env, "in-memory"},
		{[]string{"keys", "rotate", "--db", dsn, "--retain", "-1h"}, env, "negative"},
		{[]string{"keys", "frobnicate"}, env, "unknown subcommand"},
		{[]string{"keys"}, env, "missing subcommand"},
	} {
		err := run(context.Background(), tc.args, &stdout, &stderr, func(k string) string { return tc.env[k] })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("tarn %s: error %v, want one mentioning %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}

// Every node runs the schedule; a due key is rotated once, by one of them.
func TestKeys_ScheduleOnThreeNodesRotatesOnce(t *testing.T) {
	t.Parallel()
	dsn := pgDatabase(t, pgOptions{})
	clock := &mnClock{t: time.Now()}
	const interval, publishAhead = 24 * time.Hour, 5 * time.Minute
	var passed [3]chan struct{}
	i := 0
	n := startCluster(t, 3, dsn, func(m *Main) {
		ch := make(chan struct{}, 1)
		passed[i] = ch
		i++
		m.clock = clock.Now
		m.KeyRotationInterval, m.KeyPublishAhead, m.KeyRetain = interval, publishAhead, time.Hour
		m.rotationCheck = 5 * time.Millisecond
		m.rotationPassed = func() {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	})
	// waitPasses returns once every node has made a whole pass of its
	// schedule after the call began (the second signal after draining).
	waitPasses := func() {
		t.Helper()
		deadline := time.NewTimer(10 * time.Second)
		defer deadline.Stop()
		for j, ch := range passed {
			select {
			case <-ch:
			default:
			}
			for range 2 {
				select {
				case <-ch:
				case <-deadline.C:
					t.Fatalf("node %d made no rotation pass in 10s", j+1)
				}
			}
		}
	}
	poolID, clientID := mnKeyUser(t, n)
	n[1].auTokens(clientID, "keyholder", auPassword) // the pool's first keys
	st, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	count := func() (total int) {
		for _, use := range []string{tokens.UseID, tokens.UseAccess} {
			keys, err := st.ListKeys(context.Background(), poolID, use)
			if err != nil {
				t.Fatal(err)
			}
			total += len(keys)
		}
		return total
	}

	clock.Advance(interval - time.Minute)
	waitPasses()
	if c := count(); c != 2 {
		t.Fatalf("%d signing keys before the interval passed, want 2", c)
	}
	old := mnIssue(t, n[1], poolID, clientID)
	clock.Advance(time.Minute)
	waitPasses()
	waitPasses()
	if c := count(); c != 4 {
		t.Fatalf("%d signing keys after the interval passed, want 4 (one rotation of each use)", c)
	}
	mnAfterRotation(t, n, clientID, old, clock, publishAhead)
}
