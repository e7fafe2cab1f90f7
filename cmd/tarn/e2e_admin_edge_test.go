package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Validation of configuration inputs the SDK does not check client-side.
func TestE2E_ConfigValidation(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	cases := []struct {
		name string
		call func() error
	}{
		{"AuthSessionValidity 2", func() error {
			_, err := ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"), AuthSessionValidity: aws.Int32(2)})
			return err
		}},
		{"AuthSessionValidity 16", func() error {
			_, err := ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"), AuthSessionValidity: aws.Int32(16)})
			return err
		}},
		{"IdTokenValidity 2 days", func() error {
			_, err := ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"), IdTokenValidity: aws.Int32(2),
				TokenValidityUnits: &types.TokenValidityUnitsType{IdToken: "days"}})
			return err
		}},
		{"RefreshTokenValidity 59 minutes", func() error {
			_, err := ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"), RefreshTokenValidity: 59,
				TokenValidityUnits: &types.TokenValidityUnitsType{RefreshToken: "minutes"}})
			return err
		}},
		{"unknown ExplicitAuthFlows value", func() error {
			_, err := ts.cip.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.Id, ClientName: aws.String("x"),
				ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_TELEPATHY"}})
			return err
		}},
		{"ListUserPoolClients MaxResults 61", func() error {
			_, err := ts.cip.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: p.Id, MaxResults: aws.Int32(61)})
			return err
		}},
		{"ListGroups Limit 61", func() error {
			_, err := ts.cip.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: p.Id, Limit: aws.Int32(61)})
			return err
		}},
		{"CreateGroup Precedence -1", func() error {
			_, err := ts.cip.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: p.Id, GroupName: aws.String("g"), Precedence: aws.Int32(-1)})
			return err
		}},
		{"PasswordPolicy MinimumLength 5", func() error {
			_, err := ts.cip.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"),
				Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(5)}}})
			return err
		}},
		{"custom attribute name of 21 characters", func() error {
			_, err := ts.cip.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []types.SchemaAttributeType{
				{Name: aws.String(strings.Repeat("n", 21)), AttributeDataType: types.AttributeDataTypeString}}})
			return err
		}},
		{"required custom attribute via AddCustomAttributes", func() error {
			_, err := ts.cip.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []types.SchemaAttributeType{
				{Name: aws.String("req"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}}})
			return err
		}},
		{"MfaConfiguration ON without SmsConfiguration", func() error {
			_, err := ts.cip.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"), MfaConfiguration: types.UserPoolMfaTypeOn})
			return err
		}},
	}
	for _, c := range cases {
		wantErr(t, c.name, c.call(), "InvalidParameterException")
	}
	_, err := ts.cip.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String("us-east-1_AAAAAAAAA"),
		CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString}}})
	wantErr(t, "AddCustomAttributes unknown pool", err, "ResourceNotFoundException")

	// Units: 2 with the default unit (hours) is two hours.
	c := ts.client(*p.Id, cip.CreateUserPoolClientInput{AccessTokenValidity: aws.Int32(2)})
	ts.confirmedUser(*p.Id, "alice", auPassword)
	if r := ts.auTokens(*c.ClientId, "alice", auPassword); r.ExpiresIn != 7200 {
		t.Errorf("AccessTokenValidity 2 (hours by default): ExpiresIn %d, want 7200", r.ExpiresIn)
	}
}

