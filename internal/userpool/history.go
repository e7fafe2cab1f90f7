package userpool

import (
	"encoding/json"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// Password history (PasswordPolicy.PasswordHistorySize, api.md §3.8).
//
// [?] decision: with a history size of n, a new password may match neither
// the current password nor the n-1 before it ("n previous passwords"
// counting the one in use; an administrator's reset, which leaves none in
// use, does not take a place). Earlier credentials are kept sealed, like the
// current one, in the user's Extra, and only while the pool asks for a
// history: a pool that turns it on starts counting from the current
// password.

// historyKey is the member of cognito.User.Extra (a JSON object that other
// features share) holding earlier sealed credentials, newest first.
const historyKey = "passwordHistory"

func passwordHistory(u *cognito.User) [][]byte {
	var x map[string]json.RawMessage
	var h [][]byte
	if json.Unmarshal(u.Extra, &x) == nil {
		_ = json.Unmarshal(x[historyKey], &h) // absent or unreadable: nothing kept
	}
	return h
}

// setPasswordHistory replaces the history in u.Extra, leaving the other
// members alone.
func setPasswordHistory(u *cognito.User, h [][]byte) {
	var x map[string]json.RawMessage
	_ = json.Unmarshal(u.Extra, &x)
	if x == nil {
		x = map[string]json.RawMessage{}
	}
	if len(h) == 0 {
		if _, ok := x[historyKey]; !ok {
			return
		}
		delete(x, historyKey)
	} else {
		x[historyKey], _ = json.Marshal(h)
	}
	u.Extra, _ = json.Marshal(x)
}

// historySize is how many passwords, the current one included, a new
// password must differ from (0: any).
func historySize(pool *cognito.UserPool) int {
	if h := pool.Password().PasswordHistorySize; h != nil {
		return *h
	}
	return 0
}

var errPasswordInHistory = cognito.Errorf(cognito.PasswordHistoryViolation,
	"The password has been used before; choose one that does not match any of your previous passwords.")

// checkHistory refuses pw with PasswordHistoryPolicyViolationException when
// it matches one of the passwords u's pool remembers.
func (s *Service) checkHistory(pool *cognito.UserPool, u *cognito.User, pw string) error {
	n := historySize(pool)
	if n == 0 {
		return nil
	}
	var creds [][]byte
	if len(u.Credential) > 0 {
		creds = append(creds, u.Credential)
	}
	creds = append(creds, passwordHistory(u)...)
	for i, cred := range creds {
		if i == n {
			break
		}
		old := *u
		old.Credential = cred
		same, err := s.passwordMatches(&old, pw)
		if err != nil {
			return err
		}
		if same {
			return errPasswordInHistory
		}
	}
	return nil
}

// setCredential gives u the new sealed credential (nil: none, as when an
// administrator resets the password), remembering the one it replaces as
// far as the pool's history reaches.
func setCredential(pool *cognito.UserPool, u *cognito.User, cred []byte) {
	var h [][]byte
	if keep := historySize(pool); keep > 0 {
		h = passwordHistory(u)
		if len(u.Credential) > 0 {
			h = append([][]byte{u.Credential}, h...)
		}
		h = h[:min(len(h), keep)]
	}
	setPasswordHistory(u, h)
	u.Credential = cred
}
