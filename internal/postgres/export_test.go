package postgres

// What the tests read beyond what the server does: a page of the Packs list
// without its count, to page through every match, and the raw capped count.

import (
	"context"
	"fmt"

	"github.com/handoff-app/handoff/internal/handoff"
)

// SearchPacks returns one page of the Packs list for f.
func (db *DB) SearchPacks(ctx context.Context, f SearchFilter) ([]*handoff.Pack, error) {
	if f.People == nil {
		var err error
		if f, err = db.ResolvePeople(ctx, f); err != nil {
			return nil, err
		}
	}
	ids, err := db.searchIDs(ctx, f)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	sql, args := SearchRowsSQL(f, ids)
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search packs %q: %w", f.Words, err)
	}
	out, err := collectPacks(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: search packs %q: %w", f.Words, err)
	}
	return out, nil
}

// CountPacks returns how many packs f finds, at most f.CountCap()+1.
func (db *DB) CountPacks(ctx context.Context, f SearchFilter) (int, error) {
	if f.People == nil {
		var err error
		if f, err = db.ResolvePeople(ctx, f); err != nil {
			return 0, err
		}
	}
	sql, args := SearchCountSQL(f)
	var n int
	if err := db.Pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count packs %q: %w", f.Words, err)
	}
	return n, nil
}
