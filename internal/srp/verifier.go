package srp

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"math/big"
)

// SaltLen is the number of random bytes NewVerifier draws for a salt.
const SaltLen = 16

// innerHash returns SHA-256(nameForHash ‖ userID ‖ ":" ‖ password), the
// spec's "inner" value, as raw bytes.
func innerHash(nameForHash, userID, password string) []byte {
	h := sha256.New()
	h.Write([]byte(nameForHash))
	h.Write([]byte(userID))
	h.Write([]byte{':'})
	h.Write([]byte(password))
	return h.Sum(nil)
}

// computeX returns the private key x = H(PadHex(salt) ‖ inner).
func computeX(nameForHash, userID, password string, salt *big.Int) *big.Int {
	return hashInt(padBytes(salt), innerHash(nameForHash, userID, password))
}

// NewVerifier draws a random 128-bit salt from crypto/rand and returns it
// with the matching verifier for password. poolName is PoolName of the pool
// ID and username the canonical username (USER_ID_FOR_SRP). Callers store
// both values and emit the salt as PadHex(salt).
func NewVerifier(poolName, username, password string) (salt, verifier *big.Int, err error) {
	buf := make([]byte, SaltLen)
	if _, err := rand.Read(buf); err != nil {
		return nil, nil, err
	}
	salt = new(big.Int).SetBytes(buf)
	return salt, ComputeVerifier(poolName, username, password, salt), nil
}

// ComputeVerifier returns v = g^x mod N with x = H(PadHex(salt) ‖
// SHA-256(poolName ‖ username ‖ ":" ‖ password)).
func ComputeVerifier(poolName, username, password string, salt *big.Int) *big.Int {
	x := computeX(poolName, username, password, salt)
	return expG(x)
}

// DeviceVerifier returns the password verifier of a remembered device
// (api.md 6.8): the same computation as ComputeVerifier with deviceGroupKey
// in place of the pool name and deviceKey in place of the username.
// ConfirmDevice carries it as base64 of the PadHex bytes.
func DeviceVerifier(deviceGroupKey, deviceKey, randomPassword string, salt *big.Int) *big.Int {
	return ComputeVerifier(deviceGroupKey, deviceKey, randomPassword, salt)
}

// CheckPassword reports whether password matches the stored (salt,
// verifier) pair, by recomputing g^x mod N (one modular exponentiation) and
// comparing it with verifier in constant time. A nil, negative or oversized
// verifier never matches.
func CheckPassword(poolName, username, password string, salt, verifier *big.Int) bool {
	if salt == nil || verifier == nil || verifier.Sign() < 0 || verifier.BitLen() > N.BitLen() {
		return false
	}
	got := ComputeVerifier(poolName, username, password, salt)
	want := make([]byte, nBytes)
	have := make([]byte, nBytes)
	verifier.FillBytes(want)
	got.FillBytes(have)
	return subtle.ConstantTimeCompare(want, have) == 1
}
