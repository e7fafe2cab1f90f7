package main

// Helpers of the e2e_triggers_* tests: Lambda triggers run by tarn with
// real handlers (Node, Python, a Go binary built with aws-lambda-go, and
// in-process Go functions that capture events), driven through
// aws-sdk-go-v2. Names carry a "tr" prefix.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// trHandlersJS holds the Node handlers (under test/js so that their
// imports resolve test/js/node_modules); trHandlersDir the others.
const (
	trHandlersJS  = "../../test/js/handlers"
	trHandlersDir = "testdata/handlers"
)

// trARN is the ARN a pool's LambdaConfig uses for function name.
func trARN(name string) *string {
	return aws.String("arn:aws:lambda:us-east-1:000000000000:function:" + name)
}

// trRequireNode fails the test when node or the npm packages the handlers
// import are missing (skips it with TARN_SKIP_NODE=1).
func trRequireNode(t testing.TB) {
	t.Helper()
	miss := func(why string) {
		if os.Getenv("TARN_SKIP_NODE") == "1" {
			t.Skip(why + " (TARN_SKIP_NODE=1)")
		}
		t.Fatal(why + "; run `npm ci --prefix test/js` from the repository root, or set TARN_SKIP_NODE=1 to skip the Node trigger tests")
	}
	if _, err := exec.LookPath("node"); err != nil {
		miss("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(auJSDir, "node_modules", "@aws-sdk", "client-cognito-identity-provider", "package.json")); err != nil {
		miss("test/js/node_modules/@aws-sdk/client-cognito-identity-provider is missing")
	}
}

// trRequirePython skips the test when python3 is missing.
func trRequirePython(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
}

// trNodeFunction declares a Node handler of test/js/handlers/<dir>.
func trNodeFunction(t testing.TB, dir string) map[string]any {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join(trHandlersJS, dir))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"Runtime": "nodejs20.x", "Handler": "index.handler", "CodeUri": abs, "Timeout": 5}
}

// trBuildGoFunc builds testdata/handlers/gofunc (aws-lambda-go) into a
// temporary directory as "bootstrap" and declares it provided.al2023.
func trBuildGoFunc(t testing.TB) map[string]any {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	dir := t.TempDir()
	cmd := exec.Command(goBin, "build", "-o", filepath.Join(dir, "bootstrap"), "./"+trHandlersDir+"/gofunc")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s/gofunc: %v\n%s", trHandlersDir, err, out)
	}
	return map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap", "CodeUri": dir, "Timeout": 5}
}

// trConfigFile writes tarn's configuration file with functions (JSON is
// YAML) and returns its path.
func trConfigFile(t testing.TB, functions map[string]map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"Functions": functions})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "tarn.yaml")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// trPool creates a pool with lc as LambdaConfig (email auto-verified unless
// in says otherwise) and an app client; it returns their ids.
func (ts *tarnServer) trPool(lc *types.LambdaConfigType, in cip.CreateUserPoolInput, client cip.CreateUserPoolClientInput) (poolID, clientID string) {
	ts.t.Helper()
	in.LambdaConfig = lc
	if in.AutoVerifiedAttributes == nil {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	}
	p := ts.pool(in)
	c := ts.client(*p.Id, client)
	return *p.Id, *c.ClientId
}

// trInvocations reads GET /_tarn/invocations for a pool and trigger ("" for
// all), oldest first.
func (ts *tarnServer) trInvocations(poolID, trigger string) []cognito.Invocation {
	ts.t.Helper()
	q := url.Values{"poolId": {poolID}}
	if trigger != "" {
		q.Set("trigger", trigger)
	}
	resp, err := http.Get(ts.url + "/_tarn/invocations?" + q.Encode())
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ts.t.Fatalf("GET /_tarn/invocations: HTTP %d", resp.StatusCode)
	}
	var out []cognito.Invocation
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		ts.t.Fatal(err)
	}
	return out
}

