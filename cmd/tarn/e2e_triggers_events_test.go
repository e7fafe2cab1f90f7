package main

// The events tarn's flows send, captured by an in-process Go function and
// checked field by field against triggers.md (§3 envelope, §6 metadata
// routing, §7–15 per trigger).

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/lambda"
)

// trEnvelope checks the common members (§3) and returns request/response.
func trEnvelope(t *testing.T, ev map[string]any, source, poolID, userName, clientID string) (req, resp map[string]any) {
	t.Helper()
	for k, want := range map[string]string{"version": "1", "triggerSource": source, "region": "us-east-1", "userPoolId": poolID, "userName": userName} {
		if got, ok := ev[k].(string); !ok || got != want {
			t.Errorf("%s: %s = %#v, want the string %q", source, k, ev[k], want)
		}
	}
	cc := trMap(t, ev, "callerContext")
	if cc["clientId"] != clientID {
		t.Errorf("%s: callerContext.clientId = %v, want %s", source, cc["clientId"], clientID)
	}
	if _, ok := cc["awsSdkVersion"].(string); !ok {
		t.Errorf("%s: callerContext.awsSdkVersion = %#v, want a string", source, cc["awsSdkVersion"])
	}
	req = trMap(t, ev, "request")
	resp, _ = ev["response"].(map[string]any)
	return req, resp
}

// trWant compares one member, rendered as JSON; absent renders as "<absent>".
func trWant(t *testing.T, source string, m map[string]any, key, want string) {
	t.Helper()
	got := "<absent>"
	if v, ok := m[key]; ok {
		got = trJSON(v)
	}
	if got != want {
		t.Errorf("%s: %s = %s, want %s", source, key, got, want)
	}
}

// trUserAttrs checks request.userAttributes of an existing user: strings,
// with sub and cognito:user_status.
func trUserAttrs(t *testing.T, source string, req map[string]any, status string, more map[string]string) {
	t.Helper()
	ua := trMap(t, req, "userAttributes")
	if s, ok := ua["sub"].(string); !ok || len(s) != 36 {
		t.Errorf("%s: userAttributes.sub = %#v", source, ua["sub"])
	}
	if ua["cognito:user_status"] != status {
		t.Errorf("%s: userAttributes cognito:user_status = %v, want %s", source, ua["cognito:user_status"], status)
	}
	for k, v := range more {
		if ua[k] != v {
			t.Errorf("%s: userAttributes[%s] = %#v, want %q", source, k, ua[k], v)
		}
	}
}

