package seal

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

func TestSealOpen_RoundTripAndBinding(t *testing.T) {
	s, err := New(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("verifier"), "credential:p/alice")
	if bytes.Contains(sealed, []byte("verifier")) {
		t.Fatal("sealed value contains the clear text")
	}
	got, err := s.Open(sealed, "credential:p/alice")
	if err != nil || string(got) != "verifier" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := s.Open(sealed, "credential:p/bob"); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open with other associated data: %v, want ErrOpen", err)
	}
	other, _ := New(NewKey())
	if _, err := other.Open(sealed, "credential:p/alice"); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open with other key: %v, want ErrOpen", err)
	}
	if _, err := s.Open([]byte("short"), ""); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open of garbage: %v, want ErrOpen", err)
	}
}

func TestLoadOrCreateKeyFile_StableAcrossCalls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "server.key")
	k1, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) || len(k1) != KeySize {
		t.Fatalf("keys differ or wrong size: %x %x", k1, k2)
	}
}

func TestParseKey(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		ok         bool
	}{
		{"hex", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", true},
		{"base64", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", true},
		{"too short", "AAEC", false},
		{"garbage", "not a key at all", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKey(tc.text)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseKey(%q) err = %v, want ok=%v", tc.text, err, tc.ok)
			}
		})
	}
}

func TestTag_StablePerKeyAndLabel(t *testing.T) {
	key := NewKey()
	a, _ := New(key)
	b, _ := New(key) // another node with the same server key
	other, _ := New(NewKey())
	if !bytes.Equal(a.Tag("fake/p/alice"), b.Tag("fake/p/alice")) {
		t.Fatal("two sealers with one key tag a label differently")
	}
	if bytes.Equal(a.Tag("fake/p/alice"), a.Tag("fake/p/bob")) {
		t.Fatal("two labels have one tag")
	}
	if bytes.Equal(a.Tag("fake/p/alice"), other.Tag("fake/p/alice")) {
		t.Fatal("another key gives the same tag")
	}
	if len(a.Tag("x")) != 32 {
		t.Fatalf("tag is %d bytes, want 32", len(a.Tag("x")))
	}
}
