package userpool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/srp"
	"github.com/tarn-idp/tarn/internal/triggers"
)

// srpState is what SECRET_BLOCK carries, sealed, so that any node can check
// the PASSWORD_VERIFIER answer (DESIGN.md "Stateless nodes").
type srpState struct {
	Pool   string `json:"p"`
	Client string `json:"c"`
	User   string `json:"u"`
	A      []byte `json:"A"`
	B      []byte `json:"B"`
	PrivB  []byte `json:"b"`
	// Fake marks the stand-in challenge given for unknown users when the
	// client prevents user-existence errors: it always fails. Typed is the
	// USERNAME it was asked for.
	Fake  bool   `json:"f,omitempty"`
	Typed string `json:"t,omitempty"`
	// Custom carries a CUSTOM_AUTH flow that asked for the password
	// (DefineAuthChallenge answered PASSWORD_VERIFIER after SRP_A).
	Custom *customState `json:"x,omitempty"`
}

const srpPurpose = "srp-secret-block"

// startSRP answers InitiateAuth USER_SRP_AUTH with PASSWORD_VERIFIER
// (api.md §6.4). Unknown users are reported here under LEGACY; under
// ENABLED a stable fake challenge is returned and the failure comes at the
// answer.
func (s *Service) startSRP(ctx context.Context, a *attempt, p map[string]string) (*AuthOutput, error) {
	if err := required(p, "USERNAME", "SRP_A"); err != nil {
		return nil, err
	}
	if err := checkSecretHash(&a.client, p["SECRET_HASH"], p["USERNAME"]); err != nil {
		return nil, err
	}
	return s.passwordVerifier(ctx, a, p, nil)
}

// passwordVerifier issues the PASSWORD_VERIFIER challenge, for USER_SRP_AUTH
// or (custom set) inside a CUSTOM_AUTH flow.
func (s *Service) passwordVerifier(ctx context.Context, a *attempt, p map[string]string, custom *customState) (*AuthOutput, error) {
	A, err := srp.ParseA(p["SRP_A"])
	if err != nil {
		return nil, cognito.ErrInvalidParameter("SRP_A is not a valid SRP public value.")
	}
	st := srpState{Pool: a.pool.Id, Client: a.client.ClientId, A: A.Bytes(), Custom: custom}
	var salt, verifier *big.Int
	u, err := s.signInUser(ctx, a, p["USERNAME"], custom == nil)
	switch {
	case err == nil:
		var ok bool
		if salt, verifier, ok, err = s.openCredential(&u); err != nil {
			return nil, err
		}
		if !ok {
			return nil, cognito.ErrIncorrectPassword()
		}
		st.User = u.Username
	case err == errHiddenUnknownUser || (err == errHiddenResetRequired && custom == nil):
		if custom == nil {
			if err := s.hiddenLockedOut(ctx, &a.pool, p["USERNAME"]); err != nil {
				return nil, err
			}
		}
		// A stand-in an outsider cannot tell from a real user: a salt and,
		// where real users have UUID usernames, a USER_ID_FOR_SRP that are
		// stable per username and keyed with the server key.
		// In a pool that ignores case, so do the stand-ins.
		name := usernameKey(&a.pool, p["USERNAME"])
		salt = new(big.Int).SetBytes(s.sealer.Tag("fake-srp-salt/" + a.pool.Id + "/" + name)[:srp.SaltLen])
		verifier = big.NewInt(2)
		st.User, st.Fake, st.Typed = name, true, p["USERNAME"]
		if len(a.pool.UsernameAttributes) > 0 {
			st.User = uuidFrom(s.sealer.Tag("fake-srp-user/" + a.pool.Id + "/" + name))
		}
	default:
		return nil, err
	}
	ch, err := srp.NewServerChallenge(verifier)
	if err != nil {
		return nil, err
	}
	st.B, st.PrivB = ch.B.Bytes(), ch.PrivB.Bytes()
	b, _ := json.Marshal(st)
	block, err := s.tok.SealSession(ctx, srpPurpose, b, authSessionTTL(&a.client))
	if err != nil {
		return nil, err
	}
	return &AuthOutput{
		ChallengeName: "PASSWORD_VERIFIER",
		ChallengeParameters: map[string]string{
			"SALT": srp.PadHex(salt), "SRP_B": srp.Hex(ch.B), "SECRET_BLOCK": block,
			"USER_ID_FOR_SRP": st.User, "USERNAME": st.User,
		},
	}, nil
}

