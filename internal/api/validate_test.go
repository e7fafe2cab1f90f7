package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tarn-idp/tarn/internal/api"
	"github.com/tarn-idp/tarn/internal/cognito"
)

type attribute struct {
	Name  string  `json:"Name" aws:"required,len=1-32,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	Value *string `json:"Value" aws:"len=0-2048,sensitive"`
}

type policy struct {
	MinimumLength *int32 `json:"MinimumLength" aws:"range=6-99"`
}

type policies struct {
	PasswordPolicy *policy `json:"PasswordPolicy"`
}

type validatedIn struct {
	UserPoolId     string            `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	ClientId       string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	Password       string            `json:"Password" aws:"len=0-256,sensitive,pattern=[\\S]+"`
	Limit          int32             `json:"Limit" aws:"range=1-60"`
	Days           *int32            `json:"Days" aws:"range=0-"`
	AuthFlow       string            `json:"AuthFlow" aws:"enum=USER_SRP_AUTH|REFRESH_TOKEN_AUTH"`
	Flows          []string          `json:"ExplicitAuthFlows" aws:"enum=ALLOW_USER_SRP_AUTH|ALLOW_REFRESH_TOKEN_AUTH"`
	Attributes     []attribute       `json:"UserAttributes" aws:"len=-3"`
	Metadata       map[string]string `json:"ClientMetadata" aws:"len=-1"`
	Policies       *policies         `json:"Policies"`
	CommaInPattern string            `json:"Code" aws:"pattern=[0-9]{1,6}"`
	Ignored        string            `json:"-" aws:"required"`
}

const validBase = `"UserPoolId":"us-east-1_abc","ClientId":"abc"`

func TestValidation(t *testing.T) {
	op := api.Op(func(context.Context, *validatedIn) (*struct{}, error) { return nil, nil })
	tests := []struct {
		name string
		body string
		want string // the whole message; "" for no error
	}{
		{"valid", `{` + validBase + `,"Limit":60,"Days":0,"AuthFlow":"USER_SRP_AUTH","Code":"123456"}`, ""},
		{"required null",
			`{"UserPoolId":"us-east-1_abc"}`,
			"1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"two nulls",
			`{}`,
			"2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"max length",
			`{"UserPoolId":"us-east-1_` + strings.Repeat("a", 50) + `","ClientId":"abc"}`,
			"1 validation error detected: Value 'us-east-1_" + strings.Repeat("a", 50) + "' at 'userPoolId' failed to satisfy constraint: Member must have length less than or equal to 55"},
		{"length counts runes",
			`{` + validBase + `,"UserAttributes":[{"Name":"` + strings.Repeat("é", 32) + `"}]}`, ""},
		{"pattern",
			`{"UserPoolId":"nounderscore","ClientId":"abc"}`,
			`1 validation error detected: Value 'nounderscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
		{"pattern is a full match",
			`{"UserPoolId":"us-east-1_abc!","ClientId":"abc"}`,
			`1 validation error detected: Value 'us-east-1_abc!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
		{"pattern with a comma",
			`{` + validBase + `,"Code":"1234567"}`,
			`1 validation error detected: Value '1234567' at 'code' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{1,6}`},
		{"range high",
			`{` + validBase + `,"Limit":61}`,
			"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"range low on pointer",
			`{` + validBase + `,"Days":-1}`,
			"1 validation error detected: Value '-1' at 'days' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"enum",
			`{` + validBase + `,"AuthFlow":"PLAIN"}`,
			"1 validation error detected: Value 'PLAIN' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH]"},
		{"enum on list elements",
			`{` + validBase + `,"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","NOPE"]}`,
			"1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, NOPE]' at 'explicitAuthFlows' failed to satisfy constraint: " +
				"Member must satisfy constraint: [Member must satisfy enum value set: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]]"},
		{"sensitive",
			`{` + validBase + `,"Password":"has space"}`,
			`1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+`},
		{"nested list member",
			`{` + validBase + `,"UserAttributes":[{"Name":"email"},{"Value":"x"}]}`,
			"1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null"},
		{"nested sensitive pointer",
			`{` + validBase + `,"UserAttributes":[{"Name":"email","Value":"` + strings.Repeat("v", 2049) + `"}]}`,
			"1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"nested struct",
			`{` + validBase + `,"Policies":{"PasswordPolicy":{"MinimumLength":5}}}`,
			"1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"list length",
			`{` + validBase + `,"UserAttributes":[{"Name":"a"},{"Name":"b"},{"Name":"c"},{"Name":"d"}]}`,
			"1 validation error detected: Value at 'userAttributes' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"map length",
			`{` + validBase + `,"ClientMetadata":{"a":"1","b":"2"}}`,
			"1 validation error detected: Value at 'clientMetadata' failed to satisfy constraint: Member must have length less than or equal to 1"},
		{"several on one member",
			`{"UserPoolId":"` + strings.Repeat("!", 56) + `","ClientId":"abc"}`,
			"2 validation errors detected: Value '" + strings.Repeat("!", 56) + "' at 'userPoolId' failed to satisfy constraint: Member must have length less than or equal to 55; " +
				"Value '" + strings.Repeat("!", 56) + `' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := op(context.Background(), []byte(tt.body))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ce *cognito.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want InvalidParameterException", err)
			}
			if ce.Code != cognito.InvalidParameter || ce.Message != tt.want {
				t.Errorf("got  %s: %s\nwant %s: %s", ce.Code, ce.Message, cognito.InvalidParameter, tt.want)
			}
		})
	}
}

func TestDecode_SerializationException(t *testing.T) {
	op := api.Op(func(context.Context, *validatedIn) (*struct{}, error) { return nil, nil })
	tests := []struct {
		name, body, wantInMessage string
	}{
		{"string for integer", `{"Limit":"ten"}`, "member Limit: expected an integer, got JSON string"},
		{"number for string", `{"UserPoolId":5}`, "member UserPoolId: expected a string, got JSON number"},
		{"object for list", `{"UserAttributes":{}}`, "member UserAttributes: expected a list, got JSON object"},
		{"not JSON", `UserPoolId=x`, "not valid JSON"},
		{"truncated JSON", `{"UserPoolId":`, "not valid JSON"},
		{"array body", `[1,2]`, "must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := op(context.Background(), []byte(tt.body))
			var ce *cognito.Error
			if !errors.As(err, &ce) || ce.Code != cognito.SerializationException {
				t.Fatalf("error %v, want SerializationException", err)
			}
			if !strings.Contains(ce.Message, tt.wantInMessage) {
				t.Errorf("message %q, want it to contain %q", ce.Message, tt.wantInMessage)
			}
		})
	}
}

func TestOp_BadTagPanicsAtConstruction(t *testing.T) {
	type requiredInt struct {
		N int `aws:"required"`
	}
	type badPattern struct {
		S string `aws:"pattern=("`
	}
	type unknownOption struct {
		S string `aws:"lenght=1-2"`
	}
	type rangeOnString struct {
		S string `aws:"range=1-2"`
	}
	tests := map[string]func(){
		"required on int": func() { api.Op(func(context.Context, *requiredInt) (*struct{}, error) { return nil, nil }) },
		"bad pattern":     func() { api.Op(func(context.Context, *badPattern) (*struct{}, error) { return nil, nil }) },
		"unknown option":  func() { api.Op(func(context.Context, *unknownOption) (*struct{}, error) { return nil, nil }) },
		"range on string": func() { api.Op(func(context.Context, *rangeOnString) (*struct{}, error) { return nil, nil }) },
	}
	for name, build := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Op did not panic")
				}
			}()
			build()
		})
	}
}
