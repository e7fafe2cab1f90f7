package main

// Helpers shared by the e2e_admin_* tests: JWT decoding and verification
// against the pool's JWKS, SECRET_HASH, and SDK calls that skip the SDK's
// own input validation so the server's answer can be observed.

import (
	"bytes"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/golang-jwt/jwt/v5"
)

// startAdminTarn is startTarn; the harness's SDK client already avoids
// the SDK's request-body race (see bufferedBodyClient).
func startAdminTarn(t testing.TB, configure ...func(m *Main)) *tarnServer {
	t.Helper()
	return startTarn(t, configure...)
}

// noValidation drops the SDK's client-side input validation, so that a
// request missing a required member reaches the server.
func noValidation(o *cip.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

// secretHash is base64(HMAC-SHA256(secret, username+clientID)).
func secretHash(secret, username, clientID string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// jwtParts decodes the header and payload of a compact JWS without
// verifying it.
func jwtParts(t testing.TB, token string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3: %q", len(parts), token)
	}
	dec := func(s string) map[string]any {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("token part %q: %v", s, err)
		}
		m := map[string]any{}
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			t.Fatalf("token part %s: %v", b, err)
		}
		return m
	}
	return dec(parts[0]), dec(parts[1])
}

// claimsOf returns the payload of a JWT.
func claimsOf(t testing.TB, token string) map[string]any {
	t.Helper()
	_, c := jwtParts(t, token)
	return c
}

// numClaim returns a numeric claim as int64.
func numClaim(t testing.TB, c map[string]any, name string) int64 {
	t.Helper()
	n, ok := c[name].(json.Number)
	if !ok {
		t.Fatalf("claim %s = %#v, want a JSON number", name, c[name])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatalf("claim %s = %v: %v", name, n, err)
	}
	return v
}

// strList returns a claim holding an array of strings.
func strList(t testing.TB, c map[string]any, name string) []string {
	t.Helper()
	raw, ok := c[name].([]any)
	if !ok {
		t.Fatalf("claim %s = %#v, want an array", name, c[name])
	}
	out := make([]string, len(raw))
	for i, v := range raw {
		s, ok := v.(string)
		if !ok {
			t.Fatalf("claim %s[%d] = %#v, want a string", name, i, v)
		}
		out[i] = s
	}
	return out
}

// jwks fetches <url>/<poolId>/.well-known/jwks.json as RSA keys by kid.
func (ts *tarnServer) jwks(poolID string) map[string]*rsa.PublicKey {
	ts.t.Helper()
	resp, err := http.Get(ts.url + "/" + poolID + "/.well-known/jwks.json")
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ts.t.Fatalf("jwks: HTTP %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		ts.t.Errorf("jwks Content-Type %q, want application/json", ct)
	}
	var set struct {
		Keys []struct{ Kid, Kty, Alg, Use, N, E string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		ts.t.Fatal(err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Alg != "RS256" || k.Use != "sig" {
			ts.t.Errorf("jwk %s: kty %q alg %q use %q, want RSA RS256 sig", k.Kid, k.Kty, k.Alg, k.Use)
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil || k.Kid == "" {
			ts.t.Fatalf("jwk %+v: bad n/e/kid", k)
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return keys
}

// parseJWT checks the RS256 signature of token against keys (by kid) and
// returns its claims. It does not check exp, so that old tokens can be
// verified too.
func parseJWT(keys map[string]*rsa.PublicKey, token string) (jwt.MapClaims, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		k, ok := keys[kid]
		if !ok {
			return nil, jwt.ErrTokenUnverifiable
		}
		return k, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	return claims, err
}

// verifyJWT is parseJWT failing the test on error.
func verifyJWT(t testing.TB, keys map[string]*rsa.PublicKey, token string) jwt.MapClaims {
	t.Helper()
	claims, err := parseJWT(keys, token)
	if err != nil {
		t.Fatalf("verify token: %v", err)
	}
	return claims
}

// adminPasswordAuth signs in with ADMIN_USER_PASSWORD_AUTH.
func (ts *tarnServer) adminPasswordAuth(poolID, clientID, username, password string) (*cip.AdminInitiateAuthOutput, error) {
	return ts.cip.AdminInitiateAuth(ctxT(ts.t), &cip.AdminInitiateAuthInput{UserPoolId: &poolID, ClientId: &clientID,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
}

// basicPool creates a pool plus a client with password flows.
func (ts *tarnServer) basicPool(in cip.CreateUserPoolInput) (poolID, clientID string) {
	ts.t.Helper()
	p := ts.pool(in)
	c := ts.client(*p.Id, cip.CreateUserPoolClientInput{})
	return *p.Id, *c.ClientId
}

// rawCall posts a cognito-idp request body as is (for members the SDK
// version in go.mod lacks) and returns the decoded response and the error
// __type ("" on success).
func (ts *tarnServer) rawCall(op string, body any) (out map[string]any, errType string) {
	ts.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		ts.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctxT(ts.t), http.MethodPost, ts.url+"/", bytes.NewReader(b))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	out = map[string]any{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		ts.t.Fatalf("%s: decode response: %v", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		t, _ := out["__type"].(string)
		if i := strings.LastIndexByte(t, '#'); i >= 0 {
			t = t[i+1:]
		}
		return out, t
	}
	return out, ""
}
