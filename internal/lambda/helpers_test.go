package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// newHost builds a Host whose relative CodeUri values resolve in testdata.
func newHost(t testing.TB, c Config) *Host {
	t.Helper()
	if c.BaseDir == "" {
		dir, err := filepath.Abs("testdata")
		if err != nil {
			t.Fatal(err)
		}
		c.BaseDir = dir
	}
	h, err := New(c)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

func need(t testing.TB, bin string) {
	t.Helper()
	if _, err := exec.LookPath(bin); err != nil {
		t.Skipf("%s not installed", bin)
	}
}

// invoke calls fn with event (marshalled) under a deadline and decodes an
// object payload.
func invoke(t testing.TB, h *Host, fn string, event any, timeout time.Duration) (Result, map[string]any, error) {
	t.Helper()
	b, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res, err := h.Invoke(ctx, fn, b)
	var out map[string]any
	if err == nil && !res.FunctionError && len(res.Payload) > 0 && res.Payload[0] == '{' {
		if jerr := json.Unmarshal(res.Payload, &out); jerr != nil {
			t.Fatalf("payload %q: %v", res.Payload, jerr)
		}
	}
	return res, out, err
}

// mustInvoke is invoke that fails the test on a Go error or function error.
func mustInvoke(t testing.TB, h *Host, fn string, event any) (Result, map[string]any) {
	t.Helper()
	res, out, err := invoke(t, h, fn, event, 10*time.Second)
	if err != nil {
		t.Fatalf("invoke %s: %v (logs %q)", fn, err, res.Logs)
	}
	if res.FunctionError {
		t.Fatalf("invoke %s: function error %s: %s (logs %q)", fn, res.ErrorType, res.ErrorMessage, res.Logs)
	}
	return res, out
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func wantFunctionError(t testing.TB, res Result, err error, typ, msg string) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error %v", err)
	}
	if !res.FunctionError || res.ErrorType != typ || res.ErrorMessage != msg || res.Payload != nil {
		t.Fatalf("got %+v, want function error %s: %s", res, typ, msg)
	}
}

func hasLine(logs []string, sub string) bool {
	return slices.ContainsFunc(logs, func(l string) bool { return strings.Contains(l, sub) })
}

// remainingOK checks a context's remaining time is positive and within limit.
func remainingOK(t testing.TB, v any, limit float64) {
	t.Helper()
	ms, ok := v.(float64)
	if !ok || ms <= 0 || ms > limit {
		t.Fatalf("remaining time = %v, want in (0, %v]", v, limit)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
