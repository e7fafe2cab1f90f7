package main

// Sign-up, confirmation and the identity rules of sign-in (username
// attributes, aliases, case sensitivity), through aws-sdk-go-v2.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

var auSixDigits = regexp.MustCompile(`^[0-9]{6}$`)

func TestE2E_SignUp_ConfirmWithEmailCode_ThenSignInAndGetUser(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ctx := ctxT(t)

	out := ts.auSignUp(clientID, "alice", auPassword, attr("email", "alice@example.com"), attr("name", "Alice"))
	if out.UserConfirmed {
		t.Error("UserConfirmed = true for a self sign-up")
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(aws.ToString(out.UserSub)) {
		t.Errorf("UserSub = %q, want a UUID", aws.ToString(out.UserSub))
	}
	d := out.CodeDeliveryDetails
	if d == nil {
		t.Fatal("no CodeDeliveryDetails")
	}
	if got := aws.ToString(d.Destination); got != "a***@e***" {
		t.Errorf("Destination = %q, want a***@e***", got)
	}
	if d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Errorf("delivery = %s/%s, want EMAIL/email", d.DeliveryMedium, aws.ToString(d.AttributeName))
	}

	msgs := ts.messages(poolID, "alice")
	if len(msgs) != 1 {
		t.Fatalf("outbox has %d messages for alice, want 1: %+v", len(msgs), msgs)
	}
	m := msgs[0]
	if m.Action != "SignUp" || m.Medium != "EMAIL" || m.Destination != "alice@example.com" {
		t.Errorf("message = %+v, want action SignUp, medium EMAIL to alice@example.com", m)
	}
	if !auSixDigits.MatchString(m.Code) {
		t.Errorf("code %q is not 6 digits", m.Code)
	}
	if !strings.Contains(m.Body, m.Code) {
		t.Errorf("body %q does not contain the code %q", m.Body, m.Code)
	}
	if m.Subject == "" {
		t.Error("email message has no subject")
	}

	u := ts.auAdminGet(poolID, "alice")
	if u.UserStatus != types.UserStatusTypeUnconfirmed || !u.Enabled {
		t.Errorf("after SignUp: status %s enabled %v, want UNCONFIRMED enabled", u.UserStatus, u.Enabled)
	}

	wrong := "000000"
	if m.Code == wrong {
		wrong = "111111"
	}
	wantErr(t, "ConfirmSignUp with a wrong code", ts.auConfirm(clientID, "alice", wrong), "CodeMismatchException")
	if err := ts.auConfirm(clientID, "alice", m.Code); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	u = ts.auAdminGet(poolID, "alice")
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("after ConfirmSignUp: status %s, want CONFIRMED", u.UserStatus)
	}
	if got := attrMap(u.UserAttributes)["email_verified"]; got != "true" {
		t.Errorf("email_verified = %q after confirmation, want true", got)
	}
	wantErr(t, "ConfirmSignUp of a confirmed user", ts.auConfirm(clientID, "alice", m.Code), "NotAuthorizedException")

	res := ts.auTokens(clientID, "alice", auPassword)
	if res.IdToken == nil || res.RefreshToken == nil || aws.ToString(res.TokenType) != "Bearer" || res.ExpiresIn != 3600 {
		t.Errorf("AuthenticationResult = %+v, want ID, access and refresh tokens, Bearer, 3600", res)
	}
	id := auClaims(t, *res.IdToken)
	if id["sub"] != *out.UserSub || id["cognito:username"] != "alice" || id["email"] != "alice@example.com" || id["email_verified"] != true || id["aud"] != clientID {
		t.Errorf("ID token claims = %v", id)
	}
	access := auClaims(t, *res.AccessToken)
	if access["username"] != "alice" || access["client_id"] != clientID || access["token_use"] != "access" {
		t.Errorf("access token claims = %v", access)
	}

	got, err := ts.cip.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	am := attrMap(got.UserAttributes)
	if aws.ToString(got.Username) != "alice" || am["sub"] != *out.UserSub || am["email"] != "alice@example.com" || am["name"] != "Alice" || am["email_verified"] != "true" {
		t.Errorf("GetUser = %s %v", aws.ToString(got.Username), am)
	}
}

