package main

// The failures api.md §2.2 names for the P1 operations that no other test
// drove or checked to the message.

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestE2E_P1Failures_RefreshTokens(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "ray", auPassword)
	refresh := func(token string) error {
		_, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: &clientID, RefreshToken: &token})
		return err
	}
	wantFailure(t, "GetTokensFromRefreshToken with a made-up token", refresh("not-a-refresh-token"),
		"NotAuthorizedException", "Invalid Refresh Token")
	tokens := ts.auTokens(clientID, "ray", auPassword)
	if _, err := ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &clientID, Token: tokens.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, "GetTokensFromRefreshToken with a revoked token", refresh(*tokens.RefreshToken),
		"NotAuthorizedException", "Refresh Token has been revoked")
	_, err := ts.auRefresh(clientID, "not-a-refresh-token")
	wantFailure(t, "REFRESH_TOKEN_AUTH with a made-up token", err, "NotAuthorizedException", "Invalid Refresh Token")

	// RevokeToken takes refresh tokens only, and only where revocation is on.
	_, err = ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &clientID, Token: tokens.IdToken})
	wantErr(t, "RevokeToken with an ID token", err, "UnsupportedTokenTypeException")
	off := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("no-revocation"), EnableTokenRevocation: aws.Bool(false)}).ClientId
	offTokens := ts.auTokens(off, "ray", auPassword)
	_, err = ts.cip.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &off, Token: offTokens.RefreshToken})
	wantFailure(t, "RevokeToken on a client without token revocation", err,
		"UnsupportedOperationException", "Token revocation is not enabled for this client.")
}

func TestE2E_P1Failures_AdminResetUserPassword(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	reset := func(username string) error {
		_, err := ts.cip.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String(username)})
		return err
	}
	ts.auSignUp(clientID, "una", auPassword, attr("email", "una@example.com"))
	wantFailure(t, "AdminResetUserPassword of an UNCONFIRMED user", reset("una"),
		"NotAuthorizedException", "User password cannot be reset in the current state.")
	ts.confirmedUser(poolID, "nemo", auPassword, attr("email", "nemo@example.com"))
	wantFailure(t, "AdminResetUserPassword without a verified email or phone", reset("nemo"), "InvalidParameterException",
		"Cannot reset password for the user as there is no registered/verified email or phone_number")

	ts.confirmedUser(poolID, "rhea", auPassword, attr("email", "rhea@example.com"), attr("email_verified", "true"))
	if err := reset("rhea"); err != nil {
		t.Fatal(err)
	}
	_, err := ts.passwordAuth(clientID, "rhea", auPassword)
	wantFailure(t, "InitiateAuth after AdminResetUserPassword", err, "PasswordResetRequiredException", "Password reset required for the user")
	_, err = ts.cip.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &poolID, ClientId: &clientID,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "rhea", "PASSWORD": auPassword}})
	wantFailure(t, "AdminInitiateAuth after AdminResetUserPassword", err, "PasswordResetRequiredException", "Password reset required for the user")
}

func TestE2E_P1Failures_Attributes(t *testing.T) {
	ts, clock := quotaTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{{Name: aws.String("email"), Required: aws.Bool(true), Mutable: aws.Bool(true)}}})
	_, err := ts.cip.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &poolID, Username: aws.String("nobody"),
		UserAttributeNames: []string{"email"}})
	wantErr(t, "AdminDeleteUserAttributes of an unknown user", err, "UserNotFoundException")
	ts.auSignedUp(poolID, clientID, "ada", "ada@example.com", auPassword)
	_, err = ts.cip.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &poolID, Username: aws.String("ada"),
		UserAttributeNames: []string{"email"}})
	wantFailure(t, "AdminDeleteUserAttributes of a required attribute", err, "InvalidParameterException",
		"Attributes did not conform to the schema: email: The attribute is required")

	narrow := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("narrow"), WriteAttributes: []string{"email"}}).ClientId
	access := ts.auTokens(narrow, "ada", auPassword).AccessToken
	_, err = ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: access,
		UserAttributes: []types.AttributeType{attr("name", "Ada")}})
	wantFailure(t, "UpdateUserAttributes of an attribute the client may not write", err,
		"NotAuthorizedException", "A client attempted to write unauthorized attribute")

	// Verifying an email another user already holds as a verified alias.
	ts.auSignedUp(poolID, clientID, "bo", "bo@example.com", auPassword)
	boAccess := ts.auTokens(clientID, "bo", auPassword).AccessToken
	if _, err := ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: boAccess,
		UserAttributes: []types.AttributeType{attr("email", "ada@example.com")}}); err != nil {
		t.Fatalf("UpdateUserAttributes to ada's email (unverified until the code): %v", err)
	}
	verify := func(code string) error {
		_, err := ts.cip.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: boAccess, AttributeName: aws.String("email"), Code: &code})
		return err
	}
	code := ts.auLastMessage(poolID, "bo", "UpdateUserAttribute").Code
	wantFailure(t, "VerifyUserAttribute of another user's verified email", verify(code),
		"AliasExistsException", "An account with the email already exists.")
	if got := aws.ToString(ts.auAdminGet(poolID, "ada@example.com").Username); got != "ada" {
		t.Errorf("ada@example.com signs in %q, want ada still", got)
	}

	// An attribute code lives 24 hours.
	if _, err := ts.cip.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: boAccess,
		AttributeName: aws.String("email")}); err != nil {
		t.Fatal(err)
	}
	code = ts.auLastMessage(poolID, "bo", "VerifyUserAttribute").Code
	clock.Advance(24*time.Hour + time.Second)
	boAccess = ts.auTokens(clientID, "bo", auPassword).AccessToken // the old one has expired
	wantFailure(t, "VerifyUserAttribute with a code a day old", verify(code),
		"ExpiredCodeException", "Invalid code provided, please request a code again.")
}
