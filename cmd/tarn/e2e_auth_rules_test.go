package main

// Rules around the main flows: alias clashes at confirmation, delivery
// choice, pending email changes, client attribute permissions, status and
// Enabled checks at sign-in, token lifetimes and flow permissions.

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// In an alias pool the same email may sign up twice; the clash shows at
// confirmation (AliasExistsException) unless ForceAliasCreation moves it.
func TestE2E_AliasPool_DuplicateEmailClashesAtConfirmation(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	ctx := ctxT(t)
	ts.auSignedUp(poolID, clientID, "ann", "shared@example.com", auPassword)
	ts.auSignUp(clientID, "ben", auPassword, attr("email", "shared@example.com")) // no error at sign-up
	code := ts.lastCode(poolID, "ben")

	err := ts.auConfirm(clientID, "ben", code)
	wantFailure(t, "ConfirmSignUp of ben", err, "AliasExistsException", "An account with the email already exists.")
	if u := ts.auAdminGet(poolID, "ben"); u.UserStatus != types.UserStatusTypeUnconfirmed {
		t.Errorf("ben after the refused confirmation: %s, want UNCONFIRMED", u.UserStatus)
	}
	_, err = ts.cip.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &clientID, Username: aws.String("ben"),
		ConfirmationCode: &code, ForceAliasCreation: true})
	if err != nil {
		t.Fatalf("ConfirmSignUp with ForceAliasCreation (the code must survive the alias clash): %v", err)
	}
	if am := attrMap(ts.auAdminGet(poolID, "ann").UserAttributes); am["email_verified"] != "false" {
		t.Errorf("ann's email_verified = %q, want false after the alias moved", am["email_verified"])
	}
	res := ts.auTokens(clientID, "shared@example.com", auPassword)
	if c := auClaims(t, *res.AccessToken); c["username"] != "ben" {
		t.Errorf("the email alias signs in %v, want ben", c["username"])
	}
	ts.auTokens(clientID, "ann", auPassword)
}

// With email and phone both auto-verified, the sign-up code goes by SMS.
func TestE2E_SignUp_PhonePreferredForTheCode(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{
		types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber}})
	out := ts.auSignUp(clientID, "cleo", auPassword, attr("email", "cleo@example.com"), attr("phone_number", "+14325551212"))
	d := out.CodeDeliveryDetails
	if d == nil || d.DeliveryMedium != types.DeliveryMediumTypeSms || aws.ToString(d.AttributeName) != "phone_number" || aws.ToString(d.Destination) != "+*******1212" {
		t.Fatalf("CodeDeliveryDetails = %+v, want SMS to +*******1212", d)
	}
	m := ts.auLastMessage(poolID, "cleo", "SignUp")
	if m.Medium != "SMS" || m.Destination != "+14325551212" {
		t.Errorf("message = %+v, want SMS to +14325551212", m)
	}
	if err := ts.auConfirm(clientID, "cleo", m.Code); err != nil {
		t.Fatal(err)
	}
	am := attrMap(ts.auAdminGet(poolID, "cleo").UserAttributes)
	if am["phone_number_verified"] != "true" || am["email_verified"] == "true" {
		t.Errorf("after confirmation: phone_number_verified %q email_verified %q, want only the phone verified", am["phone_number_verified"], am["email_verified"])
	}

	// No auto-verified attribute: no code, no details.
	p2 := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("quiet")})
	c2 := ts.client(*p2.Id, cip.CreateUserPoolClientInput{})
	out = ts.auSignUp(*c2.ClientId, "dora", auPassword, attr("email", "dora@example.com"))
	if out.CodeDeliveryDetails != nil || out.UserConfirmed {
		t.Errorf("pool without auto-verification: %+v", out)
	}
	if msgs := ts.messages(*p2.Id, ""); len(msgs) != 0 {
		t.Errorf("messages sent: %+v", msgs)
	}
}

