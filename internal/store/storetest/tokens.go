package storetest

import (
	"testing"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

func normCode(c cognito.Code) cognito.Code {
	c.Expires, c.Created, c.Hash = micro(c.Expires), micro(c.Created), bytesOrNil(c.Hash)
	return c
}

func testCodes(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := cognito.Code{PoolID: "p1", Username: "alice", Purpose: cognito.CodeSignUp, Hash: []byte{1, 2, 3},
		Expires: at(time.Hour), Attempts: 1, Created: t0}
	must(t, s.PutCode(ctx, c), "PutCode")
	other := c
	other.Purpose, other.Hash = cognito.CodeVerifyPrefix+"email", []byte{9}
	must(t, s.PutCode(ctx, other), "PutCode other purpose")
	got, err := s.GetCode(ctx, "p1", "alice", cognito.CodeSignUp)
	must(t, err, "GetCode")
	same(t, "code", normCode(got), normCode(c))

	replaced := cognito.Code{PoolID: "p1", Username: "alice", Purpose: cognito.CodeSignUp, Hash: []byte{4, 5},
		Expires: at(2 * time.Hour), Created: at(time.Minute)}
	must(t, s.PutCode(ctx, replaced), "PutCode replacing")
	got, _ = s.GetCode(ctx, "p1", "alice", cognito.CodeSignUp)
	same(t, "replaced code", normCode(got), normCode(replaced))
	got, _ = s.GetCode(ctx, "p1", "alice", other.Purpose)
	same(t, "code of another purpose", normCode(got), normCode(other))

	must(t, s.UpdateCode(ctx, "p1", "alice", cognito.CodeSignUp, func(c *cognito.Code) error {
		c.Attempts++
		return nil
	}), "UpdateCode")
	replaced.Attempts = 1
	got, _ = s.GetCode(ctx, "p1", "alice", cognito.CodeSignUp)
	same(t, "updated code", normCode(got), normCode(replaced))
	err = s.UpdateCode(ctx, "p1", "alice", cognito.CodeSignUp, func(c *cognito.Code) error {
		c.Attempts = 99
		return errBoom
	})
	if err != errBoom {
		t.Fatalf("UpdateCode with failing closure: got %v, want the closure's error as is", err)
	}
	got, _ = s.GetCode(ctx, "p1", "alice", cognito.CodeSignUp)
	same(t, "code after failed update", normCode(got), normCode(replaced))

	must(t, s.DeleteCode(ctx, "p1", "alice", cognito.CodeSignUp), "DeleteCode")
	_, err = s.GetCode(ctx, "p1", "alice", cognito.CodeSignUp)
	isErr(t, err, store.ErrNotFound, "GetCode after delete")
	isErr(t, s.DeleteCode(ctx, "p1", "alice", cognito.CodeSignUp), store.ErrNotFound, "DeleteCode twice")
	isErr(t, s.UpdateCode(ctx, "p1", "alice", cognito.CodeSignUp, func(*cognito.Code) error { return nil }), store.ErrNotFound, "UpdateCode missing")
	_, err = s.GetCode(ctx, "p2", "alice", other.Purpose)
	isErr(t, err, store.ErrNotFound, "GetCode in another pool")
}

func normToken(r cognito.RefreshToken) cognito.RefreshToken {
	r.AuthTime, r.Created, r.Expires, r.RotatedAt, r.SecretHash = micro(r.AuthTime), micro(r.Created), micro(r.Expires), micro(r.RotatedAt), bytesOrNil(r.SecretHash)
	return r
}

func testRefreshTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	tok := func(id, pool, user string) cognito.RefreshToken {
		return cognito.RefreshToken{ID: id, PoolID: pool, ClientID: "client", Username: user, SecretHash: []byte(id),
			AuthTime: t0, Created: at(time.Second), Expires: at(30 * 24 * time.Hour)}
	}
	for _, r := range []cognito.RefreshToken{tok("a1", "p1", "alice"), tok("a2", "p1", "alice"),
		tok("b1", "p1", "bob"), tok("x1", "p2", "alice")} {
		must(t, s.CreateRefreshToken(ctx, r), "CreateRefreshToken %s", r.ID)
	}
	isErr(t, s.CreateRefreshToken(ctx, tok("a1", "p1", "bob")), store.ErrAlreadyExists, "CreateRefreshToken twice")
	got, err := s.GetRefreshToken(ctx, "a1")
	must(t, err, "GetRefreshToken")
	same(t, "token", normToken(got), normToken(tok("a1", "p1", "alice")))
	_, err = s.GetRefreshToken(ctx, "missing")
	isErr(t, err, store.ErrNotFound, "GetRefreshToken missing")

	must(t, s.RevokeRefreshToken(ctx, "b1"), "RevokeRefreshToken")
	must(t, s.RevokeRefreshToken(ctx, "b1"), "RevokeRefreshToken again")
	isErr(t, s.RevokeRefreshToken(ctx, "missing"), store.ErrNotFound, "RevokeRefreshToken missing")
	revoked := func(id string) bool {
		t.Helper()
		r, err := s.GetRefreshToken(ctx, id)
		must(t, err, "GetRefreshToken %s", id)
		return r.Revoked
	}
	if !revoked("b1") || revoked("a1") {
		t.Fatal("RevokeRefreshToken revoked the wrong tokens")
	}
	// Rotation: the first mark is kept; unknown ids are not found.
	must(t, s.MarkRefreshTokenRotated(ctx, "a2", at(time.Hour)), "MarkRefreshTokenRotated")
	must(t, s.MarkRefreshTokenRotated(ctx, "a2", at(2*time.Hour)), "MarkRefreshTokenRotated again")
	isErr(t, s.MarkRefreshTokenRotated(ctx, "missing", at(time.Hour)), store.ErrNotFound, "MarkRefreshTokenRotated missing")
	if r, _ := s.GetRefreshToken(ctx, "a2"); !r.RotatedAt.Equal(micro(at(time.Hour))) || r.Revoked {
		t.Fatalf("rotated token %+v, want RotatedAt %v and not revoked", r, at(time.Hour))
	}
	if r, _ := s.GetRefreshToken(ctx, "a1"); !r.RotatedAt.IsZero() {
		t.Fatalf("unrotated token has RotatedAt %v", r.RotatedAt)
	}
	must(t, s.RevokeUserRefreshTokens(ctx, "p1", "alice"), "RevokeUserRefreshTokens")
	must(t, s.RevokeUserRefreshTokens(ctx, "p1", "nobody"), "RevokeUserRefreshTokens without tokens")
	for id, want := range map[string]bool{"a1": true, "a2": true, "b1": true, "x1": false} {
		if revoked(id) != want {
			t.Errorf("token %s revoked = %v, want %v", id, !want, want)
		}
	}
}

