package main

// Per-user attempt quotas (api.md §9): the calls past a quota in a rolling
// hour get LimitExceededException, and the window moves on the server's
// clock.

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const attemptLimitMessage = "Attempt limit exceeded, please try after some time."

// tickClock is a clock the test moves, which also ticks a microsecond at
// every reading, as a real one would have moved on meanwhile (the outbox
// orders messages by time).
type tickClock struct{ mnClock }

func (c *tickClock) Now() time.Time {
	c.Advance(time.Microsecond)
	return c.mnClock.Now()
}

// quotaTarn starts tarn on a clock the test moves.
func quotaTarn(t *testing.T) (*tarnServer, *tickClock) {
	clock := &tickClock{mnClock{t: time.Now()}}
	return startTarn(t, func(m *Main) { m.clock = clock.Now }), clock
}

// auResend calls ResendConfirmationCode.
func (ts *tarnServer) auResend(clientID, username string) error {
	_, err := ts.cip.ResendConfirmationCode(ctxT(ts.t), &cip.ResendConfirmationCodeInput{ClientId: &clientID, Username: &username})
	return err
}

// wantAttemptLimit requires LimitExceededException with Cognito's text.
func wantAttemptLimit(t *testing.T, what string, err error) {
	t.Helper()
	wantFailure(t, what, err, "LimitExceededException", attemptLimitMessage)
}

func TestE2E_Quota_ResendConfirmationCodeFivePerHourPerUser(t *testing.T) {
	ts, clock := quotaTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.auSignUp(clientID, "rita", auPassword, attr("email", "rita@example.com"))
	ts.auSignUp(clientID, "ruth", auPassword, attr("email", "ruth@example.com"))
	resend := func(username string) error { return ts.auResend(clientID, username) }
	for i := 1; i <= 5; i++ {
		clock.Advance(time.Minute)
		if err := resend("rita"); err != nil {
			t.Fatalf("resend %d: %v", i, err)
		}
	}
	sent := len(ts.auMessages(poolID, "rita", "ResendCode"))
	wantAttemptLimit(t, "sixth resend within the hour", resend("rita"))
	if n := len(ts.auMessages(poolID, "rita", "ResendCode")); n != sent {
		t.Errorf("a refused resend sent a message: %d messages, want %d", n, sent)
	}
	if err := resend("ruth"); err != nil {
		t.Errorf("another user's resend: %v", err)
	}
	// The code sent last still confirms.
	if err := ts.auConfirm(clientID, "rita", ts.lastCode(poolID, "rita")); err != nil {
		t.Fatalf("ConfirmSignUp with the last code: %v", err)
	}
}

func TestE2E_Quota_ResendSlotsFreeAsTheHourRolls(t *testing.T) {
	ts, clock := quotaTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.auSignUp(clientID, "rose", auPassword, attr("email", "rose@example.com"))
	resend := func() error { return ts.auResend(clientID, "rose") }
	for i := 0; i < 5; i++ {
		if err := resend(); err != nil {
			t.Fatalf("resend %d: %v", i+1, err)
		}
		clock.Advance(10 * time.Minute)
	}
	wantAttemptLimit(t, "sixth resend", resend())
	clock.Advance(10*time.Minute + time.Second) // the first resend is now over an hour old
	if err := resend(); err != nil {
		t.Fatalf("resend once the first is an hour old: %v", err)
	}
	wantAttemptLimit(t, "the next one, with the other four still inside the hour", resend())
	if n := len(ts.auMessages(poolID, "rose", "ResendCode")); n != 6 {
		t.Errorf("%d ResendCode messages, want 6", n)
	}
}

