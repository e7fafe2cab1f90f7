package api

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/google/uuid"
	"github.com/tarn-idp/tarn/internal/cognito"
)

// requestInfo is what the request's log line reports.
type requestInfo struct {
	id    string
	start time.Time
	op    string // operation name, or the path of a GET endpoint
	code  string // the error's exception name, when the response is an error
	cause error  // the real error behind an internal one
}

// recorder remembers the status written and carries the request's info.
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
	info   requestInfo
}

func (w *recorder) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// info returns the request info of a writer passed down by ServeHTTP, or a
// throwaway one.
func info(w http.ResponseWriter) *requestInfo {
	if rec, ok := w.(*recorder); ok {
		return &rec.info
	}
	return &requestInfo{}
}

// begin gives the request its id and starts its clock.
func begin(w http.ResponseWriter, r *http.Request) *recorder {
	rec := &recorder{ResponseWriter: w, status: http.StatusOK, info: requestInfo{id: uuid.NewString(), start: time.Now(), op: r.URL.Path}}
	rec.Header().Set("x-amzn-RequestId", rec.info.id)
	return rec
}

// finish recovers a panic that escaped the handlers (answering 500 if
// nothing was written yet) and logs the request's one line:
//
//	msg=request op=SignUp status=400 ms=1.234 request_id=… error=UsernameExistsException
func (s *server) finish(w *recorder, r *http.Request) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		w.info.cause = &panicError{value: v, stack: debug.Stack()}
		w.info.code = cognito.InternalError
		if !w.wrote {
			writeAPIError(w, http.StatusInternalServerError, cognito.Errorf(cognito.InternalError, internalMessage))
		}
	}
	in := &w.info
	ms := float64(time.Since(in.start).Microseconds()) / 1000
	attrs := []slog.Attr{
		slog.String("op", in.op),
		slog.Int("status", w.status),
		slog.Float64("ms", math.Round(ms*1000)/1000),
		slog.String("request_id", in.id),
	}
	if in.code != "" {
		attrs = append(attrs, slog.String("error", in.code))
	}
	level := slog.LevelInfo
	if in.cause != nil {
		attrs = append(attrs, slog.String("cause", in.cause.Error()))
		var p *panicError
		if errors.As(in.cause, &p) && p.stack != nil {
			attrs = append(attrs, slog.String("stack", string(p.stack)))
		}
	}
	if w.status >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}
