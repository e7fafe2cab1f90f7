package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

func TestParseServeFlags(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*Main) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(m *Main) bool {
			return m.Addr == "127.0.0.1:9229" && m.DataDir == "./.tarn" && m.DB == "" && m.Region == "us-east-1" && !m.AWSIssuer && m.ServerKey == nil &&
				m.MaxUserPools == 1000
		}, ""},
		{"pool quota", nil, map[string]string{"TARN_MAX_USER_POOLS": "3"}, func(m *Main) bool { return m.MaxUserPools == 3 }, ""},
		{"bad pool quota", []string{"--max-user-pools", "0"}, nil, nil, "--max-user-pools"},
		{"env", nil, map[string]string{"TARN_ADDR": ":1", "TARN_DB": "memory", "TARN_AWS_ISSUER": "true", "TARN_REGION": "eu-west-1"}, func(m *Main) bool {
			return m.Addr == ":1" && m.DB == "memory" && m.AWSIssuer && m.Region == "eu-west-1"
		}, ""},
		{"flag wins over env", []string{"--addr", ":2", "--aws-issuer=false"}, map[string]string{"TARN_ADDR": ":1", "TARN_AWS_ISSUER": "1"}, func(m *Main) bool {
			return m.Addr == ":2" && !m.AWSIssuer
		}, ""},
		{"server key from env", []string{"--server-key-file", "/k"}, map[string]string{"TARN_SERVER_KEY": hex.EncodeToString(key)}, func(m *Main) bool {
			return bytes.Equal(m.ServerKey, key) && m.ServerKeyFile == "/k"
		}, ""},
		{"bad server key", nil, map[string]string{"TARN_SERVER_KEY": "short"}, nil, "TARN_SERVER_KEY"},
		{"bad bool env", nil, map[string]string{"TARN_AWS_ISSUER": "yes please"}, nil, "TARN_AWS_ISSUER"},
		{"bad log format", []string{"--log-format", "xml"}, nil, nil, "--log-format"},
		{"stray argument", []string{"extra"}, nil, nil, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := parseServeFlags(tt.args, io.Discard, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(m) {
				t.Errorf("got %+v", m)
			}
		})
	}
}

func TestRun_Messages(t *testing.T) {
	var gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[{"id":"1","poolId":"us-east-1_abc","username":"alice","destination":"alice@example.com",`+
			`"medium":"EMAIL","action":"SignUp","code":"123456","subject":"Your code","body":"Code: 123456\nBye","timestamp":"2025-01-02T15:04:05Z"}]`)
	}))
	defer srv.Close()

	var out bytes.Buffer
	err := run(context.Background(), []string{"messages", "--endpoint", srv.URL, "--pool-id", "us-east-1_abc", "--username", "alice"}, &out, io.Discard, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := "2025-01-02T15:04:05Z us-east-1_abc alice EMAIL→alice@example.com SignUp code=123456\n" +
		"    Subject: Your code\n" +
		"    Code: 123456\n" +
		"    Bye\n"
	if out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}
	if gotQuery != "poolId=us-east-1_abc&username=alice" {
		t.Errorf("query %q", gotQuery)
	}

	out.Reset()
	if err := run(context.Background(), []string{"messages", "--endpoint", srv.URL, "--json"}, &out, io.Discard, noEnv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"code": "123456"`) {
		t.Errorf("json output %s", out.String())
	}
}

func TestPrintMessages_Empty(t *testing.T) {
	var out bytes.Buffer
	if err := printMessages(&out, nil); err != nil || out.String() != "no messages\n" {
		t.Errorf("output %q err %v", out.String(), err)
	}
	out.Reset()
	msgs := []cognito.Message{
		{PoolID: "p", Username: "a", Medium: "SMS", Destination: "+1555", Action: "ResendCode", Body: "1", Created: time.Unix(0, 0)},
		{PoolID: "p", Username: "b", Medium: "SMS", Destination: "+1556", Action: "ForgotPassword", Body: "2", Created: time.Unix(0, 0)},
	}
	_ = printMessages(&out, msgs)
	if got := strings.Count(out.String(), "\n\n"); got != 1 {
		t.Errorf("%d blank lines between 2 messages, want 1:\n%s", got, out.String())
	}
}

func TestRun_VersionAndUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, &out, io.Discard, noEnv); err != nil || !strings.HasPrefix(out.String(), "tarn ") {
		t.Errorf("version: %q %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard, io.Discard, noEnv); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("unknown command: %v", err)
	}
}

func noEnv(string) string { return "" }
