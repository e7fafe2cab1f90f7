package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// serveOperation runs the operation named by X-Amz-Target and writes its
// result (api.md §1.1–1.3).
func (s *server) serveOperation(w *recorder, r *http.Request) {
	name, err := operationName(r.Header.Get("X-Amz-Target"))
	w.info.op = name
	if err != nil {
		s.writeError(w, err)
		return
	}
	op, ok := s.ops[name]
	if !ok {
		s.writeError(w, cognito.Errorf(cognito.UnknownOperation, "tarn does not implement %s yet", name))
		return
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.info.code = cognito.SerializationException
			writeAPIError(w, http.StatusRequestEntityTooLarge, serializationError(
				"request body is larger than %d bytes", MaxRequestBytes))
			return
		}
		s.writeError(w, serializationError("cannot read request body: %v", err))
		return
	}

	out, err := runOperation(r.Context(), op, body)
	if err != nil {
		s.writeError(w, err)
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		s.writeError(w, fmt.Errorf("encode %s output: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// operationName extracts the operation from an X-Amz-Target value.
func operationName(target string) (string, error) {
	target = strings.TrimSpace(target)
	if target == "" {
		return "", cognito.Errorf(cognito.UnknownOperation,
			"missing X-Amz-Target header: cognito-idp operations are POST with X-Amz-Target: %s<Operation>", TargetPrefix)
	}
	name, ok := strings.CutPrefix(target, TargetPrefix)
	if !ok || name == "" {
		return target, cognito.Errorf(cognito.UnknownOperation,
			"X-Amz-Target %q does not name a cognito-idp operation: expected %s<Operation>", target, TargetPrefix)
	}
	return name, nil
}

// panicError is an operation's panic turned into an error.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// runOperation calls op, turning a panic into a *panicError.
func runOperation(ctx context.Context, op Operation, body []byte) (out any, err error) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			out, err = nil, &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return op(ctx, body)
}

// writeError renders err as an AWS error response and notes it for the
// request's log line.
func (s *server) writeError(w *recorder, err error) {
	ce, internal := asCognitoError(err)
	w.info.code = ce.Code
	if internal {
		w.info.cause = err
	}
	writeAPIError(w, statusOf(ce.Code), ce)
}
