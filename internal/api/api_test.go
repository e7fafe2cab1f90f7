package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tarn-idp/tarn/internal/api"
	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

type echoIn struct {
	Name string `json:"Name"`
}

type echoOut struct {
	Hello string `json:"Hello"`
}

// testOps is a fake operation table.
func testOps() map[string]api.Operation {
	return map[string]api.Operation{
		"Echo": api.Op(func(_ context.Context, in *echoIn) (*echoOut, error) {
			return &echoOut{Hello: in.Name}, nil
		}),
		"Empty": api.Op(func(context.Context, *echoIn) (*struct{}, error) { return nil, nil }),
		"Exists": api.Op(func(context.Context, *echoIn) (*echoOut, error) {
			return nil, cognito.Errorf(cognito.UsernameExists, "User already exists")
		}),
		"Multiline": api.Op(func(context.Context, *echoIn) (*echoOut, error) {
			return nil, cognito.Errorf(cognito.InvalidParameter, "line one\nline two")
		}),
		"Wrapped": api.Op(func(context.Context, *echoIn) (*echoOut, error) {
			return nil, errors.Join(errors.New("context"), cognito.Errorf(cognito.NotAuthorized, "Incorrect username or password."))
		}),
		"Forbidden": func(context.Context, []byte) (any, error) {
			return nil, cognito.Errorf("ForbiddenException", "no")
		},
		"Broken": func(context.Context, []byte) (any, error) {
			return nil, errors.New("database is on fire")
		},
		"Panics": func(context.Context, []byte) (any, error) {
			panic("boom")
		},
	}
}

// fakeBackend serves the GET endpoints from memory.
type fakeBackend struct {
	msgs   []cognito.Message
	filter store.MessageFilter
}

func (b *fakeBackend) Messages(_ context.Context, f store.MessageFilter) ([]cognito.Message, error) {
	b.filter = f
	return b.msgs, nil
}

func (b *fakeBackend) JWKS(_ context.Context, poolID string) ([]byte, error) {
	if poolID == "panic" {
		panic("backend bug")
	}
	if poolID != "us-east-1_abc" {
		return nil, cognito.ErrPoolNotFound(poolID)
	}
	return []byte(`{"keys":[]}`), nil
}

func (b *fakeBackend) Invocations(_ context.Context, f store.InvocationFilter) ([]cognito.Invocation, error) {
	return nil, nil
}

func (b *fakeBackend) Discovery(_ context.Context, poolID string) (map[string]any, error) {
	if poolID != "us-east-1_abc" {
		return nil, cognito.ErrPoolNotFound(poolID)
	}
	return map[string]any{"issuer": "http://x/" + poolID}, nil
}

type testServer struct {
	*httptest.Server
	backend *fakeBackend
	logs    *syncWriter
}

func newServer(t *testing.T, mutate ...func(*api.Config)) *testServer {
	t.Helper()
	ts := &testServer{backend: &fakeBackend{}, logs: &syncWriter{w: &bytes.Buffer{}}}
	c := api.Config{
		Ops:     testOps(),
		Backend: ts.backend,
		Logger:  slog.New(slog.NewJSONHandler(ts.logs, nil)),
	}
	for _, m := range mutate {
		m(&c)
	}
	ts.Server = httptest.NewServer(api.New(c))
	t.Cleanup(ts.Close)
	return ts
}

// call posts body to the operation op and returns the response with its body read.
func (ts *testServer) call(t *testing.T, op, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if op != "" {
		req.Header.Set("X-Amz-Target", op)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("body %q: %v", b, err)
		}
	}
	return resp, m
}

