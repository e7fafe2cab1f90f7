package main

// Password recovery, the NEW_PASSWORD_REQUIRED challenge and the
// self-service operations authorised by an access token.

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// auOtherCode returns a 6-digit code different from code.
func auOtherCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestE2E_ForgotPassword_CodeThenConfirmForgotPassword(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ctx := ctxT(t)
	ts.auSignedUp(poolID, clientID, "quinn", "quinn@example.com", auPassword)

	out, err := ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("quinn")})
	if err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	if d := out.CodeDeliveryDetails; d == nil || aws.ToString(d.Destination) != "q***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Errorf("CodeDeliveryDetails = %+v, want q***@e*** EMAIL email", d)
	}
	m := ts.auLastMessage(poolID, "quinn", "ForgotPassword")
	if !auSixDigits.MatchString(m.Code) || !strings.Contains(m.Body, m.Code) || m.Destination != "quinn@example.com" || m.Medium != "EMAIL" {
		t.Errorf("reset message = %+v", m)
	}
	// ForgotPassword alone changes nothing.
	ts.auTokens(clientID, "quinn", auPassword)
	if u := ts.auAdminGet(poolID, "quinn"); u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("status after ForgotPassword = %s, want CONFIRMED", u.UserStatus)
	}

	confirm := func(code, password string) error {
		_, err := ts.cip.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("quinn"),
			ConfirmationCode: aws.String(code), Password: aws.String(password)})
		return err
	}
	const newPassword = "N3w-password!"
	wantErr(t, "ConfirmForgotPassword with a wrong code", confirm(auOtherCode(m.Code), newPassword), "CodeMismatchException")
	wantErr(t, "ConfirmForgotPassword with a weak password", confirm(m.Code, "weak"), "InvalidPasswordException")
	if err := confirm(m.Code, newPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword with the code still usable after the weak password: %v", err)
	}
	ts.auTokens(clientID, "quinn", newPassword)
	_, err = ts.passwordAuth(clientID, "quinn", auPassword)
	wantErr(t, "sign-in with the old password", err, "NotAuthorizedException")
	// The code was used up.
	wantErr(t, "ConfirmForgotPassword with the used code", confirm(m.Code, "An0ther-password!"), "ExpiredCodeException")
}

func TestE2E_ForgotPassword_NoVerifiedContactAndUnknownUsers(t *testing.T) {
	ts := startTarn(t)
	poolID, legacy := ts.auEmailPool(cip.CreateUserPoolInput{})
	enabled := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	ctx := ctxT(t)
	forgot := func(clientID, username string) (*cip.ForgotPasswordOutput, error) {
		return ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: &username})
	}

	ts.confirmedUser(poolID, "rita", auPassword, attr("email", "rita@example.com")) // email not verified
	_, err := forgot(legacy, "rita")
	wantErr(t, "ForgotPassword without a verified email", err, "InvalidParameterException")
	if msgs := ts.messages(poolID, "rita"); len(msgs) != 0 {
		t.Errorf("messages were sent: %+v", msgs)
	}

	_, err = forgot(legacy, "nobody")
	wantErr(t, "ForgotPassword for an unknown user (LEGACY)", err, "UserNotFoundException")

	out, err := forgot(enabled, "nobody@example.com")
	if err != nil {
		t.Fatalf("ForgotPassword for an unknown user (ENABLED): %v", err)
	}
	if d := out.CodeDeliveryDetails; d == nil || aws.ToString(d.Destination) == "" || d.DeliveryMedium == "" {
		t.Errorf("ENABLED: CodeDeliveryDetails = %+v, want simulated details", d)
	}
	if msgs := ts.messages(poolID, ""); len(msgs) != 0 {
		t.Errorf("messages were sent for unknown users: %+v", msgs)
	}
}

