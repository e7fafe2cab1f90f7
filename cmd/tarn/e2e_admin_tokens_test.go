package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestE2E_Tokens_Claims(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
	}})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("email_verified", "true"),
		attr("given_name", "Alice"), attr("custom:tier", "gold"), attr("address", "1 Main St, Springfield"))
	sub := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)["sub"]
	before := time.Now().Unix()
	r := ts.auTokens(clientID, "alice", auPassword)
	after := time.Now().Unix()
	iss := ts.url + "/" + poolID

	idHdr, id := jwtParts(t, *r.IdToken)
	accHdr, acc := jwtParts(t, *r.AccessToken)
	for name, h := range map[string]map[string]any{"ID": idHdr, "access": accHdr} {
		if h["alg"] != "RS256" {
			t.Errorf("%s token alg %v, want RS256", name, h["alg"])
		}
		if kid, _ := h["kid"].(string); kid == "" {
			t.Errorf("%s token without kid", name)
		}
	}
	if idHdr["kid"] == accHdr["kid"] {
		t.Errorf("ID and access tokens share kid %v; they must use different keys", idHdr["kid"])
	}

	// ID token, api.md §7.2.
	wantStr := map[string]string{
		"sub": sub, "aud": clientID, "iss": iss, "token_use": "id", "cognito:username": "alice",
		"email": "alice@example.com", "given_name": "Alice", "custom:tier": "gold",
	}
	for k, v := range wantStr {
		if id[k] != v {
			t.Errorf("ID token %s = %#v, want %q", k, id[k], v)
		}
	}
	if id["email_verified"] != true {
		t.Errorf("ID token email_verified = %#v, want JSON true", id["email_verified"])
	}
	// address is the OIDC address object, the stored string its formatted
	// member.
	if a, _ := id["address"].(map[string]any); len(a) != 1 || a["formatted"] != "1 Main St, Springfield" {
		t.Errorf("ID token address = %#v, want {\"formatted\": \"1 Main St, Springfield\"}", id["address"])
	}
	for _, k := range []string{"jti", "origin_jti", "event_id"} {
		if s, _ := id[k].(string); !uuidShape.MatchString(s) {
			t.Errorf("ID token %s = %#v, want a UUID", k, id[k])
		}
	}
	checkTimes(t, "ID", id, before, after, 3600)

	// Access token, api.md §7.3.
	wantStr = map[string]string{
		"sub": sub, "iss": iss, "token_use": "access", "client_id": clientID, "username": "alice",
		"scope": "aws.cognito.signin.user.admin",
	}
	for k, v := range wantStr {
		if acc[k] != v {
			t.Errorf("access token %s = %#v, want %q", k, acc[k], v)
		}
	}
	if v, ok := acc["aud"]; ok {
		t.Errorf("access token has aud %v", v)
	}
	for _, k := range []string{"email", "given_name", "cognito:username"} {
		if v, ok := acc[k]; ok {
			t.Errorf("access token carries %s = %v", k, v)
		}
	}
	for _, k := range []string{"jti", "origin_jti", "event_id"} {
		if s, _ := acc[k].(string); !uuidShape.MatchString(s) {
			t.Errorf("access token %s = %#v, want a UUID", k, acc[k])
		}
	}
	checkTimes(t, "access", acc, before, after, 3600)
	if id["jti"] == acc["jti"] {
		t.Errorf("ID and access tokens share jti")
	}
	if id["origin_jti"] != acc["origin_jti"] || id["event_id"] != acc["event_id"] {
		t.Errorf("origin_jti/event_id differ between the ID and access token of one sign-in")
	}

	// A refresh keeps auth_time and origin_jti, and mints new jti.
	rr, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *r.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	rid := claimsOf(t, *rr.AuthenticationResult.IdToken)
	if rid["origin_jti"] != id["origin_jti"] || numClaim(t, rid, "auth_time") != numClaim(t, id, "auth_time") || rid["jti"] == id["jti"] {
		t.Errorf("refreshed ID token origin_jti %v auth_time %v jti %v; original %v %v %v",
			rid["origin_jti"], rid["auth_time"], rid["jti"], id["origin_jti"], id["auth_time"], id["jti"])
	}
	// A new sign-in is a new origin.
	if claimsOf(t, *ts.auTokens(clientID, "alice", auPassword).IdToken)["origin_jti"] == id["origin_jti"] {
		t.Errorf("two sign-ins share origin_jti")
	}

	// Signatures verify against the pool's JWKS; the discovery document
	// names the same issuer and JWKS.
	keys := ts.jwks(poolID)
	if len(keys) < 2 {
		t.Errorf("JWKS has %d keys, want ≥ 2 (ID and access keys differ)", len(keys))
	}
	if c := verifyJWT(t, keys, *r.IdToken); c["token_use"] != "id" {
		t.Errorf("verified ID token claims %v", c)
	}
	if c := verifyJWT(t, keys, *r.AccessToken); c["token_use"] != "access" {
		t.Errorf("verified access token claims %v", c)
	}
	// A tampered token does not verify.
	parts := strings.Split(*r.AccessToken, ".")
	tampered := parts[0] + "." + parts[1] + "." + flipLast(parts[2])
	if _, err := parseJWT(keys, tampered); err == nil {
		t.Errorf("a tampered signature verified")
	}
	// Another pool's JWKS does not verify this pool's tokens.
	other := ts.pool(cip.CreateUserPoolInput{})
	if _, err := parseJWT(ts.jwks(*other.Id), *r.IdToken); err == nil {
		t.Errorf("the ID token verified against another pool's JWKS")
	}

	resp, err := http.Get(iss + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var disc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&disc); err != nil {
		t.Fatal(err)
	}
	if disc["issuer"] != id["iss"] {
		t.Errorf("discovery issuer %v, ID token iss %v", disc["issuer"], id["iss"])
	}
	if disc["jwks_uri"] != iss+"/.well-known/jwks.json" {
		t.Errorf("discovery jwks_uri %v", disc["jwks_uri"])
	}

	// Unknown pool: no JWKS.
	resp2, err := http.Get(ts.url + "/us-east-1_AAAAAAAAA/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusNotFound {
		t.Errorf("JWKS of an unknown pool: HTTP %d, want 404", resp2.StatusCode)
	}
}

