package main

import (
	"time"

	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/srp"
)

// TestTrigger_CustomAuth_RealNodeHandlers drives CUSTOM_AUTH through the
// SDK with define / create / verify handlers written for AWS: a question,
// a wrong then a right answer, tokens; the SRP_A variant that checks the
// password first; and failure after three wrong answers.
func TestTrigger_CustomAuth_RealNodeHandlers(t *testing.T) {
	trRequireNode(t)
	fn := func(handler string) map[string]any {
		f := trNodeFunction(t, "customauth")
		f["Handler"] = "index." + handler
		return f
	}
	cfg := trConfigFile(t, map[string]map[string]any{"define": fn("define"), "create": fn("create"), "verify": fn("verify")})
	ts := startTarn(t, func(m *Main) { m.ConfigFile = cfg })
	poolID, clientID := ts.trPool(&types.LambdaConfigType{
		DefineAuthChallenge: trARN("define"), CreateAuthChallenge: trARN("create"), VerifyAuthChallengeResponse: trARN("verify"),
	}, cip.CreateUserPoolInput{}, cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	ts.confirmedUser(poolID, "carol", "Passw0rd!")
	ctx := ctxT(t)

	start, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeCustomAuth,
		AuthParameters: map[string]string{"USERNAME": "carol"}})
	if err != nil {
		t.Fatal(err)
	}
	if start.ChallengeName != types.ChallengeNameTypeCustomChallenge || start.ChallengeParameters["question"] != "What is six times seven?" ||
		start.ChallengeParameters["USERNAME"] != "carol" || aws.ToString(start.Session) == "" {
		t.Fatalf("first challenge: %+v", start)
	}
	answer := func(session *string, a string) (*cip.RespondToAuthChallengeOutput, error) {
		return ts.cip.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &clientID, ChallengeName: types.ChallengeNameTypeCustomChallenge,
			Session: session, ChallengeResponses: map[string]string{"USERNAME": "carol", "ANSWER": a}})
	}
	wrong, err := answer(start.Session, "41")
	if err != nil || wrong.ChallengeName != types.ChallengeNameTypeCustomChallenge {
		t.Fatalf("after a wrong answer: %+v %v", wrong, err)
	}
	done, err := answer(wrong.Session, "42")
	if err != nil || done.AuthenticationResult == nil || aws.ToString(done.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("after the right answer: %+v %v", done, err)
	}
	if _, err := ts.cip.GetUser(ctx, &cip.GetUserInput{AccessToken: done.AuthenticationResult.AccessToken}); err != nil {
		t.Fatalf("GetUser with the custom-auth token: %v", err)
	}

	// Three wrong answers: the define handler fails the sign-in.
	out, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeCustomAuth,
		AuthParameters: map[string]string{"USERNAME": "carol"}})
	if err != nil {
		t.Fatal(err)
	}
	session := out.Session
	for i := 0; i < 2; i++ {
		r, err := answer(session, "0")
		if err != nil {
			t.Fatal(err)
		}
		session = r.Session
	}
	_, err = answer(session, "0")
	wantErr(t, "third wrong answer", err, "NotAuthorizedException")

	// CUSTOM_AUTH with SRP_A: the password comes first (PASSWORD_VERIFIER),
	// then the question.
	c, _ := srp.NewClient()
	pv, err := ts.cip.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeCustomAuth,
		AuthParameters: map[string]string{"USERNAME": "carol", "CHALLENGE_NAME": "SRP_A", "SRP_A": c.AHex()}})
	if err != nil || pv.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("SRP_A start: %+v %v", pv, err)
	}
	p := pv.ChallengeParameters
	stamp := srp.FormatTimestamp(time.Now())
	sig, err := c.Signature(srp.PoolName(poolID), p["USER_ID_FOR_SRP"], "Passw0rd!", p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], stamp)
	if err != nil {
		t.Fatal(err)
	}
	q, err := ts.cip.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &clientID, ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ChallengeResponses: map[string]string{"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": stamp}})
	if err != nil || q.ChallengeName != types.ChallengeNameTypeCustomChallenge {
		t.Fatalf("after the password: %+v %v", q, err)
	}
	if done, err := answer(q.Session, "42"); err != nil || done.AuthenticationResult == nil {
		t.Fatalf("SRP_A then right answer: %+v %v", done, err)
	}
	inv := ts.trLastInvocation(poolID, "DefineAuthChallenge")
	if inv.Outcome != "ok" || inv.Runner != "local" {
		t.Fatalf("define invocation %+v", inv)
	}
}
