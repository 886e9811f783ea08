package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

// TestAssessmentStaysWithTheHandoff: the score belongs to the SE who
// submitted the accepted version, even when the deal changed hands before
// the assessment, and a revision keeps the day (so the quarter) of the first
// assessment while recording who revised it and when.
func TestAssessmentStaysWithTheHandoff(t *testing.T) {
	t.Parallel()
	w := newPackWorld(t).filled(t) // v1 submitted by Sam, no commitments or risks
	w.exec(t, `UPDATE packs SET status = 'locked', locked_at = $2 WHERE id = $1`, w.pack, packNow)
	w.exec(t, `UPDATE deals SET se_id = $2 WHERE id = (SELECT deal_id FROM packs WHERE id = $1)`, w.pack, w.priya.ID)
	ctx := context.Background()
	version := func() int {
		p, err := w.db.Pack(ctx, w.alex, w.pack)
		if err != nil {
			t.Fatal(err)
		}
		return p.Version
	}
	first := time.Date(2026, time.March, 30, 0, 0, 0, 0, time.UTC)
	a := handoff.Assessment{Stage: handoff.StageLock, Surfaced: []handoff.Surfaced{{Kind: "risk", Description: "A second SAP system", Severity: "high"}}}
	if err := w.db.SaveAssessment(ctx, w.alex, w.pack, version(), a, first, packNow); err != nil {
		t.Fatal(err)
	}
	later := packNow.Add(24 * time.Hour)
	a.Surfaced = nil
	if err := w.db.SaveAssessment(ctx, w.alex, w.pack, version(), a, time.Date(2026, time.July, 2, 0, 0, 0, 0, time.UTC), later); err != nil {
		t.Fatal(err)
	}
	var se int64
	var on, at time.Time
	var surfaced int
	if err := w.db.Pool.QueryRow(ctx, `SELECT se_id, assessed_on, assessed_at, surfaced FROM handoff_assessments WHERE pack_id = $1`, w.pack).
		Scan(&se, &on, &at, &surfaced); err != nil {
		t.Fatal(err)
	}
	if se != w.sam.ID {
		t.Errorf("the score is credited to user %d, want Sam (%d), who handed off, not Priya (%d), who holds the deal now", se, w.sam.ID, w.priya.ID)
	}
	if !on.Equal(first) || !at.Equal(later) || surfaced != 0 {
		t.Errorf("after the revision: assessed on %s at %s with %d surfaced; want the first day %s kept, the revision's time %s and its counts",
			on.Format(time.DateOnly), at, surfaced, first.Format(time.DateOnly), later)
	}
}
