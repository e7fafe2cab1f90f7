package main

// USER_SRP_AUTH driven by the Go SRP client (internal/srp), which computes
// what amazon-cognito-identity-js computes.

import (
	"encoding/base64"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/srp"
)

var auHexRE = regexp.MustCompile(`^[0-9a-fA-F]+$`)

// auSRPUser starts a server with an email pool and a confirmed user "sam".
func auSRPUser(t *testing.T, configure ...func(*Main)) (ts *tarnServer, poolID, clientID string) {
	ts = startTarn(t, configure...)
	poolID, clientID = ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.confirmedUser(poolID, "sam", auPassword, attr("email", "sam@example.com"), attr("email_verified", "true"))
	return ts, poolID, clientID
}

func TestE2E_SRP_PasswordVerifierChallengeThenTokens(t *testing.T) {
	ts, poolID, clientID := auSRPUser(t)
	x, err := ts.auStartSRP(clientID, "sam")
	if err != nil {
		t.Fatalf("InitiateAuth USER_SRP_AUTH: %v", err)
	}
	ch := x.Challenge
	if ch.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("ChallengeName = %q, want PASSWORD_VERIFIER", ch.ChallengeName)
	}
	if ch.Session != nil {
		t.Errorf("PASSWORD_VERIFIER came with a Session %q; Cognito sends none", *ch.Session)
	}
	if ch.AuthenticationResult != nil {
		t.Error("tokens before the password proof")
	}
	p := ch.ChallengeParameters
	if !auHexRE.MatchString(p["SALT"]) || !auHexRE.MatchString(p["SRP_B"]) {
		t.Errorf("SALT %q / SRP_B %q are not hex", p["SALT"], p["SRP_B"])
	}
	if b, err := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"]); err != nil || len(b) == 0 {
		t.Errorf("SECRET_BLOCK %q is not standard padded base64: %v", p["SECRET_BLOCK"], err)
	}
	if p["USER_ID_FOR_SRP"] != "sam" || p["USERNAME"] != "sam" {
		t.Errorf("USER_ID_FOR_SRP %q USERNAME %q, want sam", p["USER_ID_FOR_SRP"], p["USERNAME"])
	}

	out, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword))
	if err != nil {
		t.Fatalf("PASSWORD_VERIFIER: %v", err)
	}
	res := out.AuthenticationResult
	if res == nil || res.AccessToken == nil || res.IdToken == nil || res.RefreshToken == nil {
		t.Fatalf("PASSWORD_VERIFIER answer: %+v, want tokens", out)
	}
	u, err := ts.auGetUser(*res.AccessToken)
	if err != nil || aws.ToString(u.Username) != "sam" {
		t.Fatalf("GetUser with the SRP access token: %v %v", u, err)
	}
}

func TestE2E_SRP_WrongPassword_NotAuthorized(t *testing.T) {
	ts, poolID, clientID := auSRPUser(t)
	x, err := ts.auStartSRP(clientID, "sam")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, "Wr0ng-password"))
	wantErr(t, "PASSWORD_VERIFIER with a wrong password", err, "NotAuthorizedException")
}

