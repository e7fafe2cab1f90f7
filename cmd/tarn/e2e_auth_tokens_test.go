package main

// Refresh, sign-out, revocation, access-token checks and the sign-in
// lockout.

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// auErrMessage is the message of a Cognito error.
func auErrMessage(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorMessage()
	}
	return ""
}

// auRefresh is InitiateAuth REFRESH_TOKEN_AUTH.
func (ts *tarnServer) auRefresh(clientID, refreshToken string) (*cip.InitiateAuthOutput, error) {
	return ts.cip.InitiateAuth(ctxT(ts.t), &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": refreshToken}})
}

func TestE2E_Refresh_RefreshTokenAuthKeepsOriginAndAuthTime(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "uma", auPassword, attr("email", "uma@example.com"))
	first := ts.auTokens(clientID, "uma", auPassword)

	out, err := ts.auRefresh(clientID, *first.RefreshToken)
	if err != nil {
		t.Fatalf("REFRESH_TOKEN_AUTH: %v", err)
	}
	res := out.AuthenticationResult
	if res == nil || res.AccessToken == nil || res.IdToken == nil {
		t.Fatalf("REFRESH_TOKEN_AUTH: %+v, want access and ID tokens", out)
	}
	if res.RefreshToken != nil {
		t.Errorf("REFRESH_TOKEN_AUTH returned a RefreshToken")
	}
	if aws.ToString(res.TokenType) != "Bearer" || res.ExpiresIn != 3600 {
		t.Errorf("TokenType %q ExpiresIn %d", aws.ToString(res.TokenType), res.ExpiresIn)
	}
	for _, pair := range [][2]string{{*first.AccessToken, *res.AccessToken}, {*first.IdToken, *res.IdToken}} {
		a, b := auClaims(t, pair[0]), auClaims(t, pair[1])
		if a["origin_jti"] == nil || a["origin_jti"] != b["origin_jti"] {
			t.Errorf("%s token: origin_jti %v then %v, want the same", a["token_use"], a["origin_jti"], b["origin_jti"])
		}
		if a["auth_time"] != b["auth_time"] {
			t.Errorf("%s token: auth_time %v then %v, want unchanged", a["token_use"], a["auth_time"], b["auth_time"])
		}
		if a["jti"] == b["jti"] {
			t.Errorf("%s token: jti reused", a["token_use"])
		}
	}
	if _, err := ts.auGetUser(*res.AccessToken); err != nil {
		t.Errorf("GetUser with the refreshed access token: %v", err)
	}

	// Another client cannot use the refresh token.
	other := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("other")}).ClientId
	_, err = ts.auRefresh(other, *first.RefreshToken)
	wantErr(t, "REFRESH_TOKEN_AUTH with another client", err, "NotAuthorizedException")
	_, err = ts.auRefresh(clientID, "not-a-refresh-token")
	wantErr(t, "REFRESH_TOKEN_AUTH with garbage", err, "NotAuthorizedException")
}

func TestE2E_Refresh_GetTokensFromRefreshToken(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "vera", auPassword)
	first := ts.auTokens(clientID, "vera", auPassword)

	out, errType := ts.rawCall("GetTokensFromRefreshToken", map[string]any{"ClientId": clientID, "RefreshToken": *first.RefreshToken})
	if errType != "" {
		t.Fatalf("GetTokensFromRefreshToken: %s %v", errType, out)
	}
	res, _ := out["AuthenticationResult"].(map[string]any)
	access, _ := res["AccessToken"].(string)
	if access == "" || res["IdToken"] == nil {
		t.Fatalf("GetTokensFromRefreshToken: %v, want tokens", out)
	}
	if _, ok := res["RefreshToken"]; ok {
		t.Errorf("a RefreshToken without rotation: %v", res)
	}
	if a, b := auClaims(t, *first.AccessToken), auClaims(t, access); a["origin_jti"] != b["origin_jti"] || a["auth_time"] != b["auth_time"] {
		t.Errorf("origin_jti %v/%v auth_time %v/%v, want unchanged", a["origin_jti"], b["origin_jti"], a["auth_time"], b["auth_time"])
	}
	if _, err := ts.auGetUser(access); err != nil {
		t.Errorf("GetUser with the new access token: %v", err)
	}
	other := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("other")}).ClientId
	if _, errType := ts.rawCall("GetTokensFromRefreshToken", map[string]any{"ClientId": other, "RefreshToken": *first.RefreshToken}); errType != "NotAuthorizedException" {
		t.Errorf("GetTokensFromRefreshToken with another client: %q, want NotAuthorizedException", errType)
	}
}

