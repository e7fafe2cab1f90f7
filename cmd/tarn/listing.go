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
)

// listing is a command that prints one of a running server's /_tarn
// listings (GET /_tarn/<name>), for people or, with --json, as JSON.
type listing struct {
	name      string
	filters   []listFilter
	jsonUsage string
	// print renders the JSON array the server answered.
	print func(w io.Writer, raw []byte) error
}

// listFilter maps a flag to the query parameter it sets.
type listFilter struct{ flag, param, usage string }

// runListing parses the flags of l (--endpoint, --json and the filters),
// fetches the listing and prints it.
func runListing(ctx context.Context, l listing, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tarn "+l.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", "http://127.0.0.1:9229", "base `URL` of the tarn server")
	values := make([]*string, len(l.filters))
	for i, f := range l.filters {
		values[i] = fs.String(f.flag, "", f.usage)
	}
	asJSON := fs.Bool("json", false, l.jsonUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected arguments %q", l.name, fs.Args())
	}
	q := url.Values{}
	for i, f := range l.filters {
		if *values[i] != "" {
			q.Set(f.param, *values[i])
		}
	}
	raw, err := fetchList(ctx, *endpoint, "/_tarn/"+l.name, q, l.name)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeIndented(stdout, raw, l.name)
	}
	return l.print(stdout, raw)
}

// printAs is a listing's print: it decodes the server's JSON array into
// []T and hands it to print.
func printAs[T any](name string, print func(io.Writer, []T) error) func(io.Writer, []byte) error {
	return func(w io.Writer, raw []byte) error {
		var items []T
		if err := json.Unmarshal(raw, &items); err != nil {
			return fmt.Errorf("%s: cannot decode the server's answer: %w", name, err)
		}
		return print(w, items)
	}
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
