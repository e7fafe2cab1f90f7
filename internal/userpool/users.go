package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// findUser resolves a Username input (api.md §3.1): the username itself,
// then the sub, then an active alias or username-attribute value. It
// returns UserNotFoundException "User does not exist." when nothing matches.
func (s *Service) findUser(ctx context.Context, pool *cognito.UserPool, username string) (cognito.User, error) {
	return s.findUserIn(ctx, s.st, pool, username)
}

func (s *Service) findUserIn(ctx context.Context, st store.Store, pool *cognito.UserPool, username string) (cognito.User, error) {
	u, err := st.GetUser(ctx, pool.Id, usernameKey(pool, username))
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	if u, err := st.GetUserBySub(ctx, pool.Id, strings.ToLower(username)); err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	kinds := append(append([]string(nil), pool.UsernameAttributes...), pool.AliasAttributes...)
	for _, kind := range kinds {
		u, err := st.GetUserByAlias(ctx, pool.Id, kind, normalise(pool, kind, username))
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
	}
	return cognito.User{}, cognito.ErrUserNotFound()
}

// lookupKeys are the keys findUserIn tries for name, each tagged with what
// it is looked up as; two names that share one would find the same user.
func lookupKeys(pool *cognito.UserPool, name string) []string {
	keys := []string{"username:" + usernameKey(pool, name)}
	if _, err := uuid.Parse(name); err == nil { // only a UUID can be a sub
		keys = append(keys, "sub:"+strings.ToLower(name))
	}
	for _, kind := range append(append([]string(nil), pool.UsernameAttributes...), pool.AliasAttributes...) {
		keys = append(keys, kind+":"+normalise(pool, kind, name))
	}
	return keys
}

// sameLookup reports whether name would find what any of names finds.
func sameLookup(pool *cognito.UserPool, name string, names ...string) bool {
	for _, k := range lookupKeys(pool, name) {
		for _, n := range names {
			if slices.Contains(lookupKeys(pool, n), k) {
				return true
			}
		}
	}
	return false
}

// userExists reports whether name resolves to a user of the pool (in st);
// errors other than "not found" are returned, never taken for absence.
func (s *Service) userExists(ctx context.Context, st store.Store, pool *cognito.UserPool, name string) (bool, error) {
	_, err := s.findUserIn(ctx, st, pool, name)
	switch {
	case err == nil:
		return true, nil
	case cognito.ErrorCode(err) == cognito.UserNotFound:
		return false, nil
	}
	return false, err
}

// userStoreError maps store errors of user writes to Cognito errors.
func userStoreError(pool *cognito.UserPool, err error) error {
	var alias *store.AliasExistsError
	switch {
	case errors.As(err, &alias):
		if cognito.Has(pool.UsernameAttributes, alias.Kind) {
			return cognito.Errorf(cognito.UsernameExists, "An account with the given %s already exists.", aliasWord(alias.Kind))
		}
		return cognito.Errorf(cognito.AliasExists, "An account with the %s already exists.", aliasWord(alias.Kind))
	case errors.Is(err, store.ErrNotFound):
		return cognito.ErrUserNotFound()
	case errors.Is(err, store.ErrAlreadyExists):
		return cognito.Errorf(cognito.UsernameExists, "User already exists")
	}
	return err
}

func aliasWord(kind string) string {
	if kind == "phone_number" {
		return "phone_number"
	}
	return kind
}

// updateUser changes a user in st, recomputing its aliases and modification
// time. With force, an alias held by another user moves to this one (the
// other user's attribute becomes unverified), as ForceAliasCreation does.
func (s *Service) updateUser(ctx context.Context, st store.Store, pool *cognito.UserPool, username string, force bool, fn func(u *cognito.User) error) error {
	apply := func(u *cognito.User) error {
		if err := fn(u); err != nil {
			return err
		}
		u.Aliases = aliasesOf(pool, u)
		u.Modified = s.now()
		return nil
	}
	err := st.UpdateUser(ctx, pool.Id, username, apply)
	var alias *store.AliasExistsError
	if errors.As(err, &alias) && cognito.Has(pool.UsernameAttributes, alias.Kind) {
		// Another user signs in with this email or phone number: on an
		// update that is an alias conflict (the operations that update have
		// no UsernameExistsException), and ForceAliasCreation cannot move it.
		return cognito.Errorf(cognito.AliasExists, "An account with the given %s already exists.", aliasWord(alias.Kind))
	}
	if force && errors.As(err, &alias) && alias.Kind != "preferred_username" {
		if err := s.releaseAlias(ctx, st, pool, alias); err != nil {
			return err
		}
		err = st.UpdateUser(ctx, pool.Id, username, apply)
	}
	if err != nil {
		return userStoreError(pool, err)
	}
	return nil
}

