package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/userpool"
)

// runServe runs the server until ctx is cancelled (SIGINT, SIGTERM) or the
// server fails, then shuts it down gracefully.
func runServe(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	m, err := parseServeFlags(args, stderr, getenv)
	if err != nil {
		return err
	}
	slog.SetDefault(m.Logger)
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	select {
	case <-ctx.Done():
		m.Logger.Info("shutting down")
	case err = <-m.serveErr:
	}
	return errors.Join(err, m.Close())
}

// parseServeFlags builds a Main from flags, with TARN_* environment
// variables as defaults (so a flag wins over the environment).
func parseServeFlags(args []string, stderr io.Writer, getenv func(string) string) (*Main, error) {
	fs := flag.NewFlagSet("tarn serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	e := envFlags{fs: fs, getenv: getenv}
	m := &Main{}
	var logFormat, logLevel string
	e.String(&m.Addr, "addr", "TARN_ADDR", "127.0.0.1:9229", "`host:port` to listen on (port 0: any free port)")
	e.String(&m.DataDir, "data-dir", "TARN_DATA_DIR", "./.tarn", "`directory` for the SQLite database and the server key")
	e.String(&m.DB, "db", "TARN_DB", "", "database: memory, sqlite:///path.db or postgres://… (default sqlite://<data-dir>/tarn.db)")
	e.String(&m.PublicURL, "public-url", "TARN_PUBLIC_URL", "", "base `URL` clients reach tarn at; issuers derive from it (default http://<addr>)")
	e.String(&m.Region, "region", "TARN_REGION", "us-east-1", "AWS `region` for pool ids, ARNs and AWS-style issuers")
	e.Bool(&m.AWSIssuer, "aws-issuer", "TARN_AWS_ISSUER", false, "issue tokens with iss https://cognito-idp.<region>.amazonaws.com/<poolId>")
	e.String(&m.ServerKeyFile, "server-key-file", "TARN_SERVER_KEY_FILE", "", "`file` holding the key that seals secrets at rest, created if absent (default <data-dir>/server.key; TARN_SERVER_KEY, base64 or hex, wins)")
	e.String(&m.ConfigFile, "config", "TARN_CONFIG", "", "YAML configuration `file` (trigger functions)")
	e.String(&m.LambdaEndpoint, "lambda-endpoint", "TARN_LAMBDA_ENDPOINT", "", "Lambda Invoke API base `URL` for functions the configuration does not declare")
	e.Int(&m.DBMaxOpenConns, "db-max-open-conns", "TARN_DB_MAX_OPEN_CONNS", 0, "most `connections` open to the database (0: 32 on PostgreSQL); nodes × this must stay below the server's limit")
	e.Int(&m.DBMaxIdleConns, "db-max-idle-conns", "TARN_DB_MAX_IDLE_CONNS", 0, "most idle database `connections` kept open (0: 8 on PostgreSQL)")
	e.Duration(&m.DBConnMaxLifetime, "db-conn-max-lifetime", "TARN_DB_CONN_MAX_LIFETIME", 0, "close database connections after this `duration` (0: never)")
	e.Duration(&m.KeyRotationInterval, "key-rotation-interval", "TARN_KEY_ROTATION_INTERVAL", 0, "rotate each pool's signing keys when they are this old, e.g. 720h (0: never; tarn keys rotate does it by hand)")
	e.Int(&m.MaxUserPools, "max-user-pools", "TARN_MAX_USER_POOLS", userpool.DefaultMaxUserPools, "how many user pools may exist at once, as AWS's adjustable quota (CreateUserPool then answers LimitExceededException)")
	e.String(&logFormat, "log-format", "TARN_LOG_FORMAT", "text", "log format: text or json")
	e.String(&logLevel, "log-level", "TARN_LOG_LEVEL", "info", "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := e.err; err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	if m.DBMaxOpenConns < 0 || m.DBMaxIdleConns < 0 || m.DBConnMaxLifetime < 0 || m.KeyRotationInterval < 0 {
		return nil, errors.New("serve: --db-* settings and --key-rotation-interval must not be negative")
	}
	if m.MaxUserPools < 1 {
		return nil, errors.New("serve: --max-user-pools must be at least 1")
	}
	if v := getenv("TARN_SERVER_KEY"); v != "" {
		key, err := seal.ParseKey(v)
		if err != nil {
			return nil, fmt.Errorf("TARN_SERVER_KEY: %w", err)
		}
		m.ServerKey = key
	}
	logger, err := newLogger(stderr, logFormat, logLevel)
	if err != nil {
		return nil, err
	}
	m.Logger = logger
	return m, nil
}

// newLogger returns a slog logger writing text or JSON to w.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: want text or json, got %q", format)
}

// envFlags defines flags whose default comes from an environment variable.
// The first malformed variable is kept in err.
type envFlags struct {
	fs     *flag.FlagSet
	getenv func(string) string
	err    error
}

func (e *envFlags) String(p *string, name, env, def, usage string) {
	if v := e.getenv(env); v != "" {
		def = v
	}
	e.fs.StringVar(p, name, def, usage+" [$"+env+"]")
}

func (e *envFlags) Int(p *int, name, env string, def int, usage string) {
	if v := e.getenv(env); v != "" {
		n, err := strconv.Atoi(v)
		if (err != nil || n < 0) && e.err == nil {
			e.err = fmt.Errorf("%s: want a non-negative integer, got %q", env, v)
		}
		def = n
	}
	e.fs.IntVar(p, name, def, usage+" [$"+env+"]")
}

func (e *envFlags) Duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	if v := e.getenv(env); v != "" {
		d, err := time.ParseDuration(v)
		if (err != nil || d < 0) && e.err == nil {
			e.err = fmt.Errorf("%s: want a duration such as 90s or 720h, got %q", env, v)
		}
		def = d
	}
	e.fs.DurationVar(p, name, def, usage+" [$"+env+"]")
}

func (e *envFlags) Bool(p *bool, name, env string, def bool, usage string) {
	if v := e.getenv(env); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil && e.err == nil {
			e.err = fmt.Errorf("%s: want true or false, got %q", env, v)
		}
		def = b
	}
	e.fs.BoolVar(p, name, def, usage+" [$"+env+"]")
}