func TestE2E_SRP_SecretBlockNotIssuedOrTampered_NotAuthorized(t *testing.T) {
	ts, poolID, clientID := auSRPUser(t)
	sign := func(x *auSRP, block string) map[string]string {
		t.Helper()
		p := x.Challenge.ChallengeParameters
		stamp := srp.FormatTimestamp(time.Now())
		// The signature is computed over the block actually sent, so only
		// the server's check of the block itself can refuse it.
		sig, err := x.client.Signature(srp.PoolName(poolID), "sam", auPassword, p["SALT"], p["SRP_B"], block, stamp)
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"USERNAME": "sam", "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": stamp}
	}
	start := func() *auSRP {
		x, err := ts.auStartSRP(clientID, "sam")
		if err != nil {
			t.Fatal(err)
		}
		return x
	}

	t.Run("Tampered", func(t *testing.T) {
		x := start()
		raw, _ := base64.StdEncoding.DecodeString(x.Challenge.ChallengeParameters["SECRET_BLOCK"])
		raw[len(raw)/2] ^= 0x01
		_, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, sign(x, base64.StdEncoding.EncodeToString(raw)))
		wantErr(t, "PASSWORD_VERIFIER with a tampered SECRET_BLOCK", err, "NotAuthorizedException")
	})
	t.Run("Invented", func(t *testing.T) {
		x := start()
		_, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, sign(x, base64.StdEncoding.EncodeToString([]byte("not a secret block issued by tarn"))))
		wantErr(t, "PASSWORD_VERIFIER with an invented SECRET_BLOCK", err, "NotAuthorizedException")
	})
	t.Run("FromAnotherExchange", func(t *testing.T) {
		x, other := start(), start()
		_, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, sign(x, other.Challenge.ChallengeParameters["SECRET_BLOCK"]))
		wantErr(t, "PASSWORD_VERIFIER with the SECRET_BLOCK of another exchange", err, "NotAuthorizedException")
	})
	t.Run("OtherClient", func(t *testing.T) {
		x := start()
		c2 := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("other")})
		_, err := ts.auRespond(*c2.ClientId, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword))
		wantErr(t, "PASSWORD_VERIFIER answered to another client", err, "NotAuthorizedException")
	})
	t.Run("IssuedBlockStillWorks", func(t *testing.T) {
		x := start()
		if _, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, sign(x, x.Challenge.ChallengeParameters["SECRET_BLOCK"])); err != nil {
			t.Fatalf("PASSWORD_VERIFIER with the issued block: %v", err)
		}
	})
}

func TestE2E_SRP_MalformedTimestamp_InvalidParameter(t *testing.T) {
	ts, poolID, clientID := auSRPUser(t)
	x, err := ts.auStartSRP(clientID, "sam")
	if err != nil {
		t.Fatal(err)
	}
	r := x.responses(t, poolID, auPassword)
	r["TIMESTAMP"] = "2026-11-21T10:00:00Z"
	_, err = ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, r)
	wantErr(t, "PASSWORD_VERIFIER with an ISO timestamp", err, "InvalidParameterException")
}

func TestE2E_SRP_UnknownUser_LegacyUserNotFound(t *testing.T) {
	ts, _, clientID := auSRPUser(t)
	_, err := ts.auStartSRP(clientID, "nobody")
	wantErr(t, "USER_SRP_AUTH for an unknown user", err, "UserNotFoundException")
}

func TestE2E_SRP_UsernameAttributesPool_UserIDForSRPIsTheSub(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	sub := ts.auSignedUp(poolID, clientID, "lena@example.com", "lena@example.com", auPassword)
	x, err := ts.auStartSRP(clientID, "lena@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Challenge.ChallengeParameters["USER_ID_FOR_SRP"]; got != sub {
		t.Errorf("USER_ID_FOR_SRP = %q, want the internal username %q", got, sub)
	}
	out, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword))
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("PASSWORD_VERIFIER: %+v %v", out, err)
	}
}

// The SRP state travels sealed in SECRET_BLOCK: an exchange begun on one
// tarn finishes on another that shares the database and the server key.
func TestE2E_SRP_FinishedOnAnotherServerSharingDatabaseAndKey(t *testing.T) {
	dir := t.TempDir()
	// One public URL, as behind a load balancer, so both issue the same iss.
	shared := func(m *Main) { m.DataDir, m.DB, m.PublicURL = dir, "", "http://tarn.example" }
	first := startTarn(t, shared)
	second := startTarn(t, shared)
	poolID, clientID := first.auEmailPool(cip.CreateUserPoolInput{})
	first.confirmedUser(poolID, "sam", auPassword)

	x, err := first.auStartSRP(clientID, "sam")
	if err != nil {
		t.Fatalf("InitiateAuth on the first server: %v", err)
	}
	out, err := second.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword))
	if err != nil {
		t.Fatalf("PASSWORD_VERIFIER on the second server: %v", err)
	}
	res := out.AuthenticationResult
	if res == nil || res.AccessToken == nil {
		t.Fatalf("no tokens from the second server: %+v", out)
	}
	// Tokens of one node are good on the other.
	if _, err := first.auGetUser(*res.AccessToken); err != nil {
		t.Errorf("GetUser on the first server with the second's token: %v", err)
	}
	// And the reverse direction.
	y, err := second.auStartSRP(clientID, "sam")
	if err != nil {
		t.Fatalf("InitiateAuth on the second server: %v", err)
	}
	if _, err := first.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, y.responses(t, poolID, auPassword)); err != nil {
		t.Fatalf("PASSWORD_VERIFIER on the first server: %v", err)
	}
	// A server with another key cannot open the block.
	other := startTarn(t, func(m *Main) { m.DataDir, m.DB, m.ServerKeyFile = dir, "", filepath.Join(dir, "other.key") })
	z, err := first.auStartSRP(clientID, "sam")
	if err != nil {
		t.Fatal(err)
	}
	_, err = other.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, z.responses(t, poolID, auPassword))
	wantErr(t, "PASSWORD_VERIFIER on a server with another key", err, "NotAuthorizedException")
}

