package sqlstore

import (
	"context"
	"hash/fnv"
	"time"
)

// Attempts at quota-limited actions: one row per attempt; each new one
// prunes the pool's attempts that have aged out, so the table holds about
// an hour of them whatever names they came under.

// lockBuckets is how many lock rows a pool has at most: a user's attempts
// are counted under the lock of the bucket its name hashes to.
const lockBuckets = 256

// AddAttempt implements store.Store.
func (s *Store) AddAttempt(ctx context.Context, poolID, username, action string, at, pruneBefore time.Time) error {
	return s.write(ctx, func(t *Store) error {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM attempts WHERE pool_id = $1 AND at < $2`,
			poolID, ts(pruneBefore)); err != nil {
			return t.wrap(err)
		}
		_, err := t.tx.ExecContext(ctx, `INSERT INTO attempts (pool_id, username, action, at) VALUES ($1, $2, $3, $4)`,
			poolID, username, action, ts(at))
		return t.wrap(err)
	})
}

// CountAttempts implements store.Store.
func (s *Store) CountAttempts(ctx context.Context, poolID, username, action string, since time.Time) (int, error) {
	if s.tx != nil && s.d.forUpdate != "" {
		// PostgreSQL: a lock row that exists whether or not the user does
		// (SQLite runs one write transaction at a time already). Rows are
		// per bucket of names, so they stay few.
		h := fnv.New32a()
		h.Write([]byte(username))
		bucket := int64(h.Sum32() % lockBuckets)
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO attempt_locks (pool_id, bucket) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			poolID, bucket); err != nil {
			return 0, s.wrap(err)
		}
		var one int
		if err := s.tx.QueryRowContext(ctx, `SELECT 1 FROM attempt_locks WHERE pool_id = $1 AND bucket = $2`+s.d.forUpdate,
			poolID, bucket).Scan(&one); err != nil {
			return 0, s.wrap(err)
		}
	}
	var n int
	err := s.q().QueryRowContext(ctx, `SELECT COUNT(*) FROM attempts
		WHERE pool_id = $1 AND username = $2 AND action = $3 AND at >= $4`,
		poolID, username, action, ts(since)).Scan(&n)
	if err != nil {
		return 0, s.wrap(err)
	}
	return n, nil
}

// AttemptTimes implements store.Store.
func (s *Store) AttemptTimes(ctx context.Context, poolID, username, action string, since time.Time, limit int) ([]time.Time, error) {
	rows, err := s.q().QueryContext(ctx, `SELECT at FROM attempts
		WHERE pool_id = $1 AND username = $2 AND action = $3 AND at >= $4 ORDER BY at DESC LIMIT $5`,
		poolID, username, action, ts(since), limit)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	var times []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(timeCol{&t}); err != nil {
			return nil, s.wrap(err)
		}
		times = append(times, t)
	}
	return times, s.wrap(rows.Err())
}
