package lambda

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// buildGoFunc builds testdata/gofunc (aws-lambda-go, unmodified) as
// dir/bootstrap.
func buildGoFunc(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	dir := t.TempDir()
	cmd := exec.Command(goBin, "build", "-o", filepath.Join(dir, "bootstrap"), "./testdata/gofunc")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build testdata/gofunc: %v\n%s", err, out)
	}
	return dir
}

func TestProvidedGoFunction(t *testing.T) {
	dir := buildGoFunc(t)
	fn := Function{Name: "gofn", Runtime: "provided.al2023", Handler: "bootstrap", CodeUri: dir}
	fn.Environment.Variables = map[string]string{"GREETING": "hallo"}
	h := newHost(t, Config{Functions: []Function{fn}, MaxResponseBytes: 1024})

	ev := events.CognitoEventUserPoolsPreSignup{}
	ev.TriggerSource = "PreSignUp_SignUp"
	ev.UserName = "carol"
	res, out := mustInvoke(t, h, "gofn", ev)
	if out["userName"] != "carol" || out["greeting"] != "hallo" || out["functionName"] != "gofn" || out["requestId"] == "" {
		t.Fatalf("payload %v", out)
	}
	remainingOK(t, out["remaining"], 3000)
	if out["arn"] != "arn:aws:lambda:us-east-1:000000000000:function:gofn" {
		t.Fatalf("invoked ARN %v", out["arn"])
	}
	if !hasLine(res.Logs, "go log line") {
		t.Logf("logs (best effort for provided runtimes) %q", res.Logs)
	}

	res, _, err := invoke(t, h, "gofn", map[string]any{"action": "fail"}, 5*time.Second)
	wantFunctionError(t, res, err, "errorString", "go boom")

	// A non-JSON response is passed through as bytes.
	res, _, err = invoke(t, h, "gofn", map[string]any{"action": "raw"}, 5*time.Second)
	if err != nil || res.FunctionError || string(res.Payload) != "not json at all" {
		t.Fatalf("raw: %+v %v", res, err)
	}
	_, again := mustInvoke(t, h, "gofn", map[string]any{})
	if again["pid"] != out["pid"] {
		t.Fatalf("warm process not reused: %v then %v", out["pid"], again["pid"])
	}

	// aws-lambda-go exits when the Runtime API refuses a too-large
	// response; the next invocation gets a fresh process.
	_, _, err = invoke(t, h, "gofn", map[string]any{"action": "big"}, 5*time.Second)
	wantErr(t, err, ErrResponseTooLarge)
	for range 3 {
		mustInvoke(t, h, "gofn", map[string]any{})
	}
}
