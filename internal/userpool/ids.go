package userpool

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// Alphabets of the identifiers Cognito hands out (api.md §1.7).
const (
	alnumMixed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	alnumLower = "0123456789abcdefghijklmnopqrstuvwxyz"
)

// newPoolID returns a user pool id: "<region>_" followed by 9 random
// mixed-case alphanumerics, e.g. "us-east-2_CIlIKaiUZ".
func newPoolID(region string) string { return region + "_" + randomString(alnumMixed, 9) }

// newClientID returns an app client id of 26 lowercase alphanumerics.
func newClientID() string { return randomString(alnumLower, 26) }

// newClientSecret returns a generated client secret of 51 lowercase
// alphanumerics (inside the API's 24–64 `[\w+]+` constraint).
func newClientSecret() string { return randomString(alnumLower, 51) }

// newUUID returns a random lowercase version-4 UUID.
func newUUID() string { return uuid.NewString() }

// timeUUID returns a version-7 UUID (RFC 9562) for time t: 48 bits of Unix
// milliseconds, 12 bits of the fraction of the millisecond, then random
// bits. Tokens carry it as jti, so revocation can tell which side of a
// sign-out or a disable, even within one second, a token was issued on.
func timeUUID(t time.Time) string {
	var id uuid.UUID
	ms := uint64(t.UnixMilli())
	frac := uint64(t.Nanosecond()%1e6) * 4096 / 1e6
	binary.BigEndian.PutUint64(id[0:8], ms<<16|0x7000|frac)
	_, _ = rand.Read(id[8:])
	id[8] = id[8]&0x3f | 0x80
	return id.String()
}

// uuidTime is the time a timeUUID was made for, to 1/4096 ms; ok is false
// for anything else.
func uuidTime(s string) (t time.Time, ok bool) {
	id, err := uuid.Parse(s)
	if err != nil || id.Version() != 7 {
		return time.Time{}, false
	}
	v := binary.BigEndian.Uint64(id[0:8])
	ms, frac := int64(v>>16), int64(v&0x0fff)
	return time.UnixMilli(ms).Add(time.Duration(frac * 1e6 / 4096)), true
}

// uuidFrom shapes the first 16 bytes of b as a version-4 UUID, for ids
// that must look random but be stable.
func uuidFrom(b []byte) string {
	var id uuid.UUID
	copy(id[:], b)
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id.String()
}

// randomString returns n characters drawn uniformly from alphabet with
// crypto/rand. It panics if the system has no randomness, as crypto/rand
// itself does.
func randomString(alphabet string, n int) string {
	size := big.NewInt(int64(len(alphabet)))
	b := make([]byte, n)
	for i := range b {
		k, err := rand.Int(rand.Reader, size)
		if err != nil {
			panic("userpool: no randomness: " + err.Error())
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// Listing pagination (api.md §2.6). A page token is the base64url encoding
// of the last key of the previous page (encodeToken/decodeToken, shared with
// ListUsers): opaque to clients, stateless, valid on any node.

// pageRequest turns a request token and page size (absent or 0: 60) into
// the size and a store.Page that asks for one item more, so that
// pageResult can tell whether a further page exists. A token that does not
// decode is an InvalidParameterException.
func pageRequest(token string, size *int) (limit int, page store.Page, err error) {
	limit = 60
	if size != nil && *size != 0 {
		limit = *size
	}
	after, err := decodeToken(token)
	return limit, store.Page{After: after, Limit: limit + 1}, err
}

// poolPage resolves the pool and the page of a listing inside a pool.
func (s *Service) poolPage(ctx context.Context, poolID, token string, size *int) (pool cognito.UserPool, limit int, page store.Page, err error) {
	if pool, err = s.pool(ctx, poolID); err != nil {
		return pool, 0, page, err
	}
	limit, page, err = pageRequest(token, size)
	return pool, limit, page, err
}

// pageResult trims items fetched with pageRequest to limit and returns the
// token of the next page: "" on the last page, so that the output member is
// omitted.
func pageResult[T any](items []T, limit int, key func(*T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, encodeToken(key(&items[limit-1]))
}
