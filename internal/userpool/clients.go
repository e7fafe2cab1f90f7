package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// CreateUserPoolClientInput is the request of CreateUserPoolClient.
type CreateUserPoolClientInput struct {
	UserPoolId     string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	ClientName     string `json:"ClientName" aws:"required,len=1-128,pattern=[\\w\\s+=,.@-]+"`
	GenerateSecret *bool  `json:"GenerateSecret"`
	ClientSecret   string `json:"ClientSecret" aws:"len=24-64,sensitive,pattern=[\\w+]+"`
	ClientSettings
}

// UserPoolClientOutput is the response of CreateUserPoolClient,
// DescribeUserPoolClient and UpdateUserPoolClient.
type UserPoolClientOutput struct {
	UserPoolClient cognito.UserPoolClient `json:"UserPoolClient"`
}

// CreateUserPoolClient creates an app client with a fresh 26-character id
// and the API's defaults for every omitted member (ClientSettings.apply).
// With GenerateSecret the client gets a 51-character secret; a ClientSecret
// given instead is used as is. The secret is sealed at rest and returned in
// clear.
//
// Errors: ResourceNotFoundException for an unknown pool;
// InvalidParameterException for ClientSecret with GenerateSecret and every
// invalid member; InvalidOAuthFlowException and ScopeDoesNotExistException
// for bad OAuth settings (api.md §8.9).
func (s *Service) CreateUserPoolClient(ctx context.Context, in *CreateUserPoolClientInput) (*UserPoolClientOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if in.ClientName == "" {
		return nil, cognito.ErrInvalidParameter("ClientName is required.")
	}
	generate := in.GenerateSecret != nil && *in.GenerateSecret
	if generate && in.ClientSecret != "" {
		return nil, cognito.ErrInvalidParameter("ClientSecret cannot be specified when GenerateSecret is true.")
	}
	secret := in.ClientSecret
	if generate {
		secret = newClientSecret()
	}
	now := cognito.At(s.now())
	c := cognito.UserPoolClient{UserPoolId: pool.Id, ClientName: in.ClientName, CreationDate: now, LastModifiedDate: now}
	cs := in.ClientSettings
	if err := cs.apply(&pool, &c, secret != "", "creating"); err != nil {
		return nil, err
	}
	for range 5 {
		c.ClientId = newClientID()
		stored := c
		if secret != "" {
			stored.SecretSealed = s.sealer.Seal([]byte(secret), "client-secret:"+c.ClientId)
		}
		err = s.st.CreateClient(ctx, stored)
		if !errors.Is(err, store.ErrAlreadyExists) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create client: %w", err)
	}
	c.ClientSecret = secret
	return &UserPoolClientOutput{UserPoolClient: c}, nil
}

// DescribeUserPoolClientInput is the request of DescribeUserPoolClient and
// DeleteUserPoolClient.
type DescribeUserPoolClientInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	ClientId   string `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
}

// DescribeUserPoolClient returns the client, ClientSecret included.
// Errors: ResourceNotFoundException (`User pool client <id> does not
// exist.`) when the client is unknown or belongs to another pool.
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *DescribeUserPoolClientInput) (*UserPoolClientOutput, error) {
	c, err := s.poolClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &UserPoolClientOutput{UserPoolClient: c}, nil
}

