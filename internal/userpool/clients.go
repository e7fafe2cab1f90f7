package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// CreateUserPoolClientInput is the request of CreateUserPoolClient.
type CreateUserPoolClientInput struct {
	UserPoolId                               string                        `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	ClientName                               string                        `json:"ClientName" aws:"required,len=1-128,pattern=[\\w\\s+=,.@-]+"`
	GenerateSecret                           *bool                         `json:"GenerateSecret"`
	ClientSecret                             string                        `json:"ClientSecret" aws:"len=24-64,sensitive,pattern=[\\w+]+"`
	RefreshTokenValidity                     *int                          `json:"RefreshTokenValidity" aws:"range=0-315360000"`
	AccessTokenValidity                      *int                          `json:"AccessTokenValidity" aws:"range=1-86400"`
	IdTokenValidity                          *int                          `json:"IdTokenValidity" aws:"range=1-86400"`
	TokenValidityUnits                       *cognito.TokenValidityUnits   `json:"TokenValidityUnits"`
	ReadAttributes                           []string                      `json:"ReadAttributes"`
	WriteAttributes                          []string                      `json:"WriteAttributes"`
	ExplicitAuthFlows                        []string                      `json:"ExplicitAuthFlows"`
	SupportedIdentityProviders               []string                      `json:"SupportedIdentityProviders"`
	CallbackURLs                             []string                      `json:"CallbackURLs" aws:"len=0-100"`
	LogoutURLs                               []string                      `json:"LogoutURLs" aws:"len=0-100"`
	DefaultRedirectURI                       string                        `json:"DefaultRedirectURI" aws:"len=1-1024"`
	AllowedOAuthFlows                        []string                      `json:"AllowedOAuthFlows" aws:"len=0-3"`
	AllowedOAuthScopes                       []string                      `json:"AllowedOAuthScopes" aws:"len=0-50"`
	AllowedOAuthFlowsUserPoolClient          *bool                         `json:"AllowedOAuthFlowsUserPoolClient"`
	AnalyticsConfiguration                   json.RawMessage               `json:"AnalyticsConfiguration"`
	PreventUserExistenceErrors               string                        `json:"PreventUserExistenceErrors" aws:"enum=LEGACY|ENABLED"`
	EnableTokenRevocation                    *bool                         `json:"EnableTokenRevocation"`
	EnablePropagateAdditionalUserContextData *bool                         `json:"EnablePropagateAdditionalUserContextData"`
	AuthSessionValidity                      *int                          `json:"AuthSessionValidity" aws:"range=3-15"`
	RefreshTokenRotation                     *cognito.RefreshTokenRotation `json:"RefreshTokenRotation"`
}

// UserPoolClientOutput is the response of CreateUserPoolClient,
// DescribeUserPoolClient and UpdateUserPoolClient.
type UserPoolClientOutput struct {
	UserPoolClient cognito.UserPoolClient `json:"UserPoolClient"`
}

// CreateUserPoolClient creates an app client with a fresh 26-character id
// and the API's defaults for every omitted member (clientSettings.apply).
// With GenerateSecret the client gets a 51-character secret; a ClientSecret
// given instead is used as is. The secret is sealed at rest and returned in
// clear.
//
// Errors: ResourceNotFoundException for an unknown pool;
// InvalidParameterException for ClientSecret with GenerateSecret and every
// invalid member; InvalidOAuthFlowException and ScopeDoesNotExistException
// for bad OAuth settings (api.md §8.9).
func (s *Service) CreateUserPoolClient(ctx context.Context, in *CreateUserPoolClientInput) (*UserPoolClientOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if in.ClientName == "" {
		return nil, cognito.ErrInvalidParameter("ClientName is required.")
	}
	generate := in.GenerateSecret != nil && *in.GenerateSecret
	if generate && in.ClientSecret != "" {
		return nil, cognito.ErrInvalidParameter("ClientSecret cannot be specified when GenerateSecret is true.")
	}
	secret := in.ClientSecret
	if generate {
		secret = newClientSecret()
	}
	now := cognito.At(s.now())
	c := cognito.UserPoolClient{UserPoolId: pool.Id, ClientName: in.ClientName, CreationDate: now, LastModifiedDate: now}
	cs := clientSettings{
		RefreshTokenValidity:                     in.RefreshTokenValidity,
		AccessTokenValidity:                      in.AccessTokenValidity,
		IdTokenValidity:                          in.IdTokenValidity,
		TokenValidityUnits:                       in.TokenValidityUnits,
		ReadAttributes:                           in.ReadAttributes,
		WriteAttributes:                          in.WriteAttributes,
		ExplicitAuthFlows:                        in.ExplicitAuthFlows,
		SupportedIdentityProviders:               in.SupportedIdentityProviders,
		CallbackURLs:                             in.CallbackURLs,
		LogoutURLs:                               in.LogoutURLs,
		DefaultRedirectURI:                       in.DefaultRedirectURI,
		AllowedOAuthFlows:                        in.AllowedOAuthFlows,
		AllowedOAuthScopes:                       in.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient:          in.AllowedOAuthFlowsUserPoolClient,
		AnalyticsConfiguration:                   in.AnalyticsConfiguration,
		PreventUserExistenceErrors:               in.PreventUserExistenceErrors,
		EnableTokenRevocation:                    in.EnableTokenRevocation,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		AuthSessionValidity:                      in.AuthSessionValidity,
		RefreshTokenRotation:                     in.RefreshTokenRotation,
	}
	if err := cs.apply(&pool, &c, secret != "", "creating"); err != nil {
		return nil, err
	}
	for range 5 {
		c.ClientId = newClientID()
		stored := c
		if secret != "" {
			stored.SecretSealed = s.sealer.Seal([]byte(secret), "client-secret:"+c.ClientId)
		}
		err = s.st.CreateClient(ctx, stored)
		if !errors.Is(err, store.ErrAlreadyExists) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create client: %w", err)
	}
	c.ClientSecret = secret
	return &UserPoolClientOutput{UserPoolClient: c}, nil
}

// DescribeUserPoolClientInput is the request of DescribeUserPoolClient and
// DeleteUserPoolClient.
type DescribeUserPoolClientInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	ClientId   string `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
}

