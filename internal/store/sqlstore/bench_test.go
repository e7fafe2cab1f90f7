package sqlstore

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

var benchSizes = []int{1_000, 100_000}

// benchStore returns a SQLite file store holding n users of pool "bench",
// named user%07d, each with an email alias.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	s := openT(b, "sqlite://"+filepath.Join(b.TempDir(), "bench.db"))
	b.Cleanup(func() { s.Close() })
	ctx := b.Context()
	const batch = 10_000
	for start := 0; start < n; start += batch {
		err := s.Tx(ctx, func(tx store.Store) error {
			for i := start; i < min(start+batch, n); i++ {
				name := fmt.Sprintf("user%07d", i)
				u := cognito.User{PoolID: "bench", Username: name, Sub: "sub-" + name,
					Status: cognito.StatusConfirmed, Enabled: true,
					Attributes: map[string]string{"email": name + "@example.com", "given_name": "Given"},
					Aliases:    map[string]string{"email": name + "@example.com"}}
				if err := tx.CreateUser(ctx, u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkListUsersPage reads one page of 60 users from the middle of the
// pool; its cost must not grow with the pool.
func BenchmarkListUsersPage(b *testing.B) {
	for _, n := range benchSizes {
		s := benchStore(b, n)
		after := fmt.Sprintf("user%07d", n/2)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			for b.Loop() {
				page, err := s.ListUsers(b.Context(), "bench", nil, store.Page{After: after, Limit: 60})
				if err != nil || len(page) != 60 {
					b.Fatalf("ListUsers: %d users, %v", len(page), err)
				}
			}
		})
		b.Run(fmt.Sprintf("users=%d/filter=given_name", n), func(b *testing.B) {
			f := &store.UserFilter{Attr: "given_name", Value: "given"}
			for b.Loop() {
				page, err := s.ListUsers(b.Context(), "bench", f, store.Page{After: after, Limit: 60})
				if err != nil || len(page) != 60 {
					b.Fatalf("ListUsers: %d users, %v", len(page), err)
				}
			}
		})
	}
}

// BenchmarkGetUser reads one user from the middle of the pool.
func BenchmarkGetUser(b *testing.B) {
	for _, n := range benchSizes {
		s := benchStore(b, n)
		name := fmt.Sprintf("user%07d", n/2)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.GetUser(b.Context(), "bench", name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
