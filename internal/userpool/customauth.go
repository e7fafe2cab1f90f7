package userpool

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/tokens"
	"github.com/tarn-idp/tarn/internal/triggers"
)

// customState is a CUSTOM_AUTH flow between rounds (api.md §5.7,
// triggers.md §11), carried sealed in the challenge Session (or, during its
// password step, in SECRET_BLOCK) so any node can continue it.
type customState struct {
	Pool         string                     `json:"p"`
	Client       string                     `json:"c"`
	User         string                     `json:"u"` // canonical username, or the typed name when not found
	UserNotFound bool                       `json:"nf,omitempty"`
	Session      []triggers.ChallengeResult `json:"s"`
	Private      map[string]string          `json:"pp,omitempty"`
	Metadata     string                     `json:"m,omitempty"`
	// Flow identifies this sign-in and Round its current challenge; the
	// store keeps the current round of each flow, so an earlier round's
	// Session cannot be replayed to reset the history define counts.
	Flow  string `json:"f"`
	Round string `json:"r,omitempty"`
}

const customPurpose = "custom-auth-session"

// customAuth starts CUSTOM_AUTH: DefineAuthChallenge drives the flow; with
// CHALLENGE_NAME=SRP_A and SRP_A the password is checked first.
func (s *Service) customAuth(ctx context.Context, a *attempt, p map[string]string) (*AuthOutput, error) {
	if a.pool.LambdaConfig == nil || a.pool.LambdaConfig.DefineAuthChallenge == "" {
		return nil, cognito.Errorf(cognito.InvalidUserPoolConfig, "Custom auth lambda trigger is not configured for the user pool.")
	}
	if err := required(p, "USERNAME"); err != nil {
		return nil, err
	}
	if err := checkSecretHash(&a.client, p["SECRET_HASH"], p["USERNAME"]); err != nil {
		return nil, err
	}
	st := &customState{Pool: a.pool.Id, Client: a.client.ClientId, Session: []triggers.ChallengeResult{}, Flow: newUUID()}
	withSRP := p["CHALLENGE_NAME"] == "SRP_A" && p["SRP_A"] != ""
	// [?] decision (triggers.md §18): pre authentication runs for CUSTOM_AUTH
	// only when it starts with SRP, as developers report.
	u, err := s.signInUser(ctx, a, p["USERNAME"], withSRP)
	switch {
	case err == nil:
		st.User = u.Username
	case err == errHiddenUnknownUser:
		st.User, st.UserNotFound = p["USERNAME"], true
	default:
		return nil, err
	}
	if withSRP {
		st.Session = append(st.Session, triggers.ChallengeResult{ChallengeName: "SRP_A", ChallengeResult: true})
		d, err := s.define(ctx, a, st)
		if err != nil {
			return nil, err
		}
		if d.ChallengeName == "PASSWORD_VERIFIER" && !d.IssueTokens && !d.FailAuthentication {
			return s.passwordVerifier(ctx, a, p, st)
		}
		return s.customDecided(ctx, a, st, d)
	}
	return s.customRound(ctx, a, st)
}

// customUser loads the flow's user (nil when the user was not found).
func (s *Service) customUser(ctx context.Context, a *attempt, st *customState) (*cognito.User, map[string]string, error) {
	if st.UserNotFound {
		return nil, map[string]string{}, nil
	}
	u, err := s.st.GetUser(ctx, a.pool.Id, st.User)
	if err != nil {
		return nil, nil, userStoreError(&a.pool, err)
	}
	return &u, eventAttributes(&u), nil
}

func (s *Service) define(ctx context.Context, a *attempt, st *customState) (triggers.DefineResult, error) {
	_, attrs, err := s.customUser(ctx, a, st)
	if err != nil {
		return triggers.DefineResult{}, err
	}
	return s.trig.DefineAuthChallenge(ctx, s.caller(&a.pool, a.client.ClientId), st.User, attrs, st.Session, a.metadata, st.UserNotFound)
}

// customRound asks DefineAuthChallenge what comes next and acts on it.
func (s *Service) customRound(ctx context.Context, a *attempt, st *customState) (*AuthOutput, error) {
	d, err := s.define(ctx, a, st)
	if err != nil {
		return nil, err
	}
	return s.customDecided(ctx, a, st, d)
}

