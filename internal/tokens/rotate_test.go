package tokens

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestRotateDue_OnlyWhenNewestKeyIsOldEnough(t *testing.T) {
	st, c := &fakeStore{}, newClock()
	s := newNode(st, c)
	ctx := context.Background()
	const interval = 30 * 24 * time.Hour

	if did, err := s.RotateDue(ctx, testPool, UseID, interval, time.Minute, time.Hour); err != nil || did {
		t.Fatalf("pool without keys: RotateDue = %v, %v; want false, nil", did, err)
	}
	if n := st.count(testPool, UseID); n != 0 {
		t.Fatalf("RotateDue created %d keys for a pool without keys", n)
	}
	first := kidOf(t, s, testPool, UseID)
	c.Advance(interval - time.Second)
	if did, err := s.RotateDue(ctx, testPool, UseID, interval, time.Minute, time.Hour); err != nil || did {
		t.Fatalf("key younger than the interval: RotateDue = %v, %v; want false, nil", did, err)
	}
	c.Advance(time.Second)
	if did, err := s.RotateDue(ctx, testPool, UseID, interval, time.Minute, time.Hour); err != nil || !did {
		t.Fatalf("due: RotateDue = %v, %v; want true, nil", did, err)
	}
	if n := st.count(testPool, UseID); n != 2 {
		t.Fatalf("after a rotation the store holds %d keys, want 2", n)
	}
	// The new key is the newest: nothing is due until another interval.
	if did, err := s.RotateDue(ctx, testPool, UseID, interval, time.Minute, time.Hour); err != nil || did {
		t.Fatalf("right after the rotation: RotateDue = %v, %v; want false, nil", did, err)
	}
	c.Advance(time.Minute)
	if kid := kidOf(t, s, testPool, UseID); kid == first {
		t.Errorf("still signing with the old key after publishAhead")
	}
	if _, err := s.RotateDue(ctx, testPool, useSession, interval, 0, 0); err == nil {
		t.Errorf("RotateDue of session keys succeeded")
	}
	if _, err := s.RotateDue(ctx, testPool, UseID, 0, 0, 0); err == nil {
		t.Errorf("RotateDue with interval 0 succeeded")
	}
}

// Nodes that run the schedule at the same moment rotate once.
func TestRotateDue_NodesRacingRotateOnce(t *testing.T) {
	st, c := &fakeStore{}, newClock()
	nodes := []*Service{newNode(st, c), newNode(st, c), newNode(st, c), newNode(st, c)}
	ctx := context.Background()
	kidOf(t, nodes[0], testPool, UseAccess)
	c.Advance(48 * time.Hour)

	var wg sync.WaitGroup
	rotated := make([]bool, len(nodes))
	start := make(chan struct{})
	for i, n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			did, err := n.RotateDue(ctx, testPool, UseAccess, 24*time.Hour, time.Minute, time.Hour)
			if err != nil {
				t.Errorf("node %d: %v", i, err)
			}
			rotated[i] = did
		}()
	}
	close(start)
	wg.Wait()
	count := 0
	for _, did := range rotated {
		if did {
			count++
		}
	}
	if count != 1 {
		t.Errorf("%d nodes rotated, want 1", count)
	}
	if n := st.count(testPool, UseAccess); n != 2 {
		t.Errorf("store holds %d keys, want 2 (the retired one and one new)", n)
	}
}
