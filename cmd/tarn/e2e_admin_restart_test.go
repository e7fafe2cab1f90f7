package main

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestE2E_RestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	// The default database (DB "": a SQLite file in DataDir) and the
	// default server key file; a fixed public URL keeps the issuer stable
	// across the two listeners' ports.
	onDisk := func(m *Main) { m.DB, m.DataDir, m.PublicURL = "", dir, "http://tarn.example.test:9229" }
	ts := startAdminTarn(t, onDisk)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("durable")})
	poolID := *p.Id
	c := ts.client(poolID, cip.CreateUserPoolClientInput{GenerateSecret: true})
	clientID, secret := *c.ClientId, *c.ClientSecret
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"))
	if _, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cip.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: aws.String("alice"), GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	signIn := func(ts *tarnServer) (*cip.InitiateAuthOutput, error) {
		return ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": auPassword, "SECRET_HASH": secretHash(secret, "alice", clientID)}})
	}
	out, err := signIn(ts)
	if err != nil {
		t.Fatalf("sign-in before restart: %v", err)
	}
	old := out.AuthenticationResult
	oldKeys := ts.jwks(poolID)
	sub := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)["sub"]
	if err := ts.m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	ts2 := startAdminTarn(t, onDisk)
	g := ts2.auAdminGet(poolID, "alice")
	am := attrMap(g.UserAttributes)
	if aws.ToString(g.Username) != "alice" || g.UserStatus != types.UserStatusTypeConfirmed || am["sub"] != sub || am["email"] != "alice@example.com" {
		t.Errorf("after restart AdminGetUser %q %q %v", aws.ToString(g.Username), g.UserStatus, am)
	}
	d, err := ts2.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: &clientID})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient after restart: %v", err)
	}
	if aws.ToString(d.UserPoolClient.ClientSecret) != secret {
		t.Errorf("client secret changed across the restart")
	}
	pd, err := ts2.cip.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &poolID})
	if err != nil || aws.ToString(pd.UserPool.Name) != "durable" || pd.UserPool.EstimatedNumberOfUsers != 1 {
		t.Errorf("DescribeUserPool after restart: %+v %v", pd, err)
	}

	out, err = signIn(ts2)
	if err != nil {
		t.Fatalf("sign-in after restart: %v", err)
	}
	fresh := out.AuthenticationResult
	if got := strList(t, claimsOf(t, *fresh.IdToken), "cognito:groups"); !slices.Equal(got, []string{"admins"}) {
		t.Errorf("cognito:groups after restart %v", got)
	}

	// Keys survive: old and new tokens verify against the new JWKS, and
	// the key ids are the same.
	newKeys := ts2.jwks(poolID)
	for kid := range oldKeys {
		if _, ok := newKeys[kid]; !ok {
			t.Errorf("kid %s vanished from the JWKS after restart", kid)
		}
	}
	for name, tok := range map[string]string{"old ID": *old.IdToken, "old access": *old.AccessToken,
		"new ID": *fresh.IdToken, "new access": *fresh.AccessToken} {
		if _, err := parseJWT(newKeys, tok); err != nil {
			t.Errorf("%s token does not verify against the JWKS after restart: %v", name, err)
		}
	}
	if claimsOf(t, *old.IdToken)["iss"] != claimsOf(t, *fresh.IdToken)["iss"] {
		t.Errorf("issuer changed across the restart")
	}

	// The old access and refresh tokens remain usable with the API.
	if u, err := ts2.auGetUser(*old.AccessToken); err != nil || aws.ToString(u.Username) != "alice" {
		t.Errorf("GetUser with a pre-restart access token: %v %v", u, err)
	}
	_, err = ts2.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *old.RefreshToken, "SECRET_HASH": secretHash(secret, "alice", clientID)}})
	if err != nil {
		t.Errorf("refresh with a pre-restart refresh token: %v", err)
	}
}
