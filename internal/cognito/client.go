package cognito

import "encoding/json"

// UserPoolClient is an app client, shaped as the API's UserPoolClientType.
// ClientSecret is the clear secret in memory; it is sealed before it is
// stored (SecretSealed) and never written to the store in clear.
type UserPoolClient struct {
	UserPoolId                               string                `json:"UserPoolId"`
	ClientName                               string                `json:"ClientName"`
	ClientId                                 string                `json:"ClientId"`
	ClientSecret                             string                `json:"ClientSecret,omitempty"`
	LastModifiedDate                         Timestamp             `json:"LastModifiedDate"`
	CreationDate                             Timestamp             `json:"CreationDate"`
	RefreshTokenValidity                     int                   `json:"RefreshTokenValidity"`
	AccessTokenValidity                      int                   `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          int                   `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnits   `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string              `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string              `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string              `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string              `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string              `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string              `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string                `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string              `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string              `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          bool                  `json:"AllowedOAuthFlowsUserPoolClient"`
	AnalyticsConfiguration                   json.RawMessage       `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string                `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    bool                  `json:"EnableTokenRevocation"`
	EnablePropagateAdditionalUserContextData bool                  `json:"EnablePropagateAdditionalUserContextData"`
	AuthSessionValidity                      int                   `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     *RefreshTokenRotation `json:"RefreshTokenRotation,omitempty"`

	// SecretSealed is the sealed client secret as kept in the store.
	SecretSealed []byte `json:"-"`
}

type TokenValidityUnits struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

type RefreshTokenRotation struct {
	Feature                 string `json:"Feature"`
	RetryGracePeriodSeconds *int   `json:"RetryGracePeriodSeconds,omitempty"`
}

// AllowsFlow reports whether the client's ExplicitAuthFlows permit the
// given ALLOW_* flag or its legacy name.
func (c *UserPoolClient) AllowsFlow(allow string, legacy string) bool {
	flows := c.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = []string{"ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"}
	}
	return Has(flows, allow) || (legacy != "" && Has(flows, legacy))
}

// PreventsUserExistenceErrors reports PreventUserExistenceErrors=ENABLED.
func (c *UserPoolClient) PreventsUserExistenceErrors() bool {
	return c.PreventUserExistenceErrors == "ENABLED"
}
