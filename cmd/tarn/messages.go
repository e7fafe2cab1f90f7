package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// runMessages prints the outbox of a running server, read from its
// GET /_tarn/messages endpoint, oldest first.
func runMessages(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tarn messages", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "http://127.0.0.1:9229", "base `URL` of the tarn server")
	poolID := fs.String("pool-id", "", "only messages of this user pool")
	username := fs.String("username", "", "only messages to this user")
	asJSON := fs.Bool("json", false, "print the messages as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("messages: unexpected arguments %q", fs.Args())
	}
	raw, err := fetchMessages(ctx, *endpoint, *poolID, *username)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeIndented(stdout, raw, "messages")
	}
	var msgs []cognito.Message
	if err := json.Unmarshal(raw, &msgs); err != nil {
		return fmt.Errorf("messages: cannot decode the server's answer: %w", err)
	}
	return printMessages(stdout, msgs)
}

// fetchMessages returns the JSON array the server answers.
func fetchMessages(ctx context.Context, endpoint, poolID, username string) ([]byte, error) {
	q := url.Values{}
	if poolID != "" {
		q.Set("poolId", poolID)
	}
	if username != "" {
		q.Set("username", username)
	}
	return fetchList(ctx, endpoint, "/_tarn/messages", q, "messages")
}

// writeIndented prints a JSON answer of the server, indented.
func writeIndented(w io.Writer, raw []byte, what string) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("%s: server sent invalid JSON: %w", what, err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// fetchList GETs one of tarn's /_tarn listings and returns its JSON body;
// errors name the command (what).
func fetchList(ctx context.Context, endpoint, path string, q url.Values, what string) ([]byte, error) {
	u := strings.TrimRight(endpoint, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: is tarn running at %s? %w", what, endpoint, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s answered %s: %s", what, u, resp.Status, bytes.TrimSpace(body))
	}
	return body, nil
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
