package main

// How trigger failures reach the caller (triggers.md §4), the invocation
// rules (retries on timeout only), what stays written after a failure, and
// the invoke and webhook runners.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/lambda"
)

// trSignUp calls SignUp with an email and returns the error.
func (ts *tarnServer) trSignUp(clientID, username string) error {
	_, err := ts.cip.SignUp(ctxT(ts.t), &cip.SignUpInput{ClientId: &clientID, Username: &username, Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("email", username+"@example.com")}})
	return err
}

func TestTrigger_TimeoutIsRetriedThreeTimes(t *testing.T) {
	var calls atomic.Int32
	slow := func(ctx context.Context, payload []byte) ([]byte, error) {
		calls.Add(1)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	ts := startTarn(t, func(m *Main) {
		m.TriggerTimeout = 150 * time.Millisecond
		m.GoFunctions = map[string]lambda.GoFunc{"slow": slow}
	})
	poolID, clientID := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("slow")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	start := time.Now()
	err := ts.trSignUp(clientID, "tim")
	wantFailure(t, "SignUp with a function that never answers", err, "UnexpectedLambdaException",
		"PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.")
	if d := time.Since(start); d < 3*150*time.Millisecond {
		t.Errorf("SignUp failed after %v, before three attempts could time out", d)
	}
	if calls.Load() != 3 {
		t.Errorf("the function ran %d times, want 3", calls.Load())
	}
	inv := ts.trLastInvocation(poolID, "PreSignUp")
	if inv.Attempts != 3 || inv.Outcome != "UnexpectedLambdaException" || inv.Runner != "go" {
		t.Errorf("invocation record %+v, want 3 attempts ending in UnexpectedLambdaException", inv)
	}
	ts.trUserGone(poolID, "tim")
	ts.trHealthy("timeout")
}

func TestTrigger_FailureModes(t *testing.T) {
	trRequireNode(t)
	fail := func(ctx context.Context, payload []byte) ([]byte, error) { return nil, errors.New("nope") }
	cfg := trConfigFile(t, map[string]map[string]any{"presignup-cjs": trNodeFunction(t, "presignup-cjs")})
	ts := startTarn(t, func(m *Main) {
		m.ConfigFile = cfg
		m.GoFunctions = map[string]lambda.GoFunc{
			"badjson": func(ctx context.Context, payload []byte) ([]byte, error) { return []byte(`{"version":"1",`), nil },
			"fail":    fail,
		}
	})
	node, _ := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("presignup-cjs")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	nodeClient := ts.client(node, cip.CreateUserPoolClientInput{ClientName: aws.String("second")})

	cases := []struct {
		name, pool, client, user, code, msg string
		attempts                            int
	}{
		{"NodeProcessExit", node, *nodeClient.ClientId, "crash-carl", "UnexpectedLambdaException", "", 1},
		{"NodeNonObjectResult", node, *nodeClient.ClientId, "nonobject-nina", "InvalidLambdaResponseException", "", 1},
		{"NodeOversizedResult", node, *nodeClient.ClientId, "huge-hugo", "InvalidLambdaResponseException", "", 1},
	}
	badPool, badClient := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("badjson")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	cases = append(cases, struct {
		name, pool, client, user, code, msg string
		attempts                            int
	}{"InvalidJSON", badPool, badClient, "jason", "InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON", 1})
	missPool, missClient := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("does-not-exist")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	cases = append(cases, struct {
		name, pool, client, user, code, msg string
		attempts                            int
	}{"MissingFunction", missPool, missClient, "missy", "UnexpectedLambdaException", "PreSignUp invocation failed due to error ResourceNotFoundException.", 1})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := *ts
			ts.t = t
			err := ts.trSignUp(c.client, c.user)
			if c.msg != "" {
				wantFailure(t, "SignUp", err, c.code, c.msg)
			} else {
				wantErr(t, "SignUp", err, c.code)
			}
			ts.trUserGone(c.pool, c.user)
			inv := ts.trLastInvocation(c.pool, "PreSignUp")
			if inv.Attempts != c.attempts || inv.Outcome != c.code || !strings.Contains(string(inv.Event), c.user) {
				t.Errorf("invocation record %+v, want %d attempt(s) ending in %s", inv, c.attempts, c.code)
			}
			ts.trHealthy(strings.ToLower(c.name))
		})
	}
	// The Node function is healthy again after its process died.
	if err := ts.trSignUp(*nodeClient.ClientId, "after-crash"); err != nil {
		t.Fatalf("sign-up through the Node function after a crash: %v", err)
	}

	// Post confirmation fails after the confirmation is stored.
	p, c := ts.trPool(&types.LambdaConfigType{PostConfirmation: trARN("fail")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	ts.auSignUp(c, "paula", auPassword, attr("email", "paula@example.com"))
	err := ts.auConfirm(c, "paula", ts.lastCode(p, "paula"))
	wantFailure(t, "ConfirmSignUp", err, "UserLambdaValidationException", "PostConfirmation failed with error nope.")
	if u := ts.auAdminGet(p, "paula"); u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("after a failed post confirmation the user is %s, want CONFIRMED", u.UserStatus)
	}
	ts.auTokens(c, "paula", auPassword)

	// Pre token generation and post authentication failures: no tokens.
	for _, lc := range []*types.LambdaConfigType{{PreTokenGeneration: trARN("fail")}, {PostAuthentication: trARN("fail")}} {
		p, c := ts.trPool(lc, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
		ts.confirmedUser(p, "quinn", auPassword)
		out, err := ts.passwordAuth(c, "quinn", auPassword)
		trigger := "PreTokenGeneration"
		if lc.PostAuthentication != nil {
			trigger = "PostAuthentication"
		}
		wantFailure(t, trigger+" failure", err, "UserLambdaValidationException", trigger+" failed with error nope.")
		if out != nil {
			t.Errorf("%s failure returned %+v", trigger, out)
		}
		// ADMIN_USER_PASSWORD_AUTH as well.
		_, err = ts.adminPasswordAuth(p, c, "quinn", auPassword)
		wantErr(t, trigger+" failure (admin)", err, "UserLambdaValidationException")
		if inv := ts.trLastInvocation(p, trigger); inv.Attempts != 1 {
			t.Errorf("%s: function error retried: %+v", trigger, inv)
		}
	}
	ts.trHealthy("failures")
}

func TestTrigger_InvokeRunner(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	lambdaAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path)
		mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		var ev map[string]any
		if err := json.Unmarshal(body, &ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if ev["userName"] == "refused" {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			fmt.Fprint(w, `{"errorType":"Error","errorMessage":"Refused by the remote function"}`)
			return
		}
		ev["response"].(map[string]any)["autoConfirmUser"] = true
		_ = json.NewEncoder(w).Encode(ev)
	}))
	defer lambdaAPI.Close()
	ts := startTarn(t, func(m *Main) { m.LambdaEndpoint = lambdaAPI.URL })
	poolID, clientID := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("remote-presignup")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	out := ts.auSignUp(clientID, "remy", auPassword, attr("email", "remy@example.com"))
	if !out.UserConfirmed {
		t.Fatal("the remote function's autoConfirmUser was not applied")
	}
	mu.Lock()
	got := slices.Clone(paths)
	mu.Unlock()
	if len(got) != 1 || got[0] != "POST /2015-03-31/functions/remote-presignup/invocations" {
		t.Fatalf("Lambda API requests %q", got)
	}
	inv := ts.trLastInvocation(poolID, "PreSignUp")
	if inv.Runner != "invoke" || inv.Outcome != "ok" {
		t.Errorf("invocation %+v", inv)
	}
	err := ts.trSignUp(clientID, "refused")
	wantFailure(t, "SignUp refused", err, "UserLambdaValidationException", "PreSignUp failed with error Refused by the remote function.")
	ts.trUserGone(poolID, "refused")
}