func TestE2E_NewPasswordRequired_RequiredAttributeThenTokens(t *testing.T) {
	ts := startTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{{Name: aws.String("name"),
		AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}})
	poolID := *p.Id
	clientID := *ts.client(poolID, cip.CreateUserPoolClientInput{}).ClientId
	other := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("other")}).ClientId
	ctx := ctxT(t)
	const temp = "Temp0rary!"
	_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("sara"),
		TemporaryPassword: aws.String(temp), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{attr("email", "sara@example.com")}})
	if err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}

	out, err := ts.passwordAuth(clientID, "sara", temp)
	if err != nil {
		t.Fatalf("InitiateAuth with the temporary password: %v", err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || out.AuthenticationResult != nil {
		t.Fatalf("InitiateAuth: %+v, want NEW_PASSWORD_REQUIRED", out)
	}
	if out.Session == nil || len(*out.Session) < 20 {
		t.Fatalf("NEW_PASSWORD_REQUIRED without a Session")
	}
	cp := out.ChallengeParameters
	var required []string
	if err := json.Unmarshal([]byte(cp["requiredAttributes"]), &required); err != nil || len(required) != 1 || required[0] != "userAttributes.name" {
		t.Errorf("requiredAttributes = %q, want [\"userAttributes.name\"]", cp["requiredAttributes"])
	}
	var current map[string]string
	if err := json.Unmarshal([]byte(cp["userAttributes"]), &current); err != nil || current["email"] != "sara@example.com" {
		t.Errorf("userAttributes = %q, want the current attributes with the email", cp["userAttributes"])
	}
	if cp["USER_ID_FOR_SRP"] != "sara" {
		t.Errorf("USER_ID_FOR_SRP = %q, want sara", cp["USER_ID_FOR_SRP"])
	}

	const newPassword = "N3w-password!"
	answer := func(clientID string, session *string, extra map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
		r := map[string]string{"USERNAME": "sara", "NEW_PASSWORD": newPassword}
		for k, v := range extra {
			r[k] = v
		}
		return ts.auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, session, r)
	}
	_, err = answer(clientID, out.Session, nil)
	wantErr(t, "NEW_PASSWORD_REQUIRED without the required name", err, "InvalidParameterException")
	_, err = answer(clientID, aws.String("garbage-session-garbage-session-garbage"), map[string]string{"userAttributes.name": "Sara"})
	wantErr(t, "NEW_PASSWORD_REQUIRED with a garbage Session", err, "NotAuthorizedException")
	_, err = answer(other, out.Session, map[string]string{"userAttributes.name": "Sara"})
	wantErr(t, "NEW_PASSWORD_REQUIRED with the Session of another client", err, "NotAuthorizedException")
	if u := ts.auAdminGet(poolID, "sara"); u.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status after refused answers = %s, want FORCE_CHANGE_PASSWORD", u.UserStatus)
	}

	res, err := answer(clientID, out.Session, map[string]string{"userAttributes.name": "Sara"})
	if err != nil {
		t.Fatalf("NEW_PASSWORD_REQUIRED with the name: %v", err)
	}
	if res.AuthenticationResult == nil || res.AuthenticationResult.AccessToken == nil || res.AuthenticationResult.RefreshToken == nil {
		t.Fatalf("answer: %+v, want tokens", res)
	}
	if c := auClaims(t, *res.AuthenticationResult.IdToken); c["name"] != "Sara" {
		t.Errorf("ID token name = %v, want Sara", c["name"])
	}
	u := ts.auAdminGet(poolID, "sara")
	if u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["name"] != "Sara" {
		t.Errorf("after the answer: status %s attributes %v, want CONFIRMED with name Sara", u.UserStatus, attrMap(u.UserAttributes))
	}
	ts.auTokens(clientID, "sara", newPassword)
	_, err = ts.passwordAuth(clientID, "sara", temp)
	wantErr(t, "sign-in with the temporary password afterwards", err, "NotAuthorizedException")
}

