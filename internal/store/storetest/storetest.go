// Package storetest is the conformance suite of store.Store: every backend
// runs Run and passes it. The suite states the contract of store.go as
// tests, plus what store.go leaves to the backend:
//
//   - Times keep at least microsecond precision: what is read back Equals
//     what was written truncated to the microsecond, and the zero time
//     reads back as zero.
//   - Nil and empty byte slices may come back as each other; nil maps stay
//     nil and empty maps stay empty.
//   - Deleting, revoking or updating a record that does not exist fails
//     with store.ErrNotFound (RemoveUserFromGroup and
//     RevokeUserRefreshTokens excepted: they are idempotent).
//   - UserPoolClient.ClientSecret (the clear secret) is never stored; only
//     SecretSealed is.
//
// It knows the store package and the cognito types, nothing of any
// backend.
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/store"
)

// Run runs the suite. Every subtest calls newStore for a store of its own,
// which must be empty; Run closes it when the subtest ends.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Pools/RoundTrip", testPoolRoundTrip},
		{"Pools/List", testPoolList},
		{"Pools/Update", testPoolUpdate},
		{"Pools/DeleteCascade", testDeletePoolCascade},
		{"Pools/CountUsers", testCountUsers},
		{"Clients/RoundTrip", testClientRoundTrip},
		{"Clients/List", testClientList},
		{"Clients/UpdateDelete", testClientUpdateDelete},
		{"Users/RoundTrip", testUserRoundTrip},
		{"Users/TimePrecision", testUserTimePrecision},
		{"Users/NotFound", testUserNotFound},
		{"Users/Uniqueness", testUserUniqueness},
		{"Users/Update", testUserUpdate},
		{"Users/AliasUpdate", testUserAliasUpdate},
		{"Users/DeleteCascade", testDeleteUserCascade},
		{"Users/ListPaging", testListUsersPaging},
		{"Users/ListFilters", testListUsersFilters},
		{"Users/ListPrefixLiteral", testListUsersPrefixLiteral},
		{"Groups/CRUD", testGroups},
		{"Groups/Memberships", testMemberships},
		{"Codes", testCodes},
		{"Attempts", testAttempts},
		{"RefreshTokens", testRefreshTokens},
		{"Keys", testKeys},
		{"Messages", testMessages},
		{"Invocations", testInvocations},
		{"Tx/Commit", testTxCommit},
		{"Tx/Rollback", testTxRollback},
		{"Tx/Nested", testTxNested},
		{"Concurrency/UpdateUser", testConcurrentUpdateUser},
		{"Concurrency/CreateSameUsername", testConcurrentCreateSameUsername},
		{"Concurrency/CreateSameAlias", testConcurrentCreateSameAlias},
		{"Concurrency/CreateSameKeyID", testConcurrentCreateSameKeyID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// t0 has nanoseconds on purpose: backends keep microseconds.
var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)

// at is t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// micro is t as a backend returns it: truncated to microseconds, in UTC.
func micro(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Microsecond).UTC()
}

// bytesOrNil folds empty byte slices into nil.
func bytesOrNil(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// same fails the test when got and want differ.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// must fails the test on err.
func must(t *testing.T, err error, format string, a ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(format, a...), err)
	}
}

// isErr fails the test unless errors.Is(err, target).
func isErr(t *testing.T, err, target error, format string, a ...any) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", fmt.Sprintf(format, a...), err, target)
	}
}
