package main

// One user walked across three tarn nodes that share nothing but a
// PostgreSQL database and the server key: every step lands on another node
// than the one before, as behind a round-robin load balancer.

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// mnWalkUser is the walk of issue 4 on nodes n[0], n[1], n[2]: sign up on
// node 1, confirm on node 2 with the code read from node 3's outbox, sign
// in on node 3, refresh on node 1, change the password on node 2, global
// sign-out on node 1; then the old access and refresh tokens fail on nodes
// 2 and 3, and the new password works on every node.
func mnWalkUser(t *testing.T, n []*tarnServer) {
	t.Helper()
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{})

	n[0].auSignUp(clientID, "walker", auPassword, attr("email", "walker@example.com"))
	code := n[2].lastCode(poolID, "walker")
	if code == "" {
		t.Fatal("node 3's outbox has no code for walker")
	}
	if err := n[1].auConfirm(clientID, "walker", code); err != nil {
		t.Fatalf("ConfirmSignUp on node 2: %v", err)
	}
	if st := n[2].auAdminGet(poolID, "walker").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Fatalf("status on node 3 after confirming on node 2: %s", st)
	}

	signedIn := n[2].auTokens(clientID, "walker", auPassword)
	// Every node publishes the keys that signed the tokens, under one issuer.
	for i, node := range n {
		claims := verifyJWT(t, node.jwks(poolID), *signedIn.AccessToken)
		if claims["iss"] != clusterURL+"/"+poolID {
			t.Errorf("node %d: iss %v, want %s", i+1, claims["iss"], clusterURL+"/"+poolID)
		}
		verifyJWT(t, node.jwks(poolID), *signedIn.IdToken)
	}

	refreshed, err := n[0].auRefresh(clientID, *signedIn.RefreshToken)
	if err != nil || refreshed.AuthenticationResult == nil || refreshed.AuthenticationResult.AccessToken == nil {
		t.Fatalf("REFRESH_TOKEN_AUTH on node 1: %+v %v", refreshed, err)
	}
	access := *refreshed.AuthenticationResult.AccessToken

	const newPassword = "N3w-Passw0rd!"
	if _, err := n[1].cip.ChangePassword(ctxT(t), &cip.ChangePasswordInput{AccessToken: &access,
		PreviousPassword: aws.String(auPassword), ProposedPassword: aws.String(newPassword)}); err != nil {
		t.Fatalf("ChangePassword on node 2: %v", err)
	}
	_, err = n[2].passwordAuth(clientID, "walker", auPassword)
	wantErr(t, "old password on node 3", err, "NotAuthorizedException")

	// Tokens are still good everywhere before the sign-out.
	for i, node := range n {
		if _, err := node.auGetUser(access); err != nil {
			t.Fatalf("GetUser on node %d before GlobalSignOut: %v", i+1, err)
		}
	}
	if _, err := n[0].cip.GlobalSignOut(ctxT(t), &cip.GlobalSignOutInput{AccessToken: &access}); err != nil {
		t.Fatalf("GlobalSignOut on node 1: %v", err)
	}
	for _, i := range []int{1, 2} {
		_, err := n[i].auGetUser(access)
		wantErr(t, "GetUser with the signed-out access token on another node", err, "NotAuthorizedException")
		_, err = n[i].auGetUser(*signedIn.AccessToken)
		wantErr(t, "GetUser with the first access token on another node", err, "NotAuthorizedException")
		_, err = n[i].auRefresh(clientID, *signedIn.RefreshToken)
		wantErr(t, "refresh with the signed-out refresh token on another node", err, "NotAuthorizedException")
	}
	for i, node := range n {
		res := node.auTokens(clientID, "walker", newPassword)
		if _, err := n[(i+1)%len(n)].auGetUser(*res.AccessToken); err != nil {
			t.Errorf("GetUser on node %d with node %d's new token: %v", (i+1)%len(n)+1, i+1, err)
		}
	}
}

