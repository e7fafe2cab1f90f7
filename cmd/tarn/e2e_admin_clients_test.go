package main

import (
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

var clientIDShape = regexp.MustCompile(`^[a-z0-9]{26}$`)

func TestE2E_CreateUserPoolClient_Defaults(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	out, err := ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("plain")})
	if err != nil {
		t.Fatal(err)
	}
	c := out.UserPoolClient
	if !clientIDShape.MatchString(aws.ToString(c.ClientId)) {
		t.Errorf("ClientId %q, want 26 lowercase alphanumerics", aws.ToString(c.ClientId))
	}
	if c.ClientSecret != nil {
		t.Errorf("ClientSecret %q without GenerateSecret", *c.ClientSecret)
	}
	d, err := ts.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*types.UserPoolClientType{"Create": c, "Describe": d.UserPoolClient} {
		t.Run(name, func(t *testing.T) {
			if aws.ToString(c.ClientName) != "plain" || aws.ToString(c.UserPoolId) != *p.Id {
				t.Errorf("ClientName %q UserPoolId %q", aws.ToString(c.ClientName), aws.ToString(c.UserPoolId))
			}
			wantFlows := []types.ExplicitAuthFlowsType{"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"}
			got := slices.Clone(c.ExplicitAuthFlows)
			slices.Sort(got)
			if !slices.Equal(got, wantFlows) {
				t.Errorf("ExplicitAuthFlows %v, want %v", c.ExplicitAuthFlows, wantFlows)
			}
			if c.RefreshTokenValidity != 30 {
				t.Errorf("RefreshTokenValidity %d, want 30", c.RefreshTokenValidity)
			}
			// 60 minutes: either 60 "minutes" or 1 "hours".
			accessMin := validityMinutes(aws.ToInt32(c.AccessTokenValidity), c.TokenValidityUnits, "access")
			idMin := validityMinutes(aws.ToInt32(c.IdTokenValidity), c.TokenValidityUnits, "id")
			if accessMin != 60 || idMin != 60 {
				t.Errorf("access/id validity %d/%d minutes (%v %v %+v), want 60/60", accessMin, idMin,
					aws.ToInt32(c.AccessTokenValidity), aws.ToInt32(c.IdTokenValidity), c.TokenValidityUnits)
			}
			if !aws.ToBool(c.EnableTokenRevocation) {
				t.Errorf("EnableTokenRevocation %v, want true", c.EnableTokenRevocation)
			}
			if aws.ToInt32(c.AuthSessionValidity) != 3 {
				t.Errorf("AuthSessionValidity %v, want 3", c.AuthSessionValidity)
			}
			if aws.ToBool(c.AllowedOAuthFlowsUserPoolClient) {
				t.Errorf("AllowedOAuthFlowsUserPoolClient true")
			}
			if c.PreventUserExistenceErrors != "" && c.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesLegacy {
				t.Errorf("PreventUserExistenceErrors %q, want LEGACY", c.PreventUserExistenceErrors)
			}
			if c.CreationDate == nil || c.LastModifiedDate == nil {
				t.Errorf("dates missing")
			}
		})
	}

	_, err = ts.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: aws.String("abcdefghijklmnopqrstuvwxyz")})
	wantErr(t, "DescribeUserPoolClient unknown", err, "ResourceNotFoundException")
	_, err = ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String("us-east-1_AAAAAAAAA"), ClientName: aws.String("x")})
	wantErr(t, "CreateUserPoolClient unknown pool", err, "ResourceNotFoundException")
}

// validityMinutes converts a validity value with its unit (default hours
// for access and ID tokens) to minutes.
func validityMinutes(v int32, u *types.TokenValidityUnitsType, which string) int32 {
	unit := types.TimeUnitsTypeHours
	if u != nil {
		switch which {
		case "access":
			if u.AccessToken != "" {
				unit = u.AccessToken
			}
		case "id":
			if u.IdToken != "" {
				unit = u.IdToken
			}
		}
	}
	switch unit {
	case types.TimeUnitsTypeSeconds:
		return v / 60
	case types.TimeUnitsTypeMinutes:
		return v
	case types.TimeUnitsTypeHours:
		return v * 60
	default:
		return v * 60 * 24
	}
}

