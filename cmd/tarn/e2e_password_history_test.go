package main

// PasswordPolicy.PasswordHistorySize (api.md §3.8): a new password may not
// repeat the last n, on every operation that sets one.

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const historyViolation = "PasswordHistoryPolicyViolationException"

func TestE2E_PasswordHistory_EveryWayOfSettingAPassword(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	policy := &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(8),
		RequireNumbers: true, RequireLowercase: true, RequireUppercase: true, RequireSymbols: true, PasswordHistorySize: aws.Int32(3)}}
	poolID, clientID := ts.auEmailPool(cip.CreateUserPoolInput{Policies: policy})
	if got := ts.describePool(poolID).Policies.PasswordPolicy.PasswordHistorySize; aws.ToInt32(got) != 3 {
		t.Fatalf("DescribeUserPool PasswordHistorySize %v, want 3", got)
	}
	const p1, p2, p3, p4, p5 = "First-Passw0rd", "Second-Passw0rd", "Third-Passw0rd", "Fourth-Passw0rd", "Fifth-Passw0rd"
	ts.confirmedUser(poolID, "hal", p1, attr("email", "hal@example.com"), attr("email_verified", "true"))
	set := func(pw string) error {
		_, err := ts.cip.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("hal"),
			Password: aws.String(pw), Permanent: true})
		return err
	}

	wantErr(t, "AdminSetUserPassword to the current password", set(p1), historyViolation)
	access := ts.auTokens(clientID, "hal", p1).AccessToken
	change := func(from, to string) error {
		_, err := ts.cip.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: access, PreviousPassword: &from, ProposedPassword: &to})
		return err
	}
	if err := change(p1, p2); err != nil {
		t.Fatalf("ChangePassword to a new password: %v", err)
	}
	wantErr(t, "ChangePassword back to the previous password", change(p2, p1), historyViolation)
	ts.auTokens(clientID, "hal", p2) // the refused change left the password alone

	// The window holds three: p3 (current), p2, p1.
	if err := set(p3); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "AdminSetUserPassword to the third-newest password", set(p1), historyViolation)
	if err := set(p4); err != nil { // p4, p3, p2: p1 has left the window
		t.Fatal(err)
	}
	if err := set(p1); err != nil {
		t.Errorf("AdminSetUserPassword to a password four back: %v", err)
	}

	// An administrator's reset keeps the history: the forgotten-password
	// answer may not repeat it, and the code survives a refused answer.
	if _, err := ts.cip.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("hal")}); err != nil {
		t.Fatalf("AdminResetUserPassword: %v", err)
	}
	code := ts.lastCode(poolID, "hal")
	confirm := func(pw string) error {
		_, err := ts.cip.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: aws.String("hal"),
			ConfirmationCode: &code, Password: aws.String(pw)})
		return err
	}
	wantErr(t, "ConfirmForgotPassword with a recent password", confirm(p4), historyViolation)
	if err := confirm(p5); err != nil {
		t.Fatalf("ConfirmForgotPassword with a new password, same code: %v", err)
	}
	ts.auTokens(clientID, "hal", p5)

	// The temporary password counts for NEW_PASSWORD_REQUIRED.
	const tmp = "Tempor4ry-Pass"
	if _, err := ts.cip.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("ivy"),
		TemporaryPassword: aws.String(tmp), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	ch, err := ts.passwordAuth(clientID, "ivy", tmp)
	if err != nil || ch.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("sign-in with the temporary password: %v %v", ch, err)
	}
	_, err = ts.auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, ch.Session,
		map[string]string{"USERNAME": "ivy", "NEW_PASSWORD": tmp})
	wantErr(t, "NEW_PASSWORD_REQUIRED answered with the temporary password", err, historyViolation)
	out, err := ts.auRespond(clientID, types.ChallengeNameTypeNewPasswordRequired, ch.Session,
		map[string]string{"USERNAME": "ivy", "NEW_PASSWORD": p1})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("NEW_PASSWORD_REQUIRED with a new password, same session: %v %v", out, err)
	}
}

