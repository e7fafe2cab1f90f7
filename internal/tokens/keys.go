package tokens

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// key is a stored key made ready for use. Records are never changed in
// the store (Rotate replaces a record by a copy under a new ID), so a parsed
// key is reused across cache reloads by ID.
type key struct {
	rec cognito.Key

	// Signing keys.
	kid    string         // base64 std SHA-256 of the PKIX public key
	pub    *rsa.PublicKey // parsed once
	header string         // base64url JWS header and its trailing "."
	n, e   string         // JWK members
	// The private key is unsealed on first use: verifying nodes never need it.
	privOnce sync.Once
	priv     *rsa.PrivateKey
	privErr  error

	// Session keys.
	id     [16]byte // binary UUID, embedded in sealed sessions
	secret []byte   // 32-byte AES key
}

func (k *key) expired(now time.Time) bool {
	return !k.rec.Expires.IsZero() && !now.Before(k.rec.Expires)
}

// keySet is one (pool, use)'s non-expired keys as listed at loaded, oldest
// first (Created, then ID).
type keySet struct {
	loaded time.Time
	keys   []*key
}

func (ks *keySet) fresh(now time.Time) bool {
	return ks != nil && !now.Before(ks.loaded) && now.Sub(ks.loaded) < cacheTTL
}

// current picks the key to sign or seal with. Every node applies the same
// rule to the same stored set, so nodes converge on one key:
//  1. the oldest active key (NotBefore <= now) that is not retiring
//     (Expires zero): after a creation race, the first key created;
//  2. else the active retiring key that expires last: a rotation whose new
//     key is still only published;
//  3. else the published key that activates first.
func (ks *keySet) current(now time.Time) *key {
	var best *key
	rank := 0
	for _, k := range ks.keys {
		if k.expired(now) {
			continue
		}
		r := 1
		if !k.rec.NotBefore.After(now) {
			r = 2
			if k.rec.Expires.IsZero() {
				r = 3
			}
		}
		switch {
		case r > rank:
			best, rank = k, r
		case r == 2 && rank == 2 && k.rec.Expires.After(best.rec.Expires):
			best = k
		case r == 1 && rank == 1 && k.rec.NotBefore.Before(best.rec.NotBefore):
			best = k
		}
	}
	return best
}

// byKid finds a non-expired signing key by kid.
func (ks *keySet) byKid(kid string, now time.Time) *key {
	for _, k := range ks.keys {
		if k.kid == kid && !k.expired(now) {
			return k
		}
	}
	return nil
}

// byID finds a non-expired session key by its binary id.
func (ks *keySet) byID(id []byte, now time.Time) *key {
	for _, k := range ks.keys {
		if string(k.id[:]) == string(id) && !k.expired(now) {
			return k
		}
	}
	return nil
}

type slotKey struct{ pool, use string }

// slot caches one (pool, use)'s key set; mu serialises its reloads so a
// node lists (and creates) once, however many callers miss at once.
type slot struct {
	mu  sync.Mutex
	set atomic.Pointer[keySet]
}

func (s *Service) slot(pool, use string) *slot {
	k := slotKey{pool, use}
	if sl, ok := s.slots.Load(k); ok {
		return sl.(*slot)
	}
	sl, _ := s.slots.LoadOrStore(k, new(slot))
	return sl.(*slot)
}

// keys returns the cached key set of (pool, use), listing the store when
// the cache is older than cacheTTL. With create, a pool without usable keys
// gets one; without, the result may be empty (and is then not cached, so
// verifying tokens of unknown pools cannot fill the cache).
func (s *Service) keys(ctx context.Context, pool, use string, create bool) (*keySet, error) {
	now := s.now()
	sl := s.slot(pool, use)
	if ks := sl.set.Load(); ks.fresh(now) {
		return ks, nil
	}
	return s.reload(ctx, sl, pool, use, create, func(ks *keySet) bool { return ks.fresh(now) })
}

// refresh lists the store again after a lookup in old missed, unless old is
// younger than missRefresh. It returns nil when nothing was reloaded.
func (s *Service) refresh(ctx context.Context, pool, use string, old *keySet, create bool) (*keySet, error) {
	if old != nil && s.now().Sub(old.loaded) < missRefresh {
		return nil, nil
	}
	sl := s.slot(pool, use)
	return s.reload(ctx, sl, pool, use, create, func(ks *keySet) bool { return ks != nil && ks != old })
}