// verifySRP checks the PASSWORD_VERIFIER answer (api.md §6.5).
func (s *Service) verifySRP(ctx context.Context, a *attempt, r map[string]string) (*AuthOutput, error) {
	if err := required(r, "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"); err != nil {
		return nil, err
	}
	if _, err := srp.ParseTimestamp(r["TIMESTAMP"]); err != nil {
		if errors.Is(err, srp.ErrTimestampFormat) {
			return nil, cognito.ErrInvalidParameter("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.")
		}
		return nil, cognito.ErrIncorrectPassword()
	}
	var st srpState
	raw, err := s.tok.OpenSession(ctx, srpPurpose, r["PASSWORD_CLAIM_SECRET_BLOCK"])
	if err != nil || json.Unmarshal(raw, &st) != nil || st.Pool != a.pool.Id || st.Client != a.client.ClientId {
		return nil, cognito.ErrIncorrectPassword()
	}
	// The answer's USERNAME (which SECRET_HASH was computed over) must name
	// the user the SECRET_BLOCK was issued for; a stand-in checks it the
	// same way, so a wrong USERNAME tells nothing about who exists.
	if st.Fake {
		if !sameLookup(&a.pool, r["USERNAME"], st.User, st.Typed) {
			return nil, errInvalidSession()
		}
		// The proof a real user's answer costs, checked against the
		// stand-in's verifier, so that the time taken tells nothing either.
		block, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
		srp.VerifyClaim(srp.PoolName(a.pool.Id), st.User, new(big.Int).SetBytes(st.A), new(big.Int).SetBytes(st.B),
			new(big.Int).SetBytes(st.PrivB), big.NewInt(2), block, r["TIMESTAMP"], r["PASSWORD_CLAIM_SIGNATURE"])
		if st.Custom == nil {
			if err := s.hiddenLockedOut(ctx, &a.pool, st.Typed); err != nil {
				return nil, err
			}
			return nil, s.hiddenSignInFailed(ctx, &a.pool, st.Typed)
		}
		// An unknown user of a client that hides existence: the result is
		// false and the define trigger decides (userNotFound is set).
		st.Custom.Session = append(st.Custom.Session, triggers.ChallengeResult{ChallengeName: "PASSWORD_VERIFIER"})
		return s.customRound(ctx, a, st.Custom)
	}
	if err := s.sameUser(ctx, &a.pool, r["USERNAME"], st.User); err != nil {
		return nil, err
	}
	u, err := s.signInUser(ctx, a, st.User, false)
	if err != nil {
		return nil, err
	}
	_, verifier, ok, err := s.openCredential(&u)
	if err != nil {
		return nil, err
	}
	block, _ := base64.StdEncoding.DecodeString(r["PASSWORD_CLAIM_SECRET_BLOCK"])
	good := ok && srp.VerifyClaim(srp.PoolName(a.pool.Id), u.Username,
		new(big.Int).SetBytes(st.A), new(big.Int).SetBytes(st.B), new(big.Int).SetBytes(st.PrivB), verifier,
		block, r["TIMESTAMP"], r["PASSWORD_CLAIM_SIGNATURE"])
	if st.Custom != nil {
		// In CUSTOM_AUTH the define trigger sees the result and decides.
		st.Custom.Session = append(st.Custom.Session, triggers.ChallengeResult{ChallengeName: "PASSWORD_VERIFIER", ChallengeResult: good})
		return s.customRound(ctx, a, st.Custom)
	}
	if err := s.passwordChecked(ctx, a, &u, good); err != nil {
		return nil, err
	}
	return s.afterPassword(ctx, a, &u)
}
