package triggers

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/lambda"
)

func arn(name string) string { return "arn:aws:lambda:us-east-1:000000000000:function:" + name }

// newDispatcher runs functions in-process through a real lambda.Host and
// keeps the invocation log.
func newDispatcher(t *testing.T, fns map[string]lambda.GoFunc) (*Dispatcher, func() []cognito.Invocation) {
	t.Helper()
	h, err := lambda.New(lambda.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	for n, f := range fns {
		h.RegisterGo(n, f)
	}
	var mu sync.Mutex
	var log []cognito.Invocation
	d := &Dispatcher{Invoker: h, Timeout: 100 * time.Millisecond, Record: func(_ context.Context, inv cognito.Invocation) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, inv)
	}}
	return d, func() []cognito.Invocation {
		mu.Lock()
		defer mu.Unlock()
		return append([]cognito.Invocation(nil), log...)
	}
}

type fnErr struct{ msg string }

func (e fnErr) Error() string { return e.msg }

func TestInvocationRules(t *testing.T) {
	reply := func(b string) lambda.GoFunc {
		return func(context.Context, []byte) ([]byte, error) { return []byte(b), nil }
	}
	for _, tc := range []struct {
		name     string
		fn       lambda.GoFunc
		code     string
		message  string
		attempts int
	}{
		{"function error keeps the message and adds a period", func(context.Context, []byte) ([]byte, error) { return nil, fnErr{"Sign-ups are closed"} },
			cognito.UserLambdaValidation, "PreSignUp failed with error Sign-ups are closed.", 1},
		{"message ending in a period gets a second one", func(context.Context, []byte) ([]byte, error) { return nil, fnErr{"Not allowed."} },
			cognito.UserLambdaValidation, "PreSignUp failed with error Not allowed..", 1},
		{"timeouts are retried three times", func(ctx context.Context, _ []byte) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() },
			cognito.UnexpectedLambda, "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.", 3},
		{"not JSON", reply("hello"), cognito.InvalidLambdaResponse, "Invalid lambda function output : Invalid JSON", 1},
		{"null", reply("null"), cognito.InvalidLambdaResponse, "Unrecognizable lambda output", 1},
		{"array", reply("[1]"), cognito.InvalidLambdaResponse, "Invalid lambda function output : Invalid JSON", 1},
		{"wrong member type", reply(`{"response":{"autoConfirmUser":"yes"}}`), cognito.InvalidLambdaResponse, "", 1},
		{"auto verify without auto confirm", reply(`{"response":{"autoVerifyEmail":true}}`), cognito.InvalidLambdaResponse,
			"Phone or email cannot be auto verified, when user is not being auto confirmed.", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, log := newDispatcher(t, map[string]lambda.GoFunc{"f": tc.fn})
			c := Caller{PoolID: "us-east-1_abc", Region: "us-east-1", ClientID: "client", Config: &cognito.LambdaConfig{PreSignUp: arn("f")}}
			_, err := d.PreSignUp(context.Background(), c, "PreSignUp_SignUp", "alice", map[string]string{"email": "a@b.c"}, nil, nil)
			var ce *cognito.Error
			if !errors.As(err, &ce) || ce.Code != tc.code || (tc.message != "" && ce.Message != tc.message) {
				t.Fatalf("error %v, want %s %q", err, tc.code, tc.message)
			}
			invs := log()
			if len(invs) != 1 || invs[0].Attempts != tc.attempts || invs[0].Outcome != tc.code {
				t.Fatalf("invocation log %+v, want 1 record with %d attempts", invs, tc.attempts)
			}
		})
	}
}

func TestPreSignUp_EventShapeAndResponse(t *testing.T) {
	var got map[string]any
	d, log := newDispatcher(t, map[string]lambda.GoFunc{"f": func(_ context.Context, p []byte) ([]byte, error) {
		json.Unmarshal(p, &got)
		got["response"] = map[string]any{"autoConfirmUser": true, "autoVerifyEmail": true}
		return json.Marshal(got)
	}})
	c := Caller{PoolID: "us-east-1_abc", Region: "us-east-1", Config: &cognito.LambdaConfig{PreSignUp: arn("f")}}
	r, err := d.PreSignUp(context.Background(), c, "PreSignUp_SignUp", "alice", map[string]string{"email": "a@b.c"}, nil, map[string]string{"k": "v"})
	if err != nil || !r.AutoConfirmUser || !r.AutoVerifyEmail {
		t.Fatalf("result %+v, %v", r, err)
	}
	if got["version"] != "1" || got["triggerSource"] != "PreSignUp_SignUp" || got["userName"] != "alice" || got["region"] != "us-east-1" {
		t.Fatalf("envelope %v", got)
	}
	if got["callerContext"].(map[string]any)["clientId"] != NotApplicable {
		t.Fatalf("callerContext %v", got["callerContext"])
	}
	req := got["request"].(map[string]any)
	if req["validationData"] != nil || req["clientMetadata"].(map[string]any)["k"] != "v" {
		t.Fatalf("request %v", req)
	}
	if inv := log()[0]; inv.Outcome != "ok" || inv.Runner != "go" || inv.TriggerSource != "PreSignUp_SignUp" {
		t.Fatalf("record %+v", inv)
	}
}

