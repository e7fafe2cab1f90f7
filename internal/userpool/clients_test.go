package userpool

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

func mustCreateClient(t *testing.T, s *Service, in *CreateUserPoolClientInput) cognito.UserPoolClient {
	t.Helper()
	if in.ClientName == "" {
		in.ClientName = "app"
	}
	out, err := s.CreateUserPoolClient(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.UserPoolClient
}

func TestCreateUserPoolClient_Defaults(t *testing.T) {
	s, _ := newAdminTestService(t)
	p := mustCreatePool(t, s, &CreateUserPoolInput{})
	c := mustCreateClient(t, s, &CreateUserPoolClientInput{UserPoolId: p.Id})

	if !regexp.MustCompile(`^[0-9a-z]{26}$`).MatchString(c.ClientId) {
		t.Errorf("ClientId = %q", c.ClientId)
	}
	out, err := s.DescribeUserPoolClient(context.Background(), &DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out.UserPoolClient)
	var got map[string]any
	json.Unmarshal(b, &got)
	for member, want := range map[string]string{
		"ClientName":                               `"app"`,
		"UserPoolId":                               `"` + p.Id + `"`,
		"AccessTokenValidity":                      `60`,
		"IdTokenValidity":                          `60`,
		"RefreshTokenValidity":                     `30`,
		"TokenValidityUnits":                       `{"AccessToken":"minutes","IdToken":"minutes","RefreshToken":"days"}`,
		"ExplicitAuthFlows":                        `["ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_SRP_AUTH","ALLOW_CUSTOM_AUTH"]`,
		"EnableTokenRevocation":                    `true`,
		"AuthSessionValidity":                      `3`,
		"PreventUserExistenceErrors":               `"LEGACY"`,
		"AllowedOAuthFlowsUserPoolClient":          `false`,
		"EnablePropagateAdditionalUserContextData": `false`,
	} {
		if v, _ := json.Marshal(got[member]); string(v) != want {
			t.Errorf("%s = %s, want %s", member, v, want)
		}
	}
	for _, absent := range []string{"ClientSecret", "ReadAttributes", "WriteAttributes", "CallbackURLs", "AllowedOAuthFlows", "RefreshTokenRotation"} {
		if _, ok := got[absent]; ok {
			t.Errorf("%s present, want omitted", absent)
		}
	}
	if accessTokenTTL(&c) != time.Hour || idTokenTTL(&c) != time.Hour || refreshTokenTTL(&c) != 30*24*time.Hour || authSessionTTL(&c) != 3*time.Minute {
		t.Errorf("TTLs %v %v %v %v", accessTokenTTL(&c), idTokenTTL(&c), refreshTokenTTL(&c), authSessionTTL(&c))
	}
}

func TestCreateUserPoolClient_Secret(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{})

	c := mustCreateClient(t, s, &CreateUserPoolClientInput{UserPoolId: p.Id, GenerateSecret: boolRef(true)})
	if !regexp.MustCompile(`^[0-9a-z]{51}$`).MatchString(c.ClientSecret) {
		t.Errorf("ClientSecret = %q", c.ClientSecret)
	}
	stored, err := s.st.GetClient(ctx, c.ClientId)
	if err != nil {
		t.Fatal(err)
	}
	if stored.ClientSecret != "" || len(stored.SecretSealed) == 0 || strings.Contains(string(stored.SecretSealed), c.ClientSecret) {
		t.Errorf("secret stored in clear: %+v", stored)
	}
	got, err := s.client(ctx, c.ClientId)
	if err != nil || got.ClientSecret != c.ClientSecret {
		t.Errorf("client() secret = %q, %v; want %q", got.ClientSecret, err, c.ClientSecret)
	}

	own := mustCreateClient(t, s, &CreateUserPoolClientInput{UserPoolId: p.Id, ClientSecret: "my+own+secret+of+24+chars"})
	if d, _ := s.DescribeUserPoolClient(ctx, &DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: own.ClientId}); d.UserPoolClient.ClientSecret != "my+own+secret+of+24+chars" {
		t.Errorf("given secret not kept: %q", d.UserPoolClient.ClientSecret)
	}
	_, err = s.CreateUserPoolClient(ctx, &CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: "x", GenerateSecret: boolRef(true), ClientSecret: "my+own+secret+of+24+chars"})
	wantCognitoError(t, err, cognito.InvalidParameter, "")
}

