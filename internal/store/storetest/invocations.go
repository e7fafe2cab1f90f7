package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

func testInvocations(t *testing.T, s store.Store) {
	ctx := t.Context()
	inv := func(id, pool, trigger string, created time.Duration) cognito.Invocation {
		return cognito.Invocation{ID: id, PoolID: pool, Trigger: trigger, TriggerSource: trigger + "_SignUp",
			Function: "arn:aws:lambda:us-east-1:000000000000:function:f", Runner: "go", Attempts: 1, DurationMs: 1.5,
			Outcome: "ok", Event: json.RawMessage(`{"version":"1"}`), Response: json.RawMessage(`{"autoConfirmUser":true}`),
			Logs: []string{"hello"}, Created: at(created * time.Second)}
	}
	all := []cognito.Invocation{inv("i2", "p1", "PreSignUp", 2), inv("i1", "p1", "PostConfirmation", 1), inv("i3", "p2", "PreSignUp", 3)}
	for _, i := range all {
		must(t, s.AddInvocation(ctx, i), "AddInvocation %s", i.ID)
	}
	ids := func(f store.InvocationFilter) []string {
		t.Helper()
		got, err := s.ListInvocations(ctx, f)
		must(t, err, "ListInvocations %+v", f)
		out := []string{}
		for _, i := range got {
			out = append(out, i.ID)
		}
		return out
	}
	same(t, "all invocations", ids(store.InvocationFilter{}), []string{"i1", "i2", "i3"})
	same(t, "p1", ids(store.InvocationFilter{PoolID: "p1"}), []string{"i1", "i2"})
	same(t, "PreSignUp", ids(store.InvocationFilter{Trigger: "PreSignUp"}), []string{"i2", "i3"})
	got, _ := s.ListInvocations(ctx, store.InvocationFilter{PoolID: "p2"})
	if len(got) != 1 || got[0].Runner != "go" || string(got[0].Response) != `{"autoConfirmUser":true}` || got[0].Logs[0] != "hello" {
		t.Fatalf("invocation round trip: %+v", got)
	}
}