func TestUserMigration_PasswordNeverRecorded(t *testing.T) {
	d, log := newDispatcher(t, map[string]lambda.GoFunc{"m": func(_ context.Context, p []byte) ([]byte, error) {
		var ev map[string]any
		json.Unmarshal(p, &ev)
		ev["response"] = map[string]any{"userAttributes": map[string]any{"email": "bob@example.com"}, "finalUserStatus": "CONFIRMED"}
		return json.Marshal(ev)
	}})
	c := Caller{PoolID: "us-east-1_abc", Config: &cognito.LambdaConfig{UserMigration: arn("m")}}
	m, err := d.UserMigration(context.Background(), c, "UserMigration_Authentication", "bob", "Hunter2!secret", nil, nil)
	if err != nil || m.FinalUserStatus != "CONFIRMED" || m.UserAttributes["email"] != "bob@example.com" {
		t.Fatalf("migration %+v %v", m, err)
	}
	if ev := string(log()[0].Event); !json.Valid([]byte(ev)) || contains(ev, "Hunter2") {
		t.Fatalf("recorded event leaks the password: %s", ev)
	}
}

func contains(s, sub string) bool {
	return len(sub) > 0 && len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestTokenOverride_Apply(t *testing.T) {
	role := "arn:aws:iam::000000000000:role/admin"
	for _, tc := range []struct {
		name       string
		o          TokenOverride
		id, access map[string]any
		wantID     map[string]any
		wantAccess map[string]any
	}{
		{"add and suppress; protected claims untouched",
			TokenOverride{IDAdd: map[string]any{"tier": "gold", "sub": "x", "cognito:username": "x"}, IDSuppress: []string{"email", "iss"},
				AccessAdd: map[string]any{"tenant": "t1", "aud": "other"}},
			map[string]any{"sub": "s", "iss": "i", "email": "e", "cognito:username": "u"}, map[string]any{"sub": "s", "scope": "aws.cognito.signin.user.admin"},
			map[string]any{"sub": "s", "iss": "i", "tier": "gold", "cognito:username": "u"}, map[string]any{"sub": "s", "tenant": "t1", "scope": "aws.cognito.signin.user.admin"}},
		{"suppression beats addition",
			TokenOverride{IDAdd: map[string]any{"x": "1"}, IDSuppress: []string{"x"}},
			map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}},
		{"scopes added and suppressed",
			TokenOverride{ScopesAdd: []string{"api/read"}, ScopesSuppress: []string{"aws.cognito.signin.user.admin"}},
			map[string]any{}, map[string]any{"scope": "aws.cognito.signin.user.admin"}, map[string]any{}, map[string]any{"scope": "api/read"}},
		{"group override replaces groups in both tokens",
			TokenOverride{ReplaceGroups: true, Groups: Groups{GroupsToOverride: []string{"admins"}, IamRolesToOverride: []string{role}, PreferredRole: &role}},
			map[string]any{"cognito:groups": []string{"users"}}, map[string]any{"cognito:groups": []string{"users"}},
			map[string]any{"cognito:groups": []string{"admins"}, "cognito:roles": []string{role}, "cognito:preferred_role": role}, map[string]any{"cognito:groups": []string{"admins"}}},
		{"empty group override suppresses groups",
			TokenOverride{ReplaceGroups: true},
			map[string]any{"cognito:groups": []string{"users"}, "cognito:roles": []string{role}}, map[string]any{"cognito:groups": []string{"users"}},
			map[string]any{}, map[string]any{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Apply(tc.id, tc.access, "client")
			a, _ := json.Marshal(tc.id)
			b, _ := json.Marshal(tc.wantID)
			c, _ := json.Marshal(tc.access)
			d, _ := json.Marshal(tc.wantAccess)
			if string(a) != string(b) || string(c) != string(d) {
				t.Fatalf("id %s want %s; access %s want %s", a, b, c, d)
			}
		})
	}
}
