package main

// The latency a warm local Node pre sign-up trigger adds to SignUp, through
// the SDK against an in-memory tarn:
//
//	go test ./cmd/tarn -run '^$' -bench 'SignUpPreSignUpTrigger' -benchtime 2000x

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func BenchmarkSignUpPreSignUpTrigger(b *testing.B) {
	trRequireNode(b)
	cfg := trConfigFile(b, map[string]map[string]any{"presignup-cjs": trNodeFunction(b, "presignup-cjs")})
	ts := startTarn(b, func(m *Main) { m.ConfigFile = cfg })
	var p50 = map[string]float64{}
	run := func(name string, lc *types.LambdaConfigType) {
		b.Run(name, func(b *testing.B) {
			_, clientID := ts.trPool(lc, cip.CreateUserPoolInput{AutoVerifiedAttributes: []types.VerifiedAttributeType{}}, cip.CreateUserPoolClientInput{})
			ctx := ctxT(b)
			signUp := func(i int) time.Duration {
				start := time.Now()
				_, err := ts.cip.SignUp(ctx, &cip.SignUpInput{ClientId: &clientID, Username: aws.String(fmt.Sprintf("user-%s-%d-%d", name, b.N, i)),
					Password: aws.String(auPassword)})
				if err != nil {
					b.Fatal(err)
				}
				return time.Since(start)
			}
			// Warm up: start the Node process and the connections.
			for i := range 20 {
				signUp(-1 - i)
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lat = append(lat, signUp(i))
			}
			b.StopTimer()
			slices.Sort(lat)
			p50[name] = float64(lat[len(lat)/2].Microseconds()) / 1000
			b.ReportMetric(p50[name], "p50-ms")
			if base, ok := p50["NoTrigger"]; ok && name != "NoTrigger" {
				b.ReportMetric(p50[name]-base, "added-p50-ms")
			}
		})
	}
	run("NoTrigger", nil)
	run("WarmNodePreSignUp", &types.LambdaConfigType{PreSignUp: trARN("presignup-cjs")})
}
