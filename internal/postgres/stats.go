package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// StatsPack is what the stats need of one pack in the window.
type StatsPack struct {
	ClosedWonOn      time.Time
	PackDueOn        time.Time
	KickoffDueOn     time.Time
	FirstSubmittedAt *time.Time
	KickoffOn        *time.Time
	LockedAt         *time.Time
	Status           string
	SEID             int64
	SEName           string
	SAID             int64
	SAName           string
	Segment          string
}

// StatsWindow returns the packs of deals won on or after since, newest first,
// at most 250,000 (a year of a very large org): past that the oldest weeks
// are the ones left out.
func (db *DB) StatsWindow(ctx context.Context, since time.Time) ([]StatsPack, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT d.closed_won_on, p.pack_due_on, p.kickoff_due_on, p.first_submitted_at, p.kickoff_on, p.locked_at, p.status,
		       d.se_id, se.name AS se_name, coalesce(d.sa_id, 0) AS sa_id, coalesce(sa.name, '') AS sa_name, d.segment
		FROM deals d JOIN packs p ON p.deal_id = d.id JOIN users se ON se.id = d.se_id LEFT JOIN users sa ON sa.id = d.sa_id
		WHERE d.closed_won_on >= $1
		ORDER BY d.closed_won_on DESC LIMIT 250000`, since)
	if err != nil {
		return nil, fmt.Errorf("postgres: stats window: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[StatsPack])
	if err != nil {
		return nil, fmt.Errorf("postgres: stats window: %w", err)
	}
	return out, nil
}

// SALoad is one SA's open accounts by segment.
type SALoad struct {
	SAID    int64
	SAName  string
	Segment string
	Open    int
}

// OpenAccountsPerSA counts packs not yet locked per SA and segment.
func (db *DB) OpenAccountsPerSA(ctx context.Context) ([]SALoad, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT d.sa_id, u.name AS sa_name, d.segment, count(*) AS open
		FROM packs p JOIN deals d ON d.id = p.deal_id JOIN users u ON u.id = d.sa_id
		WHERE p.status <> 'locked'
		GROUP BY d.sa_id, u.name, d.segment ORDER BY u.name, d.segment`)
	if err != nil {
		return nil, fmt.Errorf("postgres: open accounts per SA: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[SALoad])
	if err != nil {
		return nil, fmt.Errorf("postgres: open accounts per SA: %w", err)
	}
	return out, nil
}
