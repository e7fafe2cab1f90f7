package storetest

import (
	"fmt"
	"sort"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// usernames lists the usernames of users.
func usernames(users []cognito.User) []string {
	out := []string{}
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}

// listAll pages through ListUsers with the given page size, checking that
// pages are full but the last, ordered, and never repeat a user.
func listAll(t *testing.T, s store.Store, pool string, f *store.UserFilter, size int) []string {
	t.Helper()
	var all []string
	seen := map[string]bool{}
	after := ""
	for {
		page, err := s.ListUsers(t.Context(), pool, f, store.Page{After: after, Limit: size})
		must(t, err, "ListUsers %+v after %q", f, after)
		if len(page) > size {
			t.Fatalf("ListUsers returned %d users, limit %d", len(page), size)
		}
		for _, u := range page {
			if seen[u.Username] {
				t.Fatalf("ListUsers repeated %q", u.Username)
			}
			if u.PoolID != pool {
				t.Fatalf("ListUsers(%s) returned a user of %s", pool, u.PoolID)
			}
			seen[u.Username] = true
			all = append(all, u.Username)
			after = u.Username
		}
		if len(page) < size {
			return all
		}
	}
}

func testListUsersPaging(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Order is byte-wise: upper case before lower case, ASCII before the rest.
	names := []string{"zoë", "alpha", "Zed", "été", "émile", "a_b", "a%b", "a", "ab", "b", "B", "0", "ünter", "日本"}
	for i := range 16 {
		names = append(names, fmt.Sprintf("user%02d", (i*7)%16))
	}
	for _, n := range names {
		must(t, s.CreateUser(ctx, plainUser("p1", n)), "CreateUser %s", n)
	}
	must(t, s.CreateUser(ctx, plainUser("p0", "other")), "CreateUser in another pool")
	must(t, s.CreateUser(ctx, plainUser("p2", "other")), "CreateUser in another pool")
	want := append([]string(nil), names...)
	sort.Strings(want)
	for _, size := range []int{1, 7, len(names), 100} {
		same(t, fmt.Sprintf("pages of %d", size), listAll(t, s, "p1", nil, size), want)
	}
	page, err := s.ListUsers(ctx, "p1", nil, store.Page{After: want[len(want)-1], Limit: 5})
	must(t, err, "ListUsers after the last")
	if len(page) != 0 {
		t.Fatalf("page after the last user: %v", usernames(page))
	}
	page, err = s.ListUsers(ctx, "p1", nil, store.Page{After: "user05x", Limit: 3})
	must(t, err, "ListUsers after a missing username")
	same(t, "page after a username that does not exist", usernames(page), []string{"user06", "user07", "user08"})
	page, _ = s.ListUsers(ctx, "p3", nil, store.Page{Limit: 5})
	if len(page) != 0 {
		t.Fatalf("users of an empty pool: %v", usernames(page))
	}
}

func testListUsersFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	users := []struct {
		name, status string
		enabled      bool
		attrs        map[string]string
	}{
		{"alice", cognito.StatusConfirmed, true, map[string]string{"email": "Alice@Example.com", "phone_number": "+15550001",
			"name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell", "preferred_username": "Ally"}},
		{"bob", cognito.StatusUnconfirmed, false, map[string]string{"email": "bob@example.org", "phone_number": "+15550002",
			"name": "Bob Builder", "given_name": "Bob", "family_name": "Builder", "preferred_username": "bobby"}},
		{"carol", cognito.StatusForceChangePassword, true, map[string]string{"email": "carol@EXAMPLE.com", "phone_number": "+4470000",
			"name": "Carol", "given_name": "Carol", "family_name": "LIDDELL", "custom:x": "alice"}},
		{"Dave", cognito.StatusConfirmed, true, map[string]string{"name": "ÉLODIE Dave"}},
	}
	for _, u := range users {
		cu := plainUser("p1", u.name)
		cu.Status, cu.Enabled, cu.Attributes = u.status, u.enabled, u.attrs
		must(t, s.CreateUser(ctx, cu), "CreateUser %s", u.name)
	}
	// The same people in another pool must never show.
	for _, u := range users {
		cu := plainUser("p2", u.name)
		cu.Status, cu.Enabled, cu.Attributes = u.status, u.enabled, u.attrs
		must(t, s.CreateUser(ctx, cu), "CreateUser %s", u.name)
	}
	eq := func(attr, v string) store.UserFilter { return store.UserFilter{Attr: attr, Value: v} }
	pre := func(attr, v string) store.UserFilter { return store.UserFilter{Attr: attr, Value: v, Prefix: true} }
	all := []string{"Dave", "alice", "bob", "carol"}
	for _, tc := range []struct {
		f    store.UserFilter
		want []string
	}{
		{eq("username", "alice"), []string{"alice"}},
		{eq("username", "ALICE"), nil},
		{pre("username", "a"), []string{"alice"}},
		{pre("username", "D"), []string{"Dave"}},
		{pre("username", "d"), nil},
		{pre("username", ""), all},
		{eq("sub", "sub-bob"), []string{"bob"}},
		{eq("sub", "SUB-BOB"), nil},
		{pre("sub", "sub-"), all},
		{eq("email", "alice@example.com"), []string{"alice"}},
		{eq("email", "ALICE@EXAMPLE.COM"), []string{"alice"}},
		{eq("email", "alice@example.co"), nil},
		{pre("email", "alice@example.co"), []string{"alice"}},
		{pre("email", "CAROL@"), []string{"carol"}},
		{pre("email", "x"), nil},
		{eq("phone_number", "+15550002"), []string{"bob"}},
		{pre("phone_number", "+1555"), []string{"alice", "bob"}},
		{eq("name", "alice liddell"), []string{"alice"}},
		{pre("name", "B"), []string{"bob"}},
		{pre("name", "élodie"), []string{"Dave"}},
		{eq("given_name", "CAROL"), []string{"carol"}},
		{pre("given_name", "ca"), []string{"carol"}},
		{eq("family_name", "liddell"), []string{"alice", "carol"}},
		{pre("family_name", "BUI"), []string{"bob"}},
		{eq("preferred_username", "BOBBY"), []string{"bob"}},
		{pre("preferred_username", "al"), []string{"alice"}},
		{eq("cognito:user_status", "confirmed"), []string{"Dave", "alice"}},
		{eq("cognito:user_status", "CONFIRMED"), []string{"Dave", "alice"}},
		{eq("cognito:user_status", "UNCONFIRMED"), []string{"bob"}},
		{pre("cognito:user_status", "force"), []string{"carol"}},
		{eq("status", "Enabled"), []string{"Dave", "alice", "carol"}},
		{eq("status", "Disabled"), []string{"bob"}},
		{eq("status", "enabled"), nil},
		{pre("status", "Dis"), []string{"bob"}},
		{pre("status", "E"), []string{"Dave", "alice", "carol"}},
		{pre("status", ""), all},
		{eq("email", "nobody@example.com"), nil},
	} {
		t.Run(fmt.Sprintf("%s/%v/%s", tc.f.Attr, tc.f.Prefix, tc.f.Value), func(t *testing.T) {
			f := tc.f
			want := tc.want
			if want == nil {
				want = []string{}
			}
			same(t, "one page", orEmpty(listAll(t, s, "p1", &f, 100)), want)
			same(t, "pages of one", orEmpty(listAll(t, s, "p1", &f, 1)), want)
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func testListUsersPrefixLiteral(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, n := range []string{"a%b", "a_b", "axb", "aab", "a\\b", "a%%"} {
		u := plainUser("p1", n)
		u.Attributes = map[string]string{"email": n + "@x.org"}
		must(t, s.CreateUser(ctx, u), "CreateUser %s", n)
	}
	for _, tc := range []struct {
		attr, prefix string
		want         []string
	}{
		{"username", "a%", []string{"a%%", "a%b"}},
		{"username", "a%b", []string{"a%b"}},
		{"username", "a_", []string{"a_b"}},
		{"username", "a\\", []string{"a\\b"}},
		{"email", "A%", []string{"a%%", "a%b"}},
		{"email", "a_", []string{"a_b"}},
		{"email", "a%%@", []string{"a%%"}},
	} {
		f := store.UserFilter{Attr: tc.attr, Value: tc.prefix, Prefix: true}
		same(t, fmt.Sprintf("%s prefix %q", tc.attr, tc.prefix), listAll(t, s, "p1", &f, 10), tc.want)
	}
}