func TestE2E_SelfService_GetUserChangePasswordAttributesDeleteUser(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ctx := ctxT(t)
	ts.auSignUp(clientID, "tom", auPassword, attr("email", "tom@example.com"), attr("name", "Tom"), attr("nickname", "tommy"))
	if err := ts.auConfirm(clientID, "tom", ts.lastCode(poolID, "tom")); err != nil {
		t.Fatal(err)
	}
	access := ts.auTokens(clientID, "tom", auPassword).AccessToken

	// GetUser.
	u, err := ts.auGetUser(*access)
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	if am := attrMap(u.UserAttributes); aws.ToString(u.Username) != "tom" || am["email"] != "tom@example.com" || am["nickname"] != "tommy" || am["sub"] == "" {
		t.Errorf("GetUser = %s %v", aws.ToString(u.Username), am)
	}

	// ChangePassword.
	const newPassword = "N3w-password!"
	_, err = ts.cip.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: access, PreviousPassword: aws.String("Wr0ng-password"), ProposedPassword: aws.String(newPassword)})
	wantErr(t, "ChangePassword with a wrong previous password", err, "NotAuthorizedException")
	_, err = ts.cip.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: access, PreviousPassword: aws.String(auPassword), ProposedPassword: aws.String("weak")})
	wantErr(t, "ChangePassword to a weak password", err, "InvalidPasswordException")
	if _, err := ts.cip.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: access, PreviousPassword: aws.String(auPassword), ProposedPassword: aws.String(newPassword)}); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	_, err = ts.passwordAuth(clientID, "tom", auPassword)
	wantErr(t, "sign-in with the old password", err, "NotAuthorizedException")
	// tarn's decision (api.md §10): ChangePassword does not revoke tokens.
	if _, err := ts.auGetUser(*access); err != nil {
		t.Errorf("GetUser with the token used for ChangePassword: %v", err)
	}
	access = ts.auTokens(clientID, "tom", newPassword).AccessToken

	// UpdateUserAttributes: a new email on an auto-verified pool.
	up, err := ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: access,
		UserAttributes: []types.AttributeType{attr("email", "thomas@example.org"), attr("name", "Thomas")}})
	if err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	if len(up.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("CodeDeliveryDetailsList = %+v, want one entry", up.CodeDeliveryDetailsList)
	}
	if d := up.CodeDeliveryDetailsList[0]; aws.ToString(d.Destination) != "t***@e***" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Errorf("delivery = %s %s %s, want t***@e*** EMAIL email", aws.ToString(d.Destination), d.DeliveryMedium, aws.ToString(d.AttributeName))
	}
	m := ts.auLastMessage(poolID, "tom", "UpdateUserAttribute")
	if m.Destination != "thomas@example.org" || !auSixDigits.MatchString(m.Code) {
		t.Errorf("verification message = %+v, want a code to thomas@example.org", m)
	}
	u, _ = ts.auGetUser(*access)
	if am := attrMap(u.UserAttributes); am["email"] != "thomas@example.org" || am["email_verified"] != "false" || am["name"] != "Thomas" {
		t.Errorf("after the update: %v, want the new email unverified and name Thomas", am)
	}
	verify := func(code string) error {
		_, err := ts.cip.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: access, AttributeName: aws.String("email"), Code: aws.String(code)})
		return err
	}
	wantErr(t, "VerifyUserAttribute with a wrong code", verify(auOtherCode(m.Code)), "CodeMismatchException")
	if err := verify(m.Code); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	u, _ = ts.auGetUser(*access)
	if am := attrMap(u.UserAttributes); am["email_verified"] != "true" {
		t.Errorf("email_verified after VerifyUserAttribute = %q, want true", am["email_verified"])
	}

	// GetUserAttributeVerificationCode sends a fresh code.
	gc, err := ts.cip.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: aws.String("email")})
	if err != nil {
		t.Fatalf("GetUserAttributeVerificationCode: %v", err)
	}
	if d := gc.CodeDeliveryDetails; d == nil || aws.ToString(d.Destination) != "t***@e***" {
		t.Errorf("CodeDeliveryDetails = %+v", d)
	}
	m = ts.auLastMessage(poolID, "tom", "VerifyUserAttribute")
	if m.Destination != "thomas@example.org" || !strings.Contains(m.Body, m.Code) {
		t.Errorf("message = %+v", m)
	}
	if err := verify(m.Code); err != nil {
		t.Errorf("VerifyUserAttribute with the requested code: %v", err)
	}

	// DeleteUserAttributes.
	if _, err := ts.cip.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: access, UserAttributeNames: []string{"nickname"}}); err != nil {
		t.Fatalf("DeleteUserAttributes: %v", err)
	}
	u, _ = ts.auGetUser(*access)
	if am := attrMap(u.UserAttributes); am["nickname"] != "" || am["name"] != "Thomas" {
		t.Errorf("after DeleteUserAttributes nickname: %v", am)
	}

	// DeleteUser.
	if _, err := ts.cip.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: access}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err = ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("tom")})
	wantErr(t, "AdminGetUser after DeleteUser", err, "UserNotFoundException")
	_, err = ts.auGetUser(*access)
	wantErr(t, "GetUser with the deleted user's token", err, "UserNotFoundException")
	_, err = ts.passwordAuth(clientID, "tom", newPassword)
	wantErr(t, "sign-in of the deleted user", err, "UserNotFoundException")

	// A new user under the same name is not reachable with the old token.
	ts.auSignedUp(poolID, clientID, "tom", "tom@example.com", auPassword)
	_, err = ts.auGetUser(*access)
	wantErr(t, "GetUser with the deleted user's token after the name was reused", err, "UserNotFoundException")
}

