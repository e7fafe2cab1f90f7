package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// CreateUserPoolInput is the request of CreateUserPool.
type CreateUserPoolInput struct {
	PoolName string `json:"PoolName" aws:"required,len=1-128,pattern=[\\w\\s+=,.@-]+"`
	PoolSettings
	AliasAttributes       []string                       `json:"AliasAttributes"`
	UsernameAttributes    []string                       `json:"UsernameAttributes"`
	Schema                []cognito.SchemaAttribute      `json:"Schema" aws:"len=1-50"`
	UsernameConfiguration *cognito.UsernameConfiguration `json:"UsernameConfiguration"`
	UserPoolTier          string                         `json:"UserPoolTier" aws:"enum=LITE|ESSENTIALS|PLUS"`
}

// CreateUserPoolOutput is the response of CreateUserPool.
type CreateUserPoolOutput struct {
	UserPool cognito.UserPool `json:"UserPool"`
}

// CreateUserPool creates a pool with a fresh id and every default a real
// pool reports (api.md §2.2 A): password policy, sign-in policy, the 20
// standard attributes adjusted and extended by Schema, and so on. Nothing
// is stored unless the whole request is valid.
//
// Errors: InvalidParameterException for UsernameAttributes together with
// AliasAttributes, a bad Schema (see buildSchema), a bad LambdaConfig (see
// normalizeLambdaConfig), MfaConfiguration ON/OPTIONAL without
// SmsConfiguration, and any other invalid member.
func (s *Service) CreateUserPool(ctx context.Context, in *CreateUserPoolInput) (*CreateUserPoolOutput, error) {
	if in.PoolName == "" {
		return nil, cognito.ErrInvalidParameter("PoolName is required.")
	}
	if len(in.UsernameAttributes) > 0 && len(in.AliasAttributes) > 0 {
		return nil, cognito.ErrInvalidParameter("Only one of the following can be specified: UsernameAttributes, AliasAttributes.")
	}
	if err := checkEnumList("usernameAttributes", in.UsernameAttributes, "phone_number", "email"); err != nil {
		return nil, err
	}
	if err := checkEnumList("aliasAttributes", in.AliasAttributes, "phone_number", "email", "preferred_username"); err != nil {
		return nil, err
	}
	if in.UsernameConfiguration != nil && in.UsernameConfiguration.CaseSensitive == nil {
		return nil, cognito.ErrInvalidParameter("UsernameConfiguration.CaseSensitive is required.")
	}
	if (in.MfaConfiguration == "ON" || in.MfaConfiguration == "OPTIONAL") && !present(in.SmsConfiguration) {
		return nil, cognito.ErrInvalidParameter("SmsConfiguration is required when MfaConfiguration is %s; enable TOTP or email MFA with SetUserPoolMfaConfig.", in.MfaConfiguration)
	}
	if len(in.Schema) > 50 {
		return nil, cognito.ErrInvalidParameter("Schema can hold at most 50 attributes.")
	}
	schema, err := buildSchema(in.Schema)
	if err != nil {
		return nil, err
	}
	if cognito.Has(in.AliasAttributes, "preferred_username") {
		for _, a := range schema {
			if a.Name == "preferred_username" && a.Required != nil && *a.Required {
				return nil, cognito.ErrInvalidParameter("preferred_username cannot be both a required attribute and an alias.")
			}
		}
	}

	now := cognito.At(s.now())
	p := cognito.UserPool{
		Name:                  in.PoolName,
		Status:                "Enabled",
		CreationDate:          now,
		LastModifiedDate:      now,
		SchemaAttributes:      schema,
		AliasAttributes:       in.AliasAttributes,
		UsernameAttributes:    in.UsernameAttributes,
		UsernameConfiguration: in.UsernameConfiguration,
		UserPoolTier:          in.UserPoolTier,
	}
	if p.UserPoolTier == "" {
		p.UserPoolTier = "ESSENTIALS"
	}
	settings := in.PoolSettings
	if err := settings.apply(&p); err != nil {
		return nil, err
	}
	if err := checkTier(&p); err != nil {
		return nil, err
	}
	// The quota is checked before the pool is created, not with it: two
	// nodes creating the last pool at once may both succeed.
	if n, err := s.st.CountPools(ctx); err != nil {
		return nil, err
	} else if n >= s.maxPools {
		return nil, cognito.Errorf(cognito.LimitExceeded, "The maximum number of user pools (%d) has been reached for this account in this Region.", s.maxPools)
	}
	// A random id collides with negligible probability; retry a few times
	// rather than fail.
	for range 5 {
		p.Id = newPoolID(s.region)
		p.Arn = fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", s.region, s.acct, p.Id)
		err = s.st.CreatePool(ctx, p)
		if !errors.Is(err, store.ErrAlreadyExists) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create user pool: %w", err)
	}
	return &CreateUserPoolOutput{UserPool: p}, nil
}

