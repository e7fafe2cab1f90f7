package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/srp"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// InitiateAuthInput is the InitiateAuth request; AdminInitiateAuthInput
// adds the pool id.
type InitiateAuthInput struct {
	AuthFlow       string            `json:"AuthFlow" aws:"required,enum=USER_SRP_AUTH|REFRESH_TOKEN_AUTH|REFRESH_TOKEN|CUSTOM_AUTH|ADMIN_NO_SRP_AUTH|USER_PASSWORD_AUTH|ADMIN_USER_PASSWORD_AUTH|USER_AUTH"`
	AuthParameters map[string]string `json:"AuthParameters"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
	ClientId       string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	Session        string            `json:"Session" aws:"len=20-2048"`
}

type AdminInitiateAuthInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	InitiateAuthInput
}

// AuthOutput is the response of the four sign-in operations: tokens, or a
// challenge with its parameters and session.
type AuthOutput struct {
	ChallengeName        string                `json:"ChallengeName,omitempty"`
	Session              string                `json:"Session,omitempty"`
	ChallengeParameters  map[string]string     `json:"ChallengeParameters"`
	AuthenticationResult *AuthenticationResult `json:"AuthenticationResult,omitempty"`
}

// RespondToAuthChallengeInput is the RespondToAuthChallenge request;
// AdminRespondToAuthChallengeInput adds the pool id.
type RespondToAuthChallengeInput struct {
	ClientId           string            `json:"ClientId" aws:"required,len=1-128,pattern=[\\w+]+"`
	ChallengeName      string            `json:"ChallengeName" aws:"required,enum=SMS_MFA|EMAIL_OTP|SOFTWARE_TOKEN_MFA|SELECT_MFA_TYPE|MFA_SETUP|PASSWORD_VERIFIER|CUSTOM_CHALLENGE|SELECT_CHALLENGE|DEVICE_SRP_AUTH|DEVICE_PASSWORD_VERIFIER|ADMIN_NO_SRP_AUTH|NEW_PASSWORD_REQUIRED|SMS_OTP|PASSWORD|WEB_AUTHN|PASSWORD_SRP"`
	Session            string            `json:"Session" aws:"len=20-2048"`
	ChallengeResponses map[string]string `json:"ChallengeResponses"`
	ClientMetadata     map[string]string `json:"ClientMetadata"`
}

type AdminRespondToAuthChallengeInput struct {
	UserPoolId string `json:"UserPoolId" aws:"required,len=1-55,pattern=[\\w-]+_[0-9a-zA-Z]+"`
	RespondToAuthChallengeInput
}

// flowFlags maps an AuthFlow to the client's ExplicitAuthFlows values that
// allow it (new name, legacy name).
var flowFlags = map[string][2]string{
	"USER_SRP_AUTH":            {"ALLOW_USER_SRP_AUTH", ""},
	"USER_PASSWORD_AUTH":       {"ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"},
	"ADMIN_USER_PASSWORD_AUTH": {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"},
	"ADMIN_NO_SRP_AUTH":        {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"},
	"REFRESH_TOKEN_AUTH":       {"ALLOW_REFRESH_TOKEN_AUTH", ""},
	"REFRESH_TOKEN":            {"ALLOW_REFRESH_TOKEN_AUTH", ""},
	"CUSTOM_AUTH":              {"ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"},
	"USER_AUTH":                {"ALLOW_USER_AUTH", ""},
}

// flowAllowed applies ExplicitAuthFlows; clients configured only with
// legacy values may always refresh (api.md §5.1).
func flowAllowed(c *cognito.UserPoolClient, flow string) bool {
	f := flowFlags[flow]
	if c.AllowsFlow(f[0], f[1]) {
		return true
	}
	if f[0] == "ALLOW_REFRESH_TOKEN_AUTH" {
		for _, v := range c.ExplicitAuthFlows {
			if len(v) > 6 && v[:6] == "ALLOW_" {
				return false
			}
		}
		return true
	}
	return false
}

// attempt is one sign-in in progress: the request's context, carried from
// step to step by the challenge Session.
type attempt struct {
	pool   cognito.UserPool
	client cognito.UserPoolClient
	admin  bool
	// validation is InitiateAuth's ClientMetadata, which pre authentication
	// and migrate user receive as validationData; metadata is
	// RespondToAuthChallenge's, which the later triggers receive as
	// clientMetadata (triggers.md §6).
	validation map[string]string
	metadata   map[string]string
}

// InitiateAuth starts a public sign-in.
func (s *Service) InitiateAuth(ctx context.Context, in *InitiateAuthInput) (*AuthOutput, error) {
	// The client comes first (api.md §5.2 step 1), then the flow.
	client, pool, err := s.clientPool(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	switch in.AuthFlow {
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return nil, cognito.ErrInvalidParameter("Initiate Auth method not supported.")
	}
	return s.initiate(ctx, &attempt{pool: pool, client: client, validation: in.ClientMetadata}, in)
}

// AdminInitiateAuth starts a server-side sign-in.
func (s *Service) AdminInitiateAuth(ctx context.Context, in *AdminInitiateAuthInput) (*AuthOutput, error) {
	a, err := s.adminAttempt(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	if in.AuthFlow == "USER_PASSWORD_AUTH" {
		return nil, cognito.ErrInvalidParameter("Initiate Auth method not supported.")
	}
	a.validation = in.ClientMetadata
	return s.initiate(ctx, a, &in.InitiateAuthInput)
}

func (s *Service) adminAttempt(ctx context.Context, poolID, clientID string) (*attempt, error) {
	pool, err := s.pool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	client, err := s.poolClient(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	return &attempt{pool: pool, client: client, admin: true}, nil
}

func (s *Service) initiate(ctx context.Context, a *attempt, in *InitiateAuthInput) (*AuthOutput, error) {
	if !flowAllowed(&a.client, in.AuthFlow) {
		return nil, cognito.ErrInvalidParameter("%s flow not enabled for this client", in.AuthFlow)
	}
	p := in.AuthParameters
	switch in.AuthFlow {
	case "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return s.passwordAuth(ctx, a, p)
	case "USER_SRP_AUTH":
		return s.startSRP(ctx, a, p)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return s.refreshAuth(ctx, a, p)
	case "CUSTOM_AUTH":
		return s.customAuth(ctx, a, p)
	}
	return nil, cognito.ErrInvalidParameter("%s is not supported by tarn yet.", in.AuthFlow)
}

func required(p map[string]string, names ...string) error {
	for _, n := range names {
		if p[n] == "" {
			return cognito.ErrInvalidParameter("Missing required parameter %s", n)
		}
	}
	return nil
}

// errHiddenUnknownUser is the error an unknown user gets when the client
// prevents user-existence errors; flows that must pretend the user exists
// (USER_SRP_AUTH) recognise it by identity.
var errHiddenUnknownUser = cognito.ErrIncorrectPassword()

// errHiddenResetRequired is what a RESET_REQUIRED user gets under the same
// setting: the wrong-password error, and for USER_SRP_AUTH the stand-in
// challenge an unknown user gets (both fail at the proof).
var errHiddenResetRequired = cognito.ErrIncorrectPassword()

// signInUser resolves the user of a sign-in and applies the checks that
// come before the password (api.md §5.2 steps 4–8). With pre set, this is
// the step where the sign-in starts and the pre authentication trigger
// runs (for unknown users too when the client hides their existence).
func (s *Service) signInUser(ctx context.Context, a *attempt, username string, pre bool) (cognito.User, error) {
	u, err := s.findUser(ctx, &a.pool, username)
	if cognito.ErrorCode(err) == cognito.UserNotFound && a.client.PreventsUserExistenceErrors() {
		if pre {
			if err := s.trig.PreAuthentication(ctx, s.caller(&a.pool, a.client.ClientId), username, map[string]string{}, a.validation, true); err != nil {
				return u, err
			}
		}
		return u, errHiddenUnknownUser
	}
	if err != nil {
		return u, err
	}
	if pre {
		if err := s.trig.PreAuthentication(ctx, s.caller(&a.pool, a.client.ClientId), u.Username, eventAttributes(&u), a.validation, false); err != nil {
			return u, err
		}
	}
	switch {
	case !u.Enabled:
		return u, cognito.Errorf(cognito.NotAuthorized, "User is disabled.")
	case u.Status == cognito.StatusUnconfirmed:
		return u, cognito.Errorf(cognito.UserNotConfirmed, "User is not confirmed.")
	case u.Status == cognito.StatusResetRequired:
		if a.client.PreventsUserExistenceErrors() {
			// api.md §5.11: hidden behind the wrong-password error.
			return u, errHiddenResetRequired
		}
		return u, cognito.Errorf(cognito.PasswordResetRequired, "Password reset required for the user")
	case lockedOut(&u, s.now()):
		return u, errPasswordAttemptsExceeded()
	}
	return u, nil
}

// Lockout (api.md §3.8): from the 5th consecutive failure the user is
// locked for 2^(n−5) seconds, at most 15 minutes; 15 minutes without a
// failure start the count again.
const (
	lockoutFree  = 5
	lockoutQuiet = 15 * time.Minute
	// From this failure on the lockout stays at its 15-minute ceiling
	// (2^10 s is more), so the answers depend only on a run's last
	// lockoutCapped failures.
	lockoutCapped = lockoutFree + 10
)

func errPasswordAttemptsExceeded() error {
	return cognito.Errorf(cognito.NotAuthorized, "Password attempts exceeded")
}

// lockoutAfter is how long the n-th consecutive failure locks the user
// out: none before the lockoutFree-th, then 2^(n−5) seconds, at most 15
// minutes.
func lockoutAfter(n int) time.Duration {
	if n < lockoutFree {
		return 0
	}
	return time.Duration(math.Min(math.Pow(2, float64(n-lockoutFree)), 900)) * time.Second
}

// A user's FailedAttempts counts its consecutive failed sign-ins and
// LockedUntil is the last of them plus the lockout it earned (none below
// lockoutFree, so LockedUntil is then the failure's time).

// lockedOut reports whether u is locked out at now.
func lockedOut(u *cognito.User, now time.Time) bool {
	return u.FailedAttempts >= lockoutFree && now.Before(u.LockedUntil)
}

// failuresBefore is the count a failure at now adds to: u's, unless its
// last failure was lockoutQuiet or longer ago.
func failuresBefore(u *cognito.User, now time.Time) int {
	if now.Sub(u.LockedUntil.Add(-lockoutAfter(u.FailedAttempts))) >= lockoutQuiet {
		return 0
	}
	return u.FailedAttempts
}

// failureRun is the count of consecutive failures at the times given
// (newest first) that are still counted at now: those since the last quiet
// gap of lockoutQuiet, the same count failuresBefore keeps for real users.
func failureRun(times []time.Time, now time.Time) int {
	if len(times) == 0 || now.Sub(times[0]) >= lockoutQuiet {
		return 0
	}
	n := 1
	for n < len(times) && times[n-1].Sub(times[n]) < lockoutQuiet {
		n++
	}
	return n
}

// passwordChecked records the outcome of a password check: failures count
// toward the lockout; a success clears the count (written only when there
// is something to clear, so good sign-ins cost no write).
func (s *Service) passwordChecked(ctx context.Context, a *attempt, u *cognito.User, ok bool) error {
	if ok {
		if u.FailedAttempts == 0 {
			return nil
		}
		return s.updateUser(ctx, s.st, &a.pool, u.Username, false, func(x *cognito.User) error {
			x.FailedAttempts, x.LockedUntil = 0, time.Time{}
			return nil
		})
	}
	err := s.updateUser(ctx, s.st, &a.pool, u.Username, false, func(x *cognito.User) error {
		now := s.now()
		x.FailedAttempts = failuresBefore(x, now) + 1
		x.LockedUntil = now.Add(lockoutAfter(x.FailedAttempts))
		return nil
	})
	if err != nil {
		return err
	}
	return cognito.ErrIncorrectPassword()
}

func (s *Service) passwordAuth(ctx context.Context, a *attempt, p map[string]string) (*AuthOutput, error) {
	if err := required(p, "USERNAME", "PASSWORD"); err != nil {
		return nil, err
	}
	if err := checkSecretHash(&a.client, p["SECRET_HASH"], p["USERNAME"]); err != nil {
		return nil, err
	}
	if err := s.migrateOnSignIn(ctx, a, p["USERNAME"], p["PASSWORD"]); err != nil {
		return nil, err
	}
	u, err := s.signInUser(ctx, a, p["USERNAME"], true)
	if err == errHiddenUnknownUser || err == errHiddenResetRequired {
		if err := s.hiddenLockedOut(ctx, &a.pool, p["USERNAME"]); err != nil {
			return nil, err
		}
		// The same password check a real user costs, so that the time
		// taken tells nothing either.
		srp.CheckPassword(srp.PoolName(a.pool.Id), p["USERNAME"], p["PASSWORD"], big.NewInt(1), big.NewInt(2))
		return nil, s.hiddenSignInFailed(ctx, &a.pool, p["USERNAME"])
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.passwordMatches(&u, p["PASSWORD"])
	if err != nil {
		return nil, err
	}
	if err := s.passwordChecked(ctx, a, &u, ok); err != nil {
		return nil, err
	}
	return s.afterPassword(ctx, a, &u)
}

// afterPassword continues a sign-in whose password was verified (§5.2
// steps 10–13): NEW_PASSWORD_REQUIRED for temporary passwords, otherwise
// tokens. MFA decisions slot in here.
func (s *Service) afterPassword(ctx context.Context, a *attempt, u *cognito.User) (*AuthOutput, error) {
	if u.Status == cognito.StatusForceChangePassword {
		days := a.pool.Password().TemporaryPasswordValidityDays
		if days == 0 {
			days = 7
		}
		if s.now().After(u.PasswordSetAt.Add(time.Duration(days) * 24 * time.Hour)) {
			return nil, cognito.Errorf(cognito.NotAuthorized, "Temporary password has expired and must be reset by an administrator.")
		}
		return s.newPasswordChallenge(ctx, a, u)
	}
	return s.signedIn(ctx, a, u, "TokenGeneration_Authentication")
}

// signedIn completes a sign-in: post authentication (a failure denies the
// sign-in), then pre token generation with source and the tokens.
func (s *Service) signedIn(ctx context.Context, a *attempt, u *cognito.User, source string) (*AuthOutput, error) {
	if err := s.trig.PostAuthentication(ctx, s.caller(&a.pool, a.client.ClientId), u.Username, eventAttributes(u), false, a.metadata); err != nil {
		return nil, err
	}
	res, err := s.issue(ctx, grant{pool: &a.pool, client: &a.client, user: u, authTime: s.now(), source: source, metadata: a.metadata})
	if err != nil {
		return nil, err
	}
	return &AuthOutput{ChallengeParameters: map[string]string{}, AuthenticationResult: res}, nil
}

// authSession is what a challenge Session carries between steps.
type authSession struct {
	Pool      string `json:"p"`
	Client    string `json:"c"`
	User      string `json:"u"`
	Challenge string `json:"n"`
}

const sessionPurpose = "auth-session"

func (s *Service) newSession(ctx context.Context, a *attempt, username, challenge string) (string, error) {
	b, _ := json.Marshal(authSession{Pool: a.pool.Id, Client: a.client.ClientId, User: username, Challenge: challenge})
	return s.tok.SealSession(ctx, sessionPurpose, b, authSessionTTL(&a.client))
}

// openSession checks a challenge Session: it must be fresh and issued for
// this pool, client and challenge.
func (s *Service) openSession(ctx context.Context, a *attempt, session, challenge string) (authSession, error) {
	var as authSession
	b, err := s.tok.OpenSession(ctx, sessionPurpose, session)
	if errors.Is(err, tokens.ErrSessionExpired) {
		return as, cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user, session is expired.")
	}
	if err != nil && !errors.Is(err, tokens.ErrInvalidSession) {
		return as, err // the store failed, not the session
	}
	if err != nil || json.Unmarshal(b, &as) != nil {
		return as, cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user.")
	}
	if as.Pool != a.pool.Id || as.Client != a.client.ClientId || as.Challenge != challenge {
		return as, cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user.")
	}
	return as, nil
}

// RespondToAuthChallenge answers a challenge of a public sign-in.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *RespondToAuthChallengeInput) (*AuthOutput, error) {
	client, pool, err := s.clientPool(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	return s.respond(ctx, &attempt{pool: pool, client: client, metadata: in.ClientMetadata}, in)
}

// AdminRespondToAuthChallenge answers a challenge of a server-side sign-in.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *AdminRespondToAuthChallengeInput) (*AuthOutput, error) {
	a, err := s.adminAttempt(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	a.metadata = in.ClientMetadata
	return s.respond(ctx, a, &in.RespondToAuthChallengeInput)
}

func (s *Service) respond(ctx context.Context, a *attempt, in *RespondToAuthChallengeInput) (*AuthOutput, error) {
	r := in.ChallengeResponses
	if r == nil {
		r = map[string]string{}
	}
	if err := required(r, "USERNAME"); err != nil {
		return nil, err
	}
	if err := checkSecretHash(&a.client, r["SECRET_HASH"], r["USERNAME"]); err != nil {
		return nil, err
	}
	switch in.ChallengeName {
	case "PASSWORD_VERIFIER":
		return s.verifySRP(ctx, a, r)
	case "NEW_PASSWORD_REQUIRED":
		return s.answerNewPassword(ctx, a, in.Session, r)
	case "CUSTOM_CHALLENGE":
		return s.answerCustom(ctx, a, in.Session, r)
	}
	return nil, cognito.ErrInvalidParameter("The challenge %s was not issued to this sign-in or is not supported by tarn yet.", in.ChallengeName)
}

// sameUser checks that the USERNAME of a challenge answer (which the
// SECRET_HASH was computed over) names the user the session belongs to;
// an alias of that user is fine.
func (s *Service) sameUser(ctx context.Context, pool *cognito.UserPool, username, sessionUser string) error {
	if username == sessionUser {
		return nil
	}
	u, err := s.findUser(ctx, pool, username)
	if cognito.ErrorCode(err) == cognito.UserNotFound || (err == nil && u.Username != sessionUser) {
		return errInvalidSession()
	}
	return err
}

func errInvalidSession() error {
	return cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user.")
}

// sameHash compares refresh-token secret hashes in constant time.
func sameHash(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}
