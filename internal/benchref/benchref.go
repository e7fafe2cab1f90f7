// Package benchref measures the references tarn's login benchmarks report
// against, in the same run as the login they are compared with, so that a
// figure holds when the machine's speed varies from run to run (on the
// 2-core VMs tarn is built on, by up to 3× between days, and by 60% when
// the other core is busy). Only benchmarks use it.
//
// The reference is a login's floor: the cryptography that login cannot do
// without, done with the same libraries tarn uses, in a tight loop. A
// login's server CPU divided by its floor is what tarn adds around the
// maths (HTTP, JSON, the store, logging, the Go runtime). The floor's
// first part, one RSA-2048 PKCS #1 v1.5 SHA-256 signature with crypto/rsa
// (every login makes two: the ID and the access token), is also a unit of
// its own.
package benchref

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"time"

	"github.com/tarn-idp/tarn/internal/srp"
)

// timeSigns returns the time of one signature with key, averaged over n.
func timeSigns(key *rsa.PrivateKey, n int) (time.Duration, error) {
	digest := sha256.Sum256([]byte("header.payload"))
	start := time.Now()
	for range n {
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / time.Duration(n), nil
}

// Floor holds the per-operation times of the cryptography a login cannot
// skip.
type Floor struct {
	// Sign is one token signature (RSA-2048, crypto/rsa).
	Sign time.Duration
	// Password is checking a password against the stored SRP verifier:
	// g^x mod N (srp.CheckPassword), what USER_PASSWORD_AUTH does.
	Password time.Duration
	// SRP is the server's half of USER_SRP_AUTH: B = k·v + g^b for the
	// challenge, then S = (A·v^u)^b mod N and the claim's HMAC for the
	// answer (srp.NewServerChallenge and srp.VerifyClaim).
	SRP time.Duration
}

// PasswordLogin is the floor of a USER_PASSWORD_AUTH login.
func (f Floor) PasswordLogin() time.Duration { return 2*f.Sign + f.Password }

// SRPLogin is the floor of a USER_SRP_AUTH login (both requests).
func (f Floor) SRPLogin() time.Duration { return 2*f.Sign + f.SRP }

// Fixture is the keys and values MeasureFloor works on, made once.
type Fixture struct {
	key            *rsa.PrivateKey
	salt, verifier *big.Int
	a              *big.Int
	block          []byte
	timestamp      string
}

// NewFixture makes an RSA key, a password verifier and a client's SRP_A.
func NewFixture() (*Fixture, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	salt, v, err := srp.NewVerifier(poolName, userID, password)
	if err != nil {
		return nil, err
	}
	c, err := srp.NewClient()
	if err != nil {
		return nil, err
	}
	a, err := srp.ParseA(c.AHex())
	if err != nil {
		return nil, err
	}
	return &Fixture{key: key, salt: salt, verifier: v, a: a,
		block: []byte("benchmark secret block"), timestamp: srp.FormatTimestamp(time.Now().UTC())}, nil
}

const poolName, userID, password = "AbCdEfGhI", "alice", "Passw0rd!"

// MeasureFloor times each part of the floor, averaged over n.
func (fx *Fixture) MeasureFloor(n int) (Floor, error) {
	var f Floor
	var err error
	if f.Sign, err = timeSigns(fx.key, n); err != nil {
		return f, err
	}
	start := time.Now()
	for range n {
		srp.CheckPassword(poolName, userID, password, fx.salt, fx.verifier)
	}
	f.Password = time.Since(start) / time.Duration(n)
	// The claim is not a valid one (the client's half is not the server's
	// cost); VerifyClaim does all of its work before it compares.
	claim := base64.StdEncoding.EncodeToString(make([]byte, sha256.Size))
	start = time.Now()
	for range n {
		ch, err := srp.NewServerChallenge(fx.verifier)
		if err != nil {
			return f, err
		}
		srp.VerifyClaim(poolName, userID, fx.a, ch.B, ch.PrivB, fx.verifier, fx.block, fx.timestamp, claim)
	}
	f.SRP = time.Since(start) / time.Duration(n)
	return f, nil
}
