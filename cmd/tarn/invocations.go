package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// runInvocations prints the trigger invocation log of a running server,
// read from its GET /_tarn/invocations endpoint, oldest first.
func runInvocations(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runListing(ctx, listing{
		name: "invocations",
		filters: []listFilter{
			{"pool-id", "poolId", "only invocations of this user pool"},
			{"trigger", "trigger", "only this trigger (LambdaConfig key, e.g. PreSignUp)"},
		},
		jsonUsage: "print the records as JSON, events and responses included",
		print:     printAs("invocations", printInvocations),
	}, args, stdout, stderr)
}

// printInvocations writes one line per invocation, then its error and the
// function's log lines, indented:
//
//	2025-01-02T15:04:05Z us-east-1_AbC123xyz PreSignUp_SignUp pre-signup (local) 1 attempt 3.2ms ok
func printInvocations(w io.Writer, invs []cognito.Invocation) error {
	if len(invs) == 0 {
		_, err := fmt.Fprintln(w, "no invocations")
		return err
	}
	var b strings.Builder
	for _, inv := range invs {
		name := inv.Function
		if i := strings.LastIndex(name, ":function:"); i >= 0 {
			name = name[i+len(":function:"):]
		}
		attempts := "attempts"
		if inv.Attempts == 1 {
			attempts = "attempt"
		}
		fmt.Fprintf(&b, "%s %s %s %s (%s) %d %s %.1fms %s\n", inv.Created.UTC().Format(time.RFC3339), inv.PoolID,
			inv.TriggerSource, name, inv.Runner, inv.Attempts, attempts, inv.DurationMs, inv.Outcome)
		if inv.Error != "" {
			fmt.Fprintf(&b, "    error: %s\n", inv.Error)
		}
		for _, l := range inv.Logs {
			fmt.Fprintf(&b, "    | %s\n", l)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
