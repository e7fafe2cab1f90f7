package userpool

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/triggers"
)

// Code lifetimes (api.md §3.7, §9).
const (
	signUpCodeTTL = 24 * time.Hour
	verifyCodeTTL = 24 * time.Hour
	resetCodeTTL  = time.Hour
	// maxCodeAttempts wrong codes are accepted per code before it is
	// refused with TooManyFailedAttemptsException.
	maxCodeAttempts = 15
)

// Message actions recorded in the outbox.
const (
	actionSignUp              = "SignUp"
	actionResendCode          = "ResendCode"
	actionForgotPassword      = "ForgotPassword"
	actionAdminCreateUser     = "AdminCreateUser"
	actionUpdateUserAttribute = "UpdateUserAttribute"
	actionVerifyUserAttribute = "VerifyUserAttribute"
)

func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1000000))
	return fmt.Sprintf("%06d", n.Int64())
}

func hashCode(code string) []byte {
	h := sha256.Sum256([]byte(code))
	return h[:]
}

// delivery is where a message goes: the attribute, its medium and value.
type delivery struct {
	attr, medium, dest string
}

func deliveryFor(u *cognito.User, attr string) (delivery, bool) {
	v := u.Attributes[attr]
	if v == "" {
		return delivery{}, false
	}
	medium := "EMAIL"
	if attr == "phone_number" {
		medium = "SMS"
	}
	return delivery{attr: attr, medium: medium, dest: v}, true
}

func (d delivery) details() *CodeDeliveryDetails {
	return &CodeDeliveryDetails{Destination: maskDestination(d.medium, d.dest), DeliveryMedium: d.medium, AttributeName: d.attr}
}

// signUpDelivery picks where a sign-up code goes: an auto-verified
// attribute the user has, the phone first (api.md §3.7).
func signUpDelivery(pool *cognito.UserPool, u *cognito.User) (delivery, bool) {
	for _, attr := range []string{"phone_number", "email"} {
		if cognito.Has(pool.AutoVerifiedAttributes, attr) {
			if d, ok := deliveryFor(u, attr); ok {
				return d, true
			}
		}
	}
	return delivery{}, false
}

// recoveryDelivery picks where a password-reset code goes, following
// AccountRecoverySetting or the legacy rule (verified phone, then email).
func recoveryDelivery(pool *cognito.UserPool, u *cognito.User) (delivery, bool) {
	order := []string{"phone_number", "email"}
	if r := pool.AccountRecoverySetting; r != nil && len(r.RecoveryMechanisms) > 0 {
		order = order[:0]
		mechs := append([]cognito.RecoveryOption(nil), r.RecoveryMechanisms...)
		if len(mechs) == 2 && mechs[0].Priority > mechs[1].Priority {
			mechs[0], mechs[1] = mechs[1], mechs[0]
		}
		for _, m := range mechs {
			switch m.Name {
			case "verified_email":
				order = append(order, "email")
			case "verified_phone_number":
				order = append(order, "phone_number")
			}
		}
	}
	for _, attr := range order {
		if u.Attributes[attr+"_verified"] != "true" {
			continue
		}
		if d, ok := deliveryFor(u, attr); ok {
			return d, true
		}
	}
	return delivery{}, false
}

// template returns subject and body for a message action.
func messageTemplate(pool *cognito.UserPool, action, medium string) (subject, body string) {
	if action == actionAdminCreateUser {
		subject, body = "Your temporary password", "Your username is {username} and temporary password is {####}."
		if c := pool.AdminCreateUserConfig; c != nil && c.InviteMessageTemplate != nil {
			t := c.InviteMessageTemplate
			if medium == "SMS" && t.SMSMessage != "" {
				body = t.SMSMessage
			}
			if medium == "EMAIL" && t.EmailMessage != "" {
				body = t.EmailMessage
			}
			if t.EmailSubject != "" {
				subject = t.EmailSubject
			}
		}
		return subject, body
	}
	subject, body = "Your verification code", "Your verification code is {####}."
	if pool.EmailVerificationSubject != "" {
		subject = pool.EmailVerificationSubject
	}
	if medium == "EMAIL" && pool.EmailVerificationMessage != "" {
		body = pool.EmailVerificationMessage
	}
	if medium == "SMS" && pool.SmsVerificationMessage != "" {
		body = pool.SmsVerificationMessage
	}
	if t := pool.VerificationMessageTemplate; t != nil {
		if medium == "EMAIL" && t.EmailMessage != "" {
			body = t.EmailMessage
		}
		if medium == "SMS" && t.SmsMessage != "" {
			body = t.SmsMessage
		}
		if t.EmailSubject != "" {
			subject = t.EmailSubject
		}
	}
	return subject, body
}