func TestE2E_Quota_ConfirmSignUpFifteenWrongCodesPerHour(t *testing.T) {
	ts, clock := quotaTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.auSignUp(clientID, "sam", auPassword, attr("email", "sam@example.com"))
	code := ts.lastCode(poolID, "sam")
	for i := 1; i <= 15; i++ {
		wantErr(t, "wrong code", ts.auConfirm(clientID, "sam", auOtherCode(code)), "CodeMismatchException")
	}
	wantAttemptLimit(t, "wrong code past the quota", ts.auConfirm(clientID, "sam", auOtherCode(code)))
	wantAttemptLimit(t, "right code past the quota", ts.auConfirm(clientID, "sam", code))
	if got := ts.auAdminGet(poolID, "sam").UserStatus; got != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status after a refused confirmation: %s", got)
	}

	// An hour later the quota is back, but this code has had its fifteen
	// wrong guesses: it is spent, and a new one works.
	clock.Advance(time.Hour + time.Second)
	wantErr(t, "the spent code an hour later", ts.auConfirm(clientID, "sam", code), "TooManyFailedAttemptsException")
	if err := ts.auResend(clientID, "sam"); err != nil {
		t.Fatalf("ResendConfirmationCode: %v", err)
	}
	if err := ts.auConfirm(clientID, "sam", ts.lastCode(poolID, "sam")); err != nil {
		t.Fatalf("ConfirmSignUp with a new code: %v", err)
	}
}

func TestE2E_Quota_ConfirmForgotPasswordTenWrongCodesPerHour(t *testing.T) {
	ts, clock := quotaTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.auSignedUp(poolID, clientID, "tess", "tess@example.com", auPassword)
	forgot := func() string {
		t.Helper()
		if _, err := ts.cip.ForgotPassword(ctxT(t), &cip.ForgotPasswordInput{ClientId: &clientID, Username: aws.String("tess")}); err != nil {
			t.Fatalf("ForgotPassword: %v", err)
		}
		return ts.auLastMessage(poolID, "tess", "ForgotPassword").Code
	}
	confirm := func(code string) error {
		_, err := ts.cip.ConfirmForgotPassword(ctxT(t), &cip.ConfirmForgotPasswordInput{ClientId: &clientID,
			Username: aws.String("tess"), ConfirmationCode: &code, Password: aws.String("N3w-Passw0rd!")})
		return err
	}
	code := forgot()
	for i := 1; i <= 10; i++ {
		wantErr(t, "wrong reset code", confirm(auOtherCode(code)), "CodeMismatchException")
	}
	wantAttemptLimit(t, "right reset code past the quota", confirm(code))
	// A new code does not buy new guesses.
	code = forgot()
	wantAttemptLimit(t, "a fresh reset code past the quota", confirm(code))
	ts.auTokens(clientID, "tess", auPassword) // the password did not change

	clock.Advance(time.Hour + time.Second) // the code has expired too
	if err := confirm(forgot()); err != nil {
		t.Fatalf("ConfirmForgotPassword an hour later: %v", err)
	}
	ts.auTokens(clientID, "tess", "N3w-Passw0rd!")
}

func TestE2E_Quota_ChangePasswordFivePerHour(t *testing.T) {
	ts, clock := quotaTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.auSignedUp(poolID, clientID, "uma", "uma@example.com", auPassword)
	access := ts.auTokens(clientID, "uma", auPassword).AccessToken
	change := func(from, to string) error {
		_, err := ts.cip.ChangePassword(ctxT(t), &cip.ChangePasswordInput{AccessToken: access,
			PreviousPassword: &from, ProposedPassword: &to})
		return err
	}
	// Right and wrong previous passwords both count.
	wantErr(t, "wrong previous password", change("Wr0ng-password", "Other-Passw0rd1"), "NotAuthorizedException")
	passwords := []string{auPassword, "Second-Passw0rd", "Third-Passw0rd", "Fourth-Passw0rd", "Fifth-Passw0rd"}
	for i := 0; i < 4; i++ {
		if err := change(passwords[i], passwords[i+1]); err != nil {
			t.Fatalf("change %d: %v", i+1, err)
		}
	}
	wantAttemptLimit(t, "sixth ChangePassword", change(passwords[4], "Sixth-Passw0rd"))
	ts.auTokens(clientID, "uma", passwords[4]) // the refused call changed nothing

	clock.Advance(time.Hour + time.Second)
	access = ts.auTokens(clientID, "uma", passwords[4]).AccessToken // the old one has expired
	if err := change(passwords[4], "Sixth-Passw0rd"); err != nil {
		t.Fatalf("ChangePassword an hour later: %v", err)
	}
	ts.auTokens(clientID, "uma", "Sixth-Passw0rd")
}