// TIMESTAMP is hashed in its canonical rendering: a zero-padded day or a
// wrong weekday parses but fails the proof; a clock 12 hours off is fine.
func TestE2E_SRP_TimestampMustBeCanonicalButClockSkewIsTolerated(t *testing.T) {
	ts, poolID, clientID := auSRPUser(t)
	answer := func(stamp string) error {
		t.Helper()
		x, err := ts.auStartSRP(clientID, "sam")
		if err != nil {
			t.Fatal(err)
		}
		p := x.Challenge.ChallengeParameters
		sig, err := x.client.Signature(srp.PoolName(poolID), "sam", auPassword, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], stamp)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, map[string]string{"USERNAME": "sam",
			"PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": stamp})
		return err
	}
	wantErr(t, "zero-padded day", answer("Thu Nov 05 09:03:07 UTC 2026"), "NotAuthorizedException")
	wantErr(t, "wrong weekday", answer("Fri Nov 5 09:03:07 UTC 2026"), "NotAuthorizedException")
	if err := answer("Thu Nov 5 09:03:07 UTC 2026"); err != nil {
		t.Errorf("canonical timestamp of another day: %v", err)
	}
	if err := answer(srp.FormatTimestamp(time.Now().Add(-12 * time.Hour))); err != nil {
		t.Errorf("timestamp 12 hours behind: %v", err)
	}
}

func TestE2E_SRP_ExistenceErrorsPrevented_UnknownUserFailsAtTheProof(t *testing.T) {
	ts, poolID, _ := auSRPUser(t)
	hidden := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	x, err := ts.auStartSRP(hidden, "nobody")
	if err != nil {
		t.Fatalf("USER_SRP_AUTH for an unknown user with existence errors prevented: %v", err)
	}
	if x.Challenge.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("challenge %q, want a PASSWORD_VERIFIER look-alike", x.Challenge.ChallengeName)
	}
	_, err = ts.auRespond(hidden, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword))
	wantErr(t, "PASSWORD_VERIFIER for an unknown user", err, "NotAuthorizedException")
	// The same client still signs existing users in.
	y, err := ts.auStartSRP(hidden, "sam")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.auRespond(hidden, types.ChallengeNameTypePasswordVerifier, nil, y.responses(t, poolID, auPassword)); err != nil {
		t.Errorf("PASSWORD_VERIFIER for sam: %v", err)
	}
}

// SRP signs the canonical username: typing another case in a
// case-insensitive pool, or a verified email alias, still works.
func TestE2E_SRP_CanonicalUsernameForCaseAndAlias(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		AliasAttributes:       []types.AliasAttributeType{types.AliasAttributeTypeEmail},
	})
	name := ts.auSignedUp(poolID, clientID, "Mia", "Mia@Example.com", auPassword)
	for _, typed := range []string{"MIA", "mia", "mia@example.com", "MIA@EXAMPLE.COM"} {
		x, err := ts.auStartSRP(clientID, typed)
		if err != nil {
			t.Fatalf("USER_SRP_AUTH as %s: %v", typed, err)
		}
		if got := x.Challenge.ChallengeParameters["USER_ID_FOR_SRP"]; got != name {
			t.Errorf("as %s: USER_ID_FOR_SRP %q, want %q", typed, got, name)
		}
		if _, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword)); err != nil {
			t.Errorf("PASSWORD_VERIFIER as %s: %v", typed, err)
		}
		if _, err := ts.passwordAuth(clientID, typed, auPassword); err != nil {
			t.Errorf("USER_PASSWORD_AUTH as %s: %v", typed, err)
		}
	}
}

