package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestE2E_AdminCreateUser(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})

	out, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice"),
		UserAttributes:         []types.AttributeType{attr("email", "alice@example.com"), attr("email_verified", "true")},
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}})
	if err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	u := out.User
	if aws.ToString(u.Username) != "alice" || u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled {
		t.Errorf("User %q status %q enabled %v, want alice FORCE_CHANGE_PASSWORD true", aws.ToString(u.Username), u.UserStatus, u.Enabled)
	}
	am := attrMap(u.Attributes)
	if !uuidShape.MatchString(am["sub"]) {
		t.Errorf("sub %q is not a UUID", am["sub"])
	}
	if am["email"] != "alice@example.com" || am["email_verified"] != "true" {
		t.Errorf("attributes %v", am)
	}
	if u.UserCreateDate == nil || u.UserLastModifiedDate == nil {
		t.Errorf("dates missing")
	}

	msgs := ts.messages(poolID, "alice")
	if len(msgs) != 1 {
		t.Fatalf("%d invitation messages, want 1: %+v", len(msgs), msgs)
	}
	inv := msgs[0]
	if inv.Medium != "EMAIL" || inv.Destination != "alice@example.com" || inv.Code == "" || !strings.Contains(inv.Body, inv.Code) {
		t.Errorf("invitation %+v: want EMAIL to alice@example.com with the temporary password in the body", inv)
	}
	tmp := inv.Code

	// The temporary password leads to NEW_PASSWORD_REQUIRED.
	a, err := ts.adminPasswordAuth(poolID, clientID, "alice", tmp)
	if err != nil {
		t.Fatalf("AdminInitiateAuth with the temporary password: %v", err)
	}
	if a.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(a.Session) == "" || a.AuthenticationResult != nil {
		t.Fatalf("challenge %q session %q result %v, want NEW_PASSWORD_REQUIRED", a.ChallengeName, aws.ToString(a.Session), a.AuthenticationResult)
	}
	// A weak new password is refused; the session stays usable.
	_, err = ts.cip.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: &poolID, ClientId: &clientID,
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: a.Session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "NEW_PASSWORD": "weak"}})
	wantErr(t, "NEW_PASSWORD_REQUIRED with a weak password", err, "InvalidPasswordException")
	a, err = ts.adminPasswordAuth(poolID, clientID, "alice", tmp)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ts.cip.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: &poolID, ClientId: &clientID,
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: a.Session,
		ChallengeResponses: map[string]string{"USERNAME": "alice", "NEW_PASSWORD": "N3w-Passw0rd!"}})
	if err != nil {
		t.Fatalf("AdminRespondToAuthChallenge: %v", err)
	}
	if r.AuthenticationResult == nil || aws.ToString(r.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("no tokens after NEW_PASSWORD_REQUIRED: %+v", r)
	}
	if st := ts.auAdminGet(poolID, "alice").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("status after the new password %q, want CONFIRMED", st)
	}
	ts.auTokens(clientID, "alice", "N3w-Passw0rd!")
	_, err = ts.passwordAuth(clientID, "alice", tmp)
	wantErr(t, "sign-in with the old temporary password", err, "NotAuthorizedException")

	// RESEND for a CONFIRMED user.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice"),
		MessageAction: types.MessageActionTypeResend, DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}})
	wantErr(t, "RESEND for a CONFIRMED user", err, "UnsupportedUserStateException")

	// Duplicate.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice")})
	wantErr(t, "AdminCreateUser duplicate", err, "UsernameExistsException")

	// Unknown pool.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String("us-east-1_AAAAAAAAA"), Username: aws.String("x")})
	wantErr(t, "AdminCreateUser unknown pool", err, "ResourceNotFoundException")
}

