package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// testConcurrentCreateSameKeyID: scheduled key rotation on several nodes
// relies on CreateKey admitting one of many concurrent creations of one key
// ID (tokens.Service.RotateDue derives the ID from the key it succeeds).
func testConcurrentCreateSameKeyID(t *testing.T, s store.Store) {
	ctx := t.Context()
	errs := race(func(i int) error {
		return s.CreateKey(ctx, cognito.Key{ID: "successor", PoolID: "p1", Use: "id",
			Material: []byte(fmt.Sprintf("m%d", i)), Public: []byte("pub")})
	})
	created := 0
	for i, err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, store.ErrAlreadyExists):
			t.Errorf("CreateKey %d: %v, want nil or ErrAlreadyExists", i, err)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d concurrent CreateKey of one id succeeded", created, workers)
	}
	keys, err := s.ListKeys(ctx, "p1", "id")
	must(t, err, "ListKeys")
	if len(keys) != 1 {
		t.Fatalf("ListKeys lists %d keys, want 1", len(keys))
	}
}
