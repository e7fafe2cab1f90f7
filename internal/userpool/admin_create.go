package userpool

import (
	"context"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// AdminCreateUserInput is the AdminCreateUser request.
type AdminCreateUserInput struct {
	UserPoolId             string            `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Username               string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	UserAttributes         []AttributeType   `json:"UserAttributes"`
	ValidationData         []AttributeType   `json:"ValidationData"`
	TemporaryPassword      string            `json:"TemporaryPassword" aws:"len=0-256,sensitive"`
	ForceAliasCreation     bool              `json:"ForceAliasCreation"`
	MessageAction          string            `json:"MessageAction" aws:"enum=RESEND|SUPPRESS"`
	DesiredDeliveryMediums []string          `json:"DesiredDeliveryMediums"`
	ClientMetadata         map[string]string `json:"ClientMetadata"`
}

// AdminCreateUserOutput is the AdminCreateUser response.
type AdminCreateUserOutput struct {
	User UserType `json:"User"`
}

// AdminCreateUser creates a user in FORCE_CHANGE_PASSWORD with a temporary
// password and sends the invitation, or (MessageAction RESEND) issues a new
// temporary password to an existing FORCE_CHANGE_PASSWORD user.
func (s *Service) AdminCreateUser(ctx context.Context, in *AdminCreateUserInput) (*AdminCreateUserOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	for _, m := range in.DesiredDeliveryMediums {
		if m != "SMS" && m != "EMAIL" {
			return nil, cognito.ErrInvalidParameter("1 validation error detected: Value '%s' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]", m)
		}
	}
	tmp := in.TemporaryPassword
	if tmp != "" {
		if err := checkPassword(&pool, tmp); err != nil {
			return nil, err
		}
	} else {
		tmp = temporaryPassword(&pool)
	}
	if in.MessageAction == "RESEND" {
		return s.resendInvitation(ctx, &pool, in, tmp)
	}
	if err := checkAttributes(&pool, in.UserAttributes, attrWrite{create: true, admin: true}); err != nil {
		return nil, err
	}
	attrs := attrsToMap(in.UserAttributes)
	dropEmpty(attrs)
	sub := newUUID()
	username, err := newUsername(&pool, in.Username, sub, attrs)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := cognito.User{
		PoolID: pool.Id, Username: username, Sub: sub, Status: cognito.StatusForceChangePassword, Enabled: true,
		Attributes: attrs, Created: now, Modified: now, PasswordSetAt: now,
	}
	if u.Credential, err = s.sealPassword(pool.Id, username, tmp); err != nil {
		return nil, err
	}
	// An early answer for a taken name, before the trigger runs; the check
	// inside the transaction below is the one that counts (a failed read
	// here is left to it).
	if found, _ := s.userExists(ctx, s.st, &pool, in.Username); found {
		return nil, cognito.Errorf(cognito.UsernameExists, "User account already exists")
	}
	// Pre sign-up runs before anything is stored; its flags are ignored for
	// administrator-created users (triggers.md §7.3).
	if _, err := s.trig.PreSignUp(ctx, s.caller(&pool, ""), "PreSignUp_AdminCreateUser", username,
		attrsToMap(in.UserAttributes), attrsToMap(in.ValidationData), in.ClientMetadata); err != nil {
		return nil, err
	}
	var msgs []outgoing
	if in.MessageAction != "SUPPRESS" {
		if msgs, err = s.invitations(ctx, &pool, &u, in.DesiredDeliveryMediums, tmp, in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	err = s.st.Tx(ctx, func(st store.Store) error {
		if found, err := s.userExists(ctx, st, &pool, in.Username); err != nil || found {
			if err != nil {
				return err
			}
			return cognito.Errorf(cognito.UsernameExists, "User account already exists")
		}
		if err := s.createUser(ctx, st, &pool, &u, in.ForceAliasCreation); err != nil {
			if cognito.ErrorCode(err) == cognito.UsernameExists {
				return cognito.Errorf(cognito.UsernameExists, "User account already exists")
			}
			return err
		}
		return s.deliverAll(ctx, st, &pool, &u, msgs)
	})
	if err != nil {
		return nil, err
	}
	s.sentAll(ctx, &pool, "", &u, msgs, in.ClientMetadata)
	return &AdminCreateUserOutput{User: userType(&pool, &u, nil)}, nil
}

func (s *Service) resendInvitation(ctx context.Context, pool *cognito.UserPool, in *AdminCreateUserInput, tmp string) (*AdminCreateUserOutput, error) {
	u, err := s.findUser(ctx, pool, in.Username)
	if err != nil {
		return nil, err
	}
	if u.Status != cognito.StatusForceChangePassword {
		return nil, cognito.Errorf(cognito.UnsupportedUserState, "Resend not possible. %s status is %s instead of FORCE_CHANGE_PASSWORD", u.Username, u.Status)
	}
	cred, err := s.sealPassword(pool.Id, u.Username, tmp)
	if err != nil {
		return nil, err
	}
	msgs, err := s.invitations(ctx, pool, &u, in.DesiredDeliveryMediums, tmp, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	err = s.st.Tx(ctx, func(st store.Store) error {
		err := s.updateUser(ctx, st, pool, u.Username, false, func(x *cognito.User) error {
			setCredential(pool, x, cred)
			x.PasswordSetAt = s.now()
			u = x.Clone()
			return nil
		})
		if err != nil {
			return err
		}
		return s.deliverAll(ctx, st, pool, &u, msgs)
	})
	if err != nil {
		return nil, err
	}
	s.sentAll(ctx, pool, "", &u, msgs, in.ClientMetadata)
	return &AdminCreateUserOutput{User: userType(pool, &u, nil)}, nil
}

// invitations composes the invitation with the temporary password for
// every desired medium the user has an address for (default SMS).
// [?] decision: when the user has no address for any desired medium, tarn
// falls back to the other medium, and sends nothing when it has neither.
func (s *Service) invitations(ctx context.Context, pool *cognito.UserPool, u *cognito.User, mediums []string, tmp string, meta map[string]string) ([]outgoing, error) {
	if len(mediums) == 0 {
		mediums = []string{"SMS"}
	}
	var ds []delivery
	for _, m := range mediums {
		if d, ok := deliveryFor(u, map[string]string{"SMS": "phone_number", "EMAIL": "email"}[m]); ok {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		for _, attr := range []string{"email", "phone_number"} {
			if d, ok := deliveryFor(u, attr); ok {
				ds = append(ds, d)
				break
			}
		}
	}
	var out []outgoing
	for _, d := range ds {
		o, err := s.compose(ctx, pool, "", u, d, actionAdminCreateUser, tmp, meta)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func (s *Service) deliverAll(ctx context.Context, st store.Store, pool *cognito.UserPool, u *cognito.User, os []outgoing) error {
	for _, o := range os {
		if err := s.deliver(ctx, st, pool, u, o); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) sentAll(ctx context.Context, pool *cognito.UserPool, clientID string, u *cognito.User, os []outgoing, meta map[string]string) {
	for _, o := range os {
		s.sent(ctx, pool, clientID, u, o, meta)
	}
}

func dropEmpty(m map[string]string) {
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
}

// AdminSetUserPasswordInput is the AdminSetUserPassword request.
type AdminSetUserPasswordInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Username   string `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	Password   string `json:"Password" aws:"required,len=0-256,sensitive"`
	Permanent  bool   `json:"Permanent"`
}

// AdminSetUserPassword sets a permanent (status CONFIRMED) or temporary
// (FORCE_CHANGE_PASSWORD, fresh validity) password.
func (s *Service) AdminSetUserPassword(ctx context.Context, in *AdminSetUserPasswordInput) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := checkPassword(&pool, in.Password); err != nil {
		return nil, err
	}
	if err := s.checkHistory(&pool, &u, in.Password); err != nil {
		return nil, err
	}
	cred, err := s.sealPassword(pool.Id, u.Username, in.Password)
	if err != nil {
		return nil, err
	}
	err = s.updateUser(ctx, s.st, &pool, u.Username, false, func(u *cognito.User) error {
		setCredential(&pool, u, cred)
		u.PasswordSetAt = s.now()
		u.FailedAttempts, u.LockedUntil = 0, cognito.User{}.LockedUntil
		if in.Permanent {
			u.Status = cognito.StatusConfirmed
		} else {
			u.Status = cognito.StatusForceChangePassword
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// AdminResetUserPassword puts a user in RESET_REQUIRED, invalidates its
// password and sends a reset code usable with ConfirmForgotPassword.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if u.Status == cognito.StatusUnconfirmed || u.Status == cognito.StatusForceChangePassword {
		return nil, cognito.Errorf(cognito.NotAuthorized, "User password cannot be reset in the current state.")
	}
	d, ok := recoveryDelivery(&pool, &u)
	if !ok {
		return nil, cognito.ErrInvalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	// [?] triggers.md §5: the custom message source for an admin reset is
	// inferred to be CustomMessage_ForgotPassword.
	o, err := s.compose(ctx, &pool, "", &u, d, actionForgotPassword, newCode(), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	err = s.st.Tx(ctx, func(st store.Store) error {
		err := s.updateUser(ctx, st, &pool, u.Username, false, func(x *cognito.User) error {
			x.Status = cognito.StatusResetRequired
			setCredential(&pool, x, nil)
			return nil
		})
		if err != nil {
			return err
		}
		_, err = s.sendCode(ctx, st, &pool, &u, cognito.CodeForgotPassword, resetCodeTTL, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.sent(ctx, &pool, "", &u, o, in.ClientMetadata)
	return &Empty{}, nil
}
