package cognito

import "encoding/json"

// UserPool is a user pool's configuration, shaped as the API's UserPoolType
// so that it is stored and returned as is. Server-computed members
// (EstimatedNumberOfUsers, Domain) are filled in when it is described.
type UserPool struct {
	Id                          string                       `json:"Id"`
	Name                        string                       `json:"Name"`
	Arn                         string                       `json:"Arn,omitempty"`
	Policies                    *UserPoolPolicy              `json:"Policies,omitempty"`
	DeletionProtection          string                       `json:"DeletionProtection,omitempty"`
	LambdaConfig                *LambdaConfig                `json:"LambdaConfig,omitempty"`
	Status                      string                       `json:"Status,omitempty"`
	LastModifiedDate            Timestamp                    `json:"LastModifiedDate"`
	CreationDate                Timestamp                    `json:"CreationDate"`
	SchemaAttributes            []SchemaAttribute            `json:"SchemaAttributes,omitempty"`
	AutoVerifiedAttributes      []string                     `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes             []string                     `json:"AliasAttributes,omitempty"`
	UsernameAttributes          []string                     `json:"UsernameAttributes,omitempty"`
	SmsVerificationMessage      string                       `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                       `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                       `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate *VerificationMessageTemplate `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                       `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings *UserAttributeUpdateSettings `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                       `json:"MfaConfiguration,omitempty"`
	DeviceConfiguration         json.RawMessage              `json:"DeviceConfiguration,omitempty"`
	EstimatedNumberOfUsers      int                          `json:"EstimatedNumberOfUsers"`
	EmailConfiguration          json.RawMessage              `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            json.RawMessage              `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string            `json:"UserPoolTags"`
	Domain                      string                       `json:"Domain,omitempty"`
	CustomDomain                string                       `json:"CustomDomain,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfig       `json:"AdminCreateUserConfig,omitempty"`
	UserPoolAddOns              json.RawMessage              `json:"UserPoolAddOns,omitempty"`
	UsernameConfiguration       *UsernameConfiguration       `json:"UsernameConfiguration,omitempty"`
	AccountRecoverySetting      *AccountRecoverySetting      `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier                string                       `json:"UserPoolTier,omitempty"`
	KeyConfiguration            json.RawMessage              `json:"KeyConfiguration,omitempty"`
	IssuerConfiguration         json.RawMessage              `json:"IssuerConfiguration,omitempty"`
}

type UserPoolPolicy struct {
	PasswordPolicy *PasswordPolicy  `json:"PasswordPolicy,omitempty"`
	SignInPolicy   *json.RawMessage `json:"SignInPolicy,omitempty"`
}

type PasswordPolicy struct {
	MinimumLength                 int  `json:"MinimumLength"`
	RequireUppercase              bool `json:"RequireUppercase"`
	RequireLowercase              bool `json:"RequireLowercase"`
	RequireNumbers                bool `json:"RequireNumbers"`
	RequireSymbols                bool `json:"RequireSymbols"`
	PasswordHistorySize           *int `json:"PasswordHistorySize,omitempty"`
	TemporaryPasswordValidityDays int  `json:"TemporaryPasswordValidityDays"`
}

// LambdaConfig names trigger functions by ARN, exactly as on AWS.
type LambdaConfig struct {
	PreSignUp                   string                 `json:"PreSignUp,omitempty"`
	CustomMessage               string                 `json:"CustomMessage,omitempty"`
	PostConfirmation            string                 `json:"PostConfirmation,omitempty"`
	PreAuthentication           string                 `json:"PreAuthentication,omitempty"`
	PostAuthentication          string                 `json:"PostAuthentication,omitempty"`
	DefineAuthChallenge         string                 `json:"DefineAuthChallenge,omitempty"`
	CreateAuthChallenge         string                 `json:"CreateAuthChallenge,omitempty"`
	VerifyAuthChallengeResponse string                 `json:"VerifyAuthChallengeResponse,omitempty"`
	PreTokenGeneration          string                 `json:"PreTokenGeneration,omitempty"`
	UserMigration               string                 `json:"UserMigration,omitempty"`
	PreTokenGenerationConfig    *LambdaVersionConfig   `json:"PreTokenGenerationConfig,omitempty"`
	CustomSMSSender             *LambdaVersionConfig   `json:"CustomSMSSender,omitempty"`
	CustomEmailSender           *LambdaVersionConfig   `json:"CustomEmailSender,omitempty"`
	KMSKeyID                    string                 `json:"KMSKeyID,omitempty"`
	InboundFederation           map[string]interface{} `json:"InboundFederation,omitempty"`
}

type LambdaVersionConfig struct {
	LambdaVersion string `json:"LambdaVersion"`
	LambdaArn     string `json:"LambdaArn"`
}

// SchemaAttribute is one entry of a pool's schema. Name carries its wire
// prefix once stored ("custom:tier", "dev:custom:x").
type SchemaAttribute struct {
	Name                       string                      `json:"Name"`
	AttributeDataType          string                      `json:"AttributeDataType,omitempty"`
	DeveloperOnlyAttribute     *bool                       `json:"DeveloperOnlyAttribute,omitempty"`
	Mutable                    *bool                       `json:"Mutable,omitempty"`
	Required                   *bool                       `json:"Required,omitempty"`
	NumberAttributeConstraints *NumberAttributeConstraints `json:"NumberAttributeConstraints,omitempty"`
	StringAttributeConstraints *StringAttributeConstraints `json:"StringAttributeConstraints,omitempty"`
}

type NumberAttributeConstraints struct {
	MinValue *string `json:"MinValue,omitempty"`
	MaxValue *string `json:"MaxValue,omitempty"`
}

type StringAttributeConstraints struct {
	MinLength *string `json:"MinLength,omitempty"`
	MaxLength *string `json:"MaxLength,omitempty"`
}

type VerificationMessageTemplate struct {
	SmsMessage         string `json:"SmsMessage,omitempty"`
	EmailMessage       string `json:"EmailMessage,omitempty"`
	EmailSubject       string `json:"EmailSubject,omitempty"`
	EmailMessageByLink string `json:"EmailMessageByLink,omitempty"`
	EmailSubjectByLink string `json:"EmailSubjectByLink,omitempty"`
	DefaultEmailOption string `json:"DefaultEmailOption,omitempty"`
}

type UserAttributeUpdateSettings struct {
	AttributesRequireVerificationBeforeUpdate []string `json:"AttributesRequireVerificationBeforeUpdate"`
}

type AdminCreateUserConfig struct {
	AllowAdminCreateUserOnly  bool             `json:"AllowAdminCreateUserOnly"`
	UnusedAccountValidityDays int              `json:"UnusedAccountValidityDays,omitempty"`
	InviteMessageTemplate     *MessageTemplate `json:"InviteMessageTemplate,omitempty"`
}

type MessageTemplate struct {
	SMSMessage   string `json:"SMSMessage,omitempty"`
	EmailMessage string `json:"EmailMessage,omitempty"`
	EmailSubject string `json:"EmailSubject,omitempty"`
}

type UsernameConfiguration struct {
	CaseSensitive *bool `json:"CaseSensitive"`
}

type AccountRecoverySetting struct {
	RecoveryMechanisms []RecoveryOption `json:"RecoveryMechanisms,omitempty"`
}

type RecoveryOption struct {
	Priority int    `json:"Priority"`
	Name     string `json:"Name"`
}

// CaseSensitive reports whether usernames (and email / preferred_username
// lookups) are case-sensitive in this pool. The API default is true.
func (p *UserPool) CaseSensitive() bool {
	if p.UsernameConfiguration == nil || p.UsernameConfiguration.CaseSensitive == nil {
		return true
	}
	return *p.UsernameConfiguration.CaseSensitive
}

// Password returns the pool's password policy (never nil once created).
func (p *UserPool) Password() PasswordPolicy {
	if p.Policies != nil && p.Policies.PasswordPolicy != nil {
		return *p.Policies.PasswordPolicy
	}
	return PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7}
}

// Region is the part of the pool id before the first "_".
func (p *UserPool) Region() string {
	for i := 0; i < len(p.Id); i++ {
		if p.Id[i] == '_' {
			return p.Id[:i]
		}
	}
	return ""
}

// Has reports whether list contains s.
func Has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Schema returns the schema attribute named name (with its wire prefix).
func (p *UserPool) Schema(name string) (SchemaAttribute, bool) {
	for _, a := range p.SchemaAttributes {
		if a.Name == name {
			return a, true
		}
	}
	return SchemaAttribute{}, false
}

// Clone returns a deep copy of p: nothing it points to is shared with p
// (TestUserPoolCloneSharesNothing checks every member, so a member added
// later must be copied here too).
func (p UserPool) Clone() UserPool {
	c := p
	if p.Policies != nil {
		pol := *p.Policies
		if pol.PasswordPolicy != nil {
			pp := *pol.PasswordPolicy
			pp.PasswordHistorySize = clonePtr(pp.PasswordHistorySize)
			pol.PasswordPolicy = &pp
		}
		if pol.SignInPolicy != nil {
			raw := cloneRaw(*pol.SignInPolicy)
			pol.SignInPolicy = &raw
		}
		c.Policies = &pol
	}
	if p.LambdaConfig != nil {
		lc := *p.LambdaConfig
		lc.PreTokenGenerationConfig = clonePtr(lc.PreTokenGenerationConfig)
		lc.CustomSMSSender = clonePtr(lc.CustomSMSSender)
		lc.CustomEmailSender = clonePtr(lc.CustomEmailSender)
		if lc.InboundFederation != nil {
			// Free-form JSON: copied through JSON.
			var m map[string]interface{}
			b, _ := json.Marshal(lc.InboundFederation)
			_ = json.Unmarshal(b, &m)
			lc.InboundFederation = m
		}
		c.LambdaConfig = &lc
	}
	if p.SchemaAttributes != nil {
		c.SchemaAttributes = make([]SchemaAttribute, len(p.SchemaAttributes))
		for i, a := range p.SchemaAttributes {
			a.DeveloperOnlyAttribute = clonePtr(a.DeveloperOnlyAttribute)
			a.Mutable = clonePtr(a.Mutable)
			a.Required = clonePtr(a.Required)
			if a.NumberAttributeConstraints != nil {
				n := *a.NumberAttributeConstraints
				n.MinValue, n.MaxValue = clonePtr(n.MinValue), clonePtr(n.MaxValue)
				a.NumberAttributeConstraints = &n
			}
			if a.StringAttributeConstraints != nil {
				s := *a.StringAttributeConstraints
				s.MinLength, s.MaxLength = clonePtr(s.MinLength), clonePtr(s.MaxLength)
				a.StringAttributeConstraints = &s
			}
			c.SchemaAttributes[i] = a
		}
	}
	c.AutoVerifiedAttributes = cloneSlice(p.AutoVerifiedAttributes)
	c.AliasAttributes = cloneSlice(p.AliasAttributes)
	c.UsernameAttributes = cloneSlice(p.UsernameAttributes)
	c.VerificationMessageTemplate = clonePtr(p.VerificationMessageTemplate)
	if p.UserAttributeUpdateSettings != nil {
		c.UserAttributeUpdateSettings = &UserAttributeUpdateSettings{
			AttributesRequireVerificationBeforeUpdate: cloneSlice(p.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate)}
	}
	c.DeviceConfiguration = cloneRaw(p.DeviceConfiguration)
	c.EmailConfiguration = cloneRaw(p.EmailConfiguration)
	c.SmsConfiguration = cloneRaw(p.SmsConfiguration)
	c.UserPoolTags = cloneMap(p.UserPoolTags)
	if p.AdminCreateUserConfig != nil {
		ac := *p.AdminCreateUserConfig
		ac.InviteMessageTemplate = clonePtr(ac.InviteMessageTemplate)
		c.AdminCreateUserConfig = &ac
	}
	c.UserPoolAddOns = cloneRaw(p.UserPoolAddOns)
	if p.UsernameConfiguration != nil {
		c.UsernameConfiguration = &UsernameConfiguration{CaseSensitive: clonePtr(p.UsernameConfiguration.CaseSensitive)}
	}
	if p.AccountRecoverySetting != nil {
		c.AccountRecoverySetting = &AccountRecoverySetting{RecoveryMechanisms: cloneSlice(p.AccountRecoverySetting.RecoveryMechanisms)}
	}
	c.KeyConfiguration = cloneRaw(p.KeyConfiguration)
	c.IssuerConfiguration = cloneRaw(p.IssuerConfiguration)
	return c
}

// clonePtr returns a pointer to a copy of *p (nil for nil); for pointers
// to values without pointers inside.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// cloneSlice copies a slice of values without pointers inside (nil stays
// nil).
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func cloneRaw(r json.RawMessage) json.RawMessage {
	if r == nil {
		return nil
	}
	return append(json.RawMessage(nil), r...)
}
