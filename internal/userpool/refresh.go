package userpool

import (
	"context"
	"errors"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// refreshed loads and checks the record of a refresh token presented by
// client (api.md §5.6) and returns it with its user.
func (s *Service) refreshed(ctx context.Context, a *attempt, token string) (cognito.RefreshToken, cognito.User, error) {
	invalid := cognito.Errorf(cognito.NotAuthorized, "Invalid Refresh Token")
	id, hash, err := tokens.ParseRefreshToken(token)
	if err != nil {
		return cognito.RefreshToken{}, cognito.User{}, invalid
	}
	rec, err := s.st.GetRefreshToken(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return rec, cognito.User{}, invalid
	}
	if err != nil {
		return rec, cognito.User{}, err
	}
	if !sameHash(rec.SecretHash, hash) || rec.ClientID != a.client.ClientId || rec.PoolID != a.pool.Id {
		return rec, cognito.User{}, invalid
	}
	if rec.Revoked {
		return rec, cognito.User{}, cognito.Errorf(cognito.NotAuthorized, "Refresh Token has been revoked")
	}
	if !rec.RotatedAt.IsZero() && s.now().After(rec.RotatedAt.Add(rotationGrace(&a.client))) {
		return rec, cognito.User{}, cognito.Errorf(cognito.RefreshTokenReuse, "Refresh token has been rotated and can no longer be used.")
	}
	if s.now().After(rec.Expires) {
		return rec, cognito.User{}, cognito.Errorf(cognito.NotAuthorized, "Refresh Token has expired")
	}
	u, err := s.st.GetUser(ctx, a.pool.Id, rec.Username)
	if errors.Is(err, store.ErrNotFound) {
		return rec, u, cognito.ErrUserNotFound()
	}
	if err != nil {
		return rec, u, err
	}
	return rec, u, usableUser(&u)
}

// refreshAuth is InitiateAuth REFRESH_TOKEN_AUTH: new ID and access tokens,
// same origin_jti and auth_time, no new refresh token.
func (s *Service) refreshAuth(ctx context.Context, a *attempt, p map[string]string) (*AuthOutput, error) {
	if err := required(p, "REFRESH_TOKEN"); err != nil {
		return nil, err
	}
	// A missing SECRET_HASH is refused before the token is looked at (api.md
	// §5.2 step 3); a wrong one needs the token's user to tell.
	if a.client.ClientSecret != "" && p["SECRET_HASH"] == "" {
		return nil, checkSecretHash(&a.client, "")
	}
	rec, u, err := s.refreshed(ctx, a, p["REFRESH_TOKEN"])
	if err != nil {
		return nil, err
	}
	// Clients must hash the internal username; tarn also accepts the other
	// identifiers of the token's user a client may hold (api.md §4), never
	// a name the caller picks.
	if err := checkSecretHash(&a.client, p["SECRET_HASH"], u.Username, u.Sub, u.Attributes["email"], u.Attributes["phone_number"],
		u.Attributes["preferred_username"]); err != nil {
		return nil, cognito.Errorf(cognito.NotAuthorized, "SecretHash does not match for the client: %s", a.client.ClientId)
	}
	res, err := s.issue(ctx, grant{pool: &a.pool, client: &a.client, user: &u, authTime: rec.AuthTime, origin: &rec, source: "TokenGeneration_RefreshTokens"})
	if err != nil {
		return nil, err
	}
	return &AuthOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

// GetTokensFromRefreshTokenInput is the GetTokensFromRefreshToken request.
type GetTokensFromRefreshTokenInput struct {
	RefreshToken   string            `json:"RefreshToken" aws:"required,sensitive"`
	ClientId       string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	ClientSecret   string            `json:"ClientSecret" aws:"len=24-64,sensitive,pattern=[\\w+]+"`
	DeviceKey      string            `json:"DeviceKey" aws:"len=1-55"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// GetTokensFromRefreshTokenOutput is its response.
type GetTokensFromRefreshTokenOutput struct {
	AuthenticationResult *AuthenticationResult `json:"AuthenticationResult"`
}

// GetTokensFromRefreshToken refreshes with the raw client secret. With
// refresh-token rotation enabled it also returns a new refresh token; the
// old one stays usable for the client's RetryGracePeriodSeconds (0 when
// unset) and then fails with RefreshTokenReuseException.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, in *GetTokensFromRefreshTokenInput) (*GetTokensFromRefreshTokenOutput, error) {
	client, pool, err := s.clientPool(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	if err := checkClientSecret(&client, in.ClientSecret, cognito.NotAuthorized); err != nil {
		return nil, err
	}
	a := &attempt{pool: pool, client: client, metadata: in.ClientMetadata}
	if !flowAllowed(&client, "REFRESH_TOKEN_AUTH") {
		return nil, cognito.ErrInvalidParameter("REFRESH_TOKEN_AUTH flow not enabled for this client")
	}
	rec, u, err := s.refreshed(ctx, a, in.RefreshToken)
	if err != nil {
		return nil, err
	}
	// [?] triggers.md §5: the docs map GetTokensFromRefreshToken to
	// TokenGeneration_Authentication in one place; tarn reports the refresh
	// for what it is, TokenGeneration_RefreshTokens, like REFRESH_TOKEN_AUTH.
	g := grant{pool: &pool, client: &client, user: &u, authTime: rec.AuthTime, origin: &rec,
		source: "TokenGeneration_RefreshTokens", metadata: in.ClientMetadata}
	if rotates(&client) {
		g.origin = nil
	}
	res, err := s.issue(ctx, g)
	if err != nil {
		return nil, err
	}
	// The old token is rotated out only once the new one exists: a failing
	// pre token generation function must leave the old one usable.
	if rotates(&client) {
		if err := s.st.MarkRefreshTokenRotated(ctx, rec.ID, s.now()); err != nil {
			return nil, err
		}
	}
	return &GetTokensFromRefreshTokenOutput{AuthenticationResult: res}, nil
}

func rotates(c *cognito.UserPoolClient) bool {
	return c.RefreshTokenRotation != nil && c.RefreshTokenRotation.Feature == "ENABLED"
}

// rotationGrace is how long a rotated-out refresh token stays usable.
func rotationGrace(c *cognito.UserPoolClient) time.Duration {
	if r := c.RefreshTokenRotation; r != nil && r.RetryGracePeriodSeconds != nil {
		return time.Duration(*r.RetryGracePeriodSeconds) * time.Second
	}
	return 0
}