// outgoing is a message ready to send: rendered from the pool's templates
// (or the custom message trigger), with the code already in it.
type outgoing struct {
	d             delivery
	action, code  string
	subject, body string
}

// developerEmail reports EmailSendingAccount DEVELOPER (the pool sends
// through its own SES), the only case where AWS lets a custom message
// function change email text.
func developerEmail(pool *cognito.UserPool) bool {
	var ec struct{ EmailSendingAccount string }
	_ = json.Unmarshal(pool.EmailConfiguration, &ec)
	return ec.EmailSendingAccount == "DEVELOPER"
}

// compose renders the message for action with code, through the custom
// message trigger when the pool has one. It runs before any transaction:
// a trigger may take seconds and must not hold the store.
func (s *Service) compose(ctx context.Context, pool *cognito.UserPool, clientID string, u *cognito.User, d delivery, action, code string, meta map[string]string) (outgoing, error) {
	subject, email := messageTemplate(pool, action, "EMAIL")
	_, sms := messageTemplate(pool, action, "SMS")
	msg, err := s.trig.CustomMessage(ctx, s.caller(pool, clientID), "CustomMessage_"+action, u.Username, eventAttributes(u), meta,
		triggers.Message{SMS: sms, Email: email, Subject: subject}, developerEmail(pool))
	if err != nil {
		return outgoing{}, err
	}
	body := msg.Email
	if d.medium == "SMS" {
		body, msg.Subject = msg.SMS, ""
	}
	r := strings.NewReplacer(triggers.CodeParameter, code, triggers.UsernameParameter, u.Username)
	return outgoing{d: d, action: action, code: code, subject: r.Replace(msg.Subject), body: r.Replace(body)}, nil
}

// deliver records a composed message in the outbox (and the log).
func (s *Service) deliver(ctx context.Context, st store.Store, pool *cognito.UserPool, u *cognito.User, o outgoing) error {
	m := cognito.Message{
		ID: newUUID(), PoolID: pool.Id, Username: u.Username, Destination: o.d.dest, Medium: o.d.medium,
		Action: o.action, Code: o.code, Subject: o.subject, Body: o.body, Created: s.now().UTC(),
	}
	if err := st.AddMessage(ctx, m); err != nil {
		return err
	}
	s.log.Info("delivery", "pool", pool.Id, "username", u.Username, "medium", o.d.medium, "destination", o.d.dest, "action", o.action)
	return nil
}

// sent hands a delivered message to the pool's custom email or SMS sender,
// if any, once the transaction that recorded it has committed.
func (s *Service) sent(ctx context.Context, pool *cognito.UserPool, clientID string, u *cognito.User, o outgoing, meta map[string]string) {
	s.trig.CustomSender(ctx, s.caller(pool, clientID), o.d.medium, o.action, u.Username, eventAttributes(u), o.code, meta)
}

// sendCode stores the code of o for purpose (replacing any earlier one),
// records the message and returns the masked delivery details.
func (s *Service) sendCode(ctx context.Context, st store.Store, pool *cognito.UserPool, u *cognito.User, purpose string, ttl time.Duration, o outgoing) (*CodeDeliveryDetails, error) {
	now := s.now()
	c := cognito.Code{PoolID: pool.Id, Username: u.Username, Purpose: purpose, Hash: hashCode(o.code), Expires: now.Add(ttl), Created: now}
	if err := st.PutCode(ctx, c); err != nil {
		return nil, err
	}
	if err := s.deliver(ctx, st, pool, u, o); err != nil {
		return nil, err
	}
	return o.d.details(), nil
}

