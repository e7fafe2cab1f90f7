package main

// Helpers of the e2e_auth_* tests (sign-up, sign-in, self-service). Names
// carry an "au" prefix so they cannot clash with the e2e_admin_* helpers.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/srp"
)

// auPassword satisfies the default password policy.
const auPassword = "Passw0rd!"

// auEmailPool creates a pool whose email is auto-verified, and a client
// without a secret; it returns their ids.
func (ts *tarnServer) auEmailPool(in cip.CreateUserPoolInput) (poolID, clientID string) {
	ts.t.Helper()
	if in.AutoVerifiedAttributes == nil {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}
	}
	p := ts.pool(in)
	c := ts.client(*p.Id, cip.CreateUserPoolClientInput{})
	return *p.Id, *c.ClientId
}

// auSignUp signs a user up with an email and returns the response.
func (ts *tarnServer) auSignUp(clientID, username, password string, attrs ...types.AttributeType) *cip.SignUpOutput {
	ts.t.Helper()
	out, err := ts.cip.SignUp(ctxT(ts.t), &cip.SignUpInput{ClientId: &clientID, Username: &username,
		Password: &password, UserAttributes: attrs})
	if err != nil {
		ts.t.Fatalf("SignUp %s: %v", username, err)
	}
	return out
}

// auConfirm confirms a sign-up with a code.
func (ts *tarnServer) auConfirm(clientID, username, code string) error {
	_, err := ts.cip.ConfirmSignUp(ctxT(ts.t), &cip.ConfirmSignUpInput{ClientId: &clientID, Username: &username,
		ConfirmationCode: &code})
	return err
}

// auSignedUp signs a user up with an email and confirms it with the code
// from the outbox; it returns the canonical username.
func (ts *tarnServer) auSignedUp(poolID, clientID, username, email, password string) string {
	ts.t.Helper()
	ts.auSignUp(clientID, username, password, attr("email", email))
	name := aws.ToString(ts.auAdminGet(poolID, username).Username)
	if err := ts.auConfirm(clientID, username, ts.lastCode(poolID, name)); err != nil {
		ts.t.Fatalf("ConfirmSignUp %s: %v", username, err)
	}
	return name
}

// auAdminGet returns AdminGetUser's answer, failing on any error.
func (ts *tarnServer) auAdminGet(poolID, username string) *cip.AdminGetUserOutput {
	ts.t.Helper()
	out, err := ts.cip.AdminGetUser(ctxT(ts.t), &cip.AdminGetUserInput{UserPoolId: &poolID, Username: &username})
	if err != nil {
		ts.t.Fatalf("AdminGetUser %s: %v", username, err)
	}
	return out
}

// auTokens signs in with USER_PASSWORD_AUTH and requires tokens.
func (ts *tarnServer) auTokens(clientID, username, password string) *types.AuthenticationResultType {
	ts.t.Helper()
	out, err := ts.passwordAuth(clientID, username, password)
	if err != nil {
		ts.t.Fatalf("USER_PASSWORD_AUTH %s: %v", username, err)
	}
	if out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == nil {
		ts.t.Fatalf("USER_PASSWORD_AUTH %s: no tokens (challenge %q)", username, out.ChallengeName)
	}
	return out.AuthenticationResult
}

// auGetUser calls GetUser with an access token.
func (ts *tarnServer) auGetUser(accessToken string) (*cip.GetUserOutput, error) {
	return ts.cip.GetUser(ctxT(ts.t), &cip.GetUserInput{AccessToken: &accessToken})
}

// auMessages returns the outbox messages of a user with the given action.
func (ts *tarnServer) auMessages(poolID, username, action string) []outboxMessage {
	ts.t.Helper()
	var out []outboxMessage
	for _, m := range ts.messages(poolID, username) {
		if m.Action == action {
			out = append(out, m)
		}
	}
	return out
}

// auLastMessage returns the newest outbox message of a user, which must
// have the given action.
func (ts *tarnServer) auLastMessage(poolID, username, action string) outboxMessage {
	ts.t.Helper()
	msgs := ts.messages(poolID, username)
	if len(msgs) == 0 {
		ts.t.Fatalf("no message in the outbox for %s", username)
	}
	m := msgs[len(msgs)-1]
	if m.Action != action {
		ts.t.Fatalf("newest message for %s has action %q, want %q: %+v", username, m.Action, action, m)
	}
	return m
}

// auClaims decodes a JWT payload without verifying it.
func auClaims(t testing.TB, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("token payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("token payload: %v", err)
	}
	return m
}

// auSecretHash is SECRET_HASH (api.md §4).
func auSecretHash(secret, username, clientID string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// auSRP is one USER_SRP_AUTH sign-in driven by the Go SRP client.
type auSRP struct {
	client *srp.Client
	// Challenge is the PASSWORD_VERIFIER answer of InitiateAuth.
	Challenge *cip.InitiateAuthOutput
}

// auStartSRP sends InitiateAuth USER_SRP_AUTH and returns the exchange.
func (ts *tarnServer) auStartSRP(clientID, username string) (*auSRP, error) {
	return ts.auStartSRPWith(clientID, username, nil)
}

// auStartSRPWith is auStartSRP with extra AuthParameters (SECRET_HASH).
func (ts *tarnServer) auStartSRPWith(clientID, username string, extra map[string]string) (*auSRP, error) {
	c, err := srp.NewClient()
	if err != nil {
		ts.t.Fatal(err)
	}
	params := map[string]string{"USERNAME": username, "SRP_A": c.AHex()}
	for k, v := range extra {
		params[k] = v
	}
	out, err := ts.cip.InitiateAuth(ctxT(ts.t), &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: params})
	if err != nil {
		return nil, err
	}
	return &auSRP{client: c, Challenge: out}, nil
}

// responses computes the PASSWORD_VERIFIER answer for password with the
// issued SECRET_BLOCK and the current time.
func (x *auSRP) responses(t testing.TB, poolID, password string) map[string]string {
	t.Helper()
	p := x.Challenge.ChallengeParameters
	ts := srp.FormatTimestamp(time.Now())
	sig, err := x.client.Signature(srp.PoolName(poolID), p["USER_ID_FOR_SRP"], password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts)
	if err != nil {
		t.Fatalf("SRP signature: %v", err)
	}
	return map[string]string{
		"USERNAME": p["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
		"PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts,
	}
}

// auRespond answers a challenge through RespondToAuthChallenge.
func (ts *tarnServer) auRespond(clientID string, name types.ChallengeNameType, session *string, r map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
	return ts.cip.RespondToAuthChallenge(ctxT(ts.t), &cip.RespondToAuthChallengeInput{ClientId: &clientID,
		ChallengeName: name, Session: session, ChallengeResponses: r})
}
