package userpool

import (
	"context"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// TestChallengeAnswer_UsernameMustMatchTheSession: a NEW_PASSWORD_REQUIRED
// session of one user cannot be answered in another user's name (whose
// SECRET_HASH the caller may hold); an alias of the right user is fine.
func TestChallengeAnswer_UsernameMustMatchTheSession(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p", AliasAttributes: []string{"email"}},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	for _, name := range []string{"eve", "mallory"} {
		if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: name, MessageAction: "SUPPRESS", TemporaryPassword: "Temp0rary!",
			UserAttributes: []AttributeType{{Name: "email", Value: name + "@example.com"}, {Name: "email_verified", Value: "true"}}}); err != nil {
			t.Fatal(err)
		}
	}
	ch, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "eve", "PASSWORD": "Temp0rary!"}})
	if err != nil {
		t.Fatal(err)
	}
	answer := func(username string) error {
		_, err := s.RespondToAuthChallenge(ctx, &RespondToAuthChallengeInput{ClientId: client.ClientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: ch.Session,
			ChallengeResponses: map[string]string{"USERNAME": username, "NEW_PASSWORD": "Passw0rd!"}})
		return err
	}
	if err := answer("mallory"); cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("answer in another user's name: %v, want NotAuthorizedException", err)
	}
	if err := answer("eve@example.com"); err != nil {
		t.Fatalf("answer by the user's verified email alias: %v", err)
	}
}

// TestVerifyUserAttribute_OnlyEmailOrPhoneTheUserHas.
func TestVerifyUserAttribute_OnlyEmailOrPhoneTheUserHas(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p"},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "ann", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "ann", Password: "Passw0rd!", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	res := passwordSignIn(t, s, client.ClientId, "ann", "Passw0rd!")
	for _, name := range []string{"email", "name"} {
		_, err := s.VerifyUserAttribute(ctx, &VerifyUserAttributeInput{AccessToken: res.AccessToken, AttributeName: name, Code: "123456"})
		if cognito.ErrorCode(err) != cognito.InvalidParameter {
			t.Fatalf("VerifyUserAttribute %s on a user without it: %v, want InvalidParameterException", name, err)
		}
	}
}

// TestChangePassword_WrongPreviousPasswordCountsTowardLockout: five wrong
// previous passwords lock the user like five failed sign-ins.
func TestChangePassword_WrongPreviousPasswordCountsTowardLockout(t *testing.T) {
	s := newTestService(t)
	frozen := time.Now()
	s.now = func() time.Time { return frozen } // the lock cannot run out during the test
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p"},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "bo", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "bo", Password: "Passw0rd!", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	res := passwordSignIn(t, s, client.ClientId, "bo", "Passw0rd!")
	change := func(prev string) error {
		_, err := s.ChangePassword(ctx, &ChangePasswordInput{AccessToken: res.AccessToken, PreviousPassword: prev, ProposedPassword: "N3w-Passw0rd!"})
		return err
	}
	for i := 0; i < lockoutFree; i++ {
		if err := change("wrong"); err == nil || err.Error() != cognito.ErrIncorrectPassword().Error() {
			t.Fatalf("wrong previous password %d: %v", i+1, err)
		}
	}
	err := change("Passw0rd!")
	if cognito.ErrorCode(err) != cognito.NotAuthorized || err.(*cognito.Error).Message != "Password attempts exceeded" {
		t.Fatalf("right previous password while locked: %v, want Password attempts exceeded", err)
	}
}