// The PASSWORD_VERIFIER answer's USERNAME must name the user the
// SECRET_BLOCK was issued for (an alias of that user is fine): a proof for
// one user cannot be replayed under another's name, and a SECRET_HASH over
// another name does not pass.
func TestE2E_SRP_AnswerUsernameMustBeTheChallengedUser(t *testing.T) {
	ts := startTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}})
	ts.auSignedUp(poolID, clientID, "alma", "alma@example.com", auPassword)
	ts.auSignedUp(poolID, clientID, "bea", "bea@example.com", auPassword)
	for _, other := range []string{"bea", "bea@example.com", "nobody"} {
		x, err := ts.auStartSRP(clientID, "alma")
		if err != nil {
			t.Fatal(err)
		}
		r := x.responses(t, poolID, auPassword)
		r["USERNAME"] = other
		out, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, r)
		wantErr(t, "alma's proof answered as "+other, err, "NotAuthorizedException")
		if out != nil && out.AuthenticationResult != nil {
			t.Fatalf("tokens for alma's proof answered as %s", other)
		}
	}
	x, err := ts.auStartSRP(clientID, "alma")
	if err != nil {
		t.Fatal(err)
	}
	r := x.responses(t, poolID, auPassword)
	r["USERNAME"] = "alma@example.com"
	out, err := ts.auRespond(clientID, types.ChallengeNameTypePasswordVerifier, nil, r)
	if err != nil {
		t.Fatalf("alma's proof answered with her own email alias: %v", err)
	}
	if got := auClaims(t, *out.AuthenticationResult.AccessToken)["username"]; got != "alma" {
		t.Errorf("tokens are for %v, want alma", got)
	}

	// With a client secret, the hash must be over the challenged user.
	secret := ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("s"), GenerateSecret: true})
	sid := *secret.ClientId
	x, err = ts.auStartSRPWith(sid, "alma", map[string]string{"SECRET_HASH": auSecretHash(*secret.ClientSecret, "alma", sid)})
	if err != nil {
		t.Fatal(err)
	}
	r = x.responses(t, poolID, auPassword)
	r["USERNAME"], r["SECRET_HASH"] = "bea", auSecretHash(*secret.ClientSecret, "bea", sid)
	_, err = ts.auRespond(sid, types.ChallengeNameTypePasswordVerifier, nil, r)
	wantErr(t, "alma's proof with bea's name and SECRET_HASH", err, "NotAuthorizedException")
}