func TestE2E_AdminCreateUser_MessageActions(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})

	// SUPPRESS sends nothing.
	_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("quiet"),
		UserAttributes: []types.AttributeType{attr("email", "quiet@example.com")}, MessageAction: types.MessageActionTypeSuppress,
		DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}, TemporaryPassword: aws.String("Temp0rary!")})
	if err != nil {
		t.Fatal(err)
	}
	if msgs := ts.messages(poolID, "quiet"); len(msgs) != 0 {
		t.Errorf("SUPPRESS sent %d messages: %+v", len(msgs), msgs)
	}
	// The supplied TemporaryPassword works.
	a, err := ts.adminPasswordAuth(poolID, clientID, "quiet", "Temp0rary!")
	if err != nil || a.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("sign-in with the supplied temporary password: %v %v", a, err)
	}

	// RESEND issues a new temporary password in a new message.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("bob"),
		UserAttributes: []types.AttributeType{attr("email", "bob@example.com")}, DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}})
	if err != nil {
		t.Fatal(err)
	}
	first := ts.lastCode(poolID, "bob")
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("bob"),
		MessageAction: types.MessageActionTypeResend, DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}})
	if err != nil {
		t.Fatalf("RESEND: %v", err)
	}
	msgs := ts.messages(poolID, "bob")
	if len(msgs) != 2 {
		t.Fatalf("%d messages after RESEND, want 2", len(msgs))
	}
	second := msgs[1].Code
	if second == "" || second == first {
		t.Fatalf("RESEND temporary password %q, first %q: want a new one", second, first)
	}
	_, err = ts.adminPasswordAuth(poolID, clientID, "bob", first)
	wantErr(t, "sign-in with the superseded temporary password", err, "NotAuthorizedException")
	a, err = ts.adminPasswordAuth(poolID, clientID, "bob", second)
	if err != nil || a.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("sign-in with the resent temporary password: %v %v", a, err)
	}

	// RESEND for a user that does not exist.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("ghost"),
		MessageAction: types.MessageActionTypeResend})
	wantErr(t, "RESEND for a missing user", err, "UserNotFoundException")
}

func TestE2E_AdminCreateUser_Validation(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	cases := []struct {
		name string
		in   cip.AdminCreateUserInput
		code string
	}{
		{"weak temporary password", cip.AdminCreateUserInput{Username: aws.String("u1"), TemporaryPassword: aws.String("short")}, "InvalidPasswordException"},
		{"temporary password without symbol", cip.AdminCreateUserInput{Username: aws.String("u2"), TemporaryPassword: aws.String("Passw0rdd")}, "InvalidPasswordException"},
		{"unknown attribute", cip.AdminCreateUserInput{Username: aws.String("u3"), UserAttributes: []types.AttributeType{attr("shoe_size", "9")}}, "InvalidParameterException"},
		{"undefined custom attribute", cip.AdminCreateUserInput{Username: aws.String("u4"), UserAttributes: []types.AttributeType{attr("custom:nope", "9")}}, "InvalidParameterException"},
		{"bad email", cip.AdminCreateUserInput{Username: aws.String("u5"), UserAttributes: []types.AttributeType{attr("email", "not-an-email")}}, "InvalidParameterException"},
		{"bad delivery medium", cip.AdminCreateUserInput{Username: aws.String("u6"), DesiredDeliveryMediums: []types.DeliveryMediumType{"PIGEON"}}, "InvalidParameterException"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.in.UserPoolId = &poolID
			c.in.MessageAction = types.MessageActionTypeSuppress
			_, err := ts.cip.AdminCreateUser(ctx, &c.in)
			wantErr(t, c.name, err, c.code)
			_, err = ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: c.in.Username})
			wantErr(t, c.name+": user created anyway", err, "UserNotFoundException")
		})
	}
}

