package userpool

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/lambda"
	"github.com/tarn-idp/tarn/internal/triggers"
)

// goTrigger registers an in-process function that edits the event.
func goTrigger(h *lambda.Host, name string, fn func(ev map[string]any)) {
	h.RegisterGo(name, func(_ context.Context, payload []byte) ([]byte, error) {
		var ev map[string]any
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		fn(ev)
		return json.Marshal(ev)
	})
}

func arn(name string) string { return "arn:aws:lambda:us-east-1:000000000000:function:" + name }

// TestCustomAuth_OneTimeCodeChallenge runs the define → create → verify loop
// with a code challenge: a wrong answer gets another round, the right one
// tokens, and three wrong answers fail the sign-in.
func TestCustomAuth_OneTimeCodeChallenge(t *testing.T) {
	s := newTestService(t)
	h, err := lambda.New(lambda.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	s.trig = &triggers.Dispatcher{Invoker: h}
	var defineSessions [][]any
	goTrigger(h, "define", func(ev map[string]any) {
		req := ev["request"].(map[string]any)
		sess := req["session"].([]any)
		defineSessions = append(defineSessions, sess)
		resp := map[string]any{}
		switch {
		case len(sess) > 0 && sess[len(sess)-1].(map[string]any)["challengeResult"] == true:
			resp["issueTokens"] = true
		case len(sess) >= 3:
			resp["failAuthentication"] = true
		default:
			resp["challengeName"] = "CUSTOM_CHALLENGE"
		}
		ev["response"] = resp
	})
	goTrigger(h, "create", func(ev map[string]any) {
		ev["response"] = map[string]any{
			"publicChallengeParameters":  map[string]any{"hint": "the answer is 42"},
			"privateChallengeParameters": map[string]any{"answer": "42"},
			"challengeMetadata":          "CODE",
		}
	})
	goTrigger(h, "verify", func(ev map[string]any) {
		req := ev["request"].(map[string]any)
		ev["response"] = map[string]any{"answerCorrect": req["challengeAnswer"] == req["privateChallengeParameters"].(map[string]any)["answer"]}
	})
	ctx := context.Background()
	pool, client := mustPoolAndClient(t, s, CreateUserPoolInput{PoolName: "p", PoolSettings: PoolSettings{LambdaConfig: &cognito.LambdaConfig{
		DefineAuthChallenge: arn("define"), CreateAuthChallenge: arn("create"), VerifyAuthChallengeResponse: arn("verify")}}},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "carol", MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	start := func() *AuthOutput {
		out, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "CUSTOM_AUTH", ClientId: client.ClientId, AuthParameters: map[string]string{"USERNAME": "carol"}})
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != "CUSTOM_CHALLENGE" || out.ChallengeParameters["hint"] != "the answer is 42" || out.ChallengeParameters["USERNAME"] != "carol" || out.Session == "" {
			t.Fatalf("first round: %+v", out)
		}
		return out
	}
	answer := func(session, ans string) (*AuthOutput, error) {
		return s.RespondToAuthChallenge(ctx, &RespondToAuthChallengeInput{ClientId: client.ClientId, ChallengeName: "CUSTOM_CHALLENGE", Session: session,
			ChallengeResponses: map[string]string{"USERNAME": "carol", "ANSWER": ans}})
	}
	out := start()
	again, err := answer(out.Session, "41")
	if err != nil || again.ChallengeName != "CUSTOM_CHALLENGE" {
		t.Fatalf("wrong answer: %+v %v", again, err)
	}
	// The first round's Session cannot be replayed once the flow moved on.
	if _, err := answer(out.Session, "42"); cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("replayed first-round session: %v, want NotAuthorizedException", err)
	}
	done, err := answer(again.Session, "42")
	if err != nil || done.AuthenticationResult == nil || done.AuthenticationResult.RefreshToken == "" {
		t.Fatalf("right answer: %+v %v", done, err)
	}
	if _, err := answer(again.Session, "42"); cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("replayed session of a finished flow: %v, want NotAuthorizedException", err)
	}
	last := defineSessions[len(defineSessions)-1]
	if len(last) != 2 || last[1].(map[string]any)["challengeMetadata"] != "CODE" {
		t.Fatalf("define saw session %v", last)
	}

	out = start()
	for i := 0; i < 2; i++ {
		if out, err = answer(out.Session, "0"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := answer(out.Session, "0"); cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("third wrong answer: %v, want NotAuthorizedException", err)
	}
	if _, err := answer("not-a-session-at-all-xxxxxxxx", "42"); cognito.ErrorCode(err) != cognito.NotAuthorized {
		t.Fatalf("garbage session: %v", err)
	}
}