// In a pool whose users sign in with their email, real users' USER_ID_FOR_SRP
// is a UUID; the stand-in challenge for an unknown email under
// PreventUserExistenceErrors must look the same, stay stable, and keep its
// salt stable too.
func TestE2E_SRP_ExistenceErrorsPrevented_UnknownEmailGetsAUUID(t *testing.T) {
	ts := startTarn(t)
	p := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("p"), UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	hidden := *ts.client(*p.Id, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	ts.auSignedUp(*p.Id, hidden, "real@example.com", "real@example.com", auPassword)
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	params := func(email string) map[string]string {
		x, err := ts.auStartSRP(hidden, email)
		if err != nil {
			t.Fatalf("USER_SRP_AUTH %s: %v", email, err)
		}
		return x.Challenge.ChallengeParameters
	}
	real, ghost, again := params("real@example.com"), params("nobody@example.com"), params("nobody@example.com")
	for name, p := range map[string]map[string]string{"real user": real, "unknown email": ghost} {
		if !uuidRE.MatchString(p["USER_ID_FOR_SRP"]) || p["USERNAME"] != p["USER_ID_FOR_SRP"] {
			t.Errorf("%s: USER_ID_FOR_SRP %q USERNAME %q, want one UUID in both", name, p["USER_ID_FOR_SRP"], p["USERNAME"])
		}
		if len(p["SALT"]) < 30 {
			t.Errorf("%s: SALT %q is short", name, p["SALT"])
		}
	}
	if ghost["USER_ID_FOR_SRP"] != again["USER_ID_FOR_SRP"] || ghost["SALT"] != again["SALT"] {
		t.Errorf("the unknown email's stand-in changed between attempts: %v / %v", ghost, again)
	}
	if other := params("other@example.com"); other["USER_ID_FOR_SRP"] == ghost["USER_ID_FOR_SRP"] || other["SALT"] == ghost["SALT"] {
		t.Errorf("two unknown emails share a stand-in: %v / %v", other, ghost)
	}
}

// Behind PreventUserExistenceErrors, a PASSWORD_VERIFIER answer gets the
// same errors for a real user and for an unknown name: a wrong USERNAME,
// and a wrong proof.
func TestE2E_SRP_ExistenceErrorsPrevented_AnswersTellNothing(t *testing.T) {
	ts, poolID, _ := auSRPUser(t)
	hidden := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	answer := func(username string, change func(r map[string]string)) string {
		x, err := ts.auStartSRP(hidden, username)
		if err != nil {
			t.Fatalf("USER_SRP_AUTH %s: %v", username, err)
		}
		r := x.responses(t, poolID, "Wr0ng-password")
		change(r)
		_, err = ts.auRespond(hidden, types.ChallengeNameTypePasswordVerifier, nil, r)
		return errText(err)
	}
	for what, change := range map[string]func(r map[string]string){
		"another USERNAME": func(r map[string]string) { r["USERNAME"] = "someone-else" },
		"a wrong password": func(r map[string]string) {},
		"the name in other case": func(r map[string]string) {
			r["USERNAME"] = strings.ToUpper(r["USERNAME"])
		},
	} {
		real, ghost := answer("sam", change), answer("nobody", change)
		if real != ghost {
			t.Errorf("%s: a real user gets %q, an unknown name %q", what, real, ghost)
		}
	}
	// In a pool where users sign in with their email (case-sensitive, the
	// API's default), USER_ID_FOR_SRP is a UUID, which finds its user in
	// any case: the stand-in's must too.
	emailPool := *ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("by-email"),
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}}).Id
	ts.confirmedUser(emailPool, "real@example.com", auPassword)
	byEmail := *ts.client(emailPool, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	upper := func(email string) string {
		x, err := ts.auStartSRP(byEmail, email)
		if err != nil {
			t.Fatalf("USER_SRP_AUTH %s: %v", email, err)
		}
		r := x.responses(t, emailPool, "Wr0ng-password")
		r["USERNAME"] = strings.ToUpper(r["USERNAME"])
		_, err = ts.auRespond(byEmail, types.ChallengeNameTypePasswordVerifier, nil, r)
		return errText(err)
	}
	if real, ghost := upper("real@example.com"), upper("ghost@example.com"); real != ghost {
		t.Errorf("USER_ID_FOR_SRP in upper case: a real user gets %q, an unknown email %q", real, ghost)
	}

	// A pool that ignores case keeps usernames in lower case: so does the
	// stand-in's USER_ID_FOR_SRP.
	folding, _ := ts.auEmailPool(cip.CreateUserPoolInput{PoolName: aws.String("folding"),
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}})
	ts.confirmedUser(folding, "Sam", auPassword)
	hidden = *ts.client(folding, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	for typed, want := range map[string]string{"SAM": "sam", "NoBody": "nobody"} {
		x, err := ts.auStartSRP(hidden, typed)
		if err != nil {
			t.Fatal(err)
		}
		if got := x.Challenge.ChallengeParameters["USER_ID_FOR_SRP"]; got != want {
			t.Errorf("USER_SRP_AUTH as %s: USER_ID_FOR_SRP %q, want %q", typed, got, want)
		}
	}
}

// Behind PreventUserExistenceErrors a user awaiting a password reset gets
// the stand-in challenge too, and fails at the proof like anyone else.
func TestE2E_SRP_ExistenceErrorsPrevented_ResetRequiredLooksUnknown(t *testing.T) {
	ts, poolID, _ := auSRPUser(t)
	hidden := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	if _, err := ts.cip.AdminResetUserPassword(ctxT(t), &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("sam")}); err != nil {
		t.Fatal(err)
	}
	x, err := ts.auStartSRP(hidden, "sam")
	if err != nil {
		t.Fatalf("USER_SRP_AUTH for a RESET_REQUIRED user: %v, want a PASSWORD_VERIFIER challenge", err)
	}
	_, err = ts.auRespond(hidden, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, auPassword))
	wantFailure(t, "PASSWORD_VERIFIER for a RESET_REQUIRED user", err, "NotAuthorizedException", "Incorrect username or password.")
}
