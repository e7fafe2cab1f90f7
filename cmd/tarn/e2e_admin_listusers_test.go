package main

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// listUsernames runs ListUsers with filter and returns the sorted usernames.
func (ts *tarnServer) listUsernames(poolID, filter string) ([]string, error) {
	out, err := ts.cip.ListUsers(ctxT(ts.t), &cip.ListUsersInput{UserPoolId: &poolID, Filter: aws.String(filter)})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, u := range out.Users {
		names = append(names, aws.ToString(u.Username))
	}
	slices.Sort(names)
	return names, nil
}

func TestE2E_ListUsers_Filter(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
	}})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("given_name", "Alice"), attr("custom:x", "1"))
	ts.confirmedUser(poolID, "anna", auPassword, attr("email", "anna@example.org"), attr("given_name", "Anna"), attr("family_name", "Quote\"d"))
	ts.confirmedUser(poolID, "bob", auPassword, attr("email", "bob@example.com"), attr("given_name", "Bob"), attr("phone_number", "+14325551212"))
	if _, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("carol"), Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("email", "carol@example.com")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cip.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	bobSub := attrMap(ts.auAdminGet(poolID, "bob").UserAttributes)["sub"]

	cases := []struct {
		filter string
		want   []string
	}{
		{``, []string{"alice", "anna", "bob", "carol"}},
		{`username = "alice"`, []string{"alice"}},
		{`username = "Alice"`, nil}, // username is case-sensitive in a case-sensitive pool
		{`username ^= "a"`, []string{"alice", "anna"}},
		{`email = "bob@example.com"`, []string{"bob"}},
		{`email ^= "a"`, []string{"alice", "anna"}},
		{`email^="a"`, []string{"alice", "anna"}},
		{`email ^= "A"`, []string{"alice", "anna"}}, // attributes other than username/status match case-insensitively
		{`cognito:user_status = "UNCONFIRMED"`, []string{"carol"}},
		{`cognito:user_status = "CONFIRMED"`, []string{"alice", "anna", "bob"}},
		{`cognito:user_status = "unconfirmed"`, []string{"carol"}},
		{`status = "Disabled"`, []string{"bob"}},
		{`status = "Enabled"`, []string{"alice", "anna", "carol"}},
		{`given_name = "Anna"`, []string{"anna"}},
		{`given_name ^= "B"`, []string{"bob"}},
		{`family_name = "Quote\"d"`, []string{"anna"}},
		{`phone_number = "+14325551212"`, []string{"bob"}},
		{`sub = "` + bobSub + `"`, []string{"bob"}},
		{`sub = "` + strings.ToUpper(bobSub) + `"`, []string{"bob"}},
		{`sub ^= "` + strings.ToUpper(bobSub[:8]) + `"`, []string{"bob"}},
		{`email = "nobody@example.com"`, nil},
	}
	for _, c := range cases {
		t.Run(c.filter, func(t *testing.T) {
			got, err := ts.listUsernames(poolID, c.filter)
			if err != nil {
				t.Fatalf("ListUsers %q: %v", c.filter, err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("ListUsers %q = %v, want %v", c.filter, got, c.want)
			}
		})
	}

	for _, bad := range []struct{ filter, why string }{
		{`custom:x = "1"`, "custom attribute"},
		{`locale = "en"`, "unsearchable standard attribute"},
		{`email_verified = "true"`, "unsearchable verified flag"},
		{`garbage`, "garbage"},
		{`email = alice@example.com`, "unquoted value"},
		{`email ~ "a"`, "unknown operator"},
		{`email = "a" and name = "b"`, "two conditions"},
	} {
		_, err := ts.listUsernames(poolID, bad.filter)
		wantErr(t, "ListUsers filter "+bad.why+" "+bad.filter, err, "InvalidParameterException")
	}

	_, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String("us-east-1_AAAAAAAAA")})
	wantErr(t, "ListUsers unknown pool", err, "ResourceNotFoundException")
}

