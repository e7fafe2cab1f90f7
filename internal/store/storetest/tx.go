package storetest

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

var msgSeq atomic.Int64

// populate fills pool with one record of every kind, each owned by user.
func populate(t *testing.T, s store.Store, pool, user string) {
	t.Helper()
	ctx := t.Context()
	must(t, s.CreatePool(ctx, fullPool(pool)), "CreatePool")
	must(t, s.CreateClient(ctx, fullClient(pool, "client-"+pool)), "CreateClient")
	must(t, s.CreateUser(ctx, fullUser(pool, user)), "CreateUser")
	must(t, s.CreateGroup(ctx, fullGroup(pool, "g")), "CreateGroup")
	must(t, s.AddUserToGroup(ctx, pool, user, "g"), "AddUserToGroup")
	must(t, s.PutCode(ctx, cognito.Code{PoolID: pool, Username: user, Purpose: cognito.CodeSignUp, Hash: []byte("h")}), "PutCode")
	must(t, s.AddAttempt(ctx, pool, user, "Resend", t0, t0), "AddAttempt")
	must(t, s.CreateRefreshToken(ctx, cognito.RefreshToken{ID: "rt-" + pool, PoolID: pool, ClientID: "client-" + pool, Username: user}), "CreateRefreshToken")
	must(t, s.CreateKey(ctx, cognito.Key{ID: "key-" + pool, PoolID: pool, Use: "id", Material: []byte("m")}), "CreateKey")
	must(t, s.AddMessage(ctx, cognito.Message{ID: fmt.Sprintf("msg-%s-%d", pool, msgSeq.Add(1)), PoolID: pool, Username: user, Created: t0}), "AddMessage")
}

// present reports which records populate made are there.
func present(t *testing.T, s store.Store, pool, user string) map[string]bool {
	t.Helper()
	ctx := t.Context()
	found := func(err error) bool {
		t.Helper()
		if err != nil && !errorsIsNotFound(err) {
			t.Fatalf("unexpected error: %v", err)
		}
		return err == nil
	}
	_, poolErr := s.GetPool(ctx, pool)
	_, clientErr := s.GetClient(ctx, "client-"+pool)
	_, userErr := s.GetUser(ctx, pool, user)
	u := fullUser(pool, user)
	_, aliasErr := s.GetUserByAlias(ctx, pool, "email", u.Aliases["email"])
	_, groupErr := s.GetGroup(ctx, pool, "g")
	_, codeErr := s.GetCode(ctx, pool, user, cognito.CodeSignUp)
	_, tokenErr := s.GetRefreshToken(ctx, "rt-"+pool)
	groups, err := s.ListGroupsForUser(ctx, pool, user, store.Page{})
	must(t, err, "ListGroupsForUser")
	keys, err := s.ListKeys(ctx, pool, "id")
	must(t, err, "ListKeys")
	msgs, err := s.ListMessages(ctx, store.MessageFilter{PoolID: pool})
	must(t, err, "ListMessages")
	n, err := s.CountUsers(ctx, pool)
	must(t, err, "CountUsers")
	attempts, err := s.CountAttempts(ctx, pool, user, "Resend", t0)
	must(t, err, "CountAttempts")
	return map[string]bool{
		"pool": found(poolErr), "client": found(clientErr), "user": found(userErr), "alias": found(aliasErr),
		"group": found(groupErr), "code": found(codeErr), "token": found(tokenErr),
		"membership": len(groups) > 0, "key": len(keys) > 0, "message": len(msgs) > 0, "counted": n > 0,
		"attempt": attempts > 0,
	}
}

func allPresent(v bool) map[string]bool {
	m := map[string]bool{}
	for _, k := range []string{"pool", "client", "user", "alias", "group", "code", "token", "membership", "key", "message", "counted", "attempt"} {
		m[k] = v
	}
	return m
}

func testDeletePoolCascade(t *testing.T, s store.Store) {
	ctx := t.Context()
	populate(t, s, "p1", "alice")
	populate(t, s, "p2", "alice")
	must(t, s.DeletePool(ctx, "p1"), "DeletePool")
	want := allPresent(false)
	want["message"] = true // the outbox outlives the pool
	same(t, "p1 after DeletePool", present(t, s, "p1", "alice"), want)
	same(t, "p2 after DeletePool of p1", present(t, s, "p2", "alice"), allPresent(true))
	isErr(t, s.DeletePool(ctx, "p1"), store.ErrNotFound, "DeletePool twice")
	// The pool can be made again from nothing.
	populate(t, s, "p1", "alice")
}

func testTxCommit(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.Tx(ctx, func(tx store.Store) error {
		populate(t, tx, "p1", "alice")
		// The transaction reads its own writes.
		same(t, "inside the transaction", present(t, tx, "p1", "alice"), allPresent(true))
		return nil
	}), "Tx")
	same(t, "after commit", present(t, s, "p1", "alice"), allPresent(true))
}

func testTxRollback(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.CreateUser(ctx, fullUser("p0", "bob")), "CreateUser")
	err := s.Tx(ctx, func(tx store.Store) error {
		populate(t, tx, "p1", "alice")
		must(t, tx.UpdateUser(ctx, "p0", "bob", func(u *cognito.User) error {
			u.FailedAttempts = 42
			delete(u.Aliases, "email")
			return nil
		}), "UpdateUser")
		must(t, tx.DeleteUser(ctx, "p0", "bob"), "DeleteUser")
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("Tx: got %v, want fn's error as is", err)
	}
	same(t, "after rollback", present(t, s, "p1", "alice"), allPresent(false))
	got, err := s.GetUser(ctx, "p0", "bob")
	must(t, err, "GetUser after rollback")
	sameUser(t, "bob after rollback", got, fullUser("p0", "bob"))
	got, err = s.GetUserByAlias(ctx, "p0", "email", got.Aliases["email"])
	must(t, err, "bob's alias after rollback")
	if got.Username != "bob" {
		t.Fatalf("alias resolves to %s", got.Username)
	}
	// A failed call inside a transaction leaves the transaction usable.
	must(t, s.Tx(ctx, func(tx store.Store) error {
		isErr(t, tx.CreateUser(ctx, fullUser("p0", "bob")), store.ErrAlreadyExists, "CreateUser in Tx")
		must(t, tx.CreatePool(ctx, fullPool("p0")), "CreatePool after a failed call")
		return nil
	}), "Tx")
	_, err = s.GetPool(ctx, "p0")
	must(t, err, "GetPool after Tx with a failed call")
}

func testTxNested(t *testing.T, s store.Store) {
	ctx := t.Context()
	err := s.Tx(ctx, func(outer store.Store) error {
		must(t, outer.CreatePool(ctx, fullPool("p1")), "CreatePool")
		must(t, outer.Tx(ctx, func(inner store.Store) error {
			// The same transaction: the outer write is visible.
			if _, err := inner.GetPool(ctx, "p1"); err != nil {
				t.Fatalf("inner Tx does not see the outer write: %v", err)
			}
			return inner.CreateUser(ctx, fullUser("p1", "alice"))
		}), "inner Tx")
		if _, err := outer.GetUser(ctx, "p1", "alice"); err != nil {
			t.Fatalf("outer Tx does not see the inner write: %v", err)
		}
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("Tx: got %v, want fn's error as is", err)
	}
	_, err = s.GetUser(ctx, "p1", "alice")
	isErr(t, err, store.ErrNotFound, "inner write after the outer rollback")
	_, err = s.GetPool(ctx, "p1")
	isErr(t, err, store.ErrNotFound, "outer write after rollback")
}