func TestTrigger_WebhookRunner(t *testing.T) {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	var verified atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := lambda.VerifyWebhook(secret, r.Header, body, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		verified.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body) // the event, unchanged
	}))
	defer hook.Close()
	cfg := trConfigFile(t, map[string]map[string]any{
		"hook":      {"Runner": "webhook", "Url": hook.URL, "Secret": secret},
		"wronghook": {"Runner": "webhook", "Url": hook.URL, "Secret": "whsec_" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},
	})
	ts := startTarn(t, func(m *Main) { m.ConfigFile = cfg })
	poolID, clientID := ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("hook")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	out := ts.auSignUp(clientID, "webster", auPassword, attr("email", "web@example.com"))
	if out.UserConfirmed || verified.Load() != 1 {
		t.Fatalf("SignUp through the webhook: confirmed %v, verified requests %d", out.UserConfirmed, verified.Load())
	}
	if inv := ts.trLastInvocation(poolID, "PreSignUp"); inv.Runner != "webhook" || inv.Outcome != "ok" {
		t.Errorf("invocation %+v", inv)
	}
	poolID, clientID = ts.trPool(&types.LambdaConfigType{PreSignUp: trARN("wronghook")}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	err := ts.trSignUp(clientID, "wrongly")
	wantErr(t, "SignUp through a webhook with the wrong secret", err, "UnexpectedLambdaException")
	if verified.Load() != 1 {
		t.Error("the receiver accepted a request signed with the wrong secret")
	}
	ts.trUserGone(poolID, "wrongly")
}