func TestE2E_SignUp_Errors(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ctx := ctxT(t)
	signUp := func(clientID, username, password string, attrs ...types.AttributeType) error {
		_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String(username),
			Password: aws.String(password), UserAttributes: attrs})
		return err
	}
	ts.auSignUp(clientID, "bob", auPassword, attr("email", "bob@example.com"))

	t.Run("DuplicateUsername", func(t *testing.T) {
		wantErr(t, "second SignUp of bob", signUp(clientID, "bob", auPassword, attr("email", "bob2@example.com")), "UsernameExistsException")
	})
	t.Run("WeakPassword", func(t *testing.T) {
		for _, pw := range []string{"Sh0rt!", "nouppercase1!", "NOLOWERCASE1!", "NoNumbers!!", "NoSymbols123"} {
			wantErr(t, "SignUp with password "+pw, signUp(clientID, "weak", pw, attr("email", "weak@example.com")), "InvalidPasswordException")
		}
		// Nothing was stored.
		_, err := ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("weak")})
		wantErr(t, "AdminGetUser after refused sign-ups", err, "UserNotFoundException")
	})
	t.Run("UnknownAttribute", func(t *testing.T) {
		wantErr(t, "SignUp with favourite_colour", signUp(clientID, "carol", auPassword, attr("favourite_colour", "blue")), "InvalidParameterException")
		wantErr(t, "SignUp with custom:nope", signUp(clientID, "carol", auPassword, attr("custom:nope", "x")), "InvalidParameterException")
	})
	t.Run("MissingRequiredAttribute", func(t *testing.T) {
		p := ts.pool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{{Name: aws.String("email"),
			AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}})
		c := ts.client(*p.Id, cip.CreateUserPoolClientInput{})
		wantErr(t, "SignUp without the required email", signUp(*c.ClientId, "dave", auPassword, attr("name", "Dave")), "InvalidParameterException")
		if err := signUp(*c.ClientId, "dave", auPassword, attr("email", "dave@example.com")); err != nil {
			t.Errorf("SignUp with the required email: %v", err)
		}
	})
	t.Run("UnknownClient", func(t *testing.T) {
		wantErr(t, "SignUp with an unknown client", signUp("1nosuchclient0000000000000", "erin", auPassword), "ResourceNotFoundException")
	})
	t.Run("ClientSecretWithoutSecretHash", func(t *testing.T) {
		c := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("secret"), GenerateSecret: true})
		wantErr(t, "SignUp without SecretHash", signUp(*c.ClientId, "frank", auPassword, attr("email", "frank@example.com")), "NotAuthorizedException")
		_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: c.ClientId, Username: aws.String("frank"), Password: aws.String(auPassword),
			SecretHash: aws.String(auSecretHash("wrong-secret", "frank", *c.ClientId)), UserAttributes: []types.AttributeType{attr("email", "frank@example.com")}})
		wantErr(t, "SignUp with a wrong SecretHash", err, "NotAuthorizedException")
		_, err = ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: c.ClientId, Username: aws.String("frank"), Password: aws.String(auPassword),
			SecretHash: aws.String(auSecretHash(*c.ClientSecret, "frank", *c.ClientId)), UserAttributes: []types.AttributeType{attr("email", "frank@example.com")}})
		if err != nil {
			t.Errorf("SignUp with the right SecretHash: %v", err)
		}
	})
	t.Run("AdminCreateUserOnlyPool", func(t *testing.T) {
		p := ts.pool(cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}})
		c := ts.client(*p.Id, cip.CreateUserPoolClientInput{})
		wantErr(t, "SignUp in an admin-only pool", signUp(*c.ClientId, "gina", auPassword), "NotAuthorizedException")
	})
}

func TestE2E_SignIn_UnconfirmedUser_UserNotConfirmedEvenWithWrongPassword(t *testing.T) {
	ts := startTarn(t)
	_, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.auSignUp(clientID, "henry", auPassword, attr("email", "henry@example.com"))
	_, err := ts.passwordAuth(clientID, "henry", auPassword)
	wantErr(t, "sign-in of an unconfirmed user", err, "UserNotConfirmedException")
	_, err = ts.passwordAuth(clientID, "henry", "Wr0ng-password")
	wantErr(t, "sign-in of an unconfirmed user with a wrong password", err, "UserNotConfirmedException")
}

func TestE2E_SignIn_UnknownUser_UserNotFoundUnlessExistenceErrorsPrevented(t *testing.T) {
	ts := startTarn(t)
	poolID, legacy := ts.auEmailPool(cip.CreateUserPoolInput{})
	_, err := ts.passwordAuth(legacy, "nobody", auPassword)
	wantErr(t, "LEGACY client, unknown user", err, "UserNotFoundException")

	enabled := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	_, err = ts.passwordAuth(*enabled.ClientId, "nobody", auPassword)
	wantErr(t, "ENABLED client, unknown user", err, "NotAuthorizedException")
}

func TestE2E_ResendConfirmationCode_NewCodeWorksOldCodeFails(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ctx := ctxT(t)
	resend := func() (*cip.ResendConfirmationCodeOutput, error) {
		return ts.cip.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: &clientID, Username: aws.String("iris")})
	}
	ts.auSignUp(clientID, "iris", auPassword, attr("email", "iris@example.com"))
	old := ts.lastCode(poolID, "iris")

	out, err := resend()
	if err != nil {
		t.Fatalf("ResendConfirmationCode: %v", err)
	}
	if d := out.CodeDeliveryDetails; d == nil || aws.ToString(d.Destination) != "i***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Errorf("CodeDeliveryDetails = %+v, want i***@e*** by EMAIL", d)
	}
	msgs := ts.messages(poolID, "iris")
	if len(msgs) != 2 {
		t.Fatalf("outbox has %d messages, want 2", len(msgs))
	}
	fresh := msgs[1].Code
	if !auSixDigits.MatchString(fresh) || !strings.Contains(msgs[1].Body, fresh) {
		t.Errorf("resent message = %+v", msgs[1])
	}
	if fresh != old {
		wantErr(t, "ConfirmSignUp with the superseded code", ts.auConfirm(clientID, "iris", old), "CodeMismatchException")
	}
	if err := ts.auConfirm(clientID, "iris", fresh); err != nil {
		t.Fatalf("ConfirmSignUp with the new code: %v", err)
	}
	_, err = resend()
	wantErr(t, "ResendConfirmationCode for a confirmed user", err, "InvalidParameterException")
	ts.auTokens(clientID, "iris", auPassword)
}

