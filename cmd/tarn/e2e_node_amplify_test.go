package main

// Amplify JS v6 (the real aws-amplify npm package), configured the way an
// application configures it with userPoolEndpoint pointing at tarn, signs a
// user up, in (SRP) and out, and changes its password
// (test/js/amplify-flow.mjs); and manages an account: attributes, a reset
// password, deletion (test/js/amplify-account.mjs).

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// amplifySteps are the steps amplify-flow.mjs must report, in order.
var amplifySteps = []string{
	"signUp", "confirmSignUp", "signInWrongPassword", "signIn", "getCurrentUser",
	"fetchAuthSession", "fetchAuthSessionForceRefresh", "fetchUserAttributes",
	"updatePasswordWrongOld", "updatePassword", "signOut",
	"signInOldPassword", "signInNewPassword", "fetchAuthSessionNewPassword", "signOutGlobal", "done",
}

// amplifyWantCode is the error name the failure steps must report.
var amplifyWantCode = map[string]string{
	"signInWrongPassword":    "NotAuthorizedException",
	"updatePasswordWrongOld": "NotAuthorizedException",
	"signInOldPassword":      "NotAuthorizedException",
}

// requireAmplify returns the node binary once aws-amplify is installed in
// test/js, and skips or fails the test as auRequireNode does when not.
func requireAmplify(t *testing.T) string {
	t.Helper()
	node := auRequireNode(t)
	if _, err := os.Stat(filepath.Join(auJSDir, "node_modules", "aws-amplify", "package.json")); err != nil {
		msg := "test/js/node_modules/aws-amplify is missing"
		if os.Getenv("TARN_SKIP_NODE") == "1" {
			t.Skip(msg + " (TARN_SKIP_NODE=1)")
		}
		t.Fatal(msg + "; run `npm ci --prefix test/js` from the repository root, or set TARN_SKIP_NODE=1 to skip the JavaScript client tests")
	}
	return node
}

func TestE2E_JS_Amplify_UserFlow(t *testing.T) {
	node := requireAmplify(t)
	ts := startTarn(t)
	// Amplify's usual pool: email is the username and is verified by code.
	p := ts.pool(cip.CreateUserPoolInput{
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	})
	poolID := *p.Id
	// No secret; the harness's default flows include ALLOW_USER_SRP_AUTH.
	c := ts.client(poolID, cip.CreateUserPoolClientInput{})
	clientID := *c.ClientId
	if c.ClientSecret != nil {
		t.Fatal("client has a secret")
	}
	const email, password, newPassword = "ava@example.com", "Passw0rd!first", "Passw0rd!second"

	steps := runNodeSteps(t, node, "amplify-flow.mjs", []string{"TARN_ENDPOINT=" + ts.url, "POOL_ID=" + poolID, "CLIENT_ID=" + clientID,
		"USERNAME=" + email, "PASSWORD=" + password, "NEW_PASSWORD=" + newPassword}, amplifySteps, amplifyWantCode)

	// The user Amplify created is confirmed, its email verified, and only
	// the new password works.
	u := ts.auAdminGet(poolID, email)
	if u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["email_verified"] != "true" {
		t.Errorf("user after the flow: status %s, attributes %v", u.UserStatus, attrMap(u.UserAttributes))
	}
	if len(steps) > 0 && steps[0].Message != aws.ToString(u.Username) {
		t.Errorf("signUp userId %q, want the username %q", steps[0].Message, aws.ToString(u.Username))
	}
	ts.auTokens(clientID, email, newPassword)
	_, err := ts.passwordAuth(clientID, email, password)
	wantErr(t, "USER_PASSWORD_AUTH with the old password", err, "NotAuthorizedException")
}

// amplifyAccountSteps are the steps amplify-account.mjs must report, in
// order, and amplifyAccountWantCode the error names of its failure steps.
var amplifyAccountSteps = []string{
	"signInTemporaryPassword", "confirmSignInNewPassword", "fetchUserAttributes",
	"updateUserAttributes", "fetchUserAttributesUnverified", "confirmUserAttributeWrongCode", "confirmUserAttribute",
	"sendUserAttributeVerificationCode", "deleteRequiredAttribute", "deleteUserAttributes", "signOut", "signInOldEmail", "signInUserPasswordAuth",
	"signOutAgain", "resetPassword", "confirmResetPasswordWrongCode", "confirmResetPassword", "signInBeforeReset",
	"signInAfterReset", "deleteUser", "signInDeleted",
	"signUpSecond", "resendSignUpCode", "confirmSignUpFirstCode", "confirmSignUpResentCode", "autoSignIn", "done",
}

var amplifyAccountWantCode = map[string]string{
	"confirmUserAttributeWrongCode": "CodeMismatchException",
	"deleteRequiredAttribute":       "InvalidParameterException",
	"signInOldEmail":                "UserNotFoundException",
	"confirmResetPasswordWrongCode": "CodeMismatchException",
	"signInBeforeReset":             "NotAuthorizedException",
	"signInDeleted":                 "UserNotFoundException",
	"confirmSignUpFirstCode":        "CodeMismatchException",
}

// Amplify JS v6 through account management: an administrator-created user
// sets its password (NEW_PASSWORD_REQUIRED with a required attribute),
// changes and verifies its email, deletes an attribute, signs in with
// USER_PASSWORD_AUTH, resets its password with the emailed code and
// deletes itself; a second user has its sign-up code resent and is signed
// in by Amplify's autoSignIn.
func TestE2E_JS_Amplify_AccountManagement(t *testing.T) {
	node := requireAmplify(t)
	ts := startTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema:                 []types.SchemaAttributeType{{Name: aws.String("name"), Required: aws.Bool(true), Mutable: aws.Bool(true)}},
	})
	poolID := *p.Id
	clientID := *ts.client(poolID, cip.CreateUserPoolClientInput{}).ClientId
	const adminEmail, tempPassword = "ben@example.com", "Temp0rary!pass"
	const newEmail, signUpEmail = "benjamin@example.org", "cleo@example.com"
	const password, resetPassword = "Passw0rd!first", "Passw0rd!reset"
	created, err := ts.cip.AdminCreateUser(ctxT(t), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(adminEmail), TemporaryPassword: aws.String(tempPassword),
		MessageAction:  types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("true")}},
	})
	if err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	user := aws.ToString(created.User.Username)

	runNodeSteps(t, node, "amplify-account.mjs", []string{"TARN_ENDPOINT=" + ts.url, "POOL_ID=" + poolID, "CLIENT_ID=" + clientID,
		"ADMIN_EMAIL=" + adminEmail, "ADMIN_USER=" + user, "TEMP_PASSWORD=" + tempPassword, "NEW_EMAIL=" + newEmail,
		"SIGNUP_EMAIL=" + signUpEmail, "PASSWORD=" + password, "RESET_PASSWORD=" + resetPassword},
		amplifyAccountSteps, amplifyAccountWantCode)

	// What Amplify did is what the admin API sees: the first user is gone,
	// the second is confirmed with its email verified and its name kept.
	_, err = ts.cip.AdminGetUser(ctxT(t), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(user)})
	wantErr(t, "AdminGetUser of the deleted user", err, "UserNotFoundException")
	second := ts.auAdminGet(poolID, signUpEmail)
	if a := attrMap(second.UserAttributes); second.UserStatus != types.UserStatusTypeConfirmed || a["email_verified"] != "true" || a["name"] != "Cleo" {
		t.Errorf("second user: status %s, attributes %v", second.UserStatus, a)
	}
}
