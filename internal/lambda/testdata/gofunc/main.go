// Command gofunc is a Lambda function built with aws-lambda-go, run by the
// tests as a provided.al2023 function through tarn's Runtime API.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func handle(ctx context.Context, ev map[string]any) (any, error) {
	switch ev["action"] {
	case "fail":
		return nil, errors.New("go boom")
	case "raw":
		return strings.NewReader("not json at all"), nil
	case "big":
		return strings.NewReader(strings.Repeat("x", 4096)), nil
	}
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	fmt.Println("go log line")
	ev["pid"] = os.Getpid()
	ev["requestId"] = lc.AwsRequestID
	ev["arn"] = lc.InvokedFunctionArn
	ev["remaining"] = time.Until(deadline).Milliseconds()
	ev["greeting"] = os.Getenv("GREETING")
	ev["functionName"] = lambdacontext.FunctionName
	return ev, nil
}

func main() { lambda.Start(handle) }
