package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

var errBoom = errors.New("storetest: closure failed")

func ptr[T any](v T) *T { return &v }

// fullPool sets every field of a UserPool.
func fullPool(id string) cognito.UserPool {
	raw := json.RawMessage(`{"k":"v"}`)
	return cognito.UserPool{
		Id:   id,
		Name: "pool " + id,
		Arn:  "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + id,
		Policies: &cognito.UserPoolPolicy{
			PasswordPolicy: &cognito.PasswordPolicy{MinimumLength: 10, RequireUppercase: true, RequireNumbers: true,
				PasswordHistorySize: ptr(3), TemporaryPasswordValidityDays: 2},
			SignInPolicy: &raw,
		},
		DeletionProtection: "ACTIVE",
		LambdaConfig: &cognito.LambdaConfig{
			PreSignUp:                "arn:aws:lambda:us-east-1:0:function:pre",
			PreTokenGenerationConfig: &cognito.LambdaVersionConfig{LambdaVersion: "V2_0", LambdaArn: "arn:x"},
			InboundFederation:        map[string]interface{}{"a": "b"},
		},
		Status:           "Enabled",
		LastModifiedDate: cognito.At(at(1)),
		CreationDate:     cognito.At(t0),
		SchemaAttributes: []cognito.SchemaAttribute{{
			Name: "custom:tier", AttributeDataType: "String", Mutable: ptr(true),
			StringAttributeConstraints: &cognito.StringAttributeConstraints{MinLength: ptr("1"), MaxLength: ptr("9")},
		}},
		AutoVerifiedAttributes:      []string{"email"},
		AliasAttributes:             []string{"email", "preferred_username"},
		UsernameAttributes:          []string{"phone_number"},
		SmsVerificationMessage:      "sms {####}",
		EmailVerificationMessage:    "email {####}",
		EmailVerificationSubject:    "subject",
		VerificationMessageTemplate: &cognito.VerificationMessageTemplate{DefaultEmailOption: "CONFIRM_WITH_CODE"},
		SmsAuthenticationMessage:    "auth {####}",
		UserAttributeUpdateSettings: &cognito.UserAttributeUpdateSettings{AttributesRequireVerificationBeforeUpdate: []string{"email"}},
		MfaConfiguration:            "OPTIONAL",
		DeviceConfiguration:         raw,
		EstimatedNumberOfUsers:      7,
		EmailConfiguration:          raw,
		SmsConfiguration:            raw,
		UserPoolTags:                map[string]string{"team": "idp"},
		Domain:                      "auth",
		CustomDomain:                "auth.example.com",
		AdminCreateUserConfig: &cognito.AdminCreateUserConfig{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 3,
			InviteMessageTemplate: &cognito.MessageTemplate{EmailSubject: "hi"}},
		UserPoolAddOns:         raw,
		UsernameConfiguration:  &cognito.UsernameConfiguration{CaseSensitive: ptr(false)},
		AccountRecoverySetting: &cognito.AccountRecoverySetting{RecoveryMechanisms: []cognito.RecoveryOption{{Priority: 1, Name: "verified_email"}}},
		UserPoolTier:           "ESSENTIALS",
		KeyConfiguration:       raw,
		IssuerConfiguration:    raw,
	}
}

func testPoolRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := fullPool("us-east-1_RoundTrip")
	must(t, s.CreatePool(ctx, p), "CreatePool")
	got, err := s.GetPool(ctx, p.Id)
	must(t, err, "GetPool")
	same(t, "pool", got, p)

	isErr(t, s.CreatePool(ctx, cognito.UserPool{Id: p.Id, Name: "other"}), store.ErrAlreadyExists, "CreatePool twice")
	got, _ = s.GetPool(ctx, p.Id)
	same(t, "pool after failed create", got, p)

	// What a caller does to a pool it got changes nothing for the next.
	*got.SchemaAttributes[0].Mutable = !*got.SchemaAttributes[0].Mutable
	got.SchemaAttributes[0].Name = "changed"
	got.UserPoolTags["added"] = "x"
	got.AutoVerifiedAttributes[0] = "changed"
	*got.Policies.PasswordPolicy = cognito.PasswordPolicy{}
	again, err := s.GetPool(ctx, p.Id)
	must(t, err, "GetPool again")
	same(t, "pool after changing an earlier copy", again, p)

	// A minimal pool round-trips too (nil maps and slices stay nil).
	minimal := cognito.UserPool{Id: "us-east-1_Minimal"}
	must(t, s.CreatePool(ctx, minimal), "CreatePool minimal")
	got, err = s.GetPool(ctx, minimal.Id)
	must(t, err, "GetPool minimal")
	same(t, "minimal pool", got, minimal)

	_, err = s.GetPool(ctx, "us-east-1_Missing")
	isErr(t, err, store.ErrNotFound, "GetPool missing")
	isErr(t, s.DeletePool(ctx, "us-east-1_Missing"), store.ErrNotFound, "DeletePool missing")
}

