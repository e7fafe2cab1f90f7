package userpool

import (
	"context"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// Per-user attempt quotas (api.md §9): each allows limit attempts at an
// action per user in any rolling hour; the next is refused with
// LimitExceededException until the oldest attempt is an hour old. They are
// kept in the store, so every node sharing it counts the same attempts.
type quota struct {
	action string
	limit  int
}

const quotaWindow = time.Hour

// attemptRetention is how long the store keeps attempts: the quota window,
// or longer where the lockout of unknown names needs it (see
// actionHiddenSignIn).
const attemptRetention = max(quotaWindow, lockoutCapped*lockoutQuiet)

var (
	// Calls that send a code count whether or not anyone reads it.
	quotaResendCode = quota{"ResendConfirmationCode", 5}
	quotaVerifyCode = quota{"GetUserAttributeVerificationCode", 5}
	// Every ChangePassword call that reaches the password check counts,
	// right or wrong ("5 per user per hour").
	quotaChangePassword = quota{"ChangePassword", 5}
	// Code checks count failures (a wrong, expired or missing code): a right
	// one ends the exercise.
	quotaConfirmSignUp = quota{"ConfirmSignUp", 15}
	quotaVerifyAttr    = quota{"VerifyUserAttribute", 15}
	// [?] decision: AWS varies this one with risk, 5–20 per hour; tarn
	// takes 10, between the two.
	quotaConfirmForgot = quota{"ConfirmForgotPassword", 10}
)

// sendQuotas are the quotas of the message actions that have one.
var sendQuotas = map[string]quota{
	actionResendCode:          quotaResendCode,
	actionVerifyUserAttribute: quotaVerifyCode,
}

var errAttemptLimit error = cognito.Errorf(cognito.LimitExceeded, "Attempt limit exceeded, please try after some time.")

// overQuota reports whether the user has spent q in the last hour.
func (s *Service) overQuota(ctx context.Context, st store.Store, poolID, username string, q quota) (bool, error) {
	n, err := st.CountAttempts(ctx, poolID, username, q.action, s.now().Add(-quotaWindow))
	return n >= q.limit, err
}

// takeQuota spends one of q for the user in a transaction of its own, or
// answers LimitExceededException when none is left.
func (s *Service) takeQuota(ctx context.Context, poolID, username string, q quota) error {
	return s.st.Tx(ctx, func(st store.Store) error {
		over, err := s.overQuota(ctx, st, poolID, username, q)
		if err != nil {
			return err
		}
		if over {
			return errAttemptLimit
		}
		return s.spendQuota(ctx, st, poolID, username, q)
	})
}

// hiddenQuota spends one of q for a user a client that prevents
// user-existence errors pretends exists, so that the quota runs out for
// unknown names as it does for real ones. The attempts are counted under
// the name as typed (folded in case-insensitive pools) and an action of
// their own, apart from any real user's.
func (s *Service) hiddenQuota(ctx context.Context, pool *cognito.UserPool, typed string, q quota) error {
	return s.takeQuota(ctx, pool.Id, usernameKey(pool, typed), quota{action: "unknown-user:" + q.action, limit: q.limit})
}

// codeRequest resolves the client, pool and user of a public request that
// checks a code under quota q. A user the client hides behind
// PreventUserExistenceErrors gets the answer a wrong code would,
// CodeMismatchException (LimitExceededException once q is spent), as the
// error.
func (s *Service) codeRequest(ctx context.Context, clientID, secretHash, username string, q quota) (cognito.UserPoolClient, cognito.UserPool, cognito.User, error) {
	client, pool, err := s.publicRequest(ctx, clientID, secretHash, username)
	if err != nil {
		return client, pool, cognito.User{}, err
	}
	u, found, err := s.publicUser(ctx, &client, &pool, username)
	if err == nil && !found {
		err = s.hiddenQuota(ctx, &pool, username, q)
		if err == nil {
			err = errCodeMismatch
		}
	}
	return client, pool, u, err
}

// The sign-in lockout (passwordChecked) mirrored for names that find no
// user behind PreventUserExistenceErrors: their failed sign-ins are kept as
// attempts under the name as typed, so that the fifth failure locks the
// name out just as it would a real user, and the lockout tells nothing.
// The answers depend only on a run's last lockoutCapped failures, which
// lie less than lockoutQuiet apart and the newest less than lockoutQuiet
// ago: the store keeps attempts for lockoutCapped·lockoutQuiet (3 h 45
// min), so a run of any length counts the same for a name as for a user.
const actionHiddenSignIn = "unknown-user:SignIn"

// hiddenLockedOut answers "Password attempts exceeded" while the name is
// locked out.
func (s *Service) hiddenLockedOut(ctx context.Context, pool *cognito.UserPool, typed string) error {
	now := s.now()
	times, err := s.st.AttemptTimes(ctx, pool.Id, usernameKey(pool, typed), actionHiddenSignIn, now.Add(-attemptRetention), lockoutCapped)
	if err != nil {
		return err
	}
	// Failures are not recorded while locked, so the latest is the n-th:
	// the name is locked while it is younger than its lockout.
	if n := failureRun(times, now); n >= lockoutFree && now.Before(times[0].Add(lockoutAfter(n))) {
		return errPasswordAttemptsExceeded()
	}
	return nil
}

// hiddenSignInFailed records a failed sign-in of the name and returns the
// wrong-password error a real user gets.
func (s *Service) hiddenSignInFailed(ctx context.Context, pool *cognito.UserPool, typed string) error {
	if err := s.spendQuota(ctx, s.st, pool.Id, usernameKey(pool, typed), quota{action: actionHiddenSignIn}); err != nil {
		return err
	}
	return cognito.ErrIncorrectPassword()
}

// spendQuota records one attempt at q's action.
func (s *Service) spendQuota(ctx context.Context, st store.Store, poolID, username string, q quota) error {
	now := s.now()
	return st.AddAttempt(ctx, poolID, username, q.action, now, now.Add(-attemptRetention))
}