// DescribeUserPoolClient returns the client, ClientSecret included.
// Errors: ResourceNotFoundException (`User pool client <id> does not
// exist.`) when the client is unknown or belongs to another pool.
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *DescribeUserPoolClientInput) (*UserPoolClientOutput, error) {
	c, err := s.poolClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &UserPoolClientOutput{UserPoolClient: c}, nil
}

// UpdateUserPoolClientInput is the request of UpdateUserPoolClient.
type UpdateUserPoolClientInput struct {
	UserPoolId                               string                        `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	ClientId                                 string                        `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	ClientName                               string                        `json:"ClientName" aws:"len=1-128,pattern=[\\w\\s+=,.@-]+"`
	RefreshTokenValidity                     *int                          `json:"RefreshTokenValidity" aws:"range=0-315360000"`
	AccessTokenValidity                      *int                          `json:"AccessTokenValidity" aws:"range=1-86400"`
	IdTokenValidity                          *int                          `json:"IdTokenValidity" aws:"range=1-86400"`
	TokenValidityUnits                       *cognito.TokenValidityUnits   `json:"TokenValidityUnits"`
	ReadAttributes                           []string                      `json:"ReadAttributes"`
	WriteAttributes                          []string                      `json:"WriteAttributes"`
	ExplicitAuthFlows                        []string                      `json:"ExplicitAuthFlows"`
	SupportedIdentityProviders               []string                      `json:"SupportedIdentityProviders"`
	CallbackURLs                             []string                      `json:"CallbackURLs" aws:"len=0-100"`
	LogoutURLs                               []string                      `json:"LogoutURLs" aws:"len=0-100"`
	DefaultRedirectURI                       string                        `json:"DefaultRedirectURI" aws:"len=1-1024"`
	AllowedOAuthFlows                        []string                      `json:"AllowedOAuthFlows" aws:"len=0-3"`
	AllowedOAuthScopes                       []string                      `json:"AllowedOAuthScopes" aws:"len=0-50"`
	AllowedOAuthFlowsUserPoolClient          *bool                         `json:"AllowedOAuthFlowsUserPoolClient"`
	AnalyticsConfiguration                   json.RawMessage               `json:"AnalyticsConfiguration"`
	PreventUserExistenceErrors               string                        `json:"PreventUserExistenceErrors" aws:"enum=LEGACY|ENABLED"`
	EnableTokenRevocation                    *bool                         `json:"EnableTokenRevocation"`
	EnablePropagateAdditionalUserContextData *bool                         `json:"EnablePropagateAdditionalUserContextData"`
	AuthSessionValidity                      *int                          `json:"AuthSessionValidity" aws:"range=3-15"`
	RefreshTokenRotation                     *cognito.RefreshTokenRotation `json:"RefreshTokenRotation"`
}

