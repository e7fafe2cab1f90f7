// Package srp owns Amazon Cognito's SRP-6a math: the group constants, the
// bit-exact integer encodings, password verifiers, the server side of the
// USER_SRP_AUTH / DEVICE_SRP_AUTH challenge and a client that signs in the
// way amazon-cognito-identity-js does (used by tests and benchmarks).
//
// Everything here is a pure function of its inputs (plus crypto/rand where a
// function says it draws randomness). The package performs no I/O and
// imports nothing from this module.
//
// Integers that enter a hash are always serialised with PadHex semantics
// (minimal two's-complement big-endian bytes, as Java's
// BigInteger.toByteArray), which is what Cognito and its clients do.
package srp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// nHex is the RFC 3526 3072-bit MODP prime used by Cognito.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// Group parameters. They are shared package state and must never be
// modified; pass them only to functions that treat their arguments as
// read-only (all of math/big does for operands).
var (
	// N is the 3072-bit safe prime modulus (RFC 3526 group 15).
	N = mustParseHex(nHex)
	// G is the generator, 2.
	G = big.NewInt(2)
	// K is the SRP-6a multiplier k = H(PadHex(N) ‖ PadHex(g)) read as a
	// big-endian integer. (Not to be confused with the session key, which
	// SessionKey derives.)
	K = hashInt(padBytes(N), padBytes(G))
)

// nBytes is the byte length of N, used for fixed-width comparisons.
var nBytes = (N.BitLen() + 7) / 8

// derivedKeyInfo is the HKDF info string Cognito uses.
const derivedKeyInfo = "Caldera Derived Key"

// SessionKeyLen is the length in bytes of the key returned by SessionKey.
const SessionKeyLen = 16

// maxHexDigits bounds every hex integer accepted from the outside world,
// so that a peer cannot make us exponentiate huge numbers. N has 768 digits.
const maxHexDigits = 1024

// errInvalidHex reports hex input that is empty, too long or not hex.
var errInvalidHex = errors.New("srp: invalid hex integer")

func mustParseHex(s string) *big.Int {
	i, err := parseHex(s)
	if err != nil {
		panic(err)
	}
	return i
}

// parseHex parses an unpadded, case-insensitive hex integer of at most
// maxHexDigits digits. Signs, "0x" prefixes, underscores and spaces are
// rejected (big.Int.SetString alone would accept a sign).
func parseHex(s string) (*big.Int, error) {
	if s == "" || len(s) > maxHexDigits {
		return nil, fmt.Errorf("%w: %d digits", errInvalidHex, len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return nil, fmt.Errorf("%w: unexpected character %q", errInvalidHex, c)
		}
	}
	i, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return nil, errInvalidHex
	}
	return i, nil
}

// Hex returns the minimal lowercase hex form of a non-negative integer
// without a "0x" prefix ("0" for zero). This is how the JS client sends
// SRP_A and how SRP_B may be emitted.
func Hex(i *big.Int) string {
	return i.Text(16)
}

// PadHex returns the hex form of a non-negative integer i as Cognito hashes
// it: Hex(i), prefixed with "0" when its length is odd, or with "00" when it
// is even and starts with a digit 8-f. The result always has even length and
// decodes to Java's BigInteger.toByteArray of i. Examples: 20 → "14",
// 200 → "00c8", 0xABC → "0abc".
func PadHex(i *big.Int) string {
	return hex.EncodeToString(padBytes(i))
}

// padBytes is the byte form of PadHex: the minimal big-endian bytes of i
// with a leading zero byte when the top bit is set ([0] for zero).
func padBytes(i *big.Int) []byte {
	b := i.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// hashInt is SHA-256 over the concatenated parts, read as a big-endian
// unsigned integer (the spec's int(hexHash(...))).
func hashInt(parts ...[]byte) *big.Int {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return new(big.Int).SetBytes(h.Sum(nil))
}

// PoolName returns the part of a user pool ID after the first "_"
// ("us-east-1_AbCdEfGhI" → "AbCdEfGhI"), which is the name Cognito mixes
// into x. It returns "" when the ID contains no "_".
func PoolName(userPoolID string) string {
	_, name, _ := strings.Cut(userPoolID, "_")
	return name
}

// SessionKey derives Cognito's 16-byte session key from the scrambler u and
// the shared secret S: HKDF-SHA256 with salt PadHex(u), input key material
// PadHex(S), info "Caldera Derived Key", one output block truncated to
// SessionKeyLen bytes.
func SessionKey(u, s *big.Int) []byte {
	extract := hmac.New(sha256.New, padBytes(u))
	extract.Write(padBytes(s))
	prk := extract.Sum(nil)

	expand := hmac.New(sha256.New, prk)
	expand.Write([]byte(derivedKeyInfo))
	expand.Write([]byte{1})
	return expand.Sum(nil)[:SessionKeyLen]
}

// claimSignature returns the raw PASSWORD_CLAIM_SIGNATURE MAC:
// HMAC-SHA256(key, nameForHash ‖ userID ‖ secretBlock ‖ timestamp).
func claimSignature(key []byte, nameForHash, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(nameForHash))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// computeU returns the scrambler u = H(PadHex(A) ‖ PadHex(B)).
func computeU(a, b *big.Int) *big.Int {
	return hashInt(padBytes(a), padBytes(b))
}
