// Package lambda runs a function named by a Lambda ARN. It knows nothing of
// Cognito: it takes a JSON payload, runs the function with one of four
// runners and returns what the function returned.
//
//   - local: tarn serves the Lambda Runtime API to processes it starts
//     (provided.* executables, nodejs* and python3.* handlers through an
//     embedded bootstrap); processes stay warm and are reused.
//   - invoke: the Lambda Invoke API (SAM local, LocalStack, the Runtime
//     Interface Emulator, AWS), SigV4 signed when credentials are set.
//   - webhook: an HTTP POST of the payload, signed as Standard Webhooks.
//   - go: an in-process Go function (RegisterGo).
package lambda

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Function declares one function (a config-file entry), using the property
// names of AWS SAM's AWS::Serverless::Function where they fit.
type Function struct {
	Name        string // the ARN's function name
	Runner      string // "local" (default when Runtime is set), "webhook" (default when only Url is set), "invoke", "go"
	Runtime     string // nodejs18.x|nodejs20.x|nodejs22.x|python3.x|provided.al2|provided.al2023|provided
	Handler     string // "index.handler" (node), "app.lambda_handler" (python), executable relative to CodeUri (provided; default "bootstrap")
	CodeUri     string // directory; relative paths are resolved against Config.BaseDir
	Environment struct{ Variables map[string]string }
	Timeout     int // seconds (default 3, as Lambda); callers may also pass a ctx deadline
	MemorySize  int // MB (default 128); only reported to the function
	Url         string
	Secret      string // webhook signing secret: "whsec_" + base64 (Standard Webhooks) or raw
	Concurrency int    // local: max warm processes (default 4)
}

// Config configures a Host.
type Config struct {
	Functions        []Function
	InvokeEndpoint   string // Lambda Invoke API base URL for undeclared functions, "" = none
	AccessKeyID      string // SigV4 credentials for the invoke runner (signing only when set)
	SecretAccessKey  string
	SessionToken     string
	Region           string            // default us-east-1; also AWS_REGION of local processes
	BaseDir          string            // base for relative CodeUri
	Env              map[string]string // extra environment for local processes
	Logger           *slog.Logger
	MaxResponseBytes int // default 6 MiB (Lambda's synchronous limit)
}

// Result is the outcome of one invocation that reached the function.
type Result struct {
	Payload       []byte // the function's returned JSON (nil on function error)
	FunctionError bool
	ErrorType     string // from the error payload {"errorType","errorMessage","stackTrace"}
	ErrorMessage  string
	Logs          []string // lines the function wrote during this invocation, best effort
	Runner        string   // local|invoke|webhook|go
}

var (
	// ErrFunctionNotFound: no declaration and no invoke endpoint, or the
	// invoke endpoint answered 404.
	ErrFunctionNotFound = errors.New("lambda: function not found")
	// ErrTimeout: the ctx deadline or Function.Timeout passed; a local
	// process is killed and replaced.
	ErrTimeout = errors.New("lambda: function timed out")
	// ErrInvokeFailed: the function could not be started or reached
	// (crash, exec failure, init error, HTTP 5xx, connection refused).
	ErrInvokeFailed = errors.New("lambda: invocation failed")
	// ErrResponseTooLarge: the response exceeded Config.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("lambda: response too large")
)

// Runner names.
const (
	RunnerLocal   = "local"
	RunnerInvoke  = "invoke"
	RunnerWebhook = "webhook"
	RunnerGo      = "go"
)

const (
	defaultTimeout          = 3 * time.Second
	defaultMemory           = 128
	defaultConcurrency      = 4
	defaultMaxResponseBytes = 6 << 20
	defaultRegion           = "us-east-1"
	defaultAccount          = "000000000000"
)

// GoFunc is an in-process function. A returned error is a function error;
// its ErrorType is the error's ErrorType() string when it has that method,
// else "Error".
type GoFunc func(ctx context.Context, payload []byte) ([]byte, error)

// call is one invocation as runners see it.
type call struct {
	name, qualifier, arn string
	payload              []byte
}

type runner interface {
	invoke(ctx context.Context, c call) (Result, error)
	close()
}