func TestDispatch_Success(t *testing.T) {
	ts := newServer(t)
	resp, body := ts.call(t, api.TargetPrefix+"Echo", `{"Name":"alice","Unknown":[1,2]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, body %v", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type %q", ct)
	}
	if id := resp.Header.Get("x-amzn-RequestId"); len(id) != 36 {
		t.Errorf("x-amzn-RequestId %q, want a UUID", id)
	}
	if body["Hello"] != "alice" {
		t.Errorf("body %v", body)
	}
}

func TestDispatch_EmptyBodyAndNilOutput(t *testing.T) {
	ts := newServer(t)
	for _, op := range []string{"Echo", "Empty"} {
		resp, body := ts.call(t, api.TargetPrefix+op, "")
		if resp.StatusCode != 200 || body == nil {
			t.Errorf("%s: status %d body %v, want 200 and an object", op, resp.StatusCode, body)
		}
	}
	_, body := ts.call(t, api.TargetPrefix+"Empty", "{}")
	if len(body) != 0 {
		t.Errorf("nil output: body %v, want {}", body)
	}
}

func TestDispatch_AnyPathAndContentType(t *testing.T) {
	ts := newServer(t)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/some/base/path", strings.NewReader(`{"Name":"bob"}`))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("X-Amz-Target", api.TargetPrefix+"Echo")
	resp, body := do(t, req)
	if resp.StatusCode != 200 || body["Hello"] != "bob" {
		t.Fatalf("status %d body %v", resp.StatusCode, body)
	}
}

func TestDispatch_UnknownOperation(t *testing.T) {
	ts := newServer(t)
	tests := []struct {
		name, target, wantInMessage string
	}{
		{"not implemented", api.TargetPrefix + "AdminFrobnicate", "tarn does not implement AdminFrobnicate yet"},
		{"missing target", "", "missing X-Amz-Target"},
		{"other service", "DynamoDB_20120810.GetItem", `"DynamoDB_20120810.GetItem" does not name a cognito-idp operation`},
		{"prefix only", api.TargetPrefix, "does not name a cognito-idp operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := ts.call(t, tt.target, "{}")
			if resp.StatusCode != 400 {
				t.Errorf("status %d", resp.StatusCode)
			}
			if body["__type"] != "UnknownOperationException" {
				t.Errorf("__type %v", body["__type"])
			}
			if msg, _ := body["message"].(string); !strings.Contains(msg, tt.wantInMessage) {
				t.Errorf("message %q, want it to contain %q", msg, tt.wantInMessage)
			}
		})
	}
}

func TestErrors_CognitoError(t *testing.T) {
	ts := newServer(t)
	tests := []struct {
		op, code, message string
		status            int
	}{
		{"Exists", "UsernameExistsException", "User already exists", 400},
		{"Wrapped", "NotAuthorizedException", "Incorrect username or password.", 400},
		{"Forbidden", "ForbiddenException", "no", 403},
		{"Multiline", "InvalidParameterException", "line one\nline two", 400},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			resp, body := ts.call(t, api.TargetPrefix+tt.op, "{}")
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("x-amzn-ErrorType"); got != tt.code+":" {
				t.Errorf("x-amzn-ErrorType %q", got)
			}
			if got, want := resp.Header.Get("x-amzn-ErrorMessage"), strings.ReplaceAll(tt.message, "\n", " "); got != want {
				t.Errorf("x-amzn-ErrorMessage %q, want %q", got, want)
			}
			if resp.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type %q", ct)
			}
			if body["__type"] != tt.code || body["message"] != tt.message {
				t.Errorf("body %v", body)
			}
		})
	}
}

func TestErrors_InternalAndPanic_ServerKeepsServing(t *testing.T) {
	ts := newServer(t)
	for _, op := range []string{"Broken", "Panics"} {
		resp, body := ts.call(t, api.TargetPrefix+op, "{}")
		if resp.StatusCode != 500 || body["__type"] != "InternalErrorException" {
			t.Errorf("%s: status %d body %v", op, resp.StatusCode, body)
		}
		if msg, _ := body["message"].(string); strings.Contains(msg, "fire") || strings.Contains(msg, "boom") {
			t.Errorf("%s: message leaks the cause: %q", op, msg)
		}
		if resp, _ := ts.call(t, api.TargetPrefix+"Echo", `{"Name":"next"}`); resp.StatusCode != 200 {
			t.Errorf("after %s: status %d", op, resp.StatusCode)
		}
	}
	for _, want := range []string{"database is on fire", "panic: boom"} {
		ts.logs.waitFor(t, func(log string) bool { return strings.Contains(log, want) })
	}
}

func TestErrors_BodyTooLarge(t *testing.T) {
	ts := newServer(t)
	big := `{"Name":"` + strings.Repeat("x", api.MaxRequestBytes) + `"}`
	resp, body := ts.call(t, api.TargetPrefix+"Echo", big)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || body["__type"] != "SerializationException" {
		t.Errorf("status %d body %v", resp.StatusCode, body)
	}
}

func TestLog_OneLinePerRequest(t *testing.T) {
	ts := newServer(t)
	resp, _ := ts.call(t, api.TargetPrefix+"Exists", "{}")
	lines := ts.logs.waitLines(t, 1)
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"msg": "request", "op": "Exists", "status": float64(400),
		"error": "UsernameExistsException", "request_id": resp.Header.Get("x-amzn-RequestId"),
	}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("log %s = %v, want %v", k, rec[k], v)
		}
	}
	if _, ok := rec["ms"].(float64); !ok {
		t.Errorf("log ms = %v, want a number", rec["ms"])
	}
}

func TestCORS(t *testing.T) {
	ts := newServer(t)
	t.Run("preflight echoes requested headers", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/", nil)
		req.Header.Set("Origin", "http://localhost:3000")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
		resp, _ := do(t, req)
		want := map[string]string{
			"Access-Control-Allow-Origin":   "http://localhost:3000",
			"Access-Control-Allow-Methods":  "POST, GET, OPTIONS",
			"Access-Control-Allow-Headers":  "content-type,x-amz-target,x-amz-user-agent",
			"Access-Control-Expose-Headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
		}
		if resp.StatusCode != 200 {
			t.Errorf("status %d", resp.StatusCode)
		}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
	})
	t.Run("preflight default headers", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/", nil)
		resp, _ := do(t, req)
		if got := resp.Header.Get("Access-Control-Allow-Headers"); !strings.Contains(got, "x-amz-target") {
			t.Errorf("Access-Control-Allow-Headers %q", got)
		}
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin %q", got)
		}
	})
	t.Run("error response", func(t *testing.T) {
		resp, _ := ts.call(t, api.TargetPrefix+"Exists", "{}")
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Expose-Headers") == "" {
			t.Errorf("headers %v", resp.Header)
		}
	})
}

func TestMessages(t *testing.T) {
	ts := newServer(t)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, strings.TrimSpace(string(b))
	}
	resp, body := get("/_tarn/messages")
	if resp.StatusCode != 200 || body != "[]" {
		t.Errorf("empty outbox: status %d body %q, want []", resp.StatusCode, body)
	}
	ts.backend.msgs = []cognito.Message{{ID: "1", PoolID: "p", Username: "alice", Code: "123456"}}
	_, body = get("/_tarn/messages?poolId=p&username=alice")
	var msgs []cognito.Message
	if err := json.Unmarshal([]byte(body), &msgs); err != nil || len(msgs) != 1 || msgs[0].Code != "123456" {
		t.Errorf("body %q (%v)", body, err)
	}
	if want := (store.MessageFilter{PoolID: "p", Username: "alice"}); ts.backend.filter != want {
		t.Errorf("filter %+v, want %+v", ts.backend.filter, want)
	}
}

func TestWellKnown(t *testing.T) {
	ts := newServer(t)
	tests := []struct {
		path, wantType string
		status         int
		wantInBody     string
	}{
		{"/us-east-1_abc/.well-known/jwks.json", "application/json", 200, `{"keys":[]}`},
		{"/us-east-1_abc/.well-known/openid-configuration", "application/json", 200, `"issuer":"http://x/us-east-1_abc"`},
		{"/us-east-1_nope/.well-known/jwks.json", "application/json", 404, "User pool us-east-1_nope does not exist."},
		{"/us-east-1_nope/.well-known/openid-configuration", "application/json", 404, "ResourceNotFoundException"},
		{"/nothing/here", "application/json", 404, "NotFoundException"},
		{"/panic/.well-known/jwks.json", "application/x-amz-json-1.1", 500, "InternalErrorException"},
		{"/us-east-1_abc/.well-known/jwks.json", "application/json", 200, `{"keys":[]}`}, // still serving
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(ts.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.wantInBody) {
				t.Errorf("status %d body %s", resp.StatusCode, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.wantType {
				t.Errorf("Content-Type %q", ct)
			}
			if resp.Header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
		})
	}
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name   string
		health func(context.Context) error
		status int
		body   string
	}{
		{"no check", nil, 200, `{"status":"ok"}`},
		{"healthy", func(context.Context) error { return nil }, 200, `{"status":"ok","database":"ok"}`},
		{"unhealthy", func(context.Context) error { return errors.New("db down") }, 503, `{"status":"unavailable","database":"unreachable","error":"db down"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newServer(t, func(c *api.Config) { c.Health = tt.health })
			resp, err := http.Get(ts.URL + "/_tarn/health")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || strings.TrimSpace(string(b)) != tt.body {
				t.Errorf("status %d body %s", resp.StatusCode, b)
			}
		})
	}
}
