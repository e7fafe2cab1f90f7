package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/google/uuid"
)

// Refresh tokens are opaque handles "<id>.<secret>": id is a UUID v4, the
// key of the store's refresh-token record and the origin_jti of every token
// minted from it; secret is 32 random bytes in base64url. The store keeps
// only SHA-256(secret), so a leaked database yields no usable token. The
// format matches Cognito's documented alphabet [A-Za-z0-9-_=.]+.

// NewRefreshToken returns a fresh refresh token, its id and the hash of its
// secret to store. It panics if the system has no randomness.
func NewRefreshToken() (token string, id string, secretHash []byte) {
	var secret [32]byte
	if _, err := rand.Read(secret[:]); err != nil {
		panic("tokens: no randomness: " + err.Error())
	}
	id = uuid.NewString()
	sum := sha256.Sum256(secret[:])
	return id + "." + base64.RawURLEncoding.EncodeToString(secret[:]), id, sum[:]
}

// ParseRefreshToken splits a token made by NewRefreshToken into its id and
// the hash of its secret, which the caller compares with the stored hash
// (crypto/subtle.ConstantTimeCompare). Anything else is ErrInvalidToken.
func ParseRefreshToken(token string) (id string, secretHash []byte, err error) {
	id, enc, ok := strings.Cut(token, ".")
	if !ok || len(id) != 36 {
		return "", nil, ErrInvalidToken
	}
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return "", nil, ErrInvalidToken
	}
	secret, err := base64.RawURLEncoding.Strict().DecodeString(enc)
	if err != nil || len(secret) != 32 {
		return "", nil, ErrInvalidToken
	}
	sum := sha256.Sum256(secret)
	return id, sum[:], nil
}
