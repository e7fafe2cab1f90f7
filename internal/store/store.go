// Package store defines how tarn keeps its state: the Store interface, its
// sentinel errors, and (in storetest) the conformance suite every backend
// passes. It knows the domain types of package cognito and nothing of SQL,
// HTTP or the flows.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// Sentinel errors. Backends wrap nothing else into them; callers test with
// errors.Is.
var (
	// ErrNotFound: the named record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists: a record with the same key exists (pool id, client
	// id, username or sub in a pool, group name in a pool).
	ErrAlreadyExists = errors.New("store: already exists")
)

// AliasExistsError is returned by CreateUser and UpdateUser when one of the
// user's Aliases is already held by another user of the pool.
type AliasExistsError struct {
	Kind     string // "email", "phone_number", "preferred_username"
	Username string // the user holding it
}

func (e *AliasExistsError) Error() string { return "store: alias " + e.Kind + " held by " + e.Username }

// Page asks for one page of a listing: items strictly after After in the
// listing's order, at most Limit of them (Limit > 0).
type Page struct {
	After string
	Limit int
}

// UserFilter selects users in ListUsers. Attr is one of the searchable
// attributes: "username", "email", "phone_number", "name", "given_name",
// "family_name", "preferred_username", "cognito:user_status", "status",
// "sub". Prefix selects "starts with" rather than equality. Comparison is
// case-sensitive for "username" (in case-sensitive pools), "status" and "sub";
// case-insensitive for the others. "status" compares against "Enabled" /
// "Disabled".
type UserFilter struct {
	Attr   string
	Value  string
	Prefix bool
}

// MessageFilter selects outbox messages; empty fields match everything.
type MessageFilter struct {
	PoolID   string
	Username string
}

// InvocationFilter selects recorded trigger invocations; empty fields match
// everything.
type InvocationFilter struct {
	PoolID  string
	Trigger string
}

