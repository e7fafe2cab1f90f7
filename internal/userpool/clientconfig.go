package userpool

// Token lifetimes of an app client and the validation and defaults of the
// settings CreateUserPoolClient and UpdateUserPoolClient share.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

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

// ClientSettings holds the members CreateUserPoolClient and
// UpdateUserPoolClient share (embedded in both inputs, so JSON sees them
// flat); apply gives each its default when omitted, so that
// UpdateUserPoolClient has replace semantics for free.
type ClientSettings struct {
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
func (cs *ClientSettings) apply(pool *cognito.UserPool, c *cognito.UserPoolClient, hasSecret bool, verb string) error {
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
// validity (see ClientSettings.apply) after checking that it lies within
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
func (cs *ClientSettings) checkOAuth(hasSecret bool) error {
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
