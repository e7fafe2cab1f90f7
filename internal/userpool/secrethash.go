package userpool

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// secretHash computes SECRET_HASH (api.md §4).
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// checkSecretHash verifies SECRET_HASH when the client has a secret; any of
// names (the username as typed, or the user's other identifiers) may be the
// hashed one.
func checkSecretHash(c *cognito.UserPoolClient, hash string, names ...string) error {
	if c.ClientSecret == "" {
		return nil
	}
	if hash == "" {
		return cognito.Errorf(cognito.NotAuthorized, "Client %s is configured with secret but SECRET_HASH was not received", c.ClientId)
	}
	for _, n := range names {
		if n == "" {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(secretHash(c.ClientSecret, n, c.ClientId)), []byte(hash)) == 1 {
			return nil
		}
	}
	return cognito.Errorf(cognito.NotAuthorized, "Unable to verify secret hash for client %s", c.ClientId)
}

// checkClientSecret verifies a raw client secret (RevokeToken,
// GetTokensFromRefreshToken); a failure is the exception code, the one each
// operation's model has.
func checkClientSecret(c *cognito.UserPoolClient, secret, code string) error {
	if c.ClientSecret == "" {
		return nil
	}
	if secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(c.ClientSecret)) != 1 {
		return cognito.Errorf(code, "Client %s is configured with secret but the secret was not received or is wrong", c.ClientId)
	}
	return nil
}
