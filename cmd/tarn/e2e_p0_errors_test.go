package main

// The failures api.md §2.2 names for the P0 operations, each driven through
// aws-sdk-go-v2 and checked for its exception and, where the reference
// quotes one, its message.

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/lambda"
)

func TestE2E_P0Failures_SignUpAndConfirmation(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("p"), AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{{Name: aws.String("email"), Required: aws.Bool(true), Mutable: aws.Bool(true)}}})
	poolID := *p.Id
	clientID := *ts.client(poolID, cip.CreateUserPoolClientInput{}).ClientId
	narrow := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("narrow"),
		WriteAttributes: []string{"email", "name"}}).ClientId
	signUp := func(client, username, password string, attrs ...types.AttributeType) error {
		_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: &username, Password: &password, UserAttributes: attrs})
		return err
	}
	email := attr("email", "pat@example.com")

	wantFailure(t, "SignUp writing an attribute the client may not write", signUp(narrow, "pat", auPassword, email, attr("family_name", "X")),
		"NotAuthorizedException", "A client attempted to write unauthorized attribute")
	wantFailure(t, "SignUp with an attribute not in the schema", signUp(clientID, "pat", auPassword, email, attr("custom:nope", "x")),
		"InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.")
	wantFailure(t, "SignUp without a required attribute", signUp(clientID, "pat", auPassword),
		"InvalidParameterException", "Attributes did not conform to the schema: email: The attribute is required")
	for pw, why := range map[string]string{
		"Sh0rt!":       "Password not long enough",
		"passw0rd!!":   "Password must have uppercase characters",
		"PASSW0RD!!":   "Password must have lowercase characters",
		"Password!!":   "Password must have numeric characters",
		"Passw0rd1234": "Password must have symbol characters",
	} {
		wantFailure(t, "SignUp with "+pw, signUp(clientID, "pat", pw, email),
			"InvalidPasswordException", "Password did not conform with policy: "+why)
	}
	if err := signUp(clientID, "pat", auPassword, email); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, "SignUp of a taken username", signUp(clientID, "pat", auPassword, email), "UsernameExistsException", "User already exists")

	confirm := func(username, code string) error { return ts.auConfirm(clientID, username, code) }
	wantFailure(t, "ConfirmSignUp of an unknown user", confirm("nobody", "123456"),
		"UserNotFoundException", "Username/client id combination not found.")
	code := ts.lastCode(poolID, "pat")
	wantFailure(t, "ConfirmSignUp with a wrong code", confirm("pat", auOtherCode(code)),
		"CodeMismatchException", "Invalid verification code provided, please try again.")
	if err := confirm("pat", code); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, "ConfirmSignUp of a confirmed user", confirm("pat", code),
		"NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	wantFailure(t, "ResendConfirmationCode for a confirmed user", ts.auResend(clientID, "pat"),
		"InvalidParameterException", "User is already confirmed.")

	adminOnly := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("admin-only"),
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}})
	adminOnlyClient := *ts.client(*adminOnly.Id, cip.CreateUserPoolClientInput{}).ClientId
	wantFailure(t, "SignUp in an admin-only pool", signUp(adminOnlyClient, "pat", auPassword),
		"NotAuthorizedException", "SignUp is not permitted for this user pool")
}

// A sign-up code lives 24 hours and a reset code one hour; ConfirmForgotPassword
// without any code asks for one.
func TestE2E_P0Failures_ExpiredCodes(t *testing.T) {
	ts, clock := quotaTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	const expired = "Invalid code provided, please request a code again."
	ts.auSignUp(clientID, "ola", auPassword, attr("email", "ola@example.com"))
	code := ts.lastCode(poolID, "ola")
	clock.Advance(24*time.Hour + time.Second)
	wantFailure(t, "ConfirmSignUp with a code a day old", ts.auConfirm(clientID, "ola", code), "ExpiredCodeException", expired)

	ts.auSignedUp(poolID, clientID, "max", "max@example.com", auPassword)
	reset := func(code string) error {
		_, err := ts.cip.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("max"),
			ConfirmationCode: aws.String(code), Password: aws.String("N3w-Passw0rd!")})
		return err
	}
	wantFailure(t, "ConfirmForgotPassword without a code requested", reset("123456"), "ExpiredCodeException", expired)
	clock.Advance(time.Second)
	if _, err := ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("max")}); err != nil {
		t.Fatal(err)
	}
	code = ts.auLastMessage(poolID, "max", "ForgotPassword").Code
	clock.Advance(time.Hour + time.Second)
	wantFailure(t, "ConfirmForgotPassword with a code an hour old", reset(code), "ExpiredCodeException", expired)
}

func TestE2E_P0Failures_ForgotPassword(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	forgot := func(username string) error {
		_, err := ts.cip.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String(username)})
		return err
	}
	ts.confirmedUser(poolID, "dee", auPassword, attr("email", "dee@example.com"), attr("email_verified", "true"))
	if _, err := ts.cip.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: aws.String("dee")}); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, "ForgotPassword of a disabled user", forgot("dee"), "NotAuthorizedException", "User is disabled.")
	ts.confirmedUser(poolID, "nov", auPassword, attr("email", "nov@example.com"))
	wantFailure(t, "ForgotPassword without a verified email or phone", forgot("nov"), "InvalidParameterException",
		"Cannot reset password for the user as there is no registered/verified email or phone_number")
}