// DescribeUserPoolInput is the request of DescribeUserPool.
type DescribeUserPoolInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
}

// DescribeUserPoolOutput is the response of DescribeUserPool.
type DescribeUserPoolOutput struct {
	UserPool cognito.UserPool `json:"UserPool"`
}

// DescribeUserPool returns the pool's configuration with
// EstimatedNumberOfUsers counted now. Errors: ResourceNotFoundException
// (`User pool <id> does not exist.`).
func (s *Service) DescribeUserPool(ctx context.Context, in *DescribeUserPoolInput) (*DescribeUserPoolOutput, error) {
	p, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	n, err := s.st.CountUsers(ctx, p.Id)
	if err != nil {
		return nil, fmt.Errorf("count users: %w", err)
	}
	p.EstimatedNumberOfUsers = n
	return &DescribeUserPoolOutput{UserPool: p}, nil
}

// UpdateUserPoolInput is the request of UpdateUserPool.
type UpdateUserPoolInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	PoolSettings
	PoolName     string `json:"PoolName" aws:"len=1-128,pattern=[\\w\\s+=,.@-]+"`
	UserPoolTier string `json:"UserPoolTier" aws:"enum=LITE|ESSENTIALS|PLUS"`
}

// UpdateUserPool replaces the pool's settable configuration: every member
// the request omits is reset to its CreateUserPool default (an omitted
// LambdaConfig removes every trigger). Id, Arn, CreationDate, the schema,
// UsernameAttributes, AliasAttributes and UsernameConfiguration never
// change. [?] PoolName and UserPoolTier are kept when omitted: they have no
// default to reset to, and a tier change is a billing decision that should
// not happen by omission.
//
// [?] MfaConfiguration ON/OPTIONAL without SmsConfiguration is refused only
// when it would turn MFA on (the pool has it OFF): a pool whose MFA was
// enabled with TOTP through SetUserPoolMfaConfig keeps working when tools
// resend its configuration.
//
// Errors: ResourceNotFoundException; InvalidParameterException as in
// CreateUserPool.
func (s *Service) UpdateUserPool(ctx context.Context, in *UpdateUserPoolInput) (*Empty, error) {
	settings := in.PoolSettings
	now := cognito.At(s.now())
	err := s.st.UpdatePool(ctx, in.UserPoolId, func(p *cognito.UserPool) error {
		mfaOn := in.MfaConfiguration == "ON" || in.MfaConfiguration == "OPTIONAL"
		if mfaOn && !present(in.SmsConfiguration) && (p.MfaConfiguration == "" || p.MfaConfiguration == "OFF") {
			return cognito.ErrInvalidParameter("SmsConfiguration is required when MfaConfiguration is %s; enable TOTP or email MFA with SetUserPoolMfaConfig.", in.MfaConfiguration)
		}
		if err := settings.apply(p); err != nil {
			return err
		}
		if in.PoolName != "" {
			p.Name = in.PoolName
		}
		if in.UserPoolTier != "" {
			p.UserPoolTier = in.UserPoolTier
		}
		if err := checkTier(p); err != nil {
			return err
		}
		p.LastModifiedDate = now
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ErrPoolNotFound(in.UserPoolId)
	}
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// DefaultMaxUserPools is AWS's default quota of user pools per account and
// Region (api.md §9).
const DefaultMaxUserPools = 1000

// checkTier refuses settings the pool's feature plan lacks: password
// history needs ESSENTIALS or PLUS.
func checkTier(p *cognito.UserPool) error {
	if p.UserPoolTier == "LITE" && historySize(p) > 0 {
		return cognito.Errorf(cognito.FeatureUnavailableInTier, "PasswordHistorySize is not available in the LITE tier; choose ESSENTIALS or PLUS.")
	}
	return nil
}

// DeleteUserPoolInput is the request of DeleteUserPool.
type DeleteUserPoolInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
}

// DeleteUserPool deletes the pool and everything in it (clients, users,
// groups, codes, tokens, keys) in one store operation. Errors:
// ResourceNotFoundException; InvalidParameterException while
// DeletionProtection is ACTIVE.
func (s *Service) DeleteUserPool(ctx context.Context, in *DeleteUserPoolInput) (*Empty, error) {
	err := s.st.Tx(ctx, func(st store.Store) error {
		p, err := st.GetPool(ctx, in.UserPoolId)
		if err != nil {
			return err
		}
		if p.DeletionProtection == "ACTIVE" {
			return cognito.ErrInvalidParameter("The user pool %s cannot be deleted because deletion protection is activated.", p.Id)
		}
		return st.DeletePool(ctx, p.Id)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, cognito.ErrPoolNotFound(in.UserPoolId)
	}
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListUserPoolsInput is the request of ListUserPools.
type ListUserPoolsInput struct {
	NextToken  string `json:"NextToken"`
	MaxResults *int   `json:"MaxResults" aws:"required,range=1-60"`
}

// ListUserPoolsOutput is the response of ListUserPools.
type ListUserPoolsOutput struct {
	UserPools []UserPoolDescription `json:"UserPools"`
	NextToken string                `json:"NextToken,omitempty"`
}

// UserPoolDescription is UserPoolDescriptionType.
type UserPoolDescription struct {
	Id               string                `json:"Id"`
	Name             string                `json:"Name"`
	LambdaConfig     *cognito.LambdaConfig `json:"LambdaConfig,omitempty"`
	Status           string                `json:"Status,omitempty"`
	LastModifiedDate cognito.Timestamp     `json:"LastModifiedDate"`
	CreationDate     cognito.Timestamp     `json:"CreationDate"`
}

// ListUserPools lists pools ordered by id, MaxResults (required, 1–60) at a
// time; NextToken is absent on the last page. Errors:
// InvalidParameterException for a missing or out-of-range MaxResults or a
// bad NextToken.
func (s *Service) ListUserPools(ctx context.Context, in *ListUserPoolsInput) (*ListUserPoolsOutput, error) {
	if in.MaxResults == nil || *in.MaxResults < 1 || *in.MaxResults > 60 {
		return nil, cognito.ErrInvalidParameter("MaxResults must be between 1 and 60.")
	}
	pg, page, err := s.pageRequest("ListUserPools", 0, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	pools, err := s.st.ListPools(ctx, page)
	if err != nil {
		return nil, fmt.Errorf("list pools: %w", err)
	}
	pools, next := pageResult(pg, pools, func(p *cognito.UserPool) string { return p.Id })
	out := &ListUserPoolsOutput{UserPools: make([]UserPoolDescription, 0, len(pools)), NextToken: next}
	for _, p := range pools {
		lc := p.LambdaConfig
		if lc == nil {
			lc = &cognito.LambdaConfig{}
		}
		out.UserPools = append(out.UserPools, UserPoolDescription{
			Id: p.Id, Name: p.Name, LambdaConfig: lc, Status: p.Status,
			LastModifiedDate: p.LastModifiedDate, CreationDate: p.CreationDate,
		})
	}
	return out, nil
}
