package stats

import (
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func at(s string) *time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestBuild(t *testing.T) {
	t.Parallel()
	cal, err := deadline.NewCalendar("America/New_York", []string{"US"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, time.December, 10, 17, 0, 0, 0, time.UTC) // Thursday
	rows := []postgres.StatsPack{
		// Won Mon 11-16, due 11-23; submitted 11-20 (4 business days), kickoff 11-23 (on time), locked 12-09.
		{ClosedWonOn: day("2026-11-16"), PackDueOn: day("2026-11-23"), KickoffDueOn: day("2026-11-23"), FirstSubmittedAt: at("2026-11-20 15:00"),
			KickoffOn: ptr(day("2026-11-23")), LockedAt: at("2026-12-09 15:00"), SEID: 1, SEName: "Sam", SAID: 9, SAName: "Alex", Segment: "enterprise"},
		// Won Wed 11-18, due 11-25; submitted Mon 11-30 at 01:00 UTC = Sun 11-29 evening in New York: late, 6 business days.
		// Kickoff due 11-25, held 12-01: late.
		{ClosedWonOn: day("2026-11-18"), PackDueOn: day("2026-11-25"), KickoffDueOn: day("2026-11-25"), FirstSubmittedAt: at("2026-11-30 01:00"),
			KickoffOn: ptr(day("2026-12-01")), SEID: 1, SEName: "Sam", SAID: 9, SAName: "Alex", Segment: "commercial"},
		// Won 11-30, due 12-07, never submitted: late (still overdue); its kickoff is overdue too.
		{ClosedWonOn: day("2026-11-30"), PackDueOn: day("2026-12-07"), KickoffDueOn: day("2026-12-07"), SEID: 2, SEName: "Priya", Segment: "commercial"},
		// Won 12-09, due 12-16: not due yet, left out of the rates.
		{ClosedWonOn: day("2026-12-09"), PackDueOn: day("2026-12-16"), KickoffDueOn: day("2026-12-16"), SEID: 2, SEName: "Priya", Segment: "strategic"},
	}
	loads := []postgres.SALoad{{SAID: 9, SAName: "Alex", Segment: "strategic", Open: 14}, {SAID: 9, SAName: "Alex", Segment: "commercial", Open: 3},
		{SAID: 11, SAName: "Jo", Segment: "commercial", Open: 25}, {SAID: 12, SAName: "Jo", Segment: "commercial", Open: 1}}
	rules := deadline.Rules{Pack: deadline.PackRule(5), Kickoff: deadline.KickoffRule(5), Lock: deadline.LockRule(30)}
	rep := Build(cal, rules, rows, loads, cal.Today(now).AddDays(-90), now)

	t.Run("OnTimeRateLeavesOutPacksNotYetDue", func(t *testing.T) {
		if rep.All.Packs != 4 || rep.All.Decided != 3 || rep.All.OnTime != 1 || rep.All.Late != 2 || rep.Pending != 1 {
			t.Errorf("all = %+v pending %d", rep.All, rep.Pending)
		}
	})
	t.Run("MediansCountEachClocksUnitInTheOrgTimeZone", func(t *testing.T) {
		// Submissions after 4 and 6 business days (Thanksgiving skipped; the
		// second counted on its New York day, Sunday → 11-29).
		if rep.All.ToSubmit != (Median{Value: 5, N: 2}) {
			t.Errorf("to submit = %+v, want median 5 of 2", rep.All.ToSubmit)
		}
		// Kickoffs after 5 and 8 business days.
		if rep.All.ToKickoff != (Median{Value: 6.5, N: 2}) {
			t.Errorf("to kickoff = %+v, want median 6.5 of 2", rep.All.ToKickoff)
		}
		// The lock clock counts calendar days: 11-23 → 12-09 is 16 days (11
		// business days).
		if rep.All.KickoffToLock != (Median{Value: 16, N: 1}) || rep.Rules.Lock.Unit() != "day" {
			t.Errorf("kickoff→lock = %+v in %ss, want 16 days", rep.All.KickoffToLock, rep.Rules.Lock.Unit())
		}
	})
	t.Run("KickoffOnTimeFromTheKickoffClock", func(t *testing.T) {
		// One held on time, one held late, one overdue; the last not due yet.
		if rep.All.Kickoff != (Rate{Decided: 3, OnTime: 1}) {
			t.Errorf("kickoff = %+v, want 1 on time of 3 decided", rep.All.Kickoff)
		}
		if got := rep.BySA[0].Kickoff; got != (Rate{Decided: 2, OnTime: 1}) || got.Pct() != 50 {
			t.Errorf("Alex's kickoffs = %+v (%.0f%%)", got, got.Pct())
		}
		if (Rate{}).Pct() != -1 {
			t.Error("a rate with nothing decided is not -1")
		}
	})
	t.Run("PerSEAndSA", func(t *testing.T) {
		if len(rep.BySE) != 2 || rep.BySE[0].Name != "Priya" || rep.BySE[0].Late != 1 || rep.BySE[1].OnTime != 1 {
			t.Errorf("by SE = %+v", rep.BySE)
		}
		if len(rep.BySA) != 1 || rep.BySA[0].Packs != 2 {
			t.Errorf("by SA = %+v", rep.BySA)
		}
	})
	t.Run("WeeksStartOnMonday", func(t *testing.T) {
		if len(rep.Weeks) != 3 || rep.Weeks[0].Start.String() != "2026-11-16" || rep.Weeks[0].Decided != 2 || rep.Weeks[0].OnTime != 1 {
			t.Errorf("weeks = %+v", rep.Weeks)
		}
	})
	t.Run("LoadAgainstTheStaffingGuide", func(t *testing.T) {
		// Two SAs named Jo stay two rows.
		want := []handoff.Staffing{handoff.StaffingAbove, handoff.StaffingWithin, handoff.StaffingBelow}
		if len(rep.Loads) != 3 || rep.Loads[0].Name != "Alex" || rep.Loads[2].Volume != 1 {
			t.Fatalf("loads = %+v", rep.Loads)
		}
		for i, w := range want {
			if rep.Loads[i].Staffing != w {
				t.Errorf("load %d (%+v) is %s the guide, want %s", i, rep.Loads[i], rep.Loads[i].Staffing, w)
			}
		}
		// 14/15 + 3/30 ≈ 1.03: over; 25/30 ≈ 0.83: within.
		if got := rep.Loads[0].Share; got < 1.03 || got > 1.04 {
			t.Errorf("Alex's load = %.3f, want 14/15 + 3/30", got)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestMedian(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []int
		want Median
	}{{nil, Median{}}, {[]int{3}, Median{3, 1}}, {[]int{5, 1, 3}, Median{3, 3}}, {[]int{4, 1, 2, 3}, Median{2.5, 4}}} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}