func TestE2E_CustomAttributeConstraints(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("code"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("2"), MaxLength: aws.String("3")}},
		{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("10")}},
		{Name: aws.String("secret"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true), Mutable: aws.Bool(true)},
	}})
	s := schemaByName(p.SchemaAttributes)
	if _, ok := s["dev:custom:secret"]; !ok {
		t.Errorf("developer-only attribute not named dev:custom:secret: %v", slices.Sorted(func(yield func(string) bool) {
			for k := range s {
				if !yield(k) {
					return
				}
			}
		}))
	}
	ts.confirmedUser(*p.Id, "alice", auPassword)
	update := func(a types.AttributeType) error {
		_, err := ts.cip.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: p.Id, Username: aws.String("alice"),
			UserAttributes: []types.AttributeType{a}})
		return err
	}
	for _, ok := range []types.AttributeType{attr("custom:code", "ab"), attr("custom:code", "abc"), attr("custom:level", "1"),
		attr("custom:level", "10"), attr("dev:custom:secret", "s3")} {
		if err := update(ok); err != nil {
			t.Errorf("%s=%s: %v", *ok.Name, *ok.Value, err)
		}
	}
	for _, bad := range []types.AttributeType{attr("custom:code", "a"), attr("custom:code", "abcd"), attr("custom:level", "0"),
		attr("custom:level", "11"), attr("custom:level", "ten"), attr("email_verified", "yes"), attr("updated_at", "soon"), attr("updated_at", "NaN"), attr("updated_at", "Infinity"), attr("custom:level", "0x5"),
		attr("birthdate", "1/2/2000"), attr("name", strings.Repeat("x", 2049))} {
		wantErr(t, *bad.Name+"="+*bad.Value, update(bad), "InvalidParameterException")
	}
	am := attrMap(ts.auAdminGet(*p.Id, "alice").UserAttributes)
	if am["custom:code"] != "abc" || am["custom:level"] != "10" || am["dev:custom:secret"] != "s3" {
		t.Errorf("attributes %v", am)
	}
}

func TestE2E_UsernameAttributesPool_Admin(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{"email"}})
	out, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice@example.com"),
		MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatal(err)
	}
	am := attrMap(out.User.Attributes)
	username := aws.ToString(out.User.Username)
	if !uuidShape.MatchString(username) || username != am["sub"] || am["email"] != "alice@example.com" {
		t.Errorf("Username %q sub %q email %q: want Username = sub (a UUID) and the email copied", username, am["sub"], am["email"])
	}
	if g := ts.auAdminGet(poolID, "alice@example.com"); aws.ToString(g.Username) != username {
		t.Errorf("AdminGetUser by email: Username %q", aws.ToString(g.Username))
	}
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice@example.com"),
		MessageAction: types.MessageActionTypeSuppress})
	wantErr(t, "AdminCreateUser duplicate email", err, "UsernameExistsException")
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("not-an-email"),
		MessageAction: types.MessageActionTypeSuppress})
	wantErr(t, "AdminCreateUser non-email username", err, "InvalidParameterException")

	if _, err := ts.cip.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("alice@example.com"),
		Password: aws.String(auPassword), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	r := ts.auTokens(clientID, "alice@example.com", auPassword)
	if c := claimsOf(t, *r.IdToken); c["cognito:username"] != username {
		t.Errorf("cognito:username %v, want %s", c["cognito:username"], username)
	}
	if c := claimsOf(t, *r.AccessToken); c["username"] != username {
		t.Errorf("access token username %v, want %s", c["username"], username)
	}

	// ListUsers: username filter matches the UUID, email filter the email.
	if got, err := ts.listUsernames(poolID, `username = "`+username+`"`); err != nil || !slices.Equal(got, []string{username}) {
		t.Errorf("username filter %v %v", got, err)
	}
	if got, err := ts.listUsernames(poolID, `username = "alice@example.com"`); err != nil || len(got) != 0 {
		t.Errorf("username filter on the email %v %v, want none", got, err)
	}
	if got, err := ts.listUsernames(poolID, `email = "alice@example.com"`); err != nil || !slices.Equal(got, []string{username}) {
		t.Errorf("email filter %v %v", got, err)
	}

	// Changing another user's email to alice's is an alias conflict on the
	// update operations (they have no UsernameExistsException).
	ts.confirmedUser(poolID, "bob@example.com", auPassword)
	_, err = ts.cip.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: aws.String("bob@example.com"),
		UserAttributes: []types.AttributeType{attr("email", "alice@example.com")}})
	wantFailure(t, "AdminUpdateUserAttributes to another user's email", err, "AliasExistsException", "An account with the given email already exists.")
	bob := ts.auTokens(clientID, "bob@example.com", auPassword)
	_, err = ts.cip.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: bob.AccessToken,
		UserAttributes: []types.AttributeType{attr("email", "alice@example.com")}})
	wantErr(t, "UpdateUserAttributes to another user's email", err, "AliasExistsException")
	if g := ts.auAdminGet(poolID, "alice@example.com"); aws.ToString(g.Username) != username {
		t.Errorf("alice@example.com now signs in %q, want alice (%s)", aws.ToString(g.Username), username)
	}
}

