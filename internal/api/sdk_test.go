package api_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/tarn-idp/tarn/internal/api"
	"github.com/tarn-idp/tarn/internal/cognito"
)

// The wire format is only right if the real SDK reads it: these tests point
// aws-sdk-go-v2's cognito-idp client at the handler.

type signUpIn struct {
	ClientId string `json:"ClientId" aws:"required,len=1-128"`
	Username string `json:"Username" aws:"required,len=1-128"`
	Password string `json:"Password" aws:"sensitive"`
}

type signUpOut struct {
	UserConfirmed bool   `json:"UserConfirmed"`
	UserSub       string `json:"UserSub"`
}

func sdkClient(t *testing.T, ops map[string]api.Operation) *cip.Client {
	t.Helper()
	ts := newServer(t, func(c *api.Config) { c.Ops = ops })
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("x", "y", ""),
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		o.BaseEndpoint = aws.String(ts.URL)
		o.RetryMaxAttempts = 1
	})
}

func TestSDK_SuccessDecodes(t *testing.T) {
	client := sdkClient(t, map[string]api.Operation{
		"SignUp": api.Op(func(_ context.Context, in *signUpIn) (*signUpOut, error) {
			return &signUpOut{UserConfirmed: false, UserSub: "sub-of-" + in.Username}, nil
		}),
	})
	out, err := client.SignUp(context.Background(), &cip.SignUpInput{
		ClientId: aws.String("client"), Username: aws.String("alice"), Password: aws.String("Passw0rd!"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.UserSub) != "sub-of-alice" || out.UserConfirmed {
		t.Errorf("output %+v", out)
	}
}

func TestSDK_TypedCognitoError(t *testing.T) {
	client := sdkClient(t, map[string]api.Operation{
		"SignUp": api.Op(func(context.Context, *signUpIn) (*signUpOut, error) {
			return nil, cognito.Errorf("UsernameExistsException", "User already exists")
		}),
	})
	_, err := client.SignUp(context.Background(), &cip.SignUpInput{
		ClientId: aws.String("client"), Username: aws.String("alice"), Password: aws.String("Passw0rd!"),
	})
	var exists *types.UsernameExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("error %T %v, want *types.UsernameExistsException", err, err)
	}
	if exists.ErrorMessage() != "User already exists" {
		t.Errorf("message %q", exists.ErrorMessage())
	}
}

func TestSDK_ValidationError(t *testing.T) {
	client := sdkClient(t, map[string]api.Operation{
		"SignUp": api.Op(func(context.Context, *signUpIn) (*signUpOut, error) { return &signUpOut{}, nil }),
	})
	// The SDK checks required members itself; an empty Username gets through.
	_, err := client.SignUp(context.Background(), &cip.SignUpInput{
		ClientId: aws.String("client"), Username: aws.String(""), Password: aws.String("Passw0rd!"),
	})
	var invalid *types.InvalidParameterException
	if !errors.As(err, &invalid) {
		t.Fatalf("error %T %v, want *types.InvalidParameterException", err, err)
	}
	want := "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null"
	if invalid.ErrorMessage() != want {
		t.Errorf("message %q, want %q", invalid.ErrorMessage(), want)
	}
}

func TestSDK_UnknownOperation(t *testing.T) {
	client := sdkClient(t, map[string]api.Operation{})
	_, err := client.DescribeUserPool(context.Background(), &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_abc")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v, want a smithy.APIError", err, err)
	}
	if apiErr.ErrorCode() != "UnknownOperationException" {
		t.Errorf("code %q", apiErr.ErrorCode())
	}
	if want := "tarn does not implement DescribeUserPool yet"; apiErr.ErrorMessage() != want {
		t.Errorf("message %q, want %q", apiErr.ErrorMessage(), want)
	}
}
