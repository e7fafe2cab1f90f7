package main

// amazon-cognito-identity-js (the real npm package) signs in to tarn with
// USER_SRP_AUTH and aws-jwt-verify checks the tokens: test/js/srp-signin.mjs.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// auJSDir is test/js relative to this package's directory, where go test
// runs.
const auJSDir = "../../test/js"

// auJSResult is the JSON line srp-signin.mjs prints.
type auJSResult struct {
	OK                 bool                      `json:"ok"`
	Code               string                    `json:"code"`
	Message            string                    `json:"message"`
	Username           string                    `json:"username"`
	RefreshToken       string                    `json:"refreshToken"`
	Claims             map[string]map[string]any `json:"claims"`
	RequiredAttributes []string                  `json:"requiredAttributes"`
}

// auRequireNode fails the test when node or the npm packages are missing
// (skips it instead with TARN_SKIP_NODE=1).
func auRequireNode(t *testing.T) string {
	t.Helper()
	miss := func(why string) {
		if os.Getenv("TARN_SKIP_NODE") == "1" {
			t.Skip(why + " (TARN_SKIP_NODE=1)")
		}
		t.Fatal(why + "; run `npm ci --prefix test/js` from the repository root, or set TARN_SKIP_NODE=1 to skip the JavaScript client tests")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		miss("node is not installed")
	}
	for _, pkg := range []string{"amazon-cognito-identity-js", "aws-jwt-verify"} {
		if _, err := os.Stat(filepath.Join(auJSDir, "node_modules", pkg, "package.json")); err != nil {
			miss("test/js/node_modules/" + pkg + " is missing")
		}
	}
	return node
}

// auRunJS runs srp-signin.mjs against ts with the given extra environment.
func (ts *tarnServer) auRunJS(t *testing.T, node, poolID, clientID, username, password string, env ...string) auJSResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(auJSDir, "srp-signin.mjs"))
	cmd.Env = append(os.Environ(), "TARN_ENDPOINT="+ts.url, "POOL_ID="+poolID, "CLIENT_ID="+clientID,
		"USERNAME="+username, "PASSWORD="+password, "NEW_PASSWORD=", "AWS_ISSUER=")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node srp-signin.mjs: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var r auJSResult
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		t.Fatalf("srp-signin.mjs output %q: %v (stderr: %s)", stdout.String(), err, stderr.String())
	}
	return r
}

func TestE2E_JS_CognitoIdentityJS_SRPSignIn(t *testing.T) {
	node := auRequireNode(t)
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "nina", auPassword, attr("email", "nina@example.com"), attr("email_verified", "true"))

	t.Run("RightPassword_ClaimsVerifiedByAwsJwtVerify", func(t *testing.T) {
		r := ts.auRunJS(t, node, poolID, clientID, "nina", auPassword)
		if !r.OK {
			t.Fatalf("sign-in failed: %s: %s", r.Code, r.Message)
		}
		id, access := r.Claims["id"], r.Claims["access"]
		if id["cognito:username"] != "nina" || id["email"] != "nina@example.com" || id["token_use"] != "id" || id["aud"] != clientID {
			t.Errorf("ID token claims: %v", id)
		}
		if access["username"] != "nina" || access["token_use"] != "access" || access["client_id"] != clientID {
			t.Errorf("access token claims: %v", access)
		}
		if id["iss"] != ts.url+"/"+poolID {
			t.Errorf("iss = %v, want %s/%s", id["iss"], ts.url, poolID)
		}
		// The refresh token the library got works from Go.
		out, err := ts.cip.InitiateAuth(ctxT(t), &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": r.RefreshToken}})
		if err != nil || out.AuthenticationResult == nil {
			t.Errorf("REFRESH_TOKEN_AUTH with the JS client's refresh token: %+v %v", out, err)
		}
	})
	t.Run("WrongPassword_NotAuthorized", func(t *testing.T) {
		r := ts.auRunJS(t, node, poolID, clientID, "nina", "Wr0ng-password")
		if r.OK || r.Code != "NotAuthorizedException" {
			t.Fatalf("result %+v, want ok:false NotAuthorizedException", r)
		}
	})
	t.Run("ForceChangePassword_NewPassword", func(t *testing.T) {
		ctx := ctxT(t)
		_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("omar"),
			TemporaryPassword: aws.String("Temp0rary!"), MessageAction: types.MessageActionTypeSuppress})
		if err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
		r := ts.auRunJS(t, node, poolID, clientID, "omar", "Temp0rary!")
		if r.OK || r.Code != "NewPasswordRequired" || len(r.RequiredAttributes) != 0 {
			t.Fatalf("without NEW_PASSWORD: %+v, want NewPasswordRequired with no required attributes", r)
		}
		r = ts.auRunJS(t, node, poolID, clientID, "omar", "Temp0rary!", "NEW_PASSWORD=N3w-password!")
		if !r.OK {
			t.Fatalf("NEW_PASSWORD_REQUIRED answered by the library: %s: %s", r.Code, r.Message)
		}
		if r.Claims["access"]["username"] != "omar" {
			t.Errorf("access token username = %v", r.Claims["access"]["username"])
		}
		if u := ts.auAdminGet(poolID, "omar"); u.UserStatus != types.UserStatusTypeConfirmed {
			t.Errorf("status %s after the new password, want CONFIRMED", u.UserStatus)
		}
		ts.auTokens(clientID, "omar", "N3w-password!")
		if r := ts.auRunJS(t, node, poolID, clientID, "omar", "N3w-password!"); !r.OK {
			t.Errorf("SRP sign-in with the new password: %s: %s", r.Code, r.Message)
		}
	})
}

func TestE2E_JS_CognitoJwtVerifier_AWSIssuer(t *testing.T) {
	node := auRequireNode(t)
	ts := startTarn(t, func(m *Main) { m.AWSIssuer = true })
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "pia", auPassword)
	r := ts.auRunJS(t, node, poolID, clientID, "pia", auPassword, "AWS_ISSUER=1")
	if !r.OK {
		t.Fatalf("sign-in verified by CognitoJwtVerifier failed: %s: %s", r.Code, r.Message)
	}
	want := "https://cognito-idp.us-east-1.amazonaws.com/" + poolID
	if r.Claims["id"]["iss"] != want || r.Claims["access"]["iss"] != want {
		t.Errorf("iss = %v / %v, want %s", r.Claims["id"]["iss"], r.Claims["access"]["iss"], want)
	}
	if r.Claims["access"]["username"] != "pia" {
		t.Errorf("access username = %v", r.Claims["access"]["username"])
	}
}
