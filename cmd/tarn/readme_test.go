package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestREADME_QuickStartWithAWSCLI runs the README's quick start, as it is
// written, with the real AWS CLI against a tarn on a free port: the last
// command's output must carry tokens.
func TestREADME_QuickStartWithAWSCLI(t *testing.T) {
	for _, tool := range []string{"aws", "jq", "curl", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("TARN_SKIP_AWSCLI") == "1" {
				t.Skipf("%s is not installed (TARN_SKIP_AWSCLI=1)", tool)
			}
			t.Fatalf("%s is not installed: apt-get install awscli jq curl (CI's .ci/run does), or set TARN_SKIP_AWSCLI=1", tool)
		}
	}
	script := readmeBlock(t, "## Quick start with the AWS CLI", "sh")
	if !strings.Contains(script, "TARN=http://127.0.0.1:9229") {
		t.Fatalf("quick start block without TARN=…: %q", script)
	}
	ts := startTarn(t)
	script = strings.Replace(script, "TARN=http://127.0.0.1:9229", "TARN="+ts.url, 1)
	cmd := exec.CommandContext(ctxT(t), "bash", "-euo", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("quick start failed: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr)
	}
	// The commands print JSON documents one after the other; the last is
	// initiate-auth's.
	var res struct {
		AuthenticationResult struct{ AccessToken, IdToken, RefreshToken string }
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		res.AuthenticationResult.IdToken, res.AuthenticationResult.RefreshToken = "", ""
		if err := dec.Decode(&res); err != nil {
			t.Fatalf("quick start output is not JSON: %v\n%s", err, out)
		}
	}
	if res.AuthenticationResult.IdToken == "" || res.AuthenticationResult.RefreshToken == "" {
		t.Fatalf("initiate-auth printed no tokens:\n%s", out)
	}
}
