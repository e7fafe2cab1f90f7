package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/lambda"
)

// TestInvocationsCommand_PrintsTheLog signs up through a pool with an
// in-process pre sign-up function and reads the log with "tarn invocations".
func TestInvocationsCommand_PrintsTheLog(t *testing.T) {
	ts := startTarn(t, func(m *Main) {
		m.GoFunctions = map[string]lambda.GoFunc{"auto-confirm": func(_ context.Context, p []byte) ([]byte, error) {
			var ev map[string]any
			json.Unmarshal(p, &ev)
			ev["response"] = map[string]any{"autoConfirmUser": true}
			return json.Marshal(ev)
		}}
	})
	pool := ts.pool(cip.CreateUserPoolInput{LambdaConfig: &types.LambdaConfigType{
		PreSignUp: aws.String("arn:aws:lambda:us-east-1:123456789012:function:auto-confirm")}})
	client := ts.client(*pool.Id, cip.CreateUserPoolClientInput{})
	out, err := ts.cip.SignUp(ctxT(t), &cip.SignUpInput{ClientId: client.ClientId, Username: aws.String("dora"), Password: aws.String("Passw0rd!")})
	if err != nil || !out.UserConfirmed {
		t.Fatalf("SignUp: %+v %v", out, err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"invocations", "--endpoint", ts.url, "--pool-id", *pool.Id}, &stdout, &stderr, func(string) string { return "" }); err != nil {
		t.Fatalf("invocations: %v (%s)", err, stderr.String())
	}
	line := stdout.String()
	for _, want := range []string{*pool.Id, "PreSignUp_SignUp", "auto-confirm (go)", "1 attempt", " ok"} {
		if !strings.Contains(line, want) {
			t.Fatalf("output %q lacks %q", line, want)
		}
	}
}
