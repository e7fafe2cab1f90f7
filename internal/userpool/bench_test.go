package userpool

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/benchref"
	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/srp"
	"github.com/tarn-idp/tarn/internal/store"
)

// Server-side cost of the sign-in flows and of user reads, measured on the
// Service (no HTTP). The targets: USER_PASSWORD_AUTH < 3 ms and SRP
// < 5 ms of server CPU per login; AdminGetUser and a ListUsers page of 60 on
// 100,000 users < 3 ms and no slower than on 1,000. Run with
//   go test ./internal/userpool -run '^$' -bench . -benchtime 500x
// This is the service alone; cmd/tarn's BenchmarkServerCPU measures a whole
// tarn process over HTTP.

func benchPoolWithUser(b *testing.B) (*Service, cognito.UserPool, cognito.UserPoolClient) {
	s := newTestService(b)
	ctx := context.Background()
	pool, client := mustPoolAndClient(b, s, CreateUserPoolInput{PoolName: "bench"},
		CreateUserPoolClientInput{ClientName: "c", ClientSettings: ClientSettings{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})
	if _, err := s.AdminCreateUser(ctx, &AdminCreateUserInput{UserPoolId: pool.Id, Username: "alice", MessageAction: "SUPPRESS"}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.AdminSetUserPassword(ctx, &AdminSetUserPasswordInput{UserPoolId: pool.Id, Username: "alice", Password: "Passw0rd!", Permanent: true}); err != nil {
		b.Fatal(err)
	}
	// Warm the signing keys.
	if _, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}}); err != nil {
		b.Fatal(err)
	}
	return s, pool, client
}

// floorRatio reports ns/op in units of one RSA-2048 signature, and as a
// multiple of the login's floor (benchref.Floor), both measured in the same
// run. Call it after the timed loop.
func floorRatio(b *testing.B, floorOf func(benchref.Floor) time.Duration) {
	b.StopTimer()
	perOp := float64(b.Elapsed()) / float64(b.N)
	fx, err := benchref.NewFixture()
	if err != nil {
		b.Fatal(err)
	}
	f, err := fx.MeasureFloor(100)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(perOp/float64(f.Sign), "rsa-signs/op")
	b.ReportMetric(perOp/float64(floorOf(f)), "x-floor")
}

func BenchmarkLogin_UserPasswordAuth(b *testing.B) {
	s, _, client := benchPoolWithUser(b)
	ctx := context.Background()
	in := &InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientId: client.ClientId,
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Passw0rd!"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.InitiateAuth(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	floorRatio(b, benchref.Floor.PasswordLogin)
}

func BenchmarkLogin_SRP(b *testing.B) {
	s, pool, client := benchPoolWithUser(b)
	ctx := context.Background()
	ts := srp.FormatTimestamp(time.Now())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer() // the client's half of SRP is not server CPU
		c, _ := srp.NewClient()
		b.StartTimer()
		ch, err := s.InitiateAuth(ctx, &InitiateAuthInput{AuthFlow: "USER_SRP_AUTH", ClientId: client.ClientId,
			AuthParameters: map[string]string{"USERNAME": "alice", "SRP_A": c.AHex()}})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		p := ch.ChallengeParameters
		sig, err := c.Signature(srp.PoolName(pool.Id), p["USER_ID_FOR_SRP"], "Passw0rd!", p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.RespondToAuthChallenge(ctx, &RespondToAuthChallengeInput{ClientId: client.ClientId, ChallengeName: "PASSWORD_VERIFIER",
			ChallengeResponses: map[string]string{"USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}}); err != nil {
			b.Fatal(err)
		}
	}
	floorRatio(b, benchref.Floor.SRPLogin)
}

// fillPool stores n users directly (computing n verifiers would take
// minutes and is not what these benchmarks measure).
func fillPool(b *testing.B, s *Service, poolID string, n int) {
	ctx := context.Background()
	now := time.Now()
	for start := 0; start < n; start += 5000 {
		err := s.st.Tx(ctx, func(st store.Store) error {
			for i := start; i < start+5000 && i < n; i++ {
				name := fmt.Sprintf("user%07d", i)
				u := cognito.User{PoolID: poolID, Username: name, Sub: newUUID(), Status: cognito.StatusConfirmed, Enabled: true,
					Attributes: map[string]string{"email": name + "@example.com", "given_name": "Given", "family_name": "Family"},
					Created:    now, Modified: now}
				if err := st.CreateUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// Each pool size runs in a sub-benchmark of its own, so that its store is
// closed before the next size is filled: otherwise whichever size runs
// second pays for the first one's memory.
func BenchmarkUserReads(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s := newTestService(b)
			ctx := context.Background()
			p, err := s.CreateUserPool(ctx, &CreateUserPoolInput{PoolName: "big"})
			if err != nil {
				b.Fatal(err)
			}
			pool := p.UserPool
			fillPool(b, s, pool.Id, n)
			runtime.GC()
			middle := fmt.Sprintf("user%07d", n/2)
			b.Run("AdminGetUser", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.AdminGetUser(ctx, &AdminGetUserInput{UserPoolId: pool.Id, Username: middle}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("ListUsersPage60", func(b *testing.B) {
				token := s.newPager("ListUsers/"+pool.Id, listUsersTokenTTL).token(middle)
				for i := 0; i < b.N; i++ {
					out, err := s.ListUsers(ctx, &ListUsersInput{UserPoolId: pool.Id, PaginationToken: token})
					if err != nil || len(out.Users) != 60 {
						b.Fatalf("page: %d users, %v", len(out.Users), err)
					}
				}
			})
		})
	}
}
