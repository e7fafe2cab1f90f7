package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"math/big"
	"strings"
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

// Listing pagination (api.md §2.6). A page token carries the last key of
// the page before and the time it was made, tagged with the server key
// over both and the listing it belongs to (operation and pool, or group):
// opaque to clients, stateless and valid on any node, while a token that
// was altered, made up or taken from another listing, or (ListUsers) is
// over an hour old, is an InvalidParameterException.

// pager makes and reads the page tokens of one listing.
type pager struct {
	s       *Service
	listing string
	ttl     time.Duration // how long a token is good for; 0: no limit
	limit   int
}

// pageRequest reads a request's token and page size (absent or 0: 60)
// into a pager and a store.Page that asks for one item more, so that
// pageResult can tell whether a further page exists.
func (s *Service) pageRequest(listing string, ttl time.Duration, token string, size *int) (pager, store.Page, error) {
	p := s.newPager(listing, ttl)
	if size != nil && *size != 0 {
		p.limit = *size
	}
	after, err := p.read(token)
	return p, store.Page{After: after, Limit: p.limit + 1}, err
}

// newPager is the pager of a listing at the default page size.
func (s *Service) newPager(listing string, ttl time.Duration) pager {
	return pager{s: s, listing: listing, ttl: ttl, limit: 60}
}

// poolPage resolves the pool and the page of a listing inside it: the
// operation op over the pool, narrowed by within (a group's name, or "").
func (s *Service) poolPage(ctx context.Context, op, poolID, within, token string, size *int) (pool cognito.UserPool, p pager, page store.Page, err error) {
	if pool, err = s.pool(ctx, poolID); err != nil {
		return pool, p, page, err
	}
	p, page, err = s.pageRequest(op+"/"+pool.Id+"/"+within, 0, token, size)
	return pool, p, page, err
}

// tag is the token tag over a payload.
func (p pager) tag(payload []byte) []byte {
	return p.s.sealer.Tag("page-token\x00" + p.listing + "\x00" + string(payload))[:16]
}

// token is the token of the page after the key after.
func (p pager) token(after string) string {
	payload := binary.BigEndian.AppendUint64(nil, uint64(p.s.now().Unix()))
	payload = append(payload, after...)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(p.tag(payload))
}

// read returns the key a token carries ("" for no token).
func (p pager) read(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	enc, encTag, ok := strings.Cut(token, ".")
	// Strict: a changed last character must not decode to the same bytes.
	payload, err1 := base64.RawURLEncoding.Strict().DecodeString(enc)
	tag, err2 := base64.RawURLEncoding.Strict().DecodeString(encTag)
	if !ok || err1 != nil || err2 != nil || len(payload) <= 8 || !hmac.Equal(tag, p.tag(payload)) {
		return "", cognito.ErrInvalidParameter("Invalid pagination token.")
	}
	made := time.Unix(int64(binary.BigEndian.Uint64(payload)), 0)
	if p.ttl > 0 && p.s.now().Sub(made) > p.ttl {
		return "", cognito.ErrInvalidParameter("Pagination token has expired.")
	}
	return string(payload[8:]), nil
}

// pageResult trims items fetched with pageRequest to the page size and
// returns the token of the next page: "" on the last page, so that the
// output member is omitted.
func pageResult[T any](p pager, items []T, key func(*T) string) ([]T, string) {
	if len(items) <= p.limit {
		return items, ""
	}
	items = items[:p.limit]
	return items, p.token(key(&items[p.limit-1]))
}