func TestE2E_P0Failures_AccessTokens(t *testing.T) {
	ts, clock := quotaTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "tom", auPassword)
	access := *ts.auTokens(clientID, "tom", auPassword).AccessToken
	_, err := ts.auGetUser(access[:len(access)-4] + "AAAA")
	wantFailure(t, "GetUser with a forged signature", err, "NotAuthorizedException", "Invalid Access Token")
	_, err = ts.auGetUser("not.a.token")
	wantFailure(t, "GetUser with garbage", err, "NotAuthorizedException", "Invalid Access Token")

	clock.Advance(time.Hour + time.Second) // the default access token lives an hour
	_, err = ts.auGetUser(access)
	wantFailure(t, "GetUser with an expired token", err, "NotAuthorizedException", "Access Token has expired")

	access = *ts.auTokens(clientID, "tom", auPassword).AccessToken
	if _, err := ts.cip.AdminDeleteUser(ctxT(t), &cip.AdminDeleteUserInput{UserPoolId: &poolID, Username: aws.String("tom")}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.auGetUser(access)
	wantFailure(t, "GetUser of a deleted user", err, "UserNotFoundException", "User does not exist.")
}

// A pre token generation function (V2_0) that takes away
// aws.cognito.signin.user.admin leaves an access token the user-pool API
// refuses.
func TestE2E_P0Failures_AccessTokenWithoutAdminScope(t *testing.T) {
	suppress := func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev map[string]any
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		ev["response"] = map[string]any{"claimsAndScopeOverrideDetails": map[string]any{
			"accessTokenGeneration": map[string]any{"scopesToSuppress": []string{"aws.cognito.signin.user.admin"}}}}
		return json.Marshal(ev)
	}
	ts := startTarn(t, func(m *Main) { m.GoFunctions = map[string]lambda.GoFunc{"suppress": suppress} })
	poolID, clientID := ts.trPool(&types.LambdaConfigType{PreTokenGenerationConfig: &types.PreTokenGenerationVersionConfigType{
		LambdaArn: trARN("suppress"), LambdaVersion: types.PreTokenGenerationLambdaVersionTypeV20}}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	ts.confirmedUser(poolID, "sky", auPassword)
	access := ts.auTokens(clientID, "sky", auPassword).AccessToken
	if scope := auClaims(t, *access)["scope"]; scope != nil && scope != "" {
		t.Fatalf("scope %v, want the admin scope suppressed", scope)
	}
	_, err := ts.auGetUser(*access)
	wantFailure(t, "GetUser without the admin scope", err, "NotAuthorizedException", "Access Token does not have required scopes")
}

func TestE2E_P0Failures_Sessions(t *testing.T) {
	ts, clock := quotaTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	const tmp = "Tempor4ry-Pass"
	if _, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("nia"),
		TemporaryPassword: aws.String(tmp), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	ch, err := ts.passwordAuth(clientID, "nia", tmp)
	if err != nil {
		t.Fatal(err)
	}
	answer := map[string]string{"USERNAME": "nia", "NEW_PASSWORD": "N3w-Passw0rd!"}
	_, err = ts.auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, aws.String("x"+*ch.Session), answer)
	wantFailure(t, "NEW_PASSWORD_REQUIRED with a session that was not issued", err, "NotAuthorizedException", "Invalid session for the user.")
	clock.Advance(3*time.Minute + time.Second) // sessions live 3 minutes by default
	_, err = ts.auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, ch.Session, answer)
	wantFailure(t, "NEW_PASSWORD_REQUIRED after the session expired", err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
}

// CreateUserPool past the pool quota (AWS: 1,000 per account and Region,
// adjustable; tarn: --max-user-pools).
func TestE2E_P0Failures_PoolQuota(t *testing.T) {
	ts := startTarn(t, func(m *Main) { m.MaxUserPools = 3 })
	for i := range 3 {
		ts.pool(cip.CreateUserPoolInput{PoolName: aws.String(fmt.Sprintf("p%d", i))})
	}
	_, err := ts.cip.CreateUserPool(ctxT(t), &cip.CreateUserPoolInput{PoolName: aws.String("one too many")})
	wantFailure(t, "CreateUserPool past the quota", err, "LimitExceededException",
		"The maximum number of user pools (3) has been reached for this account in this Region.")
	out, err := ts.cip.ListUserPools(ctxT(t), &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(out.UserPools) != 3 {
		t.Fatalf("ListUserPools after the refusal: %v pools, %v", len(out.UserPools), err)
	}
	if _, err := ts.cip.DeleteUserPool(ctxT(t), &cip.DeleteUserPoolInput{UserPoolId: out.UserPools[0].Id}); err != nil {
		t.Fatal(err)
	}
	ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("room again")})
}

func TestE2E_P0Failures_AdminAndClients(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.auEmailPool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	create := func(username string, force bool) error {
		_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String(username),
			MessageAction: types.MessageActionTypeSuppress, ForceAliasCreation: force,
			UserAttributes: []types.AttributeType{attr("email", "shared@example.com"), attr("email_verified", "true")}})
		return err
	}
	if err := create("first", false); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, "AdminCreateUser of a taken username", create("first", false), "UsernameExistsException", "User account already exists")
	wantFailure(t, "AdminCreateUser with another user's verified email alias", create("second", false),
		"AliasExistsException", "An account with the email already exists.")
	if err := create("second", true); err != nil {
		t.Fatalf("AdminCreateUser with ForceAliasCreation: %v", err)
	}
	if got := attrMap(ts.auAdminGet(poolID, "first").UserAttributes)["email_verified"]; got != "false" {
		t.Errorf("the alias's former holder has email_verified %q, want false", got)
	}
	if got := aws.ToString(ts.auAdminGet(poolID, "shared@example.com").Username); got != "second" {
		t.Errorf("the email alias signs in %q, want second", got)
	}

	const ghost = "1example23456789abcdefghij"
	_, err := ts.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &poolID, ClientId: aws.String(ghost)})
	wantFailure(t, "DescribeUserPoolClient of an unknown client", err, "ResourceNotFoundException", fmt.Sprintf("User pool client %s does not exist.", ghost))
}
