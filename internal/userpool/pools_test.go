package userpool

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/store/sqlstore"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// adminTestClock is the settable clock of services built by newAdminTestService.
type adminTestClock struct{ t time.Time }

func (c *adminTestClock) now() time.Time { return c.t }

// newAdminTestService returns a Service on a private in-memory SQLite store
// and its clock, which starts at a fixed time and moves only when told.
func newAdminTestService(t *testing.T) (*Service, *adminTestClock) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := seal.New(seal.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	clock := &adminTestClock{t: time.Date(2026, 1, 2, 3, 4, 5, 600e6, time.UTC)}
	return New(Config{Store: st, Tokens: tokens.New(st, sealer), Sealer: sealer, Now: clock.now}), clock
}

// wantCognitoError fails unless err is a Cognito error with the given code
// and, when msg is not empty, message.
func wantCognitoError(t *testing.T, err error, code, msg string) {
	t.Helper()
	if got := cognito.ErrorCode(err); got != code {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if msg != "" && err.(*cognito.Error).Message != msg {
		t.Fatalf("message = %q, want %q", err.(*cognito.Error).Message, msg)
	}
}

func mustCreatePool(t *testing.T, s *Service, in *CreateUserPoolInput) cognito.UserPool {
	t.Helper()
	if in.PoolName == "" {
		in.PoolName = "test"
	}
	out, err := s.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.UserPool
}

func TestCreateUserPool_Defaults(t *testing.T) {
	s, _ := newAdminTestService(t)
	p := mustCreatePool(t, s, &CreateUserPoolInput{PoolName: "pool one"})

	if !regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`).MatchString(p.Id) {
		t.Errorf("Id = %q", p.Id)
	}
	if want := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + p.Id; p.Arn != want {
		t.Errorf("Arn = %q, want %q", p.Arn, want)
	}
	out, err := s.DescribeUserPool(context.Background(), &DescribeUserPoolInput{UserPoolId: p.Id})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(out.UserPool)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("DescribeUserPool emits null: %s", b)
	}
	var got map[string]any
	json.Unmarshal(b, &got)
	for member, want := range map[string]string{
		"Name":                        `"pool one"`,
		"Status":                      `"Enabled"`,
		"DeletionProtection":          `"INACTIVE"`,
		"MfaConfiguration":            `"OFF"`,
		"UserPoolTier":                `"ESSENTIALS"`,
		"LambdaConfig":                `{}`,
		"UserPoolTags":                `{}`,
		"EstimatedNumberOfUsers":      `0`,
		"CreationDate":                `1767323045.6`,
		"Policies":                    `{"PasswordPolicy":{"MinimumLength":8,"RequireLowercase":true,"RequireNumbers":true,"RequireSymbols":true,"RequireUppercase":true,"TemporaryPasswordValidityDays":7},"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD"]}}`,
		"VerificationMessageTemplate": `{"DefaultEmailOption":"CONFIRM_WITH_CODE"}`,
		"EmailConfiguration":          `{"EmailSendingAccount":"COGNITO_DEFAULT"}`,
		"AdminCreateUserConfig":       `{"AllowAdminCreateUserOnly":false,"UnusedAccountValidityDays":7}`,
	} {
		v, _ := json.Marshal(got[member])
		if string(v) != want {
			t.Errorf("%s = %s, want %s", member, v, want)
		}
	}
	for _, absent := range []string{"UsernameConfiguration", "AliasAttributes", "UsernameAttributes", "SmsConfiguration", "EmailVerificationMessage"} {
		if _, ok := got[absent]; ok {
			t.Errorf("%s present, want omitted", absent)
		}
	}
	if len(p.SchemaAttributes) != 20 {
		t.Fatalf("%d schema attributes, want 20", len(p.SchemaAttributes))
	}
	sub, _ := json.Marshal(p.SchemaAttributes[0])
	if want := `{"Name":"sub","AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":false,"Required":true,"StringAttributeConstraints":{"MinLength":"1","MaxLength":"2048"}}`; string(sub) != want {
		t.Errorf("sub = %s, want %s", sub, want)
	}
	upd, _ := json.Marshal(p.SchemaAttributes[19])
	if want := `{"Name":"updated_at","AttributeDataType":"Number","DeveloperOnlyAttribute":false,"Mutable":true,"Required":false,"NumberAttributeConstraints":{"MinValue":"0"}}`; string(upd) != want {
		t.Errorf("updated_at = %s, want %s", upd, want)
	}
}

func TestBuildSchema(t *testing.T) {
	tr, fa := boolRef(true), boolRef(false)
	for _, tc := range []struct {
		name    string
		in      []cognito.SchemaAttribute
		wantErr bool
		check   func(t *testing.T, schema []cognito.SchemaAttribute)
	}{
		{name: "standard attribute adjusted in place",
			in: []cognito.SchemaAttribute{{Name: "email", AttributeDataType: "String", Required: tr, Mutable: fa, StringAttributeConstraints: &cognito.StringAttributeConstraints{MaxLength: strRef("256")}}},
			check: func(t *testing.T, schema []cognito.SchemaAttribute) {
				a, _ := (&cognito.UserPool{SchemaAttributes: schema}).Schema("email")
				if len(schema) != 20 || !*a.Required || *a.Mutable || *a.StringAttributeConstraints.MaxLength != "256" || *a.StringAttributeConstraints.MinLength != "0" {
					t.Errorf("email = %+v", a)
				}
			}},
		{name: "custom attribute defaults",
			in: []cognito.SchemaAttribute{{Name: "tier"}},
			check: func(t *testing.T, schema []cognito.SchemaAttribute) {
				b, _ := json.Marshal(schema[20])
				if want := `{"Name":"custom:tier","AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":true,"Required":false}`; string(b) != want {
					t.Errorf("custom = %s, want %s", b, want)
				}
			}},
		{name: "developer-only attribute",
			in: []cognito.SchemaAttribute{{Name: "x", AttributeDataType: "Number", DeveloperOnlyAttribute: tr, Mutable: fa, NumberAttributeConstraints: &cognito.NumberAttributeConstraints{MinValue: strRef("1")}}},
			check: func(t *testing.T, schema []cognito.SchemaAttribute) {
				a := schema[20]
				if a.Name != "dev:custom:x" || !*a.DeveloperOnlyAttribute || *a.Mutable || *a.NumberAttributeConstraints.MinValue != "1" {
					t.Errorf("dev = %+v", a)
				}
			}},
		{name: "custom required", in: []cognito.SchemaAttribute{{Name: "tier", Required: tr}}, wantErr: true},
		{name: "duplicate name", in: []cognito.SchemaAttribute{{Name: "tier"}, {Name: "tier"}}, wantErr: true},
		{name: "custom and dev share a name", in: []cognito.SchemaAttribute{{Name: "tier"}, {Name: "tier", DeveloperOnlyAttribute: tr}}, wantErr: true},
		{name: "standard type changed", in: []cognito.SchemaAttribute{{Name: "email", AttributeDataType: "Number"}}, wantErr: true},
		{name: "standard made developer-only", in: []cognito.SchemaAttribute{{Name: "email", DeveloperOnlyAttribute: tr}}, wantErr: true},
		{name: "sub made mutable", in: []cognito.SchemaAttribute{{Name: "sub", Mutable: tr}}, wantErr: true},
		{name: "unknown type", in: []cognito.SchemaAttribute{{Name: "tier", AttributeDataType: "Blob"}}, wantErr: true},
		{name: "name too long", in: []cognito.SchemaAttribute{{Name: strings.Repeat("a", 21)}}, wantErr: true},
		{name: "min above max", in: []cognito.SchemaAttribute{{Name: "tier", StringAttributeConstraints: &cognito.StringAttributeConstraints{MinLength: strRef("5"), MaxLength: strRef("4")}}}, wantErr: true},
		{name: "max above 2048", in: []cognito.SchemaAttribute{{Name: "tier", StringAttributeConstraints: &cognito.StringAttributeConstraints{MaxLength: strRef("2049")}}}, wantErr: true},
		{name: "non-integer bound", in: []cognito.SchemaAttribute{{Name: "n", AttributeDataType: "Number", NumberAttributeConstraints: &cognito.NumberAttributeConstraints{MaxValue: strRef("x")}}}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema, err := buildSchema(tc.in)
			if tc.wantErr {
				wantCognitoError(t, err, cognito.InvalidParameter, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, schema)
		})
	}
}

func TestNormalizeLambdaConfig(t *testing.T) {
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:fn"
	const arn2 = "arn:aws:lambda:us-east-1:123456789012:function:other"
	const kms = "arn:aws:kms:us-east-1:123456789012:key/abc"
	for _, tc := range []struct {
		name    string
		in      *cognito.LambdaConfig
		want    string // JSON of the result; "" for an InvalidParameterException
		wantErr bool
	}{
		{name: "absent", in: nil, want: `{}`},
		{name: "plain trigger", in: &cognito.LambdaConfig{PreSignUp: arn}, want: `{"PreSignUp":"` + arn + `"}`},
		{name: "qualified ARN", in: &cognito.LambdaConfig{PreSignUp: arn + ":live"}, want: `{"PreSignUp":"` + arn + `:live"}`},
		{name: "not an ARN", in: &cognito.LambdaConfig{PreSignUp: "my-function-name-here"}, wantErr: true},
		{name: "too short", in: &cognito.LambdaConfig{PostConfirmation: "arn:a:b::1:c"}, wantErr: true},
		{name: "PreTokenGeneration alone", in: &cognito.LambdaConfig{PreTokenGeneration: arn},
			want: `{"PreTokenGeneration":"` + arn + `","PreTokenGenerationConfig":{"LambdaVersion":"V1_0","LambdaArn":"` + arn + `"}}`},
		{name: "PreTokenGenerationConfig alone", in: &cognito.LambdaConfig{PreTokenGenerationConfig: &cognito.LambdaVersionConfig{LambdaVersion: "V2_0", LambdaArn: arn}},
			want: `{"PreTokenGeneration":"` + arn + `","PreTokenGenerationConfig":{"LambdaVersion":"V2_0","LambdaArn":"` + arn + `"}}`},
		{name: "both, same ARN", in: &cognito.LambdaConfig{PreTokenGeneration: arn, PreTokenGenerationConfig: &cognito.LambdaVersionConfig{LambdaVersion: "V3_0", LambdaArn: arn}},
			want: `{"PreTokenGeneration":"` + arn + `","PreTokenGenerationConfig":{"LambdaVersion":"V3_0","LambdaArn":"` + arn + `"}}`},
		{name: "both, different ARNs", in: &cognito.LambdaConfig{PreTokenGeneration: arn, PreTokenGenerationConfig: &cognito.LambdaVersionConfig{LambdaVersion: "V2_0", LambdaArn: arn2}}, wantErr: true},
		{name: "bad version", in: &cognito.LambdaConfig{PreTokenGenerationConfig: &cognito.LambdaVersionConfig{LambdaVersion: "V4_0", LambdaArn: arn}}, wantErr: true},
		{name: "custom sender", in: &cognito.LambdaConfig{CustomEmailSender: &cognito.LambdaVersionConfig{LambdaVersion: "V1_0", LambdaArn: arn}, KMSKeyID: kms},
			want: `{"CustomEmailSender":{"LambdaVersion":"V1_0","LambdaArn":"` + arn + `"},"KMSKeyID":"` + kms + `"}`},
		{name: "custom sender without KMS key", in: &cognito.LambdaConfig{CustomSMSSender: &cognito.LambdaVersionConfig{LambdaVersion: "V1_0", LambdaArn: arn}}, wantErr: true},
		{name: "custom sender V2_0", in: &cognito.LambdaConfig{CustomSMSSender: &cognito.LambdaVersionConfig{LambdaVersion: "V2_0", LambdaArn: arn}, KMSKeyID: kms}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lc, err := normalizeLambdaConfig(tc.in)
			if tc.wantErr {
				wantCognitoError(t, err, cognito.InvalidParameter, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(lc); string(b) != tc.want {
				t.Errorf("got %s, want %s", b, tc.want)
			}
		})
	}
}

func TestCreateUserPool_InvalidParameter(t *testing.T) {
	s, _ := newAdminTestService(t)
	for _, tc := range []struct {
		name string
		in   CreateUserPoolInput
	}{
		{"username and alias attributes", CreateUserPoolInput{UsernameAttributes: []string{"email"}, AliasAttributes: []string{"phone_number"}}},
		{"unknown alias attribute", CreateUserPoolInput{AliasAttributes: []string{"nickname"}}},
		{"MFA on without SMS", CreateUserPoolInput{PoolSettings: PoolSettings{MfaConfiguration: "ON"}}},
		{"preferred_username required and alias", CreateUserPoolInput{AliasAttributes: []string{"preferred_username"}, Schema: []cognito.SchemaAttribute{{Name: "preferred_username", Required: boolRef(true)}}}},
		{"password too short", CreateUserPoolInput{PoolSettings: PoolSettings{Policies: &cognito.UserPoolPolicy{PasswordPolicy: &cognito.PasswordPolicy{MinimumLength: 5}}}}},
		{"message without code", CreateUserPoolInput{PoolSettings: PoolSettings{EmailVerificationMessage: "Welcome aboard"}}},
		{"bad trigger", CreateUserPoolInput{PoolSettings: PoolSettings{LambdaConfig: &cognito.LambdaConfig{PreSignUp: "fn"}}}},
		{"verify before update without auto-verify", CreateUserPoolInput{PoolSettings: PoolSettings{UserAttributeUpdateSettings: &cognito.UserAttributeUpdateSettings{AttributesRequireVerificationBeforeUpdate: []string{"email"}}}}},
		{"case sensitivity missing", CreateUserPoolInput{UsernameConfiguration: &cognito.UsernameConfiguration{}}},
		{"aws tag", CreateUserPoolInput{PoolSettings: PoolSettings{UserPoolTags: map[string]string{"aws:x": "y"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.PoolName = "p"
			_, err := s.CreateUserPool(context.Background(), &tc.in)
			wantCognitoError(t, err, cognito.InvalidParameter, "")
		})
	}
	out, err := s.ListUserPools(context.Background(), &ListUserPoolsInput{MaxResults: intRef(60)})
	if err != nil || len(out.UserPools) != 0 {
		t.Fatalf("rejected requests stored pools: %v %v", out, err)
	}
}

func TestCreateUserPool_MessagesAndUsernameConfiguration(t *testing.T) {
	s, _ := newAdminTestService(t)
	p := mustCreatePool(t, s, &CreateUserPoolInput{

		UsernameConfiguration: &cognito.UsernameConfiguration{CaseSensitive: boolRef(false)}, PoolSettings: PoolSettings{EmailVerificationMessage: "Code: {####}",

			AdminCreateUserConfig: &cognito.AdminCreateUserConfig{AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 3},
			MfaConfiguration:      "OPTIONAL",
			SmsConfiguration:      json.RawMessage(`{"SnsCallerArn":"arn:aws:iam::123456789012:role/sms"}`)},
	})
	if p.VerificationMessageTemplate.EmailMessage != "Code: {####}" || p.EmailVerificationMessage != "Code: {####}" {
		t.Errorf("email message: %+v / %q", p.VerificationMessageTemplate, p.EmailVerificationMessage)
	}
	if p.CaseSensitive() {
		t.Error("CaseSensitive() = true, want false")
	}
	if d := p.Policies.PasswordPolicy.TemporaryPasswordValidityDays; d != 3 {
		t.Errorf("TemporaryPasswordValidityDays = %d, want 3 (from UnusedAccountValidityDays)", d)
	}
	if p.MfaConfiguration != "OPTIONAL" {
		t.Errorf("MfaConfiguration = %q", p.MfaConfiguration)
	}
}

func TestUpdateUserPool_ReplaceSemantics(t *testing.T) {
	s, clock := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{
		PoolName: "keep me",

		AliasAttributes: []string{"email"},
		Schema:          []cognito.SchemaAttribute{{Name: "tier"}},
		UserPoolTier:    "PLUS", PoolSettings: PoolSettings{AutoVerifiedAttributes: []string{"email"},
			DeletionProtection: "ACTIVE",
			LambdaConfig:       &cognito.LambdaConfig{PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:fn"},
			UserPoolTags:       map[string]string{"team": "a"}},
	})
	clock.t = clock.t.Add(time.Hour)
	if _, err := s.UpdateUserPool(ctx, &UpdateUserPoolInput{UserPoolId: p.Id, PoolSettings: PoolSettings{Policies: &cognito.UserPoolPolicy{PasswordPolicy: &cognito.PasswordPolicy{MinimumLength: 12}}}}); err != nil {
		t.Fatal(err)
	}
	out, err := s.DescribeUserPool(ctx, &DescribeUserPoolInput{UserPoolId: p.Id})
	if err != nil {
		t.Fatal(err)
	}
	q := out.UserPool
	if q.Name != "keep me" || q.UserPoolTier != "PLUS" || len(q.SchemaAttributes) != 21 || !cognito.Has(q.AliasAttributes, "email") {
		t.Errorf("kept members changed: %+v", q)
	}
	if q.AutoVerifiedAttributes != nil || q.DeletionProtection != "INACTIVE" || q.LambdaConfig.PreSignUp != "" || len(q.UserPoolTags) != 0 {
		t.Errorf("omitted members not reset: %+v", q)
	}
	if pp := q.Policies.PasswordPolicy; pp.MinimumLength != 12 || pp.TemporaryPasswordValidityDays != 7 {
		t.Errorf("PasswordPolicy = %+v", pp)
	}
	if !q.LastModifiedDate.Equal(clock.t.Truncate(time.Millisecond)) || !q.CreationDate.Equal(p.CreationDate.Time) {
		t.Errorf("dates: created %v modified %v", q.CreationDate, q.LastModifiedDate)
	}

	_, err = s.UpdateUserPool(ctx, &UpdateUserPoolInput{UserPoolId: "us-east-1_nope"})
	wantCognitoError(t, err, cognito.ResourceNotFound, "User pool us-east-1_nope does not exist.")
	_, err = s.UpdateUserPool(ctx, &UpdateUserPoolInput{UserPoolId: p.Id, PoolSettings: PoolSettings{MfaConfiguration: "ON"}})
	wantCognitoError(t, err, cognito.InvalidParameter, "")
}

func TestDeleteUserPool(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{PoolSettings: PoolSettings{DeletionProtection: "ACTIVE"}})

	_, err := s.DeleteUserPool(ctx, &DeleteUserPoolInput{UserPoolId: p.Id})
	wantCognitoError(t, err, cognito.InvalidParameter, "The user pool "+p.Id+" cannot be deleted because deletion protection is activated.")

	if _, err := s.UpdateUserPool(ctx, &UpdateUserPoolInput{UserPoolId: p.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteUserPool(ctx, &DeleteUserPoolInput{UserPoolId: p.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = s.DescribeUserPool(ctx, &DescribeUserPoolInput{UserPoolId: p.Id})
	wantCognitoError(t, err, cognito.ResourceNotFound, "User pool "+p.Id+" does not exist.")
	_, err = s.DeleteUserPool(ctx, &DeleteUserPoolInput{UserPoolId: p.Id})
	wantCognitoError(t, err, cognito.ResourceNotFound, "")
}

func TestListUserPools_Pagination(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	ids := map[string]bool{}
	for range 5 {
		ids[mustCreatePool(t, s, &CreateUserPoolInput{}).Id] = true
	}
	var sizes []int
	token := ""
	for {
		out, err := s.ListUserPools(ctx, &ListUserPoolsInput{MaxResults: intRef(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(out.UserPools))
		for _, d := range out.UserPools {
			if !ids[d.Id] || d.LambdaConfig == nil || d.Status != "Enabled" {
				t.Errorf("unexpected item %+v", d)
			}
			delete(ids, d.Id)
		}
		if out.NextToken == "" {
			break
		}
		token = out.NextToken
	}
	if len(ids) != 0 || len(sizes) != 3 || sizes[2] != 1 {
		t.Errorf("pages %v, missing %v", sizes, ids)
	}
	_, err := s.ListUserPools(ctx, &ListUserPoolsInput{})
	wantCognitoError(t, err, cognito.InvalidParameter, "")
	_, err = s.ListUserPools(ctx, &ListUserPoolsInput{MaxResults: intRef(1), NextToken: "%%%"})
	wantCognitoError(t, err, cognito.InvalidParameter, "")
}

func TestAddCustomAttributes(t *testing.T) {
	s, _ := newAdminTestService(t)
	ctx := context.Background()
	p := mustCreatePool(t, s, &CreateUserPoolInput{Schema: []cognito.SchemaAttribute{{Name: "tier"}}})

	if _, err := s.AddCustomAttributes(ctx, &AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []cognito.SchemaAttribute{
		{Name: "plan", Mutable: boolRef(false)}, {Name: "secret", DeveloperOnlyAttribute: boolRef(true)},
	}}); err != nil {
		t.Fatal(err)
	}
	out, _ := s.DescribeUserPool(ctx, &DescribeUserPoolInput{UserPoolId: p.Id})
	if a, ok := out.UserPool.Schema("custom:plan"); !ok || *a.Mutable {
		t.Errorf("custom:plan = %+v, %v", a, ok)
	}
	if _, ok := out.UserPool.Schema("dev:custom:secret"); !ok {
		t.Error("dev:custom:secret missing")
	}

	_, err := s.AddCustomAttributes(ctx, &AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []cognito.SchemaAttribute{{Name: "new"}, {Name: "tier"}}})
	wantCognitoError(t, err, cognito.InvalidParameter, "custom:tier: Existing attribute already has name custom:tier.")
	out, _ = s.DescribeUserPool(ctx, &DescribeUserPoolInput{UserPoolId: p.Id})
	if _, ok := out.UserPool.Schema("custom:new"); ok {
		t.Error("a failed AddCustomAttributes added custom:new")
	}
	_, err = s.AddCustomAttributes(ctx, &AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []cognito.SchemaAttribute{{Name: "req", Required: boolRef(true)}}})
	wantCognitoError(t, err, cognito.InvalidParameter, "Required custom attributes are not supported currently.")
	_, err = s.AddCustomAttributes(ctx, &AddCustomAttributesInput{UserPoolId: "us-east-1_nope", CustomAttributes: []cognito.SchemaAttribute{{Name: "x"}}})
	wantCognitoError(t, err, cognito.ResourceNotFound, "")

	// 3 defined; 47 more reach the limit of 50, one more is refused.
	var batch []cognito.SchemaAttribute
	for i := range 47 {
		batch = append(batch, cognito.SchemaAttribute{Name: "a" + strings.Repeat("x", i%19) + string(rune('a'+i/19))})
		if len(batch) == 25 || i == 46 {
			if _, err := s.AddCustomAttributes(ctx, &AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: batch}); err != nil {
				t.Fatal(err)
			}
			batch = nil
		}
	}
	_, err = s.AddCustomAttributes(ctx, &AddCustomAttributesInput{UserPoolId: p.Id, CustomAttributes: []cognito.SchemaAttribute{{Name: "straw"}}})
	wantCognitoError(t, err, cognito.InvalidParameter, "A user pool can have at most 50 custom attributes.")
}
