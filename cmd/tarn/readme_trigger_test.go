package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// readmeBlock returns the first fenced block of the given language after
// heading in README.md.
func readmeBlock(t *testing.T, heading, lang string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), heading)
	if !ok {
		t.Fatalf("README has no %q", heading)
	}
	_, rest, ok = strings.Cut(rest, "```"+lang+"\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("README has no %s block after %q", lang, heading)
	}
	return block
}

// TestREADME_TriggerExample runs the README's trigger example as written:
// its tarn.yaml and Node handler through the local runner, wired with its
// AWS CLI command.
func TestREADME_TriggerExample(t *testing.T) {
	trRequireNode(t)
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("TARN_SKIP_AWSCLI") == "1" {
			t.Skip("aws is not installed (TARN_SKIP_AWSCLI=1)")
		}
		t.Fatal("aws is not installed: apt-get install awscli (./test.sh does), or set TARN_SKIP_AWSCLI=1")
	}
	const heading = "## Lambda triggers"
	dir := t.TempDir()
	yaml := readmeBlock(t, heading, "yaml")
	js := readmeBlock(t, heading, "js")
	if err := os.MkdirAll(filepath.Join(dir, "functions", "pre-signup"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tarn.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "functions", "pre-signup", "index.js"), []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := startTarn(t, func(m *Main) { m.ConfigFile = filepath.Join(dir, "tarn.yaml") })
	pool := ts.pool(cip.CreateUserPoolInput{})
	client := ts.client(*pool.Id, cip.CreateUserPoolClientInput{})

	// The sh block, without the serve line, with the quick start's idp.
	var lines []string
	for _, l := range strings.Split(readmeBlock(t, heading, "sh"), "\n") {
		if !strings.HasPrefix(l, "go run ") {
			lines = append(lines, l)
		}
	}
	script := `idp() { aws --endpoint-url "$TARN" cognito-idp "$@"; }` + "\n" + strings.Join(lines, "\n")
	cmd := exec.CommandContext(ctxT(t), "bash", "-euo", "pipefail", "-c", script)
	cmd.Env = append(os.Environ(), "TARN="+ts.url, "POOL="+*pool.Id, "HOME="+t.TempDir(), "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README trigger commands: %v\n%s", err, out)
	}

	ctx := ctxT(t)
	out, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: client.ClientId, Username: aws.String("ana"), Password: aws.String("Passw0rd!"),
		UserAttributes: []types.AttributeType{attr("email", "ana@example.com")}})
	if err != nil || !out.UserConfirmed {
		t.Fatalf("sign-up from the allowed domain: %+v %v", out, err)
	}
	_, err = ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: client.ClientId, Username: aws.String("bob"), Password: aws.String("Passw0rd!"),
		UserAttributes: []types.AttributeType{attr("email", "bob@elsewhere.test")}})
	wantErr(t, "sign-up from another domain", err, "UserLambdaValidationException")
	if !strings.Contains(err.Error(), "PreSignUp failed with error Registration from this domain is not allowed..") {
		t.Fatalf("message: %v", err)
	}
	if _, err := ts.cip.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool.Id, Username: aws.String("bob")}); errCode(err) != "UserNotFoundException" {
		t.Fatalf("refused user left behind: %v", err)
	}
}
