package userpool

import (
	"context"
	"errors"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// AdminUpdateUserAttributesInput is the AdminUpdateUserAttributes request.
type AdminUpdateUserAttributesInput struct {
	UserPoolId     string            `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Username       string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	UserAttributes []AttributeType   `json:"UserAttributes" aws:"required"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// AdminUpdateUserAttributes changes attributes as an administrator.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *AdminUpdateUserAttributesInput) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if _, err := s.updateAttributes(ctx, &pool, &u, in.UserAttributes, attrWrite{admin: true}, in.ClientMetadata, nil); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// updateAttributes applies an attribute update (api.md §3.7): empty values
// delete; a changed email / phone number becomes unverified unless the same
// request sets its *_verified flag, and when the attribute is auto-verified a
// code goes to the new value. With AttributesRequireVerificationBeforeUpdate
// the new value waits in Pending until VerifyUserAttribute. When also is
// not nil it makes further changes to the user in the same write (and may
// refuse it).
func (s *Service) updateAttributes(ctx context.Context, pool *cognito.UserPool, u *cognito.User, attrs []AttributeType, w attrWrite, meta map[string]string, also func(*cognito.User) error) ([]*CodeDeliveryDetails, error) {
	if err := checkAttributes(pool, attrs, w); err != nil {
		return nil, err
	}
	req := attrsToMap(attrs)
	clientID := ""
	if w.client != nil {
		clientID = w.client.ClientId
	}
	// Codes go to each new email / phone number of an auto-verified
	// attribute that the request does not mark verified itself; the
	// messages are composed (custom message trigger) before the transaction.
	var msgs []outgoing
	for _, a := range attrs {
		if (a.Name != "email" && a.Name != "phone_number") || a.Value == "" || u.Attributes[a.Name] == a.Value ||
			req[a.Name+"_verified"] == "true" || !cognito.Has(pool.AutoVerifiedAttributes, a.Name) {
			continue
		}
		d, _ := deliveryFor(&cognito.User{Attributes: map[string]string{a.Name: a.Value}}, a.Name)
		o, err := s.compose(ctx, pool, clientID, u, d, actionUpdateUserAttribute, newCode(), meta)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, o)
	}
	// A pending verification code belongs to the value it was sent to: a
	// changed or deleted email / phone number invalidates it.
	var stale []string
	for _, a := range attrs {
		if (a.Name == "email" || a.Name == "phone_number") && u.Attributes[a.Name] != a.Value {
			stale = append(stale, a.Name)
		}
	}
	var details []*CodeDeliveryDetails
	err := s.st.Tx(ctx, func(st store.Store) error {
		details = nil
		for _, name := range stale {
			if err := st.DeleteCode(ctx, pool.Id, u.Username, cognito.CodeVerifyPrefix+name); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		err := s.updateUser(ctx, st, pool, u.Username, false, func(x *cognito.User) error {
			if x.Attributes == nil {
				x.Attributes = map[string]string{}
			}
			for _, a := range attrs {
				if a.Value == "" {
					delete(x.Attributes, a.Name)
					delete(x.Pending, a.Name)
					continue
				}
				if a.Name != "email" && a.Name != "phone_number" {
					x.Attributes[a.Name] = a.Value
					continue
				}
				if x.Attributes[a.Name] == a.Value {
					continue
				}
				if req[a.Name+"_verified"] == "true" {
					x.Attributes[a.Name] = a.Value
					delete(x.Pending, a.Name)
					continue
				}
				auto := cognito.Has(pool.AutoVerifiedAttributes, a.Name)
				if auto && pool.UserAttributeUpdateSettings != nil && cognito.Has(pool.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate, a.Name) && x.Attributes[a.Name] != "" {
					if x.Pending == nil {
						x.Pending = map[string]string{}
					}
					x.Pending[a.Name] = a.Value
				} else {
					x.Attributes[a.Name] = a.Value
					x.Attributes[a.Name+"_verified"] = "false"
				}
			}
			if also != nil {
				if err := also(x); err != nil {
					return err
				}
			}
			*u = x.Clone()
			return nil
		})
		if err != nil {
			return err
		}
		for _, o := range msgs {
			det, err := s.sendCode(ctx, st, pool, u, cognito.CodeVerifyPrefix+o.d.attr, verifyCodeTTL, o)
			if err != nil {
				return err
			}
			details = append(details, det)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, o := range msgs {
		s.sent(ctx, pool, clientID, u, o, meta)
	}
	return details, nil
}

// AdminDeleteUserAttributesInput is the AdminDeleteUserAttributes request.
type AdminDeleteUserAttributesInput struct {
	UserPoolId         string   `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Username           string   `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	UserAttributeNames []string `json:"UserAttributeNames" aws:"required"`
}

// AdminDeleteUserAttributes removes attributes (not sub, not required ones).
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *AdminDeleteUserAttributesInput) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.deleteAttributes(ctx, &pool, &u, in.UserAttributeNames, attrWrite{admin: true}); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func (s *Service) deleteAttributes(ctx context.Context, pool *cognito.UserPool, u *cognito.User, names []string, w attrWrite) error {
	list := make([]AttributeType, len(names))
	for i, n := range names {
		if def, ok := pool.Schema(n); ok && def.Required != nil && *def.Required {
			return schemaError(n, "The attribute is required")
		}
		list[i] = AttributeType{Name: n}
	}
	if err := checkAttributes(pool, list, w); err != nil {
		return err
	}
	return s.st.Tx(ctx, func(st store.Store) error {
		for _, n := range names {
			// A verification code for a deleted email / phone number dies with it.
			if n == "email" || n == "phone_number" {
				if err := st.DeleteCode(ctx, pool.Id, u.Username, cognito.CodeVerifyPrefix+n); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
		return s.updateUser(ctx, st, pool, u.Username, false, func(x *cognito.User) error {
			for _, n := range names {
				delete(x.Attributes, n)
				delete(x.Pending, n)
				if n == "email" || n == "phone_number" {
					delete(x.Attributes, n+"_verified")
				}
			}
			return nil
		})
	})
}
