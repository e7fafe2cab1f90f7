package storetest

import (
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/store"
)

func countAttempts(t *testing.T, s store.Store, pool, user, action string, since time.Time) int {
	t.Helper()
	n, err := s.CountAttempts(t.Context(), pool, user, action, since)
	must(t, err, "CountAttempts(%s, %s, %s)", pool, user, action)
	return n
}

func testAttempts(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, d := range []time.Duration{0, time.Minute, 2 * time.Minute} {
		must(t, s.AddAttempt(ctx, "p1", "alice", "Resend", at(d), at(-time.Hour)), "AddAttempt")
	}
	must(t, s.AddAttempt(ctx, "p1", "alice", "Verify", at(0), at(-time.Hour)), "AddAttempt other action")
	must(t, s.AddAttempt(ctx, "p1", "bob", "Resend", at(0), at(-time.Hour)), "AddAttempt other user")
	must(t, s.AddAttempt(ctx, "p2", "alice", "Resend", at(0), at(-time.Hour)), "AddAttempt other pool")

	same(t, "all of alice's Resend attempts", countAttempts(t, s, "p1", "alice", "Resend", at(-time.Hour)), 3)
	same(t, "attempts since the second (inclusive)", countAttempts(t, s, "p1", "alice", "Resend", at(time.Minute)), 2)
	same(t, "attempts since after the last", countAttempts(t, s, "p1", "alice", "Resend", at(3*time.Minute)), 0)
	same(t, "alice's Verify attempts", countAttempts(t, s, "p1", "alice", "Verify", at(-time.Hour)), 1)
	same(t, "unknown user's attempts", countAttempts(t, s, "p1", "carol", "Resend", at(-time.Hour)), 0)

	// AttemptTimes lists what CountAttempts counts, newest first.
	times, err := s.AttemptTimes(ctx, "p1", "alice", "Resend", at(time.Minute), 10)
	must(t, err, "AttemptTimes")
	if len(times) != 2 || !times[0].Equal(micro(at(2*time.Minute))) || !times[1].Equal(micro(at(time.Minute))) {
		t.Errorf("AttemptTimes since the second = %v, want [%v %v]", times, micro(at(2*time.Minute)), micro(at(time.Minute)))
	}
	times, err = s.AttemptTimes(ctx, "p1", "alice", "Resend", at(-time.Hour), 2)
	must(t, err, "AttemptTimes limited")
	if len(times) != 2 || !times[0].Equal(micro(at(2*time.Minute))) {
		t.Errorf("AttemptTimes limited to 2 = %v, want the two newest", times)
	}
	times, err = s.AttemptTimes(ctx, "p1", "carol", "Resend", at(-time.Hour), 10)
	must(t, err, "AttemptTimes unknown user")
	same(t, "unknown user's attempt times", len(times), 0)

	// Adding one prunes every attempt of the pool that has aged out,
	// whoever made it, and nothing in other pools.
	must(t, s.AddAttempt(ctx, "p1", "alice", "Resend", at(time.Hour), at(90*time.Second)), "AddAttempt pruning")
	same(t, "alice's Resend attempts left after pruning", countAttempts(t, s, "p1", "alice", "Resend", time.Time{}), 2)
	same(t, "alice's Verify attempts after pruning", countAttempts(t, s, "p1", "alice", "Verify", time.Time{}), 0)
	same(t, "bob's attempts after pruning", countAttempts(t, s, "p1", "bob", "Resend", time.Time{}), 0)
	same(t, "another pool's attempts after pruning", countAttempts(t, s, "p2", "alice", "Resend", time.Time{}), 1)

	// Inside a transaction (where counting also locks the name, user or
	// not) an attempt that rolls back is not kept.
	err = s.Tx(ctx, func(tx store.Store) error {
		same(t, "attempts counted inside the tx", countAttempts(t, tx, "p1", "nobody", "Resend", time.Time{}), 0)
		must(t, tx.AddAttempt(ctx, "p1", "nobody", "Resend", at(time.Hour), at(-time.Hour)), "AddAttempt in tx")
		same(t, "attempts seen inside the tx", countAttempts(t, tx, "p1", "nobody", "Resend", time.Time{}), 1)
		return errBoom
	})
	isErr(t, err, errBoom, "Tx")
	same(t, "attempts after rollback", countAttempts(t, s, "p1", "nobody", "Resend", time.Time{}), 0)
}