func checkTimes(t *testing.T, name string, c map[string]any, before, after, validity int64) {
	t.Helper()
	iat, exp, at := numClaim(t, c, "iat"), numClaim(t, c, "exp"), numClaim(t, c, "auth_time")
	if iat < before-1 || iat > after+1 {
		t.Errorf("%s token iat %d outside [%d, %d]", name, iat, before, after)
	}
	if exp-iat != validity {
		t.Errorf("%s token exp-iat %d, want %d", name, exp-iat, validity)
	}
	if at < before-1 || at > iat {
		t.Errorf("%s token auth_time %d, iat %d", name, at, iat)
	}
}

func flipLast(sig string) string {
	b := []byte(sig)
	if b[len(b)-2] == 'A' {
		b[len(b)-2] = 'B'
	} else {
		b[len(b)-2] = 'A'
	}
	return string(b)
}

// api.md §7.2: origin_jti is only there when the client has token
// revocation. Without it, the tokens still answer to a global sign-out, a
// disable and the user's deletion.
func TestE2E_Tokens_NoOriginJTIWithoutTokenRevocation(t *testing.T) {
	ts := startTarn(t)
	poolID, _ := ts.auEmailPool(cip.CreateUserPoolInput{})
	clientID := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("norevoke"),
		EnableTokenRevocation: aws.Bool(false)}).ClientId
	ts.confirmedUser(poolID, "nora", auPassword)
	signIn := func() *types.AuthenticationResultType {
		t.Helper()
		res := ts.auTokens(clientID, "nora", auPassword)
		for name, tok := range map[string]*string{"ID": res.IdToken, "access": res.AccessToken} {
			if c := claimsOf(t, *tok); c["origin_jti"] != nil || c["jti"] == nil {
				t.Errorf("%s token: origin_jti %v jti %v, want no origin_jti", name, c["origin_jti"], c["jti"])
			}
		}
		return res
	}
	res := signIn()
	if _, err := ts.auGetUser(*res.AccessToken); err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	if _, err := ts.cip.GlobalSignOut(ctxT(t), &cip.GlobalSignOutInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatalf("GlobalSignOut: %v", err)
	}
	_, err := ts.auGetUser(*res.AccessToken)
	wantFailure(t, "GetUser after GlobalSignOut", err, "NotAuthorizedException", "Access Token has been revoked")

	res = signIn()
	if _, err := ts.cip.AdminDisableUser(ctxT(t), &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("nora")}); err != nil {
		t.Fatalf("AdminDisableUser: %v", err)
	}
	_, err = ts.auGetUser(*res.AccessToken)
	wantFailure(t, "GetUser while disabled", err, "NotAuthorizedException", "User is disabled.")
	if _, err := ts.cip.AdminEnableUser(ctxT(t), &cip.AdminEnableUserInput{UserPoolId: &poolID, Username: aws.String("nora")}); err != nil {
		t.Fatalf("AdminEnableUser: %v", err)
	}
	_, err = ts.auGetUser(*res.AccessToken)
	wantFailure(t, "GetUser with a token from before the disable", err, "NotAuthorizedException", "Access Token has been revoked")

	res = signIn()
	if _, err := ts.cip.DeleteUser(ctxT(t), &cip.DeleteUserInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err = ts.auGetUser(*res.AccessToken)
	wantFailure(t, "GetUser after DeleteUser", err, "UserNotFoundException", "User does not exist.")
}