func (s *Service) reload(ctx context.Context, sl *slot, pool, use string, create bool, good func(*keySet) bool) (*keySet, error) {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	prev := sl.set.Load()
	if good(prev) { // another caller reloaded meanwhile
		return prev, nil
	}
	ks, err := s.load(ctx, pool, use, create, prev)
	if err != nil {
		return nil, err
	}
	if len(ks.keys) > 0 {
		sl.set.Store(ks)
	} else if prev == nil {
		s.slots.CompareAndDelete(slotKey{pool, use}, sl)
	}
	return ks, nil
}

// load lists (pool, use)'s keys, deleting expired ones on the way. With
// create and no usable key it creates one and lists again: when several
// nodes race, each then sees every key created so far and current picks the
// same one.
func (s *Service) load(ctx context.Context, pool, use string, create bool, prev *keySet) (*keySet, error) {
	now := s.now()
	ks, err := s.list(ctx, pool, use, now, prev)
	if err != nil || !create || ks.current(now) != nil {
		return ks, err
	}
	if _, err := s.createKey(ctx, pool, use, now, now); err != nil {
		return nil, err
	}
	if ks, err = s.list(ctx, pool, use, now, prev); err != nil {
		return nil, err
	}
	if ks.current(now) == nil {
		return nil, fmt.Errorf("tokens: created a %s key for pool %q but the store does not list it", use, pool)
	}
	return ks, nil
}

func (s *Service) list(ctx context.Context, pool, use string, now time.Time, prev *keySet) (*keySet, error) {
	recs, err := s.st.ListKeys(ctx, pool, use)
	if err != nil {
		return nil, err
	}
	ks := &keySet{loaded: now}
	for _, rec := range recs {
		if !rec.Expires.IsZero() && !now.Before(rec.Expires) {
			// Opportunistic clean-up; another node may have won the race.
			_ = s.st.DeleteKey(ctx, rec.ID)
			continue
		}
		k := reuse(prev, rec.ID)
		if k == nil {
			if k, err = s.parse(rec); err != nil {
				return nil, err
			}
		}
		ks.keys = append(ks.keys, k)
	}
	sort.SliceStable(ks.keys, func(i, j int) bool {
		a, b := ks.keys[i].rec, ks.keys[j].rec
		if !a.Created.Equal(b.Created) {
			return a.Created.Before(b.Created)
		}
		return a.ID < b.ID
	})
	return ks, nil
}

// currentKey returns the key to sign or seal with for (pool, use),
// creating one when there is none.
func (s *Service) currentKey(ctx context.Context, pool, use string) (*key, error) {
	ks, err := s.keys(ctx, pool, use, true)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if k := ks.current(now); k != nil {
		return k, nil
	}
	// Every cached key expired since the last listing.
	ks, err = s.reload(ctx, s.slot(pool, use), pool, use, true, func(n *keySet) bool {
		return n != nil && n != ks && n.current(now) != nil
	})
	if err != nil {
		return nil, err
	}
	if k := ks.current(now); k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("tokens: no usable %s key for pool %q", use, pool)
}

func reuse(prev *keySet, id string) *key {
	if prev == nil {
		return nil
	}
	for _, k := range prev.keys {
		if k.rec.ID == id {
			return k
		}
	}
	return nil
}

// parse readies a stored key. A key that does not parse is an error, not
// skipped: a node with the wrong server key must fail loudly rather than
// create keys the other nodes cannot open.
func (s *Service) parse(rec cognito.Key) (*key, error) {
	k := &key{rec: rec}
	if rec.Use == useSession {
		u, err := uuid.Parse(rec.ID)
		if err != nil {
			return nil, fmt.Errorf("tokens: session key id %q: %w", rec.ID, err)
		}
		k.id = u
		if k.secret, err = s.sealer.Open(rec.Material, "key:"+rec.ID); err != nil || len(k.secret) != 32 {
			return nil, fmt.Errorf("tokens: cannot open session key %s (server key changed?)", rec.ID)
		}
		return k, nil
	}
	pk, err := x509.ParsePKIXPublicKey(rec.Public)
	if err != nil {
		return nil, fmt.Errorf("tokens: key %s: %w", rec.ID, err)
	}
	pub, ok := pk.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("tokens: key %s is not RSA", rec.ID)
	}
	sum := sha256.Sum256(rec.Public)
	k.pub = pub
	k.kid = base64.StdEncoding.EncodeToString(sum[:])
	k.header = base64.RawURLEncoding.EncodeToString([]byte(`{"kid":"`+k.kid+`","alg":"RS256"}`)) + "."
	k.n = base64.RawURLEncoding.EncodeToString(pub.N.Bytes())
	k.e = base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())
	return k, nil
}