// UpdateUserPoolClient replaces the client's settings: every member the
// request omits returns to its CreateUserPoolClient default. ClientName is
// kept when omitted (it has no default); the secret never changes.
// Errors: as CreateUserPoolClient, and ResourceNotFoundException for an
// unknown client or one of another pool.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *UpdateUserPoolClientInput) (*UserPoolClientOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	cs := clientSettings{
		RefreshTokenValidity:                     in.RefreshTokenValidity,
		AccessTokenValidity:                      in.AccessTokenValidity,
		IdTokenValidity:                          in.IdTokenValidity,
		TokenValidityUnits:                       in.TokenValidityUnits,
		ReadAttributes:                           in.ReadAttributes,
		WriteAttributes:                          in.WriteAttributes,
		ExplicitAuthFlows:                        in.ExplicitAuthFlows,
		SupportedIdentityProviders:               in.SupportedIdentityProviders,
		CallbackURLs:                             in.CallbackURLs,
		LogoutURLs:                               in.LogoutURLs,
		DefaultRedirectURI:                       in.DefaultRedirectURI,
		AllowedOAuthFlows:                        in.AllowedOAuthFlows,
		AllowedOAuthScopes:                       in.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient:          in.AllowedOAuthFlowsUserPoolClient,
		AnalyticsConfiguration:                   in.AnalyticsConfiguration,
		PreventUserExistenceErrors:               in.PreventUserExistenceErrors,
		EnableTokenRevocation:                    in.EnableTokenRevocation,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		AuthSessionValidity:                      in.AuthSessionValidity,
		RefreshTokenRotation:                     in.RefreshTokenRotation,
	}
	now := cognito.At(s.now())
	err = s.st.UpdateClient(ctx, in.ClientId, func(c *cognito.UserPoolClient) error {
		if c.UserPoolId != pool.Id {
			return cognito.ErrClientNotFound(in.ClientId)
		}
		if err := cs.apply(&pool, c, len(c.SecretSealed) > 0, "updating"); err != nil {
			return err
		}
		if in.ClientName != "" {
			c.ClientName = in.ClientName
		}
		c.LastModifiedDate = now
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ErrClientNotFound(in.ClientId)
	}
	if err != nil {
		return nil, err
	}
	c, err := s.poolClient(ctx, pool.Id, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &UserPoolClientOutput{UserPoolClient: c}, nil
}

// DeleteUserPoolClient deletes the client. Errors: ResourceNotFoundException
// for an unknown client or one of another pool.
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *DescribeUserPoolClientInput) (*Empty, error) {
	err := s.st.Tx(ctx, func(st store.Store) error {
		c, err := st.GetClient(ctx, in.ClientId)
		if err != nil {
			return err
		}
		if c.UserPoolId != in.UserPoolId {
			return store.ErrNotFound
		}
		return st.DeleteClient(ctx, c.ClientId)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ErrClientNotFound(in.ClientId)
	}
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListUserPoolClientsInput is the request of ListUserPoolClients.
type ListUserPoolClientsInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	MaxResults *int   `json:"MaxResults" aws:"range=1-60"`
	NextToken  string `json:"NextToken"`
}

// ListUserPoolClientsOutput is the response of ListUserPoolClients.
type ListUserPoolClientsOutput struct {
	UserPoolClients []UserPoolClientDescription `json:"UserPoolClients"`
	NextToken       string                      `json:"NextToken,omitempty"`
}

// UserPoolClientDescription is UserPoolClientDescription.
type UserPoolClientDescription struct {
	ClientId   string `json:"ClientId"`
	UserPoolId string `json:"UserPoolId"`
	ClientName string `json:"ClientName"`
}

// ListUserPoolClients lists the pool's clients ordered by client id,
// MaxResults (1–60, default 60) at a time; NextToken is absent on the last
// page. Errors: ResourceNotFoundException; InvalidParameterException for a
// bad NextToken.
func (s *Service) ListUserPoolClients(ctx context.Context, in *ListUserPoolClientsInput) (*ListUserPoolClientsOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(in.MaxResults)
	page, err := pageRequest(in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	clients, err := s.st.ListClients(ctx, pool.Id, page)
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	clients, next := pageResult(clients, limit, func(c *cognito.UserPoolClient) string { return c.ClientId })
	out := &ListUserPoolClientsOutput{UserPoolClients: make([]UserPoolClientDescription, 0, len(clients)), NextToken: next}
	for _, c := range clients {
		out.UserPoolClients = append(out.UserPoolClients, UserPoolClientDescription{ClientId: c.ClientId, UserPoolId: c.UserPoolId, ClientName: c.ClientName})
	}
	return out, nil
}

// client loads an app client by id with its ClientSecret unsealed.
// Errors: ResourceNotFoundException (`User pool client <id> does not
// exist.`) when there is none.
func (s *Service) client(ctx context.Context, clientID string) (cognito.UserPoolClient, error) {
	c, err := s.st.GetClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return c, cognito.ErrClientNotFound(clientID)
	}
	if err != nil {
		return c, err
	}
	if len(c.SecretSealed) > 0 {
		secret, err := s.sealer.Open(c.SecretSealed, "client-secret:"+c.ClientId)
		if err != nil {
			return c, fmt.Errorf("client %s: open secret: %w", c.ClientId, err)
		}
		c.ClientSecret = string(secret)
	}
	return c, nil
}

// poolClient is client for a client that must belong to pool poolID: a
// client of another pool is reported as not existing. It does not look the
// pool up (a deleted pool has no clients).
func (s *Service) poolClient(ctx context.Context, poolID, clientID string) (cognito.UserPoolClient, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return c, err
	}
	if c.UserPoolId != poolID {
		return cognito.UserPoolClient{}, cognito.ErrClientNotFound(clientID)
	}
	return c, nil
}

