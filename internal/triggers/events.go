package triggers

import (
	"context"
	"encoding/json"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// Each method below invokes one trigger if the pool configures it and does
// nothing (zero result, nil error) otherwise. Request members and their
// null / absent conventions follow triggers.md §3.2 and §6.

func withMetadata(req map[string]any, clientMetadata map[string]string) {
	if len(clientMetadata) > 0 {
		req["clientMetadata"] = clientMetadata
	}
}

// PreSignUpResult is what a pre sign-up function decided.
type PreSignUpResult struct {
	AutoConfirmUser bool `json:"autoConfirmUser"`
	AutoVerifyEmail bool `json:"autoVerifyEmail"`
	AutoVerifyPhone bool `json:"autoVerifyPhone"`
}

// PreSignUp runs the pre sign-up trigger (§7) for source PreSignUp_SignUp
// or PreSignUp_AdminCreateUser. attrs are the submitted attributes only.
func (d *Dispatcher) PreSignUp(ctx context.Context, c Caller, source, userName string, attrs, validationData, clientMetadata map[string]string) (PreSignUpResult, error) {
	var r PreSignUpResult
	if c.Config == nil || c.Config.PreSignUp == "" {
		return r, nil
	}
	ev := c.event(source, userName, "1")
	ev.Request["userAttributes"] = attrs
	ev.Request["validationData"] = orNil(validationData)
	withMetadata(ev.Request, clientMetadata)
	ev.Response = map[string]any{"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}
	parse := func(raw json.RawMessage) error {
		if err := decode(raw, &r); err != nil {
			return err
		}
		if source == "PreSignUp_AdminCreateUser" {
			// The flags are ignored for administrator-created users (§7.3).
			r = PreSignUpResult{}
			return nil
		}
		if (r.AutoVerifyEmail || r.AutoVerifyPhone) && !r.AutoConfirmUser {
			// [?] §7.3: the exception type was never captured; tarn reports
			// the observed text as an invalid Lambda response.
			return cognito.Errorf(cognito.InvalidLambdaResponse, "Phone or email cannot be auto verified, when user is not being auto confirmed.")
		}
		return nil
	}
	_, err := d.invoke(ctx, call{trigger: "PreSignUp", arn: c.Config.PreSignUp, event: ev, parse: parse})
	return r, err
}

// PostConfirmation runs the post confirmation trigger (§8);
// source PostConfirmation_ConfirmSignUp or _ConfirmForgotPassword.
func (d *Dispatcher) PostConfirmation(ctx context.Context, c Caller, source, userName string, attrs, clientMetadata map[string]string) error {
	if c.Config == nil || c.Config.PostConfirmation == "" {
		return nil
	}
	ev := c.event(source, userName, "1")
	ev.Request["userAttributes"] = attrs
	withMetadata(ev.Request, clientMetadata)
	_, err := d.invoke(ctx, call{trigger: "PostConfirmation", arn: c.Config.PostConfirmation, event: ev})
	return err
}

// PreAuthentication runs the pre authentication trigger (§9); a function
// error denies the sign-in.
func (d *Dispatcher) PreAuthentication(ctx context.Context, c Caller, userName string, attrs, validationData map[string]string, userNotFound bool) error {
	if c.Config == nil || c.Config.PreAuthentication == "" {
		return nil
	}
	ev := c.event("PreAuthentication_Authentication", userName, "1")
	ev.Request["userAttributes"] = attrs
	ev.Request["validationData"] = orNil(validationData)
	ev.Request["userNotFound"] = userNotFound
	_, err := d.invoke(ctx, call{trigger: "PreAuthentication", arn: c.Config.PreAuthentication, event: ev})
	return err
}

// PostAuthentication runs the post authentication trigger (§10); a
// function error fails the sign-in.
func (d *Dispatcher) PostAuthentication(ctx context.Context, c Caller, userName string, attrs map[string]string, newDeviceUsed bool, clientMetadata map[string]string) error {
	if c.Config == nil || c.Config.PostAuthentication == "" {
		return nil
	}
	ev := c.event("PostAuthentication_Authentication", userName, "1")
	ev.Request["userAttributes"] = attrs
	ev.Request["newDeviceUsed"] = newDeviceUsed
	withMetadata(ev.Request, clientMetadata)
	_, err := d.invoke(ctx, call{trigger: "PostAuthentication", arn: c.Config.PostAuthentication, event: ev})
	return err
}

// Migration is what a migrate-user function returned (§13.3).
type Migration struct {
	UserAttributes         map[string]string `json:"userAttributes"`
	FinalUserStatus        string            `json:"finalUserStatus"`
	MessageAction          string            `json:"messageAction"`
	DesiredDeliveryMediums []string          `json:"desiredDeliveryMediums"`
	ForceAliasCreation     bool              `json:"forceAliasCreation"`
	EnableSMSMFA           bool              `json:"enableSMSMFA"`
}

// UserMigration runs the migrate user trigger (§13) for a name that
// matches no user; source UserMigration_Authentication (with the password)
// or UserMigration_ForgotPassword. It returns nil when no trigger is
// configured. The password is never recorded.
func (d *Dispatcher) UserMigration(ctx context.Context, c Caller, source, typedName, password string, validationData, clientMetadata map[string]string) (*Migration, error) {
	if c.Config == nil || c.Config.UserMigration == "" {
		return nil, nil
	}
	ev := c.event(source, typedName, "1")
	if source == "UserMigration_Authentication" {
		ev.Request["password"] = password
	}
	ev.Request["validationData"] = orNil(validationData)
	withMetadata(ev.Request, clientMetadata)
	var m Migration
	parse := func(raw json.RawMessage) error {
		if err := decode(raw, &m); err != nil {
			return err
		}
		if m.UserAttributes == nil {
			return cognito.Errorf(cognito.InvalidLambdaResponse, "Invalid lambda function output : userAttributes is required")
		}
		return nil
	}
	if _, err := d.invoke(ctx, call{trigger: "UserMigration", arn: c.Config.UserMigration, event: ev, redact: []string{"password"}, parse: parse}); err != nil {
		return nil, err
	}
	if m.FinalUserStatus != cognito.StatusConfirmed {
		m.FinalUserStatus = cognito.StatusResetRequired
	}
	return &m, nil
}

// ChallengeResult is one element of request.session in the custom-auth
// triggers (§11.2).
type ChallengeResult struct {
	ChallengeName     string  `json:"challengeName"`
	ChallengeResult   bool    `json:"challengeResult"`
	ChallengeMetadata *string `json:"challengeMetadata"`
}

// DefineResult is what DefineAuthChallenge decided.
type DefineResult struct {
	ChallengeName      string `json:"challengeName"`
	IssueTokens        bool   `json:"issueTokens"`
	FailAuthentication bool   `json:"failAuthentication"`
}

// DefineAuthChallenge runs the define trigger (§11.3). A response that
// neither issues tokens, fails, nor names a challenge is invalid ([?]).
func (d *Dispatcher) DefineAuthChallenge(ctx context.Context, c Caller, userName string, attrs map[string]string, session []ChallengeResult, clientMetadata map[string]string, userNotFound bool) (DefineResult, error) {
	var r DefineResult
	ev := c.event("DefineAuthChallenge_Authentication", userName, "1")
	ev.Request["userAttributes"] = attrs
	ev.Request["session"] = nonNilSession(session)
	ev.Request["userNotFound"] = userNotFound
	withMetadata(ev.Request, clientMetadata)
	parse := func(raw json.RawMessage) error {
		if err := decode(raw, &r); err != nil {
			return err
		}
		if !r.IssueTokens && !r.FailAuthentication && r.ChallengeName == "" {
			return cognito.Errorf(cognito.InvalidLambdaResponse, "Unrecognizable lambda output")
		}
		return nil
	}
	_, err := d.invoke(ctx, call{trigger: "DefineAuthChallenge", arn: c.Config.DefineAuthChallenge, event: ev, parse: parse})
	return r, err
}

// CreateResult is what CreateAuthChallenge returned.
type CreateResult struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          string            `json:"challengeMetadata"`
}

// CreateAuthChallenge runs the create trigger (§11.4).
func (d *Dispatcher) CreateAuthChallenge(ctx context.Context, c Caller, userName string, attrs map[string]string, challengeName string, session []ChallengeResult, clientMetadata map[string]string, userNotFound bool) (CreateResult, error) {
	var r CreateResult
	if c.Config == nil || c.Config.CreateAuthChallenge == "" {
		return r, cognito.Errorf(cognito.InvalidUserPoolConfig, "Create auth challenge lambda trigger is not configured for the user pool.")
	}
	ev := c.event("CreateAuthChallenge_Authentication", userName, "1")
	ev.Request["userAttributes"] = attrs
	ev.Request["challengeName"] = challengeName
	ev.Request["session"] = nonNilSession(session)
	ev.Request["userNotFound"] = userNotFound
	withMetadata(ev.Request, clientMetadata)
	_, err := d.invoke(ctx, call{trigger: "CreateAuthChallenge", arn: c.Config.CreateAuthChallenge, event: ev,
		parse: func(raw json.RawMessage) error { return decode(raw, &r) }})
	return r, err
}

// VerifyAuthChallenge runs the verify trigger (§11.5) and reports
// answerCorrect.
func (d *Dispatcher) VerifyAuthChallenge(ctx context.Context, c Caller, userName string, attrs, private map[string]string, answer string, clientMetadata map[string]string, userNotFound bool) (bool, error) {
	if c.Config == nil || c.Config.VerifyAuthChallengeResponse == "" {
		return false, cognito.Errorf(cognito.InvalidUserPoolConfig, "Verify auth challenge lambda trigger is not configured for the user pool.")
	}
	ev := c.event("VerifyAuthChallengeResponse_Authentication", userName, "1")
	ev.Request["userAttributes"] = attrs
	ev.Request["privateChallengeParameters"] = private
	ev.Request["challengeAnswer"] = answer
	ev.Request["userNotFound"] = userNotFound
	withMetadata(ev.Request, clientMetadata)
	var r struct {
		AnswerCorrect bool `json:"answerCorrect"`
	}
	_, err := d.invoke(ctx, call{trigger: "VerifyAuthChallengeResponse", arn: c.Config.VerifyAuthChallengeResponse, event: ev,
		parse: func(raw json.RawMessage) error { return decode(raw, &r) }})
	return r.AnswerCorrect, err
}

func nonNilSession(s []ChallengeResult) []ChallengeResult {
	if s == nil {
		return []ChallengeResult{}
	}
	return s
}
