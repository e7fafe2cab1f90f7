package main

// Clients with a secret: SECRET_HASH on every public step (api.md §4), the
// raw secret for RevokeToken and GetTokensFromRefreshToken.

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestE2E_ClientSecret_SecretHashOnEveryStep(t *testing.T) {
	ts := startTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	poolID := *p.Id
	c := ts.client(poolID, cip.CreateUserPoolClientInput{GenerateSecret: true})
	clientID, secret := *c.ClientId, *c.ClientSecret
	hash := func(username string) string { return auSecretHash(secret, username, clientID) }
	ctx := ctxT(t)
	const email = "ivan@example.com"

	// Sign-up and confirmation hash the email as typed.
	up, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, SecretHash: aws.String(hash(email)), Username: aws.String(email), Password: aws.String(auPassword)})
	if err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	sub := *up.UserSub
	code := ts.lastCode(poolID, sub)
	_, err = ts.cip.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &clientID, Username: aws.String(email), ConfirmationCode: &code})
	wantErr(t, "ConfirmSignUp without SecretHash", err, "NotAuthorizedException")
	if _, err := ts.cip.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &clientID, SecretHash: aws.String(hash(email)), Username: aws.String(email), ConfirmationCode: &code}); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}

	// USER_PASSWORD_AUTH.
	_, err = ts.passwordAuth(clientID, email, auPassword)
	wantErr(t, "USER_PASSWORD_AUTH without SECRET_HASH", err, "NotAuthorizedException")
	pw, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": email, "PASSWORD": auPassword, "SECRET_HASH": hash(email)}})
	if err != nil || pw.AuthenticationResult == nil {
		t.Fatalf("USER_PASSWORD_AUTH with SECRET_HASH: %+v %v", pw, err)
	}

	// USER_SRP_AUTH: the answer hashes the canonical username (the sub).
	x, err := ts.auStartSRPWith(clientID, email, map[string]string{"SECRET_HASH": hash(email)})
	if err != nil {
		t.Fatalf("USER_SRP_AUTH with SECRET_HASH: %v", err)
	}
	r := x.responses(t, poolID, auPassword)
	_, err = ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, r)
	wantErr(t, "PASSWORD_VERIFIER without SECRET_HASH", err, "NotAuthorizedException")
	if x, err = ts.auStartSRPWith(clientID, email, map[string]string{"SECRET_HASH": hash(email)}); err != nil {
		t.Fatal(err)
	}
	r = x.responses(t, poolID, auPassword)
	r["SECRET_HASH"] = hash(sub)
	srpOut, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, r)
	if err != nil || srpOut.AuthenticationResult == nil {
		t.Fatalf("PASSWORD_VERIFIER with SECRET_HASH over the sub: %+v %v", srpOut, err)
	}

	// REFRESH_TOKEN_AUTH hashes the internal username.
	refresh := *pw.AuthenticationResult.RefreshToken
	ref, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": refresh, "SECRET_HASH": hash(sub)}})
	if err != nil || ref.AuthenticationResult == nil {
		t.Fatalf("REFRESH_TOKEN_AUTH with SECRET_HASH: %+v %v", ref, err)
	}
	_, err = ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": refresh, "SECRET_HASH": hash("someone-else")}})
	wantFailure(t, "REFRESH_TOKEN_AUTH with a wrong SECRET_HASH", err, "NotAuthorizedException", "SecretHash does not match for the client: "+clientID)
	// A hash over a name the caller sends along proves nothing about the
	// token's user.
	_, err = ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": refresh, "USERNAME": "someone-else", "SECRET_HASH": hash("someone-else")}})
	wantErr(t, "REFRESH_TOKEN_AUTH with a SECRET_HASH over another USERNAME", err, "NotAuthorizedException")
	// A missing SECRET_HASH is named as such, and is refused before the
	// refresh token is looked at.
	for _, token := range []string{refresh, "not-a-refresh-token"} {
		_, err = ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": token}})
		wantFailure(t, "REFRESH_TOKEN_AUTH without SECRET_HASH", err, "NotAuthorizedException",
			"Client "+clientID+" is configured with secret but SECRET_HASH was not received")
	}

	// GetTokensFromRefreshToken and RevokeToken take the raw secret.
	if _, errType := ts.rawCall("GetTokensFromRefreshToken", map[string]any{"ClientId": clientID, "RefreshToken": refresh}); errType != "NotAuthorizedException" {
		t.Errorf("GetTokensFromRefreshToken without ClientSecret: %q, want NotAuthorizedException", errType)
	}
	if out, errType := ts.rawCall("GetTokensFromRefreshToken", map[string]any{"ClientId": clientID, "ClientSecret": secret, "RefreshToken": refresh}); errType != "" {
		t.Errorf("GetTokensFromRefreshToken with ClientSecret: %s %v", errType, out)
	}
	// RevokeToken's model knows UnauthorizedException for a client that
	// fails to authenticate, and neither NotAuthorized- nor
	// ResourceNotFoundException.
	_, err = ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &clientID, Token: &refresh})
	wantErr(t, "RevokeToken without ClientSecret", err, "UnauthorizedException")
	_, err = ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &clientID, ClientSecret: aws.String(strings.Repeat("x", 30)), Token: &refresh})
	wantErr(t, "RevokeToken with a wrong ClientSecret", err, "UnauthorizedException")
	_, err = ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String("nosuchclient0000000000000"), Token: &refresh})
	wantErr(t, "RevokeToken with an unknown ClientId", err, "UnauthorizedException")
	var unauthorized *types.UnauthorizedException
	if !errors.As(err, &unauthorized) {
		t.Errorf("the SDK did not surface a typed UnauthorizedException: %T", err)
	}
	other := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("other")})
	_, err = ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: other.ClientId, Token: &refresh})
	wantErr(t, "RevokeToken of another client's token", err, "UnauthorizedException")
	if _, err := ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &clientID, ClientSecret: &secret, Token: &refresh}); err != nil {
		t.Fatalf("RevokeToken with ClientSecret: %v", err)
	}
	_, err = ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": refresh, "SECRET_HASH": hash(sub)}})
	wantErr(t, "REFRESH_TOKEN_AUTH after RevokeToken", err, "NotAuthorizedException")
}