func testPoolList(t *testing.T, s store.Store) {
	ctx := t.Context()
	var want []string
	for _, i := range []int{3, 0, 4, 1, 2} {
		id := fmt.Sprintf("eu-west-1_list%d", i)
		must(t, s.CreatePool(ctx, cognito.UserPool{Id: id, Name: id}), "CreatePool")
	}
	for i := range 5 {
		want = append(want, fmt.Sprintf("eu-west-1_list%d", i))
	}
	var got []string
	after := ""
	for range 4 {
		page, err := s.ListPools(ctx, store.Page{After: after, Limit: 2})
		must(t, err, "ListPools after %q", after)
		if len(page) > 2 {
			t.Fatalf("ListPools returned %d pools, limit 2", len(page))
		}
		for _, p := range page {
			got = append(got, p.Id)
			after = p.Id
		}
		if len(page) < 2 {
			break
		}
	}
	same(t, "pool ids over pages", got, want)
	n, err := s.CountPools(ctx)
	must(t, err, "CountPools")
	same(t, "CountPools", n, 5)
	must(t, s.DeletePool(ctx, "eu-west-1_list0"), "DeletePool")
	n, err = s.CountPools(ctx)
	must(t, err, "CountPools after a delete")
	same(t, "CountPools after a delete", n, 4)
}

func testPoolUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := fullPool("us-east-1_Update")
	must(t, s.CreatePool(ctx, p), "CreatePool")
	must(t, s.UpdatePool(ctx, p.Id, func(p *cognito.UserPool) error {
		p.Name = "renamed"
		p.UserPoolTags["env"] = "test"
		return nil
	}), "UpdatePool")
	got, err := s.GetPool(ctx, p.Id)
	must(t, err, "GetPool")
	want := p
	want.Name = "renamed"
	want.UserPoolTags = map[string]string{"team": "idp", "env": "test"}
	same(t, "updated pool", got, want)

	err = s.UpdatePool(ctx, p.Id, func(p *cognito.UserPool) error {
		p.Name = "must not be written"
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("UpdatePool with failing closure: got %v, want the closure's error as is", err)
	}
	got, _ = s.GetPool(ctx, p.Id)
	same(t, "pool after failed update", got, want)

	called := false
	err = s.UpdatePool(ctx, "us-east-1_Missing", func(*cognito.UserPool) error { called = true; return nil })
	isErr(t, err, store.ErrNotFound, "UpdatePool missing")
	if called {
		t.Fatal("UpdatePool called the closure for a missing pool")
	}
}

func testCountUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	n, err := s.CountUsers(ctx, "p1")
	must(t, err, "CountUsers")
	if n != 0 {
		t.Fatalf("CountUsers of an empty pool = %d", n)
	}
	for i := range 5 {
		must(t, s.CreateUser(ctx, plainUser("p1", fmt.Sprintf("u%d", i))), "CreateUser")
	}
	must(t, s.CreateUser(ctx, plainUser("p2", "u0")), "CreateUser")
	must(t, s.DeleteUser(ctx, "p1", "u3"), "DeleteUser")
	for pool, want := range map[string]int{"p1": 4, "p2": 1, "p3": 0} {
		n, err := s.CountUsers(ctx, pool)
		must(t, err, "CountUsers %s", pool)
		if n != want {
			t.Errorf("CountUsers(%s) = %d, want %d", pool, n, want)
		}
	}
}

