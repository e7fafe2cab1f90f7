package lambda

import (
	"context"
	"testing"
)

func BenchmarkNodeWarmInvoke(b *testing.B) {
	need(b, "node")
	h := newHost(b, Config{Functions: []Function{
		{Name: "esm", Runtime: "nodejs20.x", Handler: "index.handler", CodeUri: "node-esm"}}})
	ctx := context.Background()
	payload := []byte(`{"action":"pid"}`)
	if _, err := h.Invoke(ctx, "esm", payload); err != nil { // start the process
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := h.Invoke(ctx, "esm", payload)
		if err != nil || res.FunctionError {
			b.Fatal(err, res.ErrorMessage)
		}
	}
}
