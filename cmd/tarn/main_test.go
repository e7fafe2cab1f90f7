package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// startMain runs a Main on a free port with an in-memory database and
// closes it when the test ends.
func startMain(t *testing.T, dataDir string) *Main {
	t.Helper()
	m := &Main{
		Addr:    "127.0.0.1:0",
		DataDir: dataDir,
		DB:      "memory",
		Logger:  slog.New(slog.DiscardHandler),
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
	})
	return m
}

func TestMain_HealthAndUnknownOperation(t *testing.T) {
	m := startMain(t, t.TempDir())
	if strings.HasSuffix(m.URL(), ":0") || !strings.HasPrefix(m.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %q, want the real port", m.URL())
	}

	resp, err := http.Get(m.URL() + "/_tarn/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"status":"ok","database":"ok"}` {
		t.Errorf("health: status %d body %s", resp.StatusCode, b)
	}

	req, _ := http.NewRequest(http.MethodPost, m.URL()+"/", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.FrobnicateWidgets")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 400 || body.Type != "UnknownOperationException" || !strings.Contains(body.Message, "FrobnicateWidgets") {
		t.Errorf("unknown op: status %d body %+v", resp.StatusCode, body)
	}
}

func TestMain_ServerKeyFileCreatedPrivateAndReused(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "server.key")

	m := startMain(t, dir)
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("server key file not created: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("server key file mode %o, want 600", mode)
	}
	first, _ := os.ReadFile(keyFile)
	if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(first))); err != nil || len(k) != 32 {
		t.Errorf("key file holds %q, want 32 bytes in base64", first)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	startMain(t, dir)
	second, _ := os.ReadFile(keyFile)
	if !bytes.Equal(first, second) {
		t.Error("server key file was replaced on restart")
	}
}

func TestMain_DefaultDatabaseIsSQLiteFileInDataDir(t *testing.T) {
	dir := t.TempDir()
	m := &Main{Addr: "127.0.0.1:0", DataDir: dir, Logger: slog.New(slog.DiscardHandler)}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := os.Stat(filepath.Join(dir, "tarn.db")); err != nil {
		t.Errorf("no database file: %v", err)
	}
}

func TestMain_Issuer(t *testing.T) {
	tests := []struct {
		name string
		m    Main
		want string
	}{
		{"public URL", Main{Region: "eu-west-1"}, "http://tarn.example:9229/eu-west-1_abc"},
		{"AWS style", Main{Region: "eu-west-1", AWSIssuer: true}, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.issuer("http://tarn.example:9229")("eu-west-1_abc"); got != tt.want {
				t.Errorf("issuer %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMain_DSN(t *testing.T) {
	abs, _ := filepath.Abs("/data")
	tests := []struct {
		db, wantDSN string
		wantErr     bool
	}{
		{"", "sqlite://" + filepath.Join(abs, "tarn.db"), false},
		{"memory", "sqlite::memory:", false},
		{"sqlite:///var/lib/tarn.db", "sqlite:///var/lib/tarn.db", false},
		{"postgres://u:p@db:5432/tarn", "postgres://u:p@db:5432/tarn", false},
		{"mysql://x", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.db, func(t *testing.T) {
			m := Main{DataDir: "/data", DB: tt.db}
			dsn, kind, err := m.dsn()
			if (err != nil) != tt.wantErr || dsn != tt.wantDSN {
				t.Errorf("dsn %q err %v, want %q", dsn, err, tt.wantDSN)
			}
			if strings.Contains(kind, "u:p") {
				t.Errorf("kind %q leaks credentials", kind)
			}
		})
	}
}