func fullClient(pool, id string) cognito.UserPoolClient {
	return cognito.UserPoolClient{
		UserPoolId:                               pool,
		ClientName:                               "app " + id,
		ClientId:                                 id,
		LastModifiedDate:                         cognito.At(at(2)),
		CreationDate:                             cognito.At(t0),
		RefreshTokenValidity:                     30,
		AccessTokenValidity:                      60,
		IdTokenValidity:                          61,
		TokenValidityUnits:                       &cognito.TokenValidityUnits{AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days"},
		ReadAttributes:                           []string{"email"},
		WriteAttributes:                          []string{"name"},
		ExplicitAuthFlows:                        []string{"ALLOW_USER_SRP_AUTH"},
		SupportedIdentityProviders:               []string{"COGNITO"},
		CallbackURLs:                             []string{"https://app/cb"},
		LogoutURLs:                               []string{"https://app/out"},
		DefaultRedirectURI:                       "https://app/cb",
		AllowedOAuthFlows:                        []string{"code"},
		AllowedOAuthScopes:                       []string{"openid"},
		AllowedOAuthFlowsUserPoolClient:          true,
		AnalyticsConfiguration:                   json.RawMessage(`{"a":1}`),
		PreventUserExistenceErrors:               "ENABLED",
		EnableTokenRevocation:                    true,
		EnablePropagateAdditionalUserContextData: true,
		AuthSessionValidity:                      3,
		RefreshTokenRotation:                     &cognito.RefreshTokenRotation{Feature: "ENABLED", RetryGracePeriodSeconds: ptr(10)},
		SecretSealed:                             []byte{0, 1, 2, 0xff},
	}
}

func testClientRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := fullClient("p1", "client1")
	c.ClientSecret = "clear secret"
	must(t, s.CreateClient(ctx, c), "CreateClient")
	got, err := s.GetClient(ctx, c.ClientId)
	must(t, err, "GetClient")
	want := c
	want.ClientSecret = "" // never stored in clear
	same(t, "client", got, want)

	isErr(t, s.CreateClient(ctx, fullClient("p2", "client1")), store.ErrAlreadyExists, "CreateClient with a taken id in another pool")

	bare := cognito.UserPoolClient{UserPoolId: "p1", ClientId: "bare"}
	must(t, s.CreateClient(ctx, bare), "CreateClient bare")
	got, err = s.GetClient(ctx, "bare")
	must(t, err, "GetClient bare")
	got.SecretSealed = bytesOrNil(got.SecretSealed)
	same(t, "bare client", got, bare)

	_, err = s.GetClient(ctx, "missing")
	isErr(t, err, store.ErrNotFound, "GetClient missing")
}

func testClientList(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, id := range []string{"c3", "c1", "c5", "c2", "c4"} {
		must(t, s.CreateClient(ctx, fullClient("p1", id)), "CreateClient")
	}
	must(t, s.CreateClient(ctx, fullClient("p2", "c0")), "CreateClient")
	var got []string
	after := ""
	for {
		page, err := s.ListClients(ctx, "p1", store.Page{After: after, Limit: 2})
		must(t, err, "ListClients")
		for _, c := range page {
			if c.UserPoolId != "p1" {
				t.Fatalf("ListClients(p1) returned a client of %s", c.UserPoolId)
			}
			got = append(got, c.ClientId)
			after = c.ClientId
		}
		if len(page) < 2 {
			break
		}
	}
	same(t, "client ids", got, []string{"c1", "c2", "c3", "c4", "c5"})
}

func testClientUpdateDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := fullClient("p1", "c1")
	must(t, s.CreateClient(ctx, c), "CreateClient")
	must(t, s.UpdateClient(ctx, "c1", func(c *cognito.UserPoolClient) error {
		c.ClientName = "renamed"
		c.SecretSealed = []byte("new sealed")
		return nil
	}), "UpdateClient")
	want := c
	want.ClientName = "renamed"
	want.SecretSealed = []byte("new sealed")
	got, err := s.GetClient(ctx, "c1")
	must(t, err, "GetClient")
	same(t, "updated client", got, want)

	err = s.UpdateClient(ctx, "c1", func(c *cognito.UserPoolClient) error {
		c.ClientName = "must not be written"
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("UpdateClient with failing closure: got %v, want the closure's error as is", err)
	}
	got, _ = s.GetClient(ctx, "c1")
	same(t, "client after failed update", got, want)

	isErr(t, s.UpdateClient(ctx, "missing", func(*cognito.UserPoolClient) error { return nil }), store.ErrNotFound, "UpdateClient missing")
	must(t, s.DeleteClient(ctx, "c1"), "DeleteClient")
	_, err = s.GetClient(ctx, "c1")
	isErr(t, err, store.ErrNotFound, "GetClient after delete")
	isErr(t, s.DeleteClient(ctx, "c1"), store.ErrNotFound, "DeleteClient twice")
}
