// Command tarn is a self-hostable Amazon Cognito user-pool server.
//
//	tarn [serve] [flags]   run the server (the default command)
//	tarn messages [flags]  print the outbox of a running server
//	tarn invocations [flags]  print the trigger invocation log
//	tarn keys rotate [flags]  rotate the pools' signing keys
//	tarn version           print the version
//
// Every serve flag has a TARN_* environment variable; a flag given on the
// command line wins over the environment. Run "tarn serve -h" for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module's build information.
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	default:
		fmt.Fprintln(os.Stderr, "tarn:", err)
		os.Exit(1)
	}
}

const usage = `Usage:
  tarn [serve] [flags]   run the server (default)
  tarn messages [flags]  print the outbox of a running server
  tarn invocations [flags]  print the trigger invocation log of a running server
  tarn keys rotate [flags]  rotate the signing keys of one pool or all (opens the database)
  tarn version           print the version

Run "tarn <command> -h" for the flags of a command.
`

// run executes the command named by args[0] ("serve" when args is empty or
// starts with a flag). It returns when the command is done; for serve, when
// ctx is cancelled or the server fails.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, stderr, getenv)
	case "messages":
		return runMessages(ctx, args, stdout, stderr)
	case "invocations":
		return runInvocations(ctx, args, stdout, stderr)
	case "keys":
		return runKeys(ctx, args, stdout, stderr, getenv)
	case "version":
		fmt.Fprintf(stdout, "tarn %s (%s %s/%s)\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return nil
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// versionString reports the version set at build time, else the module
// version and VCS revision recorded by the Go toolchain.
func versionString() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
