package userpool

// Validation and defaults of the pool settings CreateUserPool and
// UpdateUserPool share (LambdaConfig, policies, messages, tags, recovery).

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// linkPlaceholder matches the {##link text##} of EmailMessageByLink.
var linkPlaceholder = regexp.MustCompile(`\{##[^#]*##\}`)

// lambdaARN is the model pattern of ArnType.
var lambdaARN = regexp.MustCompile(`^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$`)

// checkARN validates an ARN member (length 20–2048 and the ArnType
// pattern); path names the member for the message, in AWS's camelCase.
func checkARN(path, v string) error {
	if len(v) < 20 || len(v) > 2048 {
		return cognito.ErrInvalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length between 20 and 2048", v, path)
	}
	if !lambdaARN.MatchString(v) {
		return cognito.ErrInvalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", v, path, strings.Trim(lambdaARN.String(), "^$"))
	}
	return nil
}

// normalizeLambdaConfig validates a LambdaConfig and returns the copy to
// store (never nil; an absent config is {}). Every ARN must be a valid
// ArnType. PreTokenGeneration and PreTokenGenerationConfig describe the same
// trigger: given alone, either fills in the other (PreTokenGeneration alone
// means version V1_0); given together, their ARNs must match.
// CustomSMSSender and CustomEmailSender take LambdaVersion V1_0 only and
// need KMSKeyID. Every violation is an InvalidParameterException.
func normalizeLambdaConfig(in *cognito.LambdaConfig) (*cognito.LambdaConfig, error) {
	if in == nil {
		return &cognito.LambdaConfig{}, nil
	}
	lc := *in
	for _, f := range []struct{ path, arn string }{
		{"lambdaConfig.preSignUp", lc.PreSignUp},
		{"lambdaConfig.customMessage", lc.CustomMessage},
		{"lambdaConfig.postConfirmation", lc.PostConfirmation},
		{"lambdaConfig.preAuthentication", lc.PreAuthentication},
		{"lambdaConfig.postAuthentication", lc.PostAuthentication},
		{"lambdaConfig.defineAuthChallenge", lc.DefineAuthChallenge},
		{"lambdaConfig.createAuthChallenge", lc.CreateAuthChallenge},
		{"lambdaConfig.verifyAuthChallengeResponse", lc.VerifyAuthChallengeResponse},
		{"lambdaConfig.preTokenGeneration", lc.PreTokenGeneration},
		{"lambdaConfig.userMigration", lc.UserMigration},
		{"lambdaConfig.kMSKeyID", lc.KMSKeyID},
	} {
		if f.arn != "" {
			if err := checkARN(f.path, f.arn); err != nil {
				return nil, err
			}
		}
	}
	if c := lc.PreTokenGenerationConfig; c != nil {
		if err := checkVersionConfig("lambdaConfig.preTokenGenerationConfig", c, "V1_0", "V2_0", "V3_0"); err != nil {
			return nil, err
		}
		if lc.PreTokenGeneration != "" && lc.PreTokenGeneration != c.LambdaArn {
			return nil, cognito.ErrInvalidParameter("The ARNs of PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same.")
		}
		cp := *c
		lc.PreTokenGenerationConfig = &cp
		lc.PreTokenGeneration = c.LambdaArn
	} else if lc.PreTokenGeneration != "" {
		lc.PreTokenGenerationConfig = &cognito.LambdaVersionConfig{LambdaVersion: "V1_0", LambdaArn: lc.PreTokenGeneration}
	}
	for _, f := range []struct {
		path string
		c    **cognito.LambdaVersionConfig
	}{{"lambdaConfig.customSMSSender", &lc.CustomSMSSender}, {"lambdaConfig.customEmailSender", &lc.CustomEmailSender}} {
		if *f.c == nil {
			continue
		}
		if err := checkVersionConfig(f.path, *f.c, "V1_0"); err != nil {
			return nil, err
		}
		if lc.KMSKeyID == "" {
			return nil, cognito.ErrInvalidParameter("KMSKeyID is required when %s is set.", f.path)
		}
		cp := **f.c
		*f.c = &cp
	}
	if arn, ok := lc.InboundFederation["LambdaArn"].(string); ok {
		if err := checkARN("lambdaConfig.inboundFederation.lambdaArn", arn); err != nil {
			return nil, err
		}
	}
	return &lc, nil
}