// Without a history size, nothing is remembered.
func TestE2E_PasswordHistory_OffByDefault(t *testing.T) {
	ts := startTarn(t)
	poolID, _ := ts.auEmailPool(cip.CreateUserPoolInput{})
	if got := ts.describePool(poolID).Policies.PasswordPolicy.PasswordHistorySize; got != nil {
		t.Errorf("DescribeUserPool PasswordHistorySize %v, want absent", *got)
	}
	ts.confirmedUser(poolID, "ned", auPassword)
	_, err := ts.cip.AdminSetUserPassword(ctxT(t), &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("ned"),
		Password: aws.String(auPassword), Permanent: true})
	if err != nil {
		t.Errorf("AdminSetUserPassword to the same password without a history: %v", err)
	}
}

// Password history needs the ESSENTIALS or PLUS tier; 0 turns it off and
// is then not shown.
func TestE2E_PasswordHistory_TierAndZero(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	history := func(n int32) *types.UserPoolPolicyType {
		return &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(8), PasswordHistorySize: aws.Int32(n)}}
	}
	_, err := ts.cip.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("lite"), UserPoolTier: types.UserPoolTierTypeLite, Policies: history(2)})
	wantErr(t, "CreateUserPool LITE with a password history", err, "FeatureUnavailableInTierException")
	poolID := *ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("zero"), UserPoolTier: types.UserPoolTierTypeLite, Policies: history(0)}).Id
	if got := ts.describePool(poolID).Policies.PasswordPolicy.PasswordHistorySize; got != nil {
		t.Errorf("PasswordHistorySize 0 shows as %d, want absent", *got)
	}
	_, err = ts.cip.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: &poolID, Policies: history(5)})
	wantErr(t, "UpdateUserPool of a LITE pool to a password history", err, "FeatureUnavailableInTierException")
	if _, err := ts.cip.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: &poolID, Policies: history(5),
		UserPoolTier: types.UserPoolTierTypeEssentials}); err != nil {
		t.Errorf("UpdateUserPool to ESSENTIALS with a password history: %v", err)
	}
}

// TemporaryPasswordValidityDays replaced AdminCreateUserConfig's
// UnusedAccountValidityDays; giving both is refused, the old one alone
// still works.
func TestE2E_TemporaryPasswordValidity_LegacyTwin(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	_, err := ts.cip.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("both"),
		Policies:              &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(8), TemporaryPasswordValidityDays: 3}},
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{UnusedAccountValidityDays: 10}})
	wantErr(t, "CreateUserPool with both validity settings", err, "InvalidParameterException")
	p := ts.pool(cip.CreateUserPoolInput{PoolName: aws.String("legacy"),
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{UnusedAccountValidityDays: 10}})
	d := ts.describePool(*p.Id)
	if got := d.Policies.PasswordPolicy.TemporaryPasswordValidityDays; got != 10 {
		t.Errorf("TemporaryPasswordValidityDays %d, want 10 from UnusedAccountValidityDays", got)
	}
	// DescribeUserPool shows both; its output goes back through
	// UpdateUserPool as it is.
	if _, err := ts.cip.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: p.Id, Policies: d.Policies,
		AdminCreateUserConfig: d.AdminCreateUserConfig, AutoVerifiedAttributes: d.AutoVerifiedAttributes}); err != nil {
		t.Errorf("UpdateUserPool with DescribeUserPool's policies and AdminCreateUserConfig: %v", err)
	}
}

// describePool returns DescribeUserPool's pool, failing on any error.
func (ts *tarnServer) describePool(poolID string) *types.UserPoolType {
	ts.t.Helper()
	out, err := ts.cip.DescribeUserPool(ctxT(ts.t), &cip.DescribeUserPoolInput{UserPoolId: &poolID})
	if err != nil {
		ts.t.Fatalf("DescribeUserPool: %v", err)
	}
	return out.UserPool
}