// Token lifetimes of a client, honouring TokenValidityUnits. A stored
// client always carries both values and units; the fallbacks reproduce the
// API defaults for records that do not.

// accessTokenTTL is the lifetime of the client's access tokens.
func accessTokenTTL(c *cognito.UserPoolClient) time.Duration {
	return validityTTL(c.AccessTokenValidity, unitsOf(c).AccessToken, "hours", time.Hour)
}

// idTokenTTL is the lifetime of the client's ID tokens.
func idTokenTTL(c *cognito.UserPoolClient) time.Duration {
	return validityTTL(c.IdTokenValidity, unitsOf(c).IdToken, "hours", time.Hour)
}

// refreshTokenTTL is the lifetime of the client's refresh tokens.
func refreshTokenTTL(c *cognito.UserPoolClient) time.Duration {
	return validityTTL(c.RefreshTokenValidity, unitsOf(c).RefreshToken, "days", 30*24*time.Hour)
}

// authSessionTTL is how long a challenge Session of the client lasts
// (AuthSessionValidity minutes, default 3).
func authSessionTTL(c *cognito.UserPoolClient) time.Duration {
	if c.AuthSessionValidity <= 0 {
		return 3 * time.Minute
	}
	return time.Duration(c.AuthSessionValidity) * time.Minute
}

func unitsOf(c *cognito.UserPoolClient) cognito.TokenValidityUnits {
	if c.TokenValidityUnits == nil {
		return cognito.TokenValidityUnits{}
	}
	return *c.TokenValidityUnits
}

// validityTTL converts value×unit into a duration; def when value is 0.
func validityTTL(value int, unit, defUnit string, def time.Duration) time.Duration {
	if value <= 0 {
		return def
	}
	d, ok := timeUnits[unit]
	if !ok {
		d = timeUnits[defUnit]
	}
	return time.Duration(value) * d
}

// timeUnits are the TimeUnitsType values.
var timeUnits = map[string]time.Duration{
	"seconds": time.Second,
	"minutes": time.Minute,
	"hours":   time.Hour,
	"days":    24 * time.Hour,
}

// clientSettings holds the members CreateUserPoolClient and
// UpdateUserPoolClient share; apply gives each its default when omitted, so
// that UpdateUserPoolClient has replace semantics for free.
type clientSettings struct {
	RefreshTokenValidity                     *int
	AccessTokenValidity                      *int
	IdTokenValidity                          *int
	TokenValidityUnits                       *cognito.TokenValidityUnits
	ReadAttributes                           []string
	WriteAttributes                          []string
	ExplicitAuthFlows                        []string
	SupportedIdentityProviders               []string
	CallbackURLs                             []string
	LogoutURLs                               []string
	DefaultRedirectURI                       string
	AllowedOAuthFlows                        []string
	AllowedOAuthScopes                       []string
	AllowedOAuthFlowsUserPoolClient          *bool
	AnalyticsConfiguration                   json.RawMessage
	PreventUserExistenceErrors               string
	EnableTokenRevocation                    *bool
	EnablePropagateAdditionalUserContextData *bool
	AuthSessionValidity                      *int
	RefreshTokenRotation                     *cognito.RefreshTokenRotation
}

