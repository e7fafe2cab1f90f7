package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// plainUser is a confirmed user with no attributes but its sub.
func plainUser(pool, username string) cognito.User {
	return cognito.User{PoolID: pool, Username: username, Sub: "sub-" + username,
		Status: cognito.StatusConfirmed, Enabled: true, Created: t0, Modified: t0}
}

// fullUser sets every field of a User.
func fullUser(pool, username string) cognito.User {
	return cognito.User{
		PoolID:   pool,
		Username: username,
		Sub:      "sub-" + username,
		Status:   cognito.StatusConfirmed,
		Enabled:  true,
		Attributes: map[string]string{
			"email":          username + "@example.com",
			"email_verified": "true",
			"custom:tier":    "gold",
			"dev:custom:x":   "ünïcødé ✓",
		},
		Created:          at(time.Hour),
		Modified:         at(2 * time.Hour),
		Credential:       []byte{0, 1, 2, 3, 0xfe, 0xff},
		PasswordSetAt:    at(3 * time.Hour),
		TokensValidAfter: at(4 * time.Hour),
		Pending:          map[string]string{"email": "new-" + username + "@example.com"},
		FailedAttempts:   2,
		LockedUntil:      at(5 * time.Hour),
		Extra:            []byte(`{"mfa":["SOFTWARE_TOKEN_MFA"]}`),
		Aliases:          map[string]string{"email": username + "@example.com", "preferred_username": "pref-" + username},
	}
}

// norm is u as a backend returns it.
func norm(u cognito.User) cognito.User {
	u = u.Clone()
	u.Created, u.Modified = micro(u.Created), micro(u.Modified)
	u.PasswordSetAt, u.TokensValidAfter, u.LockedUntil = micro(u.PasswordSetAt), micro(u.TokensValidAfter), micro(u.LockedUntil)
	u.Extra = bytesOrNil(u.Extra)
	return u
}

// sameUser fails the test unless got is want as a backend returns it.
func sameUser(t *testing.T, what string, got, want cognito.User) {
	t.Helper()
	same(t, what, norm(got), norm(want))
}

// aliasErr fails the test unless err is an *AliasExistsError for kind held
// by holder.
func aliasErr(t *testing.T, err error, kind, holder, what string) {
	t.Helper()
	var ae *store.AliasExistsError
	if !errors.As(err, &ae) {
		t.Fatalf("%s: got error %v, want *store.AliasExistsError", what, err)
	}
	if ae.Kind != kind || ae.Username != holder {
		t.Fatalf("%s: got alias %s held by %s, want %s held by %s", what, ae.Kind, ae.Username, kind, holder)
	}
}

func testUserRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := fullUser("p1", "alice")
	must(t, s.CreateUser(ctx, u), "CreateUser")
	got, err := s.GetUser(ctx, "p1", "alice")
	must(t, err, "GetUser")
	sameUser(t, "GetUser", got, u)
	if got.Credential == nil || got.Extra == nil {
		t.Fatal("byte fields lost")
	}
	got, err = s.GetUserBySub(ctx, "p1", u.Sub)
	must(t, err, "GetUserBySub")
	sameUser(t, "GetUserBySub", got, u)
	for kind, value := range u.Aliases {
		got, err = s.GetUserByAlias(ctx, "p1", kind, value)
		must(t, err, "GetUserByAlias %s", kind)
		sameUser(t, "GetUserByAlias "+kind, got, u)
	}

	// Nil maps, nil credential and zero times stay so; empty maps stay empty.
	bare := cognito.User{PoolID: "p1", Username: "bare", Sub: "sub-bare", Status: cognito.StatusUnconfirmed,
		Attributes: map[string]string{}}
	must(t, s.CreateUser(ctx, bare), "CreateUser bare")
	got, err = s.GetUser(ctx, "p1", "bare")
	must(t, err, "GetUser bare")
	sameUser(t, "bare user", got, bare)
	if got.Credential != nil || got.Attributes == nil || got.Pending != nil || got.Aliases != nil {
		t.Fatalf("bare user: nil-ness not kept: %+v", got)
	}
	for _, tm := range []time.Time{got.Created, got.Modified, got.PasswordSetAt, got.TokensValidAfter, got.LockedUntil} {
		if !tm.IsZero() {
			t.Fatalf("zero time read back as %v", tm)
		}
	}
}

