package lambda

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func isErr(err, target error) bool { return errors.Is(err, target) }

type typedErr struct{}

func (typedErr) Error() string     { return "typed" }
func (typedErr) ErrorType() string { return "UserLambdaValidationException" }

func TestFunctionNotFound(t *testing.T) {
	h := newHost(t, Config{Functions: []Function{{Name: "declared", Runner: RunnerGo}}})
	for _, name := range []string{"nosuch", "arn:aws:lambda:us-east-1:123456789012:function:nosuch", "declared", "arn:aws:s3:::bucket"} {
		if _, _, err := invoke(t, h, name, map[string]any{}, time.Second); !isErr(err, ErrFunctionNotFound) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func TestGoRunner(t *testing.T) {
	h := newHost(t, Config{MaxResponseBytes: 100})
	h.RegisterGo("upper", func(ctx context.Context, p []byte) ([]byte, error) {
		return []byte(strings.ToUpper(string(p))), nil
	})
	h.RegisterGo("fails", func(ctx context.Context, p []byte) ([]byte, error) { return nil, errors.New("plain") })
	h.RegisterGo("typed", func(ctx context.Context, p []byte) ([]byte, error) { return nil, typedErr{} })
	h.RegisterGo("panics", func(ctx context.Context, p []byte) ([]byte, error) { panic("oops") })
	h.RegisterGo("big", func(ctx context.Context, p []byte) ([]byte, error) { return make([]byte, 101), nil })
	h.RegisterGo("blocks", func(ctx context.Context, p []byte) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() })

	res, err := h.Invoke(context.Background(), "arn:aws:lambda:us-east-1:1:function:upper:3", []byte(`"abc"`))
	if err != nil || string(res.Payload) != `"ABC"` || res.Runner != RunnerGo {
		t.Fatalf("upper: %+v %v", res, err)
	}
	res, _, err = invoke(t, h, "fails", nil, time.Second)
	wantFunctionError(t, res, err, "Error", "plain")
	res, _, err = invoke(t, h, "typed", nil, time.Second)
	wantFunctionError(t, res, err, "UserLambdaValidationException", "typed")
	res, _, err = invoke(t, h, "panics", nil, time.Second)
	wantFunctionError(t, res, err, "Runtime.GoPanic", "oops")
	_, _, err = invoke(t, h, "big", nil, time.Second)
	wantErr(t, err, ErrResponseTooLarge)
	_, _, err = invoke(t, h, "blocks", nil, 50*time.Millisecond)
	wantErr(t, err, ErrTimeout)
}

func TestConfigValidation(t *testing.T) {
	bad := []Config{
		{Functions: []Function{{Name: "x"}}},
		{Functions: []Function{{Name: "x", Runtime: "java21", Handler: "A::b"}}},
		{Functions: []Function{{Name: "x", Runtime: "nodejs20.x"}}},
		{Functions: []Function{{Name: "a:b", Runtime: "provided"}}},
		{Functions: []Function{{Name: "x", Runtime: "provided"}, {Name: "x", Runtime: "provided"}}},
		{Functions: []Function{{Name: "x", Url: "ftp://h"}}},
		{Functions: []Function{{Name: "x", Url: "http://h", Secret: "whsec_!!"}}},
		{Functions: []Function{{Name: "x", Runner: RunnerInvoke}}},
		{InvokeEndpoint: "localhost:9001"},
	}
	for i, c := range bad {
		if h, err := New(c); err == nil {
			h.Close()
			t.Errorf("config %d accepted", i)
		}
	}
}

func TestClosedHost(t *testing.T) {
	h := newHost(t, Config{})
	h.RegisterGo("f", func(context.Context, []byte) ([]byte, error) { return []byte("1"), nil })
	h.Close()
	if _, err := h.Invoke(context.Background(), "f", nil); !isErr(err, ErrInvokeFailed) {
		t.Fatalf("after Close: %v", err)
	}
}
