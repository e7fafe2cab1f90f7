package tokens

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

var stdBase64Padded = regexp.MustCompile(`^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`)

func mustSeal(t *testing.T, s *Service, purpose string, payload []byte, ttl time.Duration) string {
	t.Helper()
	sealed, err := s.SealSession(context.Background(), purpose, payload, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func TestSession_RoundTripAndFormat(t *testing.T) {
	s, _, _ := newTestService()
	cases := []struct {
		name    string
		payload []byte
	}{
		{"empty", nil},
		{"one byte", []byte{0}},
		{"two bytes", []byte("ab")},
		{"typical", []byte(`{"p":"us-east-1_AbCdEfGhI","c":"client","u":"alice","n":"PASSWORD_VERIFIER"}`)},
		{"699 bytes", bytes.Repeat([]byte{0xfe}, 699)},
		{"700 bytes", bytes.Repeat([]byte("x"), 700)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sealed := mustSeal(t, s, "challenge", tc.payload, 3*time.Minute)
			if n := len(sealed); n < 20 || n > 2048 {
				t.Errorf("length %d outside 20..2048", n)
			}
			if !stdBase64Padded.MatchString(sealed) {
				t.Errorf("%q is not padded standard base64", sealed)
			}
			if _, err := base64.StdEncoding.Strict().DecodeString(sealed); err != nil {
				t.Errorf("strict std decoder: %v", err)
			}
			got, err := s.OpenSession(context.Background(), "challenge", sealed)
			if err != nil || !bytes.Equal(got, tc.payload) {
				t.Errorf("OpenSession = %q, %v", got, err)
			}
		})
	}
	if a, b := mustSeal(t, s, "p", []byte("same"), time.Minute), mustSeal(t, s, "p", []byte("same"), time.Minute); a == b {
		t.Error("sealing twice gave the same string")
	}
}

func TestSession_Expiry(t *testing.T) {
	s, _, c := newTestService()
	const ttl = 3 * time.Minute
	sealed := mustSeal(t, s, "challenge", []byte("x"), ttl)
	cases := []struct {
		name    string
		advance time.Duration
		want    error
	}{
		{"fresh", 0, nil},
		{"just before expiry", ttl - time.Millisecond, nil},
		{"at expiry", time.Millisecond, ErrSessionExpired},
		{"long after", time.Hour, ErrSessionExpired},
	}
	for _, tc := range cases {
		c.Advance(tc.advance)
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.OpenSession(context.Background(), "challenge", sealed); !errors.Is(err, tc.want) {
				t.Errorf("OpenSession = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSession_Rejects(t *testing.T) {
	s, _, c := newTestService()
	ctx := context.Background()
	sealed := mustSeal(t, s, "srp", []byte("secret block state"), time.Minute)
	raw, _ := base64.StdEncoding.DecodeString(sealed)
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 0x01
		return base64.StdEncoding.EncodeToString(b)
	}
	other, _, _ := newTestService() // another deployment: unknown session key
	foreign := mustSeal(t, other, "srp", []byte("x"), time.Minute)
	// Tampering is reported as invalid even when the session has expired.
	expiredTampered := flip(len(raw) - 1)

	cases := []struct {
		name, purpose, sealed string
	}{
		{"wrong purpose", "challenge", sealed},
		{"empty purpose", "", sealed},
		{"empty", "srp", ""},
		{"not base64", "srp", "!!!!" + sealed[4:]},
		{"unpadded", "srp", strings.TrimRight(sealed, "=") + "A"},
		{"url alphabet", "srp", strings.NewReplacer("+", "-", "/", "_").Replace(sealed) + "-_"},
		{"truncated", "srp", base64.StdEncoding.EncodeToString(raw[:len(raw)-1])},
		{"too short", "srp", base64.StdEncoding.EncodeToString(raw[:40])},
		{"version", "srp", flip(0)},
		{"key id", "srp", flip(5)},
		{"salt", "srp", flip(20)},
		{"ciphertext", "srp", flip(40)},
		{"tag", "srp", flip(len(raw) - 1)},
		{"other deployment's key", "srp", foreign},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.OpenSession(ctx, tc.purpose, tc.sealed); !errors.Is(err, ErrInvalidSession) {
				t.Errorf("OpenSession = %v, want ErrInvalidSession", err)
			}
		})
	}
	c.Advance(time.Hour)
	if _, err := s.OpenSession(ctx, "srp", expiredTampered); !errors.Is(err, ErrInvalidSession) {
		t.Errorf("expired and tampered: %v, want ErrInvalidSession", err)
	}
}

func TestSession_BadTTL(t *testing.T) {
	s, _, _ := newTestService()
	for _, ttl := range []time.Duration{0, -time.Second} {
		if _, err := s.SealSession(context.Background(), "p", nil, ttl); err == nil {
			t.Errorf("SealSession(ttl %v) succeeded", ttl)
		}
	}
}