func TestE2E_GlobalSignOut_RevokesAccessAndRefreshTokens(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "walt", auPassword)
	a := ts.auTokens(clientID, "walt", auPassword)
	b := ts.auTokens(clientID, "walt", auPassword)

	if _, err := ts.cip.GlobalSignOut(ctxT(t), &cip.GlobalSignOutInput{AccessToken: a.AccessToken}); err != nil {
		t.Fatalf("GlobalSignOut: %v", err)
	}
	for name, tok := range map[string]*types.AuthenticationResultType{"signing-out session": a, "other session": b} {
		_, err := ts.auGetUser(*tok.AccessToken)
		wantErr(t, "GetUser of the "+name+" after GlobalSignOut", err, "NotAuthorizedException")
		_, err = ts.auRefresh(clientID, *tok.RefreshToken)
		wantFailure(t, "refresh of the "+name+" after GlobalSignOut", err, "NotAuthorizedException", "Refresh Token has been revoked")
	}
	// Signing in again works, and the new tokens are good.
	c := ts.auTokens(clientID, "walt", auPassword)
	if _, err := ts.auGetUser(*c.AccessToken); err != nil {
		t.Errorf("GetUser with tokens issued after GlobalSignOut: %v", err)
	}
	if _, err := ts.auRefresh(clientID, *c.RefreshToken); err != nil {
		t.Errorf("refresh of tokens issued after GlobalSignOut: %v", err)
	}
}

func TestE2E_RevokeToken_RevokesTheRefreshTokenFamilyOnly(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ctx := ctxT(t)
	ts.confirmedUser(poolID, "xena", auPassword)
	a := ts.auTokens(clientID, "xena", auPassword)
	b := ts.auTokens(clientID, "xena", auPassword)
	refreshed, err := ts.auRefresh(clientID, *a.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}

	_, err = ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &clientID, Token: a.AccessToken})
	wantErr(t, "RevokeToken with an access token", err, "UnsupportedTokenTypeException")

	if _, err := ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &clientID, Token: a.RefreshToken}); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	_, err = ts.auRefresh(clientID, *a.RefreshToken)
	wantErr(t, "refresh with the revoked token", err, "NotAuthorizedException")
	_, err = ts.auGetUser(*a.AccessToken)
	wantErr(t, "GetUser with the family's first access token", err, "NotAuthorizedException")
	_, err = ts.auGetUser(*refreshed.AuthenticationResult.AccessToken)
	wantErr(t, "GetUser with the family's refreshed access token", err, "NotAuthorizedException")

	// The other sign-in is untouched.
	if _, err := ts.auGetUser(*b.AccessToken); err != nil {
		t.Errorf("GetUser of another sign-in: %v", err)
	}
	if _, err := ts.auRefresh(clientID, *b.RefreshToken); err != nil {
		t.Errorf("refresh of another sign-in: %v", err)
	}
}

func TestE2E_AccessToken_GarbageIsNotAuthorized(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "yuri", auPassword)
	good := *ts.auTokens(clientID, "yuri", auPassword).AccessToken
	parts := strings.Split(good, ".")
	id := *ts.auTokens(clientID, "yuri", auPassword).IdToken
	for name, tok := range map[string]string{
		"garbage":          "garbage",
		"three parts":      "aaa.bbb.ccc",
		"forged signature": parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
		"ID token":         id,
	} {
		_, err := ts.auGetUser(tok)
		wantErr(t, "GetUser with "+name, err, "NotAuthorizedException")
	}
}

func TestE2E_Lockout_PasswordAttemptsExceededAfterFiveFailures(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "zoe", auPassword)
	for i := 1; i <= 5; i++ {
		_, err := ts.passwordAuth(clientID, "zoe", "Wr0ng-password")
		wantFailure(t, "wrong password", err, "NotAuthorizedException", "Incorrect username or password.")
	}
	_, err := ts.passwordAuth(clientID, "zoe", auPassword)
	wantFailure(t, "right password during the lockout", err, "NotAuthorizedException", "Password attempts exceeded")
	// SRP is locked out too.
	_, err = ts.auStartSRP(clientID, "zoe")
	wantErr(t, "USER_SRP_AUTH during the lockout", err, "NotAuthorizedException")
}

func TestE2E_Lockout_SuccessfulSignInResetsTheCount(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "zack", auPassword)
	for round := 0; round < 3; round++ {
		for i := 0; i < 4; i++ {
			_, err := ts.passwordAuth(clientID, "zack", "Wr0ng-password")
			wantErr(t, "wrong password", err, "NotAuthorizedException")
		}
		if _, err := ts.passwordAuth(clientID, "zack", auPassword); err != nil {
			t.Fatalf("round %d: right password after 4 failures: %v", round, err)
		}
	}
}
