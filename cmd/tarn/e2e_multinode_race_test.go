package main

// Uniqueness under races: concurrent requests spread over three nodes that
// share one PostgreSQL database never duplicate or lose a user.

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// mnConcurrently runs call(i) for i in [0, n) at the same moment (a
// barrier releases them together) and returns the exception code of each
// ("" for success).
func mnConcurrently(n int, call func(i int) error) []string {
	codes := make([]string, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i] = errCode(call(i))
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// mnTally counts the codes; successes are "".
func mnTally(codes []string) map[string]int {
	m := map[string]int{}
	for _, c := range codes {
		m[c]++
	}
	return m
}

// mnWantOneWinner fails unless exactly one call succeeded and every other
// one failed with code.
func mnWantOneWinner(t *testing.T, what string, codes []string, code string) {
	t.Helper()
	got := mnTally(codes)
	if got[""] != 1 || got[code] != len(codes)-1 {
		t.Fatalf("%s: outcomes %v, want 1 success and %d %s", what, got, len(codes)-1, code)
	}
}

// mnAllUsers walks ListUsers page by page and returns the users by
// username (a duplicate fails the test).
func mnAllUsers(t *testing.T, ts *tarnServer, poolID, filter string) map[string]types.UserType {
	t.Helper()
	users := map[string]types.UserType{}
	var token *string
	for range 1000 {
		in := &cip.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(60), PaginationToken: token}
		if filter != "" {
			in.Filter = &filter
		}
		out, err := ts.cip.ListUsers(ctxT(t), in)
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		for _, u := range out.Users {
			name := aws.ToString(u.Username)
			if _, dup := users[name]; dup {
				t.Fatalf("ListUsers lists %s twice", name)
			}
			users[name] = u
		}
		if token = out.PaginationToken; token == nil {
			return users
		}
	}
	t.Fatal("ListUsers did not end after 1000 pages")
	return nil
}

// mnSameUsername: 50 concurrent SignUps of one username, spread over the
// nodes, make one user.
func mnSameUsername(t *testing.T, n []*tarnServer) {
	t.Helper()
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{})
	codes := mnConcurrently(50, func(i int) error {
		_, err := n[i%len(n)].cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String("popular"),
			Password: aws.String(auPassword), UserAttributes: []types.AttributeType{attr("email", fmt.Sprintf("p%d@example.com", i))}})
		return err
	})
	mnWantOneWinner(t, "50 SignUps of one username", codes, "UsernameExistsException")
	if users := mnAllUsers(t, n[1], poolID, ""); len(users) != 1 {
		t.Fatalf("pool holds %d users, want 1", len(users))
	}
	// The winner got one code, and it confirms the user.
	if msgs := n[2].auMessages(poolID, "popular", "SignUp"); len(msgs) != 1 {
		t.Fatalf("outbox holds %d sign-up messages for popular, want 1", len(msgs))
	}
	if err := n[2].auConfirm(clientID, "popular", n[1].lastCode(poolID, "popular")); err != nil {
		t.Fatalf("ConfirmSignUp of the winner: %v", err)
	}
}

// mnSameEmailUsername: in a pool that signs in by email, 50 concurrent
// SignUps with one email make one user.
func mnSameEmailUsername(t *testing.T, n []*tarnServer) {
	t.Helper()
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	codes := mnConcurrently(50, func(i int) error {
		_, err := n[i%len(n)].cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String("same@example.com"),
			Password: aws.String(auPassword)})
		return err
	})
	mnWantOneWinner(t, "50 SignUps of one email username", codes, "UsernameExistsException")
	if users := mnAllUsers(t, n[2], poolID, ""); len(users) != 1 {
		t.Fatalf("pool holds %d users, want 1", len(users))
	}
}

