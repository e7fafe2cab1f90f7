package main

// amazon-cognito-identity-js (the real npm package) drives a whole user
// lifecycle against tarn with its own methods: test/js/lifecycle.mjs.

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

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// lcStep is one JSON line lifecycle.mjs prints.
type lcStep struct {
	Step    string `json:"step"`
	OK      bool   `json:"ok"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// lcSteps are the steps lifecycle.mjs must report, in order. The script
// runs refreshSessionAfterSignOut only when the access token carries
// origin_jti (the library revokes on signOut only then); tarn's tokens do,
// so the step is required here.
var lcSteps = []string{
	"signUp", "signUpTwice", "authenticateUnconfirmed", "resendConfirmationCode", "resendPastLimit",
	"signUpCode", "confirmRegistration",
	"authenticateWrongPassword", "authenticateUnknownUser", "authenticateUser",
	"getUserAttributes", "updateAttributes",
	"getSession", "getSessionFromStorage", "refreshSession",
	"changePasswordWrongOld", "changePassword", "signOut", "refreshSessionAfterSignOut",
	"authenticateOldPassword", "authenticateNewPassword",
	"forgotPasswordOnSuccess", "forgotPassword", "forgotPasswordCode", "confirmPasswordWrongCode", "confirmPassword",
	"authenticatePreviousPassword", "authenticateNewestPassword",
	"globalSignOut", "getUserAttributesAfterGlobalSignOut", "refreshSessionAfterGlobalSignOut",
	"authenticateBeforeDelete", "deleteUser", "authenticateDeletedUser", "done",
}

// lcWantCode is the exception code the failure steps must report.
var lcWantCode = map[string]string{
	"signUpTwice":                         "UsernameExistsException",
	"authenticateUnconfirmed":             "UserNotConfirmedException",
	"resendPastLimit":                     "LimitExceededException",
	"authenticateWrongPassword":           "NotAuthorizedException",
	"authenticateUnknownUser":             "UserNotFoundException",
	"changePasswordWrongOld":              "NotAuthorizedException",
	"refreshSessionAfterSignOut":          "NotAuthorizedException",
	"authenticateOldPassword":             "NotAuthorizedException",
	"confirmPasswordWrongCode":            "CodeMismatchException",
	"authenticatePreviousPassword":        "NotAuthorizedException",
	"getUserAttributesAfterGlobalSignOut": "NotAuthorizedException",
	"refreshSessionAfterGlobalSignOut":    "NotAuthorizedException",
	"authenticateDeletedUser":             "UserNotFoundException",
}

func TestE2E_JS_CognitoIdentityJS_Lifecycle(t *testing.T) {
	node := auRequireNode(t)
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})

	runNodeSteps(t, node, "lifecycle.mjs", []string{"TARN_ENDPOINT=" + ts.url, "POOL_ID=" + poolID, "CLIENT_ID=" + clientID,
		"USERNAME=lee", "EMAIL=lee@example.com"}, lcSteps, lcWantCode)
	if out, err := ts.cip.ListUsers(ctxT(t), &cip.ListUsersInput{UserPoolId: &poolID}); err != nil || len(out.Users) != 0 {
		t.Errorf("after deleteUser, ListUsers = %+v, %v; want no user", out, err)
	}
}

// runNodeSteps runs a step script of test/js (it prints one JSON line per
// step and exits non-zero at the first unexpected result) with env, and
// checks that it reported exactly the steps want, in order, each ok and
// with the error code wantCode names (none when absent). It returns the
// steps.
func runNodeSteps(t *testing.T, node, script string, env []string, want []string, wantCode map[string]string) []lcStep {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(auJSDir, script))
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	var steps []lcStep
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if line == "" {
			continue
		}
		var s lcStep
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("%s printed %q: %v\nstderr: %s", script, line, err, stderr.String())
		}
		steps = append(steps, s)
	}
	for _, s := range steps {
		if !s.OK {
			t.Errorf("step %s failed: %s: %s", s.Step, s.Code, s.Message)
		} else if w := wantCode[s.Step]; s.Code != w {
			t.Errorf("step %s: code %q, want %q", s.Step, s.Code, w)
		}
	}
	if runErr != nil {
		t.Fatalf("node %s: %v\nstdout: %s\nstderr: %s", script, runErr, stdout.String(), stderr.String())
	}
	var got []string
	for _, s := range steps {
		got = append(got, s.Step)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("steps\n got %v\nwant %v", got, want)
	}
	return steps
}
