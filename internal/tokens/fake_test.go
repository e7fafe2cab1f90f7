package tokens

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/store"
)

// fakeStore keeps keys in memory; only the key methods exist (the others
// panic through the nil embedded interface). It stands in for the real
// store, which is written elsewhere, in this package's unit tests only.
type fakeStore struct {
	store.Store

	mu    sync.Mutex
	keys  []cognito.Key
	lists int // ListKeys calls
}

func (f *fakeStore) CreateKey(_ context.Context, k cognito.Key) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, x := range f.keys {
		if x.ID == k.ID {
			return store.ErrAlreadyExists
		}
	}
	f.keys = append(f.keys, k)
	return nil
}

func (f *fakeStore) ListKeys(_ context.Context, poolID, use string) ([]cognito.Key, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists++
	var out []cognito.Key
	for _, k := range f.keys {
		if k.PoolID == poolID && k.Use == use {
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

func (f *fakeStore) DeleteKey(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, k := range f.keys {
		if k.ID == id {
			f.keys = append(f.keys[:i], f.keys[i+1:]...)
			return nil
		}
	}
	return store.ErrNotFound
}

func (f *fakeStore) listCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lists
}

func (f *fakeStore) count(poolID, use string) int {
	ks, _ := f.ListKeys(context.Background(), poolID, use)
	return len(ks)
}

// clock is a settable clock shared by the nodes of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testSealer is the server key all nodes of a test share.
var testSealer = func() *seal.Sealer {
	s, err := seal.New(seal.NewKey())
	if err != nil {
		panic(err)
	}
	return s
}()

// newNode returns a Service on st with clock c.
func newNode(st store.Store, c *clock) *Service {
	s := New(st, testSealer)
	s.Now = c.Now
	return s
}

// newTestService returns one node on a fresh store, with its clock.
func newTestService() (*Service, *fakeStore, *clock) {
	st, c := &fakeStore{}, newClock()
	return newNode(st, c), st, c
}
