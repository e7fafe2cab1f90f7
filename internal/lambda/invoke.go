package lambda

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// invokeRunner calls the Lambda Invoke API (RequestResponse).
type invokeRunner struct {
	h        *Host
	endpoint string
	client   *http.Client
	signer   *v4.Signer
}

func newInvokeRunner(h *Host, endpoint string) (*invokeRunner, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("lambda: invalid invoke endpoint %q", endpoint)
	}
	r := &invokeRunner{
		h:        h,
		endpoint: strings.TrimSuffix(endpoint, "/"),
		client:   &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
	if h.cfg.AccessKeyID != "" {
		r.signer = v4.NewSigner()
	}
	return r, nil
}

func (r *invokeRunner) close() { r.client.CloseIdleConnections() }

func (r *invokeRunner) invoke(ctx context.Context, c call) (Result, error) {
	res := Result{Runner: RunnerInvoke}
	u := r.endpoint + "/2015-03-31/functions/" + url.PathEscape(c.name) + "/invocations"
	if c.qualifier != "" {
		u += "?Qualifier=" + url.QueryEscape(c.qualifier)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(c.payload))
	if err != nil {
		return res, fmt.Errorf("%w: %v", ErrInvokeFailed, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Invocation-Type", "RequestResponse")
	req.Header.Set("X-Amz-Log-Type", "Tail")
	if r.signer != nil {
		if err := r.sign(ctx, req, c); err != nil {
			return res, fmt.Errorf("%w: signing: %v", ErrInvokeFailed, err)
		}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctxError(ctx, c.name+" via "+r.endpoint)
		}
		return res, fmt.Errorf("%w: %s: %v", ErrInvokeFailed, c.name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(r.h.maxResp)+1))
	if err != nil {
		if ctx.Err() != nil {
			return res, ctxError(ctx, c.name+" via "+r.endpoint)
		}
		return res, fmt.Errorf("%w: %s: reading response: %v", ErrInvokeFailed, c.name, err)
	}
	if lr := resp.Header.Get("X-Amz-Log-Result"); lr != "" {
		if b, err := base64.StdEncoding.DecodeString(lr); err == nil {
			res.Logs = strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		}
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return res, fmt.Errorf("%w: %s: %s", ErrFunctionNotFound, c.name, apiMessage(body, resp.Status))
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return res, fmt.Errorf("%w: %s: HTTP %d: %s", ErrInvokeFailed, c.name, resp.StatusCode, apiMessage(body, resp.Status))
	case len(body) > r.h.maxResp:
		return res, fmt.Errorf("%w: %d+ bytes (limit %d)", ErrResponseTooLarge, len(body), r.h.maxResp)
	}
	if fe := resp.Header.Get("X-Amz-Function-Error"); fe != "" {
		ep := parseErrorPayload(body, fe)
		res.FunctionError, res.ErrorType, res.ErrorMessage = true, ep.ErrorType, ep.ErrorMessage
		return res, nil
	}
	if ep, ok := errorShaped(body); ok { // the Runtime Interface Emulator sends errors as 200
		res.FunctionError, res.ErrorType, res.ErrorMessage = true, ep.ErrorType, ep.ErrorMessage
		return res, nil
	}
	res.Payload = body
	return res, nil
}

func (r *invokeRunner) sign(ctx context.Context, req *http.Request, c call) error {
	cfg := r.h.cfg
	region := cfg.Region // the ARN's region wins: the function lives there
	if p := strings.Split(c.arn, ":"); len(p) > 3 && p[3] != "" {
		region = p[3]
	}
	sum := sha256.Sum256(c.payload)
	creds := aws.Credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, SessionToken: cfg.SessionToken}
	return r.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "lambda", region, time.Now())
}

// errorShaped reports whether body is a Lambda error payload: a JSON object
// with a string errorMessage and no keys beyond an error payload's.
func errorShaped(body []byte) (*errorPayload, bool) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil, false
	}
	var msg string
	if raw, ok := m["errorMessage"]; !ok || json.Unmarshal(raw, &msg) != nil {
		return nil, false
	}
	for k := range m {
		switch k {
		case "errorMessage", "errorType", "stackTrace", "trace", "requestId", "cause":
		default:
			return nil, false
		}
	}
	ep := parseErrorPayload(b, "Unhandled")
	return ep, true
}

// apiMessage extracts an AWS API error's message ({"Message"} or {"message"}).
func apiMessage(body []byte, status string) string {
	var m struct {
		Type    string `json:"Type"`
		Message string `json:"Message"`
		Lower   string `json:"message"`
	}
	if json.Unmarshal(body, &m) == nil {
		if m.Message == "" {
			m.Message = m.Lower
		}
		if m.Message != "" {
			return m.Message
		}
	}
	if s := strings.TrimSpace(string(body)); s != "" && len(s) < 512 {
		return s
	}
	return status
}
