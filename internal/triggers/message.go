package triggers

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// Placeholders a custom message function receives and must keep (§14.2).
const (
	CodeParameter     = "{####}"
	LinkParameter     = "{##Click Here##}"
	UsernameParameter = "{username}"
)

// Message is the pool's message after the custom message trigger: the
// function's non-null fields replace the template's (§14.3). Placeholders
// are still in it; the caller substitutes the real code and username.
type Message struct {
	SMS, Email, Subject string
}

// CustomMessage runs the custom message trigger (§14) for source
// CustomMessage_*; def is the message from the pool's templates, returned
// unchanged when no trigger is configured. developerEmail says whether the
// pool sends email through its own SES account (EmailSendingAccount
// DEVELOPER), the only case where AWS lets the function change email text.
func (d *Dispatcher) CustomMessage(ctx context.Context, c Caller, source, userName string, attrs, clientMetadata map[string]string, def Message, developerEmail bool) (Message, error) {
	if c.Config == nil || c.Config.CustomMessage == "" {
		return def, nil
	}
	admin := source == "CustomMessage_AdminCreateUser"
	ev := c.event(source, userName, "1")
	ev.Request["userAttributes"] = attrs
	ev.Request["codeParameter"] = CodeParameter
	ev.Request["linkParameter"] = LinkParameter
	if admin {
		ev.Request["usernameParameter"] = UsernameParameter
	} else {
		ev.Request["usernameParameter"] = nil
	}
	withMetadata(ev.Request, clientMetadata)
	ev.Response = map[string]any{"smsMessage": nil, "emailMessage": nil, "emailSubject": nil}
	out := def
	parse := func(raw json.RawMessage) error {
		var r struct {
			SMS     *string `json:"smsMessage"`
			Email   *string `json:"emailMessage"`
			Subject *string `json:"emailSubject"`
		}
		if err := decode(raw, &r); err != nil {
			return err
		}
		if r.SMS != nil {
			if err := checkMessage("smsMessage", *r.SMS, 6, 140, admin); err != nil {
				return err
			}
			out.SMS = *r.SMS
		}
		if (r.Email != nil || r.Subject != nil) && !developerEmail {
			return cognito.Errorf(cognito.InvalidLambdaResponse,
				"Invalid lambda function output : emailMessage and emailSubject can only be customised when EmailSendingAccount is DEVELOPER")
		}
		if r.Email != nil {
			if err := checkMessage("emailMessage", *r.Email, 6, 20000, admin); err != nil {
				return err
			}
			out.Email = *r.Email
		}
		if r.Subject != nil {
			if n := utf8.RuneCountInString(*r.Subject); n < 1 || n > 140 {
				return cognito.ErrInvalidParameter("1 validation error detected: Value at 'emailSubject' failed to satisfy constraint: Member must have length between 1 and 140")
			}
			out.Subject = *r.Subject
		}
		return nil
	}
	if _, err := d.invoke(ctx, call{trigger: "CustomMessage", arn: c.Config.CustomMessage, event: ev, parse: parse}); err != nil {
		return def, err
	}
	return out, nil
}

// checkMessage applies the template rules to a returned message: length,
// the code placeholder (or a link placeholder for email), and for
// invitations the username placeholder as well.
func checkMessage(member, msg string, min, max int, admin bool) error {
	if strings.TrimSpace(msg) == "" {
		return cognito.ErrInvalidParameter("The message is empty.")
	}
	if n := utf8.RuneCountInString(msg); n < min || n > max {
		return cognito.ErrInvalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length between %d and %d", msg, member, min, max)
	}
	hasLink := member == "emailMessage" && strings.Contains(msg, "{##") && strings.Contains(msg, "##}")
	if !strings.Contains(msg, CodeParameter) && !hasLink {
		return cognito.ErrInvalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\{####\\}.*", msg, member)
	}
	if admin && !strings.Contains(msg, UsernameParameter) {
		return cognito.ErrInvalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must contain {username}", msg, member)
	}
	return nil
}

// CustomSender hands a message's secret to the custom email or SMS sender
// (§15) for medium "EMAIL" or "SMS" and source "SignUp", "ResendCode",
// "ForgotPassword", "UpdateUserAttribute", "VerifyUserAttribute",
// "AdminCreateUser" or "Authentication", asynchronously, as AWS does: the caller
// never waits and never sees the function's errors (they are logged and
// recorded). It reports whether a sender is configured for the medium.
//
// How the code is protected (§15.4): tarn has no KMS. tarn puts the code
// in request.code as base64 of the UTF-8 plaintext and marks the event with
// request.tarnPlaintextCode = true. A handler written for AWS base64-decodes
// request.code and passes it to the Encryption SDK; in development it
// checks the marker and uses the decoded bytes as the code instead. The
// temporary password of an invitation is HTML-escaped first, as on AWS.
func (d *Dispatcher) CustomSender(ctx context.Context, c Caller, medium, source, userName string, attrs map[string]string, code string, clientMetadata map[string]string) bool {
	var arn, trigger, typ string
	switch {
	case c.Config == nil:
		return false
	case medium == "EMAIL" && c.Config.CustomEmailSender != nil && c.Config.CustomEmailSender.LambdaArn != "":
		arn, trigger, typ = c.Config.CustomEmailSender.LambdaArn, "CustomEmailSender", "customEmailSenderRequestV1"
	case medium == "SMS" && c.Config.CustomSMSSender != nil && c.Config.CustomSMSSender.LambdaArn != "":
		arn, trigger, typ = c.Config.CustomSMSSender.LambdaArn, "CustomSMSSender", "customSMSSenderRequestV1"
	default:
		return false
	}
	if source == "AdminCreateUser" {
		code = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(code)
	}
	ev := c.event(trigger+"_"+source, userName, "1")
	ev.Request = map[string]any{
		"type": typ, "code": encodeCode(code), "tarnPlaintextCode": true,
		"clientMetadata": orNil(clientMetadata), "userAttributes": attrs,
	}
	ev.Response = nil
	d.invokeAsync(ctx, call{trigger: trigger, arn: arn, event: ev, redact: []string{"code"}, async: true})
	return true
}
