package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// ReserveLoginAttempt is the login limit. Under a per-key advisory lock it
// counts each key's failures in the window and, when every key is under
// limit, records this attempt as a failure before the password is checked.
// Counting and recording in one locked step means parallel guesses cannot all
// slip past the count. It returns how long to wait when a key is at its limit
// (nothing is recorded then). Kept in PostgreSQL so every instance shares it.
func (db *DB) ReserveLoginAttempt(ctx context.Context, keys []string, now time.Time, limit int, window time.Duration) (time.Duration, error) {
	var wait time.Duration
	keys = slices.Sorted(slices.Values(keys)) // one lock order for everyone: no deadlocks
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		for _, key := range keys {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('handoff:login:' || $1))`, key); err != nil {
				return err
			}
		}
		for _, key := range keys {
			var (
				n      int
				oldest *time.Time
			)
			if err := tx.QueryRow(ctx, `SELECT count(*), min(at) FROM login_failures WHERE key = $1 AND at > $2`,
				key, now.Add(-window)).Scan(&n, &oldest); err != nil {
				return err
			}
			if n >= limit && oldest != nil {
				wait = max(wait, oldest.Add(window).Sub(now))
			}
		}
		if wait > 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `
			WITH gone AS (DELETE FROM login_failures WHERE at < $2::timestamptz - interval '1 hour')
			INSERT INTO login_failures (key, at) SELECT unnest($1::text[]), $2`, keys, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: reserve login attempt: %w", err)
	}
	return wait, nil
}

// ForgetLoginAttempt removes the attempt reserved at now, after the password
// turned out right, and the account's earlier failures with it.
func (db *DB) ForgetLoginAttempt(ctx context.Context, keys []string, accountKey string, now time.Time) error {
	_, err := db.Pool.Exec(ctx, `
		DELETE FROM login_failures WHERE (key = ANY($1) AND at = $2) OR key = $3`, keys, now, accountKey)
	if err != nil {
		return fmt.Errorf("postgres: forget login attempt: %w", err)
	}
	return nil
}