func (s *Service) customDecided(ctx context.Context, a *attempt, st *customState, d triggers.DefineResult) (*AuthOutput, error) {
	if d.FailAuthentication || d.IssueTokens {
		if err := s.endRound(ctx, a, st); err != nil {
			return nil, err
		}
	}
	switch {
	case d.FailAuthentication:
		return nil, cognito.ErrIncorrectPassword()
	case d.IssueTokens:
		u, _, err := s.customUser(ctx, a, st)
		if err != nil {
			return nil, err
		}
		if u == nil {
			return nil, cognito.ErrIncorrectPassword()
		}
		if !u.Enabled {
			return nil, cognito.Errorf(cognito.NotAuthorized, "User is disabled.")
		}
		return s.signedIn(ctx, a, u, "TokenGeneration_Authentication")
	case d.ChallengeName != "CUSTOM_CHALLENGE":
		return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Unrecognizable lambda output")
	}
	_, attrs, err := s.customUser(ctx, a, st)
	if err != nil {
		return nil, err
	}
	c, err := s.trig.CreateAuthChallenge(ctx, s.caller(&a.pool, a.client.ClientId), st.User, attrs, d.ChallengeName, st.Session, a.metadata, st.UserNotFound)
	if err != nil {
		return nil, err
	}
	st.Private, st.Metadata = c.PrivateChallengeParameters, c.ChallengeMetadata
	if err := s.startRound(ctx, a, st); err != nil {
		return nil, err
	}
	b, _ := json.Marshal(st)
	session, err := s.tok.SealSession(ctx, customPurpose, b, authSessionTTL(&a.client))
	if err != nil {
		return nil, err
	}
	params := map[string]string{}
	for k, v := range c.PublicChallengeParameters {
		params[k] = v
	}
	params["USERNAME"] = st.User
	return &AuthOutput{ChallengeName: "CUSTOM_CHALLENGE", Session: session, ChallengeParameters: params}, nil
}

// answerCustom handles RespondToAuthChallenge CUSTOM_CHALLENGE: verify the
// answer, record the result, and ask DefineAuthChallenge again.
func (s *Service) answerCustom(ctx context.Context, a *attempt, session string, r map[string]string) (*AuthOutput, error) {
	var st customState
	raw, err := s.tok.OpenSession(ctx, customPurpose, session)
	if errors.Is(err, tokens.ErrSessionExpired) {
		return nil, cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user, session is expired.")
	}
	if err != nil && !errors.Is(err, tokens.ErrInvalidSession) {
		return nil, err // the store failed, not the session
	}
	if err != nil || json.Unmarshal(raw, &st) != nil || st.Pool != a.pool.Id || st.Client != a.client.ClientId {
		return nil, cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user.")
	}
	if !st.UserNotFound {
		if err := s.sameUser(ctx, &a.pool, r["USERNAME"], st.User); err != nil {
			return nil, err
		}
	}
	if _, ok := r["ANSWER"]; !ok {
		return nil, cognito.ErrInvalidParameter("Missing required parameter ANSWER")
	}
	_, attrs, err := s.customUser(ctx, a, &st)
	if err != nil {
		return nil, err
	}
	if err := s.checkRound(ctx, a, &st); err != nil {
		return nil, err
	}
	ok, err := s.trig.VerifyAuthChallenge(ctx, s.caller(&a.pool, a.client.ClientId), st.User, attrs, st.Private, r["ANSWER"], a.metadata, st.UserNotFound)
	if err != nil {
		return nil, err
	}
	meta := st.Metadata
	st.Session = append(st.Session, triggers.ChallengeResult{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: ok, ChallengeMetadata: &meta})
	st.Private, st.Metadata = nil, ""
	return s.customRound(ctx, a, &st)
}

func roundPurpose(st *customState) string { return "custom-auth:" + st.Flow }

// startRound records a new current round for the flow (unknown users have
// nothing to record: their flow always fails).
func (s *Service) startRound(ctx context.Context, a *attempt, st *customState) error {
	st.Round = newUUID()
	if st.UserNotFound {
		return nil
	}
	now := s.now()
	return s.st.PutCode(ctx, cognito.Code{PoolID: a.pool.Id, Username: st.User, Purpose: roundPurpose(st),
		Hash: hashCode(st.Round), Created: now, Expires: now.Add(authSessionTTL(&a.client))})
}

// checkRound accepts the answer only for the flow's current round.
func (s *Service) checkRound(ctx context.Context, a *attempt, st *customState) error {
	if st.UserNotFound {
		return nil
	}
	c, err := s.st.GetCode(ctx, a.pool.Id, st.User, roundPurpose(st))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!sameHash(c.Hash, hashCode(st.Round)) || s.now().After(c.Expires))) {
		return cognito.Errorf(cognito.NotAuthorized, "Invalid session for the user.")
	}
	return err
}

// endRound forgets a finished flow.
func (s *Service) endRound(ctx context.Context, a *attempt, st *customState) error {
	if st.UserNotFound {
		return nil
	}
	err := s.st.DeleteCode(ctx, a.pool.Id, st.User, roundPurpose(st))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
