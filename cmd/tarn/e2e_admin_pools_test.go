package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestE2E_CreateUserPool_Defaults(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	created := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("defaults")})
	if !regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`).MatchString(aws.ToString(created.Id)) {
		t.Errorf("Id %q, want us-east-1_<9 alphanumerics>", aws.ToString(created.Id))
	}
	out, err := ts.cip.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: created.Id})
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*types.UserPoolType{"CreateUserPool": created, "DescribeUserPool": out.UserPool} {
		t.Run(name, func(t *testing.T) {
			id := aws.ToString(p.Id)
			if got := aws.ToString(p.Name); got != "defaults" {
				t.Errorf("Name %q", got)
			}
			if !regexp.MustCompile(`^arn:aws:cognito-idp:us-east-1:\d{12}:userpool/` + regexp.QuoteMeta(id) + `$`).MatchString(aws.ToString(p.Arn)) {
				t.Errorf("Arn %q", aws.ToString(p.Arn))
			}
			if p.Policies == nil || p.Policies.PasswordPolicy == nil {
				t.Fatalf("Policies.PasswordPolicy missing: %+v", p.Policies)
			}
			pp := p.Policies.PasswordPolicy
			if aws.ToInt32(pp.MinimumLength) != 8 || !pp.RequireUppercase || !pp.RequireLowercase || !pp.RequireNumbers ||
				!pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 7 {
				t.Errorf("PasswordPolicy %+v, want 8/true/true/true/true/7", *pp)
			}
			if p.DeletionProtection != types.DeletionProtectionTypeInactive {
				t.Errorf("DeletionProtection %q", p.DeletionProtection)
			}
			if p.MfaConfiguration != types.UserPoolMfaTypeOff {
				t.Errorf("MfaConfiguration %q", p.MfaConfiguration)
			}
			if p.LambdaConfig == nil {
				t.Errorf("LambdaConfig missing, want {}")
			}
			// As AWS describes a new pool: the option, no texts.
			if v := p.VerificationMessageTemplate; v == nil || *v != (types.VerificationMessageTemplateType{DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode}) {
				t.Errorf("VerificationMessageTemplate %+v, want only DefaultEmailOption CONFIRM_WITH_CODE", v)
			}
			if p.SmsVerificationMessage != nil || p.EmailVerificationMessage != nil || p.EmailVerificationSubject != nil {
				t.Errorf("legacy message members %v %v %v, want none", p.SmsVerificationMessage, p.EmailVerificationMessage, p.EmailVerificationSubject)
			}
			if e := p.EmailConfiguration; e == nil || e.EmailSendingAccount != types.EmailSendingAccountTypeCognitoDefault {
				t.Errorf("EmailConfiguration %+v, want COGNITO_DEFAULT", e)
			}
			if a := p.AdminCreateUserConfig; a == nil || a.AllowAdminCreateUserOnly || a.UnusedAccountValidityDays != 7 {
				t.Errorf("AdminCreateUserConfig %+v, want AllowAdminCreateUserOnly false, UnusedAccountValidityDays 7", a)
			}
			if p.EstimatedNumberOfUsers != 0 {
				t.Errorf("EstimatedNumberOfUsers %d", p.EstimatedNumberOfUsers)
			}
			if p.UserPoolTier != types.UserPoolTierTypeEssentials {
				t.Errorf("UserPoolTier %q, want ESSENTIALS", p.UserPoolTier)
			}
			checkStandardSchema(t, p.SchemaAttributes)
		})
	}
}

// checkStandardSchema asserts the 20 standard attributes of api.md §3.4.
func checkStandardSchema(t *testing.T, schema []types.SchemaAttributeType) {
	t.Helper()
	want := map[string]types.AttributeDataType{
		"sub": "String", "name": "String", "given_name": "String", "family_name": "String", "middle_name": "String",
		"nickname": "String", "preferred_username": "String", "profile": "String", "picture": "String", "website": "String",
		"email": "String", "gender": "String", "zoneinfo": "String", "locale": "String", "phone_number": "String",
		"address": "String", "birthdate": "String", "email_verified": "Boolean", "phone_number_verified": "Boolean",
		"updated_at": "Number",
	}
	got := map[string]types.SchemaAttributeType{}
	for _, a := range schema {
		if !strings.Contains(aws.ToString(a.Name), ":") {
			got[aws.ToString(a.Name)] = a
		}
	}
	if len(got) != 20 {
		t.Errorf("%d standard schema attributes, want 20", len(got))
	}
	for name, typ := range want {
		a, ok := got[name]
		if !ok {
			t.Errorf("schema lacks %s", name)
			continue
		}
		if a.AttributeDataType != typ {
			t.Errorf("%s: type %q, want %q", name, a.AttributeDataType, typ)
		}
		if aws.ToBool(a.DeveloperOnlyAttribute) {
			t.Errorf("%s: DeveloperOnlyAttribute true", name)
		}
		wantMutable, wantRequired := name != "sub", name == "sub"
		if aws.ToBool(a.Mutable) != wantMutable || aws.ToBool(a.Required) != wantRequired {
			t.Errorf("%s: Mutable %v Required %v, want %v %v", name, aws.ToBool(a.Mutable), aws.ToBool(a.Required), wantMutable, wantRequired)
		}
	}
	if c := got["birthdate"].StringAttributeConstraints; c == nil || aws.ToString(c.MinLength) != "10" || aws.ToString(c.MaxLength) != "10" {
		t.Errorf("birthdate constraints %+v, want 10..10", c)
	}
	if c := got["sub"].StringAttributeConstraints; c == nil || aws.ToString(c.MinLength) != "1" || aws.ToString(c.MaxLength) != "2048" {
		t.Errorf("sub constraints %+v, want 1..2048", c)
	}
	if c := got["updated_at"].NumberAttributeConstraints; c == nil || aws.ToString(c.MinValue) != "0" {
		t.Errorf("updated_at constraints %+v, want MinValue 0", c)
	}
}

func schemaByName(schema []types.SchemaAttributeType) map[string]types.SchemaAttributeType {
	m := map[string]types.SchemaAttributeType{}
	for _, a := range schema {
		m[aws.ToString(a.Name)] = a
	}
	return m
}

func TestE2E_CreateUserPool_CustomAttributes(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)},
		{Name: aws.String("given_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
	}})
	s := schemaByName(p.SchemaAttributes)
	if _, ok := s["custom:tier"]; !ok {
		t.Errorf("schema lacks custom:tier: %v", slices.Sorted(maps.Keys(s)))
	}
	if _, ok := s["tier"]; ok {
		t.Errorf("custom attribute listed without the custom: prefix")
	}
	if !aws.ToBool(s["given_name"].Required) {
		t.Errorf("given_name not Required after Schema adjusted it")
	}

	_, err := ts.cip.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("score"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true)},
	}})
	if err != nil {
		t.Fatalf("AddCustomAttributes: %v", err)
	}
	out, err := ts.cip.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: p.Id})
	if err != nil {
		t.Fatal(err)
	}
	s = schemaByName(out.UserPool.SchemaAttributes)
	if a, ok := s["custom:score"]; !ok || a.AttributeDataType != types.AttributeDataTypeNumber {
		t.Errorf("custom:score after AddCustomAttributes: %+v (present %v)", a, ok)
	}
	if _, ok := s["custom:tier"]; !ok {
		t.Errorf("custom:tier lost after AddCustomAttributes")
	}

	for _, name := range []string{"tier", "score"} {
		_, err = ts.cip.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []types.SchemaAttributeType{
			{Name: aws.String(name), AttributeDataType: types.AttributeDataTypeString},
		}})
		wantErr(t, "AddCustomAttributes duplicate "+name, err, "InvalidParameterException")
	}

	// A custom attribute cannot be required.
	_, err = ts.cip.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("x"), Schema: []types.SchemaAttributeType{
		{Name: aws.String("must"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)},
	}})
	wantErr(t, "CreateUserPool required custom attribute", err, "InvalidParameterException")

	// The custom attribute is usable on users.
	_, err = ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: p.Id, Username: aws.String("u"),
		MessageAction:  types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{attr("custom:tier", "gold"), attr("custom:score", "7"), attr("given_name", "G")}})
	if err != nil {
		t.Fatalf("AdminCreateUser with custom attributes: %v", err)
	}
	if got := attrMap(ts.auAdminGet(*p.Id, "u").UserAttributes); got["custom:tier"] != "gold" || got["custom:score"] != "7" {
		t.Errorf("user attributes %v", got)
	}
}

func TestE2E_CreateUserPool_UsernameAndAliasAttributes(t *testing.T) {
	ts := startAdminTarn(t)
	_, err := ts.cip.CreateUserPool(ctxT(t), &cip.CreateUserPoolInput{PoolName: aws.String("both"),
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AliasAttributes:    []types.AliasAttributeType{types.AliasAttributeTypePreferredUsername}})
	wantErr(t, "CreateUserPool with UsernameAttributes and AliasAttributes", err, "InvalidParameterException")

	// Each on its own is fine and echoed back.
	p := ts.pool(cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	if !slices.Equal(p.UsernameAttributes, []types.UsernameAttributeType{"email"}) {
		t.Errorf("UsernameAttributes %v", p.UsernameAttributes)
	}
	p = ts.pool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{"email", "preferred_username"}})
	if len(p.AliasAttributes) != 2 {
		t.Errorf("AliasAttributes %v", p.AliasAttributes)
	}
}

func TestE2E_UpdateUserPool_ReplaceSemantics(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	lambda := "arn:aws:lambda:us-east-1:123456789012:function:presignup"
	p := ts.pool(cip.CreateUserPoolInput{
		PoolName:               aws.String("before"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		LambdaConfig:           &types.LambdaConfigType{PreSignUp: aws.String(lambda)},
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12),
			RequireUppercase: true, TemporaryPasswordValidityDays: 3}},
		UserPoolTags: map[string]string{"env": "test"},
	})
	if aws.ToString(p.LambdaConfig.PreSignUp) != lambda || len(p.AutoVerifiedAttributes) != 1 {
		t.Fatalf("created pool LambdaConfig %+v AutoVerifiedAttributes %v", p.LambdaConfig, p.AutoVerifiedAttributes)
	}

	_, err := ts.cip.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: p.Id,
		DeletionProtection: types.DeletionProtectionTypeActive})
	if err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	out, err := ts.cip.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: p.Id})
	if err != nil {
		t.Fatal(err)
	}
	u := out.UserPool
	if u.LambdaConfig != nil && u.LambdaConfig.PreSignUp != nil {
		t.Errorf("LambdaConfig.PreSignUp %q survived an UpdateUserPool that omitted LambdaConfig", *u.LambdaConfig.PreSignUp)
	}
	if len(u.AutoVerifiedAttributes) != 0 {
		t.Errorf("AutoVerifiedAttributes %v survived an UpdateUserPool that omitted it", u.AutoVerifiedAttributes)
	}
	if pp := u.Policies.PasswordPolicy; aws.ToInt32(pp.MinimumLength) != 8 || pp.TemporaryPasswordValidityDays != 7 || !pp.RequireSymbols {
		t.Errorf("PasswordPolicy %+v, want the defaults after an update without Policies", *pp)
	}
	if u.DeletionProtection != types.DeletionProtectionTypeActive {
		t.Errorf("DeletionProtection %q, want ACTIVE", u.DeletionProtection)
	}
	if aws.ToString(u.Name) != "before" {
		t.Errorf("Name %q changed though PoolName was omitted", aws.ToString(u.Name))
	}
	if aws.ToString(u.Id) != aws.ToString(p.Id) || aws.ToString(u.Arn) != aws.ToString(p.Arn) {
		t.Errorf("Id/Arn changed")
	}

	// Not-found.
	_, err = ts.cip.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String("us-east-1_nosuchpoo")})
	wantErr(t, "UpdateUserPool unknown", err, "ResourceNotFoundException")
}

// DescribeUserPool's messages sent back through UpdateUserPool, as tools
// that read-modify-write a pool do, describe the same afterwards.
func TestE2E_UpdateUserPool_DescribedMessagesRoundTrip(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	for name, in := range map[string]cip.CreateUserPoolInput{
		"defaults": {},
		"custom":   {VerificationMessageTemplate: &types.VerificationMessageTemplateType{SmsMessage: aws.String("SMS code {####}"), EmailSubject: aws.String("Code")}},
	} {
		p := ts.pool(in)
		_, err := ts.cip.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: p.Id,
			VerificationMessageTemplate: p.VerificationMessageTemplate, SmsVerificationMessage: p.SmsVerificationMessage,
			EmailVerificationMessage: p.EmailVerificationMessage, EmailVerificationSubject: p.EmailVerificationSubject})
		if err != nil {
			t.Fatalf("%s: UpdateUserPool: %v", name, err)
		}
		out, err := ts.cip.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: p.Id})
		if err != nil {
			t.Fatal(err)
		}
		if before, after := describedMessages(p), describedMessages(out.UserPool); after != before {
			t.Errorf("%s: messages after the round trip %s, before %s", name, after, before)
		}
	}
}

// describedMessages is a pool's message members as one comparable string.
func describedMessages(p *types.UserPoolType) string {
	s := fmt.Sprintf("legacy %q %q %q", aws.ToString(p.SmsVerificationMessage), aws.ToString(p.EmailVerificationMessage), aws.ToString(p.EmailVerificationSubject))
	if v := p.VerificationMessageTemplate; v != nil {
		s += fmt.Sprintf(" template %s %q %q %q %q %q", v.DefaultEmailOption, aws.ToString(v.SmsMessage), aws.ToString(v.EmailMessage),
			aws.ToString(v.EmailSubject), aws.ToString(v.EmailMessageByLink), aws.ToString(v.EmailSubjectByLink))
	}
	return s
}

func TestE2E_DescribeUserPool_Unknown(t *testing.T) {
	ts := startAdminTarn(t)
	_, err := ts.cip.DescribeUserPool(ctxT(t), &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_AAAAAAAAA")})
	wantErr(t, "DescribeUserPool unknown", err, "ResourceNotFoundException")
	if err != nil && !strings.Contains(err.Error(), "User pool us-east-1_AAAAAAAAA does not exist.") {
		t.Errorf("message: %v", err)
	}
}

func TestE2E_ListUserPools_Pagination(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	want := map[string]string{}
	for i := range 7 {
		p := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("p" + string(rune('a'+i)))})
		want[*p.Id] = *p.Name
	}
	seen := map[string]bool{}
	var token *string
	pages := 0
	for {
		out, err := ts.cip.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(3), NextToken: token})
		if err != nil {
			t.Fatalf("ListUserPools: %v", err)
		}
		pages++
		if len(out.UserPools) > 3 {
			t.Fatalf("page of %d > MaxResults 3", len(out.UserPools))
		}
		for _, d := range out.UserPools {
			id := aws.ToString(d.Id)
			if seen[id] {
				t.Errorf("pool %s listed twice", id)
			}
			seen[id] = true
			if want[id] != aws.ToString(d.Name) {
				t.Errorf("pool %s: Name %q, want %q", id, aws.ToString(d.Name), want[id])
			}
			if d.CreationDate == nil || d.LastModifiedDate == nil {
				t.Errorf("pool %s: dates missing", id)
			}
		}
		if out.NextToken == nil {
			break
		}
		if *out.NextToken == "" {
			t.Fatalf("empty NextToken: it must be absent on the last page")
		}
		token = out.NextToken
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != 7 || pages != 3 {
		t.Errorf("saw %d pools in %d pages, want 7 in 3", len(seen), pages)
	}

	_, err := ts.cip.ListUserPools(ctx, &cip.ListUserPoolsInput{}, noValidation)
	wantErr(t, "ListUserPools without MaxResults", err, "InvalidParameterException")
	_, err = ts.cip.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(61)})
	wantErr(t, "ListUserPools MaxResults 61", err, "InvalidParameterException")
}

func TestE2E_DeleteUserPool(t *testing.T) {
	ts := startAdminTarn(t)
	ctx := ctxT(t)
	p := ts.pool(cip.CreateUserPoolInput{DeletionProtection: types.DeletionProtectionTypeActive})
	c := ts.client(*p.Id, cip.CreateUserPoolClientInput{})
	ts.confirmedUser(*p.Id, "alice", auPassword)

	_, err := ts.cip.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: p.Id})
	wantErr(t, "DeleteUserPool with DeletionProtection ACTIVE", err, "InvalidParameterException")
	if _, err := ts.cip.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: p.Id}); err != nil {
		t.Fatalf("pool gone after a refused delete: %v", err)
	}

	_, err = ts.cip.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: p.Id, DeletionProtection: types.DeletionProtectionTypeInactive})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.cip.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: p.Id}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	_, err = ts.cip.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: p.Id})
	wantErr(t, "DescribeUserPool after delete", err, "ResourceNotFoundException")
	_, err = ts.cip.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: p.Id, ClientId: c.ClientId})
	wantErr(t, "DescribeUserPoolClient after pool delete", err, "ResourceNotFoundException")
	_, err = ts.passwordAuth(*c.ClientId, "alice", auPassword)
	wantErr(t, "sign-in after pool delete", err, "ResourceNotFoundException")
	_, err = ts.cip.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: p.Id})
	wantErr(t, "DeleteUserPool twice", err, "ResourceNotFoundException")
}

func TestE2E_DescribeUserPool_EstimatedNumberOfUsers(t *testing.T) {
	ts := startAdminTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{})
	for _, u := range []string{"a", "b", "c"} {
		ts.confirmedUser(*p.Id, u, auPassword)
	}
	out, err := ts.cip.DescribeUserPool(ctxT(t), &cip.DescribeUserPoolInput{UserPoolId: p.Id})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserPool.EstimatedNumberOfUsers != 3 {
		t.Errorf("EstimatedNumberOfUsers %d, want 3", out.UserPool.EstimatedNumberOfUsers)
	}
}