func TestResolveValidity(t *testing.T) {
	const (
		minute = time.Minute
		hour   = time.Hour
		day    = 24 * time.Hour
	)
	access := func(v *int, unit string) (int, string, error) {
		return resolveValidity("AccessTokenValidity", v, unit, "hours", hour, 5*minute, day)
	}
	refresh := func(v *int, unit string) (int, string, error) {
		return resolveValidity("RefreshTokenValidity", v, unit, "days", 30*day, hour, 3650*day)
	}
	for _, tc := range []struct {
		name      string
		fn        func(*int, string) (int, string, error)
		v         *int
		unit      string
		wantValue int
		wantUnit  string
		wantErr   bool
	}{
		{"access omitted", access, nil, "", 60, "minutes", false},
		{"access value without unit is hours", access, intRef(2), "", 2, "hours", false},
		{"access unit without value", access, nil, "seconds", 3600, "seconds", false},
		{"access unit hours without value", access, nil, "hours", 1, "hours", false},
		{"access unit days without value", access, nil, "days", 60, "minutes", false},
		{"access 5 minutes", access, intRef(5), "minutes", 5, "minutes", false},
		{"access 4 minutes", access, intRef(4), "minutes", 0, "", true},
		{"access 1 day", access, intRef(1), "days", 1, "days", false},
		{"access 25 hours", access, intRef(25), "", 0, "", true},
		{"access 86400 seconds", access, intRef(86400), "seconds", 86400, "seconds", false},
		{"access bad unit", access, intRef(1), "weeks", 0, "", true},
		{"refresh omitted", refresh, nil, "", 30, "days", false},
		{"refresh 60 minutes", refresh, intRef(60), "minutes", 60, "minutes", false},
		{"refresh 59 minutes", refresh, intRef(59), "minutes", 0, "", true},
		{"refresh 3650 days", refresh, intRef(3650), "", 3650, "days", false},
		{"refresh 3651 days", refresh, intRef(3651), "days", 0, "", true},
		{"refresh unit hours without value", refresh, nil, "hours", 720, "hours", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, u, err := tc.fn(tc.v, tc.unit)
			if tc.wantErr {
				wantCognitoError(t, err, cognito.InvalidParameter, "")
				return
			}
			if err != nil || v != tc.wantValue || u != tc.wantUnit {
				t.Errorf("got %d %q %v, want %d %q", v, u, err, tc.wantValue, tc.wantUnit)
			}
		})
	}
}

func TestTokenTTLs(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		c                      cognito.UserPoolClient
		access, id, refresh, s time.Duration
	}{
		{"units honoured",
			cognito.UserPoolClient{AccessTokenValidity: 30, IdTokenValidity: 2, RefreshTokenValidity: 90, AuthSessionValidity: 15,
				TokenValidityUnits: &cognito.TokenValidityUnits{AccessToken: "minutes", IdToken: "hours", RefreshToken: "minutes"}},
			30 * time.Minute, 2 * time.Hour, 90 * time.Minute, 15 * time.Minute},
		{"no units: API default units",
			cognito.UserPoolClient{AccessTokenValidity: 1, IdTokenValidity: 3, RefreshTokenValidity: 7},
			time.Hour, 3 * time.Hour, 7 * 24 * time.Hour, 3 * time.Minute},
		{"nothing set: defaults",
			cognito.UserPoolClient{},
			time.Hour, time.Hour, 30 * 24 * time.Hour, 3 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := accessTokenTTL(&tc.c); got != tc.access {
				t.Errorf("access = %v, want %v", got, tc.access)
			}
			if got := idTokenTTL(&tc.c); got != tc.id {
				t.Errorf("id = %v, want %v", got, tc.id)
			}
			if got := refreshTokenTTL(&tc.c); got != tc.refresh {
				t.Errorf("refresh = %v, want %v", got, tc.refresh)
			}
			if got := authSessionTTL(&tc.c); got != tc.s {
				t.Errorf("session = %v, want %v", got, tc.s)
			}
		})
	}
}

