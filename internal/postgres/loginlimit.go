package postgres

import (
	"context"
	"fmt"
	"time"
)

// LoginFailures counts the failed logins recorded under key since since, and
// when the oldest of them happened (zero when none), so the caller can say
// when the limit lifts. Kept in PostgreSQL so every instance sees one count.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var (
		n      int
		oldest *time.Time
	)
	err := db.Pool.QueryRow(ctx, `
		SELECT count(*), min(at) FROM login_failures WHERE key = $1 AND at > $2`, key, since).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("postgres: login failures for %s: %w", key, err)
	}
	if oldest == nil {
		return n, time.Time{}, nil
	}
	return n, *oldest, nil
}

// RecordLoginFailure notes a failed login under each key at at, and forgets
// failures older than an hour so the table stays small.
func (db *DB) RecordLoginFailure(ctx context.Context, at time.Time, keys ...string) error {
	_, err := db.Pool.Exec(ctx, `
		WITH gone AS (DELETE FROM login_failures WHERE at < $2::timestamptz - interval '1 hour')
		INSERT INTO login_failures (key, at) SELECT unnest($1::text[]), $2`, keys, at)
	if err != nil {
		return fmt.Errorf("postgres: record login failure: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets the failures under key, after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := db.Pool.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key); err != nil {
		return fmt.Errorf("postgres: clear login failures for %s: %w", key, err)
	}
	return nil
}
