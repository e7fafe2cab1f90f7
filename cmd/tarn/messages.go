package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// runMessages prints the outbox of a running server, read from its
// GET /_tarn/messages endpoint, oldest first.
func runMessages(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runListing(ctx, listing{
		name: "messages",
		filters: []listFilter{
			{"pool-id", "poolId", "only messages of this user pool"},
			{"username", "username", "only messages to this user"},
		},
		jsonUsage: "print the messages as JSON",
		print:     printAs("messages", printMessages),
	}, args, stdout, stderr)
}

// printMessages writes one block per message, separated by blank lines:
//
//	2025-01-02T15:04:05Z us-east-1_AbC123xyz alice EMAIL→alice@example.com SignUp code=123456
//	    Subject: Your verification code
//	    Your verification code is 123456.
func printMessages(w io.Writer, msgs []cognito.Message) error {
	if len(msgs) == 0 {
		_, err := fmt.Fprintln(w, "no messages")
		return err
	}
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s %s %s %s→%s %s", m.Created.UTC().Format(time.RFC3339), m.PoolID, m.Username, m.Medium, m.Destination, m.Action)
		if m.Code != "" {
			fmt.Fprintf(&b, " code=%s", m.Code)
		}
		b.WriteByte('\n')
		if m.Subject != "" {
			fmt.Fprintf(&b, "    Subject: %s\n", m.Subject)
		}
		for line := range strings.Lines(m.Body) {
			fmt.Fprintf(&b, "    %s\n", strings.TrimRight(line, "\r\n"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
