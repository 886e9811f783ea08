package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// AssessedPack is one pack's latest accuracy assessment, with the deal and
// people the accuracy stats and their CSV show.
type AssessedPack struct {
	PackID          int64
	AccountName     string
	OpportunityName string
	SEID            int64
	SEName          string
	SAName          string // "" when the deal has no SA any more
	Stage           string
	AssessedOn      time.Time // the org's day, a date at midnight UTC
	Held            int
	UnderScoped     int
	Wrong           int
	Surfaced        int
}

// Counts are the assessment's counts, which add up across packs.
func (a AssessedPack) Counts() handoff.AccuracyCounts {
	return handoff.AccuracyCounts{Held: a.Held, UnderScoped: a.UnderScoped, Wrong: a.Wrong, Surfaced: a.Surfaced}
}

// AccuracyFilter selects packs by their latest assessment.
type AccuracyFilter struct {
	Scope handoff.PackScope // whose packs: handoff.AccuracyScope of the reader
	// Since and Until bound the org's day of the latest assessment,
	// [Since, Until), as civil dates.
	Since, Until time.Time
	Limit        int
}

// latestAssessments is a subquery: each pack in scope that has an
// assessment in [since, until), with only its latest assessment, the one at
// first value when there is one, else the one at the lock — the rule of
// handoff.LatestAssessment. The period applies to that latest one, outside
// the DISTINCT ON: a pack assessed at the lock in one quarter and at first
// value in the next counts in the next only, so quarters add up to the whole.
// The IN list reads handoff_assessments_on_idx, and DISTINCT ON the primary
// key, so the query reads the period's rows, not the table.
func latestAssessments(scope handoff.PackScope, since, until time.Time, args *searchArgs) string {
	s, u := args.add(since.Format(time.DateOnly), "date"), args.add(until.Format(time.DateOnly), "date")
	// The scope is the SE who handed off (handoff_assessments.se_id), not
	// whoever holds the deal now.
	where := append(scopeWhere(scope, "a", args),
		`a.pack_id IN (SELECT pack_id FROM handoff_assessments WHERE assessed_on >= `+s+` AND assessed_on < `+u+`)`)
	// The latest stage is the one furthest along handoff.Stages, the list
	// handoff.LatestAssessment walks.
	stages := args.add(handoff.Stages, "text[]")
	return `(
		SELECT * FROM (
			SELECT DISTINCT ON (a.pack_id) a.pack_id, p.deal_id, a.se_id, a.stage, a.assessed_on, a.held, a.under_scoped, a.wrong, a.surfaced
			FROM handoff_assessments a JOIN packs p ON p.id = a.pack_id
			WHERE ` + and(where) + `
			ORDER BY a.pack_id, array_position(` + stages + `, a.stage) DESC
		) latest WHERE latest.assessed_on >= ` + s + ` AND latest.assessed_on < ` + u + `
	)`
}

// AssessedPacks returns the packs in f.Scope whose latest assessment falls in
// [f.Since, f.Until), newest assessment first, at most f.Limit. The scope is
// in the SQL, so an SE's request never reads another SE's rows.
func (db *DB) AssessedPacks(ctx context.Context, f AccuracyFilter) ([]AssessedPack, error) {
	if f.Limit <= 0 {
		return nil, fmt.Errorf("postgres: assessed packs: limit %d, want > 0", f.Limit)
	}
	var args searchArgs
	latest := latestAssessments(f.Scope, f.Since, f.Until, &args)
	rows, err := db.Pool.Query(ctx, `
		SELECT l.pack_id, d.account_name, d.opportunity_name, l.se_id, se.name AS se_name, coalesce(sa.name, '') AS sa_name,
		       l.stage, l.assessed_on, l.held, l.under_scoped, l.wrong, l.surfaced
		FROM `+latest+` l
		JOIN deals d ON d.id = l.deal_id JOIN users se ON se.id = l.se_id LEFT JOIN users sa ON sa.id = d.sa_id
		ORDER BY l.assessed_on DESC, l.pack_id DESC
		LIMIT `+strconv.Itoa(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: assessed packs %s to %s: %w", f.Since.Format(time.DateOnly), f.Until.Format(time.DateOnly), err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[AssessedPack])
	if err != nil {
		return nil, fmt.Errorf("postgres: assessed packs %s to %s: %w", f.Since.Format(time.DateOnly), f.Until.Format(time.DateOnly), err)
	}
	return out, nil
}

// AccuracyTotal sums the latest assessments of the packs in scope that fall
// in [since, until): the figure of a whole period in one row, for a summary
// that does not need the packs themselves.
func (db *DB) AccuracyTotal(ctx context.Context, scope handoff.PackScope, since, until time.Time) (packs int, c handoff.AccuracyCounts, err error) {
	var args searchArgs
	latest := latestAssessments(scope, since, until, &args)
	if err := db.Pool.QueryRow(ctx, `
		SELECT count(*), coalesce(sum(held), 0), coalesce(sum(under_scoped), 0), coalesce(sum(wrong), 0), coalesce(sum(surfaced), 0)
		FROM `+latest+` l`, args...).Scan(&packs, &c.Held, &c.UnderScoped, &c.Wrong, &c.Surfaced); err != nil {
		return 0, handoff.AccuracyCounts{}, fmt.Errorf("postgres: accuracy total %s to %s: %w", since.Format(time.DateOnly), until.Format(time.DateOnly), err)
	}
	return packs, c, nil
}
