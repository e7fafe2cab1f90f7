package lambda

import (
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeLambda implements the Lambda Invoke API for a few function names.
type fakeLambda struct {
	t        *testing.T
	mu       sync.Mutex
	lastAuth string
	lastPath string
}

func (f *fakeLambda) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.lastAuth, f.lastPath = r.Header.Get("Authorization"), r.URL.RequestURI()
	f.mu.Unlock()
	name, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
	name, ok2 := strings.CutSuffix(name, "/invocations")
	if r.Method != http.MethodPost || !ok || !ok2 || r.Header.Get("X-Amz-Invocation-Type") != "RequestResponse" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch name {
	case "echo":
		w.Header().Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte("START\nhello from echo\nEND\n")))
		w.Write(body)
	case "header-error":
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		w.Write([]byte(`{"errorType":"UserNotAllowed","errorMessage":"no way","stackTrace":[]}`))
	case "body-error": // the Runtime Interface Emulator answers 200 without the header
		w.Write([]byte(`{"errorMessage":"rie says no","errorType":"Error"}`))
	case "looks-like-error": // has errorMessage but is a normal object
		w.Write([]byte(`{"errorMessage":"x","response":{}}`))
	case "broken":
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"Type":"Service","Message":"ServiceException"}`))
	default:
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"Type":"User","Message":"Function not found: ` + name + `"}`))
	}
}

func TestInvokeRunner(t *testing.T) {
	fake := &fakeLambda{t: t}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	h := newHost(t, Config{InvokeEndpoint: srv.URL, AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Region: "eu-west-1"})

	res, out, err := invoke(t, h, "arn:aws:lambda:eu-central-1:123456789012:function:echo:live", map[string]any{"a": 1}, 5*time.Second)
	if err != nil || out["a"] != float64(1) || res.Runner != RunnerInvoke || !hasLine(res.Logs, "hello from echo") {
		t.Fatalf("echo: %+v %v", res, err)
	}
	fake.mu.Lock()
	auth, path := fake.lastAuth, fake.lastPath
	fake.mu.Unlock()
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/eu-central-1/lambda/aws4_request") {
		t.Fatalf("Authorization %q", auth)
	}
	if path != "/2015-03-31/functions/echo/invocations?Qualifier=live" {
		t.Fatalf("path %q", path)
	}

	res, _, err = invoke(t, h, "header-error", map[string]any{}, 5*time.Second)
	wantFunctionError(t, res, err, "UserNotAllowed", "no way")
	res, _, err = invoke(t, h, "body-error", map[string]any{}, 5*time.Second)
	wantFunctionError(t, res, err, "Error", "rie says no")
	res, _, err = invoke(t, h, "looks-like-error", map[string]any{}, 5*time.Second)
	if err != nil || res.FunctionError {
		t.Fatalf("object with errorMessage and other keys: %+v %v", res, err)
	}
	_, _, err = invoke(t, h, "nosuch", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrFunctionNotFound)
	_, _, err = invoke(t, h, "broken", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrInvokeFailed)
}

func TestInvokeRunnerUnsigned(t *testing.T) {
	fake := &fakeLambda{t: t}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	// A declared invoke function with its own endpoint and Timeout.
	h := newHost(t, Config{Functions: []Function{{Name: "echo", Runner: RunnerInvoke, Url: srv.URL + "/"}}})
	if _, out, err := invoke(t, h, "echo", map[string]any{"b": true}, 5*time.Second); err != nil || out["b"] != true {
		t.Fatalf("echo: %v %v", out, err)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if fake.lastAuth != "" {
		t.Fatalf("unsigned request has Authorization %q", fake.lastAuth)
	}
}

func TestInvokeRunnerConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := newHost(t, Config{InvokeEndpoint: "http://" + addr})
	_, _, err = invoke(t, h, "any", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrInvokeFailed)
}

func TestInvokeRunnerTimeoutAndSize(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/slow/") {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Write([]byte(`"` + strings.Repeat("y", 2000) + `"`))
	}))
	defer srv.Close()
	defer close(release)
	h := newHost(t, Config{InvokeEndpoint: srv.URL, MaxResponseBytes: 1000})
	_, _, err := invoke(t, h, "slow", map[string]any{}, 200*time.Millisecond)
	wantErr(t, err, ErrTimeout)
	_, _, err = invoke(t, h, "big", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrResponseTooLarge)
}