func TestE2E_AdminGetUser(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("given_name", "Alice"))
	byName := ts.auAdminGet(poolID, "alice")
	am := attrMap(byName.UserAttributes)
	if aws.ToString(byName.Username) != "alice" || byName.UserStatus != types.UserStatusTypeConfirmed || !byName.Enabled {
		t.Errorf("AdminGetUser %q %q %v", aws.ToString(byName.Username), byName.UserStatus, byName.Enabled)
	}
	if am["given_name"] != "Alice" || am["email"] != "alice@example.com" || !uuidShape.MatchString(am["sub"]) {
		t.Errorf("attributes %v", am)
	}
	bySub := ts.auAdminGet(poolID, am["sub"])
	if aws.ToString(bySub.Username) != "alice" {
		t.Errorf("AdminGetUser by sub: Username %q, want the canonical alice", aws.ToString(bySub.Username))
	}
	_, err := ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("nobody")})
	wantErr(t, "AdminGetUser unknown", err, "UserNotFoundException")
	if err != nil && !strings.Contains(err.Error(), "User does not exist.") {
		t.Errorf("message %v", err)
	}
	_, err = ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_AAAAAAAAA"), Username: aws.String("alice")})
	wantErr(t, "AdminGetUser unknown pool", err, "ResourceNotFoundException")
}

func TestE2E_AdminUpdateAndDeleteUserAttributes(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
		{Name: aws.String("fixed"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false)},
	}})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("custom:fixed", "v1"))
	sub := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)["sub"]
	update := func(attrs ...types.AttributeType) error {
		_, err := ts.cip.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: aws.String("alice"), UserAttributes: attrs})
		return err
	}

	if err := update(attr("given_name", "Alice"), attr("custom:tier", "gold"), attr("email_verified", "true")); err != nil {
		t.Fatalf("AdminUpdateUserAttributes: %v", err)
	}
	am := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)
	if am["given_name"] != "Alice" || am["custom:tier"] != "gold" || am["email_verified"] != "true" {
		t.Errorf("attributes after update %v", am)
	}
	// email_verified shows in the ID token as a boolean.
	if v := claimsOf(t, *ts.auTokens(clientID, "alice", auPassword).IdToken)["email_verified"]; v != true {
		t.Errorf("email_verified claim %#v, want true", v)
	}

	for _, c := range []struct {
		name string
		a    types.AttributeType
	}{
		{"unknown attribute", attr("shoe_size", "9")},
		{"sub", attr("sub", "00000000-0000-0000-0000-000000000000")},
		{"immutable custom attribute", attr("custom:fixed", "v2")},
		{"bad phone", attr("phone_number", "555-1212")},
	} {
		wantErr(t, "AdminUpdateUserAttributes "+c.name, update(c.a), "InvalidParameterException")
	}
	am = attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)
	if am["sub"] != sub || am["custom:fixed"] != "v1" {
		t.Errorf("refused update changed attributes: %v", am)
	}

	// Changing email without email_verified=true makes it unverified.
	if err := update(attr("email", "alice2@example.com")); err != nil {
		t.Fatal(err)
	}
	am = attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)
	if am["email"] != "alice2@example.com" || am["email_verified"] == "true" {
		t.Errorf("after email change: email %q email_verified %q, want alice2@example.com and not true", am["email"], am["email_verified"])
	}

	// Empty value deletes.
	if err := update(attr("given_name", "")); err != nil {
		t.Fatal(err)
	}
	if _, ok := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)["given_name"]; ok {
		t.Errorf("given_name still present after an update with an empty value")
	}

	// AdminDeleteUserAttributes.
	del := func(names ...string) error {
		_, err := ts.cip.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &poolID, Username: aws.String("alice"), UserAttributeNames: names})
		return err
	}
	if err := del("custom:tier"); err != nil {
		t.Fatalf("AdminDeleteUserAttributes: %v", err)
	}
	am = attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)
	if _, ok := am["custom:tier"]; ok {
		t.Errorf("custom:tier still present: %v", am)
	}
	wantErr(t, "AdminDeleteUserAttributes sub", del("sub"), "InvalidParameterException")

	_, err := ts.cip.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: aws.String("ghost"),
		UserAttributes: []types.AttributeType{attr("name", "x")}})
	wantErr(t, "AdminUpdateUserAttributes unknown user", err, "UserNotFoundException")
	_, err = ts.cip.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: &poolID, Username: aws.String("ghost"), UserAttributeNames: []string{"name"}})
	wantErr(t, "AdminDeleteUserAttributes unknown user", err, "UserNotFoundException")
}

