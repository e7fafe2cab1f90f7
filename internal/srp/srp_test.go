package srp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

// vectorInputs are the inputs of the api.md §6.6 and §6.8 test vectors.
type vectorInputs struct {
	name, user, password string
	salt                 *big.Int
	secretBlock          string // raw bytes
	timestamp            string
}

func repeatByte(b byte) *big.Int {
	return new(big.Int).SetBytes(bytes.Repeat([]byte{b}, 32))
}

func fromHex(t testing.TB, s string) *big.Int {
	t.Helper()
	i, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("bad hex %q", s)
	}
	return i
}

// prefixSuffix renders h as "first32…last32", the form api.md tabulates.
func prefixSuffix(h string) string {
	if len(h) <= 64 {
		return h
	}
	return h[:32] + "…" + h[len(h)-32:]
}

func TestConstants(t *testing.T) {
	if got, want := N.BitLen(), 3072; got != want {
		t.Errorf("N.BitLen() = %d, want %d", got, want)
	}
	if got, want := PadHex(N)[:4], "00ff"; got != want {
		t.Errorf("PadHex(N) prefix = %q, want %q", got, want)
	}
	if got, want := Hex(K), "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"; got != want {
		t.Errorf("k = %s, want %s", got, want)
	}
}

func TestPadHex(t *testing.T) {
	tests := []struct {
		name string
		in   int64
		want string
	}{
		{"zero", 0, "00"},
		{"small even", 20, "14"},
		{"high bit c8", 200, "00c8"},
		{"high bit ec", 236, "00ec"},
		{"odd length", 0xABC, "0abc"},
		{"high nibble 7", 0x7f, "7f"},
		{"high nibble 8", 0x80, "0080"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PadHex(big.NewInt(tc.in)); got != tc.want {
				t.Errorf("PadHex(%#x) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPoolName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"regular", "us-east-1_AbCdEfGhI", "AbCdEfGhI"},
		{"no underscore", "AbCdEfGhI", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := PoolName(tc.in); got != tc.want {
				t.Errorf("PoolName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestVectors reproduces every value of api.md §6.6 (password SRP) and §6.8
// (device SRP) through both the server and the client code paths.
func TestVectors(t *testing.T) {
	a, b := repeatByte(0x1f), repeatByte(0x2e)
	tests := []struct {
		name string
		in   vectorInputs
		want map[string]string // value name → expected (hex, or first…last 32 hex digits)
		sig  string
	}{
		{
			name: "user password",
			in: vectorInputs{
				name: PoolName("us-east-1_AbCdEfGhI"), user: "alice", password: "Passw0rd!",
				salt:        fromHex(t, "6a1b8c2d9e0f11223344556677889900"),
				secretBlock: "test-secret-block-0123456789",
				timestamp:   "Sat Nov 21 10:00:00 UTC 2026",
			},
			want: map[string]string{
				"inner":  "2def378180b909ccedf8c5b4bc62ec7ea7887b93fba0c5408fd1be059751a59d",
				"salt":   "6a1b8c2d9e0f11223344556677889900",
				"x":      "6b8bd69c74f5f044094b478abb482ed55526382c101a72a01bfe05be94ec801f",
				"v":      "ae129ac9fadb3475148441a3b889687c…dcdd2b896e30d40e990532ff274f0da1",
				"A":      "89830aec1b6010b91bc65e075a7732b2…37a1bc955b8cc2754b039112a9e7cf3c",
				"B":      "dde054cb3bd93dc44423c1090715e18b…0397358025437031238b7a8b92f1dacf",
				"u":      "affe7c263651de34e7388828f9c8d5bdf24e3d7aebeab37f5417133dd96e9f4d",
				"S":      "d537417110c5f8df69ec8f183c2baf3a…e5c26299abc244bb7e146fabb27deeb4",
				"K":      "c938570d6d93e62da06300eb15422d62",
				"secret": "dGVzdC1zZWNyZXQtYmxvY2stMDEyMzQ1Njc4OQ==",
			},
			sig: "PeDx3SjXirn8q5b8Q08iolWbc+ssUhHOVEfBkAB0GqE=",
		},
		{
			name: "device",
			in: vectorInputs{
				name: "-AbCd1234", user: "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
				password:    "cmFuZG9tLXBhc3N3b3JkLWZvci1kZXZpY2U=",
				salt:        fromHex(t, "00ff00ff00ff00ff00ff00ff00ff00ff"),
				secretBlock: "device-secret-block",
				timestamp:   "Thu Nov 5 09:03:07 UTC 2026",
			},
			want: map[string]string{
				"salt":       "00ff00ff00ff00ff00ff00ff00ff00ff",
				"saltB64":    "AP8A/wD/AP8A/wD/AP8A/w==",
				"vPrefix":    "0e4e8eb6277b80b3d7c3e5c822618aef",
				"vB64Prefix": "Dk6Otid7gLPXw+XIImGK7yAjpn90aiIIDN+gnKFn",
				"K":          "a2539f8a3b29a9b8adc0c5353c26dea9",
			},
			sig: "FFLHMdleMotdFoQEvh97qfK5DXl/qZiJOsb0+Swo06I=",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			v := DeviceVerifier(in.name, in.user, in.password, in.salt)
			if !CheckPassword(in.name, in.user, in.password, in.salt, v) {
				t.Errorf("CheckPassword with the right password = false")
			}
			client := NewClientWithA(a)
			bigA, err := ParseA(client.AHex())
			if err != nil {
				t.Fatalf("ParseA(client.AHex()) error: %v", err)
			}
			ch := NewServerChallengeWithB(v, b)
			u := computeU(bigA, ch.B)
			s := serverSecret(bigA, v, u, ch.PrivB)
			x := computeX(in.name, in.user, in.password, in.salt)
			secretB64 := base64.StdEncoding.EncodeToString([]byte(in.secretBlock))

			got := map[string]string{
				"inner":      hex.EncodeToString(innerHash(in.name, in.user, in.password)),
				"salt":       PadHex(in.salt),
				"saltB64":    base64.StdEncoding.EncodeToString(padBytes(in.salt)),
				"x":          Hex(x),
				"v":          prefixSuffix(Hex(v)),
				"vPrefix":    PadHex(v)[:32],
				"vB64Prefix": base64.StdEncoding.EncodeToString(padBytes(v))[:40],
				"A":          prefixSuffix(client.AHex()),
				"B":          prefixSuffix(Hex(ch.B)),
				"u":          Hex(u),
				"S":          prefixSuffix(Hex(s)),
				"K":          hex.EncodeToString(SessionKey(u, s)),
				"secret":     secretB64,
			}
			for name, want := range tc.want {
				if got[name] != want {
					t.Errorf("%s = %s, want %s", name, got[name], want)
				}
			}
			if _, ok := tc.want["v"]; ok && len(Hex(v)) != 768 {
				t.Errorf("len(Hex(v)) = %d, want 768", len(Hex(v)))
			}
			if cs := client.secret(ch.B, x, u); cs.Cmp(s) != 0 {
				t.Errorf("client S = %s, server S = %s", prefixSuffix(Hex(cs)), prefixSuffix(Hex(s)))
			}

			sig, err := client.Signature(in.name, in.user, in.password, PadHex(in.salt), Hex(ch.B), secretB64, in.timestamp)
			if err != nil {
				t.Fatalf("Signature error: %v", err)
			}
			if sig != tc.sig {
				t.Errorf("client signature = %s, want %s", sig, tc.sig)
			}
			if !VerifyClaim(in.name, in.user, bigA, ch.B, ch.PrivB, v, []byte(in.secretBlock), in.timestamp, tc.sig) {
				t.Errorf("VerifyClaim(vector signature) = false, want true")
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	const pool, user, password = "AbCdEfGhI", "3f6e1c1e-7b7d-4b7e-9d0e-0c1a2b3c4d5e", "correct horse battery staple"
	salt, v, err := NewVerifier(pool, user, password)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	ts := FormatTimestamp(time.Date(2026, 3, 7, 23, 1, 2, 0, time.UTC))
	otherTS := FormatTimestamp(time.Date(2026, 3, 7, 23, 1, 3, 0, time.UTC))
	block := []byte("opaque-secret-block\x00\xff")
	tampered := append(bytes.Clone(block[:len(block)-1]), 0xfe)

	tests := []struct {
		name         string
		password     string // used by the client
		verifyBlock  []byte // passed to VerifyClaim
		verifyTS     string // passed to VerifyClaim
		verifyUserID string
		want         bool
	}{
		{"right password", password, block, ts, user, true},
		{"wrong password", password + "x", block, ts, user, false},
		{"tampered secret block", password, tampered, ts, user, false},
		{"other timestamp", password, block, otherTS, user, false},
		{"other user", password, block, ts, user + "x", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			client, err := NewClient()
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			bigA, err := ParseA(client.AHex())
			if err != nil {
				t.Fatalf("ParseA: %v", err)
			}
			ch, err := NewServerChallenge(v)
			if err != nil {
				t.Fatalf("NewServerChallenge: %v", err)
			}
			sig, err := client.Signature(pool, user, tc.password, PadHex(salt), Hex(ch.B),
				base64.StdEncoding.EncodeToString(block), ts)
			if err != nil {
				t.Fatalf("Signature: %v", err)
			}
			got := VerifyClaim(pool, tc.verifyUserID, bigA, ch.B, ch.PrivB, v, tc.verifyBlock, tc.verifyTS, sig)
			if got != tc.want {
				t.Errorf("VerifyClaim = %v, want %v", got, tc.want)
			}
			if got := CheckPassword(pool, user, tc.password, salt, v); got != (tc.password == password) {
				t.Errorf("CheckPassword = %v, want %v", got, tc.password == password)
			}
		})
	}
}

func TestVerifyClaimRejectsDegenerate(t *testing.T) {
	v := ComputeVerifier("p", "u", "pw", big.NewInt(1))
	ch := NewServerChallengeWithB(v, repeatByte(0x2e))
	good := NewClientWithA(repeatByte(0x1f)).bigA
	tests := []struct {
		name string
		A    *big.Int
		sig  string
	}{
		{"A zero", big.NewInt(0), "AAAA"},
		{"A equals N", new(big.Int).Set(N), "AAAA"},
		{"A nil", nil, "AAAA"},
		{"signature not base64", good, "not base64!"},
		{"signature empty", good, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if VerifyClaim("p", "u", tc.A, ch.B, ch.PrivB, v, nil, "ts", tc.sig) {
				t.Errorf("VerifyClaim = true, want false")
			}
		})
	}
}

func TestParseA(t *testing.T) {
	twoN := new(big.Int).Lsh(N, 1)
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"valid lower", "abc123", false},
		{"valid upper odd length", "ABC", false},
		{"N plus one", Hex(new(big.Int).Add(N, big.NewInt(1))), false},
		{"zero", "0", true},
		{"zeros", "0000", true},
		{"N", Hex(N), true},
		{"N upper", strings.ToUpper(Hex(N)), true},
		{"padded N", PadHex(N), true},
		{"2N", Hex(twoN), true},
		{"empty", "", true},
		{"non-hex", "xyz", true},
		{"0x prefix", "0x1234", true},
		{"sign", "-1234", true},
		{"plus sign", "+1234", true},
		{"space", "12 34", true},
		{"too long", "1" + strings.Repeat("0", 1024), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseA(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("ParseA(%q) = %v, want error", tc.in, got)
				}
				if !errors.Is(err, ErrInvalidA) {
					t.Errorf("ParseA(%q) error %v does not wrap ErrInvalidA", tc.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseA(%q) error: %v", tc.in, err)
			}
			if want := fromHex(t, tc.in); got.Cmp(want) != 0 {
				t.Errorf("ParseA(%q) = %s, want %s", tc.in, Hex(got), Hex(want))
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr error
	}{
		{"canonical two-digit day", "Sat Nov 21 10:00:00 UTC 2026", time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC), nil},
		{"canonical one-digit day", "Thu Nov 5 09:03:07 UTC 2026", time.Date(2026, 11, 5, 9, 3, 7, 0, time.UTC), nil},
		{"zero-padded day", "Thu Nov 05 09:03:07 UTC 2026", time.Time{}, ErrTimestampNotCanonical},
		{"space-padded day", "Thu Nov  5 09:03:07 UTC 2026", time.Time{}, ErrTimestampNotCanonical},
		{"wrong weekday", "Sat Nov 5 09:03:07 UTC 2026", time.Time{}, ErrTimestampNotCanonical},
		{"non-UTC zone", "Thu Nov 5 09:03:07 PST 2026", time.Time{}, ErrTimestampNotCanonical},
		{"GMT zone", "Thu Nov 5 09:03:07 GMT 2026", time.Time{}, ErrTimestampNotCanonical},
		{"numeric offset", "Thu Nov 5 09:03:07 +0100 2026", time.Time{}, ErrTimestampFormat},
		{"garbage", "yesterday", time.Time{}, ErrTimestampFormat},
		{"empty", "", time.Time{}, ErrTimestampFormat},
		{"ISO 8601", "2026-11-05T09:03:07Z", time.Time{}, ErrTimestampFormat},
		{"hour out of range", "Thu Nov 5 25:03:07 UTC 2026", time.Time{}, ErrTimestampFormat},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTimestamp(tc.in)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("ParseTimestamp(%q) = %v, %v; want error %v", tc.in, got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTimestamp(%q) error: %v", tc.in, err)
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("ParseTimestamp(%q) = %v, want %v", tc.in, got, tc.want)
			}
			if back := FormatTimestamp(got); back != tc.in {
				t.Errorf("FormatTimestamp(ParseTimestamp(%q)) = %q", tc.in, back)
			}
		})
	}
}

func TestFormatTimestampConvertsToUTC(t *testing.T) {
	in := time.Date(2026, 11, 5, 10, 3, 7, 0, time.FixedZone("CET", 3600))
	if got, want := FormatTimestamp(in), "Thu Nov 5 09:03:07 UTC 2026"; got != want {
		t.Errorf("FormatTimestamp = %q, want %q", got, want)
	}
}

func TestExpG_MatchesExp(t *testing.T) {
	for _, e := range []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(255), big.NewInt(256),
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1)), new(big.Int).Lsh(big.NewInt(1), 300)} {
		if got, want := expG(e), new(big.Int).Exp(G, e, N); got.Cmp(want) != 0 {
			t.Fatalf("expG(%x) differs from Exp", e)
		}
	}
	for i := 0; i < 20; i++ {
		c, _ := NewClient()
		if got, want := expG(c.a), new(big.Int).Exp(G, c.a, N); got.Cmp(want) != 0 {
			t.Fatalf("expG(random) differs from Exp")
		}
	}
}