func TestE2E_Quota_AttributeVerificationCodes(t *testing.T) {
	ts, clock := quotaTarn(t)
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
	ts.auSignedUp(poolID, clientID, "vic", "vic@example.com", auPassword)
	access := ts.auTokens(clientID, "vic", auPassword).AccessToken
	getCode := func() error {
		_, err := ts.cip.GetUserAttributeVerificationCode(ctxT(t), &cip.GetUserAttributeVerificationCodeInput{
			AccessToken: access, AttributeName: aws.String("email")})
		return err
	}
	verify := func(code string) error {
		_, err := ts.cip.VerifyUserAttribute(ctxT(t), &cip.VerifyUserAttributeInput{AccessToken: access,
			AttributeName: aws.String("email"), Code: &code})
		return err
	}
	for i := 1; i <= 5; i++ {
		if err := getCode(); err != nil {
			t.Fatalf("GetUserAttributeVerificationCode %d: %v", i, err)
		}
	}
	wantAttemptLimit(t, "sixth GetUserAttributeVerificationCode", getCode())
	code := ts.auLastMessage(poolID, "vic", "VerifyUserAttribute").Code
	for i := 1; i <= 15; i++ {
		wantErr(t, "wrong verification code", verify(auOtherCode(code)), "CodeMismatchException")
	}
	wantAttemptLimit(t, "right verification code past the quota", verify(code))

	clock.Advance(time.Hour + time.Second)
	access = ts.auTokens(clientID, "vic", auPassword).AccessToken // the old one has expired
	if err := getCode(); err != nil {
		t.Fatalf("GetUserAttributeVerificationCode an hour later: %v", err)
	}
	if err := verify(ts.auLastMessage(poolID, "vic", "VerifyUserAttribute").Code); err != nil {
		t.Fatalf("VerifyUserAttribute an hour later: %v", err)
	}
}

// concurrently runs call n times at once and counts the exception names
// of the answers ("" for success).
func concurrently(n int, call func(i int) error) map[string]int {
	codes := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- errCode(call(i))
		}()
	}
	wg.Wait()
	close(codes)
	got := map[string]int{}
	for c := range codes {
		got[c]++
	}
	return got
}

// A quota holds when the calls come at once: the count and the attempt it
// allows are one step, on one node and on three sharing PostgreSQL.
func TestE2E_Quota_HoldsUnderConcurrency(t *testing.T) {
	t.Run("attribute codes on one node", func(t *testing.T) {
		ts := startTarn(t)
		poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{})
		ts.auSignedUp(poolID, clientID, "cora", "cora@example.com", auPassword)
		access := ts.auTokens(clientID, "cora", auPassword).AccessToken
		got := concurrently(30, func(int) error {
			_, err := ts.cip.GetUserAttributeVerificationCode(ctxT(t), &cip.GetUserAttributeVerificationCodeInput{
				AccessToken: access, AttributeName: aws.String("email")})
			return err
		})
		if got["LimitExceededException"] != 25 || got[""] != 5 {
			t.Errorf("30 concurrent GetUserAttributeVerificationCode calls: %v, want 5 sent and 25 LimitExceededException", got)
		}
		if n := len(ts.auMessages(poolID, "cora", "VerifyUserAttribute")); n != 5 {
			t.Errorf("%d verification messages sent, want 5", n)
		}
	})
	t.Run("wrong sign-up codes on three nodes", func(t *testing.T) {
		nodes := startCluster(t, 3, pgDatabase(t, pgOptions{}))
		poolID, _ := nodes[0].auEmailPool(cip.CreateUserPoolInput{})
		// Behind PreventUserExistenceErrors an unknown name must run out
		// exactly as a real user does.
		clientID := *nodes[0].client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
			PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
		nodes[0].auSignUp(clientID, "cleo", auPassword, attr("email", "cleo@example.com"))
		code := nodes[0].lastCode(poolID, "cleo")
		for _, name := range []string{"cleo", "nobody"} {
			got := concurrently(45, func(i int) error {
				return nodes[i%3].auConfirm(clientID, name, auOtherCode(code))
			})
			if got["CodeMismatchException"] != 15 || got["LimitExceededException"] != 30 {
				t.Errorf("%s: 45 concurrent wrong codes over 3 nodes: %v, want 15 CodeMismatchException and 30 LimitExceededException", name, got)
			}
		}
	})
}

