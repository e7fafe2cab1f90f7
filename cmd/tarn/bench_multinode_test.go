package main

// Sign-up and sign-in throughput of 1, 2 and 3 nodes on one PostgreSQL
// database against one node on a SQLite file, in the same run on the same
// machine, driven through the AWS SDK by concurrent clients that spread
// their requests round-robin over the nodes:
//
//	go test ./cmd/tarn -run '^$' -bench MultiNode -benchtime 2000x
//
// The clients run in the benchmark's process, next to the nodes and the
// database, so the figures compare configurations; they are not capacity.

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// benchClients is the number of concurrent clients.
const benchClients = 8

// benchSDK is sdkClient with a transport that keeps enough idle
// connections for the concurrent clients.
func benchSDK(endpoint string) *cip.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 2 * benchClients
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       bufferedBodyClient{&http.Client{Transport: tr}},
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

// benchSetup is one configuration: its nodes' clients, a pool and a client
// without email verification (sign-up makes no code), and users to sign in.
type benchSetup struct {
	name     string
	clients  []*cip.Client
	clientID string
	users    []string
}

func newBenchSetup(b *testing.B, name string, nodes []*tarnServer) *benchSetup {
	b.Helper()
	s := &benchSetup{name: name}
	for _, n := range nodes {
		s.clients = append(s.clients, benchSDK(n.url))
	}
	poolID := *nodes[0].pool(cip.CreateUserPoolInput{}).Id
	s.clientID = *nodes[0].client(poolID, cip.CreateUserPoolClientInput{}).ClientId
	for i := range 4 * benchClients {
		name := fmt.Sprintf("signer%02d", i)
		nodes[i%len(nodes)].confirmedUser(poolID, name, auPassword)
		s.users = append(s.users, name)
	}
	// Warm every node: keys, pool and client caches, connections.
	for i, c := range s.clients {
		if _, err := c.InitiateAuth(b.Context(), &cip.InitiateAuthInput{ClientId: &s.clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": s.users[i], "PASSWORD": auPassword}}); err != nil {
			b.Fatalf("warm-up sign-in on node %d: %v", i+1, err)
		}
	}
	return s
}

// run calls op(client, i) b.N times from benchClients goroutines, the i-th
// call on node i mod nodes, and reports ops/s.
func (s *benchSetup) run(b *testing.B, op func(c *cip.Client, i int64) error) {
	var next, failed atomic.Int64
	b.SetParallelism((benchClients + 1) / 2) // GOMAXPROCS × this ≥ benchClients on 2 CPUs
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if err := op(s.clients[i%int64(len(s.clients))], i); err != nil {
				if failed.Add(1) == 1 {
					b.Errorf("%s: %v", s.name, err)
				}
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	if n := failed.Load(); n > 0 {
		b.Fatalf("%s: %d of %d calls failed", s.name, n, b.N)
	}
}

func BenchmarkMultiNode(b *testing.B) {
	setups := []*benchSetup{
		newBenchSetup(b, "sqlite-1node", []*tarnServer{startTarn(b, func(m *Main) { m.DB = "" })}),
	}
	for n := 1; n <= 3; n++ {
		dsn := pgDatabase(b, pgOptions{})
		nodes := startCluster(b, n, dsn, func(m *Main) { m.DBMaxOpenConns = 16 })
		setups = append(setups, newBenchSetup(b, fmt.Sprintf("postgres-%dnode", n), nodes))
	}
	var serial atomic.Int64 // usernames stay unique across the benchmark's rounds
	for _, s := range setups {
		b.Run("SignUp/"+s.name, func(b *testing.B) {
			s.run(b, func(c *cip.Client, _ int64) error {
				name := fmt.Sprintf("bench%08d", serial.Add(1))
				_, err := c.SignUp(b.Context(), &cip.SignUpInput{ClientId: &s.clientID, Username: &name, Password: aws.String(auPassword)})
				return err
			})
		})
		b.Run("SignIn/"+s.name, func(b *testing.B) {
			s.run(b, func(c *cip.Client, i int64) error {
				out, err := c.InitiateAuth(b.Context(), &cip.InitiateAuthInput{ClientId: &s.clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
					AuthParameters: map[string]string{"USERNAME": s.users[i%int64(len(s.users))], "PASSWORD": auPassword}})
				if err == nil && (out.AuthenticationResult == nil || out.AuthenticationResult.AccessToken == nil) {
					err = fmt.Errorf("no tokens: %+v", out)
				}
				return err
			})
		})
	}
}