func TestCreateUserPoolClient_Validation(t *testing.T) {
	s, _ := newAdminTestService(t)
	p := mustCreatePool(t, s, &CreateUserPoolInput{Schema: []cognito.SchemaAttribute{{Name: "email", Required: boolRef(true)}, {Name: "tier"}}})
	yes := boolRef(true)
	for _, tc := range []struct {
		name string
		in   CreateUserPoolClientInput
		code string // "" = accepted
	}{
		{"legacy mixed with ALLOW_*", CreateUserPoolClientInput{ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"}}}, cognito.InvalidParameter},
		{"legacy only", CreateUserPoolClientInput{ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"}}}, ""},
		{"unknown flow", CreateUserPoolClientInput{ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_MAGIC"}}}, cognito.InvalidParameter},
		{"client_credentials with code", CreateUserPoolClientInput{GenerateSecret: yes, ClientSettings: ClientSettings{AllowedOAuthFlows: []string{"client_credentials", "code"}}}, cognito.InvalidOAuthFlow},
		{"client_credentials without secret", CreateUserPoolClientInput{ClientSettings: ClientSettings{AllowedOAuthFlows: []string{"client_credentials"}}}, cognito.InvalidOAuthFlow},
		{"client_credentials with openid", CreateUserPoolClientInput{GenerateSecret: yes, ClientSettings: ClientSettings{AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{"openid"}}}, cognito.InvalidOAuthFlow},
		{"custom scope", CreateUserPoolClientInput{ClientSettings: ClientSettings{AllowedOAuthScopes: []string{"api/read"}}}, cognito.ScopeDoesNotExist},
		{"unknown scope", CreateUserPoolClientInput{ClientSettings: ClientSettings{AllowedOAuthScopes: []string{"Cognito"}}}, cognito.ScopeDoesNotExist},
		{"standard scopes", CreateUserPoolClientInput{ClientSettings: ClientSettings{AllowedOAuthScopes: []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}}}, ""},
		{"code flow with callbacks", CreateUserPoolClientInput{ClientSettings: ClientSettings{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: []string{"code"}, AllowedOAuthScopes: []string{"openid"},
			CallbackURLs: []string{"https://app.example.com/cb", "http://localhost:3000/cb", "http://127.0.0.1/cb", "http://[::1]:8080/", "myapp://cb"}, DefaultRedirectURI: "myapp://cb"}}, ""},
		{"code flow without callbacks", CreateUserPoolClientInput{ClientSettings: ClientSettings{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: []string{"code"}, AllowedOAuthScopes: []string{"openid"}}}, cognito.InvalidParameter},
		{"http callback", CreateUserPoolClientInput{ClientSettings: ClientSettings{CallbackURLs: []string{"http://app.example.com/cb"}}}, cognito.InvalidParameter},
		{"callback with fragment", CreateUserPoolClientInput{ClientSettings: ClientSettings{CallbackURLs: []string{"https://app.example.com/cb#x"}}}, cognito.InvalidParameter},
		{"relative callback", CreateUserPoolClientInput{ClientSettings: ClientSettings{CallbackURLs: []string{"/cb"}}}, cognito.InvalidParameter},
		{"http logout", CreateUserPoolClientInput{ClientSettings: ClientSettings{LogoutURLs: []string{"http://example.com/"}}}, cognito.InvalidParameter},
		{"default redirect not a callback", CreateUserPoolClientInput{ClientSettings: ClientSettings{CallbackURLs: []string{"https://a.example/cb"}, DefaultRedirectURI: "https://b.example/cb"}}, cognito.InvalidParameter},
		{"unknown read attribute", CreateUserPoolClientInput{ClientSettings: ClientSettings{ReadAttributes: []string{"custom:nope"}}}, cognito.InvalidParameter},
		{"read attributes", CreateUserPoolClientInput{ClientSettings: ClientSettings{ReadAttributes: []string{"email", "email_verified", "custom:tier"}}}, ""},
		{"write attributes without required email", CreateUserPoolClientInput{ClientSettings: ClientSettings{WriteAttributes: []string{"name"}}}, cognito.InvalidParameter},
		{"write attributes with required email", CreateUserPoolClientInput{ClientSettings: ClientSettings{WriteAttributes: []string{"name", "email", "custom:tier"}}}, ""},
		{"unknown identity provider", CreateUserPoolClientInput{ClientSettings: ClientSettings{SupportedIdentityProviders: []string{"COGNITO", "Google"}}}, cognito.InvalidParameter},
		{"auth session too long", CreateUserPoolClientInput{ClientSettings: ClientSettings{AuthSessionValidity: intRef(16)}}, cognito.InvalidParameter},
		{"access token too short", CreateUserPoolClientInput{ClientSettings: ClientSettings{AccessTokenValidity: intRef(4), TokenValidityUnits: &cognito.TokenValidityUnits{AccessToken: "minutes"}}}, cognito.InvalidParameter},
		{"refresh token rotation", CreateUserPoolClientInput{ClientSettings: ClientSettings{RefreshTokenRotation: &cognito.RefreshTokenRotation{Feature: "ENABLED", RetryGracePeriodSeconds: intRef(10)}}}, ""},
		{"bad rotation feature", CreateUserPoolClientInput{ClientSettings: ClientSettings{RefreshTokenRotation: &cognito.RefreshTokenRotation{Feature: "ON"}}}, cognito.InvalidParameter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.UserPoolId, tc.in.ClientName = p.Id, "c"
			_, err := s.CreateUserPoolClient(context.Background(), &tc.in)
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCognitoError(t, err, tc.code, "")
		})
	}
	_, err := s.CreateUserPoolClient(context.Background(), &CreateUserPoolClientInput{UserPoolId: "us-east-1_nope", ClientName: "c"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "User pool us-east-1_nope does not exist.")
}

func TestUpdateUserPoolClient_ReplaceSemantics(t *testing.T) {
	s, clock := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{})
	c := mustCreateClient(t, s, &CreateUserPoolClientInput{
		UserPoolId: p.Id, ClientName: "old", GenerateSecret: boolRef(true), ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, AccessTokenValidity: intRef(2),
			ReadAttributes: []string{"email"}, EnableTokenRevocation: boolRef(false), PreventUserExistenceErrors: "ENABLED"},
	})
	clock.t = clock.t.Add(time.Minute)
	out, err := s.UpdateUserPoolClient(ctx, &UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId, ClientSettings: ClientSettings{IdTokenValidity: intRef(3)}})
	if err != nil {
		t.Fatal(err)
	}
	u := out.UserPoolClient
	if u.ClientName != "old" || u.ClientSecret != c.ClientSecret || !u.CreationDate.Equal(c.CreationDate.Time) || u.LastModifiedDate.Equal(c.LastModifiedDate.Time) {
		t.Errorf("kept members changed: %+v", u)
	}
	if !cognito.Has(u.ExplicitAuthFlows, "ALLOW_CUSTOM_AUTH") || u.ReadAttributes != nil || !u.EnableTokenRevocation || u.PreventUserExistenceErrors != "LEGACY" {
		t.Errorf("omitted members not reset: %+v", u)
	}
	if u.AccessTokenValidity != 60 || u.TokenValidityUnits.AccessToken != "minutes" || u.IdTokenValidity != 3 || u.TokenValidityUnits.IdToken != "hours" {
		t.Errorf("validity = %d %d %+v", u.AccessTokenValidity, u.IdTokenValidity, u.TokenValidityUnits)
	}
	if d, _ := s.DescribeUserPoolClient(ctx, &DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId}); d.UserPoolClient.ClientSecret != c.ClientSecret {
		t.Errorf("secret changed by update")
	}

	// client_credentials needs the secret the stored client has.
	if _, err := s.UpdateUserPoolClient(ctx, &UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId, ClientSettings: ClientSettings{AllowedOAuthFlows: []string{"client_credentials"}}}); err != nil {
		t.Fatal(err)
	}
	other := mustCreatePool(t, s, &CreateUserPoolInput{})
	_, err = s.UpdateUserPoolClient(ctx, &UpdateUserPoolClientInput{UserPoolId: other.Id, ClientId: c.ClientId})
	wantCognitoError(t, err, cognito.ResourceNotFound, "User pool client "+c.ClientId+" does not exist.")
	_, err = s.UpdateUserPoolClient(ctx, &UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: "nope"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "User pool client nope does not exist.")
}