// Under PreventUserExistenceErrors an unknown name runs out of attempts
// like a real user does, so the quota tells nothing.
func TestE2E_Quota_UnknownUsersRunOutToo(t *testing.T) {
	ts := startTarn(t)
	poolID, _ := ts.auEmailPool(cip.CreateUserPoolInput{})
	hidden := *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	ts.auSignUp(hidden, "real", auPassword, attr("email", "real@example.com"))
	for _, name := range []string{"real", "ghost"} {
		for i := 1; i <= 15; i++ {
			wantErr(t, name+": wrong code", ts.auConfirm(hidden, name, "000000"), "CodeMismatchException")
		}
		wantAttemptLimit(t, name+": wrong code past the quota", ts.auConfirm(hidden, name, "000000"))
		resend := func() error { return ts.auResend(hidden, name) }
		for i := 1; i <= 5; i++ {
			if err := resend(); err != nil {
				t.Fatalf("%s: resend %d: %v", name, i, err)
			}
		}
		wantAttemptLimit(t, name+": sixth resend", resend())
		for i := 1; i <= 10; i++ {
			_, err := ts.cip.ConfirmForgotPassword(ctxT(t), &cip.ConfirmForgotPasswordInput{ClientId: &hidden, Username: aws.String(name),
				ConfirmationCode: aws.String("000000"), Password: aws.String("N3w-Passw0rd!")})
			if c := errCode(err); c != "CodeMismatchException" && c != "ExpiredCodeException" {
				t.Fatalf("%s: reset code %d: %v", name, i, err)
			}
		}
		_, err := ts.cip.ConfirmForgotPassword(ctxT(t), &cip.ConfirmForgotPasswordInput{ClientId: &hidden, Username: aws.String(name),
			ConfirmationCode: aws.String("000000"), Password: aws.String("N3w-Passw0rd!")})
		wantAttemptLimit(t, name+": reset code past the quota", err)
	}
}

// lockoutTarn starts tarn on a test clock with a pool, a confirmed user
// and a client that prevents user-existence errors (returned as hidden).
func lockoutTarn(t *testing.T, user string) (ts *tarnServer, clock *tickClock, poolID, hidden string) {
	ts, clock = quotaTarn(t)
	poolID, _ = ts.auEmailPool(cip.CreateUserPoolInput{})
	hidden = *ts.client(poolID, cip.CreateUserPoolClientInput{ClientName: aws.String("hidden"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled}).ClientId
	ts.confirmedUser(poolID, user, auPassword)
	return ts, clock, poolID, hidden
}

// passwordAnswer signs name in with USER_PASSWORD_AUTH and returns
// "signed in" or the error's errText.
func (ts *tarnServer) passwordAnswer(clientID, name, password string) string {
	_, err := ts.cip.InitiateAuth(ctxT(ts.t), &cip.InitiateAuthInput{ClientId: &clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password}})
	if err == nil {
		return "signed in"
	}
	return errText(err)
}

// Behind PreventUserExistenceErrors the sign-in lockout falls on unknown
// names as it does on real users: the same answers, in the same order, with
// USER_PASSWORD_AUTH and USER_SRP_AUTH.
func TestE2E_Lockout_UnknownNamesLockOutToo(t *testing.T) {
	ts, clock, poolID, hidden := lockoutTarn(t, "sam")
	answers := func(name string) []string {
		var got []string
		for range 6 {
			got = append(got, ts.passwordAnswer(hidden, name, "Wr0ng-password"))
		}
		_, err := ts.auStartSRP(hidden, name)
		return append(got, "SRP "+errText(err))
	}
	real, ghost := answers("sam"), answers("nobody")
	if !slices.Equal(real, ghost) {
		t.Errorf("a real user gets\n%q\nan unknown name\n%q", real, ghost)
	}
	if last := real[5]; last != "NotAuthorizedException: Password attempts exceeded" {
		t.Errorf("the sixth wrong password got %q, want the lockout", last)
	}
	// Once the lockout has passed, a wrong SRP proof fails like a real one.
	clock.Advance(2 * time.Second)
	for _, name := range []string{"sam", "nobody"} {
		x, err := ts.auStartSRP(hidden, name)
		if err != nil {
			t.Fatalf("%s: USER_SRP_AUTH after the lockout: %v", name, err)
		}
		_, err = ts.auRespond(hidden, types.ChallengeNameTypePasswordVerifier, nil, x.responses(t, poolID, "Wr0ng-password"))
		wantFailure(t, name+": wrong SRP proof after the lockout", err, "NotAuthorizedException", "Incorrect username or password.")
	}
}

