package storetest

import (
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

func fullGroup(pool, name string) cognito.Group {
	return cognito.Group{GroupName: name, UserPoolId: pool, Description: "the " + name,
		RoleArn: "arn:aws:iam::0:role/" + name, Precedence: ptr(3),
		LastModifiedDate: cognito.At(at(5)), CreationDate: cognito.At(t0)}
}

func groupNames(gs []cognito.Group) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.GroupName)
	}
	return out
}

func testGroups(t *testing.T, s store.Store) {
	ctx := t.Context()
	g := fullGroup("p1", "admins")
	must(t, s.CreateGroup(ctx, g), "CreateGroup")
	got, err := s.GetGroup(ctx, "p1", "admins")
	must(t, err, "GetGroup")
	same(t, "group", got, g)
	isErr(t, s.CreateGroup(ctx, fullGroup("p1", "admins")), store.ErrAlreadyExists, "CreateGroup twice")
	must(t, s.CreateGroup(ctx, fullGroup("p2", "admins")), "CreateGroup same name in another pool")
	bare := cognito.Group{UserPoolId: "p1", GroupName: "bare"}
	must(t, s.CreateGroup(ctx, bare), "CreateGroup bare")
	got, _ = s.GetGroup(ctx, "p1", "bare")
	same(t, "bare group", got, bare)
	_, err = s.GetGroup(ctx, "p1", "missing")
	isErr(t, err, store.ErrNotFound, "GetGroup missing")
	n, err := s.CountGroups(ctx, "p1")
	must(t, err, "CountGroups")
	same(t, "groups in p1", n, 2)
	n, err = s.CountGroups(ctx, "p3")
	must(t, err, "CountGroups of a pool without any")
	same(t, "groups in p3", n, 0)

	must(t, s.UpdateGroup(ctx, "p1", "admins", func(g *cognito.Group) error {
		g.Description = "changed"
		g.Precedence = nil
		return nil
	}), "UpdateGroup")
	want := g
	want.Description, want.Precedence = "changed", nil
	got, _ = s.GetGroup(ctx, "p1", "admins")
	same(t, "updated group", got, want)
	err = s.UpdateGroup(ctx, "p1", "admins", func(g *cognito.Group) error {
		g.Description = "must not be written"
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("UpdateGroup with failing closure: got %v, want the closure's error as is", err)
	}
	got, _ = s.GetGroup(ctx, "p1", "admins")
	same(t, "group after failed update", got, want)
	isErr(t, s.UpdateGroup(ctx, "p1", "missing", func(*cognito.Group) error { return nil }), store.ErrNotFound, "UpdateGroup missing")

	for _, n := range []string{"d", "b", "c", "a"} {
		must(t, s.CreateGroup(ctx, cognito.Group{UserPoolId: "p1", GroupName: n}), "CreateGroup %s", n)
	}
	var names []string
	after := ""
	for {
		page, err := s.ListGroups(ctx, "p1", store.Page{After: after, Limit: 2})
		must(t, err, "ListGroups")
		for _, g := range page {
			names = append(names, g.GroupName)
			after = g.GroupName
		}
		if len(page) < 2 {
			break
		}
	}
	same(t, "group names", names, []string{"a", "admins", "b", "bare", "c", "d"})

	// DeleteGroup takes the memberships with it.
	must(t, s.AddUserToGroup(ctx, "p1", "alice", "admins"), "AddUserToGroup")
	must(t, s.AddUserToGroup(ctx, "p2", "alice", "admins"), "AddUserToGroup")
	must(t, s.DeleteGroup(ctx, "p1", "admins"), "DeleteGroup")
	_, err = s.GetGroup(ctx, "p1", "admins")
	isErr(t, err, store.ErrNotFound, "GetGroup after delete")
	isErr(t, s.DeleteGroup(ctx, "p1", "admins"), store.ErrNotFound, "DeleteGroup twice")
	must(t, s.CreateGroup(ctx, fullGroup("p1", "admins")), "CreateGroup again")
	gs, err := s.ListGroupsForUser(ctx, "p1", "alice", store.Page{})
	must(t, err, "ListGroupsForUser")
	same(t, "memberships after the group was deleted and re-created", groupNames(gs), []string{})
	gs, _ = s.ListGroupsForUser(ctx, "p2", "alice", store.Page{})
	same(t, "memberships in the other pool", groupNames(gs), []string{"admins"})
}

func testMemberships(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, n := range []string{"g3", "g1", "g2", "g4"} {
		must(t, s.CreateGroup(ctx, fullGroup("p1", n)), "CreateGroup")
	}
	for _, u := range []string{"carol", "alice", "bob", "dave"} {
		must(t, s.CreateUser(ctx, fullUser("p1", u)), "CreateUser")
	}
	for _, m := range [][2]string{{"alice", "g3"}, {"alice", "g1"}, {"alice", "g2"}, {"alice", "g4"},
		{"carol", "g1"}, {"bob", "g1"}, {"dave", "g1"}, {"bob", "g2"}} {
		must(t, s.AddUserToGroup(ctx, "p1", m[0], m[1]), "AddUserToGroup %v", m)
	}
	must(t, s.AddUserToGroup(ctx, "p1", "alice", "g1"), "AddUserToGroup is idempotent")
	// Neither the user nor the group has to exist.
	must(t, s.AddUserToGroup(ctx, "p1", "ghost", "nogroup"), "AddUserToGroup for nobody")

	gs, err := s.ListGroupsForUser(ctx, "p1", "alice", store.Page{})
	must(t, err, "ListGroupsForUser limit 0")
	same(t, "all of alice's groups", groupNames(gs), []string{"g1", "g2", "g3", "g4"})
	if len(gs) > 0 {
		same(t, "group record", gs[0], fullGroup("p1", "g1"))
	}
	gs, _ = s.ListGroupsForUser(ctx, "p1", "alice", store.Page{After: "g1", Limit: 2})
	same(t, "a page of alice's groups", groupNames(gs), []string{"g2", "g3"})
	gs, _ = s.ListGroupsForUser(ctx, "p1", "alice", store.Page{After: "g3"})
	same(t, "the rest of alice's groups", groupNames(gs), []string{"g4"})

	var members []string
	after := ""
	for {
		page, err := s.ListUsersInGroup(ctx, "p1", "g1", store.Page{After: after, Limit: 3})
		must(t, err, "ListUsersInGroup")
		for _, u := range page {
			members = append(members, u.Username)
			after = u.Username
		}
		if len(page) < 3 {
			break
		}
	}
	same(t, "members of g1", members, []string{"alice", "bob", "carol", "dave"})
	us, _ := s.ListUsersInGroup(ctx, "p1", "g2", store.Page{Limit: 10})
	if len(us) == 2 {
		sameUser(t, "member record", us[0], fullUser("p1", "alice"))
	}
	same(t, "members of g2", usernames(us), []string{"alice", "bob"})

	must(t, s.RemoveUserFromGroup(ctx, "p1", "alice", "g1"), "RemoveUserFromGroup")
	must(t, s.RemoveUserFromGroup(ctx, "p1", "alice", "g1"), "RemoveUserFromGroup is idempotent")
	must(t, s.RemoveUserFromGroup(ctx, "p1", "nobody", "nogroup"), "RemoveUserFromGroup for nobody")
	gs, _ = s.ListGroupsForUser(ctx, "p1", "alice", store.Page{})
	same(t, "alice's groups after removal", groupNames(gs), []string{"g2", "g3", "g4"})
	us, _ = s.ListUsersInGroup(ctx, "p1", "g1", store.Page{Limit: 10})
	same(t, "members of g1 after removal", usernames(us), []string{"bob", "carol", "dave"})
}
