package tokens

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func kidOf(t *testing.T, s *Service, pool, use string) string {
	t.Helper()
	return headerOf(t, mustSign(t, s, pool, use, testClaims(use)))["kid"].(string)
}

func TestTwoNodes_SameKeysTokensAndSessions(t *testing.T) {
	st, c := &fakeStore{}, newClock()
	a, b := newNode(st, c), newNode(st, c)
	ctx := context.Background()
	for _, use := range []string{UseID, UseAccess} {
		t.Run(use, func(t *testing.T) {
			if ka, kb := kidOf(t, a, testPool, use), kidOf(t, b, testPool, use); ka != kb {
				t.Errorf("nodes sign with different kids %s and %s", ka, kb)
			}
			for _, n := range []struct {
				name         string
				signer, veri *Service
			}{{"a to b", a, b}, {"b to a", b, a}} {
				tok := mustSign(t, n.signer, testPool, use, testClaims(use))
				if _, err := n.veri.Verify(ctx, testPool, use, tok); err != nil {
					t.Errorf("%s: Verify: %v", n.name, err)
				}
			}
		})
	}
	if n := st.count(testPool, UseID) + st.count(testPool, UseAccess); n != 2 {
		t.Errorf("store holds %d signing keys, want 2", n)
	}
	t.Run("sessions", func(t *testing.T) {
		sealed, err := a.SealSession(ctx, "challenge", []byte("state"), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := b.OpenSession(ctx, "challenge", sealed); err != nil || string(got) != "state" {
			t.Errorf("b.OpenSession = %q, %v", got, err)
		}
		sealed, err = b.SealSession(ctx, "challenge", []byte("back"), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := a.OpenSession(ctx, "challenge", sealed); err != nil || string(got) != "back" {
			t.Errorf("a.OpenSession = %q, %v", got, err)
		}
		if n := st.count("", useSession); n != 1 {
			t.Errorf("store holds %d session keys, want 1", n)
		}
	})
}

// Nodes that raced to create a pool's first key converge on the oldest.
func TestTwoNodes_CreationRaceConvergesOnOldestKey(t *testing.T) {
	st, c := &fakeStore{}, newClock()
	ctx := context.Background()
	a, b := newNode(st, c), newNode(st, c)
	// Two nodes each stored a key (b's a moment later) before either listed.
	if _, err := a.createKey(ctx, testPool, UseID, c.Now(), c.Now()); err != nil {
		t.Fatal(err)
	}
	later := c.Now().Add(time.Millisecond)
	if _, err := b.createKey(ctx, testPool, UseID, later, later); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if ka, kb := kidOf(t, a, testPool, UseID), kidOf(t, b, testPool, UseID); ka != kb {
		t.Errorf("nodes sign with %s and %s", ka, kb)
	}

	// Concurrent first use on a fresh pool: whatever each node picked,
	// once caches expire every node signs with the same kid and no more
	// keys are created.
	const pool = "us-east-1_RaceRace1"
	var wg sync.WaitGroup
	for _, n := range []*Service{a, b, a, b} {
		wg.Go(func() {
			if _, err := n.Sign(ctx, pool, UseAccess, testClaims(UseAccess)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	created := st.count(pool, UseAccess)
	c.Advance(cacheTTL)
	if ka, kb := kidOf(t, a, pool, UseAccess), kidOf(t, b, pool, UseAccess); ka != kb {
		t.Errorf("after the race nodes sign with %s and %s", ka, kb)
	}
	if n := st.count(pool, UseAccess); n != created || n > 2 {
		t.Errorf("keys: %d after the race, %d later", created, n)
	}
}

func TestRotate_PublishesAheadAndRetainsOldKey(t *testing.T) {
	st, c := &fakeStore{}, newClock()
	ctx := context.Background()
	a, b := newNode(st, c), newNode(st, c)
	const ahead, retain = 2 * time.Minute, 10 * time.Minute

	oldKid := kidOf(t, a, testPool, UseAccess)
	idKid := kidOf(t, a, testPool, UseID)
	oldTok := mustSign(t, b, testPool, UseAccess, testClaims(UseAccess)) // b caches the old key
	if err := a.Rotate(ctx, testPool, UseAccess, ahead, retain); err != nil {
		t.Fatal(err)
	}

	jwks := kidsOf(fetchJWKS(t, a, testPool))
	if len(jwks) != 3 || !slices.Contains(jwks, oldKid) || !slices.Contains(jwks, idKid) {
		t.Fatalf("JWKS after Rotate = %v, want the ID key, the old and the new access key", jwks)
	}
	var newKid string
	for _, k := range jwks {
		if k != oldKid && k != idKid {
			newKid = k
		}
	}

	steps := []struct {
		name     string
		advance  time.Duration
		signs    string   // kid both nodes sign access tokens with
		inJWKS   []string // access kids published
		oldValid bool     // oldTok still verifies
	}{
		{"just rotated", 0, oldKid, []string{oldKid, newKid}, true},
		{"before NotBefore", ahead - time.Second, oldKid, []string{oldKid, newKid}, true},
		{"at NotBefore", time.Second, newKid, []string{oldKid, newKid}, true},
		{"retained", retain - time.Second, newKid, []string{oldKid, newKid}, true},
		{"old key expired", time.Second, newKid, []string{newKid}, false},
	}
	for _, step := range steps {
		c.Advance(step.advance)
		t.Run(step.name, func(t *testing.T) {
			if got := kidOf(t, a, testPool, UseAccess); got != step.signs {
				t.Errorf("rotating node signs with %s, want %s", got, step.signs)
			}
			// b sees the rotation when its cache expires, no later than
			// NotBefore (ahead >= cacheTTL).
			if step.advance >= cacheTTL || step.name == "at NotBefore" {
				if got := kidOf(t, b, testPool, UseAccess); got != step.signs {
					t.Errorf("other node signs with %s, want %s", got, step.signs)
				}
			}
			want := append([]string{idKid}, step.inJWKS...)
			if got := kidsOf(fetchJWKS(t, a, testPool)); !sameSet(got, want) {
				t.Errorf("JWKS kids = %v, want %v", got, want)
			}
			_, err := b.Verify(ctx, testPool, UseAccess, oldTok)
			if step.oldValid && err != nil {
				t.Errorf("token of the old key: %v", err)
			}
			if !step.oldValid && !errors.Is(err, ErrInvalidToken) {
				t.Errorf("token of an expired key: %v, want ErrInvalidToken", err)
			}
		})
	}
	c.Advance(cacheTTL) // the next listing deletes expired keys
	kidOf(t, b, testPool, UseAccess)
	if n := st.count(testPool, UseAccess); n != 1 {
		t.Errorf("store holds %d access keys after expiry, want 1 (expired ones deleted)", n)
	}
	if got := kidOf(t, a, testPool, UseID); got != idKid {
		t.Errorf("rotating access keys changed the ID key")
	}
}

func TestRotate_Twice(t *testing.T) {
	s, st, c := newTestService()
	ctx := context.Background()
	first := kidOf(t, s, testPool, UseID)
	for i := range 2 {
		if err := s.Rotate(ctx, testPool, UseID, time.Minute, time.Hour); err != nil {
			t.Fatalf("Rotate %d: %v", i, err)
		}
	}
	if got := kidOf(t, s, testPool, UseID); got != first {
		t.Errorf("signs with %s before NotBefore, want %s", got, first)
	}
	c.Advance(time.Minute)
	second := kidOf(t, s, testPool, UseID)
	if second == first {
		t.Error("still signs with the first key")
	}
	if n := len(fetchJWKS(t, s, testPool).Keys); n != 4 {
		t.Errorf("JWKS has %d keys, want 4 (3 ID keys, 1 access)", n)
	}
	c.Advance(time.Hour)
	if n := len(fetchJWKS(t, s, testPool).Keys); n != 2 {
		t.Errorf("JWKS has %d keys after retention, want 2", n)
	}
	if n := st.count(testPool, UseID); n != 1 {
		t.Errorf("%d ID keys stored after retention, want 1", n)
	}
	if got := kidOf(t, s, testPool, UseID); got != second {
		t.Errorf("signs with %s, want %s", got, second)
	}
}

func TestRotate_BadArguments(t *testing.T) {
	s, _, _ := newTestService()
	cases := []struct {
		name          string
		use           string
		ahead, retain time.Duration
	}{
		{"session use", useSession, 0, 0},
		{"unknown use", "refresh", 0, 0},
		{"negative publishAhead", UseID, -time.Second, 0},
		{"negative retain", UseID, 0, -time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Rotate(context.Background(), testPool, tc.use, tc.ahead, tc.retain); err == nil {
				t.Error("Rotate succeeded")
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