// api.md §3.8: 15 minutes without a failed sign-in start the count again;
// a shorter pause does not. A real user and an unknown name behind
// PreventUserExistenceErrors get the same answers.
func TestE2E_Lockout_FifteenQuietMinutesResetTheCount(t *testing.T) {
	ts, clock, _, hidden := lockoutTarn(t, "quinn")
	wrong := func(name string, n int) (got []string) {
		for range n {
			got = append(got, ts.passwordAnswer(hidden, name, "Wr0ng-password"))
		}
		return got
	}
	const incorrect, exceeded = "NotAuthorizedException: Incorrect username or password.", "NotAuthorizedException: Password attempts exceeded"
	four := []string{incorrect, incorrect, incorrect, incorrect}
	for _, name := range []string{"quinn", "nobody"} {
		// Four failures, then 15 quiet minutes: four more are not a lockout.
		if got := wrong(name, 4); !slices.Equal(got, four) {
			t.Fatalf("%s: first four failures %q", name, got)
		}
	}
	clock.Advance(15 * time.Minute)
	for _, name := range []string{"quinn", "nobody"} {
		if got := wrong(name, 4); !slices.Equal(got, four) {
			t.Errorf("%s: four failures after 15 quiet minutes %q, want no lockout", name, got)
		}
	}
	// Just under 15 minutes later the count goes on: the fifth failure
	// locks, for one second.
	clock.Advance(15*time.Minute - time.Second)
	for _, name := range []string{"quinn", "nobody"} {
		if got := wrong(name, 2); !slices.Equal(got, []string{incorrect, exceeded}) {
			t.Errorf("%s: failures 5 and 6 after a pause under 15 minutes %q, want the lockout on the sixth", name, got)
		}
	}
	clock.Advance(time.Second)
	if got := ts.passwordAnswer(hidden, "quinn", auPassword); got != "signed in" {
		t.Errorf("quinn: right password after the one-second lockout: %s", got)
	}
}

// A run of failures less than 15 minutes apart counts in full however long
// it lasts, for an unknown name as for a real user (attempts are kept long
// enough for the run's last 15 failures); 15 quiet minutes after an earned
// lockout start the count again.
func TestE2E_Lockout_LongRunsCountInFullForUnknownNamesToo(t *testing.T) {
	ts, clock, _, hidden := lockoutTarn(t, "rory")
	names := []string{"rory", "nobody"}
	const incorrect, exceeded = "NotAuthorizedException: Incorrect username or password.", "NotAuthorizedException: Password attempts exceeded"
	attempt := func(what, want string) {
		t.Helper()
		for _, name := range names {
			if got := ts.passwordAnswer(hidden, name, "Wr0ng-password"); got != want {
				t.Fatalf("%s: %s: %q, want %q", name, what, got, want)
			}
		}
	}
	for i := 1; i <= 5; i++ {
		attempt(fmt.Sprintf("failure %d", i), incorrect)
	}
	// Every 14 minutes, past each lockout (at most 2^8 s here): failures
	// 6 to 13, over an hour and a half.
	for i := 6; i <= 13; i++ {
		clock.Advance(14 * time.Minute)
		attempt(fmt.Sprintf("failure %d, 14 minutes on", i), incorrect)
	}
	// The 13th failure locks for 2^8 s.
	clock.Advance(2 * time.Minute)
	attempt("two minutes after the 13th failure", exceeded)
	// 15 quiet minutes after the last failure: a new run, no lockout for 4.
	clock.Advance(13 * time.Minute)
	for i := 1; i <= 4; i++ {
		attempt(fmt.Sprintf("failure %d of a new run", i), incorrect)
	}
}