func testUserTimePrecision(t *testing.T, s store.Store) {
	ctx := t.Context()
	times := []time.Time{
		time.Date(2024, 1, 2, 3, 4, 5, 999999999, time.UTC),
		time.Date(1960, 6, 7, 8, 9, 10, 123456789, time.UTC), // before the Unix epoch
		time.Unix(0, 0),
		time.Date(2100, 1, 1, 0, 0, 0, 1000, time.FixedZone("X", 3600)),
		time.Now(), // with a monotonic reading
	}
	for i, tm := range times {
		u := plainUser("p1", "u"+string(rune('a'+i)))
		u.Created, u.LockedUntil = tm, tm
		must(t, s.CreateUser(ctx, u), "CreateUser")
		got, err := s.GetUser(ctx, "p1", u.Username)
		must(t, err, "GetUser")
		if !got.Created.Equal(tm.Truncate(time.Microsecond)) || !got.LockedUntil.Equal(tm.Truncate(time.Microsecond)) {
			t.Errorf("time %v read back as %v / %v", tm, got.Created, got.LockedUntil)
		}
	}
}

func testUserNotFound(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.CreateUser(ctx, fullUser("p1", "alice")), "CreateUser")
	for name, err := range map[string]error{
		"GetUser other pool": func() error { _, err := s.GetUser(ctx, "p2", "alice"); return err }(),
		"GetUser":            func() error { _, err := s.GetUser(ctx, "p1", "bob"); return err }(),
		"GetUser case":       func() error { _, err := s.GetUser(ctx, "p1", "Alice"); return err }(),
		"GetUserBySub":       func() error { _, err := s.GetUserBySub(ctx, "p1", "sub-bob"); return err }(),
		"GetUserByAlias":     func() error { _, err := s.GetUserByAlias(ctx, "p1", "email", "bob@example.com"); return err }(),
		"GetUserByAlias kind": func() error {
			_, err := s.GetUserByAlias(ctx, "p1", "phone_number", "alice@example.com")
			return err
		}(),
		"UpdateUser": s.UpdateUser(ctx, "p1", "bob", func(*cognito.User) error { return nil }),
		"DeleteUser": s.DeleteUser(ctx, "p1", "bob"),
	} {
		isErr(t, err, store.ErrNotFound, "%s", name)
	}
}

func testUserUniqueness(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice := fullUser("p1", "alice")
	must(t, s.CreateUser(ctx, alice), "CreateUser")

	dup := plainUser("p1", "alice")
	dup.Sub = "another-sub"
	isErr(t, s.CreateUser(ctx, dup), store.ErrAlreadyExists, "CreateUser taken username")

	sameSub := plainUser("p1", "alice2")
	sameSub.Sub = alice.Sub
	isErr(t, s.CreateUser(ctx, sameSub), store.ErrAlreadyExists, "CreateUser taken sub")
	_, err := s.GetUser(ctx, "p1", "alice2")
	isErr(t, err, store.ErrNotFound, "user with a taken sub was created")

	// An alias conflict names the holder; nothing of the new user stays.
	bob := fullUser("p1", "bob")
	bob.Aliases["email"] = alice.Aliases["email"]
	aliasErr(t, s.CreateUser(ctx, bob), "email", "alice", "CreateUser taken alias")
	_, err = s.GetUser(ctx, "p1", "bob")
	isErr(t, err, store.ErrNotFound, "user with a taken alias was created")
	_, err = s.GetUserByAlias(ctx, "p1", "preferred_username", "pref-bob")
	isErr(t, err, store.ErrNotFound, "alias of a user that was not created")

	// Keys are per pool, aliases per pool and kind.
	must(t, s.CreateUser(ctx, fullUser("p2", "alice")), "CreateUser same username and sub in another pool")
	carol := plainUser("p1", "carol")
	carol.Aliases = map[string]string{"preferred_username": alice.Aliases["email"]}
	must(t, s.CreateUser(ctx, carol), "CreateUser holding alice's email value as another kind")
	got, err := s.GetUserByAlias(ctx, "p1", "email", alice.Aliases["email"])
	must(t, err, "GetUserByAlias")
	if got.Username != "alice" {
		t.Fatalf("email alias resolves to %s", got.Username)
	}
}

func testUserUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := fullUser("p1", "alice")
	must(t, s.CreateUser(ctx, u), "CreateUser")
	must(t, s.UpdateUser(ctx, "p1", "alice", func(u *cognito.User) error {
		u.Status = cognito.StatusResetRequired
		u.Enabled = false
		u.Attributes["name"] = "Alice"
		delete(u.Attributes, "custom:tier")
		u.Pending = nil
		u.Credential = nil
		u.FailedAttempts = 5
		u.LockedUntil = time.Time{}
		u.Modified = at(9 * time.Hour)
		u.Extra = []byte(`{}`)
		return nil
	}), "UpdateUser")
	want := u.Clone()
	want.Status, want.Enabled = cognito.StatusResetRequired, false
	want.Attributes["name"] = "Alice"
	delete(want.Attributes, "custom:tier")
	want.Pending, want.Credential = nil, nil
	want.FailedAttempts, want.LockedUntil, want.Modified = 5, time.Time{}, at(9*time.Hour)
	want.Extra = []byte(`{}`)
	got, err := s.GetUser(ctx, "p1", "alice")
	must(t, err, "GetUser")
	sameUser(t, "updated user", got, want)

	err = s.UpdateUser(ctx, "p1", "alice", func(u *cognito.User) error {
		u.Status = "must not be written"
		u.Aliases = nil
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("UpdateUser with failing closure: got %v, want the closure's error as is", err)
	}
	got, _ = s.GetUser(ctx, "p1", "alice")
	sameUser(t, "user after failed update", got, want)
	got, err = s.GetUserByAlias(ctx, "p1", "email", u.Aliases["email"])
	must(t, err, "alias after failed update")
	if got.Username != "alice" {
		t.Fatalf("alias resolves to %s", got.Username)
	}
}

func testUserAliasUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice, bob := fullUser("p1", "alice"), fullUser("p1", "bob")
	must(t, s.CreateUser(ctx, alice), "CreateUser alice")
	must(t, s.CreateUser(ctx, bob), "CreateUser bob")

	// Taking a held alias fails, and the whole update with it: bob's
	// release of his preferred_username does not happen either.
	err := s.UpdateUser(ctx, "p1", "bob", func(u *cognito.User) error {
		delete(u.Aliases, "preferred_username")
		u.Aliases["email"] = alice.Aliases["email"]
		u.Attributes["email"] = alice.Attributes["email"]
		return nil
	})
	aliasErr(t, err, "email", "alice", "UpdateUser taking a held alias")
	got, _ := s.GetUser(ctx, "p1", "bob")
	sameUser(t, "bob after failed update", got, bob)
	got, err = s.GetUserByAlias(ctx, "p1", "preferred_username", "pref-bob")
	must(t, err, "bob's alias after failed update")
	if got.Username != "bob" {
		t.Fatalf("pref-bob resolves to %s", got.Username)
	}

	// Releasing an alias lets another user take it.
	must(t, s.UpdateUser(ctx, "p1", "alice", func(u *cognito.User) error {
		delete(u.Aliases, "email")
		return nil
	}), "UpdateUser releasing email")
	_, err = s.GetUserByAlias(ctx, "p1", "email", alice.Aliases["email"])
	isErr(t, err, store.ErrNotFound, "released alias")
	must(t, s.UpdateUser(ctx, "p1", "bob", func(u *cognito.User) error {
		u.Aliases["email"] = alice.Aliases["email"]
		return nil
	}), "UpdateUser taking the released alias")
	got, err = s.GetUserByAlias(ctx, "p1", "email", alice.Aliases["email"])
	must(t, err, "GetUserByAlias")
	if got.Username != "bob" {
		t.Fatalf("taken alias resolves to %s", got.Username)
	}
	_, err = s.GetUserByAlias(ctx, "p1", "email", bob.Aliases["email"])
	isErr(t, err, store.ErrNotFound, "bob's old email after changing it")

	// A new user can take bob's old value; an unchanged alias is no conflict.
	carol := plainUser("p1", "carol")
	carol.Aliases = map[string]string{"email": bob.Aliases["email"]}
	must(t, s.CreateUser(ctx, carol), "CreateUser with a released value")
	must(t, s.UpdateUser(ctx, "p1", "carol", func(u *cognito.User) error {
		u.Attributes = map[string]string{"name": "Carol"}
		return nil
	}), "UpdateUser keeping its aliases")
}

