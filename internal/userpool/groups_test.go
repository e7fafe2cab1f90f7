package userpool

import (
	"context"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// mustStoreUser puts a confirmed user straight into the store.
func mustStoreUser(t *testing.T, s *Service, poolID, username string) cognito.User {
	t.Helper()
	u := cognito.User{
		PoolID: poolID, Username: username, Sub: newUUID(), Status: cognito.StatusConfirmed, Enabled: true,
		Attributes: map[string]string{"name": username}, Created: s.now(), Modified: s.now(),
	}
	if err := s.st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestGroups_CreateGetUpdateDelete(t *testing.T) {
	s, clock := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{})
	const role = "arn:aws:iam::123456789012:role/admins"

	out, err := s.CreateGroup(ctx, &CreateGroupInput{UserPoolId: p.Id, GroupName: "admins", Description: "d", RoleArn: role, Precedence: intRef(1)})
	if err != nil {
		t.Fatal(err)
	}
	g := out.Group
	if g.UserPoolId != p.Id || g.Description != "d" || g.RoleArn != role || *g.Precedence != 1 || g.CreationDate.IsZero() {
		t.Errorf("created %+v", g)
	}
	_, err = s.CreateGroup(ctx, &CreateGroupInput{UserPoolId: p.Id, GroupName: "admins"})
	wantCognitoError(t, err, cognito.GroupExists, "A group with the name already exists.")
	_, err = s.CreateGroup(ctx, &CreateGroupInput{UserPoolId: p.Id, GroupName: "x", RoleArn: "admins-role-but-no-arn"})
	wantCognitoError(t, err, cognito.InvalidParameter, "")
	_, err = s.CreateGroup(ctx, &CreateGroupInput{UserPoolId: p.Id, GroupName: "x", Precedence: intRef(-1)})
	wantCognitoError(t, err, cognito.InvalidParameter, "")

	clock.t = clock.t.Add(time.Minute)
	upd, err := s.UpdateGroup(ctx, &UpdateGroupInput{UserPoolId: p.Id, GroupName: "admins", Precedence: intRef(5)})
	if err != nil {
		t.Fatal(err)
	}
	if u := upd.Group; *u.Precedence != 5 || u.Description != "d" || u.RoleArn != role || !u.LastModifiedDate.After(g.LastModifiedDate.Time) {
		t.Errorf("updated %+v", u)
	}
	if _, err := s.UpdateGroup(ctx, &UpdateGroupInput{UserPoolId: p.Id, GroupName: "admins", Description: strRef("")}); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetGroup(ctx, &GroupInput{UserPoolId: p.Id, GroupName: "admins"})
	if err != nil || got.Group.Description != "" || *got.Group.Precedence != 5 {
		t.Errorf("get %+v, %v", got, err)
	}
	_, err = s.UpdateGroup(ctx, &UpdateGroupInput{UserPoolId: p.Id, GroupName: "nope"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "Group not found.")

	if _, err := s.DeleteGroup(ctx, &GroupInput{UserPoolId: p.Id, GroupName: "admins"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetGroup(ctx, &GroupInput{UserPoolId: p.Id, GroupName: "admins"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "Group not found.")
	_, err = s.DeleteGroup(ctx, &GroupInput{UserPoolId: p.Id, GroupName: "admins"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "Group not found.")
}

func TestListGroups_Pagination(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{})
	for _, n := range []string{"c", "a", "b"} {
		if _, err := s.CreateGroup(ctx, &CreateGroupInput{UserPoolId: p.Id, GroupName: n}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	token := ""
	for pages := 0; ; pages++ {
		out, err := s.ListGroups(ctx, &ListGroupsInput{UserPoolId: p.Id, Limit: intRef(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.Groups {
			names = append(names, g.GroupName)
		}
		if token = out.NextToken; token == "" || pages > 3 {
			break
		}
	}
	if len(names) != 3 || names[0] != "a" || names[2] != "c" {
		t.Errorf("names %v", names)
	}
	out, err := s.ListGroups(ctx, &ListGroupsInput{UserPoolId: p.Id, Limit: intRef(0)})
	if err != nil || len(out.Groups) != 3 || out.NextToken != "" {
		t.Errorf("Limit 0: %+v, %v", out, err)
	}
	_, err = s.ListGroups(ctx, &ListGroupsInput{UserPoolId: p.Id, NextToken: "!!"})
	wantCognitoError(t, err, cognito.InvalidParameter, "")
}

func TestGroupMembership(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{})
	alice := mustStoreUser(t, s, p.Id, "alice")
	mustStoreUser(t, s, p.Id, "bob")
	for _, n := range []string{"admins", "staff"} {
		if _, err := s.CreateGroup(ctx, &CreateGroupInput{UserPoolId: p.Id, GroupName: n}); err != nil {
			t.Fatal(err)
		}
	}
	add := func(user, group string) error {
		_, err := s.AdminAddUserToGroup(ctx, &AdminGroupMemberInput{UserPoolId: p.Id, Username: user, GroupName: group})
		return err
	}
	for _, m := range [][2]string{{"alice", "admins"}, {"alice", "admins"}, {alice.Sub, "staff"}, {"bob", "staff"}} {
		if err := add(m[0], m[1]); err != nil {
			t.Fatalf("add %v: %v", m, err)
		}
	}
	wantCognitoError(t, add("carol", "admins"), cognito.UserNotFound, "User does not exist.")
	wantCognitoError(t, add("alice", "nope"), cognito.ResourceNotFound, "Group not found.")
	wantCognitoError(t, add("carol", "nope"), cognito.ResourceNotFound, "Group not found.")

	groups, err := s.AdminListGroupsForUser(ctx, &AdminListGroupsForUserInput{UserPoolId: p.Id, Username: "alice"})
	if err != nil || len(groups.Groups) != 2 || groups.Groups[0].GroupName != "admins" {
		t.Errorf("groups of alice %+v, %v", groups, err)
	}
	_, err = s.AdminListGroupsForUser(ctx, &AdminListGroupsForUserInput{UserPoolId: p.Id, Username: "carol"})
	wantCognitoError(t, err, cognito.UserNotFound, "User does not exist.")

	users, err := s.ListUsersInGroup(ctx, &ListUsersInGroupInput{UserPoolId: p.Id, GroupName: "staff", Limit: intRef(1)})
	if err != nil || len(users.Users) != 1 || users.Users[0].Username != "alice" || users.NextToken == "" {
		t.Fatalf("first page of staff %+v, %v", users, err)
	}
	if u := users.Users[0]; !u.Enabled || u.UserStatus != cognito.StatusConfirmed || len(u.Attributes) == 0 {
		t.Errorf("UserType %+v", u)
	}
	users, err = s.ListUsersInGroup(ctx, &ListUsersInGroupInput{UserPoolId: p.Id, GroupName: "staff", Limit: intRef(1), NextToken: users.NextToken})
	if err != nil || len(users.Users) != 1 || users.Users[0].Username != "bob" || users.NextToken != "" {
		t.Errorf("second page of staff %+v, %v", users, err)
	}
	_, err = s.ListUsersInGroup(ctx, &ListUsersInGroupInput{UserPoolId: p.Id, GroupName: "nope"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "Group not found.")

	for range 2 { // removal is idempotent
		if _, err := s.AdminRemoveUserFromGroup(ctx, &AdminGroupMemberInput{UserPoolId: p.Id, Username: "alice", GroupName: "staff"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DeleteGroup(ctx, &GroupInput{UserPoolId: p.Id, GroupName: "admins"}); err != nil {
		t.Fatal(err)
	}
	groups, err = s.AdminListGroupsForUser(ctx, &AdminListGroupsForUserInput{UserPoolId: p.Id, Username: "alice"})
	if err != nil || len(groups.Groups) != 0 {
		t.Errorf("alice still in %+v, %v", groups, err)
	}
}

// A pool's groups stop at the quota (10,000 on AWS; three here) with
// LimitExceededException, and there is room again after a delete.
func TestCreateGroup_Quota(t *testing.T) {
	s := newTestService(t, func(c *Config) { c.MaxGroupsPerPool = 3 })
	ctx := context.Background()
	pool, _ := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p"}, CreateUserPoolClientInput{ClientName: "c"})
	other, _ := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "other"}, CreateUserPoolClientInput{ClientName: "c"})
	create := func(poolID, name string) error {
		_, err := s.CreateGroup(ctx, &CreateGroupInput{UserPoolId: poolID, GroupName: name})
		return err
	}
	for _, name := range []string{"a", "b", "c"} {
		if err := create(pool.Id, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := create(pool.Id, "d"); cognito.ErrorCode(err) != cognito.LimitExceeded {
		t.Fatalf("fourth group: %v, want LimitExceededException", err)
	}
	if err := create(pool.Id, "a"); cognito.ErrorCode(err) != cognito.GroupExists {
		t.Errorf("an existing name at the quota: %v, want GroupExistsException", err)
	}
	if err := create(other.Id, "a"); err != nil {
		t.Errorf("another pool's first group: %v", err)
	}
	if _, err := s.DeleteGroup(ctx, &GroupInput{UserPoolId: pool.Id, GroupName: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := create(pool.Id, "d"); err != nil {
		t.Errorf("a group after a delete: %v", err)
	}
}
