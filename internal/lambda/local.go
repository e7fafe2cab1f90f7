package lambda

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed bootstrap/node.mjs bootstrap/python.py
var bootstrapFS embed.FS

// localFunc is the local runner for one function: a pool of warm processes
// that each speak the Lambda Runtime API to their own listener.
type localFunc struct {
	h       *Host
	fn      Function
	markers bool // the bootstrap writes end-of-invocation markers (node, python)

	sem chan struct{} // one slot per process in use

	mu     sync.Mutex
	closed bool
	idle   []*proc // LIFO: the most recently used process is reused first
	all    map[*proc]struct{}
	seq    int

	pyOnce sync.Once
	python string
	pyErr  error
}

func newLocalFunc(h *Host, fn Function) (*localFunc, error) {
	switch {
	case strings.HasPrefix(fn.Runtime, "nodejs"), strings.HasPrefix(fn.Runtime, "python3"):
		if fn.Handler == "" {
			return nil, errors.New("Handler required for runtime " + fn.Runtime)
		}
	case fn.Runtime == "provided" || strings.HasPrefix(fn.Runtime, "provided."):
	default:
		return nil, fmt.Errorf("unsupported Runtime %q (nodejs*, python3.*, provided*)", fn.Runtime)
	}
	if fn.Concurrency <= 0 {
		fn.Concurrency = defaultConcurrency
	}
	if fn.MemorySize <= 0 {
		fn.MemorySize = defaultMemory
	}
	return &localFunc{
		h:       h,
		fn:      fn,
		markers: !strings.HasPrefix(fn.Runtime, "provided"),
		sem:     make(chan struct{}, fn.Concurrency),
		all:     map[*proc]struct{}{},
	}, nil
}

func (f *localFunc) invoke(ctx context.Context, c call) (Result, error) {
	res := Result{Runner: RunnerLocal}
	select {
	case f.sem <- struct{}{}:
	case <-ctx.Done():
		return res, ctxError(ctx, "waiting for a free process of "+f.fn.Name)
	case <-f.h.done:
		return res, fmt.Errorf("%w: host closed", ErrInvokeFailed)
	}
	defer func() { <-f.sem }()
	// A warm process that died while idle never saw the invocation: retry
	// once on another process.
	for attempt := 0; ; attempt++ {
		p, err := f.get()
		if err != nil {
			return res, err
		}
		out, err := p.invoke(ctx, c)
		out.Runner = RunnerLocal
		if err != nil || !p.alive() {
			f.discard(p)
		} else {
			f.put(p)
		}
		if errors.Is(err, errNotDelivered) && attempt == 0 {
			continue
		}
		return out, err
	}
}

// get returns an idle live process, or starts a new one.
func (f *localFunc) get() (p *proc, err error) {
	f.mu.Lock()
	for len(f.idle) > 0 {
		p = f.idle[len(f.idle)-1]
		f.idle = f.idle[:len(f.idle)-1]
		if p.alive() {
			f.mu.Unlock()
			return p, nil
		}
		delete(f.all, p)
	}
	if f.closed {
		f.mu.Unlock()
		return nil, fmt.Errorf("%w: host closed", ErrInvokeFailed)
	}
	f.seq++
	seq := f.seq
	f.mu.Unlock()
	p, err = f.start(seq)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed { // Close ran while we started it
		p.kill()
		return nil, fmt.Errorf("%w: host closed", ErrInvokeFailed)
	}
	f.all[p] = struct{}{}
	return p, nil
}

func (f *localFunc) put(p *proc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		p.kill()
		return
	}
	f.idle = append(f.idle, p)
}

func (f *localFunc) discard(p *proc) {
	p.kill()
	f.mu.Lock()
	delete(f.all, p)
	f.mu.Unlock()
}

func (f *localFunc) close() {
	f.mu.Lock()
	f.closed = true
	procs := make([]*proc, 0, len(f.all))
	for p := range f.all {
		procs = append(procs, p)
	}
	f.all, f.idle = map[*proc]struct{}{}, nil
	f.mu.Unlock()
	for _, p := range procs {
		p.kill()
	}
	for _, p := range procs {
		p.waitExit()
	}
}