// UpdateUserPoolClientInput is the request of UpdateUserPoolClient.
type UpdateUserPoolClientInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	ClientId   string `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	ClientName string `json:"ClientName" aws:"len=1-128,pattern=[\\w\\s+=,.@-]+"`
	ClientSettings
}

// UpdateUserPoolClient replaces the client's settings: every member the
// request omits returns to its CreateUserPoolClient default. ClientName is
// kept when omitted (it has no default); the secret never changes.
// Errors: as CreateUserPoolClient, and ResourceNotFoundException for an
// unknown client or one of another pool.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *UpdateUserPoolClientInput) (*UserPoolClientOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	cs := in.ClientSettings
	now := cognito.At(s.now())
	err = s.st.UpdateClient(ctx, in.ClientId, func(c *cognito.UserPoolClient) error {
		if c.UserPoolId != pool.Id {
			return cognito.ErrClientNotFound(in.ClientId)
		}
		if err := cs.apply(&pool, c, len(c.SecretSealed) > 0, "updating"); err != nil {
			return err
		}
		if in.ClientName != "" {
			c.ClientName = in.ClientName
		}
		c.LastModifiedDate = now
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ErrClientNotFound(in.ClientId)
	}
	if err != nil {
		return nil, err
	}
	c, err := s.poolClient(ctx, pool.Id, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &UserPoolClientOutput{UserPoolClient: c}, nil
}

// DeleteUserPoolClient deletes the client. Errors: ResourceNotFoundException
// for an unknown client or one of another pool.
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *DescribeUserPoolClientInput) (*Empty, error) {
	err := s.st.Tx(ctx, func(st store.Store) error {
		c, err := st.GetClient(ctx, in.ClientId)
		if err != nil {
			return err
		}
		if c.UserPoolId != in.UserPoolId {
			return store.ErrNotFound
		}
		return st.DeleteClient(ctx, c.ClientId)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ErrClientNotFound(in.ClientId)
	}
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListUserPoolClientsInput is the request of ListUserPoolClients.
type ListUserPoolClientsInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	MaxResults *int   `json:"MaxResults" aws:"range=1-60"`
	NextToken  string `json:"NextToken"`
}

// ListUserPoolClientsOutput is the response of ListUserPoolClients.
type ListUserPoolClientsOutput struct {
	UserPoolClients []UserPoolClientDescription `json:"UserPoolClients"`
	NextToken       string                      `json:"NextToken,omitempty"`
}

// UserPoolClientDescription is UserPoolClientDescription.
type UserPoolClientDescription struct {
	ClientId   string `json:"ClientId"`
	UserPoolId string `json:"UserPoolId"`
	ClientName string `json:"ClientName"`
}

// ListUserPoolClients lists the pool's clients ordered by client id,
// MaxResults (1–60, default 60) at a time; NextToken is absent on the last
// page. Errors: ResourceNotFoundException; InvalidParameterException for a
// bad NextToken.
func (s *Service) ListUserPoolClients(ctx context.Context, in *ListUserPoolClientsInput) (*ListUserPoolClientsOutput, error) {
	pool, pg, page, err := s.poolPage(ctx, "ListUserPoolClients", in.UserPoolId, "", in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	clients, err := s.st.ListClients(ctx, pool.Id, page)
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	clients, next := pageResult(pg, clients, func(c *cognito.UserPoolClient) string { return c.ClientId })
	out := &ListUserPoolClientsOutput{UserPoolClients: make([]UserPoolClientDescription, 0, len(clients)), NextToken: next}
	for _, c := range clients {
		out.UserPoolClients = append(out.UserPoolClients, UserPoolClientDescription{ClientId: c.ClientId, UserPoolId: c.UserPoolId, ClientName: c.ClientName})
	}
	return out, nil
}

// client loads an app client by id with its ClientSecret unsealed.
// Errors: ResourceNotFoundException (`User pool client <id> does not
// exist.`) when there is none.
func (s *Service) client(ctx context.Context, clientID string) (cognito.UserPoolClient, error) {
	c, err := s.st.GetClient(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return c, cognito.ErrClientNotFound(clientID)
	}
	if err != nil {
		return c, err
	}
	if len(c.SecretSealed) > 0 {
		secret, err := s.sealer.Open(c.SecretSealed, "client-secret:"+c.ClientId)
		if err != nil {
			return c, fmt.Errorf("client %s: open secret: %w", c.ClientId, err)
		}
		c.ClientSecret = string(secret)
	}
	return c, nil
}

// poolClient is client for a client that must belong to pool poolID: a
// client of another pool is reported as not existing. It does not look the
// pool up (a deleted pool has no clients).
func (s *Service) poolClient(ctx context.Context, poolID, clientID string) (cognito.UserPoolClient, error) {
	c, err := s.client(ctx, clientID)
	if err != nil {
		return c, err
	}
	if c.UserPoolId != poolID {
		return cognito.UserPoolClient{}, cognito.ErrClientNotFound(clientID)
	}
	return c, nil
}

// Token lifetimes of a client, honouring TokenValidityUnits. A stored
// client always carries both values and units; the fallbacks reproduce the
// API defaults for records that do not.
