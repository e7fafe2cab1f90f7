package tokens

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/tarn-idp/tarn/internal/store"
)

// rotationSpace names the IDs of scheduled keys: the key that succeeds key
// X is uuid.NewSHA1(rotationSpace, X.ID), the same on every node.
var rotationSpace = uuid.MustParse("0b5c7f4e-6a43-4f36-9d3a-3f1f6f0c2a71")

// RotateDue rotates (poolID, use) as Rotate does, but only when its newest
// key was created interval or more ago, and reports whether this call
// rotated. A pool without keys is left alone (its first key is created when
// it first signs).
//
// Every node may run it on a schedule: the nodes agree through the store.
// The new key's ID is derived from the newest key's ID, so nodes that race
// on one due rotation all try to create the same key; the store's primary
// key admits exactly one, and the others find it taken and stop before
// touching any key. A node that looks after the rotation finds the new key
// newest and not yet due.
func (s *Service) RotateDue(ctx context.Context, poolID, use string, interval, publishAhead, retain time.Duration) (bool, error) {
	if interval <= 0 {
		return false, errors.New("tokens: the rotation interval must be positive")
	}
	if !signingUse(use) {
		return false, errors.New("tokens: cannot rotate keys of use " + use)
	}
	recs, err := s.st.ListKeys(ctx, poolID, use)
	if err != nil || len(recs) == 0 {
		return false, err
	}
	newest := recs[0]
	for _, r := range recs[1:] {
		if r.Created.After(newest.Created) || (r.Created.Equal(newest.Created) && r.ID > newest.ID) {
			newest = r
		}
	}
	if s.now().Sub(newest.Created) < interval {
		return false, nil
	}
	id := uuid.NewSHA1(rotationSpace, []byte(newest.ID)).String()
	err = s.rotate(ctx, poolID, use, id, publishAhead, retain)
	if errors.Is(err, store.ErrAlreadyExists) {
		return false, nil // another node rotated first
	}
	return err == nil, err
}
