package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// DataVersion is the number migration 00013 moves whenever settings, days
// off, thresholds, people, deals or what the lists show of a pack change. What
// a server keeps in memory is good for the number it was read under and no
// later one.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var n int64
	if err := db.Pool.QueryRow(ctx, `SELECT n FROM data_version`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: data version: %w", err)
	}
	return n, nil
}

// UserAndVersion returns the user with id and the data version, in the one
// round trip every signed-in request makes anyway.
func (db *DB) UserAndVersion(ctx context.Context, id int64) (*handoff.User, int64, error) {
	b := &pgx.Batch{}
	var u *handoff.User
	var n int64
	// The number first: each statement sees what committed before it, so the
	// user read after it is at least as new as the number it may be kept under.
	b.Queue(`SELECT n FROM data_version`).QueryRow(func(row pgx.Row) error { return row.Scan(&n) })
	b.Queue(`SELECT `+userColumns+` FROM users WHERE id = $1`, id).Query(func(rows pgx.Rows) error {
		var err error
		u, err = collectUser(rows)
		return err
	})
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, 0, fmt.Errorf("postgres: user %d: %w", id, err)
	}
	return u, n, nil
}
