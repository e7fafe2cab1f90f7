package userpool

import (
	"crypto/rand"
	"encoding/json"
	"math/big"
	"strings"
	"unicode"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/srp"
)

// passwordSymbols are the characters Cognito counts as symbols (api.md §3.8).
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// checkPassword applies the pool's password policy; the error is an
// InvalidPasswordException naming the first unmet rule.
func checkPassword(pool *cognito.UserPool, pw string) error {
	p := pool.Password()
	fail := func(why string) error {
		return cognito.Errorf(cognito.InvalidPassword, "Password did not conform with policy: %s", why)
	}
	if len([]rune(pw)) < p.MinimumLength {
		return fail("Password not long enough")
	}
	if len(pw) > 256 {
		return fail("Password is too long")
	}
	var upper, lower, digit, symbol bool
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	switch {
	case p.RequireUppercase && !upper:
		return fail("Password must have uppercase characters")
	case p.RequireLowercase && !lower:
		return fail("Password must have lowercase characters")
	case p.RequireNumbers && !digit:
		return fail("Password must have numeric characters")
	case p.RequireSymbols && !symbol:
		return fail("Password must have symbol characters")
	}
	if strings.TrimFunc(pw, unicode.IsSpace) != pw {
		return fail("Password must not begin or end with whitespace")
	}
	return nil
}

// credential is the SRP salt and verifier of a user's password, kept sealed
// with the server key (DESIGN.md "Secrets").
type credential struct {
	Salt     string `json:"s"` // hex
	Verifier string `json:"v"` // hex
}

func credentialAD(poolID, username string) string { return "credential:" + poolID + "/" + username }

// sealPassword computes the user's SRP verifier for pw and seals it.
func (s *Service) sealPassword(poolID, username, pw string) ([]byte, error) {
	salt, v, err := srp.NewVerifier(srp.PoolName(poolID), username, pw)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(credential{Salt: srp.PadHex(salt), Verifier: srp.Hex(v)})
	return s.sealer.Seal(b, credentialAD(poolID, username)), nil
}

// openCredential returns the user's salt and verifier (ok false when the
// user has no password).
func (s *Service) openCredential(u *cognito.User) (salt, verifier *big.Int, ok bool, err error) {
	if len(u.Credential) == 0 {
		return nil, nil, false, nil
	}
	b, err := s.sealer.Open(u.Credential, credentialAD(u.PoolID, u.Username))
	if err != nil {
		return nil, nil, false, err
	}
	var c credential
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, nil, false, err
	}
	salt, ok1 := new(big.Int).SetString(c.Salt, 16)
	verifier, ok2 := new(big.Int).SetString(c.Verifier, 16)
	if !ok1 || !ok2 {
		return nil, nil, false, cognito.Errorf(cognito.InternalError, "corrupt credential")
	}
	return salt, verifier, true, nil
}

// passwordMatches checks pw against the user's verifier.
func (s *Service) passwordMatches(u *cognito.User, pw string) (bool, error) {
	salt, v, ok, err := s.openCredential(u)
	if err != nil || !ok {
		return false, err
	}
	return srp.CheckPassword(srp.PoolName(u.PoolID), u.Username, pw, salt, v), nil
}

// temporaryPassword generates a password that satisfies the pool policy.
func temporaryPassword(pool *cognito.UserPool) string {
	const (
		up  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lo  = "abcdefghijkmnopqrstuvwxyz"
		dig = "23456789"
		sym = "!#%&*+-=?^_~"
	)
	n := pool.Password().MinimumLength
	if n < 12 {
		n = 12
	}
	b := []byte{pick(up), pick(lo), pick(dig), pick(sym)}
	for len(b) < n {
		b = append(b, pick(up+lo+dig))
	}
	// Shuffle so the required classes are not always first.
	for i := len(b) - 1; i > 0; i-- {
		j, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		b[i], b[j.Int64()] = b[j.Int64()], b[i]
	}
	return string(b)
}

func pick(alphabet string) byte {
	i, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
	return alphabet[i.Int64()]
}
