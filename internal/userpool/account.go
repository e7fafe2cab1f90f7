package userpool

import (
	"context"
	"errors"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// AccessTokenInput is the request of operations that take only a token.
type AccessTokenInput struct {
	AccessToken string `json:"AccessToken" aws:"required,sensitive,pattern=[A-Za-z0-9-_=.]+"`
}

// GetUserOutput is the GetUser response.
type GetUserOutput struct {
	Username            string          `json:"Username"`
	UserAttributes      []AttributeType `json:"UserAttributes"`
	UserMFASettingList  []string        `json:"UserMFASettingList,omitempty"`
	PreferredMfaSetting string          `json:"PreferredMfaSetting,omitempty"`
}

// GetUser returns the calling user's attributes readable by its client.
func (s *Service) GetUser(ctx context.Context, in *AccessTokenInput) (*GetUserOutput, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	out := &GetUserOutput{Username: c.user.Username, UserAttributes: []AttributeType{}}
	for _, a := range attributeList(&c.user, nil) {
		if clientMayRead(&c.client, a.Name) {
			out.UserAttributes = append(out.UserAttributes, a)
		}
	}
	return out, nil
}

// ChangePasswordInput is the ChangePassword request.
type ChangePasswordInput struct {
	PreviousPassword string `json:"PreviousPassword" aws:"len=0-256,sensitive"`
	ProposedPassword string `json:"ProposedPassword" aws:"required,len=0-256,sensitive"`
	AccessToken      string `json:"AccessToken" aws:"required,sensitive,pattern=[A-Za-z0-9-_=.]+"`
}

// ChangePassword replaces the caller's password after checking the old one.
// [?] decision: existing tokens stay valid (api.md §10 item 15).
func (s *Service) ChangePassword(ctx context.Context, in *ChangePasswordInput) (*Empty, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if lockedOut(&c.user, s.now()) {
		return nil, errPasswordAttemptsExceeded()
	}
	if err := s.takeQuota(ctx, c.pool.Id, c.user.Username, quotaChangePassword); err != nil {
		return nil, err
	}
	ok, err := s.passwordMatches(&c.user, in.PreviousPassword)
	if err != nil {
		return nil, err
	}
	// A wrong previous password counts toward the sign-in lockout.
	if err := s.passwordChecked(ctx, &attempt{pool: c.pool, client: c.client}, &c.user, ok); err != nil {
		return nil, err
	}
	if err := checkPassword(&c.pool, in.ProposedPassword); err != nil {
		return nil, err
	}
	if err := s.checkHistory(&c.pool, &c.user, in.ProposedPassword); err != nil {
		return nil, err
	}
	cred, err := s.sealPassword(c.pool.Id, c.user.Username, in.ProposedPassword)
	if err != nil {
		return nil, err
	}
	err = s.updateUser(ctx, s.st, &c.pool, c.user.Username, false, func(u *cognito.User) error {
		setCredential(&c.pool, u, cred)
		u.PasswordSetAt = s.now()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// UpdateUserAttributesInput is the UpdateUserAttributes request.
type UpdateUserAttributesInput struct {
	UserAttributes []AttributeType   `json:"UserAttributes" aws:"required"`
	AccessToken    string            `json:"AccessToken" aws:"required,sensitive,pattern=[A-Za-z0-9-_=.]+"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// UpdateUserAttributesOutput is the UpdateUserAttributes response.
type UpdateUserAttributesOutput struct {
	CodeDeliveryDetailsList []*CodeDeliveryDetails `json:"CodeDeliveryDetailsList,omitempty"`
}

// UpdateUserAttributes is the self-service attribute update, limited to the
// client's WriteAttributes.
func (s *Service) UpdateUserAttributes(ctx context.Context, in *UpdateUserAttributesInput) (*UpdateUserAttributesOutput, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	list, err := s.updateAttributes(ctx, &c.pool, &c.user, in.UserAttributes, attrWrite{client: &c.client}, in.ClientMetadata, nil)
	if err != nil {
		return nil, err
	}
	return &UpdateUserAttributesOutput{CodeDeliveryDetailsList: list}, nil
}

// DeleteUserAttributesInput is the DeleteUserAttributes request.
type DeleteUserAttributesInput struct {
	UserAttributeNames []string `json:"UserAttributeNames" aws:"required"`
	AccessToken        string   `json:"AccessToken" aws:"required,sensitive,pattern=[A-Za-z0-9-_=.]+"`
}

// DeleteUserAttributes is the self-service attribute deletion.
func (s *Service) DeleteUserAttributes(ctx context.Context, in *DeleteUserAttributesInput) (*Empty, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.deleteAttributes(ctx, &c.pool, &c.user, in.UserAttributeNames, attrWrite{client: &c.client}); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// DeleteUser deletes the calling user.
func (s *Service) DeleteUser(ctx context.Context, in *AccessTokenInput) (*Empty, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.st.DeleteUser(ctx, c.pool.Id, c.user.Username); err != nil {
		return nil, userStoreError(&c.pool, err)
	}
	return &Empty{}, nil
}

// GlobalSignOut signs the caller out everywhere.
func (s *Service) GlobalSignOut(ctx context.Context, in *AccessTokenInput) (*Empty, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return &Empty{}, s.signOut(ctx, &c.pool, c.user.Username)
}

// GetUserAttributeVerificationCodeInput is the request of that operation.
type GetUserAttributeVerificationCodeInput struct {
	AccessToken    string            `json:"AccessToken" aws:"required,sensitive,pattern=[A-Za-z0-9-_=.]+"`
	AttributeName  string            `json:"AttributeName" aws:"required,len=1-32"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// GetUserAttributeVerificationCode sends a code to verify the caller's
// email or phone number (the pending new value when there is one).
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *GetUserAttributeVerificationCodeInput) (*CodeDeliveryOutput, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if in.AttributeName != "email" && in.AttributeName != "phone_number" {
		return nil, cognito.ErrInvalidParameter("Invalid attribute name: only email and phone_number can be verified.")
	}
	target := c.user
	if v := c.user.Pending[in.AttributeName]; v != "" {
		target.Attributes = map[string]string{in.AttributeName: v}
	}
	d, ok := deliveryFor(&target, in.AttributeName)
	if !ok {
		return nil, cognito.ErrInvalidParameter("The user does not have the attribute %s.", in.AttributeName)
	}
	det, err := s.issueCode(ctx, &c.pool, c.client.ClientId, &c.user, cognito.CodeVerifyPrefix+in.AttributeName, verifyCodeTTL, d, actionVerifyUserAttribute, in.ClientMetadata)
	if err != nil {
		return nil, err
	}
	return &CodeDeliveryOutput{CodeDeliveryDetails: det}, nil
}

// VerifyUserAttributeInput is the VerifyUserAttribute request.
type VerifyUserAttributeInput struct {
	AccessToken   string `json:"AccessToken" aws:"required,sensitive,pattern=[A-Za-z0-9-_=.]+"`
	AttributeName string `json:"AttributeName" aws:"required,len=1-32"`
	Code          string `json:"Code" aws:"required,len=1-2048,pattern=[\\S]+"`
}

// VerifyUserAttribute checks a verification code and marks the attribute
// verified, applying a pending new value.
func (s *Service) VerifyUserAttribute(ctx context.Context, in *VerifyUserAttributeInput) (*Empty, error) {
	c, err := s.authorize(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	name := in.AttributeName
	if (name != "email" && name != "phone_number") || (c.user.Attributes[name] == "" && c.user.Pending[name] == "") {
		return nil, cognito.ErrInvalidParameter("Invalid attribute name: the user has no %s to verify.", name)
	}
	err = s.withCode(ctx, c.pool.Id, c.user.Username, cognito.CodeVerifyPrefix+name, in.Code, quotaVerifyAttr, func(st store.Store) error {
		return s.updateUser(ctx, st, &c.pool, c.user.Username, false, func(u *cognito.User) error {
			if v := u.Pending[name]; v != "" {
				u.Attributes[name] = v
				delete(u.Pending, name)
			}
			u.Attributes[name+"_verified"] = "true"
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// RevokeTokenInput is the RevokeToken request.
type RevokeTokenInput struct {
	Token        string `json:"Token" aws:"required,sensitive,pattern=[A-Za-z0-9-_=.]+"`
	ClientId     string `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	ClientSecret string `json:"ClientSecret" aws:"len=24-64,sensitive,pattern=[\\w+]+"`
}

// RevokeToken revokes a refresh token and every token minted from it.
// [?] decision: an unknown or already revoked refresh token is accepted
// silently, as /oauth2/revoke does.
//
// [?] decision: RevokeToken's model has neither ResourceNotFoundException nor
// NotAuthorizedException, so a client that fails to identify itself (unknown
// ClientId, missing or wrong ClientSecret) or revokes another client's token
// gets UnauthorizedException, as /oauth2/revoke answers invalid_client.
func (s *Service) RevokeToken(ctx context.Context, in *RevokeTokenInput) (*Empty, error) {
	client, err := s.client(ctx, in.ClientId)
	if cognito.ErrorCode(err) == cognito.ResourceNotFound {
		return nil, cognito.Errorf(cognito.Unauthorized, "Client %s does not exist.", in.ClientId)
	}
	if err != nil {
		return nil, err
	}
	if err := checkClientSecret(&client, in.ClientSecret, cognito.Unauthorized); err != nil {
		return nil, err
	}
	if !client.EnableTokenRevocation {
		return nil, cognito.Errorf(cognito.UnsupportedOperation, "Token revocation is not enabled for this client.")
	}
	id, hash, err := tokens.ParseRefreshToken(in.Token)
	if err != nil {
		if _, perr := tokens.PoolOf(in.Token); perr == nil {
			return nil, cognito.Errorf(cognito.UnsupportedTokenType, "The token provided is not a refresh token.")
		}
		return &Empty{}, nil
	}
	rec, err := s.st.GetRefreshToken(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !sameHash(rec.SecretHash, hash)) {
		return &Empty{}, nil
	}
	if err != nil {
		return nil, err
	}
	if rec.ClientID != client.ClientId {
		return nil, cognito.Errorf(cognito.Unauthorized, "The refresh token was not issued to client %s.", client.ClientId)
	}
	// [?] decision: the tokens a family minted while the client had token
	// revocation off carry no origin_jti (api.md §7.2), so revoking the
	// family later reaches the refresh token and what it mints from now
	// on, not those earlier access tokens, which live out their validity
	// (sign-outs, disabling and deletion still reach them).
	if err := s.st.RevokeRefreshToken(ctx, id); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}
