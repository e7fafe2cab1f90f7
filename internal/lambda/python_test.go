package lambda

import (
	"testing"
	"time"
)

func TestPythonHandler(t *testing.T) {
	need(t, "python3")
	fn := Function{Name: "py", Runtime: "python3.11", Handler: "app.lambda_handler", CodeUri: "python"}
	fn.Environment.Variables = map[string]string{"GREETING": "bonjour"}
	missing := Function{Name: "pymissing", Runtime: "python3.12", Handler: "nope.handler", CodeUri: "python"}
	h := newHost(t, Config{Functions: []Function{fn, missing}, Env: map[string]string{
		"TARN_EXTRA": "extra", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": "http://127.0.0.1:9229"}})

	res, out := mustInvoke(t, h, "py", map[string]any{"n": 3, "userName": "bob"})
	if out["userName"] != "bob" || out["functionName"] != "py" || out["requestId"] == "" ||
		out["greeting"] != "bonjour" || out["extra"] != "extra" || out["endpoint"] != "http://127.0.0.1:9229" {
		t.Fatalf("payload %v", out)
	}
	remainingOK(t, out["remaining"], 3000)
	if !hasLine(res.Logs, "py log 3") || !hasLine(res.Logs, "py err line") {
		t.Fatalf("logs %q", res.Logs)
	}
	_, again := mustInvoke(t, h, "py", map[string]any{"action": "pid"})
	if again["pid"] != out["pid"] {
		t.Fatalf("warm process not reused: %v then %v", out["pid"], again["pid"])
	}

	res, _, err := invoke(t, h, "py", map[string]any{"action": "throw"}, 5*time.Second)
	wantFunctionError(t, res, err, "PyBoom", "py boom")

	_, _, err = invoke(t, h, "py", map[string]any{"action": "hang"}, 300*time.Millisecond)
	wantErr(t, err, ErrTimeout)
	_, fresh := mustInvoke(t, h, "py", map[string]any{"action": "pid"})
	if fresh["pid"] == out["pid"] {
		t.Fatal("timed-out process reused")
	}

	_, _, err = invoke(t, h, "pymissing", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrInvokeFailed)
	if !contains(err.Error(), "Runtime.ImportModuleError: Unable to import module 'nope'") {
		t.Fatalf("error %q", err)
	}
}