// issueCode composes, stores and sends a new code in its own transaction,
// then hands it to a custom sender.
func (s *Service) issueCode(ctx context.Context, pool *cognito.UserPool, clientID string, u *cognito.User, purpose string, ttl time.Duration, d delivery, action string, meta map[string]string) (*CodeDeliveryDetails, error) {
	// The quota is looked at first so that a refused call runs no custom
	// message trigger, and again, under the user's lock, where it is spent.
	q, limited := sendQuotas[action]
	if limited {
		if over, err := s.overQuota(ctx, s.st, pool.Id, u.Username, q); over || err != nil {
			return nil, cmp.Or(err, errAttemptLimit)
		}
	}
	o, err := s.compose(ctx, pool, clientID, u, d, action, newCode(), meta)
	if err != nil {
		return nil, err
	}
	var det *CodeDeliveryDetails
	err = s.st.Tx(ctx, func(st store.Store) error {
		if limited {
			over, err := s.overQuota(ctx, st, pool.Id, u.Username, q)
			if err != nil {
				return err
			}
			if over {
				return errAttemptLimit
			}
			if err := s.spendQuota(ctx, st, pool.Id, u.Username, q); err != nil {
				return err
			}
		}
		det, err = s.sendCode(ctx, st, pool, u, purpose, ttl, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.sent(ctx, pool, clientID, u, o, meta)
	return det, nil
}

var errCodeMismatch = cognito.Errorf(cognito.CodeMismatch, "Invalid verification code provided, please try again.")

// consumeCode checks code against the user's code for purpose, inside the
// caller's transaction st. A wrong code counts an attempt and yields a
// CodeMismatchException outcome (TooManyFailedAttemptsException once the
// attempts are spent); a missing or expired one an ExpiredCodeException
// outcome. A right code is deleted and the outcome is nil. The caller commits
// the transaction when the outcome is an error, so attempts are counted, and
// returns the outcome after it.
func (s *Service) consumeCode(ctx context.Context, st store.Store, poolID, username, purpose, code string) (outcome error, err error) {
	expired := cognito.Errorf(cognito.ExpiredCode, "Invalid code provided, please request a code again.")
	c, err := st.GetCode(ctx, poolID, username, purpose)
	if errors.Is(err, store.ErrNotFound) {
		return expired, nil
	}
	if err != nil {
		return nil, err
	}
	if s.now().After(c.Expires) {
		return expired, nil
	}
	if c.Attempts >= maxCodeAttempts {
		return cognito.Errorf(cognito.TooManyFailedAttempts, "Too many failed attempts."), nil
	}
	if subtle.ConstantTimeCompare(c.Hash, hashCode(code)) != 1 {
		return errCodeMismatch, st.UpdateCode(ctx, poolID, username, purpose, func(c *cognito.Code) error {
			c.Attempts++
			return nil
		})
	}
	return nil, st.DeleteCode(ctx, poolID, username, purpose)
}

// withCode runs apply in one transaction after consuming the code; a wrong
// or expired code is reported (its attempt kept, and one of q spent) and
// apply does not run. Once q is spent, no code is checked. If
// apply fails, the code stays usable.
func (s *Service) withCode(ctx context.Context, poolID, username, purpose, code string, q quota, apply func(st store.Store) error) error {
	var outcome error
	err := s.st.Tx(ctx, func(st store.Store) error {
		over, err := s.overQuota(ctx, st, poolID, username, q)
		if err != nil {
			return err
		}
		if over {
			outcome = errAttemptLimit
			return nil
		}
		o, err := s.consumeCode(ctx, st, poolID, username, purpose, code)
		if err != nil {
			return err
		}
		if outcome = o; o != nil {
			return s.spendQuota(ctx, st, poolID, username, q)
		}
		return apply(st)
	})
	if err != nil {
		return err
	}
	return outcome
}
