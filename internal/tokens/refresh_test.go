package tokens

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
)

var refreshAlphabet = regexp.MustCompile(`^[A-Za-z0-9\-_=.]+$`)

func TestRefreshToken_FormatAndParse(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, id, hash := NewRefreshToken()
		if !refreshAlphabet.MatchString(tok) {
			t.Fatalf("%q does not match %s", tok, refreshAlphabet)
		}
		if u, err := uuid.Parse(id); err != nil || u.Version() != 4 || !strings.HasPrefix(tok, id+".") {
			t.Fatalf("id %q: %v", id, err)
		}
		if len(hash) != sha256.Size || seen[tok] {
			t.Fatalf("hash %x or repeated token", hash)
		}
		seen[tok] = true
		gotID, gotHash, err := ParseRefreshToken(tok)
		if err != nil || gotID != id || !bytes.Equal(gotHash, hash) {
			t.Fatalf("ParseRefreshToken = %q, %x, %v; want %q, %x", gotID, gotHash, err, id, hash)
		}
	}
}

func TestParseRefreshToken_Rejects(t *testing.T) {
	tok, id, _ := NewRefreshToken()
	secret := tok[len(id)+1:]
	cases := []struct{ name, token string }{
		{"empty", ""},
		{"no dot", strings.Replace(tok, ".", "", 1)},
		{"id only", id},
		{"id not a UUID", "0123456789abcdef0123456789abcdef0123." + secret},
		{"id in braces", "{" + id[:34] + "}." + secret},
		{"id upper case", strings.ToUpper(id) + "." + secret},
		{"short secret", id + "." + secret[:40]},
		{"long secret", id + "." + secret + "AAAA"},
		{"padded secret", id + "." + secret + "="},
		{"secret std alphabet", id + "." + strings.Repeat("+", 43)},
		{"extra part", tok + ".x"},
		{"a JWT", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := ParseRefreshToken(tc.token); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("ParseRefreshToken(%q) = %v, want ErrInvalidToken", tc.token, err)
			}
		})
	}
	// A different secret under the same id parses to a different hash.
	other, _, _ := NewRefreshToken()
	_, h1, _ := ParseRefreshToken(tok)
	_, h2, err := ParseRefreshToken(id + other[36:])
	if err != nil || bytes.Equal(h1, h2) {
		t.Errorf("swapped secret: %v, equal hashes %v", err, bytes.Equal(h1, h2))
	}
}