// Auth flows (ExplicitAuthFlowsType): the legacy names cannot be mixed with
// the ALLOW_* ones.
var (
	legacyAuthFlows  = []string{"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"}
	allowAuthFlows   = []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"}
	defaultAuthFlows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}
	standardScopes   = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}
)

// apply validates the settings against pool and writes them, defaults filled
// in, to c; it changes c only when it returns nil. hasSecret tells whether
// the client has a secret (client_credentials needs one); verb ("creating",
// "updating") goes into attribute-permission messages.
//
// Defaults (api.md §2.2 A, §7.5): ExplicitAuthFlows [ALLOW_REFRESH_TOKEN_AUTH,
// ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH], EnableTokenRevocation true,
// AuthSessionValidity 3, PreventUserExistenceErrors LEGACY,
// AllowedOAuthFlowsUserPoolClient false, and the validities below.
//
// [?] Token validity: an omitted access or ID token validity is stored as
// 60 with unit "minutes" and an omitted refresh validity as 30 "days", so
// DescribeUserPoolClient always shows values and all three units. A value
// given without its unit takes the API's default unit (hours, hours, days).
// A unit given without its value expresses the default in that unit when it
// divides exactly (60 minutes = 1 hour), else falls back to minutes.
func (cs *clientSettings) apply(pool *cognito.UserPool, c *cognito.UserPoolClient, hasSecret bool, verb string) error {
	d := *c
	units := cognito.TokenValidityUnits{}
	if cs.TokenValidityUnits != nil {
		units = *cs.TokenValidityUnits
	}
	var err error
	if d.AccessTokenValidity, units.AccessToken, err = resolveValidity("AccessTokenValidity", cs.AccessTokenValidity, units.AccessToken, "hours", time.Hour, 5*time.Minute, 24*time.Hour); err != nil {
		return err
	}
	if d.IdTokenValidity, units.IdToken, err = resolveValidity("IdTokenValidity", cs.IdTokenValidity, units.IdToken, "hours", time.Hour, 5*time.Minute, 24*time.Hour); err != nil {
		return err
	}
	refresh := cs.RefreshTokenValidity
	if refresh != nil && *refresh == 0 { // 0 means the default, 30 days
		refresh = nil
	}
	if d.RefreshTokenValidity, units.RefreshToken, err = resolveValidity("RefreshTokenValidity", refresh, units.RefreshToken, "days", 30*24*time.Hour, time.Hour, 3650*24*time.Hour); err != nil {
		return err
	}
	d.TokenValidityUnits = &units

	if err := checkAuthFlows(cs.ExplicitAuthFlows); err != nil {
		return err
	}
	d.ExplicitAuthFlows = cs.ExplicitAuthFlows
	if len(d.ExplicitAuthFlows) == 0 {
		d.ExplicitAuthFlows = append([]string(nil), defaultAuthFlows...)
	}
	if err := checkAttributePermissions(pool, cs.ReadAttributes, cs.WriteAttributes, verb); err != nil {
		return err
	}
	d.ReadAttributes, d.WriteAttributes = nonEmpty(cs.ReadAttributes), nonEmpty(cs.WriteAttributes)
	for _, p := range cs.SupportedIdentityProviders {
		// [?] tarn has no federated identity providers yet, so COGNITO is
		// the only provider a client can name.
		if p != "COGNITO" {
			return cognito.ErrInvalidParameter("The provider %s does not exist for User Pool %s", p, pool.Id)
		}
	}
	d.SupportedIdentityProviders = nonEmpty(cs.SupportedIdentityProviders)
	if err := cs.checkOAuth(hasSecret); err != nil {
		return err
	}
	d.CallbackURLs, d.LogoutURLs = nonEmpty(cs.CallbackURLs), nonEmpty(cs.LogoutURLs)
	d.DefaultRedirectURI = cs.DefaultRedirectURI
	d.AllowedOAuthFlows, d.AllowedOAuthScopes = nonEmpty(cs.AllowedOAuthFlows), nonEmpty(cs.AllowedOAuthScopes)
	d.AllowedOAuthFlowsUserPoolClient = cs.AllowedOAuthFlowsUserPoolClient != nil && *cs.AllowedOAuthFlowsUserPoolClient
	d.AnalyticsConfiguration = rawOrNil(cs.AnalyticsConfiguration)

	d.PreventUserExistenceErrors = orDefault(cs.PreventUserExistenceErrors, "LEGACY")
	if d.PreventUserExistenceErrors != "LEGACY" && d.PreventUserExistenceErrors != "ENABLED" {
		return cognito.ErrInvalidParameter("PreventUserExistenceErrors must be LEGACY or ENABLED.")
	}
	d.EnableTokenRevocation = cs.EnableTokenRevocation == nil || *cs.EnableTokenRevocation
	d.EnablePropagateAdditionalUserContextData = cs.EnablePropagateAdditionalUserContextData != nil && *cs.EnablePropagateAdditionalUserContextData
	d.AuthSessionValidity = 3
	if v := cs.AuthSessionValidity; v != nil {
		if *v < 3 || *v > 15 {
			return cognito.ErrInvalidParameter("AuthSessionValidity must be between 3 and 15 minutes.")
		}
		d.AuthSessionValidity = *v
	}
	d.RefreshTokenRotation = nil
	if r := cs.RefreshTokenRotation; r != nil {
		if r.Feature != "ENABLED" && r.Feature != "DISABLED" {
			return cognito.ErrInvalidParameter("RefreshTokenRotation.Feature must be ENABLED or DISABLED.")
		}
		if g := r.RetryGracePeriodSeconds; g != nil && (*g < 0 || *g > 60) {
			return cognito.ErrInvalidParameter("RefreshTokenRotation.RetryGracePeriodSeconds must be between 0 and 60.")
		}
		cp := *r
		d.RefreshTokenRotation = &cp
	}
	*c = d
	return nil
}