// With AttributesRequireVerificationBeforeUpdate the old email stays until
// the new one is verified.
func TestE2E_UpdateUserAttributes_VerificationBeforeUpdateKeepsTheOldEmail(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}},
	})
	ctx := ctxT(t)
	ts.auSignedUp(poolID, clientID, "eve", "eve@example.com", auPassword)
	access := ts.auTokens(clientID, "eve", auPassword).AccessToken

	up, err := ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: access,
		UserAttributes: []types.AttributeType{attr("email", "eve@new.example")}})
	if err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	if len(up.CodeDeliveryDetailsList) != 1 || aws.ToString(up.CodeDeliveryDetailsList[0].Destination) != "e***@n***" {
		t.Fatalf("CodeDeliveryDetailsList = %+v, want one entry to e***@n***", up.CodeDeliveryDetailsList)
	}
	u, _ := ts.auGetUser(*access)
	if am := attrMap(u.UserAttributes); am["email"] != "eve@example.com" || am["email_verified"] != "true" {
		t.Errorf("before verification: %v, want the old verified email", am)
	}
	ts.auTokens(clientID, "eve@example.com", auPassword) // the old alias still signs in

	m := ts.auLastMessage(poolID, "eve", "UpdateUserAttribute")
	if m.Destination != "eve@new.example" {
		t.Errorf("code sent to %q, want eve@new.example", m.Destination)
	}
	if _, err := ts.cip.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: &m.Code}); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	u, _ = ts.auGetUser(*access)
	if am := attrMap(u.UserAttributes); am["email"] != "eve@new.example" || am["email_verified"] != "true" {
		t.Errorf("after verification: %v, want the new verified email", am)
	}
	ts.auTokens(clientID, "eve@new.example", auPassword)
	_, err = ts.passwordAuth(clientID, "eve@example.com", auPassword)
	wantErr(t, "sign-in with the replaced email", err, "UserNotFoundException")
}

// The client's ReadAttributes / WriteAttributes limit the self-service
// operations.
func TestE2E_SelfService_ClientAttributePermissions(t *testing.T) {
	ts := startTarn(t)
	poolID, _ := ts.auEmailPool(cip.CreateUserPoolInput{})
	c := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("limited"),
		ReadAttributes:  []string{"email", "name"},
		WriteAttributes: []string{"name"},
	})
	clientID := *c.ClientId
	ctx := ctxT(t)
	ts.confirmedUser(poolID, "finn", auPassword, attr("email", "finn@example.com"), attr("name", "Finn"), attr("nickname", "fi"))
	res := ts.auTokens(clientID, "finn", auPassword)

	u, err := ts.auGetUser(*res.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	am := attrMap(u.UserAttributes)
	if am["email"] != "finn@example.com" || am["name"] != "Finn" || am["sub"] == "" {
		t.Errorf("GetUser = %v, want sub, email and name", am)
	}
	if _, ok := am["nickname"]; ok {
		t.Errorf("GetUser returned nickname, which the client may not read: %v", am)
	}
	if c := auClaims(t, *res.IdToken); c["nickname"] != nil || c["name"] != "Finn" {
		t.Errorf("ID token: nickname %v name %v, want no nickname", c["nickname"], c["name"])
	}

	_, err = ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: res.AccessToken,
		UserAttributes: []types.AttributeType{attr("nickname", "finny")}})
	wantErr(t, "UpdateUserAttributes of an attribute the client may not write", err, "NotAuthorizedException")
	_, err = ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: res.AccessToken,
		UserAttributes: []types.AttributeType{attr("email_verified", "true")}})
	wantErr(t, "UpdateUserAttributes of email_verified", err, "NotAuthorizedException")
	if _, err := ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: res.AccessToken,
		UserAttributes: []types.AttributeType{attr("name", "Finnegan")}}); err != nil {
		t.Errorf("UpdateUserAttributes of name: %v", err)
	}
	_, err = ts.cip.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: res.AccessToken, UserAttributeNames: []string{"nickname"}})
	wantErr(t, "DeleteUserAttributes of an attribute the client may not write", err, "NotAuthorizedException")
	if am := attrMap(ts.auAdminGet(poolID, "finn").UserAttributes); am["nickname"] != "fi" || am["name"] != "Finnegan" {
		t.Errorf("attributes = %v", am)
	}
}