func TestTrigger_EventsOfEveryFlow(t *testing.T) {
	rec := &trRecorder{}
	rec.reply = func(ev map[string]any) (map[string]any, error) {
		name, _ := ev["userName"].(string)
		resp, _ := ev["response"].(map[string]any)
		switch ev["triggerSource"] {
		case "PreSignUp_SignUp":
			if strings.HasPrefix(name, "auto") {
				resp["autoConfirmUser"], resp["autoVerifyEmail"] = true, true
			}
		case "UserMigration_Authentication", "UserMigration_ForgotPassword":
			if !strings.HasPrefix(name, "legacy") {
				return nil, errString("no such legacy user")
			}
			resp["userAttributes"] = map[string]any{"email": name + "@legacy.example", "email_verified": "true"}
			resp["finalUserStatus"] = "CONFIRMED"
			resp["messageAction"] = "SUPPRESS"
		}
		return nil, nil
	}
	ts := startTarn(t, func(m *Main) { m.GoFunctions = map[string]lambda.GoFunc{"capture": rec.fn} })
	ctx := ctxT(t)
	arn := trARN("capture")
	lc := &types.LambdaConfigType{PreSignUp: arn, PostConfirmation: arn, PreAuthentication: arn, PostAuthentication: arn,
		PreTokenGeneration: arn, CustomMessage: arn, UserMigration: arn}
	poolID, clientID := ts.trPool(lc, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})

	// SignUp with ValidationData and ClientMetadata.
	_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("alice"), Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("email", "alice@example.com"), attr("name", "Alice")},
		ValidationData: []types.AttributeType{attr("captcha", "c-77af")}, ClientMetadata: map[string]string{"signupSource": "web"}})
	if err != nil {
		t.Fatal(err)
	}
	src := "PreSignUp_SignUp"
	req, resp := trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trWant(t, src, req, "userAttributes", `{"email":"alice@example.com","name":"Alice"}`)
	trWant(t, src, req, "validationData", `{"captcha":"c-77af"}`)
	trWant(t, src, req, "clientMetadata", `{"signupSource":"web"}`)
	trWant(t, src, map[string]any{"response": resp}, "response", `{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}`)

	src = "CustomMessage_SignUp"
	req, resp = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trUserAttrs(t, src, req, "UNCONFIRMED", map[string]string{"email": "alice@example.com"})
	trWant(t, src, req, "codeParameter", `"{####}"`)
	trWant(t, src, req, "usernameParameter", `null`)
	trWant(t, src, req, "clientMetadata", `{"signupSource":"web"}`)
	trWant(t, src, map[string]any{"response": resp}, "response", `{"emailMessage":null,"emailSubject":null,"smsMessage":null}`)

	// Without ValidationData and ClientMetadata: null and absent.
	ts.auSignUp(clientID, "bobby", auPassword, attr("email", "bob@example.com"))
	ev := rec.bySource("PreSignUp_SignUp")[1]
	req, _ = trEnvelope(t, ev, "PreSignUp_SignUp", poolID, "bobby", clientID)
	trWant(t, "PreSignUp_SignUp", req, "validationData", `null`)
	trWant(t, "PreSignUp_SignUp", req, "clientMetadata", `<absent>`)

	if _, err := ts.cip.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: &clientID, Username: aws.String("alice"),
		ClientMetadata: map[string]string{"why": "lost"}}); err != nil {
		t.Fatal(err)
	}
	src = "CustomMessage_ResendCode"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trWant(t, src, req, "clientMetadata", `{"why":"lost"}`)
	trWant(t, src, req, "usernameParameter", `null`)

	// ConfirmSignUp, AdminConfirmSignUp and auto-confirmation all fire
	// PostConfirmation_ConfirmSignUp.
	if _, err := ts.cip.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &clientID, Username: aws.String("alice"),
		ConfirmationCode: aws.String(ts.lastCode(poolID, "alice")), ClientMetadata: map[string]string{"plan": "trial"}}); err != nil {
		t.Fatal(err)
	}
	src = "PostConfirmation_ConfirmSignUp"
	req, resp = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", map[string]string{"email_verified": "true", "name": "Alice"})
	trWant(t, src, req, "clientMetadata", `{"plan":"trial"}`)
	trWant(t, src, map[string]any{"response": resp}, "response", `{}`)

	if _, err := ts.cip.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &poolID, Username: aws.String("bobby"),
		ClientMetadata: map[string]string{"by": "admin"}}); err != nil {
		t.Fatal(err)
	}
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "bobby", "CLIENT_ID_NOT_APPLICABLE")
	trUserAttrs(t, src, req, "CONFIRMED", nil)
	trWant(t, src, req, "clientMetadata", `{"by":"admin"}`)

	if out := ts.auSignUp(clientID, "autocarl", auPassword, attr("email", "carl@example.com")); !out.UserConfirmed {
		t.Fatal("autocarl not auto-confirmed")
	}
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "autocarl", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", map[string]string{"email_verified": "true"})
	for _, e := range rec.bySource("CustomMessage_SignUp") {
		if e["userName"] == "autocarl" {
			t.Error("a confirmation message was composed for an auto-confirmed user")
		}
	}

	// Password sign-in: InitiateAuth ClientMetadata is validationData for
	// pre authentication and reaches neither post authentication nor pre
	// token generation.
	n := len(rec.bySource("PreAuthentication_Authentication"))
	out, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": auPassword}, ClientMetadata: map[string]string{"fp": "19ac"}})
	if err != nil {
		t.Fatal(err)
	}
	src = "PreAuthentication_Authentication"
	req, resp = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", nil)
	trWant(t, src, req, "validationData", `{"fp":"19ac"}`)
	trWant(t, src, req, "userNotFound", `false`)
	trWant(t, src, req, "clientMetadata", `<absent>`)
	trWant(t, src, map[string]any{"response": resp}, "response", `{}`)
	if got := len(rec.bySource(src)); got != n+1 {
		t.Errorf("pre authentication ran %d times for one sign-in", got-n)
	}
	src = "PostAuthentication_Authentication"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", nil)
	trWant(t, src, req, "newDeviceUsed", `false`)
	trWant(t, src, req, "clientMetadata", `<absent>`)
	src = "TokenGeneration_Authentication"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", nil)
	trWant(t, src, req, "groupConfiguration", `{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null}`)
	trWant(t, src, req, "clientMetadata", `<absent>`)
	trWant(t, src, req, "scopes", `<absent>`)
	for _, k := range []string{"UserMigration_Authentication"} {
		if len(rec.bySource(k)) != 0 {
			t.Errorf("%s fired for an existing user", k)
		}
	}

	// Refresh.
	if _, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken}}); err != nil {
		t.Fatal(err)
	}
	src = "TokenGeneration_RefreshTokens"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", nil)

	// SRP: pre authentication at InitiateAuth; RespondToAuthChallenge
	// ClientMetadata reaches post authentication and pre token generation.
	n = len(rec.bySource("PreAuthentication_Authentication"))
	x, err := ts.auStartSRPWith(clientID, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rec.bySource("PreAuthentication_Authentication")); got != n+1 {
		t.Fatalf("USER_SRP_AUTH: pre authentication ran %d times, want 1", got-n)
	}
	_, err = ts.cip.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &clientID, ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ChallengeResponses: x.responses(t, poolID, auPassword), ClientMetadata: map[string]string{"app": "ios"}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ = trEnvelope(t, rec.last(t, "PostAuthentication_Authentication"), "PostAuthentication_Authentication", poolID, "alice", clientID)
	trWant(t, "PostAuthentication_Authentication", req, "clientMetadata", `{"app":"ios"}`)
	req, _ = trEnvelope(t, rec.last(t, "TokenGeneration_Authentication"), "TokenGeneration_Authentication", poolID, "alice", clientID)
	trWant(t, "TokenGeneration_Authentication", req, "clientMetadata", `{"app":"ios"}`)

	// AdminCreateUser: no app client; invitation with {username}.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("dave"),
		TemporaryPassword: aws.String("Temp0rary!"), UserAttributes: []types.AttributeType{attr("email", "dave@example.com")},
		ValidationData: []types.AttributeType{attr("ticket", "T-1")}, ClientMetadata: map[string]string{"by": "ops"}})
	if err != nil {
		t.Fatal(err)
	}
	src = "PreSignUp_AdminCreateUser"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "dave", "CLIENT_ID_NOT_APPLICABLE")
	trWant(t, src, req, "userAttributes", `{"email":"dave@example.com"}`)
	trWant(t, src, req, "validationData", `{"ticket":"T-1"}`)
	trWant(t, src, req, "clientMetadata", `{"by":"ops"}`)
	src = "CustomMessage_AdminCreateUser"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "dave", "CLIENT_ID_NOT_APPLICABLE")
	trUserAttrs(t, src, req, "FORCE_CHANGE_PASSWORD", nil)
	trWant(t, src, req, "codeParameter", `"{####}"`)
	trWant(t, src, req, "usernameParameter", `"{username}"`)
	if len(rec.bySource("PostConfirmation_ConfirmSignUp")) != 3 {
		t.Errorf("post confirmation fired for AdminCreateUser: %d events", len(rec.bySource("PostConfirmation_ConfirmSignUp")))
	}

	// NEW_PASSWORD_REQUIRED.
	ch, err := ts.passwordAuth(clientID, "dave", "Temp0rary!")
	if err != nil || ch.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("dave's first sign-in: %+v %v", ch, err)
	}
	if _, err := ts.auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, ch.Session,
		map[string]string{"USERNAME": "dave", "NEW_PASSWORD": auPassword}); err != nil {
		t.Fatal(err)
	}
	src = "TokenGeneration_NewPasswordChallenge"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "dave", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", nil)

	// Self-service attribute changes.
	tok := ts.auTokens(clientID, "alice", auPassword)
	if _, err := ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok.AccessToken,
		UserAttributes: []types.AttributeType{attr("email", "alice2@example.com")}, ClientMetadata: map[string]string{"k": "u"}}); err != nil {
		t.Fatal(err)
	}
	src = "CustomMessage_UpdateUserAttribute"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trWant(t, src, req, "clientMetadata", `{"k":"u"}`)
	trWant(t, src, req, "usernameParameter", `null`)
	if _, err := ts.cip.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok.AccessToken,
		AttributeName: aws.String("email"), ClientMetadata: map[string]string{"k": "v"}}); err != nil {
		t.Fatal(err)
	}
	src = "CustomMessage_VerifyUserAttribute"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "alice", clientID)
	trWant(t, src, req, "clientMetadata", `{"k":"v"}`)

	// Forgot password.
	if _, err := ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("autocarl"),
		ClientMetadata: map[string]string{"brand": "acme"}}); err != nil {
		t.Fatal(err)
	}
	src = "CustomMessage_ForgotPassword"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "autocarl", clientID)
	trWant(t, src, req, "clientMetadata", `{"brand":"acme"}`)
	if _, err := ts.cip.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("autocarl"),
		ConfirmationCode: aws.String(ts.lastCode(poolID, "autocarl")), Password: aws.String("N3w-Passw0rd!"),
		ClientMetadata: map[string]string{"reset": "1"}}); err != nil {
		t.Fatal(err)
	}
	src = "PostConfirmation_ConfirmForgotPassword"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "autocarl", clientID)
	trUserAttrs(t, src, req, "CONFIRMED", nil)
	trWant(t, src, req, "clientMetadata", `{"reset":"1"}`)

	// Migration on sign-in: the typed name, the password (redacted in the
	// invocation log), InitiateAuth ClientMetadata as validationData.
	out, err = ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "legacy-erin", "PASSWORD": "old-Secret1"}, ClientMetadata: map[string]string{"ip": "198.51.100.7"}})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign-in of a user to migrate: %+v %v", out, err)
	}
	src = "UserMigration_Authentication"
	req, resp = trEnvelope(t, rec.last(t, src), src, poolID, "legacy-erin", clientID)
	trWant(t, src, req, "password", `"old-Secret1"`)
	trWant(t, src, req, "validationData", `{"ip":"198.51.100.7"}`)
	trWant(t, src, req, "userAttributes", `<absent>`)
	trWant(t, src, map[string]any{"response": resp}, "response", `{}`)
	u := ts.auAdminGet(poolID, "legacy-erin")
	if u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["email"] != "legacy-erin@legacy.example" {
		t.Errorf("migrated user %s %v", u.UserStatus, attrMap(u.UserAttributes))
	}
	req, _ = trEnvelope(t, rec.last(t, "PreAuthentication_Authentication"), "PreAuthentication_Authentication", poolID, "legacy-erin", clientID)
	trUserAttrs(t, "PreAuthentication_Authentication", req, "CONFIRMED", nil)
	inv := ts.trLastInvocation(poolID, "UserMigration")
	if strings.Contains(string(inv.Event), "old-Secret1") || !strings.Contains(string(inv.Event), `"password":"[redacted]"`) {
		t.Errorf("the invocation log shows the migrated password: %s", inv.Event)
	}
	ts.auTokens(clientID, "legacy-erin", "old-Secret1")
	// An unknown user the function does not know: its error.
	_, err = ts.passwordAuth(clientID, "nobody", "whatever1A!")
	wantFailure(t, "sign-in of an unknown user", err, "UserLambdaValidationException", "UserMigration failed with error no such legacy user.")

	// Migration on ForgotPassword: no password, ClientMetadata.
	if _, err := ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("legacy-fred"),
		ClientMetadata: map[string]string{"brand": "acme"}}); err != nil {
		t.Fatal(err)
	}
	src = "UserMigration_ForgotPassword"
	req, _ = trEnvelope(t, rec.last(t, src), src, poolID, "legacy-fred", clientID)
	trWant(t, src, req, "password", `<absent>`)
	trWant(t, src, req, "clientMetadata", `{"brand":"acme"}`)
	if m := ts.auLastMessage(poolID, "legacy-fred", "ForgotPassword"); m.Destination != "legacy-fred@legacy.example" {
		t.Errorf("reset code for the migrated user went to %+v", m)
	}

	// An unknown user on a client that prevents user-existence errors.
	p2, c2 := ts.trPool(&types.LambdaConfigType{PreAuthentication: arn}, cip.CreateUserPoolInput{},
		cip.CreateUserPoolClientInput{PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	_, err = ts.passwordAuth(c2, "ghost", "whatever1A!")
	wantErr(t, "sign-in of an unknown user", err, "NotAuthorizedException")
	src = "PreAuthentication_Authentication"
	req, _ = trEnvelope(t, rec.last(t, src), src, p2, "ghost", c2)
	trWant(t, src, req, "userNotFound", `true`)
	if _, err := ts.auStartSRP(c2, "ghost2"); err != nil {
		t.Fatalf("SRP start for an unknown user on a hiding client: %v", err)
	}
	req, _ = trEnvelope(t, rec.last(t, src), src, p2, "ghost2", c2)
	trWant(t, src, req, "userNotFound", `true`)
}

// errString is an error with a fixed message.
type errString string

func (e errString) Error() string { return string(e) }

func TestTrigger_CustomEmailSenderIsAsynchronous(t *testing.T) {
	rec := &trRecorder{}
	ts := startTarn(t, func(m *Main) { m.GoFunctions = map[string]lambda.GoFunc{"sender": rec.fn} })
	ctx := ctxT(t)
	poolID, clientID := ts.trPool(&types.LambdaConfigType{
		CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10, LambdaArn: trARN("sender")},
		KMSKeyID:          aws.String("arn:aws:kms:us-east-1:000000000000:key/1a2b3c4d-5e6f-7a8b-9c0d-111122223333"),
	}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})

	check := func(source, username, clientID, code string, meta string) {
		t.Helper()
		inv := ts.trWaitInvocation(poolID, "CustomEmailSender", source)
		if inv.Outcome != "ok" || inv.Runner != "go" || strings.Contains(string(inv.Event), base64.StdEncoding.EncodeToString([]byte(code))) {
			t.Errorf("%s invocation record %+v (the code must be redacted)", source, inv)
		}
		var ev map[string]any
		for _, e := range rec.bySource(source) {
			if e["userName"] == username {
				ev = e
			}
		}
		if ev == nil {
			t.Fatalf("no %s event for %s", source, username)
		}
		req, _ := trEnvelope(t, ev, source, poolID, username, clientID)
		trWant(t, source, req, "type", `"customEmailSenderRequestV1"`)
		trWant(t, source, req, "tarnPlaintextCode", `true`)
		trWant(t, source, req, "clientMetadata", meta)
		enc, _ := req["code"].(string)
		if b, err := base64.StdEncoding.DecodeString(enc); err != nil || string(b) != code {
			t.Errorf("%s: request.code %q decodes to %q, want base64 of %q", source, enc, b, code)
		}
		ua := trMap(t, req, "userAttributes")
		if ua["sub"] == nil || ua["email"] == nil {
			t.Errorf("%s: userAttributes %v", source, ua)
		}
	}

	_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("sam"), Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("email", "sam@example.com")}, ClientMetadata: map[string]string{"brand": "acme"}})
	if err != nil {
		t.Fatal(err)
	}
	check("CustomEmailSender_SignUp", "sam", clientID, ts.lastCode(poolID, "sam"), `{"brand":"acme"}`)
	if _, err := ts.cip.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: &clientID, Username: aws.String("sam")}); err != nil {
		t.Fatal(err)
	}
	check("CustomEmailSender_ResendCode", "sam", clientID, ts.lastCode(poolID, "sam"), `null`)
	if err := ts.auConfirm(clientID, "sam", ts.lastCode(poolID, "sam")); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("sam")}); err != nil {
		t.Fatal(err)
	}
	check("CustomEmailSender_ForgotPassword", "sam", clientID, ts.lastCode(poolID, "sam"), `null`)
	if _, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("tina"),
		TemporaryPassword: aws.String("Temp<0rary>!"), UserAttributes: []types.AttributeType{attr("email", "tina@example.com")}}); err != nil {
		t.Fatal(err)
	}
	// The temporary password reaches the sender HTML-escaped (§15.2).
	check("CustomEmailSender_AdminCreateUser", "tina", "CLIENT_ID_NOT_APPLICABLE", "Temp&lt;0rary&gt;!", `null`)
}