// resolveValidity returns the value and unit to store for one token
// validity (see clientSettings.apply) after checking that it lies within
// [lo, hi]. Errors are InvalidParameterExceptions.
func resolveValidity(member string, v *int, unit, defUnit string, def, lo, hi time.Duration) (int, string, error) {
	if unit != "" {
		if _, ok := timeUnits[unit]; !ok {
			return 0, "", cognito.ErrInvalidParameter("TokenValidityUnits: %q is not one of seconds, minutes, hours, days.", unit)
		}
	}
	if v == nil {
		if unit != "" && def%timeUnits[unit] == 0 {
			return int(def / timeUnits[unit]), unit, nil
		}
		if def%(24*time.Hour) == 0 {
			return int(def / (24 * time.Hour)), "days", nil
		}
		return int(def / time.Minute), "minutes", nil
	}
	if unit == "" {
		unit = defUnit
	}
	if d := time.Duration(*v) * timeUnits[unit]; *v <= 0 || d < lo || d > hi {
		return 0, "", cognito.ErrInvalidParameter("Invalid range for token validity: %s %d %s is outside %s to %s.", member, *v, unit, humanDuration(lo), humanDuration(hi))
	}
	return *v, unit, nil
}

func humanDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	default:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
}

// checkAuthFlows validates ExplicitAuthFlows: known values, and legacy names
// not mixed with ALLOW_* ones.
func checkAuthFlows(flows []string) error {
	if err := checkEnumList("explicitAuthFlows", flows, append(append([]string(nil), legacyAuthFlows...), allowAuthFlows...)...); err != nil {
		return err
	}
	legacy, allow := false, false
	for _, f := range flows {
		legacy = legacy || cognito.Has(legacyAuthFlows, f)
		allow = allow || cognito.Has(allowAuthFlows, f)
	}
	if legacy && allow {
		return cognito.ErrInvalidParameter("ExplicitAuthFlows cannot mix legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) with ALLOW_* values.")
	}
	return nil
}

// checkAttributePermissions validates ReadAttributes and WriteAttributes:
// every name must be in the pool's schema, and a WriteAttributes list must
// include every required attribute (they are always writable, api.md §3.6).
func checkAttributePermissions(pool *cognito.UserPool, read, write []string, verb string) error {
	for _, l := range []struct {
		kind  string
		names []string
	}{{"read", read}, {"write", write}} {
		for _, n := range l.names {
			if _, ok := pool.Schema(n); !ok {
				return cognito.ErrInvalidParameter("Invalid %s attributes specified while %s a client: %s is not in the user pool's schema.", l.kind, verb, n)
			}
		}
	}
	if len(write) == 0 {
		return nil
	}
	for _, a := range pool.SchemaAttributes {
		if a.Required != nil && *a.Required && a.Name != "sub" && !cognito.Has(write, a.Name) {
			return cognito.ErrInvalidParameter("Invalid write attributes specified while %s a client: required attribute %s must be writable.", verb, a.Name)
		}
	}
	return nil
}

