package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

const workers = 20

func errorsIsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// race runs fn(i) for i in [0, workers) at once and returns their errors.
func race(fn func(i int) error) []error {
	errs := make([]error, workers)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range workers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			errs[i] = fn(i)
		}()
	}
	start.Done()
	done.Wait()
	return errs
}

func testConcurrentUpdateUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.CreateUser(ctx, plainUser("p1", "alice")), "CreateUser")
	for i, err := range race(func(int) error {
		return s.UpdateUser(ctx, "p1", "alice", func(u *cognito.User) error {
			u.FailedAttempts++
			return nil
		})
	}) {
		must(t, err, "UpdateUser %d", i)
	}
	u, err := s.GetUser(ctx, "p1", "alice")
	must(t, err, "GetUser")
	if u.FailedAttempts != workers {
		t.Fatalf("FailedAttempts = %d after %d concurrent increments", u.FailedAttempts, workers)
	}
}

func testConcurrentCreateSameUsername(t *testing.T, s store.Store) {
	ctx := t.Context()
	errs := race(func(i int) error {
		u := plainUser("p1", "alice")
		u.Sub = fmt.Sprintf("sub-%d", i)
		return s.CreateUser(ctx, u)
	})
	created := 0
	for i, err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, store.ErrAlreadyExists):
			t.Errorf("CreateUser %d: %v, want nil or ErrAlreadyExists", i, err)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d concurrent CreateUser of one username succeeded", created, workers)
	}
	if n, _ := s.CountUsers(ctx, "p1"); n != 1 {
		t.Fatalf("CountUsers = %d", n)
	}
}

func testConcurrentCreateSameAlias(t *testing.T, s store.Store) {
	ctx := t.Context()
	errs := race(func(i int) error {
		u := plainUser("p1", fmt.Sprintf("user%02d", i))
		u.Aliases = map[string]string{"email": "shared@example.com"}
		return s.CreateUser(ctx, u)
	})
	winner, err := s.GetUserByAlias(ctx, "p1", "email", "shared@example.com")
	must(t, err, "GetUserByAlias")
	created := 0
	for i, err := range errs {
		if err == nil {
			created++
			if want := fmt.Sprintf("user%02d", i); winner.Username != want {
				t.Errorf("%s was created but the alias is held by %s", want, winner.Username)
			}
			continue
		}
		var ae *store.AliasExistsError
		if !errors.As(err, &ae) {
			t.Errorf("CreateUser %d: %v, want nil or *AliasExistsError", i, err)
		} else if ae.Kind != "email" || ae.Username != winner.Username {
			t.Errorf("CreateUser %d: alias %s held by %s, want email held by %s", i, ae.Kind, ae.Username, winner.Username)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d concurrent CreateUser holding one alias succeeded", created, workers)
	}
	if n, _ := s.CountUsers(ctx, "p1"); n != 1 {
		t.Fatalf("CountUsers = %d: losers were created", n)
	}
}
