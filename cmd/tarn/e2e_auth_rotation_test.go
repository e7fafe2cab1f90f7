package main

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestE2E_GetTokensFromRefreshToken_WithAndWithoutRotation uses the SDK's
// typed GetTokensFromRefreshToken: without rotation it returns new access
// and ID tokens only; with rotation (grace period 0) it also returns a new
// refresh token and the old one stops working.
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
	if _, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: rotating.ClientId, RefreshToken: old}); errCode(err) != "NotAuthorizedException" {
		t.Fatalf("rotated-out refresh token: %v, want NotAuthorizedException", err)
	}
	if _, err := ts.cip.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: rotating.ClientId, RefreshToken: out.AuthenticationResult.RefreshToken}); err != nil {
		t.Fatalf("new refresh token: %v", err)
	}
}
