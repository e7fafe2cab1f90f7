// Package tokens owns signing keys, JWT signing and verification, JWKS and
// sealed sessions: the cryptography behind Cognito's ID and access tokens,
// refresh-token handles, challenge Session strings and SRP SECRET_BLOCKs.
//
// It knows nothing of the flows (which claims a token carries, which
// checks of exp, iss or token_use apply) and nothing of HTTP. Its only
// state is keys, kept in the store (private material sealed with the server
// key) and cached in memory for at most a minute, so any number of nodes
// sharing one store sign with the same keys and open each other's sessions.
package tokens

import (
	"errors"
	"sync"
	"time"

	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/store"
)

// Key uses: one signing key for ID tokens and one for access tokens per
// pool (so the two carry different kids, as on AWS), and the server-wide
// session-sealing keys (kept with PoolID "").
const (
	UseID      = "id"
	UseAccess  = "access"
	useSession = "session"
)

// Errors. Callers test with errors.Is; store failures are returned as they
// are, never as one of these.
var (
	// ErrInvalidToken: a JWT or refresh token that is malformed, signed with
	// an unknown key or an algorithm other than RS256, or badly signed.
	ErrInvalidToken = errors.New("tokens: invalid token")
	// ErrSessionExpired: a sealed session that is authentic but past its
	// expiry.
	ErrSessionExpired = errors.New("tokens: session expired")
	// ErrInvalidSession: a sealed session that is malformed, tampered with,
	// sealed for another purpose or with an unknown key.
	ErrInvalidSession = errors.New("tokens: invalid session")
)

const (
	// cacheTTL bounds how long a node uses its in-memory copy of a key set
	// before listing the store again; Rotate's publishAhead should be at
	// least this long so every node publishes a key before any signs with it.
	cacheTTL = time.Minute
	// missRefresh is the least age of a cached key set before an unknown kid
	// or session key id makes the node list the store again (a key another
	// node created), which bounds the store load forged tokens can cause.
	missRefresh = 5 * time.Second
	rsaBits     = 2048
)

// Service signs and verifies tokens and seals sessions with keys kept in a
// store. It is safe for concurrent use.
type Service struct {
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time

	st     store.Store
	sealer *seal.Sealer
	slots  sync.Map // slotKey -> *slot
}

// New returns a Service keeping its keys in st, their private material
// sealed with sealer.
func New(st store.Store, sealer *seal.Sealer) *Service {
	return &Service{st: st, sealer: sealer}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func signingUse(use string) bool { return use == UseID || use == UseAccess }
