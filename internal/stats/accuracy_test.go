package stats_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/stats"
)

func mustDay(t *testing.T, s string) deadline.Day {
	t.Helper()
	d, err := deadline.ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestQuarterOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ day, want string }{
		{"2026-01-01", "2026-Q1"},
		{"2026-03-31", "2026-Q1"},
		{"2026-04-01", "2026-Q2"},
		{"2026-06-30", "2026-Q2"},
		{"2026-07-01", "2026-Q3"},
		{"2026-09-30", "2026-Q3"},
		{"2026-10-01", "2026-Q4"},
		{"2026-12-31", "2026-Q4"},
		{"2028-02-29", "2028-Q1"},
	} {
		if got := stats.QuarterOf(mustDay(t, tc.day)).String(); got != tc.want {
			t.Errorf("QuarterOf(%s) = %s, want %s", tc.day, got, tc.want)
		}
	}
	t.Run("TurnsAtMidnightInTheOrgsZone", func(t *testing.T) {
		cal, err := deadline.NewCalendar("America/New_York", []string{"US"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// 03:00 UTC on New Year's Day is still New Year's Eve in New York.
		now := time.Date(2027, time.January, 1, 3, 0, 0, 0, time.UTC)
		if got := stats.QuarterOf(cal.Today(now)).String(); got != "2026-Q4" {
			t.Errorf("quarter at %s = %s, want 2026-Q4", now, got)
		}
	})
}

func TestQuarterAddAndBounds(t *testing.T) {
	t.Parallel()
	q4 := stats.Quarter{Year: 2026, Q: 4}
	for _, tc := range []struct {
		n                 int
		want, start, last string
	}{
		{0, "2026-Q4", "2026-10-01", "2026-12-31"},
		{1, "2027-Q1", "2027-01-01", "2027-03-31"},
		{-1, "2026-Q3", "2026-07-01", "2026-09-30"},
		{-3, "2026-Q1", "2026-01-01", "2026-03-31"},
		{-4, "2025-Q4", "2025-10-01", "2025-12-31"},
		{-7, "2025-Q1", "2025-01-01", "2025-03-31"},
		{-6, "2025-Q2", "2025-04-01", "2025-06-30"},
	} {
		q := q4.Add(tc.n)
		if q.String() != tc.want || q.Start().String() != tc.start || q.End().String() != tc.last {
			t.Errorf("2026-Q4 %+d = %s (%s to %s), want %s (%s to %s)", tc.n, q, q.Start(), q.End(), tc.want, tc.start, tc.last)
		}
	}
}

func TestPeriodOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		today        string
		n            int
		since, until string // [since, until)
		name         string
	}{
		{"2026-11-25", 1, "2026-10-01", "2027-01-01", "2026-Q4"},
		{"2026-11-25", 4, "2026-01-01", "2027-01-01", "2026-Q1 to 2026-Q4"},
		{"2026-11-25", 8, "2025-01-01", "2027-01-01", "2025-Q1 to 2026-Q4"},
		{"2026-01-01", 4, "2025-04-01", "2026-04-01", "2025-Q2 to 2026-Q1"},
		{"2026-03-31", 1, "2026-01-01", "2026-04-01", "2026-Q1"},
		{"2026-11-25", 0, "2026-10-01", "2027-01-01", "2026-Q4"}, // less than one is this quarter
	} {
		p := stats.PeriodOf(mustDay(t, tc.today), tc.n)
		if p.Since().String() != tc.since || p.Until().String() != tc.until || p.String() != tc.name {
			t.Errorf("PeriodOf(%s, %d) = [%s, %s) %q, want [%s, %s) %q", tc.today, tc.n, p.Since(), p.Until(), p, tc.since, tc.until, tc.name)
		}
		if got := len(p.List()); got != max(tc.n, 1) {
			t.Errorf("PeriodOf(%s, %d) lists %d quarters", tc.today, tc.n, got)
		}
	}
	t.Run("ContainsItsFirstDayNotTheDayAfter", func(t *testing.T) {
		p := stats.PeriodOf(mustDay(t, "2026-11-25"), 4)
		for d, want := range map[string]bool{"2025-12-31": false, "2026-01-01": true, "2026-12-31": true, "2027-01-01": false} {
			if got := p.Contains(mustDay(t, d)); got != want {
				t.Errorf("2026 contains %s = %v, want %v", d, got, want)
			}
		}
	})
}

func TestValidAccuracyQuarters(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]bool{1: true, 4: true, 8: true, 0: false, 2: false, 12: false, -4: false} {
		if got := stats.ValidAccuracyQuarters(n); got != want {
			t.Errorf("ValidAccuracyQuarters(%d) = %v, want %v", n, got, want)
		}
	}
}

// assessed is a pack's latest assessment on day with the counts held,
// under-scoped, wrong, surfaced.
func assessed(t *testing.T, se int64, name, on string, c ...int) postgres.AssessedPack {
	t.Helper()
	return postgres.AssessedPack{SEID: se, SEName: name, AssessedOn: mustDay(t, on).Time(), Stage: handoff.StageLock,
		Held: c[0], UnderScoped: c[1], Wrong: c[2], Surfaced: c[3]}
}