func TestE2E_AdminDisableEnableUser(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword)
	before := ts.auTokens(clientID, "alice", auPassword)
	if _, err := ts.auGetUser(*before.AccessToken); err != nil {
		t.Fatalf("GetUser before disable: %v", err)
	}
	in := &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("alice")}
	if _, err := ts.cip.AdminDisableUser(ctx, in); err != nil {
		t.Fatal(err)
	}
	g := ts.auAdminGet(poolID, "alice")
	if g.Enabled || g.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("after disable Enabled %v status %q, want false CONFIRMED", g.Enabled, g.UserStatus)
	}
	_, err := ts.passwordAuth(clientID, "alice", auPassword)
	wantErr(t, "sign-in while disabled", err, "NotAuthorizedException")
	if err != nil && !strings.Contains(err.Error(), "User is disabled.") {
		t.Errorf("message %v, want User is disabled.", err)
	}
	_, err = ts.auGetUser(*before.AccessToken)
	wantErr(t, "GetUser with an access token from before the disable", err, "NotAuthorizedException")
	_, err = ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *before.RefreshToken}})
	wantErr(t, "refresh while disabled", err, "NotAuthorizedException")

	if _, err := ts.cip.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: &poolID, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if !ts.auAdminGet(poolID, "alice").Enabled {
		t.Errorf("Enabled false after AdminEnableUser")
	}
	after := ts.auTokens(clientID, "alice", auPassword)
	if _, err := ts.auGetUser(*after.AccessToken); err != nil {
		t.Errorf("GetUser after enable: %v", err)
	}
	// Enabling again does not revive access tokens the disable revoked
	// (this runs within a second of the disable, on purpose); the refresh
	// token from before works again and mints usable ones.
	_, err = ts.auGetUser(*before.AccessToken)
	wantFailure(t, "GetUser after enable with an access token from before the disable", err, "NotAuthorizedException", "Access Token has been revoked")
	refreshed, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *before.RefreshToken}})
	if err != nil {
		t.Fatalf("refresh after enable: %v", err)
	}
	if _, err := ts.auGetUser(*refreshed.AuthenticationResult.AccessToken); err != nil {
		t.Errorf("GetUser with a token refreshed after enable: %v", err)
	}

	_, err = ts.cip.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("ghost")})
	wantErr(t, "AdminDisableUser unknown", err, "UserNotFoundException")
	_, err = ts.cip.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: &poolID, Username: aws.String("ghost")})
	wantErr(t, "AdminEnableUser unknown", err, "UserNotFoundException")
}

func TestE2E_AdminSetUserPassword(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice"), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatal(err)
	}
	set := func(pw string, permanent bool) error {
		_, err := ts.cip.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("alice"), Password: &pw, Permanent: permanent})
		return err
	}
	if err := set(auPassword, true); err != nil {
		t.Fatal(err)
	}
	if st := ts.auAdminGet(poolID, "alice").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("status after Permanent=true %q", st)
	}
	ts.auTokens(clientID, "alice", auPassword)

	if err := set("Temp-Passw0rd", false); err != nil {
		t.Fatal(err)
	}
	if st := ts.auAdminGet(poolID, "alice").UserStatus; st != types.UserStatusTypeForceChangePassword {
		t.Errorf("status after Permanent=false %q", st)
	}
	out, err := ts.passwordAuth(clientID, "alice", "Temp-Passw0rd")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Errorf("sign-in after Permanent=false: %v %v, want NEW_PASSWORD_REQUIRED", out, err)
	}
	_, err = ts.passwordAuth(clientID, "alice", auPassword)
	wantErr(t, "sign-in with the replaced password", err, "NotAuthorizedException")

	for _, weak := range []string{"short1!", "nouppercase1!", "NOLOWERCASE1!", "NoNumbers!!", "NoSymbols123"} {
		wantErr(t, "AdminSetUserPassword "+weak, set(weak, true), "InvalidPasswordException")
	}
	if st := ts.auAdminGet(poolID, "alice").UserStatus; st != types.UserStatusTypeForceChangePassword {
		t.Errorf("refused password changed the status to %q", st)
	}
	_, err = ts.cip.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("ghost"), Password: aws.String(auPassword)})
	wantErr(t, "AdminSetUserPassword unknown", err, "UserNotFoundException")
}