func TestDeleteUserPoolClient(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{})
	other := mustCreatePool(t, s, &CreateUserPoolInput{})
	c := mustCreateClient(t, s, &CreateUserPoolClientInput{UserPoolId: p.Id})

	_, err := s.DeleteUserPoolClient(ctx, &DescribeUserPoolClientInput{UserPoolId: other.Id, ClientId: c.ClientId})
	wantCognitoError(t, err, cognito.ResourceNotFound, "User pool client "+c.ClientId+" does not exist.")
	_, err = s.DescribeUserPoolClient(ctx, &DescribeUserPoolClientInput{UserPoolId: other.Id, ClientId: c.ClientId})
	wantCognitoError(t, err, cognito.ResourceNotFound, "")
	if _, err := s.DeleteUserPoolClient(ctx, &DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId}); err != nil {
		t.Fatal(err)
	}
	_, err = s.client(ctx, c.ClientId)
	wantCognitoError(t, err, cognito.ResourceNotFound, "User pool client "+c.ClientId+" does not exist.")
}

func TestListUserPoolClients_Pagination(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{})
	other := mustCreatePool(t, s, &CreateUserPoolInput{})
	mustCreateClient(t, s, &CreateUserPoolClientInput{UserPoolId: other.Id})
	want := map[string]bool{}
	for range 3 {
		want[mustCreateClient(t, s, &CreateUserPoolClientInput{UserPoolId: p.Id}).ClientId] = true
	}
	first, err := s.ListUserPoolClients(ctx, &ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: intRef(2)})
	if err != nil || len(first.UserPoolClients) != 2 || first.NextToken == "" {
		t.Fatalf("first page %+v, %v", first, err)
	}
	second, err := s.ListUserPoolClients(ctx, &ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: intRef(2), NextToken: first.NextToken})
	if err != nil || len(second.UserPoolClients) != 1 || second.NextToken != "" {
		t.Fatalf("second page %+v, %v", second, err)
	}
	for _, d := range append(first.UserPoolClients, second.UserPoolClients...) {
		if !want[d.ClientId] || d.UserPoolId != p.Id || d.ClientName != "app" {
			t.Errorf("unexpected %+v", d)
		}
	}
	all, err := s.ListUserPoolClients(ctx, &ListUserPoolClientsInput{UserPoolId: p.Id})
	if err != nil || len(all.UserPoolClients) != 3 || all.NextToken != "" {
		t.Errorf("default page %+v, %v", all, err)
	}
	_, err = s.ListUserPoolClients(ctx, &ListUserPoolClientsInput{UserPoolId: "us-east-1_nope"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "")
}
