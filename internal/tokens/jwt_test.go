package tokens

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

const testPool = "us-east-1_AbCdEfGhI"

func testClaims(use string) map[string]any {
	return map[string]any{
		"sub":              "5f1b3c2e-8a3d-4d2e-9a8b-1c2d3e4f5a6b",
		"iss":              "http://localhost:9229/" + testPool,
		"token_use":        use,
		"client_id":        "abcdefghijklmnopqrstuvwxyz",
		"username":         "alice",
		"scope":            "aws.cognito.signin.user.admin",
		"auth_time":        int64(1772366400),
		"iat":              int64(1772366400),
		"exp":              int64(1772370000),
		"jti":              "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
		"origin_jti":       "1c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
		"email_verified":   true,
		"cognito:groups":   []string{"admins", "a&b<c>"},
		"custom:tier":      "gold",
		"address":          map[string]any{"formatted": "1 Main St"},
		"cognito:username": "alice",
	}
}

// jsonRoundTrip gives claims as Verify returns them (numbers as float64).
func jsonRoundTrip(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustSign(t testing.TB, s *Service, pool, use string, claims map[string]any) string {
	t.Helper()
	tok, err := s.Sign(context.Background(), pool, use, claims)
	if err != nil {
		t.Fatalf("Sign(%s, %s): %v", pool, use, err)
	}
	return tok
}

func headerOf(t *testing.T, tok string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// signRaw signs header.payload (given as JSON) with the current key of
// (pool, use), to build tokens Sign would never make.
func signRaw(t *testing.T, s *Service, pool, use, header, payload string) string {
	t.Helper()
	k, err := s.currentKey(context.Background(), pool, use)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := s.private(k)
	if err != nil {
		t.Fatal(err)
	}
	input := enc(header) + "." + enc(payload)
	d := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, d[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestSignVerify_RoundTrip(t *testing.T) {
	s, _, _ := newTestService()
	ctx := context.Background()
	for _, use := range []string{UseID, UseAccess} {
		t.Run(use, func(t *testing.T) {
			claims := testClaims(use)
			tok := mustSign(t, s, testPool, use, claims)
			if got := strings.Count(tok, "."); got != 2 {
				t.Fatalf("token has %d dots, want 2", got)
			}
			got, err := s.Verify(ctx, testPool, use, tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if want := jsonRoundTrip(t, claims); !reflect.DeepEqual(got, want) {
				t.Errorf("claims = %v, want %v", got, want)
			}
			h := headerOf(t, tok)
			if len(h) != 2 || h["alg"] != "RS256" || h["kid"] == "" {
				t.Errorf("header = %v, want exactly kid and alg RS256", h)
			}
		})
	}
}

func TestSign_IDAndAccessKidsDiffer(t *testing.T) {
	s, _, _ := newTestService()
	idKid := headerOf(t, mustSign(t, s, testPool, UseID, testClaims(UseID)))["kid"].(string)
	accKid := headerOf(t, mustSign(t, s, testPool, UseAccess, testClaims(UseAccess)))["kid"].(string)
	if idKid == accKid {
		t.Fatalf("ID and access tokens share kid %s", idKid)
	}
	for _, kid := range []string{idKid, accKid} {
		if b, err := base64.StdEncoding.Strict().DecodeString(kid); err != nil || len(b) != 32 || len(kid) != 44 {
			t.Errorf("kid %q is not base64 std of a SHA-256 (err %v)", kid, err)
		}
	}
	// A second pool has keys of its own.
	other := headerOf(t, mustSign(t, s, "us-east-1_Other1234", UseID, testClaims(UseID)))["kid"]
	if other == idKid {
		t.Error("two pools share a signing key")
	}
}

func TestVerify_Rejects(t *testing.T) {
	s, _, _ := newTestService()
	ctx := context.Background()
	good := mustSign(t, s, testPool, UseAccess, testClaims(UseAccess))
	parts := strings.Split(good, ".")
	kid := headerOf(t, good)["kid"].(string)
	idTok := mustSign(t, s, testPool, UseID, testClaims(UseID))
	otherPool := mustSign(t, s, "us-east-1_Other1234", UseAccess, testClaims(UseAccess))

	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	flipped := append([]byte(nil), sig...)
	flipped[10] ^= 1
	lastChar := parts[2][:len(parts[2])-1] + string("AB"[boolInt(parts[2][len(parts[2])-1] == 'A')])
	tampered := strings.Replace(string(mustDecode(parts[1])), `"alice"`, `"admin"`, 1)

	// HS256 keyed with the public key: the classic algorithm confusion.
	pub, _ := s.currentKey(ctx, testPool, UseAccess)
	pubDER, _ := x509.MarshalPKIXPublicKey(pub.pub)
	hsInput := enc(`{"kid":"`+kid+`","alg":"HS256"}`) + "." + parts[1]
	mac := hmac.New(sha256.New, pubDER)
	mac.Write([]byte(hsInput))
	hs256 := hsInput + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	hsLib, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x"}).SignedString(pubDER)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, pool, use, token string
	}{
		{"empty", testPool, UseAccess, ""},
		{"garbage", testPool, UseAccess, "not a token"},
		{"two parts", testPool, UseAccess, parts[0] + "." + parts[1]},
		{"four parts", testPool, UseAccess, good + ".x"},
		{"tampered payload", testPool, UseAccess, parts[0] + "." + enc(tampered) + "." + parts[2]},
		{"tampered signature", testPool, UseAccess, parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(flipped)},
		{"signature last char", testPool, UseAccess, parts[0] + "." + parts[1] + "." + lastChar},
		{"signature truncated", testPool, UseAccess, parts[0] + "." + parts[1] + "." + parts[2][:100]},
		{"signature padded", testPool, UseAccess, good + "=="},
		{"no signature", testPool, UseAccess, parts[0] + "." + parts[1] + "."},
		{"alg none", testPool, UseAccess, enc(`{"kid":"`+kid+`","alg":"none"}`) + "." + parts[1] + "."},
		{"alg none with signature", testPool, UseAccess, enc(`{"kid":"`+kid+`","alg":"none"}`) + "." + parts[1] + "." + parts[2]},
		{"HS256 keyed with public key", testPool, UseAccess, hs256},
		{"HS256 from a library", testPool, UseAccess, hsLib},
		{"RS512 header", testPool, UseAccess, enc(`{"kid":"`+kid+`","alg":"RS512"}`) + "." + parts[1] + "." + parts[2]},
		{"unknown kid", testPool, UseAccess, signRaw(t, s, testPool, UseAccess, `{"kid":"bm9wZQ==","alg":"RS256"}`, `{"sub":"x"}`)},
		{"no kid", testPool, UseAccess, signRaw(t, s, testPool, UseAccess, `{"alg":"RS256"}`, `{"sub":"x"}`)},
		{"crit header", testPool, UseAccess, signRaw(t, s, testPool, UseAccess, `{"kid":"`+kid+`","alg":"RS256","crit":["exp"]}`, `{"sub":"x"}`)},
		{"payload not an object", testPool, UseAccess, signRaw(t, s, testPool, UseAccess, `{"kid":"`+kid+`","alg":"RS256"}`, `null`)},
		{"payload not JSON", testPool, UseAccess, signRaw(t, s, testPool, UseAccess, `{"kid":"`+kid+`","alg":"RS256"}`, `{"sub":`)},
		{"ID token as access", testPool, UseAccess, idTok},
		{"access token as ID", testPool, UseID, good},
		{"other pool's token", testPool, UseAccess, otherPool},
		{"token for unknown pool", "us-east-1_Nobody123", UseAccess, good},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Verify(ctx, tc.pool, tc.use, tc.token); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
		})
	}
	// A token from another encoder (different header bytes, same kid) is fine.
	t.Run("foreign header accepted", func(t *testing.T) {
		tok := signRaw(t, s, testPool, UseAccess, `{"alg":"RS256","typ":"JWT","kid":"`+kid+`"}`, `{"sub":"x"}`)
		if got, err := s.Verify(ctx, testPool, UseAccess, tok); err != nil || got["sub"] != "x" {
			t.Errorf("Verify = %v, %v", got, err)
		}
	})
}

func TestVerify_UnknownPoolCreatesNoKeys(t *testing.T) {
	s, st, _ := newTestService()
	tok := mustSign(t, s, testPool, UseAccess, testClaims(UseAccess))
	if _, err := s.Verify(context.Background(), "us-east-1_Nobody123", UseAccess, tok); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("Verify = %v, want ErrInvalidToken", err)
	}
	if n := st.count("us-east-1_Nobody123", UseAccess); n != 0 {
		t.Errorf("Verify created %d keys for an unknown pool", n)
	}
}

func TestSign_CachesKeysForAMinute(t *testing.T) {
	s, st, c := newTestService()
	tok := mustSign(t, s, testPool, UseAccess, testClaims(UseAccess))
	before := st.listCalls()
	for range 50 {
		mustSign(t, s, testPool, UseAccess, testClaims(UseAccess))
		if _, err := s.Verify(context.Background(), testPool, UseAccess, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := st.listCalls() - before; n != 0 {
		t.Errorf("steady-state signing listed keys %d times, want 0", n)
	}
	c.Advance(cacheTTL)
	mustSign(t, s, testPool, UseAccess, testClaims(UseAccess))
	mustSign(t, s, testPool, UseAccess, testClaims(UseAccess))
	if n := st.listCalls() - before; n != 1 {
		t.Errorf("after a minute signing listed keys %d times, want 1", n)
	}
}

func TestPoolOf(t *testing.T) {
	s, _, _ := newTestService()
	good := mustSign(t, s, testPool, UseID, testClaims(UseID))
	cases := []struct {
		name, token, want string
		ok                bool
	}{
		{"signed token", good, testPool, true},
		{"AWS issuer", "x." + enc(`{"iss":"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123456"}`) + ".y", "eu-west-1_Abc123456", true},
		{"no iss", "x." + enc(`{"sub":"a"}`) + ".y", "", false},
		{"iss not a string", "x." + enc(`{"iss":7}`) + ".y", "", false},
		{"iss without path", "x." + enc(`{"iss":"pool"}`) + ".y", "", false},
		{"trailing slash", "x." + enc(`{"iss":"http://h/"}`) + ".y", "", false},
		{"payload not base64", "x.!!!.y", "", false},
		{"two parts", "x." + enc(`{"iss":"http://h/p"}`), "", false},
		{"empty", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PoolOf(tc.token)
			if tc.ok && (err != nil || got != tc.want) {
				t.Errorf("PoolOf = %q, %v; want %q", got, err, tc.want)
			}
			if !tc.ok && !errors.Is(err, ErrInvalidToken) {
				t.Errorf("PoolOf = %q, %v; want ErrInvalidToken", got, err)
			}
		})
	}
}

type jwksDoc struct {
	Keys []map[string]string `json:"keys"`
}

func fetchJWKS(t *testing.T, s *Service, pool string) jwksDoc {
	t.Helper()
	b, err := s.JWKS(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	var doc jwksDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("JWKS %s: %v", b, err)
	}
	return doc
}

func kidsOf(doc jwksDoc) []string {
	var kids []string
	for _, k := range doc.Keys {
		kids = append(kids, k["kid"])
	}
	return kids
}

// rsaKey builds a public key from a JWK with nothing but the standard
// library, as a third-party verifier would.
func rsaKey(t *testing.T, k map[string]string) *rsa.PublicKey {
	t.Helper()
	n, err1 := base64.RawURLEncoding.DecodeString(k["n"])
	e, err2 := base64.RawURLEncoding.DecodeString(k["e"])
	if err1 != nil || err2 != nil {
		t.Fatalf("bad JWK %v", k)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}

func TestJWKS_PublishesBothKeysAndVerifiesTokens(t *testing.T) {
	s, _, _ := newTestService()
	raw, err := s.JWKS(context.Background(), testPool) // creates the keys
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), `{"keys":[{"alg":"RS256","e":"AQAB","kid":"`) {
		t.Errorf("JWKS = %s, want members in AWS order", raw)
	}
	doc := fetchJWKS(t, s, testPool)
	if len(doc.Keys) != 2 {
		t.Fatalf("JWKS has %d keys, want 2: %v", len(doc.Keys), doc)
	}
	byKid := map[string]map[string]string{}
	for _, k := range doc.Keys {
		if k["alg"] != "RS256" || k["e"] != "AQAB" || k["kty"] != "RSA" || k["use"] != "sig" || len(k) != 6 {
			t.Errorf("JWK = %v", k)
		}
		if n := rsaKey(t, k).N.BitLen(); n != 2048 {
			t.Errorf("modulus has %d bits", n)
		}
		byKid[k["kid"]] = k
	}
	for _, use := range []string{UseID, UseAccess} {
		t.Run(use, func(t *testing.T) {
			tok := mustSign(t, s, testPool, use, testClaims(use))
			kid := headerOf(t, tok)["kid"].(string)
			jk, ok := byKid[kid]
			if !ok {
				t.Fatalf("kid %s not in JWKS %v", kid, kidsOf(doc))
			}
			pub := rsaKey(t, jk)
			i := strings.LastIndexByte(tok, '.')
			sig, _ := base64.RawURLEncoding.DecodeString(tok[i+1:])
			d := sha256.Sum256([]byte(tok[:i]))
			if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig); err != nil {
				t.Errorf("crypto/rsa: %v", err)
			}
			// And with a JWT library that selects the key by kid.
			parsed, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
				k, ok := byKid[tk.Header["kid"].(string)]
				if !ok {
					return nil, errors.New("unknown kid")
				}
				return rsaKey(t, k), nil
			}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
			if err != nil || !parsed.Valid {
				t.Errorf("golang-jwt: %v", err)
			}
		})
	}
}

func mustDecode(s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