func TestE2E_ListUsers_AttributesToGet(t *testing.T) {
	ts := startAdminTarn(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("given_name", "Alice"), attr("family_name", "A"))
	out, err := ts.cip.ListUsers(ctxT(t), &cip.ListUsersInput{UserPoolId: &poolID, AttributesToGet: []string{"email", "given_name"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 1 {
		t.Fatalf("%d users", len(out.Users))
	}
	u := out.Users[0]
	if got := attrMap(u.Attributes); len(got) != 2 || got["email"] != "alice@example.com" || got["given_name"] != "Alice" {
		t.Errorf("Attributes %v, want only email and given_name", got)
	}
	if aws.ToString(u.Username) != "alice" || u.UserStatus != types.UserStatusTypeConfirmed || !u.Enabled || u.UserCreateDate == nil {
		t.Errorf("UserType %+v: the non-attribute fields must stay", u)
	}
	// Without AttributesToGet, all attributes including sub.
	out, err = ts.cip.ListUsers(ctxT(t), &cip.ListUsersInput{UserPoolId: &poolID})
	if err != nil {
		t.Fatal(err)
	}
	if got := attrMap(out.Users[0].Attributes); got["sub"] == "" || got["family_name"] != "A" {
		t.Errorf("all attributes: %v", got)
	}
}

func TestE2E_ListUsers_Pagination(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	const n = 130
	want := map[string]bool{}
	for i := range n {
		name := fmt.Sprintf("user%03d", i)
		if _, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: &name,
			MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
		want[name] = true
	}
	for _, limit := range []int32{0, 7, 60} {
		t.Run(fmt.Sprint("Limit ", limit), func(t *testing.T) {
			seen := map[string]bool{}
			var token *string
			pages := 0
			for {
				in := &cip.ListUsersInput{UserPoolId: &poolID, PaginationToken: token}
				if limit != 0 {
					in.Limit = aws.Int32(limit)
				}
				out, err := ts.cip.ListUsers(ctx, in)
				if err != nil {
					t.Fatalf("page %d: %v", pages, err)
				}
				pages++
				max := int(limit)
				if max == 0 {
					max = 60
				}
				if len(out.Users) > max {
					t.Fatalf("page of %d users > limit %d", len(out.Users), max)
				}
				for _, u := range out.Users {
					name := aws.ToString(u.Username)
					if seen[name] {
						t.Errorf("user %s repeated", name)
					}
					seen[name] = true
				}
				if out.PaginationToken == nil {
					break
				}
				if *out.PaginationToken == "" {
					t.Fatal("empty PaginationToken: must be absent on the last page")
				}
				token = out.PaginationToken
				if pages > n {
					t.Fatal("pagination does not end")
				}
			}
			if len(seen) != n {
				t.Errorf("saw %d users, want %d", len(seen), n)
			}
			for name := range want {
				if !seen[name] {
					t.Errorf("never saw %s", name)
				}
			}
			max := int(limit)
			if max == 0 {
				max = 60
			}
			if wantPages := (n + max - 1) / max; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
		})
	}

	// The SDK paginator walks the same chain.
	p := cip.NewListUsersPaginator(ts.cip, &cip.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(25)})
	count := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		count += len(out.Users)
	}
	if count != n {
		t.Errorf("paginator saw %d users, want %d", count, n)
	}

	// A filtered chain.
	seen := 0
	var token *string
	for {
		out, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, Filter: aws.String(`username ^= "user1"`), Limit: aws.Int32(8), PaginationToken: token})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(out.Users)
		if token = out.PaginationToken; token == nil {
			break
		}
	}
	if seen != 30 {
		t.Errorf("filtered chain saw %d users, want 30 (user100–user129)", seen)
	}

	_, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(61)})
	wantErr(t, "ListUsers Limit 61", err, "InvalidParameterException")
	_, err = ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(-1)})
	wantErr(t, "ListUsers Limit -1", err, "InvalidParameterException")
	_, err = ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, PaginationToken: aws.String("!!not a token!!")})
	wantErr(t, "ListUsers bad PaginationToken", err, "InvalidParameterException")
}

