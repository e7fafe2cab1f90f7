package main

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestE2E_Groups_CRUD(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	role := "arn:aws:iam::123456789012:role/admins"
	cg, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("admins"),
		Description: aws.String("the admins"), RoleArn: aws.String(role), Precedence: aws.Int32(1)})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	g := cg.Group
	if aws.ToString(g.GroupName) != "admins" || aws.ToString(g.UserPoolId) != poolID || aws.ToString(g.Description) != "the admins" ||
		aws.ToString(g.RoleArn) != role || aws.ToInt32(g.Precedence) != 1 || g.CreationDate == nil || g.LastModifiedDate == nil {
		t.Errorf("CreateGroup returned %+v", g)
	}
	_, err = ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("admins")})
	wantErr(t, "CreateGroup duplicate", err, "GroupExistsException")

	got, err := ts.cip.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &poolID, GroupName: aws.String("admins")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.Group.Description) != "the admins" || aws.ToInt32(got.Group.Precedence) != 1 {
		t.Errorf("GetGroup %+v", got.Group)
	}
	_, err = ts.cip.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &poolID, GroupName: aws.String("nope")})
	wantErr(t, "GetGroup missing", err, "ResourceNotFoundException")

	up, err := ts.cip.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: &poolID, GroupName: aws.String("admins"),
		Description: aws.String("changed"), Precedence: aws.Int32(5)})
	if err != nil {
		t.Fatalf("UpdateGroup: %v", err)
	}
	if aws.ToString(up.Group.Description) != "changed" || aws.ToInt32(up.Group.Precedence) != 5 {
		t.Errorf("UpdateGroup returned %+v", up.Group)
	}
	got, _ = ts.cip.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &poolID, GroupName: aws.String("admins")})
	if aws.ToString(got.Group.Description) != "changed" || aws.ToInt32(got.Group.Precedence) != 5 {
		t.Errorf("GetGroup after update %+v", got.Group)
	}
	_, err = ts.cip.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: &poolID, GroupName: aws.String("nope"), Description: aws.String("x")})
	wantErr(t, "UpdateGroup missing", err, "ResourceNotFoundException")

	// ListGroups with pagination.
	for i := range 4 {
		if _, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String(fmt.Sprintf("g%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	var token *string
	for range 10 {
		out, err := ts.cip.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &poolID, Limit: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Groups) > 2 {
			t.Fatalf("page of %d groups > 2", len(out.Groups))
		}
		for _, g := range out.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	slices.Sort(names)
	if want := []string{"admins", "g0", "g1", "g2", "g3"}; !slices.Equal(names, want) {
		t.Errorf("ListGroups %v, want %v", names, want)
	}

	if _, err := ts.cip.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: &poolID, GroupName: aws.String("g0")}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.cip.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &poolID, GroupName: aws.String("g0")})
	wantErr(t, "GetGroup after delete", err, "ResourceNotFoundException")
	_, err = ts.cip.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: &poolID, GroupName: aws.String("g0")})
	wantErr(t, "DeleteGroup twice", err, "ResourceNotFoundException")
	_, err = ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String("us-east-1_AAAAAAAAA"), GroupName: aws.String("x")})
	wantErr(t, "CreateGroup unknown pool", err, "ResourceNotFoundException")
}

func TestE2E_Groups_Membership(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword)
	ts.confirmedUser(poolID, "bob", auPassword)
	for _, g := range []string{"admins", "staff"} {
		if _, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
	}
	add := func(user, group string) error {
		_, err := ts.cip.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: &user, GroupName: &group})
		return err
	}
	for _, m := range [][2]string{{"alice", "admins"}, {"alice", "admins"}, {"alice", "staff"}, {"bob", "staff"}} {
		if err := add(m[0], m[1]); err != nil {
			t.Fatalf("AdminAddUserToGroup %v: %v", m, err)
		}
	}
	wantErr(t, "AdminAddUserToGroup missing user", add("ghost", "admins"), "UserNotFoundException")
	wantErr(t, "AdminAddUserToGroup missing group", add("alice", "nope"), "ResourceNotFoundException")

	groupsOf := func(user string) []string {
		t.Helper()
		out, err := ts.cip.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: &user})
		if err != nil {
			t.Fatalf("AdminListGroupsForUser %s: %v", user, err)
		}
		var names []string
		for _, g := range out.Groups {
			names = append(names, aws.ToString(g.GroupName))
		}
		slices.Sort(names)
		return names
	}
	usersIn := func(group string) []string {
		t.Helper()
		out, err := ts.cip.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &poolID, GroupName: &group})
		if err != nil {
			t.Fatalf("ListUsersInGroup %s: %v", group, err)
		}
		var names []string
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.Username))
			if attrMap(u.Attributes)["sub"] == "" {
				t.Errorf("ListUsersInGroup user %s without sub", aws.ToString(u.Username))
			}
		}
		slices.Sort(names)
		return names
	}
	if got := groupsOf("alice"); !slices.Equal(got, []string{"admins", "staff"}) {
		t.Errorf("alice's groups %v (adding twice must be idempotent)", got)
	}
	if got := usersIn("admins"); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("admins members %v", got)
	}
	if got := usersIn("staff"); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("staff members %v", got)
	}
	_, err := ts.cip.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String("ghost")})
	wantErr(t, "AdminListGroupsForUser missing user", err, "UserNotFoundException")
	_, err = ts.cip.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &poolID, GroupName: aws.String("nope")})
	wantErr(t, "ListUsersInGroup missing group", err, "ResourceNotFoundException")

	remove := func(user, group string) error {
		_, err := ts.cip.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: &poolID, Username: &user, GroupName: &group})
		return err
	}
	if err := remove("alice", "staff"); err != nil {
		t.Fatal(err)
	}
	if err := remove("alice", "staff"); err != nil {
		t.Errorf("AdminRemoveUserFromGroup again (idempotent): %v", err)
	}
	if got := groupsOf("alice"); !slices.Equal(got, []string{"admins"}) {
		t.Errorf("alice's groups after removal %v", got)
	}
	if got := usersIn("staff"); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("staff after removal %v", got)
	}
	wantErr(t, "AdminRemoveUserFromGroup missing user", remove("ghost", "staff"), "UserNotFoundException")
	wantErr(t, "AdminRemoveUserFromGroup missing group", remove("alice", "nope"), "ResourceNotFoundException")

	// Deleting a group removes its memberships; deleting a user too.
	if _, err := ts.cip.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: &poolID, GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	if got := groupsOf("alice"); len(got) != 0 {
		t.Errorf("alice's groups after the group was deleted %v", got)
	}
	if _, err := ts.cip.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: &poolID, Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	if got := usersIn("staff"); len(got) != 0 {
		t.Errorf("staff after bob was deleted %v", got)
	}
}

