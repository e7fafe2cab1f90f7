package tokens

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// b64 decodes JWS parts: base64url without padding, rejecting non-zero
// trailing bits so a token has exactly one encoding.
var b64 = base64.RawURLEncoding.Strict()

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Sign returns a compact JWS (RS256) of claims, signed with the current key
// of (poolID, use); use is UseID or UseAccess. The header is
// {"kid":"<kid>","alg":"RS256"}, as Cognito's. The pool's keys are created
// on first use. Claims are marshalled with encoding/json (numbers as given;
// use int64 for epoch seconds).
func (s *Service) Sign(ctx context.Context, poolID, use string, claims map[string]any) (string, error) {
	if !signingUse(use) {
		return "", fmt.Errorf("tokens: cannot sign with keys of use %q", use)
	}
	k, err := s.currentKey(ctx, poolID, use)
	if err != nil {
		return "", err
	}
	priv, err := s.private(k)
	if err != nil {
		return "", err
	}

	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if claims == nil {
		claims = map[string]any{}
	}
	if err := enc.Encode(claims); err != nil {
		return "", fmt.Errorf("tokens: claims: %w", err)
	}
	payload := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))

	sigLen := priv.Size()
	out := make([]byte, 0, len(k.header)+b64.EncodedLen(len(payload))+1+b64.EncodedLen(sigLen))
	out = append(out, k.header...)
	out = b64.AppendEncode(out, payload)
	digest := sha256.Sum256(out)
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	out = append(out, '.')
	out = b64.AppendEncode(out, sig)
	return string(out), nil
}

// Verify checks that token is an RS256 JWS signed by a non-expired key of
// (poolID, use) and returns its claims (JSON numbers as float64). Anything
// malformed, signed with another algorithm (none, HS256, …), with a key of
// another pool or use, or badly signed is ErrInvalidToken. It does not
// check exp, iss or token_use: callers do, each with its own error.
//
// Verify never creates keys; a kid this node has not seen makes it list the
// store again (at most every few seconds), so tokens signed by a key another
// node just created verify.
func (s *Service) Verify(ctx context.Context, poolID, use, token string) (map[string]any, error) {
	if !signingUse(use) {
		return nil, fmt.Errorf("tokens: cannot verify with keys of use %q", use)
	}
	dot1 := strings.IndexByte(token, '.')
	if dot1 < 0 {
		return nil, ErrInvalidToken
	}
	dot2 := strings.IndexByte(token[dot1+1:], '.') + dot1 + 1
	if dot2 <= dot1 || strings.IndexByte(token[dot2+1:], '.') >= 0 {
		return nil, ErrInvalidToken
	}
	header, payload, sig := token[:dot1], token[dot1+1:dot2], token[dot2+1:]

	ks, err := s.keys(ctx, poolID, use, false)
	if err != nil {
		return nil, err
	}
	now := s.now()
	// Fast path: tokens this package signed carry exactly a key's header.
	var k *key
	for _, c := range ks.keys {
		if len(c.header) == dot1+1 && c.header[:dot1] == header && !c.expired(now) {
			k = c
			break
		}
	}
	if k == nil {
		kid, err := parseHeader(header)
		if err != nil {
			return nil, err
		}
		if k = ks.byKid(kid, now); k == nil {
			if ks, err = s.refresh(ctx, poolID, use, ks, false); err != nil {
				return nil, err
			}
			if ks != nil {
				k = ks.byKid(kid, now)
			}
		}
		if k == nil {
			return nil, ErrInvalidToken
		}
	}

	sigBytes, err := b64.DecodeString(sig)
	if err != nil || len(sigBytes) != k.pub.Size() {
		return nil, ErrInvalidToken
	}
	h := sha256.New()
	h.Write([]byte(token[:dot2]))
	if rsa.VerifyPKCS1v15(k.pub, crypto.SHA256, h.Sum(nil), sigBytes) != nil {
		return nil, ErrInvalidToken
	}
	raw, err := b64.DecodeString(payload)
	if err != nil {
		return nil, ErrInvalidToken
	}
	var claims map[string]any
	if json.Unmarshal(raw, &claims) != nil || claims == nil {
		return nil, ErrInvalidToken
	}
	return claims, nil
}

// parseHeader returns the kid of an RS256 JWS header; any other algorithm,
// a missing kid or critical extensions make the token invalid.
func parseHeader(part string) (string, error) {
	raw, err := b64.DecodeString(part)
	if err != nil {
		return "", ErrInvalidToken
	}
	var h struct {
		Alg  string          `json:"alg"`
		Kid  string          `json:"kid"`
		Crit json.RawMessage `json:"crit"`
	}
	if json.Unmarshal(raw, &h) != nil || h.Alg != "RS256" || h.Kid == "" || h.Crit != nil {
		return "", ErrInvalidToken
	}
	return h.Kid, nil
}

// PoolOf returns the pool a JWT claims to come from: the last path segment
// of its unverified "iss" ("<base>/<poolId>"), so a caller knows whose keys
// to Verify it with. It verifies nothing.
func PoolOf(token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", ErrInvalidToken
	}
	raw, err := b64.DecodeString(parts[1])
	if err != nil {
		return "", ErrInvalidToken
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return "", ErrInvalidToken
	}
	i := strings.LastIndexByte(c.Iss, '/')
	if i < 0 || i == len(c.Iss)-1 {
		return "", ErrInvalidToken
	}
	return c.Iss[i+1:], nil
}

type jwk struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// JWKS returns the pool's JSON Web Key Set, {"keys":[…]}: every non-expired
// key of both uses (ID-token keys first, each oldest first), including keys
// published ahead of use by Rotate. A pool without keys gets them.
func (s *Service) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	now := s.now()
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: []jwk{}}
	seen := map[string]bool{}
	for _, use := range []string{UseID, UseAccess} {
		if _, err := s.currentKey(ctx, poolID, use); err != nil {
			return nil, err
		}
		ks, err := s.keys(ctx, poolID, use, true)
		if err != nil {
			return nil, err
		}
		for _, k := range ks.keys {
			if k.expired(now) || seen[k.kid] {
				continue
			}
			seen[k.kid] = true
			set.Keys = append(set.Keys, jwk{Alg: "RS256", E: k.e, Kid: k.kid, Kty: "RSA", N: k.n, Use: "sig"})
		}
	}
	return json.Marshal(set)
}
