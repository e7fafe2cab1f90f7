package userpool

import (
	"context"
	"strings"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/seal"
	"github.com/tarn-idp/tarn/internal/srp"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/store/sqlstore"
	"github.com/tarn-idp/tarn/internal/tokens"
)

// newTestService returns a Service on a fresh in-memory SQLite store;
// configure may change its Config first.
func newTestService(t testing.TB, configure ...func(c *Config)) *Service {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, _ := seal.New(seal.NewKey())
	c := Config{Store: st, Tokens: tokens.New(st, sealer), Sealer: sealer}
	for _, f := range configure {
		f(&c)
	}
	return New(c)
}

func mustPoolAndClient(t testing.TB, s *Service, pool CreateUserPoolInput, client CreateUserPoolClientInput) (cognito.UserPool, cognito.UserPoolClient) {
	t.Helper()
	ctx := context.Background()
	p, err := s.CreateUserPool(ctx, &pool)
	if err != nil {
		t.Fatal(err)
	}
	client.UserPoolId = p.UserPool.Id
	c, err := s.CreateUserPoolClient(ctx, &client)
	if err != nil {
		t.Fatal(err)
	}
	return p.UserPool, c.UserPoolClient
}

func lastCode(t testing.TB, s *Service, poolID, username string) string {
	t.Helper()
	msgs, err := s.Messages(context.Background(), store.MessageFilter{PoolID: poolID, Username: username})
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no message for %s: %v", username, err)
	}
	return msgs[len(msgs)-1].Code
}

func TestFlow_SignUpConfirmSignIn(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s,
		CreateUserPoolInput{PoolName: "p", PoolSettings: PoolSettings{AutoVerifiedAttributes: []string{"email"}}},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	out, err := s.SignUp(ctx, &SignUpInput{ClientId: client.ClientId, Username: "alice", Password: "Passw0rd!",
		UserAttributes: []AttributeType{{Name: "email", Value: "alice@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserConfirmed || out.CodeDeliveryDetails == nil || out.CodeDeliveryDetails.Destination != "a***@e***" {
		t.Fatalf("SignUp = %+v %+v", out, out.CodeDeliveryDetails)
	}
	if _, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}}); cognito.ErrorCode(err) != cognito.UserNotConfirmed {
		t.Fatalf("sign-in before confirmation: %v", err)
	}
	if _, err := s.ConfirmSignUp(ctx, &ConfirmSignUpInput{ClientId: client.ClientId, Username: "alice", ConfirmationCode: "000000x"}); cognito.ErrorCode(err) != cognito.CodeMismatch {
		t.Fatalf("wrong code: %v", err)
	}
	code := lastCode(t, s, pool.Id, "alice")
	if _, err := s.ConfirmSignUp(ctx, &ConfirmSignUpInput{ClientId: client.ClientId, Username: "alice", ConfirmationCode: code}); err != nil {
		t.Fatal(err)
	}
	res, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.GetUser(ctx, &AccessTokenInput{AccessToken: res.AuthenticationResult.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range u.UserAttributes {
		got[a.Name] = a.Value
	}
	if got["email_verified"] != "true" || got["email"] != "alice@example.com" {
		t.Fatalf("attributes after confirmation: %v", got)
	}
	if _, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "wrong"}}); cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("wrong password: %v", err)
	}

	// SRP with the Go client.
	c, _ := srp.NewClient()
	ch, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_SRP_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "SRP_A": c.AHex()}})
	if err != nil {
		t.Fatal(err)
	}
	p := ch.ChallengeParameters
	ts := srp.FormatTimestamp(s.now())
	sig, err := c.Signature(srp.PoolName(pool.Id), p["USER_ID_FOR_SRP"], "Passw0rd!", p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts)
	if err != nil {
		t.Fatal(err)
	}
	done, err := s.RespondToAuthChallenge(ctx, &RespondToAuthChallengeInput{ClientId: client.ClientId, ChallengeName: "PASSWORD_VERIFIER",
		ChallengeResponses: map[string]string{"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(done.AuthenticationResult.IdToken, ".") {
		t.Fatal("no id token")
	}
	// Refresh, then global sign-out kills both tokens.
	ref, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"REFRESH_TOKEN": done.AuthenticationResult.RefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GlobalSignOut(ctx, &AccessTokenInput{AccessToken: ref.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetUser(ctx, &AccessTokenInput{AccessToken: ref.AuthenticationResult.AccessToken}); err == nil || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("GetUser after sign-out: %v", err)
	}
	if _, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"REFRESH_TOKEN": done.AuthenticationResult.RefreshToken}}); err == nil || !strings.Contains(err.Error(), "revoked") {
		t.Fatalf("refresh after sign-out: %v", err)
	}
}
