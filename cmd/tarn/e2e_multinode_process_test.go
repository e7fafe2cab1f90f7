package main

// Three real tarn processes (the built binary, configured as the README
// says: flags and TARN_* variables) on one fresh PostgreSQL database, and
// the health endpoint a load balancer probes.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// freePort returns a TCP port nothing listens on right now.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// buildTarn builds the tarn binary into a temporary directory and returns
// its path.
func buildTarn(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tarn")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer collects a process's output for the failure message.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// health GETs /_tarn/health and returns the status and body.
func health(base string) (int, map[string]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_tarn/health", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var body map[string]string
	if err := json.Unmarshal(b, &body); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("health body %q: %w", b, err)
	}
	return resp.StatusCode, body, nil
}

func TestMultiNode_ThreeProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tarn binary")
	}
	dsn := pgDatabase(t, pgOptions{})
	bin := buildTarn(t)

	type proc struct {
		url    string
		cmd    *exec.Cmd
		out    *syncBuffer
		exited chan error
	}
	procs := make([]*proc, 3)
	for i := range procs {
		port := freePort(t)
		p := &proc{url: fmt.Sprintf("http://127.0.0.1:%d", port), out: &syncBuffer{}, exited: make(chan error, 1)}
		p.cmd = exec.Command(bin, "serve", "--addr", fmt.Sprintf("127.0.0.1:%d", port),
			"--data-dir", t.TempDir(), "--public-url", clusterURL, "--log-level", "warn")
		// What every node shares: the database and the server key.
		p.cmd.Env = append(os.Environ(), "TARN_DB="+dsn, "TARN_SERVER_KEY="+hex.EncodeToString(clusterKey),
			"TARN_DB_MAX_OPEN_CONNS=8", "TARN_DB_MAX_IDLE_CONNS=4", "TARN_DB_CONN_MAX_LIFETIME=30m")
		p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
		procs[i] = p
	}
	// All three start at once on the fresh database: their migrations race.
	for i, p := range procs {
		if err := p.cmd.Start(); err != nil {
			t.Fatalf("start node %d: %v", i+1, err)
		}
		go func() { p.exited <- p.cmd.Wait() }()
		t.Cleanup(func() {
			select {
			case err := <-p.exited: // exited already (the test failed)
				t.Logf("node %d had exited: %v\n%s", i+1, err, p.out.String())
				return
			default:
			}
			_ = p.cmd.Process.Signal(os.Interrupt)
			timer := time.NewTimer(15 * time.Second)
			defer timer.Stop()
			select {
			case err := <-p.exited:
				if err != nil {
					t.Errorf("node %d did not shut down cleanly: %v\n%s", i+1, err, p.out.String())
				}
			case <-timer.C:
				_ = p.cmd.Process.Kill()
				t.Errorf("node %d ignored SIGINT for 15s\n%s", i+1, p.out.String())
			}
		})
	}
	deadline := time.NewTimer(60 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for i, p := range procs {
		for {
			status, body, err := health(p.url)
			if err == nil && status == http.StatusOK {
				if body["status"] != "ok" || body["database"] != "ok" {
					t.Fatalf("node %d health: %v", i+1, body)
				}
				break
			}
			select {
			case err := <-p.exited:
				t.Fatalf("node %d exited before it was healthy: %v\n%s", i+1, err, p.out.String())
			case <-deadline.C:
				t.Fatalf("node %d not healthy within 60s (last: %d %v %v)\n%s", i+1, status, body, err, p.out.String())
			case <-tick.C:
			}
		}
	}

	nodes := make([]*tarnServer, len(procs))
	for i, p := range procs {
		nodes[i] = &tarnServer{t: t, url: p.url, cip: sdkClient(p.url)}
	}
	mnWalkUser(t, nodes)
	mnNewPasswordRequired(t, nodes)
	mnSRP(t, nodes)
	mnSameUsername(t, nodes)
}

// GET /_tarn/health reports the database: 200 {"status":"ok","database":"ok"}
// while it answers, 503 with the error once it is gone.
func TestMultiNode_HealthReportsDatabase(t *testing.T) {
	t.Parallel()
	dsn := pgDatabase(t, pgOptions{})
	n := startCluster(t, 1, dsn)
	status, body, err := health(n[0].url)
	if err != nil || status != http.StatusOK || body["status"] != "ok" || body["database"] != "ok" {
		t.Fatalf("health with the database up: %d %v %v", status, body, err)
	}

	u, _ := url.Parse(dsn)
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("pgx", pgAdminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
		t.Fatalf("drop the database under the node: %v", err)
	}
	status, body, err = health(n[0].url)
	if err != nil || status != http.StatusServiceUnavailable || body["status"] != "unavailable" || body["database"] != "unreachable" || body["error"] == "" {
		t.Fatalf("health with the database gone: %d %v %v", status, body, err)
	}
}