func normKey(k cognito.Key) cognito.Key {
	k.Created, k.NotBefore, k.Expires = micro(k.Created), micro(k.NotBefore), micro(k.Expires)
	k.Material, k.Public = bytesOrNil(k.Material), bytesOrNil(k.Public)
	return k
}

func testKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	key := func(id, pool, use string, created time.Duration) cognito.Key {
		return cognito.Key{ID: id, PoolID: pool, Use: use, Material: []byte("sealed " + id), Public: []byte("pub " + id),
			Created: at(created), NotBefore: at(created + time.Minute), Expires: at(created + time.Hour)}
	}
	keys := []cognito.Key{
		key("k3", "p1", "id", 3*time.Second), key("k1", "p1", "id", time.Second), key("k2", "p1", "id", 2*time.Second),
		key("k4", "p1", "access", time.Second), key("k5", "p2", "id", 0),
		key("s2", "", "session", 2*time.Second), key("s1", "", "session", time.Second),
	}
	never := key("k0", "p1", "id", 4*time.Second)
	never.Expires = time.Time{}
	keys = append(keys, never)
	for _, k := range keys {
		must(t, s.CreateKey(ctx, k), "CreateKey %s", k.ID)
	}
	isErr(t, s.CreateKey(ctx, key("k1", "p2", "id", 0)), store.ErrAlreadyExists, "CreateKey twice")
	for _, tc := range []struct {
		pool, use string
		want      []cognito.Key
	}{
		{"p1", "id", []cognito.Key{keys[1], keys[2], keys[0], never}},
		{"p1", "access", []cognito.Key{keys[3]}},
		{"p2", "id", []cognito.Key{keys[4]}},
		{"", "session", []cognito.Key{keys[6], keys[5]}},
		{"p3", "id", nil},
	} {
		got, err := s.ListKeys(ctx, tc.pool, tc.use)
		must(t, err, "ListKeys")
		var g, w []cognito.Key
		for _, k := range got {
			g = append(g, normKey(k))
		}
		for _, k := range tc.want {
			w = append(w, normKey(k))
		}
		same(t, "keys of "+tc.pool+"/"+tc.use, g, w)
	}
	must(t, s.DeleteKey(ctx, "k1"), "DeleteKey")
	isErr(t, s.DeleteKey(ctx, "k1"), store.ErrNotFound, "DeleteKey twice")
	got, _ := s.ListKeys(ctx, "p1", "id")
	if len(got) != 3 || got[0].ID != "k2" {
		t.Fatalf("keys after delete: %+v", got)
	}
}

func testMessages(t *testing.T, s store.Store) {
	ctx := t.Context()
	msg := func(id, pool, user string, created time.Duration) cognito.Message {
		return cognito.Message{ID: id, PoolID: pool, Username: user, Destination: user + "@example.com",
			Medium: "EMAIL", Action: "SignUp", Code: "123456", Subject: "Your code", Body: "code 123456 ✓",
			Created: at(created * time.Second)}
	}
	ms := []cognito.Message{msg("m3", "p1", "alice", 3), msg("m1", "p1", "alice", 1), msg("m4", "p2", "alice", 4),
		msg("m2", "p1", "bob", 2), msg("m0", "p1", "alice", 0)}
	for _, m := range ms {
		must(t, s.AddMessage(ctx, m), "AddMessage %s", m.ID)
	}
	ids := func(f store.MessageFilter) []string {
		t.Helper()
		got, err := s.ListMessages(ctx, f)
		must(t, err, "ListMessages %+v", f)
		out := []string{}
		for _, m := range got {
			out = append(out, m.ID)
		}
		return out
	}
	same(t, "all messages", ids(store.MessageFilter{}), []string{"m0", "m1", "m2", "m3", "m4"})
	same(t, "p1", ids(store.MessageFilter{PoolID: "p1"}), []string{"m0", "m1", "m2", "m3"})
	same(t, "p1/alice", ids(store.MessageFilter{PoolID: "p1", Username: "alice"}), []string{"m0", "m1", "m3"})
	same(t, "alice", ids(store.MessageFilter{Username: "alice"}), []string{"m0", "m1", "m3", "m4"})
	same(t, "nobody", ids(store.MessageFilter{PoolID: "p9"}), []string{})

	got, _ := s.ListMessages(ctx, store.MessageFilter{PoolID: "p2"})
	want := ms[2]
	want.Created = micro(want.Created)
	if len(got) != 1 {
		t.Fatalf("messages of p2: %+v", got)
	}
	got[0].Created = micro(got[0].Created)
	same(t, "message", got[0], want)
}
