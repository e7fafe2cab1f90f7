package main

// Real trigger handlers run by tarn's local runner: a CommonJS callback
// handler and ES-module async handlers in Node (one calls tarn back with the
// AWS SDK for JavaScript v3), a Python handler, and a Go binary built from
// aws-lambda-go as a provided.al2023 function.

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// trHandlerServer starts tarn with every real handler declared.
func trHandlerServer(t *testing.T) *tarnServer {
	t.Helper()
	trRequireNode(t)
	trRequirePython(t)
	pyDir, err := filepath.Abs(filepath.Join(trHandlersDir, "python-custommessage"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := trConfigFile(t, map[string]map[string]any{
		"presignup-cjs":      trNodeFunction(t, "presignup-cjs"),
		"pretoken-esm":       trNodeFunction(t, "pretoken-esm"),
		"postconfirm-groups": trNodeFunction(t, "postconfirm-groups"),
		"custommessage-py":   {"Runtime": "python3.11", "Handler": "app.lambda_handler", "CodeUri": pyDir, "Timeout": 5},
		"pretoken-go":        trBuildGoFunc(t),
	})
	return startTarn(t, func(m *Main) { m.ConfigFile = cfg })
}

func TestTrigger_RealHandlers(t *testing.T) {
	ts := trHandlerServer(t)
	ctx := ctxT(t)

	t.Run("NodeCJSPreSignUpAutoConfirms", func(t *testing.T) {
		ts := *ts
		ts.t = t
		poolID, clientID := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("presignup-cjs")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
		out := ts.auSignUp(clientID, "autoanna", auPassword, attr("email", "anna@example.com"))
		if !out.UserConfirmed || out.CodeDeliveryDetails != nil {
			t.Fatalf("SignUp = UserConfirmed %v, CodeDeliveryDetails %+v; want confirmed without a code", out.UserConfirmed, out.CodeDeliveryDetails)
		}
		if msgs := ts.messages(poolID, ""); len(msgs) != 0 {
			t.Fatalf("outbox after an auto-confirmed sign-up: %+v", msgs)
		}
		u := ts.auAdminGet(poolID, "autoanna")
		if u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["email_verified"] != "true" {
			t.Fatalf("user status %s, attributes %v; want CONFIRMED with email_verified true", u.UserStatus, attrMap(u.UserAttributes))
		}
		ts.auTokens(clientID, "autoanna", auPassword)

		// The invocation log shows the whole story of the call.
		inv := ts.trLastInvocation(poolID, "PreSignUp")
		if inv.PoolID != poolID || inv.Trigger != "PreSignUp" || inv.TriggerSource != "PreSignUp_SignUp" ||
			inv.Function != *trARN("presignup-cjs") || inv.Runner != "local" || inv.Attempts != 1 || inv.Outcome != "ok" {
			t.Fatalf("invocation record %+v", inv)
		}
		if !slices.ContainsFunc(inv.Logs, func(l string) bool { return strings.Contains(l, "presignup PreSignUp_SignUp autoanna") }) {
			t.Errorf("invocation logs %q lack the handler's console.log line", inv.Logs)
		}
		if !strings.Contains(string(inv.Event), `"userName":"autoanna"`) || !strings.Contains(string(inv.Response), `"autoConfirmUser":true`) {
			t.Errorf("invocation event %s / response %s", inv.Event, inv.Response)
		}
	})

	t.Run("NodeCJSPreSignUpRejectsShortUsernames", func(t *testing.T) {
		ts := *ts
		ts.t = t
		poolID, clientID := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("presignup-cjs")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
		_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("bo"), Password: aws.String(auPassword),
			UserAttributes: []types.AttributeType{attr("email", "bo@example.com")}})
		wantFailure(t, "SignUp bo", err, "UserLambdaValidationException", "PreSignUp failed with error Username bo is too short.")
		ts.trUserGone(poolID, "bo")
		if msgs := ts.messages(poolID, ""); len(msgs) != 0 {
			t.Fatalf("outbox after a rejected sign-up: %+v", msgs)
		}
		// A message that ends with a period gets Cognito's period anyway.
		_, err = ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("dotted-dan"), Password: aws.String(auPassword),
			UserAttributes: []types.AttributeType{attr("email", "dan@example.com")}})
		wantFailure(t, "SignUp dotted-dan", err, "UserLambdaValidationException", "PreSignUp failed with error Sign-ups are closed..")
		ts.trUserGone(poolID, "dotted-dan")
		inv := ts.trLastInvocation(poolID, "PreSignUp")
		if inv.Outcome != "UserLambdaValidationException" || inv.Attempts != 1 {
			t.Errorf("invocation record of a function error: %+v", inv)
		}
	})

	t.Run("NodeSDKPostConfirmationAddsUserToGroup", func(t *testing.T) {
		ts := *ts
		ts.t = t
		poolID, clientID := ts.trPool(&types.LambdaConfigType{PostConfirmation: trARN("postconfirm-groups")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
		if _, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("Users")}); err != nil {
			t.Fatal(err)
		}
		ts.auSignUp(clientID, "carla", auPassword, attr("email", "carla@example.com"))
		if err := ts.auConfirm(clientID, "carla", ts.lastCode(poolID, "carla")); err != nil {
			t.Fatalf("ConfirmSignUp with a post confirmation that calls tarn back: %v", err)
		}
		gs, err := ts.cip.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: aws.String("carla")})
		if err != nil {
			t.Fatal(err)
		}
		if len(gs.Groups) != 1 || aws.ToString(gs.Groups[0].GroupName) != "Users" {
			t.Fatalf("AdminListGroupsForUser = %+v, want [Users]", gs.Groups)
		}
		tok := ts.auTokens(clientID, "carla", auPassword)
		for _, tk := range []string{*tok.IdToken, *tok.AccessToken} {
			if got := strList(t, claimsOf(t, tk), "cognito:groups"); !reflect.DeepEqual(got, []string{"Users"}) {
				t.Fatalf("cognito:groups = %v, want [Users]", got)
			}
		}
		inv := ts.trLastInvocation(poolID, "PostConfirmation")
		if inv.Outcome != "ok" || !slices.ContainsFunc(inv.Logs, func(l string) bool { return strings.Contains(l, "added carla to Users") }) {
			t.Errorf("invocation %+v", inv)
		}
	})

	t.Run("NodeESMPreTokenGenerationV2", func(t *testing.T) {
		ts := *ts
		ts.t = t
		poolID, clientID := ts.trPool(&types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
			LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20, LambdaArn: trARN("pretoken-esm")}},
			cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
		ts.confirmedUser(poolID, "vera", auPassword, attr("email", "vera@example.com"), attr("email_verified", "true"))
		tok := ts.auTokens(clientID, "vera", auPassword)
		id, access := claimsOf(t, *tok.IdToken), claimsOf(t, *tok.AccessToken)
		if trJSON(id["tenant"]) != `{"id":"acme","tier":2}` || id["plan"] != "pro" {
			t.Errorf("ID token tenant %s plan %v, want the handler's claims", trJSON(id["tenant"]), id["plan"])
		}
		if _, ok := id["email"]; ok {
			t.Errorf("ID token still carries email %v, which the handler suppressed", id["email"])
		}
		if id["email_verified"] != true || id["cognito:username"] != "vera" {
			t.Errorf("ID token lost claims it should keep: %v", id)
		}
		if access["tenant_id"] != "acme" || trJSON(access["roles"]) != `["reader","writer"]` {
			t.Errorf("access token tenant_id %v roles %s", access["tenant_id"], trJSON(access["roles"]))
		}
		if scopes := strings.Fields(access["scope"].(string)); !slices.Contains(scopes, "orders/read") || !slices.Contains(scopes, "aws.cognito.signin.user.admin") {
			t.Errorf("access token scope %q, want orders/read added", access["scope"])
		}
		if _, ok := access["tenant"]; ok {
			t.Errorf("the ID token's claims leaked into the access token: %v", access)
		}
		inv := ts.trLastInvocation(poolID, "PreTokenGeneration")
		var ev map[string]any
		mustUnmarshal(t, inv.Event, &ev)
		req := trMap(t, ev, "request")
		if ev["version"] != "2" || trJSON(req["scopes"]) != `["aws.cognito.signin.user.admin"]` ||
			trJSON(req["groupConfiguration"]) != `{"groupsToOverride":[],"iamRolesToOverride":[],"preferredRole":null}` {
			t.Errorf("V2_0 event %s", inv.Event)
		}
	})

	t.Run("GoBinaryPreTokenGenerationV1", func(t *testing.T) {
		ts := *ts
		ts.t = t
		poolID, clientID := ts.trPool(&types.LambdaConfigType{PreTokenGeneration: trARN("pretoken-go")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
		ts.confirmedUser(poolID, "gus", auPassword, attr("email", "gus@example.com"))
		if _, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: aws.String("editors")}); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.cip.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: aws.String("gus"), GroupName: aws.String("editors")}); err != nil {
			t.Fatal(err)
		}
		tok := ts.auTokens(clientID, "gus", auPassword)
		id, access := claimsOf(t, *tok.IdToken), claimsOf(t, *tok.AccessToken)
		if id["department"] != "engineering" || id["groupsSeen"] != "1" {
			t.Errorf("ID token department %v groupsSeen %v, want the Go handler's claims", id["department"], id["groupsSeen"])
		}
		if _, ok := access["department"]; ok {
			t.Errorf("V1_0 claims reached the access token: %v", access)
		}
		for name, c := range map[string]map[string]any{"ID": id, "access": access} {
			if got := strList(t, c, "cognito:groups"); !reflect.DeepEqual(got, []string{"from-go", "admins"}) {
				t.Errorf("%s token cognito:groups = %v, want groupOverrideDetails' [from-go admins]", name, got)
			}
		}
		inv := ts.trLastInvocation(poolID, "PreTokenGeneration")
		if inv.Runner != "local" || inv.Outcome != "ok" || !strings.Contains(string(inv.Event), `"version":"1"`) {
			t.Errorf("invocation %+v", inv)
		}
	})

	t.Run("PythonCustomMessage", func(t *testing.T) {
		ts := *ts
		ts.t = t
		lc := &types.LambdaConfigType{CustomMessage: trARN("custommessage-py")}
		// SMS: the function's text with the real code in place of {####}.
		poolID, clientID := ts.trPool(lc, cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypePhoneNumber}},
			cip.CreateUserPoolClientInput{})
		ts.auSignUp(clientID, "simon", auPassword, attr("phone_number", "+14325550101"))
		m := ts.auLastMessage(poolID, "simon", "SignUp")
		if m.Medium != "SMS" || m.Code == "" || m.Body != "Py says your code is "+m.Code {
			t.Fatalf("SMS message %+v, want the Python handler's text with the code", m)
		}
		if err := ts.auConfirm(clientID, "simon", m.Code); err != nil {
			t.Fatal(err)
		}

		// Email text may only change when the pool sends through its own SES.
		poolID, clientID = ts.trPool(lc, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
		_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("emma"), Password: aws.String(auPassword),
			UserAttributes: []types.AttributeType{attr("email", "emma@example.com")}, ClientMetadata: map[string]string{"email": "yes"}})
		wantErr(t, "SignUp with an emailMessage override on a COGNITO_DEFAULT pool", err, "InvalidLambdaResponseException")
		ts.trUserGone(poolID, "emma")
		// Without the override the templates are used.
		ts.auSignUp(clientID, "emma", auPassword, attr("email", "emma@example.com"))
		if m := ts.auLastMessage(poolID, "emma", "SignUp"); m.Medium != "EMAIL" || strings.Contains(m.Body, "Py") || !strings.Contains(m.Body, m.Code) {
			t.Errorf("email message %+v, want the pool's template", m)
		}

		poolID, clientID = ts.trPool(lc, cip.CreateUserPoolInput{EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			SourceArn:           aws.String("arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com")}},
			cip.CreateUserPoolClientInput{})
		_, err = ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("emil"), Password: aws.String(auPassword),
			UserAttributes: []types.AttributeType{attr("email", "emil@example.com")}, ClientMetadata: map[string]string{"email": "yes"}})
		if err != nil {
			t.Fatalf("SignUp on a DEVELOPER pool: %v", err)
		}
		m = ts.auLastMessage(poolID, "emil", "SignUp")
		if m.Body != "<p>Py email: "+m.Code+"</p>" || m.Subject != "Py subject" {
			t.Fatalf("email message %+v, want the Python handler's body and subject", m)
		}
		inv := ts.trLastInvocation(poolID, "CustomMessage")
		if inv.Runner != "local" || !slices.ContainsFunc(inv.Logs, func(l string) bool { return strings.Contains(l, "custom message CustomMessage_SignUp") }) {
			t.Errorf("invocation %+v", inv)
		}
	})
}