// trWaitInvocation waits (up to 10 s) for a recorded invocation of trigger
// with source in the pool, as needed for the asynchronous custom senders.
func (ts *tarnServer) trWaitInvocation(poolID, trigger, source string) cognito.Invocation {
	ts.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, inv := range ts.trInvocations(poolID, trigger) {
			if inv.TriggerSource == source {
				return inv
			}
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("no %s invocation with source %s recorded within 10 s: %+v", trigger, source, ts.trInvocations(poolID, ""))
		}
		<-tick.C
	}
}

// trLastInvocation returns the newest recorded invocation of trigger.
func (ts *tarnServer) trLastInvocation(poolID, trigger string) cognito.Invocation {
	ts.t.Helper()
	invs := ts.trInvocations(poolID, trigger)
	if len(invs) == 0 {
		ts.t.Fatalf("no %s invocation recorded for pool %s", trigger, poolID)
	}
	return invs[len(invs)-1]
}

// trHealthy checks that the server still answers /_tarn/health and that
// a plain sign-up on a pool without triggers works.
func (ts *tarnServer) trHealthy(name string) {
	ts.t.Helper()
	resp, err := http.Get(ts.url + "/_tarn/health")
	if err != nil {
		ts.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ts.t.Fatalf("/_tarn/health after %s: HTTP %d", name, resp.StatusCode)
	}
	_, clientID := ts.trPool(nil, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{})
	ts.auSignUp(clientID, "healthy-"+name, auPassword, attr("email", "h@example.com"))
}

// trUserGone asserts that AdminGetUser answers UserNotFoundException.
func (ts *tarnServer) trUserGone(poolID, username string) {
	ts.t.Helper()
	_, err := ts.cip.AdminGetUser(ctxT(ts.t), &cip.AdminGetUserInput{UserPoolId: &poolID, Username: &username})
	wantErr(ts.t, "AdminGetUser "+username, err, "UserNotFoundException")
}

// trRecorder is an in-process Go function (runner "go") that records
// every event it receives and answers with reply's result (the event
// itself when reply is nil or returns nil).
type trRecorder struct {
	mu     sync.Mutex
	events []map[string]any
	reply  func(ev map[string]any) (map[string]any, error)
}

func (r *trRecorder) fn(ctx context.Context, payload []byte) ([]byte, error) {
	var ev map[string]any
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	var keep map[string]any
	_ = json.Unmarshal(payload, &keep)
	r.mu.Lock()
	r.events = append(r.events, keep)
	r.mu.Unlock()
	out := ev
	if r.reply != nil {
		o, err := r.reply(ev)
		if err != nil {
			return nil, err
		}
		if o != nil {
			out = o
		}
	}
	return json.Marshal(out)
}

// bySource returns the recorded events with triggerSource source.
func (r *trRecorder) bySource(source string) []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]any
	for _, ev := range r.events {
		if ev["triggerSource"] == source {
			out = append(out, ev)
		}
	}
	return out
}

// last returns the newest event with triggerSource source.
func (r *trRecorder) last(t testing.TB, source string) map[string]any {
	t.Helper()
	evs := r.bySource(source)
	if len(evs) == 0 {
		r.mu.Lock()
		var seen []any
		for _, ev := range r.events {
			seen = append(seen, ev["triggerSource"])
		}
		r.mu.Unlock()
		t.Fatalf("no %s event captured (seen %v)", source, seen)
	}
	return evs[len(evs)-1]
}

// count returns how many events were recorded.
func (r *trRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// trMap returns ev[key] as an object (fails when it is not one).
func trMap(t testing.TB, ev map[string]any, key string) map[string]any {
	t.Helper()
	m, ok := ev[key].(map[string]any)
	if !ok {
		t.Fatalf("%s = %#v, want an object (event %v)", key, ev[key], ev)
	}
	return m
}

// trJSON renders v compactly for comparisons and messages.
func trJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// mustUnmarshal decodes JSON or fails the test.
func mustUnmarshal(t testing.TB, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}