func TestE2E_Groups_TokenClaims(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword)

	// No groups: no group claims.
	r := ts.auTokens(clientID, "alice", auPassword)
	for _, tok := range []string{*r.IdToken, *r.AccessToken} {
		c := claimsOf(t, tok)
		for _, k := range []string{"cognito:groups", "cognito:roles", "cognito:preferred_role"} {
			if v, ok := c[k]; ok {
				t.Errorf("%s = %v for a user without groups", k, v)
			}
		}
	}

	adminRole := "arn:aws:iam::123456789012:role/admin"
	staffRole := "arn:aws:iam::123456789012:role/staff"
	for _, g := range []cip.CreateGroupInput{
		{GroupName: aws.String("staff"), RoleArn: aws.String(staffRole), Precedence: aws.Int32(10)},
		{GroupName: aws.String("admins"), RoleArn: aws.String(adminRole), Precedence: aws.Int32(1)},
		{GroupName: aws.String("readers")},
	} {
		g.UserPoolId = &poolID
		if _, err := ts.cip.CreateGroup(ctx, &g); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.cip.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: aws.String("alice"), GroupName: g.GroupName}); err != nil {
			t.Fatal(err)
		}
	}
	r = ts.auTokens(clientID, "alice", auPassword)
	id, access := claimsOf(t, *r.IdToken), claimsOf(t, *r.AccessToken)
	for name, c := range map[string]map[string]any{"ID": id, "access": access} {
		got := strList(t, c, "cognito:groups")
		slices.Sort(got)
		if want := []string{"admins", "readers", "staff"}; !slices.Equal(got, want) {
			t.Errorf("%s token cognito:groups %v, want %v", name, got, want)
		}
	}
	roles := strList(t, id, "cognito:roles")
	slices.Sort(roles)
	if want := []string{adminRole, staffRole}; !slices.Equal(roles, want) {
		t.Errorf("cognito:roles %v, want %v", roles, want)
	}
	if id["cognito:preferred_role"] != adminRole {
		t.Errorf("cognito:preferred_role %v, want %s (lowest precedence)", id["cognito:preferred_role"], adminRole)
	}

	// Refreshed tokens see membership changes.
	if _, err := ts.cip.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: &poolID, Username: aws.String("alice"), GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	rr, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *r.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	id = claimsOf(t, *rr.AuthenticationResult.IdToken)
	got := strList(t, id, "cognito:groups")
	slices.Sort(got)
	if !slices.Equal(got, []string{"readers", "staff"}) {
		t.Errorf("refreshed cognito:groups %v", got)
	}
	if id["cognito:preferred_role"] != staffRole {
		t.Errorf("refreshed cognito:preferred_role %v, want %s", id["cognito:preferred_role"], staffRole)
	}

	// Two groups tie on precedence with different roles: no preferred role.
	if _, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("tie"),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/tie"), Precedence: aws.Int32(10)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cip.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: aws.String("alice"), GroupName: aws.String("tie")}); err != nil {
		t.Fatal(err)
	}
	id = claimsOf(t, *ts.auTokens(clientID, "alice", auPassword).IdToken)
	if v, ok := id["cognito:preferred_role"]; ok {
		t.Errorf("cognito:preferred_role %v with a precedence tie between different roles, want none", v)
	}
}