// The NEW_PASSWORD_REQUIRED answer changes attributes under the rules of
// an update (api.md §3.5, §3.7): a new email is unverified and, being
// auto-verified, gets a code; an immutable attribute the user already has
// cannot change, while one it lacks may be given (completing the creation).
func TestE2E_NewPasswordRequired_AttributeChangesFollowTheUpdateRules(t *testing.T) {
	ts := startTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{{Name: aws.String("fixed"), AttributeDataType: types.AttributeDataTypeString,
			Mutable: aws.Bool(false)}},
	})
	poolID := *p.Id
	clientID := *ts.client(poolID, cip.CreateUserPoolClientInput{}).ClientId
	const temp, newPassword = "Temp0rary!", "N3w-password!"
	create := func(name string, attrs ...types.AttributeType) {
		t.Helper()
		_, err := ts.cip.AdminCreateUser(ctxT(t), &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String(name),
			TemporaryPassword: aws.String(temp), MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrs})
		if err != nil {
			t.Fatalf("AdminCreateUser %s: %v", name, err)
		}
	}
	answer := func(name string, attrs map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
		t.Helper()
		out, err := ts.passwordAuth(clientID, name, temp)
		if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
			t.Fatalf("%s: InitiateAuth with the temporary password: %v %+v", name, err, out)
		}
		r := map[string]string{"USERNAME": name, "NEW_PASSWORD": newPassword}
		for k, v := range attrs {
			r["userAttributes."+k] = v
		}
		return ts.auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, out.Session, r)
	}

	create("fay", attr("email", "fay@example.com"), attr("email_verified", "true"), attr("custom:fixed", "orig"))
	_, err := answer("fay", map[string]string{"custom:fixed": "changed"})
	wantFailure(t, "changing an immutable attribute", err, "InvalidParameterException", "Cannot modify the non-mutable attribute custom:fixed")
	// Values the user already has, as a client echoing the challenge's
	// userAttributes sends them, are no change.
	res, err := answer("fay", map[string]string{"email": "fay@example.org", "custom:fixed": "orig", "email_verified": "true"})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("changing the email: %v %+v", err, res)
	}
	if c := auClaims(t, *res.AuthenticationResult.IdToken); c["email"] != "fay@example.org" || c["email_verified"] != false {
		t.Errorf("ID token email %v verified %v, want the new email unverified", c["email"], c["email_verified"])
	}
	a := attrMap(ts.auAdminGet(poolID, "fay").UserAttributes)
	if a["email"] != "fay@example.org" || a["email_verified"] != "false" || a["custom:fixed"] != "orig" {
		t.Errorf("fay's attributes %v, want the new email unverified and custom:fixed unchanged", a)
	}
	msgs := ts.messages(poolID, "fay")
	if len(msgs) != 1 || msgs[0].Destination != "fay@example.org" || msgs[0].Action != "UpdateUserAttribute" || msgs[0].Code == "" {
		t.Fatalf("outbox for fay: %+v, want one verification code to the new email", msgs)
	}
	if _, err := ts.cip.VerifyUserAttribute(ctxT(t), &cip.VerifyUserAttributeInput{AccessToken: res.AuthenticationResult.AccessToken,
		AttributeName: aws.String("email"), Code: aws.String(msgs[0].Code)}); err != nil {
		t.Fatalf("VerifyUserAttribute with the code: %v", err)
	}

	create("gil", attr("email", "gil@example.com"))
	if _, err := answer("gil", map[string]string{"custom:fixed": "set-once"}); err != nil {
		t.Fatalf("giving an immutable attribute the user lacks: %v", err)
	}
	if a := attrMap(ts.auAdminGet(poolID, "gil").UserAttributes); a["custom:fixed"] != "set-once" {
		t.Errorf("gil's custom:fixed = %q, want set-once", a["custom:fixed"])
	}
}
