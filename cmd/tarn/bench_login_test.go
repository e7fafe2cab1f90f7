package main

// Server CPU per login, measured on a real tarn process: the benchmark
// starts `tarn serve --db memory` (default logging, to /dev/null), signs a
// user in over HTTP with the AWS SDK N times, and divides the CPU the
// server process used (user + system, all threads, from /proc) by N. The
// client's half (SDK, SRP maths) runs in the benchmark's process and is
// not counted. Beside it, in the same run, it measures one RSA-2048
// signature (crypto/rsa, what signs every token) and reports the login in
// those units too, a ratio that holds when the machine's speed varies:
//
//	go test ./cmd/tarn -run '^$' -bench ServerCPU -benchtime 2000x
//
// Targets (issue 2): USER_PASSWORD_AUTH < 3 ms and SRP < 5 ms of server
// CPU per login. Two signatures (ID and access token) are the floor.

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/benchref"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's CPU times (100 on
// every Linux tarn runs on).
const clockTicks = 100

// processCPU is the CPU time the process has used so far, all threads,
// user and system, to 1/clockTicks s.
func processCPU(tb testing.TB, pid int) time.Duration {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatalf("read /proc/%d/stat: %v", pid, err)
	}
	// The command name in parentheses may hold spaces: fields start after it.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14 of the whole line
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		tb.Fatalf("/proc/%d/stat: utime %q stime %q", pid, f[11], f[12])
	}
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// serveProcess starts the tarn binary on a free port with an in-memory
// store and returns it once it is healthy; it stops with the benchmark.
func serveProcess(b *testing.B) (*tarnServer, *exec.Cmd) {
	b.Helper()
	bin := buildTarn(b)
	url := fmt.Sprintf("http://127.0.0.1:%d", freePort(b))
	cmd := exec.Command(bin, "serve", "--db", "memory", "--addr", strings.TrimPrefix(url, "http://"), "--data-dir", b.TempDir())
	if err := cmd.Start(); err != nil { // stdout and stderr go to /dev/null
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if status, _, err := health(url); err == nil && status == http.StatusOK {
			break
		}
		select {
		case <-deadline.C:
			b.Fatalf("tarn serve not healthy within 30s")
		case <-tick.C:
		}
	}
	return &tarnServer{t: b, url: url, cip: sdkClient(url)}, cmd
}

func BenchmarkServerCPU(b *testing.B) {
	ts, cmd := serveProcess(b)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "bench", auPassword)
	ts.auTokens(clientID, "bench", auPassword) // the pool's signing keys are made on first use
	pid := cmd.Process.Pid

	measure := func(b *testing.B, login func()) {
		sign, err := benchref.RSASign(200)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		before := processCPU(b, pid)
		for range b.N {
			login()
		}
		used := processCPU(b, pid) - before
		b.StopTimer()
		perLogin := used / time.Duration(b.N)
		b.ReportMetric(float64(perLogin)/float64(time.Millisecond), "server-cpu-ms/op")
		b.ReportMetric(float64(perLogin)/float64(sign), "rsa-signs/op")
		b.ReportMetric(float64(sign)/float64(time.Millisecond), "rsa-sign-ms")
	}
	b.Run("USER_PASSWORD_AUTH", func(b *testing.B) {
		measure(b, func() { ts.auTokens(clientID, "bench", auPassword) })
	})
	b.Run("USER_SRP_AUTH", func(b *testing.B) {
		measure(b, func() {
			x, err := ts.auStartSRP(clientID, "bench")
			if err != nil {
				b.Fatal(err)
			}
			out, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(b, poolID, auPassword))
			if err != nil || out.AuthenticationResult == nil {
				b.Fatalf("PASSWORD_VERIFIER: %v", err)
			}
		})
	})
}