func TestE2E_AliasPool_AdminGetUser(t *testing.T) {
	ts := startAdminTarn(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{"email", "preferred_username"}})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("preferred_username", "ally"))
	// An unverified email is not an active alias.
	_, err := ts.cip.AdminGetUser(ctxT(t), &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("alice@example.com")})
	wantErr(t, "AdminGetUser by an unverified email alias", err, "UserNotFoundException")
	if g := ts.auAdminGet(poolID, "ally"); aws.ToString(g.Username) != "alice" {
		t.Errorf("AdminGetUser by preferred_username: %q", aws.ToString(g.Username))
	}
	if _, err := ts.cip.AdminUpdateUserAttributes(ctxT(t), &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{attr("email_verified", "true")}}); err != nil {
		t.Fatal(err)
	}
	if g := ts.auAdminGet(poolID, "alice@example.com"); aws.ToString(g.Username) != "alice" {
		t.Errorf("AdminGetUser by verified email: %q", aws.ToString(g.Username))
	}
	r := ts.auTokens(clientID, "alice@example.com", auPassword)
	if c := claimsOf(t, *r.IdToken); c["cognito:username"] != "alice" {
		t.Errorf("cognito:username after alias sign-in %v", c["cognito:username"])
	}
	// A username that looks like an email is refused when email is an alias.
	_, err = ts.cip.AdminCreateUser(ctxT(t), &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("bob@example.com"),
		MessageAction: types.MessageActionTypeSuppress})
	wantErr(t, "AdminCreateUser email-shaped username in an email-alias pool", err, "InvalidParameterException")
}

func TestE2E_NewPasswordRequired_RequiredAttributes(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("family_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
	}})
	// AdminCreateUser does not enforce required attributes.
	_, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("alice"),
		TemporaryPassword: aws.String("Temp0rary!"), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatalf("AdminCreateUser without a required attribute: %v", err)
	}
	a, err := ts.adminPasswordAuth(poolID, clientID, "alice", "Temp0rary!")
	if err != nil {
		t.Fatal(err)
	}
	if a.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("challenge %q", a.ChallengeName)
	}
	var required []string
	if err := json.Unmarshal([]byte(a.ChallengeParameters["requiredAttributes"]), &required); err != nil {
		t.Fatalf("requiredAttributes %q: %v", a.ChallengeParameters["requiredAttributes"], err)
	}
	if !slices.Equal(required, []string{"userAttributes.family_name"}) {
		t.Errorf("requiredAttributes %v", required)
	}
	respond := func(session *string, extra map[string]string) (*cip.AdminRespondToAuthChallengeOutput, error) {
		cr := map[string]string{"USERNAME": "alice", "NEW_PASSWORD": auPassword}
		for k, v := range extra {
			cr[k] = v
		}
		return ts.cip.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: &poolID, ClientId: &clientID,
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: session, ChallengeResponses: cr})
	}
	_, err = respond(a.Session, nil)
	wantErr(t, "NEW_PASSWORD_REQUIRED without the required attribute", err, "InvalidParameterException")
	a, err = ts.adminPasswordAuth(poolID, clientID, "alice", "Temp0rary!")
	if err != nil {
		t.Fatal(err)
	}
	r, err := respond(a.Session, map[string]string{"userAttributes.family_name": "Smith"})
	if err != nil {
		t.Fatalf("NEW_PASSWORD_REQUIRED with the required attribute: %v", err)
	}
	if c := claimsOf(t, *r.AuthenticationResult.IdToken); c["family_name"] != "Smith" {
		t.Errorf("family_name claim %v", c["family_name"])
	}
	if am := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes); am["family_name"] != "Smith" {
		t.Errorf("family_name attribute %q", am["family_name"])
	}
}