// releaseAlias takes an alias away from its holder by marking the
// attribute unverified.
func (s *Service) releaseAlias(ctx context.Context, st store.Store, pool *cognito.UserPool, alias *store.AliasExistsError) error {
	return st.UpdateUser(ctx, pool.Id, alias.Username, func(o *cognito.User) error {
		o.Attributes[alias.Kind+"_verified"] = "false"
		o.Aliases = aliasesOf(pool, o)
		o.Modified = s.now()
		return nil
	})
}

// createUser stores a new user, mapping uniqueness failures.
func (s *Service) createUser(ctx context.Context, st store.Store, pool *cognito.UserPool, u *cognito.User, force bool) error {
	u.Aliases = aliasesOf(pool, u)
	err := st.CreateUser(ctx, *u)
	var alias *store.AliasExistsError
	if force && errors.As(err, &alias) && alias.Kind != "preferred_username" && !cognito.Has(pool.UsernameAttributes, alias.Kind) {
		if err := s.releaseAlias(ctx, st, pool, alias); err != nil {
			return err
		}
		err = st.CreateUser(ctx, *u)
	}
	if err != nil {
		return userStoreError(pool, err)
	}
	return nil
}

// newUsername validates a Username input for a new user and returns the
// canonical username and the attributes it implies (api.md §3.1): in
// username-attribute pools the value goes into email / phone_number and the
// username becomes the sub; in alias pools it must not look like an alias.
func newUsername(pool *cognito.UserPool, username, sub string, attrs map[string]string) (string, error) {
	if len(pool.UsernameAttributes) > 0 {
		isEmail := emailRE.MatchString(username)
		isPhone := phoneRE.MatchString(username)
		switch {
		case isEmail && cognito.Has(pool.UsernameAttributes, "email"):
			attrs["email"] = username
		case isPhone && cognito.Has(pool.UsernameAttributes, "phone_number"):
			attrs["phone_number"] = username
		case len(pool.UsernameAttributes) == 2:
			return "", cognito.ErrInvalidParameter("Username should be either an email or a phone number.")
		case pool.UsernameAttributes[0] == "email":
			return "", cognito.ErrInvalidParameter("Username should be an email.")
		default:
			return "", cognito.ErrInvalidParameter("Username should be a phone number.")
		}
		return sub, nil
	}
	if cognito.Has(pool.AliasAttributes, "email") && emailRE.MatchString(username) {
		return "", cognito.ErrInvalidParameter("Username cannot be of email format, since user pool is configured for email alias.")
	}
	if cognito.Has(pool.AliasAttributes, "phone_number") && phoneRE.MatchString(username) {
		return "", cognito.ErrInvalidParameter("Username cannot be of phone number format, since user pool is configured for phone number alias.")
	}
	if strings.IndexFunc(username, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }) >= 0 {
		return "", cognito.ErrInvalidParameter("Username must not contain whitespace.")
	}
	return usernameKey(pool, username), nil
}

// usernameKey is name as the pool keys usernames.
// [?] decision: case-insensitive pools store the username lower-cased, so
// the SRP verifier (computed over USER_ID_FOR_SRP) is stable whatever case
// the user types.
func usernameKey(pool *cognito.UserPool, name string) string {
	if pool.CaseSensitive() {
		return name
	}
	return strings.ToLower(name)
}

