package lambda

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// errNotDelivered: a warm process exited before taking the invocation; the
// caller retries on a fresh process.
var errNotDelivered = errors.New("lambda: process exited before taking the invocation")

// endMarker is written by the node and python bootstraps to stdout and
// stderr after the handler finishes, so that Result.Logs holds every line
// the handler wrote. It never reaches the logs.
const endMarker = "\x1etarn:end:"

const (
	maxLogLines  = 1000
	maxLineBytes = 64 << 10
	maxErrBytes  = 1 << 20
)

// proc is one runtime process and the Runtime API listener it alone uses.
type proc struct {
	f       *localFunc
	cmd     *exec.Cmd
	srv     *http.Server
	invq    chan *invocation // handed to the process's pending /next
	exited  chan struct{}
	exitErr error
	marks   chan string // request ids of end markers seen

	mu      sync.Mutex
	cur     *invocation
	initErr *errorPayload
	logs    []string
	used    bool
	killed  bool
}

type invocation struct {
	id, arn  string
	payload  []byte
	deadline time.Time
	done     chan outcome // buffered 1
}

type outcome struct {
	payload  []byte
	fnErr    *errorPayload
	tooLarge int
}

type errorPayload struct {
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

func (f *localFunc) start(seq int) (*proc, error) {
	path, args, err := f.command()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvokeFailed, f.fn.Name, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("%w: runtime API listener: %v", ErrInvokeFailed, err)
	}
	p := &proc{f: f, invq: make(chan *invocation), exited: make(chan struct{}), marks: make(chan string, 8)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", p.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", p.response)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", p.invokeError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", p.initError)
	p.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go p.srv.Serve(ln)

	cmd := exec.Command(path, args...)
	cmd.Dir = f.fn.CodeUri
	cmd.Env = f.environ(ln.Addr().String(), seq)
	cmd.Stdout = &lineWriter{p: p, stream: "stdout"}
	cmd.Stderr = &lineWriter{p: p, stream: "stderr"}
	cmd.WaitDelay = time.Second
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		p.srv.Close()
		return nil, fmt.Errorf("%w: %s: starting %s: %v", ErrInvokeFailed, f.fn.Name, path, err)
	}
	p.cmd = cmd
	f.h.log.Debug("lambda process started", "function", f.fn.Name, "pid", cmd.Process.Pid, "runtime", f.fn.Runtime)
	go func() {
		p.exitErr = cmd.Wait()
		close(p.exited)
		p.srv.Close()
		f.h.log.Debug("lambda process exited", "function", f.fn.Name, "pid", cmd.Process.Pid, "status", p.exitErr)
	}()
	return p, nil
}

// invoke runs one invocation on p. ctx carries the deadline.
func (p *proc) invoke(ctx context.Context, c call) (Result, error) {
	name := p.f.fn.Name
	inv := &invocation{id: uuid.NewString(), arn: c.arn, payload: c.payload, done: make(chan outcome, 1)}
	var ok bool
	if inv.deadline, ok = ctx.Deadline(); !ok {
		inv.deadline = time.Now().Add(defaultTimeout)
	}
	var res Result
	select {
	case p.invq <- inv:
	case <-p.exited:
		res.Logs = p.takeLogs()
		if p.wasUsed() {
			return res, errNotDelivered
		}
		return res, p.startFailure()
	case <-ctx.Done():
		p.kill()
		res.Logs = p.takeLogs()
		return res, ctxError(ctx, name+" did not start in time")
	}
	p.mu.Lock()
	p.used = true
	p.mu.Unlock()
	var out outcome
	select {
	case out = <-inv.done:
	case <-p.exited:
		select {
		case out = <-inv.done:
		default:
			res.Logs = p.takeLogs()
			return res, fmt.Errorf("%w: %s: Runtime.ExitError: process exited during the invocation: %v", ErrInvokeFailed, name, p.exitErr)
		}
	case <-ctx.Done():
		p.kill()
		p.waitExit()
		res.Logs = p.takeLogs()
		return res, ctxError(ctx, name+" did not return in time")
	}
	if p.f.markers {
		p.awaitMarkers(inv.id)
	}
	res.Logs = p.takeLogs()
	switch {
	case out.tooLarge > 0:
		return res, fmt.Errorf("%w: %d+ bytes (limit %d)", ErrResponseTooLarge, out.tooLarge, p.f.h.maxResp)
	case out.fnErr != nil:
		res.FunctionError = true
		res.ErrorType, res.ErrorMessage = out.fnErr.ErrorType, out.fnErr.ErrorMessage
	default:
		res.Payload = out.payload
	}
	return res, nil
}