// mnAliasRace: in a pool with email as an alias, users who signed up with
// one email confirm at the same moment on different nodes; confirming
// verifies the email, which makes it an alias only one user may hold.
func mnAliasRace(t *testing.T, n []*tarnServer, users int) {
	t.Helper()
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	codes := make([]string, users)
	for i := range users {
		name := fmt.Sprintf("sharer%02d", i)
		n[i%len(n)].auSignUp(clientID, name, auPassword, attr("email", "shared@example.com"))
		codes[i] = n[(i+1)%len(n)].lastCode(poolID, name)
	}
	outcomes := mnConcurrently(users, func(i int) error {
		_, err := n[i%len(n)].cip.ConfirmSignUp(ctxT(t), &cip.ConfirmSignUpInput{ClientId: &clientID,
			Username: aws.String(fmt.Sprintf("sharer%02d", i)), ConfirmationCode: &codes[i]})
		return err
	})
	mnWantOneWinner(t, "concurrent ConfirmSignUps of one email alias", outcomes, "AliasExistsException")
	winner := ""
	for i, c := range outcomes {
		if c == "" {
			winner = fmt.Sprintf("sharer%02d", i)
		}
	}
	all := mnAllUsers(t, n[0], poolID, "")
	if len(all) != users {
		t.Fatalf("pool holds %d users, want %d", len(all), users)
	}
	for name, u := range all {
		confirmed := u.UserStatus == types.UserStatusTypeConfirmed
		if confirmed != (name == winner) {
			t.Errorf("%s: status %s (winner %s)", name, u.UserStatus, winner)
		}
		if v := attrMap(u.Attributes)["email_verified"]; (v == "true") != (name == winner) {
			t.Errorf("%s: email_verified %q (winner %s)", name, v, winner)
		}
	}
	// The alias signs the winner in, on every node.
	for _, node := range n {
		res := node.auTokens(clientID, "shared@example.com", auPassword)
		if got := auClaims(t, *res.AccessToken)["username"]; got != winner {
			t.Errorf("the alias signs in %v, want %s", got, winner)
		}
	}
}

// mnManyUsers: count concurrent SignUps of distinct users over the nodes
// all succeed and all are listed afterwards, once each.
func mnManyUsers(t *testing.T, n []*tarnServer, count int) {
	t.Helper()
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{})
	codes := mnConcurrently(count, func(i int) error {
		_, err := n[i%len(n)].cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String(fmt.Sprintf("user%03d", i)),
			Password: aws.String(auPassword), UserAttributes: []types.AttributeType{attr("email", fmt.Sprintf("user%03d@example.com", i))}})
		return err
	})
	if got := mnTally(codes); got[""] != count {
		t.Fatalf("%d concurrent SignUps of distinct users: outcomes %v", count, got)
	}
	for i, node := range n {
		users := mnAllUsers(t, node, poolID, "")
		if len(users) != count {
			t.Fatalf("node %d lists %d users, want %d", i+1, len(users), count)
		}
		for j := range count {
			if _, ok := users[fmt.Sprintf("user%03d", j)]; !ok {
				t.Fatalf("node %d does not list user%03d", i+1, j)
			}
		}
	}
	out, err := n[2].cip.DescribeUserPool(ctxT(t), &cip.DescribeUserPoolInput{UserPoolId: &poolID})
	if err != nil || out.UserPool.EstimatedNumberOfUsers != int32(count) {
		t.Errorf("DescribeUserPool: EstimatedNumberOfUsers %v (%v), want %d", out, err, count)
	}
}

func TestMultiNode_Race_SameUsername(t *testing.T) {
	t.Parallel()
	mnSameUsername(t, startCluster(t, 3, pgDatabase(t, pgOptions{})))
}

func TestMultiNode_Race_SameEmailUsername(t *testing.T) {
	t.Parallel()
	mnSameEmailUsername(t, startCluster(t, 3, pgDatabase(t, pgOptions{})))
}

func TestMultiNode_Race_AliasOnConfirm(t *testing.T) {
	t.Parallel()
	mnAliasRace(t, startCluster(t, 3, pgDatabase(t, pgOptions{})), 12)
}

func TestMultiNode_Race_ManyDistinctUsers(t *testing.T) {
	t.Parallel()
	mnManyUsers(t, startCluster(t, 3, pgDatabase(t, pgOptions{})), 200)
}

// The races again on a SERIALIZABLE database, where the losers' conflicts
// are serialization failures that the store retries before it finds the
// user or alias taken.
func TestMultiNode_Serializable_Races(t *testing.T) {
	t.Parallel()
	n := startCluster(t, 3, pgDatabase(t, pgOptions{serializable: true}))
	t.Run("same username", func(t *testing.T) { mnSameUsername(t, n) })
	t.Run("same email username", func(t *testing.T) { mnSameEmailUsername(t, n) })
	t.Run("alias on confirm", func(t *testing.T) { mnAliasRace(t, n, 9) })
	t.Run("distinct users", func(t *testing.T) { mnManyUsers(t, n, 100) })
}
