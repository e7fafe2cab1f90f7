package userpool

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/tokens"
	"github.com/tarn-idp/tarn/internal/triggers"
)

// AuthenticationResult is AuthenticationResultType.
type AuthenticationResult struct {
	AccessToken  string `json:"AccessToken"`
	ExpiresIn    int    `json:"ExpiresIn"`
	TokenType    string `json:"TokenType"`
	RefreshToken string `json:"RefreshToken,omitempty"`
	IdToken      string `json:"IdToken"`
}

const adminScope = "aws.cognito.signin.user.admin"

// grant describes one token issuance: who, for which client, and where it
// comes from. origin is the refresh-token record the tokens hang off: a new
// one is created for a sign-in, the existing one is reused on refresh.
type grant struct {
	pool     *cognito.UserPool
	client   *cognito.UserPoolClient
	user     *cognito.User
	authTime time.Time
	origin   *cognito.RefreshToken
	// source is the pre token generation trigger source
	// (TokenGeneration_Authentication, _NewPasswordChallenge,
	// _RefreshTokens); metadata its clientMetadata.
	source   string
	metadata map[string]string
}

// issue signs ID and access tokens (api.md §7.2, §7.3) and, for a sign-in,
// a new refresh token whose record carries the origin_jti.
func (s *Service) issue(ctx context.Context, g grant) (*AuthenticationResult, error) {
	now := s.now()
	res := &AuthenticationResult{TokenType: "Bearer"}
	groups, err := s.st.ListGroupsForUser(ctx, g.pool.Id, g.user.Username, store.Page{})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(groups))
	for i, gr := range groups {
		names[i] = gr.GroupName
	}
	// Pre token generation runs before anything is stored, so a failing
	// function leaves no refresh token behind.
	var override *triggers.TokenOverride
	if g.source != "" {
		override, err = s.trig.PreTokenGeneration(ctx, s.caller(g.pool, g.client.ClientId), g.source, g.user.Username,
			eventAttributes(g.user), groupConfiguration(names, groups), []string{adminScope}, g.metadata)
		if err != nil {
			return nil, err
		}
	}
	if g.origin == nil {
		tok, id, hash := tokens.NewRefreshToken()
		rec := cognito.RefreshToken{
			ID: id, PoolID: g.pool.Id, ClientID: g.client.ClientId, Username: g.user.Username,
			SecretHash: hash, AuthTime: g.authTime, Created: now, Expires: now.Add(refreshTokenTTL(g.client)),
		}
		if err := s.st.CreateRefreshToken(ctx, rec); err != nil {
			return nil, err
		}
		g.origin, res.RefreshToken = &rec, tok
	}
	eventID := newUUID()
	base := func(use string, ttl time.Duration) map[string]any {
		c := map[string]any{
			"sub": g.user.Sub, "iss": s.issuer(g.pool.Id), "token_use": use,
			"auth_time": g.authTime.Unix(), "iat": now.Unix(), "exp": now.Add(ttl).Unix(),
			"jti": timeUUID(now), "event_id": eventID,
		}
		// api.md §7.2: origin_jti is there when the client has token
		// revocation (the default).
		if g.client.EnableTokenRevocation {
			c["origin_jti"] = g.origin.ID
		}
		if len(names) > 0 {
			c["cognito:groups"] = names
		}
		return c
	}

	access := base("access", accessTokenTTL(g.client))
	access["client_id"] = g.client.ClientId
	access["scope"] = adminScope
	access["username"] = g.user.Username

	id := base("id", idTokenTTL(g.client))
	id["aud"] = g.client.ClientId
	id["cognito:username"] = g.user.Username
	addRoles(id, groups)
	for name, v := range g.user.Attributes {
		if !clientMayRead(g.client, name) {
			continue
		}
		id[name] = claimValue(name, v)
	}
	override.Apply(id, access, g.client.ClientId)

	if res.AccessToken, err = s.tok.Sign(ctx, g.pool.Id, "access", access); err != nil {
		return nil, err
	}
	res.ExpiresIn = int(accessTokenTTL(g.client) / time.Second)
	if res.IdToken, err = s.tok.Sign(ctx, g.pool.Id, "id", id); err != nil {
		return nil, err
	}
	return res, nil
}

// groupConfiguration is the request.groupConfiguration of pre token
// generation: the user's groups, their roles and the preferred role.
func groupConfiguration(names []string, groups []cognito.Group) triggers.Groups {
	c := map[string]any{}
	addRoles(c, groups)
	g := triggers.Groups{GroupsToOverride: names}
	g.IamRolesToOverride, _ = c["cognito:roles"].([]string)
	if r, ok := c["cognito:preferred_role"].(string); ok {
		g.PreferredRole = &r
	}
	return g
}

