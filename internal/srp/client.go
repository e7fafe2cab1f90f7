package srp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
)

// Client is the user side of one SRP exchange, mirroring
// amazon-cognito-identity-js AuthenticationHelper. It holds the secret
// exponent a and the public value A = g^a mod N. It exists so tests and
// benchmarks can sign in the way real clients do.
type Client struct {
	a    *big.Int // secret exponent
	bigA *big.Int // public value g^a mod N
}

// NewClient returns a client with a random 256-bit secret exponent from
// crypto/rand, redrawing in the negligible case A ≡ 0 (mod N).
func NewClient() (*Client, error) {
	for {
		a, err := randomExponent()
		if err != nil {
			return nil, err
		}
		if c := NewClientWithA(a); c.bigA.Sign() != 0 {
			return c, nil
		}
	}
}

// NewClientWithA returns a client with a caller-chosen secret exponent a.
// It is deterministic and meant for test vectors.
func NewClientWithA(a *big.Int) *Client {
	return &Client{
		a:    new(big.Int).Set(a),
		bigA: expG(a),
	}
}

// AHex returns SRP_A as the JS client sends it: minimal lowercase hex of A.
func (c *Client) AHex() string {
	return Hex(c.bigA)
}

// Signature computes PASSWORD_CLAIM_SIGNATURE (standard base64) for the
// PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge. nameForHash is
// the pool name (PoolName) or device group key, userID is USER_ID_FOR_SRP
// or the device key, password the user's password or the device's random
// password; saltHex, srpBHex and secretBlockB64 are SALT, SRP_B and
// SECRET_BLOCK as received and timestamp the TIMESTAMP to send.
//
// It computes x = H(PadHex(salt) ‖ SHA-256(nameForHash ‖ userID ‖ ":" ‖
// password)), u = H(PadHex(A) ‖ PadHex(B)), S = (B − k·g^x)^(a + u·x) mod N
// and K = SessionKey(u, S), and returns Base64(HMAC-SHA256(K, nameForHash ‖
// userID ‖ secretBlock ‖ timestamp)). Like the JS client it fails when
// B ≡ 0 (mod N) or u = 0, and also on malformed hex or base64.
func (c *Client) Signature(nameForHash, userID, password, saltHex, srpBHex string, secretBlockB64 string, timestamp string) (string, error) {
	bigB, err := parseHex(srpBHex)
	if err != nil {
		return "", fmt.Errorf("srp: SRP_B: %w", err)
	}
	if isZeroModN(bigB) {
		return "", errors.New("srp: SRP_B mod N is zero")
	}
	salt, err := parseHex(saltHex)
	if err != nil {
		return "", fmt.Errorf("srp: SALT: %w", err)
	}
	secretBlock, err := base64.StdEncoding.DecodeString(secretBlockB64)
	if err != nil {
		return "", fmt.Errorf("srp: SECRET_BLOCK: %w", err)
	}
	u := computeU(c.bigA, bigB)
	if u.Sign() == 0 {
		return "", errors.New("srp: u is zero")
	}
	x := computeX(nameForHash, userID, password, salt)
	key := SessionKey(u, c.secret(bigB, x, u))
	return base64.StdEncoding.EncodeToString(claimSignature(key, nameForHash, userID, secretBlock, timestamp)), nil
}

// secret returns the client's S = (B − k·g^x)^(a + u·x) mod N, with the
// base reduced into [0, N) first.
func (c *Client) secret(bigB, x, u *big.Int) *big.Int {
	base := expG(x)
	base.Mul(base, K)
	base.Sub(bigB, base).Mod(base, N)
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, c.a)
	return base.Exp(base, exp, N)
}
