package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// loginFailuresKept is how long failures are kept; no limit may look further
// back.
const loginFailuresKept = time.Hour

// LoginLimit is one counter of the guess limit: at most Max failures under Key
// within Window.
type LoginLimit struct {
	Key    string
	Max    int
	Window time.Duration
}

// ReserveLoginAttempt is the guess limit of logins and other password checks.
// Under a per-key advisory lock it counts each key's failures in its window
// and, when every key is under its limit, records this attempt as a failure
// under every key before the password is checked. Counting and recording in
// one locked step means parallel guesses cannot all slip past the count. It
// returns how long to wait when a key is at its limit (nothing is recorded
// then). Kept in PostgreSQL so every instance shares it.
func (db *DB) ReserveLoginAttempt(ctx context.Context, limits []LoginLimit, now time.Time) (time.Duration, error) {
	keys := make([]string, 0, len(limits))
	for _, l := range limits {
		if l.Max < 1 || l.Window <= 0 || l.Window > loginFailuresKept {
			return 0, fmt.Errorf("postgres: reserve login attempt: limit %q: %w", l.Key, errBadLimit)
		}
		keys = append(keys, l.Key)
	}
	locks := slices.Sorted(slices.Values(keys)) // one lock order for everyone: no deadlocks
	var wait time.Duration
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		for _, key := range locks {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('handoff:login:' || $1))`, key); err != nil {
				return err
			}
		}
		for _, l := range limits {
			// The Max-th newest failure in the window: once it ages out,
			// the key is under its limit again.
			var at time.Time
			err := tx.QueryRow(ctx, `
				SELECT at FROM login_failures WHERE key = $1 AND at > $2
				ORDER BY at DESC OFFSET $3 LIMIT 1`, l.Key, now.Add(-l.Window), l.Max-1).Scan(&at)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			wait = max(wait, at.Add(l.Window).Sub(now))
		}
		if wait > 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `
			WITH gone AS (DELETE FROM login_failures WHERE at < $2::timestamptz - $3::interval)
			INSERT INTO login_failures (key, at) SELECT unnest($1::text[]), $2`, keys, now, loginFailuresKept)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: reserve login attempt: %w", err)
	}
	return wait, nil
}

var errBadLimit = errors.New("a limit needs Max ≥ 1 and a window of at most an hour")

// ForgetLoginAttempt removes the attempt reserved at now under limits, after
// the password turned out right, and every earlier failure under the keys in
// clear (the person's own typos).
func (db *DB) ForgetLoginAttempt(ctx context.Context, limits []LoginLimit, now time.Time, clear ...string) error {
	keys := make([]string, 0, len(limits))
	for _, l := range limits {
		keys = append(keys, l.Key)
	}
	if clear == nil {
		clear = []string{}
	}
	_, err := db.Pool.Exec(ctx, `
		DELETE FROM login_failures WHERE (key = ANY($1) AND at = $2) OR key = ANY($3)`, keys, now, clear)
	if err != nil {
		return fmt.Errorf("postgres: forget login attempt: %w", err)
	}
	return nil
}