func TestBuildAccuracy(t *testing.T) {
	t.Parallel()
	today := mustDay(t, "2026-11-25")
	rows := []postgres.AssessedPack{
		assessed(t, 1, "Sam", "2026-11-20", 1, 0, 0, 0),   // this quarter
		assessed(t, 1, "Sam", "2026-10-01", 1, 4, 4, 0),   // this quarter, its first day
		assessed(t, 2, "Priya", "2026-12-31", 3, 1, 0, 1), // this quarter, its last day
		assessed(t, 2, "Priya", "2026-02-10", 5, 0, 0, 0), // 2026-Q1
		assessed(t, 3, "Sam", "2026-05-05", 2, 2, 0, 0),   // another Sam, 2026-Q2
		assessed(t, 1, "Sam", "2025-01-01", 0, 0, 1, 0),   // 2025-Q1, in the trend only
		assessed(t, 1, "Sam", "2024-12-31", 9, 0, 0, 0),   // before the trend: nowhere
	}

	t.Run("ThisQuarter", func(t *testing.T) {
		rep := stats.BuildAccuracy(rows, today, 1)
		want := handoff.AccuracyCounts{Held: 5, UnderScoped: 5, Wrong: 4, Surfaced: 1}
		if rep.All.Packs != 3 || rep.All.Counts != want {
			t.Errorf("all = %d packs %+v, want 3 packs %+v", rep.All.Packs, rep.All.Counts, want)
		}
		if len(rep.BySE) != 2 {
			t.Fatalf("by SE = %+v, want Priya and Sam", rep.BySE)
		}
		// Sam's two packs add their items: 2 held of 10, 20% — not the
		// average of 100% and 11%.
		sam := rep.BySE[1]
		if sam.Name != "Sam" || sam.Packs != 2 || sam.Items() != 10 {
			t.Fatalf("Sam = %+v", sam)
		}
		if share, ok := sam.Accuracy(); !ok || math.Abs(share-0.2) > 1e-9 {
			t.Errorf("Sam's accuracy = %v %v, want 0.2", share, ok)
		}
		// Priya's surfaced item counts as missed: 3 of 5.
		if share, ok := rep.BySE[0].Accuracy(); !ok || math.Abs(share-0.6) > 1e-9 {
			t.Errorf("Priya's accuracy = %v %v, want 0.6", share, ok)
		}
	})

	t.Run("FourQuartersByNameThenID", func(t *testing.T) {
		rep := stats.BuildAccuracy(rows, today, 4)
		var got []int64
		for _, g := range rep.BySE {
			got = append(got, g.SEID)
		}
		if !slices.Equal(got, []int64{2, 1, 3}) {
			t.Errorf("SE order = %v, want Priya (2), then the two Sams by id (1, 3)", got)
		}
		if rep.All.Packs != 5 || rep.All.Counts.Held != 12 {
			t.Errorf("all = %+v, want 5 packs, 12 held", rep.All)
		}
	})

	t.Run("TrendHasEightQuartersWithGaps", func(t *testing.T) {
		rep := stats.BuildAccuracy(rows, today, 1)
		var names []string
		packs := map[string]int{}
		for _, q := range rep.Trend {
			names = append(names, q.Quarter.String())
			packs[q.Quarter.String()] = q.Packs
		}
		want := []string{"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"}
		if !slices.Equal(names, want) {
			t.Fatalf("trend quarters = %v, want %v", names, want)
		}
		for q, n := range map[string]int{"2025-Q1": 1, "2025-Q2": 0, "2026-Q1": 1, "2026-Q2": 1, "2026-Q3": 0, "2026-Q4": 3} {
			if packs[q] != n {
				t.Errorf("%s has %d packs, want %d", q, packs[q], n)
			}
		}
		for _, q := range rep.Trend {
			if _, ok := q.Accuracy(); ok != (q.Packs > 0) {
				t.Errorf("%s: %d packs, accuracy ok = %v; an empty quarter is a gap, not 0%%", q.Quarter, q.Packs, ok)
			}
		}
		if !rep.HasTrend() {
			t.Error("HasTrend = false with packs in the trend")
		}
	})

	t.Run("APackWithNothingToMarkIsNoScore", func(t *testing.T) {
		rep := stats.BuildAccuracy([]postgres.AssessedPack{assessed(t, 1, "Sam", "2026-11-02", 0, 0, 0, 0)}, today, 1)
		if rep.All.Packs != 1 {
			t.Fatalf("all = %+v, want the pack counted", rep.All)
		}
		if _, ok := rep.All.Accuracy(); ok {
			t.Error("nothing measured has a score; want none (—), never 100%")
		}
		if _, ok := rep.Trend[len(rep.Trend)-1].Accuracy(); ok {
			t.Error("the quarter with nothing measured is drawn; want a gap")
		}
	})

	t.Run("NothingAssessed", func(t *testing.T) {
		rep := stats.BuildAccuracy(nil, today, 4)
		if rep.All.Packs != 0 || len(rep.BySE) != 0 || rep.HasTrend() || len(rep.Trend) != stats.TrendQuarters {
			t.Errorf("empty report = %+v", rep)
		}
	})
}