func TestE2E_UserPoolClient_Secret(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	c := ts.client(*p.Id, cip.CreateUserPoolClientInput{GenerateSecret: true})
	secret := aws.ToString(c.ClientSecret)
	if len(secret) < 24 || len(secret) > 64 {
		t.Fatalf("generated ClientSecret %q: want 24–64 characters", secret)
	}
	d, err := ts.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.UserPoolClient.ClientSecret) != secret {
		t.Errorf("Describe ClientSecret %q, want %q", aws.ToString(d.UserPoolClient.ClientSecret), secret)
	}

	// The SDK in go.mod predates the ClientSecret member: send it raw.
	_, typ := ts.rawCall("CreateUserPoolClient", map[string]any{"UserPoolId": *p.Id, "ClientName": "both",
		"GenerateSecret": true, "ClientSecret": "abcdefghijklmnopqrstuvwxyz0123"})
	if typ != "InvalidParameterException" {
		t.Errorf("GenerateSecret with ClientSecret: %q, want InvalidParameterException", typ)
	}
	// A supplied secret is used as is.
	own, typ := ts.rawCall("CreateUserPoolClient", map[string]any{"UserPoolId": *p.Id, "ClientName": "own",
		"ClientSecret": "abcdefghijklmnopqrstuvwxyz0123"})
	if typ != "" {
		t.Errorf("CreateUserPoolClient with ClientSecret: %s", typ)
	} else if c, _ := own["UserPoolClient"].(map[string]any); c["ClientSecret"] != "abcdefghijklmnopqrstuvwxyz0123" {
		t.Errorf("supplied ClientSecret echoed as %v", c["ClientSecret"])
	}

	// SECRET_HASH is enforced on InitiateAuth.
	ts.confirmedUser(*p.Id, "alice", auPassword)
	auth := func(params map[string]string) (*cip.InitiateAuthOutput, error) {
		params["USERNAME"], params["PASSWORD"] = "alice", auPassword
		return ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth, AuthParameters: params})
	}
	_, err = auth(map[string]string{})
	wantErr(t, "InitiateAuth without SECRET_HASH", err, "NotAuthorizedException")
	_, err = auth(map[string]string{"SECRET_HASH": secretHash("wrong-secret", "alice", *c.ClientId)})
	wantErr(t, "InitiateAuth with a wrong SECRET_HASH", err, "NotAuthorizedException")
	_, err = auth(map[string]string{"SECRET_HASH": secretHash(secret, "bob", *c.ClientId)})
	wantErr(t, "InitiateAuth with a SECRET_HASH over another username", err, "NotAuthorizedException")
	out, err := auth(map[string]string{"SECRET_HASH": secretHash(secret, "alice", *c.ClientId)})
	if err != nil {
		t.Fatalf("InitiateAuth with the right SECRET_HASH: %v", err)
	}
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.IdToken) == "" {
		t.Fatalf("no tokens: %+v", out)
	}

	// The same on AdminInitiateAuth.
	_, err = ts.adminPasswordAuth(*p.Id, *c.ClientId, "alice", auPassword)
	wantErr(t, "AdminInitiateAuth without SECRET_HASH", err, "NotAuthorizedException")
	_, err = ts.cip.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: p.Id, ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": auPassword, "SECRET_HASH": secretHash(secret, "alice", *c.ClientId)}})
	if err != nil {
		t.Fatalf("AdminInitiateAuth with SECRET_HASH: %v", err)
	}

	// UpdateUserPoolClient never changes the secret.
	u, err := ts.cip.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId, ClientName: aws.String("renamed")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(u.UserPoolClient.ClientSecret) != secret {
		t.Errorf("secret after update %q, want %q", aws.ToString(u.UserPoolClient.ClientSecret), secret)
	}
}

