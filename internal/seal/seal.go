// Package seal encrypts small secrets at rest (password verifiers, client
// secrets, private keys) with the server key, a 32-byte key that is kept
// outside the database: in a file of the data directory for the embedded
// default, or supplied by file or environment in production. It uses
// AES-256-GCM; the associated data binds a sealed value to its place (for
// example "credential:<pool>/<username>") so it cannot be moved to another.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of a server key in bytes.
const KeySize = 32

// ErrOpen is returned when a sealed value cannot be opened: wrong key,
// wrong associated data, or corruption.
var ErrOpen = errors.New("seal: cannot open sealed value")

// Sealer seals and opens values with one key. It is safe for concurrent use.
type Sealer struct {
	aead cipher.AEAD
	prf  []byte // HMAC key for Tag, derived from the server key
}

// New returns a Sealer for a KeySize-byte key.
func New(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("seal: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	prf, err := hkdf.Key(sha256.New, key, nil, "tarn seal: tag", sha256.Size)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead, prf: prf}, nil
}

// Tag is a keyed hash of label (HMAC-SHA256 under a key derived from the
// server key): the same on every node sharing the key, and unpredictable
// without it. It makes stand-in values (a fake salt for an unknown user)
// that an outsider cannot tell from real ones.
func (s *Sealer) Tag(label string) []byte {
	m := hmac.New(sha256.New, s.prf)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Seal encrypts plain; the result is nonce ‖ ciphertext ‖ tag.
func (s *Sealer) Seal(plain []byte, ad string) []byte {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("seal: no randomness: " + err.Error())
	}
	return s.aead.Seal(nonce, nonce, plain, []byte(ad))
}

// Open reverses Seal; it fails with ErrOpen unless key and ad match.
func (s *Sealer) Open(sealed []byte, ad string) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n+s.aead.Overhead() {
		return nil, ErrOpen
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], []byte(ad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// NewKey returns a fresh random server key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic("seal: no randomness: " + err.Error())
	}
	return k
}

// ParseKey decodes a key given as base64 (standard or URL alphabet) or
// 64 hex digits.
func ParseKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(text); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	if k, err := hex.DecodeString(text); err == nil && len(k) == KeySize {
		return k, nil
	}
	return nil, fmt.Errorf("seal: server key must be %d bytes in base64 or hex", KeySize)
}

// LoadOrCreateKeyFile reads the key in path, creating the file (mode 0600)
// with a new key when it does not exist.
func LoadOrCreateKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return ParseKey(string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	k := NewKey()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another process won the race
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return ParseKey(string(b))
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		return nil, err
	}
	return k, nil
}
