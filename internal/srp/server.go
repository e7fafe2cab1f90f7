package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
)

// ErrInvalidA is returned (wrapped) by ParseA for an unacceptable SRP_A.
var ErrInvalidA = errors.New("srp: invalid SRP_A")

// secretExponentLen is the byte length of the random secret exponents a
// and b (256 bits).
const secretExponentLen = 32

// ParseA parses the client's public value SRP_A: unpadded hex of either
// case, possibly of odd length. It returns an error wrapping ErrInvalidA
// when the value is empty, longer than 1024 hex digits, contains anything
// but hex digits (no sign, prefix or spaces), or is ≡ 0 mod N.
func ParseA(hexA string) (*big.Int, error) {
	a, err := parseHex(hexA)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidA, err)
	}
	if isZeroModN(a) {
		return nil, fmt.Errorf("%w: A mod N is zero", ErrInvalidA)
	}
	return a, nil
}

// isZeroModN reports whether i ≡ 0 (mod N).
func isZeroModN(i *big.Int) bool {
	return new(big.Int).Mod(i, N).Sign() == 0
}

// randomExponent returns a uniformly random non-zero 256-bit integer.
func randomExponent() (*big.Int, error) {
	buf := make([]byte, secretExponentLen)
	for {
		if _, err := rand.Read(buf); err != nil {
			return nil, err
		}
		if e := new(big.Int).SetBytes(buf); e.Sign() != 0 {
			return e, nil
		}
	}
}

// ServerChallenge is the server's half of one SRP exchange. B is sent to
// the client as SRP_B (Hex or PadHex, both are accepted by clients); PrivB
// is the secret exponent b and must stay on the server (or inside an
// encrypted SECRET_BLOCK) until VerifyClaim.
type ServerChallenge struct {
	B, PrivB *big.Int
}

// NewServerChallenge draws a random 256-bit b from crypto/rand and returns
// b with B = (k·v + g^b) mod N, redrawing in the negligible case B = 0.
// verifier is the user's (or device's) stored v.
func NewServerChallenge(verifier *big.Int) (*ServerChallenge, error) {
	for {
		b, err := randomExponent()
		if err != nil {
			return nil, err
		}
		if c := NewServerChallengeWithB(verifier, b); c.B.Sign() != 0 {
			return c, nil
		}
	}
}

// NewServerChallengeWithB returns the challenge for a caller-chosen secret
// exponent b: B = (k·v + g^b) mod N. It is deterministic and meant for test
// vectors; it does not reject B = 0.
func NewServerChallengeWithB(verifier, b *big.Int) *ServerChallenge {
	bigB := expG(b)
	kv := new(big.Int).Mul(K, verifier)
	bigB.Add(bigB, kv).Mod(bigB, N)
	return &ServerChallenge{B: bigB, PrivB: new(big.Int).Set(b)}
}

// serverSecret returns S = (A · v^u)^b mod N.
func serverSecret(a, verifier, u, b *big.Int) *big.Int {
	s := new(big.Int).Exp(verifier, u, N)
	s.Mul(s, a).Mod(s, N)
	return s.Exp(s, b, N)
}

// VerifyClaim checks a PASSWORD_CLAIM_SIGNATURE. nameForHash is the pool
// name (PoolName) or, for device SRP, the device group key; userID is
// USER_ID_FOR_SRP or the device key. A is the client's public value, B and
// b the challenge issued for it, verifier the stored v, secretBlock the raw
// (base64-decoded) SECRET_BLOCK bytes and timestamp the TIMESTAMP string
// exactly as received (validate it with ParseTimestamp first; a
// non-canonical timestamp must be rejected, not hashed in canonical form).
//
// It computes u = H(PadHex(A) ‖ PadHex(B)), S = (A·v^u)^b mod N,
// K = SessionKey(u, S) and reports whether signatureB64 (standard base64
// with padding) equals HMAC-SHA256(K, nameForHash ‖ userID ‖ secretBlock ‖
// timestamp), compared in constant time. Nil arguments, A ≡ 0 or B ≡ 0
// (mod N), u = 0 and undecodable signatures all yield false.
func VerifyClaim(nameForHash, userID string, A, B, b, verifier *big.Int, secretBlock []byte, timestamp string, signatureB64 string) bool {
	if A == nil || B == nil || b == nil || verifier == nil || A.Sign() < 0 || B.Sign() < 0 {
		return false
	}
	if isZeroModN(A) || isZeroModN(B) {
		return false
	}
	sig, err := base64.StdEncoding.DecodeString(signatureB64)
	if err != nil {
		return false
	}
	u := computeU(A, B)
	if u.Sign() == 0 {
		return false
	}
	key := SessionKey(u, serverSecret(A, verifier, u, b))
	return hmac.Equal(sig, claimSignature(key, nameForHash, userID, secretBlock, timestamp))
}
