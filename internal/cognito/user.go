package cognito

import (
	"encoding/json"
	"time"
)

// User statuses (UserStatusType).
const (
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusConfirmed           = "CONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired       = "RESET_REQUIRED"
	StatusExternalProvider    = "EXTERNAL_PROVIDER"
)

// User is one user of a pool.
type User struct {
	PoolID   string
	Username string // canonical username: the immutable key (a UUID in username-attribute pools)
	Sub      string
	Status   string
	Enabled  bool
	// Attributes holds every attribute except sub, by wire name
	// ("email", "custom:tier", "dev:custom:x"); values are strings.
	Attributes map[string]string
	Created    time.Time
	Modified   time.Time

	// Credential is the sealed SRP salt and verifier; nil when the user has
	// no password.
	Credential []byte
	// PasswordSetAt is when the current password was set (temporary
	// passwords expire from it).
	PasswordSetAt time.Time
	// TokensValidAfter: access tokens issued before it are revoked
	// (GlobalSignOut, AdminUserGlobalSignOut).
	TokensValidAfter time.Time
	// Pending holds new values of attributes that must be verified before
	// they replace the current ones (AttributesRequireVerificationBeforeUpdate).
	Pending map[string]string
	// FailedAttempts and LockedUntil implement the sign-in lockout: the
	// count of consecutive failed sign-ins, and the time of the last one
	// plus the lockout it earned.
	FailedAttempts int
	LockedUntil    time.Time
	// Extra carries settings that later features add (MFA preferences,
	// TOTP secret); opaque JSON to the store.
	Extra []byte

	// Aliases are the sign-in identifiers this user holds exclusively in its
	// pool, by kind ("email", "phone_number", "preferred_username") with the
	// value already normalised for comparison. The store keeps them unique per
	// pool and kind (ErrAliasExists).
	Aliases map[string]string
}

// Clone returns a deep copy of u.
func (u User) Clone() User {
	c := u
	c.Attributes = cloneMap(u.Attributes)
	c.Pending = cloneMap(u.Pending)
	c.Aliases = cloneMap(u.Aliases)
	if u.Credential != nil {
		c.Credential = append([]byte(nil), u.Credential...)
	}
	if u.Extra != nil {
		c.Extra = append([]byte(nil), u.Extra...)
	}
	return c
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// Group is a user-pool group, shaped as GroupType.
type Group struct {
	GroupName        string    `json:"GroupName"`
	UserPoolId       string    `json:"UserPoolId"`
	Description      string    `json:"Description,omitempty"`
	RoleArn          string    `json:"RoleArn,omitempty"`
	Precedence       *int      `json:"Precedence,omitempty"`
	LastModifiedDate Timestamp `json:"LastModifiedDate"`
	CreationDate     Timestamp `json:"CreationDate"`
}

// Code is a one-time code sent to a user (sign-up confirmation, password
// reset, attribute verification). Only a hash of the code is kept.
type Code struct {
	PoolID   string
	Username string
	Purpose  string // CodeSignUp, CodeForgotPassword, CodeVerify+attribute
	Hash     []byte
	Expires  time.Time
	Attempts int
	Created  time.Time
}

const (
	CodeSignUp         = "signup"
	CodeForgotPassword = "forgot"
	CodeVerifyPrefix   = "verify:"
)

// RefreshToken is the server-side record of a refresh token; its ID is the
// origin_jti shared by every token minted from it.
type RefreshToken struct {
	ID         string
	PoolID     string
	ClientID   string
	Username   string
	SecretHash []byte
	AuthTime   time.Time
	Created    time.Time
	Expires    time.Time
	Revoked    bool
	// RotatedAt is when the token was exchanged for a new one under
	// refresh-token rotation (zero: never); it stays usable for the
	// client's grace period after that.
	RotatedAt time.Time
}

// Message is an email or SMS a pool sent, as kept in the outbox.
type Message struct {
	ID          string    `json:"id"`
	PoolID      string    `json:"poolId"`
	Username    string    `json:"username"`
	Destination string    `json:"destination"`
	Medium      string    `json:"medium"` // EMAIL or SMS
	Action      string    `json:"action"` // SignUp, ResendCode, ForgotPassword, AdminCreateUser, UpdateUserAttribute, VerifyUserAttribute
	Code        string    `json:"code"`
	Subject     string    `json:"subject,omitempty"`
	Body        string    `json:"body"`
	Created     time.Time `json:"timestamp"`
}

// Key is a key kept in the store: a pool's token-signing key (Use "id" or
// "access", Pool set) or a session-sealing key (Use "session", Pool "").
// Material is sealed with the server key.
type Key struct {
	ID        string
	PoolID    string
	Use       string
	Material  []byte
	Public    []byte
	Created   time.Time
	NotBefore time.Time // not used for signing before this time
	Expires   time.Time // zero: never; removed from JWKS after
}

// Invocation records one call of a trigger function: what was sent, what
// came back, how it ended. Secrets in the event (passwords, codes) are
// redacted before it is recorded.
type Invocation struct {
	ID            string          `json:"id"`
	PoolID        string          `json:"poolId"`
	Trigger       string          `json:"trigger"`       // LambdaConfig key, e.g. PreSignUp
	TriggerSource string          `json:"triggerSource"` // e.g. PreSignUp_SignUp
	Function      string          `json:"function"`      // ARN
	Runner        string          `json:"runner,omitempty"`
	Attempts      int             `json:"attempts"`
	DurationMs    float64         `json:"durationMs"`
	Outcome       string          `json:"outcome"` // "ok" or the Cognito exception name
	Error         string          `json:"error,omitempty"`
	Event         json.RawMessage `json:"event,omitempty"`
	Response      json.RawMessage `json:"response,omitempty"`
	Logs          []string        `json:"logs,omitempty"`
	Created       time.Time       `json:"timestamp"`
}