func (s *Service) private(k *key) (*rsa.PrivateKey, error) {
	k.privOnce.Do(func() {
		der, err := s.sealer.Open(k.rec.Material, "key:"+k.rec.ID)
		if err != nil {
			k.privErr = fmt.Errorf("tokens: cannot open signing key %s (server key changed?)", k.rec.ID)
			return
		}
		pk, err := x509.ParsePKCS8PrivateKey(der)
		priv, ok := pk.(*rsa.PrivateKey)
		if err != nil || !ok || !priv.PublicKey.Equal(k.pub) {
			k.privErr = fmt.Errorf("tokens: signing key %s is corrupt", k.rec.ID)
			return
		}
		k.priv = priv
	})
	return k.priv, k.privErr
}

// createKey generates and stores a key of use for pool.
func (s *Service) createKey(ctx context.Context, pool, use string, now, notBefore time.Time) (cognito.Key, error) {
	return s.createKeyID(ctx, uuid.NewString(), pool, use, now, notBefore)
}

// createKeyID is createKey with the key's ID chosen by the caller.
func (s *Service) createKeyID(ctx context.Context, id, pool, use string, now, notBefore time.Time) (cognito.Key, error) {
	var material, public []byte
	if use == useSession {
		material = make([]byte, 32)
		if _, err := rand.Read(material); err != nil {
			return cognito.Key{}, err
		}
	} else {
		priv, err := rsa.GenerateKey(rand.Reader, rsaBits)
		if err != nil {
			return cognito.Key{}, err
		}
		if material, err = x509.MarshalPKCS8PrivateKey(priv); err != nil {
			return cognito.Key{}, err
		}
		if public, err = x509.MarshalPKIXPublicKey(&priv.PublicKey); err != nil {
			return cognito.Key{}, err
		}
	}
	rec := cognito.Key{
		ID:        id,
		PoolID:    pool,
		Use:       use,
		Material:  s.sealer.Seal(material, "key:"+id),
		Public:    public,
		Created:   now,
		NotBefore: notBefore,
	}
	return rec, s.st.CreateKey(ctx, rec)
}

// Rotate adds a new signing key for (poolID, use) that is published in the
// JWKS at once and signs from now+publishAhead on, and retires every other
// key: it stays published (and verifies) until now+publishAhead+retain,
// then disappears. retain should cover the longest token lifetime and
// publishAhead the JWKS caching of verifiers (and at least a minute, this
// package's own cache).
//
// The store cannot update a key, so a key is retired by storing a copy with
// Expires set (same material and kid, new ID, same Created) and then
// deleting the original; at every moment one of the two is listed. Rotating
// on several nodes at once is safe: every new key is published, and all
// nodes pick the same signing key.
func (s *Service) Rotate(ctx context.Context, poolID, use string, publishAhead, retain time.Duration) error {
	return s.rotate(ctx, poolID, use, uuid.NewString(), publishAhead, retain)
}

// rotate is Rotate with the new key's ID chosen by the caller; when a key
// with that ID exists it fails with store.ErrAlreadyExists before touching
// any other key.
func (s *Service) rotate(ctx context.Context, poolID, use, id string, publishAhead, retain time.Duration) error {
	if !signingUse(use) {
		return fmt.Errorf("tokens: cannot rotate keys of use %q", use)
	}
	if publishAhead < 0 || retain < 0 {
		return errors.New("tokens: publishAhead and retain must not be negative")
	}
	now := s.now()
	fresh, err := s.createKeyID(ctx, id, poolID, use, now, now.Add(publishAhead))
	if err != nil {
		return err
	}
	recs, err := s.st.ListKeys(ctx, poolID, use)
	if err != nil {
		return err
	}
	expires := now.Add(publishAhead + retain)
	for _, rec := range recs {
		if rec.ID == fresh.ID || (!rec.Expires.IsZero() && !rec.Expires.After(expires)) {
			continue
		}
		plain, err := s.sealer.Open(rec.Material, "key:"+rec.ID)
		if err != nil {
			return fmt.Errorf("tokens: cannot open key %s to retire it", rec.ID)
		}
		c := rec
		c.ID = uuid.NewString()
		c.Material = s.sealer.Seal(plain, "key:"+c.ID)
		c.Expires = expires
		if err := s.st.CreateKey(ctx, c); err != nil {
			return err
		}
		if err := s.st.DeleteKey(ctx, rec.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	s.slot(poolID, use).set.Store(nil) // this node sees the rotation at once
	return nil
}