func testDeleteUserCascade(t *testing.T, s store.Store) {
	ctx := t.Context()
	alice, bob := fullUser("p1", "alice"), fullUser("p1", "bob")
	for _, u := range []cognito.User{alice, bob} {
		must(t, s.CreateUser(ctx, u), "CreateUser")
		must(t, s.AddUserToGroup(ctx, "p1", u.Username, "g"), "AddUserToGroup")
		must(t, s.PutCode(ctx, cognito.Code{PoolID: "p1", Username: u.Username, Purpose: cognito.CodeSignUp, Hash: []byte("h")}), "PutCode")
		must(t, s.CreateRefreshToken(ctx, cognito.RefreshToken{ID: "rt-" + u.Username, PoolID: "p1", ClientID: "c", Username: u.Username}), "CreateRefreshToken")
		must(t, s.AddAttempt(ctx, "p1", u.Username, "Resend", t0, t0), "AddAttempt")
	}
	must(t, s.CreateGroup(ctx, cognito.Group{UserPoolId: "p1", GroupName: "g"}), "CreateGroup")

	must(t, s.DeleteUser(ctx, "p1", "alice"), "DeleteUser")
	_, err := s.GetUser(ctx, "p1", "alice")
	isErr(t, err, store.ErrNotFound, "GetUser after delete")
	_, err = s.GetCode(ctx, "p1", "alice", cognito.CodeSignUp)
	isErr(t, err, store.ErrNotFound, "code after DeleteUser")
	_, err = s.GetRefreshToken(ctx, "rt-alice")
	isErr(t, err, store.ErrNotFound, "refresh token after DeleteUser")
	same(t, "alice's attempts after DeleteUser", countAttempts(t, s, "p1", "alice", "Resend", t0), 0)
	same(t, "bob's attempts after alice's DeleteUser", countAttempts(t, s, "p1", "bob", "Resend", t0), 1)
	groups, err := s.ListGroupsForUser(ctx, "p1", "alice", store.Page{})
	must(t, err, "ListGroupsForUser")
	if len(groups) != 0 {
		t.Fatalf("memberships survive DeleteUser: %v", groups)
	}
	members, err := s.ListUsersInGroup(ctx, "p1", "g", store.Page{Limit: 10})
	must(t, err, "ListUsersInGroup")
	if len(members) != 1 || members[0].Username != "bob" {
		t.Fatalf("members after DeleteUser: %v", members)
	}
	// A user of the same name starts afresh, and alice's aliases are free.
	must(t, s.CreateUser(ctx, alice), "CreateUser again")
	groups, _ = s.ListGroupsForUser(ctx, "p1", "alice", store.Page{})
	if len(groups) != 0 {
		t.Fatalf("a new user inherited memberships: %v", groups)
	}
	// bob is untouched.
	_, err = s.GetCode(ctx, "p1", "bob", cognito.CodeSignUp)
	must(t, err, "bob's code")
	_, err = s.GetRefreshToken(ctx, "rt-bob")
	must(t, err, "bob's token")
	isErr(t, s.DeleteUser(ctx, "p1", "nobody"), store.ErrNotFound, "DeleteUser missing")
}
