package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// runInvocations prints the trigger invocation log of a running server,
// read from its GET /_tarn/invocations endpoint, oldest first.
func runInvocations(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tarn invocations", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "http://127.0.0.1:9229", "base `URL` of the tarn server")
	poolID := fs.String("pool-id", "", "only invocations of this user pool")
	trigger := fs.String("trigger", "", "only this trigger (LambdaConfig key, e.g. PreSignUp)")
	asJSON := fs.Bool("json", false, "print the records as JSON, events and responses included")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("invocations: unexpected arguments %q", fs.Args())
	}
	q := url.Values{}
	if *poolID != "" {
		q.Set("poolId", *poolID)
	}
	if *trigger != "" {
		q.Set("trigger", *trigger)
	}
	raw, err := fetchList(ctx, *endpoint, "/_tarn/invocations", q, "invocations")
	if err != nil {
		return err
	}
	if *asJSON {
		return writeIndented(stdout, raw, "invocations")
	}
	var invs []cognito.Invocation
	if err := json.Unmarshal(raw, &invs); err != nil {
		return fmt.Errorf("invocations: cannot decode the server's answer: %w", err)
	}
	return printInvocations(stdout, invs)
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
