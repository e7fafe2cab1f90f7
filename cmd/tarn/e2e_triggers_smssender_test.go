package main

import (
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/tarn-idp/tarn/internal/lambda"
)

// TestTrigger_CustomSMSSender_SMSDeliveriesGoToIt: a pool whose sign-up
// code goes by SMS hands it to the custom SMS sender (asynchronously, type
// customSMSSenderRequestV1, code as base64 of the plaintext) and not to the
// email sender; an email delivery of the same pool goes to the email
// sender.
func TestTrigger_CustomSMSSender_SMSDeliveriesGoToIt(t *testing.T) {
	sms, email := &trRecorder{}, &trRecorder{}
	ts := startTarn(t, func(m *Main) { m.GoFunctions = map[string]lambda.GoFunc{"sms": sms.fn, "email": email.fn} })
	ctx := ctxT(t)
	poolID, clientID := ts.trPool(&types.LambdaConfigType{
		CustomSMSSender:   &types.CustomSMSLambdaVersionConfigType{LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10, LambdaArn: trARN("sms")},
		CustomEmailSender: &types.CustomEmailLambdaVersionConfigType{LambdaVersion: types.CustomEmailSenderLambdaVersionTypeV10, LambdaArn: trARN("email")},
		KMSKeyID:          aws.String("arn:aws:kms:us-east-1:000000000000:key/1a2b3c4d-5e6f-7a8b-9c0d-111122223333"),
	}, cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{"phone_number", "email"}}, cip.CreateUserPoolClientInput{})

	_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String("pia"), Password: aws.String(auPassword),
		UserAttributes: []types.AttributeType{attr("phone_number", "+14155550100"), attr("email", "pia@example.com")}})
	if err != nil {
		t.Fatal(err)
	}
	inv := ts.trWaitInvocation(poolID, "CustomSMSSender", "CustomSMSSender_SignUp")
	if inv.Outcome != "ok" {
		t.Fatalf("sms sender invocation %+v", inv)
	}
	evs := sms.bySource("CustomSMSSender_SignUp")
	if len(evs) != 1 {
		t.Fatalf("sms sender events: %v", evs)
	}
	req, _ := trEnvelope(t, evs[0], "CustomSMSSender_SignUp", poolID, "pia", clientID)
	trWant(t, "sms", req, "type", `"customSMSSenderRequestV1"`)
	code := ts.lastCode(poolID, "pia")
	if b, err := base64.StdEncoding.DecodeString(req["code"].(string)); err != nil || string(b) != code {
		t.Fatalf("request.code %v does not carry the code %s", req["code"], code)
	}
	if got := email.bySource("CustomEmailSender_SignUp"); len(got) != 0 {
		t.Fatalf("the email sender got the SMS code: %v", got)
	}
	if msgs := ts.messages(poolID, "pia"); len(msgs) != 1 || msgs[0].Medium != "SMS" || msgs[0].Destination != "+14155550100" {
		t.Fatalf("outbox: %+v", msgs)
	}
}
