package userpool

import (
	"context"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// ForgotPasswordInput is the ForgotPassword request.
type ForgotPasswordInput struct {
	ClientId       string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	SecretHash     string            `json:"SecretHash" aws:"len=1-128,pattern=[\\w+=/]+"`
	Username       string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// ForgotPassword sends a password-reset code (valid 1 h) to the user's
// verified recovery channel. It changes neither the status nor the password.
func (s *Service) ForgotPassword(ctx context.Context, in *ForgotPasswordInput) (*CodeDeliveryOutput, error) {
	client, pool, err := s.publicRequest(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	hidden := &CodeDeliveryOutput{CodeDeliveryDetails: simulatedDelivery(in.Username)}
	if err := s.migrateOnForgot(ctx, &pool, client.ClientId, in.Username, in.ClientMetadata); err != nil {
		return nil, err
	}
	u, found, err := s.publicUser(ctx, &client, &pool, in.Username)
	if err != nil {
		return nil, err
	}
	if !found {
		return hidden, nil
	}
	if !u.Enabled {
		if client.PreventsUserExistenceErrors() {
			return hidden, nil
		}
		return nil, cognito.Errorf(cognito.NotAuthorized, "User is disabled.")
	}
	if u.Status == cognito.StatusForceChangePassword {
		return nil, cognito.Errorf(cognito.NotAuthorized, "User password cannot be reset in the current state.")
	}
	if r := pool.AccountRecoverySetting; r != nil && len(r.RecoveryMechanisms) == 1 && r.RecoveryMechanisms[0].Name == "admin_only" {
		return nil, cognito.Errorf(cognito.NotAuthorized, "Cannot reset password for the user as self-service recovery is disabled (admin_only).")
	}
	d, ok := recoveryDelivery(&pool, &u)
	if !ok {
		if client.PreventsUserExistenceErrors() {
			return hidden, nil
		}
		return nil, cognito.ErrInvalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	det, err := s.issueCode(ctx, &pool, client.ClientId, &u, cognito.CodeForgotPassword, resetCodeTTL, d, actionForgotPassword, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &CodeDeliveryOutput{CodeDeliveryDetails: det}, nil
}

// ConfirmForgotPasswordInput is the ConfirmForgotPassword request.
type ConfirmForgotPasswordInput struct {
	ClientId         string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	SecretHash       string            `json:"SecretHash" aws:"len=1-128,pattern=[\\w+=/]+"`
	Username         string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	ConfirmationCode string            `json:"ConfirmationCode" aws:"required,len=1-2048,pattern=[\\S]+"`
	Password         string            `json:"Password" aws:"required,len=0-256,sensitive"`
	ClientMetadata   map[string]string `json:"ClientMetadata"`
}

// ConfirmForgotPassword sets a new password with a reset code; the user
// becomes CONFIRMED (from CONFIRMED or RESET_REQUIRED).
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *ConfirmForgotPasswordInput) (*Empty, error) {
	client, pool, u, err := s.codeRequest(ctx, in.ClientId, in.SecretHash, in.Username, quotaConfirmForgot)
	if err != nil {
		return nil, err
	}
	if !u.Enabled && client.PreventsUserExistenceErrors() {
		if err := s.takeQuota(ctx, pool.Id, u.Username, quotaConfirmForgot); err != nil {
			return nil, err
		}
		return nil, errCodeMismatch
	}
	cred, err := s.sealPassword(pool.Id, u.Username, in.Password)
	if err != nil {
		return nil, err
	}
	err = s.withCode(ctx, pool.Id, u.Username, cognito.CodeForgotPassword, in.ConfirmationCode, quotaConfirmForgot, func(st store.Store) error {
		if err := checkPassword(&pool, in.Password); err != nil {
			return err
		}
		// Compared only once the code is right: it may take dozens of
		// verifier computations.
		if err := s.checkHistory(&pool, &u, in.Password); err != nil {
			return err
		}
		return s.updateUser(ctx, st, &pool, u.Username, false, func(x *cognito.User) error {
			setCredential(&pool, x, cred)
			x.PasswordSetAt = s.now()
			x.FailedAttempts, x.LockedUntil = 0, cognito.User{}.LockedUntil
			if x.Status == cognito.StatusResetRequired {
				x.Status = cognito.StatusConfirmed
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if err := s.postConfirmation(ctx, &pool, client.ClientId, u.Username, "PostConfirmation_ConfirmForgotPassword", in.ClientMetadata); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}
