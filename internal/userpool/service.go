// Package userpool implements every Cognito user-pool flow: pools and
// clients, sign-up and confirmation, the authentication state machine and
// its challenges, administrative user operations, attribute rules and the
// password policy. It speaks the API's input and output shapes (the *Input
// and *Output types) but knows nothing of HTTP or SQL: requests arrive
// decoded from the api package, state goes through store.Store.
package userpool

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// Config wires a Service.
type Config struct {
	Store  store.Store
	Tokens *tokens.Service
	Sealer *seal.Sealer
	// Region is used for new pool ids and ARNs (default "us-east-1").
	Region string
	// AccountID goes into ARNs (default "000000000000").
	AccountID string
	// Issuer returns the "iss" claim for a pool: by default
	// "<public base URL>/<poolId>", or an AWS-style issuer.
	Issuer func(poolID string) string
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service runs the flows. It is safe for concurrent use and keeps no state
// that matters outside the store, so any number of Services (nodes) may
// share one store.
type Service struct {
	st     store.Store
	tok    *tokens.Service
	sealer *seal.Sealer
	region string
	acct   string
	issuer func(string) string
	log    *slog.Logger
	now    func() time.Time
}

// New returns a Service.
func New(c Config) *Service {
	s := &Service{st: c.Store, tok: c.Tokens, sealer: c.Sealer, region: c.Region, acct: c.AccountID, issuer: c.Issuer, log: c.Logger, now: c.Now}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.acct == "" {
		s.acct = "000000000000"
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.issuer == nil {
		s.issuer = func(id string) string { return "http://127.0.0.1:9229/" + id }
	}
	return s
}

// Messages lists the outbox (GET /_tarn/messages).
func (s *Service) Messages(ctx context.Context, f store.MessageFilter) ([]cognito.Message, error) {
	return s.st.ListMessages(ctx, f)
}

// JWKS returns the pool's JSON Web Key Set document.
func (s *Service) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	if _, err := s.pool(ctx, poolID); err != nil {
		return nil, err
	}
	return s.tok.JWKS(ctx, poolID)
}

// Discovery returns the pool's OpenID configuration document fields.
func (s *Service) Discovery(ctx context.Context, poolID string) (map[string]any, error) {
	if _, err := s.pool(ctx, poolID); err != nil {
		return nil, err
	}
	iss := s.issuer(poolID)
	return map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + "/.well-known/jwks.json",
		"response_types_supported":              []string{"code", "token"},
		"scopes_supported":                      []string{"openid", "email", "phone", "profile"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	}, nil
}

func (s *Service) pool(ctx context.Context, id string) (cognito.UserPool, error) {
	p, err := s.st.GetPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, cognito.ErrPoolNotFound(id)
	}
	return p, err
}

// Invocations lists the trigger invocation log (GET /_tarn/invocations).
func (s *Service) Invocations(ctx context.Context, f store.InvocationFilter) ([]cognito.Invocation, error) {
	return s.st.ListInvocations(ctx, f)
}
