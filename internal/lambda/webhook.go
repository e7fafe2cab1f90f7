package lambda

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ErrWebhookSignature is returned by VerifyWebhook for a missing, stale or
// wrong signature.
var ErrWebhookSignature = errors.New("lambda: webhook signature verification failed")

// WebhookTolerance is how far webhook-timestamp may be from now.
const WebhookTolerance = 5 * time.Minute

// webhookRunner POSTs the payload, signed as Standard Webhooks; the
// response body is the function's result.
type webhookRunner struct {
	h      *Host
	url    string
	key    []byte
	client *http.Client
}

func newWebhookRunner(h *Host, fn Function) (*webhookRunner, error) {
	u, err := url.Parse(fn.Url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid webhook Url %q", fn.Url)
	}
	key, err := webhookKey(fn.Secret)
	if err != nil {
		return nil, err
	}
	return &webhookRunner{
		h:      h,
		url:    fn.Url,
		key:    key,
		client: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}, nil
}

// webhookKey decodes a "whsec_<base64>" secret; any other secret is used
// as raw bytes.
func webhookKey(secret string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(secret, "whsec_"); ok {
		k, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return nil, fmt.Errorf("webhook Secret: invalid whsec_ base64: %v", err)
		}
		return k, nil
	}
	return []byte(secret), nil
}

func webhookSign(key []byte, id, ts string, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func (w *webhookRunner) close() { w.client.CloseIdleConnections() }

func (w *webhookRunner) invoke(ctx context.Context, c call) (Result, error) {
	res := Result{Runner: RunnerWebhook}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(c.payload))
	if err != nil {
		return res, fmt.Errorf("%w: %v", ErrInvokeFailed, err)
	}
	id := uuid.NewString()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", webhookSign(w.key, id, ts, c.payload))
	resp, err := w.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return res, ctxError(ctx, c.name+" webhook")
		}
		return res, fmt.Errorf("%w: %s: %v", ErrInvokeFailed, c.name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(w.h.maxResp)+1))
	if err != nil {
		if ctx.Err() != nil {
			return res, ctxError(ctx, c.name+" webhook")
		}
		return res, fmt.Errorf("%w: %s: reading response: %v", ErrInvokeFailed, c.name, err)
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		if len(body) > w.h.maxResp {
			return res, fmt.Errorf("%w: %d+ bytes (limit %d)", ErrResponseTooLarge, len(body), w.h.maxResp)
		}
		res.Payload = body
		return res, nil
	case resp.StatusCode >= 400 && resp.StatusCode <= 499:
		if ep, ok := errorShaped(body); ok {
			res.FunctionError, res.ErrorType, res.ErrorMessage = true, ep.ErrorType, ep.ErrorMessage
			if ep.ErrorType == "Unhandled" {
				res.ErrorType = "Error"
			}
			return res, nil
		}
	}
	return res, fmt.Errorf("%w: %s: webhook answered HTTP %d: %s", ErrInvokeFailed, c.name, resp.StatusCode, apiMessage(body, resp.Status))
}

// VerifyWebhook checks a request signed by the webhook runner (Standard
// Webhooks): the webhook-id, webhook-timestamp (within WebhookTolerance of
// now) and one v1 signature in webhook-signature matching
// HMAC-SHA256(secret, id.timestamp.body). secret is as in Function.Secret.
func VerifyWebhook(secret string, headers http.Header, body []byte, now time.Time) error {
	key, err := webhookKey(secret)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWebhookSignature, err)
	}
	id, ts, sigs := headers.Get("webhook-id"), headers.Get("webhook-timestamp"), headers.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return fmt.Errorf("%w: missing webhook headers", ErrWebhookSignature)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: invalid webhook-timestamp", ErrWebhookSignature)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > WebhookTolerance || d < -WebhookTolerance {
		return fmt.Errorf("%w: timestamp outside tolerance", ErrWebhookSignature)
	}
	want := webhookSign(key, id, ts, body)
	for _, s := range strings.Fields(sigs) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return fmt.Errorf("%w: no matching signature", ErrWebhookSignature)
}