func TestE2E_AdminResetUserPassword(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("email_verified", "true"))
	if _, err := ts.cip.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("alice")}); err != nil {
		t.Fatalf("AdminResetUserPassword: %v", err)
	}
	if st := ts.auAdminGet(poolID, "alice").UserStatus; st != types.UserStatusTypeResetRequired {
		t.Errorf("status %q, want RESET_REQUIRED", st)
	}
	_, err := ts.passwordAuth(clientID, "alice", auPassword)
	wantErr(t, "sign-in while RESET_REQUIRED", err, "PasswordResetRequiredException")
	msgs := ts.messages(poolID, "alice")
	if len(msgs) == 0 {
		t.Fatal("no reset code in the outbox")
	}
	m := msgs[len(msgs)-1]
	if m.Medium != "EMAIL" || m.Destination != "alice@example.com" || !regexp.MustCompile(`^\d{6}$`).MatchString(m.Code) {
		t.Errorf("reset message %+v", m)
	}
	_, err = ts.cip.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("alice"),
		ConfirmationCode: aws.String(wrongCode(m.Code)), Password: aws.String("Rec0vered!")})
	wantErr(t, "ConfirmForgotPassword with a wrong code", err, "CodeMismatchException")
	_, err = ts.cip.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("alice"),
		ConfirmationCode: aws.String(m.Code), Password: aws.String("Rec0vered!")})
	if err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	if st := ts.auAdminGet(poolID, "alice").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("status %q after ConfirmForgotPassword, want CONFIRMED", st)
	}
	ts.auTokens(clientID, "alice", "Rec0vered!")

	// No verified contact → InvalidParameterException.
	ts.confirmedUser(poolID, "nocontact", auPassword)
	_, err = ts.cip.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("nocontact")})
	wantErr(t, "AdminResetUserPassword without a verified contact", err, "InvalidParameterException")
	_, err = ts.cip.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("ghost")})
	wantErr(t, "AdminResetUserPassword unknown", err, "UserNotFoundException")
}

// wrongCode returns a 6-digit code different from c.
func wrongCode(c string) string {
	if c == "000000" {
		return "111111"
	}
	return "000000"
}

func TestE2E_AdminConfirmSignUp(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})
	_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("alice"), Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("email", "alice@example.com")}})
	if err != nil {
		t.Fatal(err)
	}
	if st := ts.auAdminGet(poolID, "alice").UserStatus; st != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status %q, want UNCONFIRMED", st)
	}
	_, err = ts.passwordAuth(clientID, "alice", auPassword)
	wantErr(t, "sign-in while UNCONFIRMED", err, "UserNotConfirmedException")
	in := &cip.AdminConfirmSignUpInput{UserPoolId: &poolID, Username: aws.String("alice")}
	if _, err := ts.cip.AdminConfirmSignUp(ctx, in); err != nil {
		t.Fatalf("AdminConfirmSignUp: %v", err)
	}
	g := ts.auAdminGet(poolID, "alice")
	if g.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("status %q, want CONFIRMED", g.UserStatus)
	}
	if attrMap(g.UserAttributes)["email_verified"] == "true" {
		t.Errorf("AdminConfirmSignUp marked the email verified")
	}
	ts.auTokens(clientID, "alice", auPassword)
	_, err = ts.cip.AdminConfirmSignUp(ctx, in)
	wantFailure(t, "AdminConfirmSignUp twice", err, "NotAuthorizedException", "User cannot confirm because user status is not UNCONFIRMED.")
	_, err = ts.cip.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &poolID, Username: aws.String("ghost")})
	wantErr(t, "AdminConfirmSignUp unknown", err, "UserNotFoundException")
}