// startFailure explains why a fresh process exited before taking work.
func (p *proc) startFailure() error {
	p.mu.Lock()
	ie := p.initErr
	p.mu.Unlock()
	if ie != nil {
		return fmt.Errorf("%w: %s: init error: %s: %s", ErrInvokeFailed, p.f.fn.Name, ie.ErrorType, ie.ErrorMessage)
	}
	return fmt.Errorf("%w: %s: process exited before requesting an invocation: %v", ErrInvokeFailed, p.f.fn.Name, p.exitErr)
}

func (p *proc) wasUsed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.used
}

func (p *proc) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.killed
}

func (p *proc) kill() {
	p.mu.Lock()
	p.killed = true
	p.mu.Unlock()
	if p.cmd != nil && p.cmd.Process != nil {
		killProcess(p.cmd)
	}
}

// waitExit waits (bounded) for the process to be reaped after kill.
func (p *proc) waitExit() {
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	select {
	case <-p.exited:
	case <-t.C:
	}
}

// awaitMarkers waits until the bootstrap's end marker for id has come
// through both stdout and stderr, so that all lines written before the
// response are in p.logs. Bounded: a missing marker only loses lines.
func (p *proc) awaitMarkers(id string) {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for need := 2; need > 0; {
		select {
		case m := <-p.marks:
			if m == id {
				need--
			}
		case <-p.exited:
			return
		case <-t.C:
			return
		}
	}
}

func (p *proc) takeLogs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.logs
	p.logs = nil
	return l
}

func (p *proc) line(stream, s string) {
	s = strings.TrimSuffix(s, "\r")
	mark, hasMark := "", false
	if i := strings.Index(s, endMarker); i >= 0 {
		mark, hasMark, s = s[i+len(endMarker):], true, s[:i]
	}
	if s != "" || !hasMark {
		p.f.h.log.Debug("lambda output", "function", p.f.fn.Name, "stream", stream, "line", s)
		p.mu.Lock()
		if len(p.logs) >= maxLogLines {
			p.logs = append(p.logs[:0], p.logs[1:]...)
		}
		p.logs = append(p.logs, s)
		p.mu.Unlock()
	}
	if hasMark {
		select {
		case p.marks <- mark:
		default:
		}
	}
}

// take returns the current invocation if id names it, and clears it.
func (p *proc) take(id string) *invocation {
	p.mu.Lock()
	defer p.mu.Unlock()
	inv := p.cur
	if inv == nil || inv.id != id {
		return nil
	}
	p.cur = nil
	return inv
}

// lineWriter splits a process's output stream into lines.
type lineWriter struct {
	p      *proc
	stream string
	buf    []byte
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.buf = append(w.buf, b...)
	start := 0
	for {
		i := bytes.IndexByte(w.buf[start:], '\n')
		if i < 0 {
			break
		}
		w.p.line(w.stream, string(w.buf[start:start+i]))
		start += i + 1
	}
	w.buf = append(w.buf[:0], w.buf[start:]...)
	if len(w.buf) > maxLineBytes {
		w.p.line(w.stream, string(w.buf))
		w.buf = w.buf[:0]
	}
	return len(b), nil
}