// Sign-in and token use are refused for disabled, reset-required and
// force-change users as api.md §5.2 orders it.
func TestE2E_SignIn_StatusAndEnabledChecks(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ctx := ctxT(t)
	ts.confirmedUser(poolID, "gus", auPassword, attr("email", "gus@example.com"), attr("email_verified", "true"))
	res := ts.auTokens(clientID, "gus", auPassword)

	// Disabled.
	if _, err := ts.cip.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("gus")}); err != nil {
		t.Fatal(err)
	}
	_, err := ts.passwordAuth(clientID, "gus", auPassword)
	wantFailure(t, "sign-in of a disabled user", err, "NotAuthorizedException", "User is disabled.")
	_, err = ts.auGetUser(*res.AccessToken)
	wantFailure(t, "GetUser of a disabled user", err, "NotAuthorizedException", "User is disabled.")
	_, err = ts.auRefresh(clientID, *res.RefreshToken)
	wantErr(t, "refresh of a disabled user", err, "NotAuthorizedException")
	if _, err := ts.cip.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: &poolID, Username: aws.String("gus")}); err != nil {
		t.Fatal(err)
	}
	// Disabling revoked the access token for good; the refresh token
	// works again and mints a usable one.
	_, err = ts.auGetUser(*res.AccessToken)
	wantFailure(t, "GetUser after re-enabling with the token from before the disable", err, "NotAuthorizedException", "Access Token has been revoked")
	refreshed, err := ts.auRefresh(clientID, *res.RefreshToken)
	if err != nil {
		t.Fatalf("refresh after re-enabling: %v", err)
	}
	if _, err := ts.auGetUser(*refreshed.AuthenticationResult.AccessToken); err != nil {
		t.Errorf("GetUser after re-enabling, with a refreshed token: %v", err)
	}

	// Reset required: sign-in refused until ConfirmForgotPassword.
	if _, err := ts.cip.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("gus")}); err != nil {
		t.Fatalf("AdminResetUserPassword: %v", err)
	}
	_, err = ts.passwordAuth(clientID, "gus", auPassword)
	wantErr(t, "sign-in of a RESET_REQUIRED user", err, "PasswordResetRequiredException")
	code := ts.lastCode(poolID, "gus")
	if _, err := ts.cip.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("gus"),
		ConfirmationCode: &code, Password: aws.String("Res3t-password!")}); err != nil {
		t.Fatalf("ConfirmForgotPassword after AdminResetUserPassword: %v", err)
	}
	if u := ts.auAdminGet(poolID, "gus"); u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("status %s, want CONFIRMED", u.UserStatus)
	}
	ts.auTokens(clientID, "gus", "Res3t-password!")

	// FORCE_CHANGE_PASSWORD users cannot use ForgotPassword.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("hal"),
		TemporaryPassword: aws.String("Temp0rary!"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{attr("email", "hal@example.com"), attr("email_verified", "true")}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("hal")})
	wantErr(t, "ForgotPassword of a FORCE_CHANGE_PASSWORD user", err, "NotAuthorizedException")
	_, err = ts.passwordAuth(clientID, "hal", "Wr0ng-password")
	wantErr(t, "FORCE_CHANGE_PASSWORD user with a wrong password", err, "NotAuthorizedException")
}