// api.md §2.6, §3.9: a page token only works for the listing that made it:
// one that was made up, altered, or taken from another operation, pool or
// group is an InvalidParameterException, and a ListUsers token is good for
// an hour.
func TestE2E_PageTokens_BoundToTheirListingAndListUsersTokensExpire(t *testing.T) {
	clock := &tickClock{mnClock{t: time.Now()}}
	ts := startAdminTarn(t, func(m *Main) { m.clock = clock.Now })
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	otherPool, _ := ts.basicPool(cip.CreateUserPoolInput{})
	for _, p := range []string{poolID, otherPool} {
		for i := range 3 {
			name, group := fmt.Sprintf("user%d", i), fmt.Sprintf("group%d", i)
			if _, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(p), Username: &name,
				MessageAction: types.MessageActionTypeSuppress}); err != nil {
				t.Fatal(err)
			}
			if _, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(p), GroupName: &group}); err != nil {
				t.Fatal(err)
			}
		}
		for _, member := range []string{"user0", "user1"} {
			for _, group := range []string{"group0", "group1"} {
				if _, err := ts.cip.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(p),
					Username: aws.String(member), GroupName: aws.String(group)}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	users, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(1)})
	if err != nil || users.PaginationToken == nil {
		t.Fatalf("ListUsers first page: %v %+v", err, users)
	}
	groups, err := ts.cip.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &poolID, Limit: aws.Int32(1)})
	if err != nil || groups.NextToken == nil {
		t.Fatalf("ListGroups first page: %v %+v", err, groups)
	}
	members, err := ts.cip.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &poolID, GroupName: aws.String("group0"), Limit: aws.Int32(1)})
	if err != nil || members.NextToken == nil {
		t.Fatalf("ListUsersInGroup first page: %v %+v", err, members)
	}
	// Each token works where it came from.
	if _, err := ts.cip.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &poolID, GroupName: aws.String("group0"), NextToken: members.NextToken}); err != nil {
		t.Errorf("ListUsersInGroup with its own token: %v", err)
	}
	if _, err := ts.cip.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &poolID, NextToken: groups.NextToken}); err != nil {
		t.Errorf("ListGroups with its own token: %v", err)
	}
	userGroups, err := ts.cip.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String("user0"), Limit: aws.Int32(1)})
	if err != nil || userGroups.NextToken == nil {
		t.Fatalf("AdminListGroupsForUser first page: %v %+v", err, userGroups)
	}
	if _, err := ts.cip.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String("user0"), NextToken: userGroups.NextToken}); err != nil {
		t.Errorf("AdminListGroupsForUser with its own token: %v", err)
	}
	tok := *users.PaginationToken
	payload, _, _ := strings.Cut(tok, ".")
	// A character in the middle of the tag, changed.
	at := len(payload) + 1 + 10
	altered := tok[:at] + map[bool]string{true: "A", false: "B"}[tok[at] != 'A'] + tok[at+1:]
	// The right form, with a tag that is not the server's.
	madeUp := payload + "." + base64.RawURLEncoding.EncodeToString(make([]byte, 16))
	bad := map[string]func() error{
		"ListUsers, made up": func() error {
			_, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, PaginationToken: &madeUp})
			return err
		},
		"ListUsers, not a token": func() error {
			_, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, PaginationToken: aws.String("dXNlcjE")})
			return err
		},
		"AdminListGroupsForUser of another user": func() error {
			_, err := ts.cip.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String("user1"), NextToken: userGroups.NextToken})
			return err
		},
		"ListUsers, altered": func() error {
			_, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, PaginationToken: &altered})
			return err
		},
		"ListUsers of another pool": func() error {
			_, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &otherPool, PaginationToken: &tok})
			return err
		},
		"ListGroups with a ListUsers token": func() error {
			_, err := ts.cip.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &poolID, NextToken: &tok})
			return err
		},
		"ListUsersInGroup of another group": func() error {
			_, err := ts.cip.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &poolID, GroupName: aws.String("group1"), NextToken: members.NextToken})
			return err
		},
	}
	for name, call := range bad {
		wantFailure(t, name, call(), "InvalidParameterException", "Invalid pagination token.")
	}
	// A ListUsers token is good for an hour.
	clock.Advance(59 * time.Minute)
	if _, err := ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, PaginationToken: &tok}); err != nil {
		t.Errorf("ListUsers with a 59-minute-old token: %v", err)
	}
	clock.Advance(2 * time.Minute)
	_, err = ts.cip.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &poolID, PaginationToken: &tok})
	wantFailure(t, "ListUsers with a 61-minute-old token", err, "InvalidParameterException", "Pagination token has expired.")
	if _, err := ts.cip.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &poolID, NextToken: groups.NextToken}); err != nil {
		t.Errorf("ListGroups with a 61-minute-old token (no expiry): %v", err)
	}
}
