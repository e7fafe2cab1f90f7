// Command gofunc is a pre token generation (V1_0) trigger built with
// aws-lambda-go and its events types; tarn's tests build it and run it as a
// provided.al2023 function. It adds a string claim to the ID token and
// replaces the user's groups.
package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, ev events.CognitoEventUserPoolsPreTokenGen) (events.CognitoEventUserPoolsPreTokenGen, error) {
	fmt.Println("gofunc", ev.TriggerSource, ev.UserName)
	ev.Response.ClaimsOverrideDetails.ClaimsToAddOrOverride = map[string]string{
		"department": "engineering",
		"groupsSeen": fmt.Sprint(len(ev.Request.GroupConfiguration.GroupsToOverride)),
	}
	ev.Response.ClaimsOverrideDetails.GroupOverrideDetails = events.GroupConfiguration{
		GroupsToOverride: []string{"from-go", "admins"},
	}
	return ev, nil
}

func main() { lambda.Start(handle) }