// AdminGetUserInput is the AdminGetUser request.
type AdminGetUserInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Username   string `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
}

// AdminGetUserOutput is the AdminGetUser response.
type AdminGetUserOutput struct {
	Username             string            `json:"Username"`
	UserAttributes       []AttributeType   `json:"UserAttributes"`
	UserCreateDate       cognito.Timestamp `json:"UserCreateDate"`
	UserLastModifiedDate cognito.Timestamp `json:"UserLastModifiedDate"`
	Enabled              bool              `json:"Enabled"`
	UserStatus           string            `json:"UserStatus"`
	UserMFASettingList   []string          `json:"UserMFASettingList,omitempty"`
	PreferredMfaSetting  string            `json:"PreferredMfaSetting,omitempty"`
}

// AdminGetUser returns a user and all its attributes.
func (s *Service) AdminGetUser(ctx context.Context, in *AdminGetUserInput) (*AdminGetUserOutput, error) {
	pool, err := s.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, &pool, in.Username)
	if err != nil {
		return nil, err
	}
	return &AdminGetUserOutput{
		Username: u.Username, UserAttributes: attributeList(&u, nil),
		UserCreateDate: cognito.At(u.Created), UserLastModifiedDate: cognito.At(u.Modified),
		Enabled: u.Enabled, UserStatus: u.Status,
	}, nil
}

// poolUser loads the pool and resolves the user of an admin request.
func (s *Service) poolUser(ctx context.Context, poolID, username string) (cognito.UserPool, cognito.User, error) {
	pool, err := s.pool(ctx, poolID)
	if err != nil {
		return pool, cognito.User{}, err
	}
	u, err := s.findUser(ctx, &pool, username)
	return pool, u, err
}

// AdminUserInput is the request of the admin operations that name a user
// and nothing else.
type AdminUserInput struct {
	UserPoolId     string            `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	Username       string            `json:"Username" aws:"required,len=1-128,sensitive,pattern=[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// Empty is the output of operations whose response has no members.
type Empty struct{}

// AdminDeleteUser deletes a user, its memberships, codes and refresh tokens.
func (s *Service) AdminDeleteUser(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.st.DeleteUser(ctx, pool.Id, u.Username); err != nil {
		return nil, userStoreError(&pool, err)
	}
	return &Empty{}, nil
}

// AdminDisableUser and AdminEnableUser flip Enabled. Disabling revokes the
// user's refresh tokens' use while disabled (checked at refresh and on
// every access-token call).
func (s *Service) AdminDisableUser(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	return s.setEnabled(ctx, in, false)
}

func (s *Service) AdminEnableUser(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	return s.setEnabled(ctx, in, true)
}

func (s *Service) setEnabled(ctx context.Context, in *AdminUserInput, enabled bool) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	err = s.updateUser(ctx, s.st, &pool, u.Username, false, func(u *cognito.User) error {
		if u.Enabled && !enabled {
			// Disabling revokes the access tokens issued so far, for good:
			// enabling the user again does not bring them back. Refresh
			// tokens are refused only while the user is disabled.
			u.TokensValidAfter = s.now()
		}
		u.Enabled = enabled
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// AdminConfirmSignUp confirms an UNCONFIRMED user without a code; it does
// not verify any attribute.
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	err = s.updateUser(ctx, s.st, &pool, u.Username, false, func(u *cognito.User) error {
		if u.Status != cognito.StatusUnconfirmed {
			return cognito.Errorf(cognito.NotAuthorized, "User cannot confirm because user status is not UNCONFIRMED.")
		}
		u.Status = cognito.StatusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.st.DeleteCode(ctx, pool.Id, u.Username, cognito.CodeSignUp); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err := s.postConfirmation(ctx, &pool, "", u.Username, "PostConfirmation_ConfirmSignUp", in.ClientMetadata); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// AdminUserGlobalSignOut revokes every refresh token of the user and every
// access token issued before the call.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *AdminUserInput) (*Empty, error) {
	pool, u, err := s.poolUser(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	return &Empty{}, s.signOut(ctx, &pool, u.Username)
}

func (s *Service) signOut(ctx context.Context, pool *cognito.UserPool, username string) error {
	return s.st.Tx(ctx, func(st store.Store) error {
		if err := st.RevokeUserRefreshTokens(ctx, pool.Id, username); err != nil {
			return err
		}
		return s.updateUser(ctx, st, pool, username, false, func(u *cognito.User) error {
			u.TokensValidAfter = s.now()
			return nil
		})
	})
}