func TestE2E_UsernameAttributesPool_EmailIsTheSignInNameAndUsernameIsTheSub(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})

	out := ts.auSignUp(clientID, "jane@example.com", auPassword)
	sub := aws.ToString(out.UserSub)
	u := ts.auAdminGet(poolID, "jane@example.com")
	if aws.ToString(u.Username) != sub {
		t.Errorf("username = %q, want the sub %q", aws.ToString(u.Username), sub)
	}
	if got := attrMap(u.UserAttributes)["email"]; got != "jane@example.com" {
		t.Errorf("email = %q, want jane@example.com", got)
	}
	code := ts.lastCode(poolID, sub)
	if err := ts.auConfirm(clientID, "jane@example.com", code); err != nil {
		t.Fatalf("ConfirmSignUp by email: %v", err)
	}
	res := ts.auTokens(clientID, "jane@example.com", auPassword)
	if c := auClaims(t, *res.IdToken); c["cognito:username"] != sub || c["email"] != "jane@example.com" {
		t.Errorf("ID token: cognito:username %v email %v, want %s jane@example.com", c["cognito:username"], c["email"], sub)
	}
	if c := auClaims(t, *res.AccessToken); c["username"] != sub {
		t.Errorf("access token username = %v, want %s", c["username"], sub)
	}

	_, err := ts.cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String("jane@example.com"), Password: aws.String(auPassword)})
	wantErr(t, "second SignUp with the same email", err, "UsernameExistsException")
	_, err = ts.cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String("not-an-email"), Password: aws.String(auPassword)})
	wantErr(t, "SignUp with a username that is not an email", err, "InvalidParameterException")
}

func TestE2E_AliasPool_EmailUsernameRejected_EmailSignInOnlyOnceVerified(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	ctx := ctxT(t)

	_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("kate@example.com"), Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("email", "kate@example.com")}})
	wantErr(t, "SignUp with an email-shaped username in an email-alias pool", err, "InvalidParameterException")

	ts.auSignUp(clientID, "kate", auPassword, attr("email", "kate@example.com"))
	// Confirmed by an administrator: the email stays unverified.
	if _, err := ts.cip.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &poolID, Username: aws.String("kate")}); err != nil {
		t.Fatalf("AdminConfirmSignUp: %v", err)
	}
	ts.auTokens(clientID, "kate", auPassword)
	_, err = ts.passwordAuth(clientID, "kate@example.com", auPassword)
	wantErr(t, "sign-in with the unverified email alias", err, "UserNotFoundException")

	// Verify the email through the self-service code.
	access := ts.auTokens(clientID, "kate", auPassword).AccessToken
	if _, err := ts.cip.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("email")}); err != nil {
		t.Fatalf("GetUserAttributeVerificationCode: %v", err)
	}
	code := ts.auLastMessage(poolID, "kate", "VerifyUserAttribute").Code
	if _, err := ts.cip.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: &code}); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	res := ts.auTokens(clientID, "kate@example.com", auPassword)
	if c := auClaims(t, *res.AccessToken); c["username"] != "kate" {
		t.Errorf("signed in by alias: access token username %v, want kate", c["username"])
	}
}

func TestE2E_CaseInsensitivePool_SignUpAliceSignInALICE(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}})
	ts.auSignedUp(poolID, clientID, "Alice", "alice@example.com", auPassword)
	for _, name := range []string{"ALICE", "alice", "Alice"} {
		res := ts.auTokens(clientID, name, auPassword)
		u, err := ts.auGetUser(*res.AccessToken)
		if err != nil {
			t.Fatalf("GetUser after signing in as %s: %v", name, err)
		}
		if !strings.EqualFold(aws.ToString(u.Username), "alice") {
			t.Errorf("signed in as %s: Username %q", name, aws.ToString(u.Username))
		}
	}
	_, err := ts.cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String("ALICE"), Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("email", "other@example.com")}})
	wantErr(t, "SignUp of ALICE next to Alice", err, "UsernameExistsException")

	// A case-sensitive pool (the API default) keeps them apart.
	p2, c2 := ts.auEmailPool(cip.CreateUserPoolInput{PoolName: aws.String("sensitive")})
	ts.auSignedUp(p2, c2, "Alice", "alice@example.com", auPassword)
	_, err = ts.passwordAuth(c2, "ALICE", auPassword)
	wantErr(t, "ALICE in a case-sensitive pool", err, "UserNotFoundException")
}