// checkVersionConfig validates a LambdaVersion/LambdaArn pair.
func checkVersionConfig(path string, c *cognito.LambdaVersionConfig, versions ...string) error {
	if !cognito.Has(versions, c.LambdaVersion) {
		return cognito.ErrInvalidParameter("1 validation error detected: Value '%s' at '%s.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [%s]", c.LambdaVersion, path, strings.Join(versions, ", "))
	}
	return checkARN(path+".lambdaArn", c.LambdaArn)
}

// checkEnumList validates that every item of list is one of allowed; path
// names the member in AWS's camelCase for the validation message.
func checkEnumList(path string, list []string, allowed ...string) error {
	for _, v := range list {
		if !cognito.Has(allowed, v) {
			return cognito.ErrInvalidParameter("1 validation error detected: Value '[%s]' at '%s' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [%s]]",
				strings.Join(list, ", "), path, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// present reports whether a raw JSON member was given (and is not null).
func present(m json.RawMessage) bool { return len(m) > 0 && string(m) != "null" }

// Default link message of a pool that confirms email by link
// (VerificationMessageTemplate); the code messages' defaults are applied
// when a message is sent (messageTemplate) and not echoed.
const (
	defaultLinkMessage = "Please click the link below to verify your email address. {##Verify Email##} "
	defaultLinkSubject = "Your verification link"
)

// PoolSettings holds the members CreateUserPool and UpdateUserPool share
// (embedded in both inputs, so JSON sees them flat); apply gives each its
// default when omitted, so that UpdateUserPool has replace semantics for
// free.
type PoolSettings struct {
	Policies                    *cognito.UserPoolPolicy              `json:"Policies"`
	DeletionProtection          string                               `json:"DeletionProtection" aws:"enum=ACTIVE|INACTIVE"`
	LambdaConfig                *cognito.LambdaConfig                `json:"LambdaConfig"`
	AutoVerifiedAttributes      []string                             `json:"AutoVerifiedAttributes"`
	SmsVerificationMessage      string                               `json:"SmsVerificationMessage" aws:"len=6-140"`
	EmailVerificationMessage    string                               `json:"EmailVerificationMessage" aws:"len=6-20000"`
	EmailVerificationSubject    string                               `json:"EmailVerificationSubject" aws:"len=1-140"`
	VerificationMessageTemplate *cognito.VerificationMessageTemplate `json:"VerificationMessageTemplate"`
	SmsAuthenticationMessage    string                               `json:"SmsAuthenticationMessage" aws:"len=6-140"`
	MfaConfiguration            string                               `json:"MfaConfiguration" aws:"enum=OFF|ON|OPTIONAL"`
	UserAttributeUpdateSettings *cognito.UserAttributeUpdateSettings `json:"UserAttributeUpdateSettings"`
	DeviceConfiguration         json.RawMessage                      `json:"DeviceConfiguration"`
	EmailConfiguration          json.RawMessage                      `json:"EmailConfiguration"`
	SmsConfiguration            json.RawMessage                      `json:"SmsConfiguration"`
	UserPoolTags                map[string]string                    `json:"UserPoolTags"`
	AdminCreateUserConfig       *cognito.AdminCreateUserConfig       `json:"AdminCreateUserConfig"`
	UserPoolAddOns              json.RawMessage                      `json:"UserPoolAddOns"`
	AccountRecoverySetting      *cognito.AccountRecoverySetting      `json:"AccountRecoverySetting"`
	KeyConfiguration            json.RawMessage                      `json:"KeyConfiguration"`
	IssuerConfiguration         json.RawMessage                      `json:"IssuerConfiguration"`
}

// apply validates the settings and writes them, defaults filled in, to p.
// It changes p only when it returns nil.
func (ps *PoolSettings) apply(p *cognito.UserPool) error {
	q := *p
	var err error
	if q.Policies, err = policies(ps.Policies, ps.AdminCreateUserConfig); err != nil {
		return err
	}
	if q.LambdaConfig, err = normalizeLambdaConfig(ps.LambdaConfig); err != nil {
		return err
	}
	if err := checkEnumList("autoVerifiedAttributes", ps.AutoVerifiedAttributes, "phone_number", "email"); err != nil {
		return err
	}
	q.AutoVerifiedAttributes = ps.AutoVerifiedAttributes
	q.UserAttributeUpdateSettings = ps.UserAttributeUpdateSettings
	if u := ps.UserAttributeUpdateSettings; u != nil {
		for _, a := range u.AttributesRequireVerificationBeforeUpdate {
			if !cognito.Has(ps.AutoVerifiedAttributes, a) {
				return cognito.ErrInvalidParameter("AttributesRequireVerificationBeforeUpdate: %q must also be in AutoVerifiedAttributes.", a)
			}
		}
	}
	if err := ps.messages(&q); err != nil {
		return err
	}
	q.DeletionProtection = orDefault(ps.DeletionProtection, "INACTIVE")
	q.MfaConfiguration = orDefault(ps.MfaConfiguration, "OFF")
	if q.UserPoolTags, err = tags(ps.UserPoolTags); err != nil {
		return err
	}
	ac := cognito.AdminCreateUserConfig{}
	if ps.AdminCreateUserConfig != nil {
		ac = *ps.AdminCreateUserConfig
	}
	if ac.UnusedAccountValidityDays < 0 || ac.UnusedAccountValidityDays > 365 {
		return cognito.ErrInvalidParameter("AdminCreateUserConfig.UnusedAccountValidityDays must be between 0 and 365.")
	}
	if ac.UnusedAccountValidityDays == 0 {
		ac.UnusedAccountValidityDays = q.Policies.PasswordPolicy.TemporaryPasswordValidityDays
	}
	q.AdminCreateUserConfig = &ac
	if err := checkRecovery(ps.AccountRecoverySetting); err != nil {
		return err
	}
	q.AccountRecoverySetting = ps.AccountRecoverySetting
	q.EmailConfiguration = ps.EmailConfiguration
	if !present(q.EmailConfiguration) {
		q.EmailConfiguration = json.RawMessage(`{"EmailSendingAccount":"COGNITO_DEFAULT"}`)
	} else {
		var ec map[string]any
		if err := json.Unmarshal(q.EmailConfiguration, &ec); err != nil {
			return cognito.ErrInvalidParameter("EmailConfiguration must be an object.")
		}
		if _, ok := ec["EmailSendingAccount"]; !ok {
			ec["EmailSendingAccount"] = "COGNITO_DEFAULT"
			q.EmailConfiguration, _ = json.Marshal(ec)
		}
	}
	q.DeviceConfiguration = rawOrNil(ps.DeviceConfiguration)
	q.SmsConfiguration = rawOrNil(ps.SmsConfiguration)
	q.UserPoolAddOns = rawOrNil(ps.UserPoolAddOns)
	q.KeyConfiguration = rawOrNil(ps.KeyConfiguration)
	q.IssuerConfiguration = rawOrNil(ps.IssuerConfiguration)
	*p = q
	return nil
}

// policies returns the pool's Policies with the password policy's defaults
// (api.md §3.8) and SignInPolicy {AllowedFirstAuthFactors: [PASSWORD]}.
// UnusedAccountValidityDays, the legacy twin of
// TemporaryPasswordValidityDays, stands in for it when only it is given.
func policies(in *cognito.UserPoolPolicy, ac *cognito.AdminCreateUserConfig) (*cognito.UserPoolPolicy, error) {
	pp := cognito.PasswordPolicy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	var signIn *json.RawMessage
	if in != nil {
		signIn = in.SignInPolicy
		if in.PasswordPolicy != nil {
			pp = *in.PasswordPolicy
		}
	}
	if pp.MinimumLength == 0 {
		pp.MinimumLength = 8
	}
	if pp.MinimumLength < 6 || pp.MinimumLength > 99 {
		return nil, cognito.ErrInvalidParameter("PasswordPolicy.MinimumLength must be between 6 and 99.")
	}
	if pp.TemporaryPasswordValidityDays > 0 && ac != nil && ac.UnusedAccountValidityDays > 0 &&
		ac.UnusedAccountValidityDays != pp.TemporaryPasswordValidityDays {
		// [?] AWS's text for giving both twins (api.md §3.8). Equal values
		// pass: DescribeUserPool shows both, and its output must go back
		// through UpdateUserPool.
		return nil, cognito.ErrInvalidParameter("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays")
	}
	if pp.TemporaryPasswordValidityDays < 0 || pp.TemporaryPasswordValidityDays > 365 {
		return nil, cognito.ErrInvalidParameter("PasswordPolicy.TemporaryPasswordValidityDays must be between 0 and 365.")
	}
	if pp.TemporaryPasswordValidityDays == 0 {
		pp.TemporaryPasswordValidityDays = 7
		if ac != nil && ac.UnusedAccountValidityDays > 0 {
			pp.TemporaryPasswordValidityDays = ac.UnusedAccountValidityDays
		}
	}
	if h := pp.PasswordHistorySize; h != nil && (*h < 0 || *h > 24) {
		return nil, cognito.ErrInvalidParameter("PasswordPolicy.PasswordHistorySize must be between 0 and 24.")
	}
	if h := pp.PasswordHistorySize; h != nil && *h == 0 {
		pp.PasswordHistorySize = nil // 0 turns it off, and DescribeUserPool then omits it
	}
	if signIn == nil || !present(*signIn) {
		def := json.RawMessage(`{"AllowedFirstAuthFactors":["PASSWORD"]}`)
		signIn = &def
	} else {
		var sp struct{ AllowedFirstAuthFactors []string }
		if err := json.Unmarshal(*signIn, &sp); err != nil || len(sp.AllowedFirstAuthFactors) < 1 || len(sp.AllowedFirstAuthFactors) > 5 {
			return nil, cognito.ErrInvalidParameter("SignInPolicy.AllowedFirstAuthFactors must list 1 to 5 factors.")
		}
		if err := checkEnumList("policies.signInPolicy.allowedFirstAuthFactors", sp.AllowedFirstAuthFactors, "PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN", "SOFTWARE_TOKEN"); err != nil {
			return nil, err
		}
		cp := append(json.RawMessage(nil), *signIn...)
		signIn = &cp
	}
	return &cognito.UserPoolPolicy{PasswordPolicy: &pp, SignInPolicy: signIn}, nil
}

// messages fills the verification messages. VerificationMessageTemplate is
// the canonical form; the legacy top-level members are mirrors of it,
// echoed when the caller gave either. [?] When a legacy member and its
// template twin are both given, the template wins. Texts the caller did
// not give stay out, as in AWS's output (api.md §2.2 CreateUserPool: the
// template of a new pool is {DefaultEmailOption CONFIRM_WITH_CODE}), so
// that DescribeUserPool's output sent back through UpdateUserPool changes
// nothing.
func (ps *PoolSettings) messages(q *cognito.UserPool) error {
	t := cognito.VerificationMessageTemplate{}
	if ps.VerificationMessageTemplate != nil {
		t = *ps.VerificationMessageTemplate
	}
	t.SmsMessage = orDefault(t.SmsMessage, ps.SmsVerificationMessage)
	t.EmailMessage = orDefault(t.EmailMessage, ps.EmailVerificationMessage)
	t.EmailSubject = orDefault(t.EmailSubject, ps.EmailVerificationSubject)
	q.SmsVerificationMessage, q.EmailVerificationMessage, q.EmailVerificationSubject = t.SmsMessage, t.EmailMessage, t.EmailSubject
	t.DefaultEmailOption = orDefault(t.DefaultEmailOption, "CONFIRM_WITH_CODE")
	switch t.DefaultEmailOption {
	case "CONFIRM_WITH_CODE":
	case "CONFIRM_WITH_LINK":
		t.EmailMessageByLink = orDefault(t.EmailMessageByLink, defaultLinkMessage)
		t.EmailSubjectByLink = orDefault(t.EmailSubjectByLink, defaultLinkSubject)
	default:
		return cognito.ErrInvalidParameter("VerificationMessageTemplate.DefaultEmailOption must be CONFIRM_WITH_LINK or CONFIRM_WITH_CODE.")
	}
	for _, m := range []struct{ name, v string }{
		{"SmsMessage", t.SmsMessage}, {"EmailMessage", t.EmailMessage}, {"SmsAuthenticationMessage", ps.SmsAuthenticationMessage},
	} {
		if m.v != "" && !strings.Contains(m.v, "{####}") {
			return cognito.ErrInvalidParameter("%s must contain the {####} placeholder.", m.name)
		}
	}
	if t.EmailMessageByLink != "" && !linkPlaceholder.MatchString(t.EmailMessageByLink) {
		return cognito.ErrInvalidParameter("EmailMessageByLink must contain a {##link text##} placeholder.")
	}
	q.VerificationMessageTemplate = &t
	q.SmsAuthenticationMessage = ps.SmsAuthenticationMessage
	return nil
}

// tags validates UserPoolTags (at most 50; keys 1–128 characters not
// starting with "aws:", values up to 256) and returns a non-nil map.
func tags(in map[string]string) (map[string]string, error) {
	if len(in) > 50 {
		return nil, cognito.ErrInvalidParameter("UserPoolTags can hold at most 50 tags.")
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		if len(k) < 1 || len(k) > 128 || strings.HasPrefix(k, "aws:") || len(v) > 256 {
			return nil, cognito.ErrInvalidParameter("UserPoolTags: invalid tag %q (keys are 1-128 characters and may not start with aws:, values at most 256).", k)
		}
		out[k] = v
	}
	return out, nil
}

// checkRecovery validates AccountRecoverySetting: 1–2 mechanisms with
// distinct priorities 1–2, admin_only alone.
func checkRecovery(rs *cognito.AccountRecoverySetting) error {
	if rs == nil {
		return nil
	}
	m := rs.RecoveryMechanisms
	if len(m) < 1 || len(m) > 2 {
		return cognito.ErrInvalidParameter("AccountRecoverySetting.RecoveryMechanisms must hold 1 or 2 options.")
	}
	for i, o := range m {
		if o.Priority < 1 || o.Priority > 2 || (i == 1 && o.Priority == m[0].Priority) {
			return cognito.ErrInvalidParameter("AccountRecoverySetting: priorities must be 1 and 2, each used once.")
		}
		if err := checkEnumList("accountRecoverySetting.recoveryMechanisms.member.name", []string{o.Name}, "verified_email", "verified_phone_number", "admin_only"); err != nil {
			return err
		}
		if o.Name == "admin_only" && len(m) > 1 {
			return cognito.ErrInvalidParameter("AccountRecoverySetting: admin_only cannot be combined with another recovery option.")
		}
	}
	if len(m) == 2 && m[0].Name == m[1].Name {
		return cognito.ErrInvalidParameter("AccountRecoverySetting: each recovery option may be given once.")
	}
	return nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func rawOrNil(m json.RawMessage) json.RawMessage {
	if !present(m) {
		return nil
	}
	return append(json.RawMessage(nil), m...)
}