// mnNewPasswordRequired starts NEW_PASSWORD_REQUIRED on one node and
// answers it on another; the Session travels sealed.
func mnNewPasswordRequired(t *testing.T, n []*tarnServer) {
	t.Helper()
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{})
	if _, err := n[0].cip.AdminCreateUser(ctxT(t), &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("invited"),
		TemporaryPassword: aws.String("Temp0rary!"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatalf("AdminCreateUser on node 1: %v", err)
	}
	out, err := n[1].passwordAuth(clientID, "invited", "Temp0rary!")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.Session == nil {
		t.Fatalf("USER_PASSWORD_AUTH on node 2: want NEW_PASSWORD_REQUIRED, got %+v %v", out, err)
	}
	answer, err := n[2].auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, out.Session,
		map[string]string{"USERNAME": "invited", "NEW_PASSWORD": "Perman3nt!"})
	if err != nil || answer.AuthenticationResult == nil || answer.AuthenticationResult.AccessToken == nil {
		t.Fatalf("NEW_PASSWORD_REQUIRED answered on node 3: %+v %v", answer, err)
	}
	if _, err := n[0].auGetUser(*answer.AuthenticationResult.AccessToken); err != nil {
		t.Errorf("GetUser on node 1 with node 3's token: %v", err)
	}
	if st := n[0].auAdminGet(poolID, "invited").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("status after the challenge: %s, want CONFIRMED", st)
	}
	n[1].auTokens(clientID, "invited", "Perman3nt!")
	// The session was used up on node 3: replaying it on node 1 fails.
	_, err = n[0].auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, out.Session,
		map[string]string{"USERNAME": "invited", "NEW_PASSWORD": "An0ther-one!"})
	if err == nil {
		t.Errorf("replaying the NEW_PASSWORD_REQUIRED session on node 1 succeeded")
	}
}

// mnSRP starts USER_SRP_AUTH on each node and finishes it on the next.
func mnSRP(t *testing.T, n []*tarnServer) {
	t.Helper()
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{})
	n[0].confirmedUser(poolID, "sam", auPassword)
	for i := range n {
		next := n[(i+1)%len(n)]
		x, err := n[i].auStartSRP(clientID, "sam")
		if err != nil {
			t.Fatalf("USER_SRP_AUTH on node %d: %v", i+1, err)
		}
		out, err := next.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword))
		if err != nil || out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == nil {
			t.Fatalf("PASSWORD_VERIFIER on node %d for node %d's challenge: %+v %v", (i+1)%len(n)+1, i+1, out, err)
		}
	}
}

func TestMultiNode_UserWalk(t *testing.T) {
	t.Parallel()
	mnWalkUser(t, startCluster(t, 3, pgDatabase(t, pgOptions{})))
}

func TestMultiNode_NewPasswordRequiredAcrossNodes(t *testing.T) {
	t.Parallel()
	mnNewPasswordRequired(t, startCluster(t, 3, pgDatabase(t, pgOptions{})))
}

func TestMultiNode_SRPAcrossNodes(t *testing.T) {
	t.Parallel()
	mnSRP(t, startCluster(t, 3, pgDatabase(t, pgOptions{})))
}

// Three nodes starting at the same moment on a fresh database race to
// migrate it; all come up, and the schema works from each of them.
func TestMultiNode_SimultaneousStartOnFreshDatabase(t *testing.T) {
	t.Parallel()
	n := startClusterAtOnce(t, 3, pgDatabase(t, pgOptions{}))
	poolID, clientID := n[0].auEmailPool(cip.CreateUserPoolInput{})
	for i, node := range n {
		name := "u" + string(rune('1'+i))
		node.confirmedUser(poolID, name, auPassword)
		n[(i+1)%len(n)].auTokens(clientID, name, auPassword)
	}
}

// On a database whose transactions are SERIALIZABLE (as CockroachDB's
// always are), conflicts surface as serialization failures that the store
// retries: the walk, the challenge and SRP still work.
func TestMultiNode_Serializable_Walk(t *testing.T) {
	t.Parallel()
	n := startCluster(t, 3, pgDatabase(t, pgOptions{serializable: true}))
	mnWalkUser(t, n)
	mnNewPasswordRequired(t, n)
	mnSRP(t, n)
}
