package lambda

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestWebhookRunner(t *testing.T) {
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := VerifyWebhook(secret, r.Header, body, time.Now()); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(err.Error()))
			return
		}
		var ev map[string]any
		if json.Unmarshal(body, &ev) != nil || r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if ev["deny"] == true {
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"errorMessage":"denied by hook"}`))
			return
		}
		ev["hooked"] = true
		json.NewEncoder(w).Encode(ev)
	}))
	defer srv.Close()

	h := newHost(t, Config{Functions: []Function{
		{Name: "hook", Url: srv.URL, Secret: secret},
		{Name: "wrongsecret", Runner: RunnerWebhook, Url: srv.URL, Secret: "raw-but-wrong"},
	}})
	res, out, err := invoke(t, h, "arn:aws:lambda:us-east-1:1:function:hook", map[string]any{"x": 1}, 5*time.Second)
	if err != nil || out["hooked"] != true || out["x"] != float64(1) || res.Runner != RunnerWebhook {
		t.Fatalf("hook: %+v %v", res, err)
	}
	res, _, err = invoke(t, h, "hook", map[string]any{"deny": true}, 5*time.Second)
	wantFunctionError(t, res, err, "Error", "denied by hook")
	_, _, err = invoke(t, h, "wrongsecret", map[string]any{}, 5*time.Second)
	wantErr(t, err, ErrInvokeFailed)
}

func TestVerifyWebhook(t *testing.T) {
	key := []byte("raw secret")
	body := []byte(`{"a":1}`)
	now := time.Unix(1_700_000_000, 0)
	hdr := http.Header{}
	hdr.Set("webhook-id", "msg_1")
	hdr.Set("webhook-timestamp", "1700000000")
	hdr.Set("webhook-signature", "v1,bogus "+webhookSign(key, "msg_1", "1700000000", body))
	if err := VerifyWebhook("raw secret", hdr, body, now); err != nil {
		t.Fatalf("valid signature rejected: %v", err)
	}
	for name, check := range map[string]func() error{
		"wrong secret": func() error { return VerifyWebhook("other", hdr, body, now) },
		"tampered":     func() error { return VerifyWebhook("raw secret", hdr, []byte(`{"a":2}`), now) },
		"stale":        func() error { return VerifyWebhook("raw secret", hdr, body, now.Add(6*time.Minute)) },
		"no headers":   func() error { return VerifyWebhook("raw secret", http.Header{}, body, now) },
	} {
		if err := check(); !isErr(err, ErrWebhookSignature) {
			t.Errorf("%s: error %v", name, err)
		}
	}
	// Standard Webhooks' published test vector.
	std := http.Header{}
	std.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
	std.Set("webhook-timestamp", "1614265330")
	std.Set("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	if err := VerifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", std, []byte(`{"test": 2432232314}`), time.Unix(1614265330, 0)); err != nil {
		t.Fatalf("Standard Webhooks test vector: %v", err)
	}
}
