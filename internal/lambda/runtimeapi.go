package lambda

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The Lambda Runtime API, as served to one process on its own listener.

func (p *proc) next(w http.ResponseWriter, r *http.Request) {
	select {
	case inv := <-p.invq:
		p.mu.Lock()
		p.cur = inv
		p.mu.Unlock()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", inv.arn)
		h.Set("Lambda-Runtime-Trace-Id", traceID())
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(inv.payload)))
		w.Write(inv.payload)
	case <-r.Context().Done():
	case <-p.exited:
	}
}

func (p *proc) response(w http.ResponseWriter, r *http.Request) {
	limit := p.f.h.maxResp
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	if err != nil {
		runtimeAPIError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	inv := p.take(r.PathValue("id"))
	if inv == nil {
		runtimeAPIError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	if len(body) > limit {
		inv.done <- outcome{tooLarge: len(body)}
		runtimeAPIError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", limit))
		return
	}
	// aws-lambda-go reports an error while streaming the body in trailers.
	if t := r.Trailer.Get("Lambda-Runtime-Function-Error-Type"); t != "" {
		b, _ := base64.StdEncoding.DecodeString(r.Trailer.Get("Lambda-Runtime-Function-Error-Body"))
		inv.done <- outcome{fnErr: parseErrorPayload(b, t)}
	} else {
		inv.done <- outcome{payload: body}
	}
	accepted(w)
}

func (p *proc) invokeError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxErrBytes))
	inv := p.take(r.PathValue("id"))
	if inv == nil {
		runtimeAPIError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return
	}
	inv.done <- outcome{fnErr: parseErrorPayload(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))}
	accepted(w)
}

func (p *proc) initError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxErrBytes))
	ep := parseErrorPayload(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))
	p.mu.Lock()
	p.initErr = ep
	p.mu.Unlock()
	accepted(w)
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

func runtimeAPIError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(errorPayload{ErrorType: typ, ErrorMessage: msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// parseErrorPayload reads {"errorType","errorMessage"}; a body of another
// shape becomes the message.
func parseErrorPayload(b []byte, typ string) *errorPayload {
	var ep errorPayload
	if err := json.Unmarshal(b, &ep); err != nil || (ep.ErrorType == "" && ep.ErrorMessage == "") {
		ep = errorPayload{ErrorMessage: strings.TrimSpace(string(b))}
	}
	if ep.ErrorType == "" {
		ep.ErrorType = typ
	}
	if ep.ErrorType == "" {
		ep.ErrorType = "Unknown"
	}
	return &ep
}

func traceID() string {
	r := strings.ReplaceAll(uuid.NewString(), "-", "")
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), r[:24], r[16:32])
}
