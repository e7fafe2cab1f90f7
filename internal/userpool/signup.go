package userpool

import (
	"context"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// clientPool loads a public request's client and its pool.
func (s *Service) clientPool(ctx context.Context, clientID string) (cognito.UserPoolClient, cognito.UserPool, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return c, cognito.UserPool{}, err
	}
	p, err := s.pool(ctx, c.UserPoolId)
	return c, p, err
}

// publicRequest loads the client and pool of a public request that names
// a user and checks its SecretHash (computed over the Username as sent).
func (s *Service) publicRequest(ctx context.Context, clientID, hash, username string) (cognito.UserPoolClient, cognito.UserPool, error) {
	client, pool, err := s.clientPool(ctx, clientID)
	if err != nil {
		return client, pool, err
	}
	return client, pool, checkSecretHash(&client, hash, username)
}

// SignUpInput is the SignUp request.
type SignUpInput struct {
	ClientId       string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	SecretHash     string            `json:"SecretHash" aws:"len=1-128,pattern=[\\w+=/]+"`
	Username       string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	Password       string            `json:"Password" aws:"len=0-256,sensitive"`
	UserAttributes []AttributeType   `json:"UserAttributes"`
	ValidationData []AttributeType   `json:"ValidationData"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// SignUpOutput is the SignUp response.
type SignUpOutput struct {
	UserConfirmed       bool                 `json:"UserConfirmed"`
	UserSub             string               `json:"UserSub"`
	CodeDeliveryDetails *CodeDeliveryDetails `json:"CodeDeliveryDetails,omitempty"`
}

// SignUp registers a user (UNCONFIRMED) and sends a confirmation code to an
// auto-verified attribute. Nothing is stored when any check fails.
func (s *Service) SignUp(ctx context.Context, in *SignUpInput) (*SignUpOutput, error) {
	client, pool, err := s.publicRequest(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	if pool.AdminCreateUserConfig != nil && pool.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		return nil, cognito.Errorf(cognito.NotAuthorized, "SignUp is not permitted for this user pool")
	}
	if err := checkAttributes(&pool, in.UserAttributes, attrWrite{create: true, client: &client}); err != nil {
		return nil, err
	}
	attrs := attrsToMap(in.UserAttributes)
	dropEmpty(attrs)
	sub := newUUID()
	username, err := newUsername(&pool, in.Username, sub, attrs)
	if err != nil {
		return nil, err
	}
	if name := missingRequired(&pool, attrs); name != "" {
		return nil, schemaError(name, "The attribute is required")
	}
	if in.Password == "" {
		return nil, cognito.ErrInvalidParameter("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must not be null")
	}
	if err := checkPassword(&pool, in.Password); err != nil {
		return nil, err
	}
	now := s.now()
	u := cognito.User{
		PoolID: pool.Id, Username: username, Sub: sub, Status: cognito.StatusUnconfirmed, Enabled: true,
		Attributes: attrs, Created: now, Modified: now, PasswordSetAt: now,
	}
	if u.Credential, err = s.sealPassword(pool.Id, username, in.Password); err != nil {
		return nil, err
	}
	// An early answer for a taken name, before the trigger runs; the check
	// inside the transaction below is the one that counts (a failed read
	// here is left to it).
	if found, _ := s.userExists(ctx, s.st, &pool, username); found {
		return nil, existsError(&pool, in.Username)
	}
	// Pre sign-up decides before anything is stored: a function that
	// fails leaves no user behind (triggers.md §7.1).
	submitted := make(map[string]string, len(attrs))
	for k, v := range attrs {
		submitted[k] = v
	}
	pre, err := s.trig.PreSignUp(ctx, s.caller(&pool, client.ClientId), "PreSignUp_SignUp", username,
		submitted, attrsToMap(in.ValidationData), in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	if pre.AutoVerifyEmail {
		if attrs["email"] == "" {
			return nil, cognito.ErrInvalidParameter("Email cannot be auto verified: the user has no email attribute.")
		}
		attrs["email_verified"] = "true"
	}
	if pre.AutoVerifyPhone {
		if attrs["phone_number"] == "" {
			return nil, cognito.ErrInvalidParameter("Phone number cannot be auto verified: the user has no phone_number attribute.")
		}
		attrs["phone_number_verified"] = "true"
	}
	var msg *outgoing
	if pre.AutoConfirmUser {
		u.Status = cognito.StatusConfirmed
	} else if d, ok := signUpDelivery(&pool, &u); ok {
		o, err := s.compose(ctx, &pool, client.ClientId, &u, d, actionSignUp, newCode(), in.ClientMetadata)
		if err != nil {
			return nil, err
		}
		msg = &o
	}
	out := &SignUpOutput{UserSub: sub}
	err = s.st.Tx(ctx, func(st store.Store) error {
		out.CodeDeliveryDetails = nil
		if found, err := s.userExists(ctx, st, &pool, username); err != nil || found {
			if err != nil {
				return err
			}
			return existsError(&pool, in.Username)
		}
		// An auto-verified alias moves to the new user (§7.3).
		// The store names what is taken (in username-attribute pools an
		// email or phone number may belong to another user).
		if err := s.createUser(ctx, st, &pool, &u, pre.AutoVerifyEmail || pre.AutoVerifyPhone); err != nil {
			return err
		}
		if msg != nil {
			det, err := s.sendCode(ctx, st, &pool, &u, cognito.CodeSignUp, signUpCodeTTL, *msg)
			if err != nil {
				return err
			}
			out.CodeDeliveryDetails = det
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if msg != nil {
		s.sent(ctx, &pool, client.ClientId, &u, *msg, in.ClientMetadata)
	}
	out.UserConfirmed = u.Status == cognito.StatusConfirmed
	if out.UserConfirmed {
		// The user stays confirmed even if post confirmation fails (§4.3).
		if err := s.trig.PostConfirmation(ctx, s.caller(&pool, client.ClientId), "PostConfirmation_ConfirmSignUp", u.Username, eventAttributes(&u), in.ClientMetadata); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// existsError is SignUp's answer for a username that is taken; typed is the
// Username as sent, which in username-attribute pools is an email or a
// phone number.
func existsError(pool *cognito.UserPool, typed string) error {
	switch {
	case len(pool.UsernameAttributes) == 0:
		return cognito.Errorf(cognito.UsernameExists, "User already exists")
	case cognito.Has(pool.UsernameAttributes, "email") && emailRE.MatchString(typed):
		return cognito.Errorf(cognito.UsernameExists, "An account with the given email already exists.")
	}
	return cognito.Errorf(cognito.UsernameExists, "An account with the given phone_number already exists.")
}

// publicUser resolves the user of a public (client-identified) request.
// An unknown user is UserNotFoundException "Username/client id combination
// not found." — unless the client prevents user-existence errors: then
// found is false and err nil, and the caller answers as for a user it
// cannot tell apart (api.md §5.11).
func (s *Service) publicUser(ctx context.Context, client *cognito.UserPoolClient, pool *cognito.UserPool, username string) (u cognito.User, found bool, err error) {
	u, err = s.findUser(ctx, pool, username)
	if cognito.ErrorCode(err) == cognito.UserNotFound {
		if client.PreventsUserExistenceErrors() {
			return u, false, nil
		}
		return u, false, cognito.Errorf(cognito.UserNotFound, "Username/client id combination not found.")
	}
	return u, err == nil, err
}

// ConfirmSignUpInput is the ConfirmSignUp request.
type ConfirmSignUpInput struct {
	ClientId           string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	SecretHash         string            `json:"SecretHash" aws:"len=1-128,pattern=[\\w+=/]+"`
	Username           string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	ConfirmationCode   string            `json:"ConfirmationCode" aws:"required,len=1-2048,pattern=[\\S]+"`
	ForceAliasCreation bool              `json:"ForceAliasCreation"`
	ClientMetadata     map[string]string `json:"ClientMetadata"`
}

// ConfirmSignUp confirms a user with the code sent at sign-up and marks the
// attribute it went to verified.
func (s *Service) ConfirmSignUp(ctx context.Context, in *ConfirmSignUpInput) (*Empty, error) {
	client, pool, u, err := s.codeRequest(ctx, in.ClientId, in.SecretHash, in.Username, quotaConfirmSignUp)
	if err != nil {
		return nil, err
	}
	if u.Status != cognito.StatusUnconfirmed {
		return nil, cognito.Errorf(cognito.NotAuthorized, "User cannot be confirmed. Current status is %s", u.Status)
	}
	d, hasDelivery := signUpDelivery(&pool, &u)
	err = s.withCode(ctx, pool.Id, u.Username, cognito.CodeSignUp, in.ConfirmationCode, quotaConfirmSignUp, func(st store.Store) error {
		return s.updateUser(ctx, st, &pool, u.Username, in.ForceAliasCreation, func(x *cognito.User) error {
			x.Status = cognito.StatusConfirmed
			if hasDelivery {
				x.Attributes[d.attr+"_verified"] = "true"
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	if err := s.postConfirmation(ctx, &pool, client.ClientId, u.Username, "PostConfirmation_ConfirmSignUp", in.ClientMetadata); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ResendConfirmationCodeInput is the ResendConfirmationCode request.
type ResendConfirmationCodeInput struct {
	ClientId       string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	SecretHash     string            `json:"SecretHash" aws:"len=1-128,pattern=[\\w+=/]+"`
	Username       string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// CodeDeliveryOutput is the response of operations that send one code.
type CodeDeliveryOutput struct {
	CodeDeliveryDetails *CodeDeliveryDetails `json:"CodeDeliveryDetails,omitempty"`
}

// simulatedDelivery is what clients that prevent user-existence errors get
// for unknown users: plausible masked details, and nothing sent.
func simulatedDelivery(username string) *CodeDeliveryDetails {
	if emailRE.MatchString(username) {
		return &CodeDeliveryDetails{Destination: maskDestination("EMAIL", username), DeliveryMedium: "EMAIL", AttributeName: "email"}
	}
	return &CodeDeliveryDetails{Destination: "+*******0000", DeliveryMedium: "SMS", AttributeName: "phone_number"}
}

// ResendConfirmationCode sends a new sign-up code (the old one stops
// working).
func (s *Service) ResendConfirmationCode(ctx context.Context, in *ResendConfirmationCodeInput) (*CodeDeliveryOutput, error) {
	client, pool, err := s.publicRequest(ctx, in.ClientId, in.SecretHash, in.Username)
	if err != nil {
		return nil, err
	}
	u, found, err := s.publicUser(ctx, &client, &pool, in.Username)
	if err != nil {
		return nil, err
	}
	if !found {
		if err := s.hiddenQuota(ctx, &pool, in.Username, quotaResendCode); err != nil {
			return nil, err
		}
		return &CodeDeliveryOutput{CodeDeliveryDetails: simulatedDelivery(in.Username)}, nil
	}
	if u.Status != cognito.StatusUnconfirmed {
		return nil, cognito.ErrInvalidParameter("User is already confirmed.")
	}
	d, ok := signUpDelivery(&pool, &u)
	if !ok {
		return nil, cognito.ErrInvalidParameter("Auto verification not turned on.")
	}
	det, err := s.issueCode(ctx, &pool, client.ClientId, &u, cognito.CodeSignUp, signUpCodeTTL, d, actionResendCode, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &CodeDeliveryOutput{CodeDeliveryDetails: det}, nil
}