// Usernames are letters, marks, symbols, numbers and punctuation: any
// whitespace (Unicode's too) fails the model's pattern on every operation,
// before the user is looked up.
func TestE2E_UsernamePattern(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{})
	const want = "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
	for _, name := range []string{"a b", "a\u00a0b", "a\u2003b", "tab\there"} {
		_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String(name),
			MessageAction: types.MessageActionTypeSuppress})
		wantErr(t, fmt.Sprintf("AdminCreateUser %q", name), err, "InvalidParameterException")
		if msg := auErrMessage(err); !strings.Contains(msg, want) || !strings.Contains(msg, "'username'") {
			t.Errorf("AdminCreateUser %q: message %q", name, msg)
		}
		_, err = ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String(name)})
		wantErr(t, fmt.Sprintf("AdminGetUser %q", name), err, "InvalidParameterException")
	}
	for _, name := range []string{"ünïcødé", "o'brien+tag@example.com", "+14325551212", "名前"} {
		_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String(name),
			MessageAction: types.MessageActionTypeSuppress})
		if err != nil {
			t.Errorf("AdminCreateUser %q: %v", name, err)
		}
	}
}

func TestE2E_AdminUserGlobalSignOut(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword)
	ts.confirmedUser(poolID, "bob", auPassword)
	a := ts.auTokens(clientID, "alice", auPassword)
	b := ts.auTokens(clientID, "bob", auPassword)
	if _, err := ts.cip.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: &poolID, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	refresh := func(rt string) error {
		_, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": rt}})
		return err
	}
	err := refresh(*a.RefreshToken)
	wantErr(t, "refresh after global sign-out", err, "NotAuthorizedException")
	_, err = ts.auGetUser(*a.AccessToken)
	wantErr(t, "GetUser after global sign-out", err, "NotAuthorizedException")

	// Other users are unaffected; alice can sign in again.
	if err := refresh(*b.RefreshToken); err != nil {
		t.Errorf("bob's refresh after alice's sign-out: %v", err)
	}
	if _, err := ts.auGetUser(*b.AccessToken); err != nil {
		t.Errorf("bob's GetUser: %v", err)
	}
	again := ts.auTokens(clientID, "alice", auPassword)
	if _, err := ts.auGetUser(*again.AccessToken); err != nil {
		t.Errorf("GetUser with a token issued after the sign-out: %v", err)
	}
	_, err = ts.cip.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: &poolID, Username: aws.String("ghost")})
	wantErr(t, "AdminUserGlobalSignOut unknown", err, "UserNotFoundException")
}

func TestE2E_AdminDeleteUser(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword)
	oldSub := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)["sub"]
	tok := ts.auTokens(clientID, "alice", auPassword)
	in := &cip.AdminDeleteUserInput{UserPoolId: &poolID, Username: aws.String("alice")}
	if _, err := ts.cip.AdminDeleteUser(ctx, in); err != nil {
		t.Fatal(err)
	}
	_, err := ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("alice")})
	wantErr(t, "AdminGetUser after delete", err, "UserNotFoundException")
	_, err = ts.passwordAuth(clientID, "alice", auPassword)
	wantErr(t, "sign-in after delete", err, "UserNotFoundException")
	_, err = ts.auGetUser(*tok.AccessToken)
	wantErr(t, "GetUser with a deleted user's access token", err, "UserNotFoundException")
	_, err = ts.cip.AdminDeleteUser(ctx, in)
	wantErr(t, "AdminDeleteUser twice", err, "UserNotFoundException")

	// The username is reusable, with a new sub.
	ts.confirmedUser(poolID, "alice", "An0ther-Pass")
	if sub := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes)["sub"]; sub == oldSub {
		t.Errorf("re-created user has the old sub")
	}
	ts.auTokens(clientID, "alice", "An0ther-Pass")
	// The old user's refresh token does not work for the new user.
	_, err = ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *tok.RefreshToken}})
	wantErr(t, "refresh token of the deleted user", err, "NotAuthorizedException")
}
