package userpool

import (
	"context"
	"errors"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/lambda"
	"github.com/tarn-idp/tarn/internal/store"
	"github.com/tarn-idp/tarn/internal/triggers"
)

func withGoTriggers(t *testing.T, s *Service) *lambda.Host {
	t.Helper()
	h, err := lambda.New(lambda.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	s.trig = &triggers.Dispatcher{Invoker: h}
	return h
}

func passwordSignIn(t *testing.T, s *Service, clientID, username, password string) *AuthenticationResult {
	t.Helper()
	out, err := s.InitiateAuth(context.Background(), &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: clientID,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign-in of %s: %+v %v", username, out, err)
	}
	return out.AuthenticationResult
}

// A failing pre token generation function must not cost the user its
// refresh token: with rotation on, the old token stays usable when no new
// one could be issued.
func TestReview_RotationKeepsTokenWhenPreTokenFails(t *testing.T) {
	s := newTestService(t)
	h := withGoTriggers(t, s)
	fail := false
	h.RegisterGo("pretoken", func(_ context.Context, payload []byte) ([]byte, error) {
		if fail {
			return nil, errors.New("nope")
		}
		return payload, nil
	})
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s,
		CreateUserPoolInput{PoolName: "p", PoolSettings: PoolSettings{LambdaConfig: &cognito.LambdaConfig{PreTokenGeneration: arn("pretoken")}}},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			RefreshTokenRotation: &cognito.RefreshTokenRotation{Feature: "ENABLED"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "ann", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "ann", Password: "Passw0rd!", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	res := passwordSignIn(t, s, client.ClientId, "ann", "Passw0rd!")
	fail = true
	if _, err := s.GetTokensFromRefreshToken(ctx, &GetTokensFromRefreshTokenInput{ClientId: client.ClientId, RefreshToken: res.RefreshToken}); cognito.ErrorCode(err) != cognito.UserLambdaValidation {
		t.Fatalf("refresh with a failing pre token function: %v", err)
	}
	fail = false
	out, err := s.GetTokensFromRefreshToken(ctx, &GetTokensFromRefreshTokenInput{ClientId: client.ClientId, RefreshToken: res.RefreshToken})
	if err != nil || out.AuthenticationResult.RefreshToken == "" {
		t.Fatalf("refresh after the function recovered: %+v %v", out, err)
	}
}

// A verification code goes with the value it was sent to: once the
// attribute changes, the old code must not verify the new value.
func TestReview_VerificationCodeDiesWithOldValue(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s,
		CreateUserPoolInput{PoolName: "p", AliasAttributes: []string{"email"}},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "bob", MessageAction: "SUPPRESS",
		UserAttributes: []AttributeType{{Name: "email", Value: "bob@example.com"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "bob", Password: "Passw0rd!", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	res := passwordSignIn(t, s, client.ClientId, "bob", "Passw0rd!")
	if _, err := s.GetUserAttributeVerificationCode(ctx, &GetUserAttributeVerificationCodeInput{AccessToken: res.AccessToken, AttributeName: "email"}); err != nil {
		t.Fatal(err)
	}
	code := lastCode(t, s, pool.Id, "bob")
	if _, err := s.UpdateUserAttributes(ctx, &UpdateUserAttributesInput{AccessToken: res.AccessToken,
		UserAttributes: []AttributeType{{Name: "email", Value: "victim@example.com"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyUserAttribute(ctx, &VerifyUserAttributeInput{AccessToken: res.AccessToken, AttributeName: "email", Code: code}); err == nil {
		t.Fatal("a code sent to bob@example.com verified victim@example.com")
	}
	u, err := s.AdminGetUser(ctx, &AdminGetUserInput{UserPoolId: pool.Id, Username: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range u.UserAttributes {
		if a.Name == "email_verified" && a.Value == "true" {
			t.Fatalf("email verified: %+v", u.UserAttributes)
		}
	}
}

// failingPools is a store whose GetPool fails as a broken database would.
type failingPools struct{ store.Store }

var errDatabaseDown = errors.New("database down")

func (failingPools) GetPool(context.Context, string) (cognito.UserPool, error) {
	return cognito.UserPool{}, errDatabaseDown
}

// A store failure while checking an access token is a server error, not
// an invalid token (which makes SDKs sign the user out).
func TestReview_AuthorizeStoreErrorIsNotInvalidToken(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p"},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "cy", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "cy", Password: "Passw0rd!", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	res := passwordSignIn(t, s, client.ClientId, "cy", "Passw0rd!")
	s.st = failingPools{s.st}
	if _, err := s.GetUser(ctx, &AccessTokenInput{AccessToken: res.AccessToken}); !errors.Is(err, errDatabaseDown) {
		t.Fatalf("GetUser with the store down: %v, want the store error", err)
	}
}

// api.md §5.11: a client that prevents user-existence errors answers a
// sign-in of a user needing a password reset with NotAuthorizedException.
func TestReview_ResetRequiredHiddenWhenPreventingExistenceErrors(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p"},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			PreventUserExistenceErrors: "ENABLED"}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "dee", MessageAction: "SUPPRESS",
		UserAttributes: []AttributeType{{Name: "email", Value: "dee@example.com"}, {Name: "email_verified", Value: "true"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "dee", Password: "Passw0rd!", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminResetUserPassword(ctx, &AdminUserInput{UserPoolId: pool.Id, Username: "dee"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "dee", "PASSWORD": "Passw0rd!"}})
	if cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("sign-in of a RESET_REQUIRED user: %v, want NotAuthorizedException", err)
	}
}

// A user disabled while a challenge is pending must not get tokens by
// answering it (api.md §5.2 step 6 applies to the whole sign-in), and the
// answer must change nothing.
func TestReview_DisabledDuringNewPasswordChallenge(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p"},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "eve", MessageAction: "SUPPRESS", TemporaryPassword: "Temp0rary!"}); err != nil {
		t.Fatal(err)
	}
	ch, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "eve", "PASSWORD": "Temp0rary!"}})
	if err != nil || ch.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("InitiateAuth: %+v %v", ch, err)
	}
	if _, err := s.AdminDisableUser(ctx, &AdminUserInput{UserPoolId: pool.Id, Username: "eve"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.RespondToAuthChallenge(ctx, &RespondToAuthChallengeInput{ClientId: client.ClientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: ch.Session,
		ChallengeResponses: map[string]string{"USERNAME": "eve", "NEW_PASSWORD": "Passw0rd!"}})
	if cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("answer of a disabled user: %v, want NotAuthorizedException", err)
	}
	u, err := s.AdminGetUser(ctx, &AdminGetUserInput{UserPoolId: pool.Id, Username: "eve"})
	if err != nil || u.UserStatus != cognito.StatusForceChangePassword {
		t.Fatalf("status after the refused answer: %+v %v", u, err)
	}
}

func TestReview_DisabledDuringCustomChallenge(t *testing.T) {
	s := newTestService(t)
	h := withGoTriggers(t, s)
	goTrigger(h, "define", func(ev map[string]any) {
		sess := ev["request"].(map[string]any)["session"].([]any)
		if len(sess) > 0 && sess[len(sess)-1].(map[string]any)["challengeResult"] == true {
			ev["response"] = map[string]any{"issueTokens": true}
		} else {
			ev["response"] = map[string]any{"challengeName": "CUSTOM_CHALLENGE"}
		}
	})
	goTrigger(h, "create", func(ev map[string]any) {
		ev["response"] = map[string]any{"publicChallengeParameters": map[string]any{"q": "?"}, "privateChallengeParameters": map[string]any{"a": "42"}}
	})
	goTrigger(h, "verify", func(ev map[string]any) {
		ev["response"] = map[string]any{"answerCorrect": ev["request"].(map[string]any)["challengeAnswer"] == "42"}
	})
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p", PoolSettings: PoolSettings{LambdaConfig: &cognito.LambdaConfig{
		DefineAuthChallenge: arn("define"), CreateAuthChallenge: arn("create"), VerifyAuthChallengeResponse: arn("verify")}}},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "fay", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "fay", Password: "Passw0rd!", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	ch, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "CUSTOM_AUTH", ClientId: client.ClientId, AuthParameters: map[string]string{"USERNAME": "fay"}})
	if err != nil || ch.ChallengeName != "CUSTOM_CHALLENGE" {
		t.Fatalf("InitiateAuth: %+v %v", ch, err)
	}
	if _, err := s.AdminDisableUser(ctx, &AdminUserInput{UserPoolId: pool.Id, Username: "fay"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.RespondToAuthChallenge(ctx, &RespondToAuthChallengeInput{ClientId: client.ClientId, ChallengeName: "CUSTOM_CHALLENGE", Session: ch.Session,
		ChallengeResponses: map[string]string{"USERNAME": "fay", "ANSWER": "42"}})
	if cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("right answer of a disabled user: %v, want NotAuthorizedException", err)
	}
}
