package tokens

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// A sealed session is, in standard base64 with padding:
//
//	version (1) ‖ session key id (16) ‖ salt (16) ‖ AES-256-GCM(expiry ms (8) ‖ payload) ‖ tag (16)
//
// Each session is encrypted under its own key, HKDF-SHA256(session key,
// salt), with an all-zero nonce: a random 128-bit salt per message means
// the number of sessions sealed under one stored key is not limited by
// GCM's random-nonce bound (2^32), and session keys never need rotating.
// The purpose is the associated data, so a value sealed for one purpose
// (an SRP SECRET_BLOCK) never opens as another (a challenge Session).
const (
	sessionVersion  = 1
	sessionSaltLen  = 16
	sessionHeadLen  = 1 + 16 + sessionSaltLen
	sessionOverhead = sessionHeadLen + 8 + 16
)

var sessionNonce = make([]byte, 12)

// SealSession seals payload for purpose, to be opened by OpenSession on any
// node until ttl has passed. The result is standard base64 with padding,
// 76 characters plus 4/3 of the payload's length (a 700-byte payload gives
// 1012), and matches Cognito's Session limits (20–2048 characters) for
// payloads up to 1479 bytes. The server's session key is created on first
// use.
func (s *Service) SealSession(ctx context.Context, purpose string, payload []byte, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", errors.New("tokens: session ttl must be positive")
	}
	k, err := s.currentKey(ctx, "", useSession)
	if err != nil {
		return "", err
	}
	out := make([]byte, sessionHeadLen, sessionOverhead+len(payload))
	out[0] = sessionVersion
	copy(out[1:], k.id[:])
	salt := out[17:sessionHeadLen]
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	aead, err := sessionAEAD(k.secret, salt)
	if err != nil {
		return "", err
	}
	plain := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint64(plain, uint64(s.now().Add(ttl).UnixMilli()))
	copy(plain[8:], payload)
	out = aead.Seal(out, sessionNonce, plain, sessionAD(purpose))
	return base64.StdEncoding.EncodeToString(out), nil
}

// OpenSession returns the payload of a value SealSession sealed for the
// same purpose. It fails with ErrInvalidSession when sealed is malformed,
// tampered with, sealed for another purpose or with a key this server does
// not have, and with ErrSessionExpired when it is authentic but its ttl has
// passed.
func (s *Service) OpenSession(ctx context.Context, purpose, sealed string) ([]byte, error) {
	raw, err := base64.StdEncoding.Strict().DecodeString(sealed)
	if err != nil || len(raw) < sessionOverhead || raw[0] != sessionVersion {
		return nil, ErrInvalidSession
	}
	id := raw[1:17]
	ks, err := s.keys(ctx, "", useSession, false)
	if err != nil {
		return nil, err
	}
	now := s.now()
	k := ks.byID(id, now)
	if k == nil {
		if ks, err = s.refresh(ctx, "", useSession, ks, false); err != nil {
			return nil, err
		}
		if ks != nil {
			k = ks.byID(id, now)
		}
		if k == nil {
			return nil, ErrInvalidSession
		}
	}
	aead, err := sessionAEAD(k.secret, raw[17:sessionHeadLen])
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, sessionNonce, raw[sessionHeadLen:], sessionAD(purpose))
	if err != nil {
		return nil, ErrInvalidSession
	}
	expires := time.UnixMilli(int64(binary.BigEndian.Uint64(plain)))
	if !now.Before(expires) {
		return nil, ErrSessionExpired
	}
	return plain[8:], nil
}

func sessionAEAD(secret, salt []byte) (cipher.AEAD, error) {
	sub, err := hkdf.Key(sha256.New, secret, salt, "tarn session v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(sub)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func sessionAD(purpose string) []byte { return []byte("tarn-session:" + purpose) }