// Host dispatches invocations to runners. It is safe for concurrent use.
type Host struct {
	cfg     Config
	log     *slog.Logger
	maxResp int

	mu      sync.RWMutex
	closed  bool
	done    chan struct{}
	runners map[string]runner // declared functions
	timeout map[string]time.Duration
	goFuncs map[string]GoFunc
	remote  runner // invoke endpoint for undeclared functions, may be nil

	bootOnce sync.Once
	bootDir  string
	bootErr  error
}

// New validates c and builds a Host. Local processes start on first use.
func New(c Config) (*Host, error) {
	h := &Host{
		cfg:     c,
		log:     c.Logger,
		maxResp: c.MaxResponseBytes,
		done:    make(chan struct{}),
		runners: map[string]runner{},
		timeout: map[string]time.Duration{},
		goFuncs: map[string]GoFunc{},
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.maxResp <= 0 {
		h.maxResp = defaultMaxResponseBytes
	}
	if h.cfg.Region == "" {
		h.cfg.Region = defaultRegion
	}
	if c.InvokeEndpoint != "" {
		r, err := newInvokeRunner(h, c.InvokeEndpoint)
		if err != nil {
			return nil, err
		}
		h.remote = r
	}
	for _, fn := range c.Functions {
		if err := h.declare(fn); err != nil {
			h.Close()
			return nil, err
		}
	}
	return h, nil
}

func (h *Host) declare(fn Function) error {
	if fn.Name == "" || strings.ContainsAny(fn.Name, ":/ ") {
		return fmt.Errorf("lambda: invalid function name %q", fn.Name)
	}
	if _, dup := h.runners[fn.Name]; dup {
		return fmt.Errorf("lambda: function %q declared twice", fn.Name)
	}
	if fn.Runner == "" {
		switch {
		case fn.Runtime != "":
			fn.Runner = RunnerLocal
		case fn.Url != "":
			fn.Runner = RunnerWebhook
		default:
			return fmt.Errorf("lambda: function %q: Runtime or Runner required", fn.Name)
		}
	}
	if fn.CodeUri != "" && !filepath.IsAbs(fn.CodeUri) {
		fn.CodeUri = filepath.Join(h.cfg.BaseDir, fn.CodeUri)
	} else if fn.CodeUri == "" {
		fn.CodeUri = h.cfg.BaseDir
	}
	if fn.Timeout > 0 {
		h.timeout[fn.Name] = time.Duration(fn.Timeout) * time.Second
	} else {
		h.timeout[fn.Name] = defaultTimeout
	}
	var r runner
	var err error
	switch fn.Runner {
	case RunnerLocal:
		r, err = newLocalFunc(h, fn)
	case RunnerWebhook:
		r, err = newWebhookRunner(h, fn)
	case RunnerInvoke:
		endpoint := fn.Url
		if endpoint == "" {
			endpoint = h.cfg.InvokeEndpoint
		}
		if endpoint == "" {
			return fmt.Errorf("lambda: function %q: invoke runner needs Url or an invoke endpoint", fn.Name)
		}
		r, err = newInvokeRunner(h, endpoint)
	case RunnerGo:
		r = goPlaceholder{}
	default:
		return fmt.Errorf("lambda: function %q: unknown runner %q", fn.Name, fn.Runner)
	}
	if err != nil {
		return fmt.Errorf("lambda: function %q: %w", fn.Name, err)
	}
	h.runners[fn.Name] = r
	return nil
}

// RegisterGo registers (or replaces) an in-process function under name. It
// takes precedence over a declaration of the same name.
func (h *Host) RegisterGo(name string, fn func(ctx context.Context, payload []byte) ([]byte, error)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.goFuncs[name] = fn
}

// Invoke runs the function named by arn (arn:aws:lambda:region:acct:function:NAME[:qualifier],
// or a plain name) with payload, synchronously (RequestResponse).
// A function error is not a Go error: it is reported in Result.
func (h *Host) Invoke(ctx context.Context, arn string, payload []byte) (Result, error) {
	c, err := h.parseARN(arn)
	if err != nil {
		return Result{}, err
	}
	c.payload = payload
	h.mu.RLock()
	closed := h.closed
	gofn := h.goFuncs[c.name]
	r, declared := h.runners[c.name]
	timeout := h.timeout[c.name]
	h.mu.RUnlock()
	if closed {
		return Result{}, fmt.Errorf("%w: host closed", ErrInvokeFailed)
	}
	switch {
	case gofn != nil:
		r, timeout = goRunner{h: h, fn: gofn}, 0
	case !declared && h.remote != nil:
		r, timeout = h.remote, 0
	case !declared:
		return Result{}, fmt.Errorf("%w: Function not found: %s", ErrFunctionNotFound, c.arn)
	}
	if _, ok := r.(goPlaceholder); ok {
		return Result{}, fmt.Errorf("%w: go function %s is not registered", ErrFunctionNotFound, c.name)
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	start := time.Now()
	res, err := r.invoke(ctx, c)
	h.log.Debug("lambda invoke", "function", c.name, "runner", res.Runner, "ms", time.Since(start).Milliseconds(),
		"functionError", res.FunctionError, "err", err)
	if err == nil && len(res.Payload) > h.maxResp {
		err = fmt.Errorf("%w: %d bytes (limit %d)", ErrResponseTooLarge, len(res.Payload), h.maxResp)
		res.Payload = nil
	}
	return res, err
}

// Close stops every process and releases resources. Invocations in flight fail.
func (h *Host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	close(h.done)
	runners := make([]runner, 0, len(h.runners))
	for _, r := range h.runners {
		runners = append(runners, r)
	}
	h.mu.Unlock()
	for _, r := range runners {
		r.close()
	}
	if h.remote != nil {
		h.remote.close()
	}
	removeBootstrap(h)
	return nil
}

// parseARN resolves the function name (and qualifier) from an ARN or a
// plain name; the returned call carries the full ARN for the function.
func (h *Host) parseARN(s string) (call, error) {
	var c call
	if strings.HasPrefix(s, "arn:") {
		p := strings.Split(s, ":")
		if len(p) < 7 || len(p) > 8 || p[2] != "lambda" || p[5] != "function" || p[6] == "" {
			return c, fmt.Errorf("%w: invalid function ARN %q", ErrFunctionNotFound, s)
		}
		c.name, c.arn = p[6], s
		if len(p) == 8 {
			c.qualifier = p[7]
		}
		return c, nil
	}
	name, qual, _ := strings.Cut(s, ":")
	if name == "" || strings.ContainsAny(name, "/ ") {
		return c, fmt.Errorf("%w: invalid function name %q", ErrFunctionNotFound, s)
	}
	c.name, c.qualifier = name, qual
	c.arn = "arn:aws:lambda:" + h.cfg.Region + ":" + defaultAccount + ":function:" + s
	return c, nil
}

// ctxError maps a finished context to ErrTimeout (deadline) or a
// cancellation error; both wrap ctx.Err().
func ctxError(ctx context.Context, what string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %s (%w)", ErrTimeout, what, ctx.Err())
	}
	return fmt.Errorf("%w: %s (%w)", ErrInvokeFailed, what, ctx.Err())
}

// goPlaceholder stands for a declared "go" function until RegisterGo.
type goPlaceholder struct{}

func (goPlaceholder) invoke(context.Context, call) (Result, error) {
	return Result{}, ErrFunctionNotFound
}
func (goPlaceholder) close() {}

type goRunner struct {
	h  *Host
	fn GoFunc
}

func (g goRunner) close() {}

func (g goRunner) invoke(ctx context.Context, c call) (Result, error) {
	type ret struct {
		out []byte
		err error
	}
	ch := make(chan ret, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				ch <- ret{err: goPanic{fmt.Sprint(v)}}
			}
		}()
		out, err := g.fn(ctx, c.payload)
		ch <- ret{out, err}
	}()
	res := Result{Runner: RunnerGo}
	select {
	case r := <-ch:
		if r.err != nil {
			res.FunctionError = true
			res.ErrorType, res.ErrorMessage = "Error", r.err.Error()
			var typed interface{ ErrorType() string }
			if errors.As(r.err, &typed) {
				res.ErrorType = typed.ErrorType()
			}
			return res, nil
		}
		res.Payload = r.out
		if res.Payload == nil {
			res.Payload = []byte("null")
		}
		return res, nil
	case <-ctx.Done():
		return res, ctxError(ctx, "go function "+c.name)
	}
}

type goPanic struct{ msg string }

func (p goPanic) Error() string     { return p.msg }
func (p goPanic) ErrorType() string { return "Runtime.GoPanic" }
