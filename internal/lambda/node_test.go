package lambda

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func nodeHost(t testing.TB, fns ...Function) *Host {
	t.Helper()
	need(t, "node")
	return newHost(t, Config{
		Functions: fns,
		Env: map[string]string{
			"TARN_EXTRA": "extra",
			"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": "http://127.0.0.1:9229",
		},
	})
}

func cjsFunction() Function {
	fn := Function{Name: "cjs", Runtime: "nodejs20.x", Handler: "index.handler", CodeUri: "node-cjs"}
	fn.Environment.Variables = map[string]string{"GREETING": "hello"}
	return fn
}

func TestNodeCommonJSCallbackHandler(t *testing.T) {
	h := nodeHost(t, cjsFunction())
	arn := "arn:aws:lambda:eu-west-1:123456789012:function:cjs"
	res, out := mustInvoke(t, h, arn, map[string]any{"n": 1, "userName": "alice"})
	if out["userName"] != "alice" || out["functionName"] != "cjs" || out["arn"] != arn || out["requestId"] == "" {
		t.Fatalf("payload %v", out)
	}
	remainingOK(t, out["remaining"], 3000)
	env := out["env"].(map[string]any)
	want := map[string]any{"GREETING": "hello", "TARN_EXTRA": "extra", "ENDPOINT": "http://127.0.0.1:9229",
		"REGION": "us-east-1", "KEY": "AKIATARNLOCAL0000000", "VERSION": "$LATEST"}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("env %s = %v, want %v", k, env[k], v)
		}
	}
	if abs, _ := filepath.Abs("testdata/node-cjs"); env["TASK_ROOT"] != abs || out["cwd"] != abs {
		t.Errorf("task root %v, cwd %v, want %s", env["TASK_ROOT"], out["cwd"], abs)
	}
	if !hasLine(res.Logs, "cjs log 1") || !hasLine(res.Logs, "cjs err line") || res.Runner != RunnerLocal {
		t.Fatalf("logs %q runner %q", res.Logs, res.Runner)
	}

	res, _, err := invoke(t, h, "cjs", map[string]any{"action": "throw"}, 5*time.Second)
	wantFunctionError(t, res, err, "TypeError", "cjs boom")
	res, _, err = invoke(t, h, "cjs", map[string]any{"action": "fail"}, 5*time.Second)
	wantFunctionError(t, res, err, "RangeError", "callback boom")

	res, out = mustInvoke(t, h, "cjs", map[string]any{"action": "succeed"})
	if out["via"] != "succeed" {
		t.Fatalf("context.succeed payload %q", res.Payload)
	}
	for _, action := range []string{"undefined", "noreturn"} {
		res, _ = mustInvoke(t, h, "cjs", map[string]any{"action": action})
		if string(res.Payload) != "null" {
			t.Fatalf("%s: payload %q, want null", action, res.Payload)
		}
	}
	// Logs are per invocation: the second echo does not see the first's lines.
	res, _ = mustInvoke(t, h, "cjs", map[string]any{"n": 2})
	if hasLine(res.Logs, "cjs log 1") || !hasLine(res.Logs, "cjs log 2") {
		t.Fatalf("logs %q", res.Logs)
	}
}

func TestNodeESMAsyncHandler(t *testing.T) {
	fn := Function{Name: "esm", Runtime: "nodejs22.x", Handler: "index.handler", CodeUri: "node-esm", Timeout: 2}
	fn.Environment.Variables = map[string]string{"GREETING": "hi"}
	h := nodeHost(t, fn)
	res, out := mustInvoke(t, h, "esm", map[string]any{"n": 7})
	if out["esm"] != true || out["n"] != float64(7) || out["greeting"] != "hi" || out["extra"] != "extra" {
		t.Fatalf("payload %v", out)
	}
	remainingOK(t, out["remaining"], 2000)
	if !hasLine(res.Logs, "esm log 7") {
		t.Fatalf("logs %q", res.Logs)
	}
	res, _, err := invoke(t, h, "esm", map[string]any{"action": "throw"}, 5*time.Second)
	wantFunctionError(t, res, err, "CustomError", "esm boom")
	if !hasLine(res.Logs, "esm boom") {
		t.Fatalf("error not logged: %q", res.Logs)
	}
}

