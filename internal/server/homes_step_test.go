package server

import (
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// TestAfterTheLockBothHomesNameOneStep: on a locked pack the SE's home and
// the SA's name the same step, the clock that runs soonest, each in its
// reader's words; with none running the pack is done for both.
func TestAfterTheLockBothHomesNameOneStep(t *testing.T) {
	t.Parallel()
	cal, err := deadline.NewCalendar("America/New_York", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := handoff.Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 5, LockDueCalendarDays: 30, FirstValueDueCalendarDays: 90}
	day := func(s string) *time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	now := time.Date(2027, 1, 4, 15, 0, 0, 0, time.UTC)
	locked := time.Date(2026, 10, 1, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name           string
		firstValueOn   *time.Time
		podDue         *time.Time
		saStep, seNext string
	}{
		{"FirstValueFirst", nil, day("2027-03-01"), "Record first value", "Architecture locked; the SA records first value."},
		{"PodReviewSooner", nil, day("2026-12-31"), "Hold the pod review", "Live; the SA holds the quarterly pod reviews."},
		{"OnlyPodReviews", day("2026-11-30"), day("2027-02-01"), "Hold the pod review", "Live; the SA holds the quarterly pod reviews."},
		{"NothingRuns", day("2026-11-30"), nil, "Done", "Done: architecture locked and first value reached."},
	} {
		p := &handoff.Pack{Status: handoff.StatusLocked, KickoffOn: day("2026-09-01"), LockedAt: &locked,
			PackDueOn: *day("2026-08-20"), KickoffDueOn: *day("2026-08-27"), LockDueOn: day("2026-10-01"),
			FirstValueDueOn: day("2027-01-29"), PodReviewDueOn: tc.podDue}
		if tc.firstValueOn != nil {
			p.FirstValue = &handoff.FirstValue{On: *tc.firstValueOn, What: "Live"}
		}
		hr := postgres.HomeRow{Pack: p, Step: handoff.SAStepDone}
		if got := homeRow(hr, handoff.RoleSA, cal, st, now).Step; got != tc.saStep {
			t.Errorf("%s: the SA's step = %q, want %q", tc.name, got, tc.saStep)
		}
		if got := homeRow(hr, handoff.RoleSE, cal, st, now).Next; got != tc.seNext {
			t.Errorf("%s: the SE reads %q, want %q", tc.name, got, tc.seNext)
		}
	}
}
