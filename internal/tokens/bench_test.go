package tokens

import (
	"context"
	"testing"
	"time"
)

func BenchmarkSign(b *testing.B) {
	s, _, _ := newTestService()
	claims := testClaims(UseAccess)
	mustSign(b, s, testPool, UseAccess, claims) // create the key
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(context.Background(), testPool, UseAccess, claims); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	s, _, _ := newTestService()
	tok := mustSign(b, s, testPool, UseAccess, testClaims(UseAccess))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(context.Background(), testPool, UseAccess, tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealOpenSession(b *testing.B) {
	s, _, _ := newTestService()
	ctx := context.Background()
	payload := make([]byte, 300)
	b.ReportAllocs()
	for b.Loop() {
		sealed, err := s.SealSession(ctx, "challenge", payload, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.OpenSession(ctx, "challenge", sealed); err != nil {
			b.Fatal(err)
		}
	}
}
