package userpool

import (
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
)

func TestSetCredential_KeepsOtherExtraMembers(t *testing.T) {
	size := 2
	pool := &cognito.UserPool{Policies: &cognito.UserPoolPolicy{PasswordPolicy: &cognito.PasswordPolicy{PasswordHistorySize: &size}}}
	u := &cognito.User{Credential: []byte("c1"), Extra: []byte(`{"mfa":{"preferred":"TOTP"}}`)}
	for _, c := range []string{"c2", "c3", "c4"} {
		setCredential(pool, u, []byte(c))
	}
	if got := passwordHistory(u); len(got) != 2 || string(got[0]) != "c3" || string(got[1]) != "c2" {
		t.Errorf("history %q, want [c3 c2]", got)
	}
	size = 0
	setCredential(pool, u, []byte("c5"))
	if got := passwordHistory(u); got != nil {
		t.Errorf("history %q after the pool turned it off, want none", got)
	}
	if string(u.Extra) != `{"mfa":{"preferred":"TOTP"}}` {
		t.Errorf("Extra %s: other members were not kept", u.Extra)
	}
	size = 2
	for _, extra := range []string{"", "null", "not json"} {
		v := &cognito.User{Credential: []byte("c1"), Extra: []byte(extra)}
		setCredential(pool, v, []byte("c2"))
		if got := passwordHistory(v); len(got) != 1 || string(got[0]) != "c1" {
			t.Errorf("Extra %q: history %q, want [c1]", extra, got)
		}
	}
}
