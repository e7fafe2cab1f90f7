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
	"github.com/tarn-idp/tarn/internal/lambda"
	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/tokens"
	"github.com/tarn-idp/tarn/internal/triggers"
)

// Config wires a Service.
type Config struct {
	Store store.Store
	// Triggers calls the pool's Lambda triggers; nil runs none (a pool
	// that configures one then fails as AWS does for a missing function).
	Triggers *triggers.Dispatcher
	Tokens   *tokens.Service
	Sealer   *seal.Sealer
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
	// MaxUserPools is how many pools may exist at once (AWS's quota per
	// account and Region, 1,000 by default); 0 means that default.
	MaxUserPools int
	// MaxGroupsPerPool is how many groups a pool may have (AWS: 10,000);
	// 0 means that.
	MaxGroupsPerPool int
}

// Service runs the flows. It is safe for concurrent use and keeps no state
// that matters outside the store, so any number of Services (nodes) may
// share one store.
type Service struct {
	st     store.Store
	trig   *triggers.Dispatcher
	tok    *tokens.Service
	sealer *seal.Sealer
	region string
	acct   string
	issuer func(string) string
	log    *slog.Logger
	now    func() time.Time
	// maxPools and maxGroups are Config's quotas.
	maxPools, maxGroups int
}

// New returns a Service.
func New(c Config) *Service {
	s := &Service{st: c.Store, trig: c.Triggers, tok: c.Tokens, sealer: c.Sealer, region: c.Region, acct: c.AccountID, issuer: c.Issuer, log: c.Logger, now: c.Now, maxPools: c.MaxUserPools, maxGroups: c.MaxGroupsPerPool}
	if s.trig == nil {
		s.trig = &triggers.Dispatcher{Invoker: noFunctions{}}
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.maxPools == 0 {
		s.maxPools = DefaultMaxUserPools
	}
	if s.maxGroups == 0 {
		s.maxGroups = 10000 // api.md §9
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

// noFunctions is the invoker of a Service configured without triggers.
type noFunctions struct{}

func (noFunctions) Invoke(context.Context, string, []byte) (lambda.Result, error) {
	return lambda.Result{}, lambda.ErrFunctionNotFound
}

// caller is the trigger context of a request on pool by clientID ("" for
// admin operations without a client).
func (s *Service) caller(pool *cognito.UserPool, clientID string) triggers.Caller {
	return triggers.Caller{PoolID: pool.Id, Region: pool.Region(), ClientID: clientID, Config: pool.LambdaConfig}
}

// eventAttributes are a user's attributes as triggers see them: with sub
// and cognito:user_status (triggers.md §3.1).
func eventAttributes(u *cognito.User) map[string]string {
	m := make(map[string]string, len(u.Attributes)+2)
	for k, v := range u.Attributes {
		m[k] = v
	}
	m["sub"] = u.Sub
	m["cognito:user_status"] = u.Status
	return m
}

// postConfirmation runs the post confirmation trigger for a user whose
// confirmation (or password reset) has been stored; a failure is reported
// but the change stays (triggers.md §4.3).
func (s *Service) postConfirmation(ctx context.Context, pool *cognito.UserPool, clientID, username, source string, meta map[string]string) error {
	if pool.LambdaConfig == nil || pool.LambdaConfig.PostConfirmation == "" {
		return nil
	}
	u, err := s.st.GetUser(ctx, pool.Id, username)
	if err != nil {
		return err
	}
	return s.trig.PostConfirmation(ctx, s.caller(pool, clientID), source, u.Username, eventAttributes(&u), meta)
}