func TestE2E_UpdateUserPoolClient_ReplaceSemantics(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	c := ts.client(*p.Id, cip.CreateUserPoolClientInput{
		ClientName:          aws.String("orig"),
		AccessTokenValidity: aws.Int32(10), IdTokenValidity: aws.Int32(20), RefreshTokenValidity: 5,
		TokenValidityUnits:    &types.TokenValidityUnitsType{AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days"},
		ExplicitAuthFlows:     []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		ReadAttributes:        []string{"email", "name"},
		EnableTokenRevocation: aws.Bool(false),
		AuthSessionValidity:   aws.Int32(10),
	})
	if aws.ToInt32(c.AuthSessionValidity) != 10 || aws.ToBool(c.EnableTokenRevocation) {
		t.Fatalf("created client %+v", c)
	}
	out, err := ts.cip.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId,
		ClientName: aws.String("new")})
	if err != nil {
		t.Fatal(err)
	}
	d, err := ts.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	for name, u := range map[string]*types.UserPoolClientType{"Update": out.UserPoolClient, "Describe": d.UserPoolClient} {
		t.Run(name, func(t *testing.T) {
			if aws.ToString(u.ClientName) != "new" || aws.ToString(u.ClientId) != *c.ClientId {
				t.Errorf("ClientName %q ClientId %q", aws.ToString(u.ClientName), aws.ToString(u.ClientId))
			}
			if m := validityMinutes(aws.ToInt32(u.AccessTokenValidity), u.TokenValidityUnits, "access"); m != 60 {
				t.Errorf("access validity %d minutes after update, want the default 60", m)
			}
			if m := validityMinutes(aws.ToInt32(u.IdTokenValidity), u.TokenValidityUnits, "id"); m != 60 {
				t.Errorf("id validity %d minutes after update, want the default 60", m)
			}
			if u.RefreshTokenValidity != 30 {
				t.Errorf("RefreshTokenValidity %d, want the default 30", u.RefreshTokenValidity)
			}
			if len(u.ReadAttributes) != 0 {
				t.Errorf("ReadAttributes %v survived", u.ReadAttributes)
			}
			if !aws.ToBool(u.EnableTokenRevocation) {
				t.Errorf("EnableTokenRevocation not reset to true")
			}
			if aws.ToInt32(u.AuthSessionValidity) != 3 {
				t.Errorf("AuthSessionValidity %v, want 3", aws.ToInt32(u.AuthSessionValidity))
			}
			if slices.Contains(u.ExplicitAuthFlows, "ALLOW_USER_PASSWORD_AUTH") {
				t.Errorf("ExplicitAuthFlows %v still has ALLOW_USER_PASSWORD_AUTH", u.ExplicitAuthFlows)
			}
		})
	}
	_, err = ts.cip.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: aws.String("abcdefghijklmnopqrstuvwxyz")})
	wantErr(t, "UpdateUserPoolClient unknown", err, "ResourceNotFoundException")
}

