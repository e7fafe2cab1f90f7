package main

// Amplify JS v6 (the real aws-amplify npm package), configured the way an
// application configures it with userPoolEndpoint pointing at tarn, signs a
// user up, in (SRP) and out, and changes its password:
// test/js/amplify-flow.mjs.

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

func TestE2E_JS_Amplify_UserFlow(t *testing.T) {
	node := auRequireNode(t)
	if _, err := os.Stat(filepath.Join(auJSDir, "node_modules", "aws-amplify", "package.json")); err != nil {
		msg := "test/js/node_modules/aws-amplify is missing"
		if os.Getenv("TARN_SKIP_NODE") == "1" {
			t.Skip(msg + " (TARN_SKIP_NODE=1)")
		}
		t.Fatal(msg + "; run `npm ci --prefix test/js` from the repository root, or set TARN_SKIP_NODE=1 to skip the JavaScript client tests")
	}
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
