// Package benchref measures the reference operation tarn's login
// benchmarks report against: one RSA-2048 PKCS #1 v1.5 SHA-256 signature
// with crypto/rsa, which every login makes twice (the ID and the access
// token). A login's cost in these units holds when the machine's speed
// varies from run to run. Only benchmarks use it.
package benchref

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"time"
)

// RSASign returns the time of one signature, averaged over n.
func RSASign(n int) (time.Duration, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return 0, err
	}
	digest := sha256.Sum256([]byte("header.payload"))
	start := time.Now()
	for range n {
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / time.Duration(n), nil
}