// checkOAuth validates the OAuth settings (api.md §8.9).
func (cs *clientSettings) checkOAuth(hasSecret bool) error {
	if err := checkEnumList("allowedOAuthFlows", cs.AllowedOAuthFlows, "code", "implicit", "client_credentials"); err != nil {
		return err
	}
	cc := cognito.Has(cs.AllowedOAuthFlows, "client_credentials")
	if cc && len(cs.AllowedOAuthFlows) > 1 {
		return cognito.Errorf(cognito.InvalidOAuthFlow, "client_credentials flow can not be selected together with the code or implicit flow.")
	}
	if cc && !hasSecret {
		return cognito.Errorf(cognito.InvalidOAuthFlow, "client_credentials flow can not be selected if client does not have a client secret.")
	}
	for _, sc := range cs.AllowedOAuthScopes {
		if !cognito.Has(standardScopes, sc) {
			// Custom scopes are "<resource server>/<scope>"; tarn has no
			// resource servers yet, so none exists.
			return cognito.Errorf(cognito.ScopeDoesNotExist, "Invalid scope requested: %s", sc)
		}
		if cc {
			return cognito.Errorf(cognito.InvalidOAuthFlow, "%s is not supported with client_credentials flow", sc)
		}
	}
	for _, l := range []struct {
		member string
		urls   []string
	}{{"CallbackURLs", cs.CallbackURLs}, {"LogoutURLs", cs.LogoutURLs}} {
		if len(l.urls) > 100 {
			return cognito.ErrInvalidParameter("%s can hold at most 100 URLs.", l.member)
		}
		for _, u := range l.urls {
			if err := checkRedirectURL(l.member, u); err != nil {
				return err
			}
		}
	}
	if cs.DefaultRedirectURI != "" {
		if err := checkRedirectURL("DefaultRedirectURI", cs.DefaultRedirectURI); err != nil {
			return err
		}
		if !cognito.Has(cs.CallbackURLs, cs.DefaultRedirectURI) {
			return cognito.ErrInvalidParameter("DefaultRedirectURI %s must be one of the CallbackURLs.", cs.DefaultRedirectURI)
		}
	}
	enabled := cs.AllowedOAuthFlowsUserPoolClient != nil && *cs.AllowedOAuthFlowsUserPoolClient
	if enabled && len(cs.CallbackURLs) == 0 && (cognito.Has(cs.AllowedOAuthFlows, "code") || cognito.Has(cs.AllowedOAuthFlows, "implicit")) {
		return cognito.ErrInvalidParameter("CallbackURLs must hold at least one URL for the code and implicit flows.")
	}
	return nil
}

// checkRedirectURL validates a callback or logout URL: an absolute URI of
// at most 1024 characters without a fragment, HTTPS unless it is HTTP to
// localhost, 127.0.0.1 or [::1]; app schemes (myapp://cb) are allowed.
func checkRedirectURL(member, raw string) error {
	u, err := url.Parse(raw)
	switch {
	case len(raw) < 1 || len(raw) > 1024:
		return cognito.ErrInvalidParameter("%s: URLs must be 1 to 1024 characters long.", member)
	case err != nil || u.Scheme == "" || u.Opaque != "":
		return cognito.ErrInvalidParameter("%s: %s is not an absolute URI.", member, raw)
	case strings.Contains(raw, "#"):
		return cognito.ErrInvalidParameter("%s: %s must not contain a fragment.", member, raw)
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host == "":
		return cognito.ErrInvalidParameter("%s: %s has no host.", member, raw)
	case u.Scheme == "http" && u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1" && u.Hostname() != "::1":
		return cognito.ErrInvalidParameter("%s: %s must use HTTPS; HTTP is allowed only for localhost.", member, raw)
	}
	return nil
}

// nonEmpty returns a copy of list, or nil for an empty one (so that it is
// not echoed).
func nonEmpty(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	return append([]string(nil), list...)
}