func TestE2E_Tokens_ClientValidityAndFlowPermissions(t *testing.T) {
	ts := startTarn(t)
	poolID, _ := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "ian", auPassword)
	c := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("short"),
		AccessTokenValidity: aws.Int32(5), IdTokenValidity: aws.Int32(10),
		TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeMinutes},
	})
	res := ts.auTokens(*c.ClientId, "ian", auPassword)
	if res.ExpiresIn != 300 {
		t.Errorf("ExpiresIn = %d, want 300", res.ExpiresIn)
	}
	a, id := auClaims(t, *res.AccessToken), auClaims(t, *res.IdToken)
	if d := a["exp"].(float64) - a["iat"].(float64); d != 300 {
		t.Errorf("access token lives %vs, want 300", d)
	}
	if d := id["exp"].(float64) - id["iat"].(float64); d != 600 {
		t.Errorf("ID token lives %vs, want 600", d)
	}

	srpOnly := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("srp-only"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	_, err := ts.passwordAuth(*srpOnly.ClientId, "ian", auPassword)
	wantErr(t, "USER_PASSWORD_AUTH on an SRP-only client", err, "InvalidParameterException")
	_, err = ts.cip.InitiateAuth(ctxT(t), &cip.InitiateAuthInput{ClientId: srpOnly.ClientId, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ian", "PASSWORD": auPassword}})
	wantErr(t, "ADMIN_USER_PASSWORD_AUTH on InitiateAuth", err, "InvalidParameterException")
	// An unknown client is the first thing reported, whatever the flow.
	_, err = ts.cip.InitiateAuth(ctxT(t), &cip.InitiateAuthInput{ClientId: aws.String("nosuchclient0000000000000"), AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ian", "PASSWORD": auPassword}})
	wantErr(t, "ADMIN_USER_PASSWORD_AUTH on InitiateAuth with an unknown client", err, "ResourceNotFoundException")
	_, err = ts.cip.AdminInitiateAuth(ctxT(t), &cip.AdminInitiateAuthInput{UserPoolId: &poolID, ClientId: aws.String("nosuchclient0000000000000"),
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "ian", "PASSWORD": auPassword}})
	wantErr(t, "USER_PASSWORD_AUTH on AdminInitiateAuth with an unknown client", err, "ResourceNotFoundException")
	if _, err := ts.auStartSRP(*srpOnly.ClientId, "ian"); err != nil {
		t.Errorf("USER_SRP_AUTH on the SRP-only client: %v", err)
	}
}

// In an email username-attribute pool that ignores case, the email signs in
// whatever its case, and a changed email becomes the sign-in name at once.
func TestE2E_UsernameAttributesPool_CaseInsensitiveEmailAndEmailChange(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{
		UsernameAttributes:    []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
	})
	ctx := ctxT(t)
	sub := ts.auSignedUp(poolID, clientID, "Jane@Example.com", "Jane@Example.com", auPassword)
	res := ts.auTokens(clientID, "jane@example.com", auPassword)
	x, err := ts.auStartSRP(clientID, "JANE@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword)); err != nil {
		t.Errorf("SRP as JANE@example.com: %v", err)
	}
	ts.auTokens(clientID, sub, auPassword) // the sub is a username too
	_, err = ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("JANE@EXAMPLE.COM"), Password: aws.String(auPassword)})
	wantErr(t, "SignUp of the same email in upper case", err, "UsernameExistsException")

	if _, err := ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: res.AccessToken,
		UserAttributes: []types.AttributeType{attr("email", "jane2@example.com")}}); err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	ts.auTokens(clientID, "jane2@example.com", auPassword)
	_, err = ts.passwordAuth(clientID, "jane@example.com", auPassword)
	wantErr(t, "sign-in with the replaced email", err, "UserNotFoundException")
}

// SignUp's UsernameExistsException names the identifier that is taken.
func TestE2E_SignUp_TakenEmailOrPhoneIsNamed(t *testing.T) {
	ts := startTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("both"),
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail, types.UsernameAttributeTypePhoneNumber}})
	clientID := *ts.client(*p.Id, cip.CreateUserPoolClientInput{}).ClientId
	for _, c := range []struct{ username, want string }{
		{"kim@example.com", "An account with the given email already exists."},
		{"+14325551212", "An account with the given phone_number already exists."},
	} {
		ts.auSignUp(clientID, c.username, auPassword)
		_, err := ts.cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String(c.username), Password: aws.String(auPassword)})
		wantFailure(t, "second SignUp of "+c.username, err, "UsernameExistsException", c.want)
	}
	// A new email whose phone number is taken: the phone number is named.
	_, err := ts.cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: &clientID, Username: aws.String("new@example.com"),
		Password: aws.String(auPassword), UserAttributes: []types.AttributeType{attr("phone_number", "+14325551212")}})
	wantFailure(t, "SignUp with a taken phone number", err, "UsernameExistsException", "An account with the given phone_number already exists.")
}