func TestE2E_ListAndDeleteUserPoolClients(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	other := ts.pool(cip.CreateUserPoolInput{})
	ts.client(*other.Id, cip.CreateUserPoolClientInput{ClientName: aws.String("elsewhere")})
	want := map[string]string{}
	for _, n := range []string{"one", "two", "three", "four", "five"} {
		c := ts.client(*p.Id, cip.CreateUserPoolClientInput{ClientName: aws.String(n)})
		want[*c.ClientId] = n
	}
	seen := map[string]bool{}
	var token *string
	for range 10 {
		out, err := ts.cip.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.UserPoolClients) > 2 {
			t.Fatalf("page of %d > 2", len(out.UserPoolClients))
		}
		for _, d := range out.UserPoolClients {
			id := aws.ToString(d.ClientId)
			if seen[id] || want[id] != aws.ToString(d.ClientName) || aws.ToString(d.UserPoolId) != *p.Id {
				t.Errorf("listed %s %q in %q (seen %v)", id, aws.ToString(d.ClientName), aws.ToString(d.UserPoolId), seen[id])
			}
			seen[id] = true
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(seen) != 5 {
		t.Errorf("listed %d clients, want 5", len(seen))
	}

	var victim string
	for id := range want {
		victim = id
		break
	}
	if _, err := ts.cip.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: p.Id, ClientId: &victim}); err != nil {
		t.Fatal(err)
	}
	_, err := ts.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: &victim})
	wantErr(t, "DescribeUserPoolClient after delete", err, "ResourceNotFoundException")
	_, err = ts.cip.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: p.Id, ClientId: &victim})
	wantErr(t, "DeleteUserPoolClient twice", err, "ResourceNotFoundException")
	_, err = ts.passwordAuth(victim, "x", auPassword)
	wantErr(t, "InitiateAuth with a deleted client", err, "ResourceNotFoundException")
	out, err := ts.cip.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: aws.Int32(60)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserPoolClients) != 4 {
		t.Errorf("%d clients after delete, want 4", len(out.UserPoolClients))
	}
}

func TestE2E_ExplicitAuthFlowsEnforced(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	ts.confirmedUser(*p.Id, "alice", auPassword)
	srpOnly := ts.client(*p.Id, cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	_, err := ts.passwordAuth(*srpOnly.ClientId, "alice", auPassword)
	wantErr(t, "USER_PASSWORD_AUTH on a client without it", err, "InvalidParameterException")
	_, err = ts.adminPasswordAuth(*p.Id, *srpOnly.ClientId, "alice", auPassword)
	wantErr(t, "ADMIN_USER_PASSWORD_AUTH on a client without it", err, "InvalidParameterException")

	// Enabling the flow by update makes it work.
	_, err = ts.cip.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: p.Id, ClientId: srpOnly.ClientId,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	ts.auTokens(*srpOnly.ClientId, "alice", auPassword)

	// Legacy and ALLOW_* values cannot be mixed.
	_, err = ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("mixed"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	wantErr(t, "mixed legacy and ALLOW_ flows", err, "InvalidParameterException")
}

func TestE2E_TokenValidityHonoured(t *testing.T) {
	ts := startAdminTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	c := ts.client(*p.Id, cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(5), IdTokenValidity: aws.Int32(7),
		TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: "minutes", IdToken: "minutes"}})
	ts.confirmedUser(*p.Id, "alice", auPassword)
	r := ts.auTokens(*c.ClientId, "alice", auPassword)
	if r.ExpiresIn != 300 {
		t.Errorf("ExpiresIn %d, want 300", r.ExpiresIn)
	}
	if aws.ToString(r.TokenType) != "Bearer" {
		t.Errorf("TokenType %q, want Bearer", aws.ToString(r.TokenType))
	}
	ac := claimsOf(t, *r.AccessToken)
	if d := numClaim(t, ac, "exp") - numClaim(t, ac, "iat"); d != 300 {
		t.Errorf("access token exp-iat %d, want 300", d)
	}
	ic := claimsOf(t, *r.IdToken)
	if d := numClaim(t, ic, "exp") - numClaim(t, ic, "iat"); d != 420 {
		t.Errorf("ID token exp-iat %d, want 420", d)
	}

	// Default: one hour.
	def := ts.client(*p.Id, cip.CreateUserPoolClientInput{})
	r = ts.auTokens(*def.ClientId, "alice", auPassword)
	if r.ExpiresIn != 3600 {
		t.Errorf("default ExpiresIn %d, want 3600", r.ExpiresIn)
	}

	// Out of the effective range (5 minutes – 1 day).
	_, err := ts.cip.CreateUserPoolClient(ctxT(t), &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("short"),
		AccessTokenValidity: aws.Int32(4), TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: "minutes"}})
	wantErr(t, "AccessTokenValidity 4 minutes", err, "InvalidParameterException")
}