// command returns the executable and arguments for the runtime.
func (f *localFunc) command() (string, []string, error) {
	rt := f.fn.Runtime
	switch {
	case strings.HasPrefix(rt, "nodejs"):
		dir, err := bootstrapDir(f.h)
		if err != nil {
			return "", nil, err
		}
		node, err := exec.LookPath("node")
		return node, []string{filepath.Join(dir, "node.mjs")}, err
	case strings.HasPrefix(rt, "python3"):
		dir, err := bootstrapDir(f.h)
		if err != nil {
			return "", nil, err
		}
		f.pyOnce.Do(func() { f.python, f.pyErr = findPython(rt) })
		return f.python, []string{"-u", filepath.Join(dir, "python.py")}, f.pyErr
	default: // provided*: Handler if it names an executable in CodeUri, else CodeUri/bootstrap
		if h := f.fn.Handler; h != "" {
			p := filepath.Join(f.fn.CodeUri, h)
			if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
				return p, nil, nil
			}
		}
		p := filepath.Join(f.fn.CodeUri, "bootstrap")
		if _, err := os.Stat(p); err != nil {
			return "", nil, fmt.Errorf("no executable bootstrap: %w", err)
		}
		return p, nil, nil
	}
}

// environ builds the process environment as Lambda does: no inheritance
// beyond PATH, the function's identity, dummy credentials, Config.Env, the
// function's variables, and the runtime API address last (not overridable).
func (f *localFunc) environ(api string, seq int) []string {
	fn, cfg := f.fn, f.h.cfg
	env := map[string]string{
		"PATH":                            os.Getenv("PATH"),
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"AWS_REGION":                      cfg.Region,
		"AWS_DEFAULT_REGION":              cfg.Region,
		"AWS_ACCESS_KEY_ID":               "AKIATARNLOCAL0000000",
		"AWS_SECRET_ACCESS_KEY":           "tarn-local-dummy-secret",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(fn.MemorySize),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + fn.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      fmt.Sprintf("tarn/[$LATEST]%d", seq),
		"AWS_EXECUTION_ENV":               "AWS_Lambda_" + fn.Runtime,
		"PYTHONUNBUFFERED":                "1",
		"PYTHONDONTWRITEBYTECODE":         "1",
	}
	for k, v := range cfg.Env {
		env[k] = v
	}
	for k, v := range fn.Environment.Variables {
		env[k] = v
	}
	env["AWS_LAMBDA_RUNTIME_API"] = api
	env["AWS_LAMBDA_FUNCTION_NAME"] = fn.Name
	env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
	env["_HANDLER"] = fn.Handler
	env["LAMBDA_TASK_ROOT"] = fn.CodeUri
	f.h.mu.RLock()
	bootDir := f.h.bootDir
	f.h.mu.RUnlock()
	if d := bootDir; d != "" {
		env["LAMBDA_RUNTIME_DIR"] = d
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// bootstrapDir writes the embedded bootstraps to a temporary directory once.
func bootstrapDir(h *Host) (string, error) {
	h.bootOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tarn-lambda-")
		if err != nil {
			h.bootErr = err
			return
		}
		for _, name := range []string{"node.mjs", "python.py"} {
			b, err := bootstrapFS.ReadFile("bootstrap/" + name)
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, name), b, 0o644)
			}
			if err != nil {
				h.bootErr = err
				os.RemoveAll(dir)
				return
			}
		}
		h.mu.Lock()
		h.bootDir = dir
		h.mu.Unlock()
	})
	if h.bootErr != nil {
		return "", fmt.Errorf("%w: writing bootstrap: %v", ErrInvokeFailed, h.bootErr)
	}
	return h.bootDir, nil
}

func removeBootstrap(h *Host) {
	h.bootOnce.Do(func() {}) // no bootstrap may be written after Close
	h.mu.Lock()
	dir := h.bootDir
	h.mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
	}
}

// findPython prefers the runtime's exact version (python3.12) when it runs
// (a pyenv shim may exist without the version installed), else python3.
func findPython(runtime string) (string, error) {
	if want := strings.TrimSuffix(runtime, ".x"); want != "python3" {
		if p, err := exec.LookPath(want); err == nil && exec.Command(p, "-c", "").Run() == nil {
			return p, nil
		}
	}
	return exec.LookPath("python3")
}