// claimValue types an attribute for the ID token: *_verified as booleans,
// updated_at as a number, address as the OIDC address object with the
// stored string as its "formatted" member (as Cognito does), everything
// else (custom attributes included) as strings.
func claimValue(name, v string) any {
	switch name {
	case "email_verified", "phone_number_verified":
		return v == "true"
	case "address":
		return map[string]string{"formatted": v}
	case "updated_at":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return v
}

// addRoles sets cognito:roles and cognito:preferred_role from the groups'
// role ARNs (api.md §3.10).
func addRoles(claims map[string]any, groups []cognito.Group) {
	var roles []string
	var best *cognito.Group
	tie := false
	for i := range groups {
		g := &groups[i]
		if g.RoleArn == "" {
			continue
		}
		if !cognito.Has(roles, g.RoleArn) {
			roles = append(roles, g.RoleArn)
		}
		switch {
		case best == nil || precedence(g) < precedence(best):
			best, tie = g, false
		case precedence(g) == precedence(best) && g.RoleArn != best.RoleArn:
			tie = true
		}
	}
	if len(roles) == 0 {
		return
	}
	claims["cognito:roles"] = roles
	if !tie {
		claims["cognito:preferred_role"] = best.RoleArn
	}
}

func precedence(g *cognito.Group) int {
	if g.Precedence == nil {
		return int(^uint(0) >> 1)
	}
	return *g.Precedence
}

// caller is the user behind a valid access token.
type caller struct {
	pool   cognito.UserPool
	client cognito.UserPoolClient
	user   cognito.User
}

func invalidAccessToken() error {
	return cognito.Errorf(cognito.NotAuthorized, "Invalid Access Token")
}

// authorize validates an access token for a user-pool API call (api.md §7.6).
func (s *Service) authorize(ctx context.Context, token string) (caller, error) {
	var c caller
	poolID, err := tokens.PoolOf(token)
	if err != nil {
		return c, invalidAccessToken()
	}
	if c.pool, err = s.st.GetPool(ctx, poolID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return c, invalidAccessToken()
		}
		return c, err
	}
	claims, err := s.tok.Verify(ctx, poolID, "access", token)
	if errors.Is(err, tokens.ErrInvalidToken) {
		return c, invalidAccessToken()
	}
	if err != nil {
		return c, err
	}
	if claims["token_use"] != "access" || claims["iss"] != s.issuer(poolID) {
		return c, invalidAccessToken()
	}
	exp, _ := claims["exp"].(float64)
	if float64(s.now().Unix()) >= exp {
		return c, cognito.Errorf(cognito.NotAuthorized, "Access Token has expired")
	}
	username, _ := claims["username"].(string)
	sub, _ := claims["sub"].(string)
	// A token of a client without token revocation has no origin_jti and
	// no family to check; sign-outs still reach it through
	// TokensValidAfter, and deletion through the user lookup below.
	if origin, ok := claims["origin_jti"].(string); ok {
		rec, err := s.st.GetRefreshToken(ctx, origin)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return c, err
		}
		if err != nil {
			// Deleting a user deletes its token families: report the
			// deleted user (api.md §7.6 step 5), not a revocation.
			u, uerr := s.st.GetUser(ctx, poolID, username)
			if errors.Is(uerr, store.ErrNotFound) || (uerr == nil && u.Sub != sub) {
				return c, cognito.ErrUserNotFound()
			}
		}
		if err != nil || rec.Revoked {
			return c, cognito.Errorf(cognito.NotAuthorized, "Access Token has been revoked")
		}
	}
	scope, _ := claims["scope"].(string)
	if !cognito.Has(strings.Fields(scope), adminScope) {
		return c, cognito.Errorf(cognito.NotAuthorized, "Access Token does not have required scopes")
	}
	c.user, err = s.st.GetUser(ctx, poolID, username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.user.Sub != sub) {
		return c, cognito.ErrUserNotFound()
	}
	if err != nil {
		return c, err
	}
	// [?] decision: api.md §7.6 counts a disable among the revocations
	// ("Access Token has been revoked") while GetUser's entry says "User is
	// disabled.". While the user is disabled, tarn tells its tokens that
	// (clients match the text); once enabled again, the tokens the disable
	// revoked stay revoked.
	if !c.user.Enabled {
		return c, usableUser(&c.user)
	}
	if issuedBefore(claims, c.user.TokensValidAfter) {
		return c, cognito.Errorf(cognito.NotAuthorized, "Access Token has been revoked")
	}
	if err := usableUser(&c.user); err != nil {
		return c, err
	}
	clientID, _ := claims["client_id"].(string)
	if c.client, err = s.client(ctx, clientID); err != nil {
		if cognito.ErrorCode(err) == cognito.ResourceNotFound {
			return c, invalidAccessToken()
		}
		return c, err
	}
	return c, nil
}

// issuedBefore reports whether a token was issued before t: to a fraction
// of a millisecond by its jti (a timeUUID), and to the second by iat for
// tokens without one. With several nodes, the token's time is the issuing
// node's clock and t the revoking node's: keep the nodes' clocks in sync
// (NTP), or a sign-in on a node whose clock lags, within that lag after a
// sign-out elsewhere, gets tokens that are already revoked.
func issuedBefore(claims map[string]any, t time.Time) bool {
	jti, _ := claims["jti"].(string)
	if at, ok := uuidTime(jti); ok {
		return at.Before(t)
	}
	iat, _ := claims["iat"].(float64)
	return int64(iat) < t.Unix()
}

// usableUser rejects users whose tokens may not be used: disabled,
// unconfirmed or awaiting a password reset.
func usableUser(u *cognito.User) error {
	switch {
	case !u.Enabled:
		return cognito.Errorf(cognito.NotAuthorized, "User is disabled.")
	case u.Status == cognito.StatusResetRequired:
		return cognito.Errorf(cognito.PasswordResetRequired, "Password reset required for the user")
	case u.Status == cognito.StatusUnconfirmed:
		return cognito.Errorf(cognito.UserNotConfirmed, "User is not confirmed.")
	}
	return nil
}