func TestNodeMJSFile(t *testing.T) {
	dir := t.TempDir()
	src := "export async function main(event) { return { got: event.x * 2 } }\n"
	if err := os.WriteFile(filepath.Join(dir, "fn.mjs"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	h := nodeHost(t, Function{Name: "mjs", Runtime: "nodejs18.x", Handler: "fn.main", CodeUri: dir})
	if res, _ := mustInvoke(t, h, "mjs", map[string]any{"x": 21}); string(res.Payload) != `{"got":42}` {
		t.Fatalf("payload %q", res.Payload)
	}
}

func TestNodeWarmReuse(t *testing.T) {
	h := nodeHost(t, Function{Name: "esm", Runtime: "nodejs20.x", Handler: "index.handler", CodeUri: "node-esm"})
	_, a := mustInvoke(t, h, "esm", map[string]any{"action": "pid"})
	_, b := mustInvoke(t, h, "esm", map[string]any{"action": "pid"})
	if a["pid"] == nil || a["pid"] != b["pid"] {
		t.Fatalf("sequential invocations ran in processes %v and %v", a["pid"], b["pid"])
	}
}

func TestNodeConcurrentProcesses(t *testing.T) {
	fn := cjsFunction()
	fn.Concurrency = 3
	h := nodeHost(t, fn)
	dir := t.TempDir()
	const n = 6
	pids := make([]any, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each handler waits until 3 invocations have arrived: only
			// possible if 3 processes run at once.
			res, out, err := invoke(t, h, "cjs", map[string]any{"action": "barrier", "dir": dir, "want": 3}, 10*time.Second)
			if err == nil && res.FunctionError {
				err = fmt.Errorf("function error %s", res.ErrorMessage)
			}
			pids[i], errs[i] = out["pid"], err
		}()
	}
	wg.Wait()
	distinct := map[any]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("invocation %d: %v", i, errs[i])
		}
		distinct[pids[i]] = true
	}
	if len(distinct) != 3 {
		t.Fatalf("used %d processes, want 3 (Concurrency): %v", len(distinct), pids)
	}
}

func TestNodeTimeoutReplacesProcess(t *testing.T) {
	h := nodeHost(t, cjsFunction())
	_, before := mustInvoke(t, h, "cjs", map[string]any{})
	start := time.Now()
	res, _, err := invoke(t, h, "cjs", map[string]any{"action": "hang"}, 300*time.Millisecond)
	wantErr(t, err, ErrTimeout)
	wantErr(t, err, context.DeadlineExceeded)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout took %v", d)
	}
	_, after := mustInvoke(t, h, "cjs", map[string]any{})
	if before["pid"] == after["pid"] {
		t.Fatalf("timed-out process %v was reused (result %+v)", before["pid"], res)
	}
}

func TestNodeFunctionTimeout(t *testing.T) {
	fn := Function{Name: "esm", Runtime: "nodejs20.x", Handler: "index.handler", CodeUri: "node-esm", Timeout: 1}
	h := nodeHost(t, fn)
	start := time.Now()
	_, _, err := invoke(t, h, "esm", map[string]any{"action": "hang"}, time.Minute)
	wantErr(t, err, ErrTimeout)
	if d := time.Since(start); d < time.Second || d > 3*time.Second {
		t.Fatalf("Timeout 1 s took %v", d)
	}
	mustInvoke(t, h, "esm", map[string]any{})
}

func TestNodeCrashReplacesProcess(t *testing.T) {
	h := nodeHost(t, cjsFunction())
	mustInvoke(t, h, "cjs", map[string]any{})
	res, _, err := invoke(t, h, "cjs", map[string]any{"action": "exit"}, 5*time.Second)
	wantErr(t, err, ErrInvokeFailed)
	if !hasLine(res.Logs, "about to exit") {
		t.Fatalf("logs %q", res.Logs)
	}
	mustInvoke(t, h, "cjs", map[string]any{})

	// An uncaught exception ends the invocation with the error, and the
	// runtime exits as on Lambda; the next invocation gets a new process.
	res, _, err = invoke(t, h, "cjs", map[string]any{"action": "latethrow"}, 5*time.Second)
	wantFunctionError(t, res, err, "SyntaxError", "late boom")
	for range 2 {
		mustInvoke(t, h, "cjs", map[string]any{})
	}
}

func TestNodeInitError(t *testing.T) {
	h := nodeHost(t,
		Function{Name: "missing", Runtime: "nodejs20.x", Handler: "nope.handler", CodeUri: "node-cjs"},
		Function{Name: "noexport", Runtime: "nodejs20.x", Handler: "index.other", CodeUri: "node-cjs"})
	res, _, err := invoke(t, h, "missing", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrInvokeFailed)
	if want := "Runtime.ImportModuleError: Error: Cannot find module 'nope'"; !contains(err.Error(), want) {
		t.Fatalf("error %q lacks %q", err, want)
	}
	if !hasLine(res.Logs, "Cannot find module") {
		t.Fatalf("logs %q", res.Logs)
	}
	_, _, err = invoke(t, h, "noexport", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrInvokeFailed)
	if !contains(err.Error(), "Runtime.HandlerNotFound") {
		t.Fatalf("error %q", err)
	}
}

func TestNodeResponseTooLarge(t *testing.T) {
	h := newHost(t, Config{MaxResponseBytes: 1000, Functions: []Function{
		{Name: "esm", Runtime: "nodejs20.x", Handler: "index.handler", CodeUri: "node-esm"}}})
	need(t, "node")
	_, _, err := invoke(t, h, "esm", map[string]any{"action": "big", "size": 2000}, 5*time.Second)
	wantErr(t, err, ErrResponseTooLarge)
	res, _, err := invoke(t, h, "esm", map[string]any{"action": "big", "size": 10}, 5*time.Second)
	if err != nil || string(res.Payload) != `"xxxxxxxxxx"` {
		t.Fatalf("after a too-large response: %q %v", res.Payload, err)
	}
}