// Store keeps tarn's state. Every method is safe for concurrent use, by one
// process or by several processes sharing the same database.
//
// Update methods take a closure that receives the current record and changes
// it in place; the backend runs read, closure and write in one transaction,
// so concurrent updates never lose each other's changes. If the closure
// returns an error, nothing is written and that error is returned as is.
// A closure may run more than once (serialization retries), so it must not
// have side effects outside the record.
type Store interface {
	// Tx runs fn with a Store whose every call is part of one transaction,
	// committed when fn returns nil and rolled back otherwise (fn's error is
	// returned as is). Serialization failures are retried, so fn may run
	// more than once. Calling Tx on the Store passed to fn runs fn in the
	// same transaction.
	Tx(ctx context.Context, fn func(s Store) error) error

	// User pools. ListPools orders by pool id.
	CreatePool(ctx context.Context, p cognito.UserPool) error
	GetPool(ctx context.Context, id string) (cognito.UserPool, error)
	ListPools(ctx context.Context, page Page) ([]cognito.UserPool, error)
	UpdatePool(ctx context.Context, id string, fn func(p *cognito.UserPool) error) error
	// DeletePool removes the pool and everything in it: clients, users,
	// groups, memberships, codes, refresh tokens, keys. Outbox messages stay.
	DeletePool(ctx context.Context, id string) error
	// CountPools counts the pools; CountGroups a pool's groups.
	CountPools(ctx context.Context) (int, error)
	CountGroups(ctx context.Context, poolID string) (int, error)
	// CountUsers counts the pool's users.
	CountUsers(ctx context.Context, poolID string) (int, error)

	// App clients, keyed by client id (unique across pools). ListClients
	// orders by client id.
	CreateClient(ctx context.Context, c cognito.UserPoolClient) error
	GetClient(ctx context.Context, clientID string) (cognito.UserPoolClient, error)
	ListClients(ctx context.Context, poolID string, page Page) ([]cognito.UserPoolClient, error)
	UpdateClient(ctx context.Context, clientID string, fn func(c *cognito.UserPoolClient) error) error
	DeleteClient(ctx context.Context, clientID string) error

	// Users, keyed by (pool, username). Usernames compare exactly (the
	// flows store them lower-cased in case-insensitive pools). Sub is unique
	// per pool. CreateUser fails with ErrAlreadyExists when the username key or sub is
	// taken and with *AliasExistsError when an alias is.
	CreateUser(ctx context.Context, u cognito.User) error
	// GetUser finds a user by its canonical username.
	GetUser(ctx context.Context, poolID, username string) (cognito.User, error)
	GetUserBySub(ctx context.Context, poolID, sub string) (cognito.User, error)
	// GetUserByAlias finds the user holding the alias kind=value (value in
	// its normalised form, as stored in User.Aliases).
	GetUserByAlias(ctx context.Context, poolID, kind, value string) (cognito.User, error)
	// UpdateUser may change anything but PoolID and Username (and Sub);
	// alias uniqueness is checked as in CreateUser.
	UpdateUser(ctx context.Context, poolID, username string, fn func(u *cognito.User) error) error
	// DeleteUser removes the user, its group memberships, codes and refresh
	// tokens.
	DeleteUser(ctx context.Context, poolID, username string) error
	// ListUsers lists users ordered by username; Page.After is the last
	// username of the previous page. The cost of a page does not grow
	// with the size of the pool when no filter is given.
	ListUsers(ctx context.Context, poolID string, f *UserFilter, page Page) ([]cognito.User, error)

	// Groups, keyed by (pool, name); listings ordered by group name.
	CreateGroup(ctx context.Context, g cognito.Group) error
	GetGroup(ctx context.Context, poolID, name string) (cognito.Group, error)
	ListGroups(ctx context.Context, poolID string, page Page) ([]cognito.Group, error)
	UpdateGroup(ctx context.Context, poolID, name string, fn func(g *cognito.Group) error) error
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// AddUserToGroup and RemoveUserFromGroup are idempotent. They do not
	// check that the user or group exists.
	AddUserToGroup(ctx context.Context, poolID, username, group string) error
	RemoveUserFromGroup(ctx context.Context, poolID, username, group string) error
	// ListGroupsForUser returns the user's groups ordered by group name
	// (all of them when page.Limit is 0).
	ListGroupsForUser(ctx context.Context, poolID, username string, page Page) ([]cognito.Group, error)
	// ListUsersInGroup returns members ordered by username.
	ListUsersInGroup(ctx context.Context, poolID, group string, page Page) ([]cognito.User, error)

	// Codes, one per (pool, username, purpose): PutCode replaces any
	// earlier code for the same purpose.
	PutCode(ctx context.Context, c cognito.Code) error
	GetCode(ctx context.Context, poolID, username, purpose string) (cognito.Code, error)
	UpdateCode(ctx context.Context, poolID, username, purpose string, fn func(c *cognito.Code) error) error
	DeleteCode(ctx context.Context, poolID, username, purpose string) error

	// Refresh tokens, keyed by ID (the origin_jti).
	CreateRefreshToken(ctx context.Context, t cognito.RefreshToken) error
	GetRefreshToken(ctx context.Context, id string) (cognito.RefreshToken, error)
	// RevokeRefreshToken marks one token revoked (no error if already).
	RevokeRefreshToken(ctx context.Context, id string) error
	// MarkRefreshTokenRotated records that the token was rotated at at;
	// only the first rotation is kept. ErrNotFound for an unknown id.
	MarkRefreshTokenRotated(ctx context.Context, id string, at time.Time) error
	// RevokeUserRefreshTokens marks every token of the user revoked.
	RevokeUserRefreshTokens(ctx context.Context, poolID, username string) error

	// Keys: signing keys of pools and session-sealing keys (PoolID "").
	// ListKeys returns the keys of a pool and use, oldest first.
	CreateKey(ctx context.Context, k cognito.Key) error
	ListKeys(ctx context.Context, poolID, use string) ([]cognito.Key, error)
	DeleteKey(ctx context.Context, id string) error

	// Outbox. ListMessages returns matching messages oldest first.
	AddMessage(ctx context.Context, m cognito.Message) error
	ListMessages(ctx context.Context, f MessageFilter) ([]cognito.Message, error)

	// Attempts at actions with a per-user quota (api.md §9). AddAttempt
	// records one at time at and forgets the pool's attempts from before
	// pruneBefore; CountAttempts counts a user's at an action at or after
	// since. Inside a transaction, CountAttempts also holds a lock on the
	// user's name (whether or not such a user exists) against other
	// transactions until this one ends, so that a count and the AddAttempt
	// after it are not overtaken by another node. AttemptTimes lists the
	// times of the (at most limit) newest attempts CountAttempts would
	// count, newest first, without the lock.
	AddAttempt(ctx context.Context, poolID, username, action string, at, pruneBefore time.Time) error
	CountAttempts(ctx context.Context, poolID, username, action string, since time.Time) (int, error)
	AttemptTimes(ctx context.Context, poolID, username, action string, since time.Time, limit int) ([]time.Time, error)

	// Invocation log. ListInvocations returns matching records oldest
	// first.
	AddInvocation(ctx context.Context, inv cognito.Invocation) error
	ListInvocations(ctx context.Context, f InvocationFilter) ([]cognito.Invocation, error)

	// Close releases the backend's resources.
	Close() error
}

// Now is the clock stores use for nothing but defaults; flows pass times in.
var Now = time.Now
