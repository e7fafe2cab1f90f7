package main

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestE2E_GetTokensFromRefreshToken_WithAndWithoutRotation uses the SDK's
// typed GetTokensFromRefreshToken: without rotation it returns new access
// and ID tokens only; with rotation it also returns a new refresh token,
// and the old one fails with RefreshTokenReuseException once the grace
// period (0 or 60 s here) has passed.
func TestE2E_GetTokensFromRefreshToken_WithAndWithoutRotation(t *testing.T) {
	ts := startTarn(t)
	ctx := ctxT(t)
	pool := ts.pool(cip.CreateUserPoolInput{})
	plain := ts.client(*pool.Id, cip.CreateUserPoolClientInput{})
	rotating := ts.client(*pool.Id, cip.CreateUserPoolClientInput{ClientName: aws.String("rotating"),
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(0)}})
	ts.confirmedUser(*pool.Id, "rita", "Passw0rd!")

	in, err := ts.passwordAuth(*plain.ClientId, "rita", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	out, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: plain.ClientId, RefreshToken: in.AuthenticationResult.RefreshToken})
	if err != nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" || out.AuthenticationResult.RefreshToken != nil {
		t.Fatalf("without rotation: %+v %v", out, err)
	}

	in, err = ts.passwordAuth(*rotating.ClientId, "rita", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	old := in.AuthenticationResult.RefreshToken
	out, err = ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: rotating.ClientId, RefreshToken: old})
	if err != nil || aws.ToString(out.AuthenticationResult.RefreshToken) == "" || aws.ToString(out.AuthenticationResult.RefreshToken) == aws.ToString(old) {
		t.Fatalf("with rotation: %+v %v", out, err)
	}
	if _, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: rotating.ClientId, RefreshToken: old}); errCode(err) != "RefreshTokenReuseException" {
		t.Fatalf("rotated-out refresh token: %v, want RefreshTokenReuseException", err)
	}
	var reuse *types.RefreshTokenReuseException
	if _, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: rotating.ClientId, RefreshToken: old}); !errors.As(err, &reuse) {
		t.Fatalf("the SDK does not see a typed RefreshTokenReuseException: %v", err)
	}
	if _, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: rotating.ClientId, RefreshToken: out.AuthenticationResult.RefreshToken}); err != nil {
		t.Fatalf("new refresh token: %v", err)
	}

	// With a grace period the rotated-out token still works for a retry.
	graceful := ts.client(*pool.Id, cip.CreateUserPoolClientInput{ClientName: aws.String("graceful"),
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(60)}})
	in, err = ts.passwordAuth(*graceful.ClientId, "rita", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		out, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: graceful.ClientId, RefreshToken: in.AuthenticationResult.RefreshToken})
		if err != nil || aws.ToString(out.AuthenticationResult.RefreshToken) == "" {
			t.Fatalf("use %d of a token within its grace period: %+v %v", i+1, out, err)
		}
	}
}