func TestE2E_AdminSetUserPassword_FromOtherStatuses(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	// UNCONFIRMED → CONFIRMED.
	if _, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("u"), Password: aws.String(auPassword)}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cip.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("u"),
		Password: aws.String("Other-Passw0rd"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if st := ts.auAdminGet(poolID, "u").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("UNCONFIRMED + AdminSetUserPassword Permanent: %q", st)
	}
	ts.auTokens(clientID, "u", "Other-Passw0rd")
	// RESET_REQUIRED → CONFIRMED.
	ts.confirmedUser(poolID, "r", auPassword, attr("email", "r@example.com"), attr("email_verified", "true"))
	if _, err := ts.cip.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("r")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cip.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("r"),
		Password: aws.String("Other-Passw0rd"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if st := ts.auAdminGet(poolID, "r").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("RESET_REQUIRED + AdminSetUserPassword Permanent: %q", st)
	}
	ts.auTokens(clientID, "r", "Other-Passw0rd")
}

func TestE2E_AdminUpdateUserAttributes_AutoVerify(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, _ := ts.basicPool(cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})
	ts.confirmedUser(poolID, "alice", auPassword, attr("email", "alice@example.com"), attr("email_verified", "true"))
	n := len(ts.messages(poolID, "alice"))
	// With email_verified=true in the same call: no message, stays verified.
	if _, err := ts.cip.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{attr("email", "a2@example.com"), attr("email_verified", "true")}}); err != nil {
		t.Fatal(err)
	}
	if msgs := ts.messages(poolID, "alice"); len(msgs) != n {
		t.Errorf("a message was sent though email_verified=true was written: %+v", msgs[n:])
	}
	if am := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes); am["email"] != "a2@example.com" || am["email_verified"] != "true" {
		t.Errorf("attributes %v", am)
	}
	// Without it: a code goes to the new address and the email is unverified.
	if _, err := ts.cip.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{attr("email", "a3@example.com")}}); err != nil {
		t.Fatal(err)
	}
	msgs := ts.messages(poolID, "alice")
	if len(msgs) != n+1 || msgs[n].Destination != "a3@example.com" || msgs[n].Code == "" {
		t.Errorf("messages after an email change %+v, want one code to a3@example.com", msgs[n:])
	}
	if am := attrMap(ts.auAdminGet(poolID, "alice").UserAttributes); am["email"] != "a3@example.com" || am["email_verified"] == "true" {
		t.Errorf("attributes %v", am)
	}
}

func TestE2E_DeletedClientTokensRejected(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "alice", auPassword)
	r := ts.auTokens(clientID, "alice", auPassword)
	if _, err := ts.cip.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: &poolID, ClientId: &clientID}); err != nil {
		t.Fatal(err)
	}
	_, err := ts.auGetUser(*r.AccessToken)
	wantErr(t, "GetUser with a deleted client's token", err, "NotAuthorizedException")
}

func TestE2E_IDTokenAttributeTypes(t *testing.T) {
	ts := startAdminTarn(t)
	poolID, clientID := ts.basicPool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("n"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true)},
	}})
	ts.confirmedUser(poolID, "alice", auPassword, attr("phone_number", "+14325551212"), attr("phone_number_verified", "false"),
		attr("updated_at", "1700000000"), attr("custom:n", "42"))
	c := claimsOf(t, *ts.auTokens(clientID, "alice", auPassword).IdToken)
	if c["phone_number"] != "+14325551212" || c["phone_number_verified"] != false {
		t.Errorf("phone_number %#v phone_number_verified %#v, want the string and JSON false", c["phone_number"], c["phone_number_verified"])
	}
	if n, ok := c["updated_at"].(json.Number); !ok || n.String() != "1700000000" {
		t.Errorf("updated_at %#v, want the JSON number 1700000000", c["updated_at"])
	}
	if c["custom:n"] != "42" {
		t.Errorf("custom:n %#v, want the string \"42\"", c["custom:n"])
	}
}
