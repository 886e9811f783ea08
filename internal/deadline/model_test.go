package deadline

import (
	"slices"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

func TestWhoOwesEachClock(t *testing.T) {
	t.Parallel()
	const none handoff.Role = ""
	for _, tc := range []struct {
		status                                  handoff.Status
		pack, kickoff, lock, firstValue, review handoff.Role
	}{
		{handoff.StatusDraft, handoff.RoleSE, handoff.RoleSE, none, none, none},
		{handoff.StatusSubmitted, none, handoff.RoleSA, none, none, none},
		{handoff.StatusChangesRequested, none, handoff.RoleSE, none, none, none},
		{handoff.StatusAcknowledged, none, none, handoff.RoleSA, handoff.RoleSA, none},
		{handoff.StatusLocked, none, none, none, handoff.RoleSA, handoff.RoleSA},
	} {
		t.Run(string(tc.status), func(t *testing.T) {
			for k, want := range map[Kind]handoff.Role{KindPack: tc.pack, KindKickoff: tc.kickoff, KindLock: tc.lock,
				KindFirstValue: tc.firstValue, KindPodReview: tc.review} {
				if got := OwedBy(k, tc.status); got != want {
					t.Errorf("OwedBy(%s) = %q, want %q", k, got, want)
				}
				if IsOpen(k, tc.status) != (want != none) {
					t.Errorf("IsOpen(%s) = %v, want %v", k, IsOpen(k, tc.status), want != none)
				}
				if slices.Contains(OpenStatuses(k), tc.status) != (want != none) {
					t.Errorf("OpenStatuses(%s) disagrees with OwedBy for %s", k, tc.status)
				}
			}
		})
	}
	if got := OwedStatuses(KindKickoff, handoff.RoleSE); !slices.Equal(got, []handoff.Status{handoff.StatusDraft, handoff.StatusChangesRequested}) {
		t.Errorf("kickoff owed by the SE in %v", got)
	}
	want := []Lane{{KindPack, handoff.RoleSE}, {KindKickoff, handoff.RoleSE}, {KindKickoff, handoff.RoleSA}, {KindLock, handoff.RoleSA},
		{KindFirstValue, handoff.RoleSA}, {KindPodReview, handoff.RoleSA}}
	if got := Lanes(); !slices.Equal(got, want) {
		t.Errorf("Lanes() = %v, want %v", got, want)
	}
}

func TestLatenessCountsInTheClocksOwnUnit(t *testing.T) {
	t.Parallel()
	cal := newCalendar(t, "America/New_York", []string{"US"}, nil)
	noon := func(s string) time.Time {
		tm := d(s).Time()
		return wall(t, "America/New_York", tm.Year(), tm.Month(), tm.Day(), 12, 0, 0)
	}
	for _, tc := range []struct {
		name     string
		cl       Clock
		now      time.Time
		late     int
		relative string
	}{
		// Due Friday 2026-11-20; the next Wednesday is 3 business days later,
		// 5 calendar days later.
		{"BusinessClockOverdue", Clock{Rule: PackRule(5), Start: d("2026-11-13"), Due: d("2026-11-20")}, noon("2026-11-25"), 3, "3 business days overdue"},
		{"CalendarClockOverdue", Clock{Rule: LockRule(30), Start: d("2026-10-21"), Due: d("2026-11-20")}, noon("2026-11-25"), 5, "5 days overdue"},
		{"BusinessClockOverTheWeekendIsOne", Clock{Rule: PackRule(5), Start: d("2026-11-13"), Due: d("2026-11-20")}, noon("2026-11-22"), 1, "1 business day overdue"},
		// Thanksgiving 2026-11-26 is not a business day.
		{"BusinessClockSkipsTheHoliday", Clock{Rule: KickoffRule(5), Start: d("2026-11-18"), Due: d("2026-11-25")}, noon("2026-11-27"), 1, "1 business day overdue"},
		{"DueToday", Clock{Rule: LockRule(30), Start: d("2026-10-26"), Due: d("2026-11-25")}, noon("2026-11-25"), 0, "due today"},
		{"DoneLateCalendar", Clock{Rule: LockRule(30), Start: d("2026-10-01"), Due: d("2026-10-31"), Done: d("2026-11-03")}, noon("2026-11-25"), 3, "done on 2026-11-03, 3 days late"},
		{"DoneLateBusiness", Clock{Rule: PackRule(5), Start: d("2026-10-23"), Due: d("2026-10-30"), Done: d("2026-11-03")}, noon("2026-11-25"), 2, "done on 2026-11-03, 2 business days late"},
		{"DoneOnTime", Clock{Rule: PackRule(5), Start: d("2026-10-23"), Due: d("2026-10-30"), Done: d("2026-10-30")}, noon("2026-11-25"), 0, "done on 2026-10-30, on time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cal.Late(tc.cl, tc.now); got != tc.late {
				t.Errorf("Late = %d, want %d", got, tc.late)
			}
			if got := cal.Relative(tc.cl, tc.now); got != tc.relative {
				t.Errorf("Relative = %q, want %q", got, tc.relative)
			}
		})
	}
}

func TestElapsedCountsInTheRulesUnit(t *testing.T) {
	t.Parallel()
	cal := newCalendar(t, "America/New_York", []string{"US"}, nil)
	for _, tc := range []struct {
		name     string
		rule     Rule
		from, to string
		want     int
	}{
		// Friday 2026-11-20 to Wednesday 2026-11-25: 3 business days, 5 days.
		{"BusinessDays", KickoffRule(5), "2026-11-20", "2026-11-25", 3},
		{"CalendarDays", LockRule(30), "2026-11-20", "2026-11-25", 5},
		// Thanksgiving 2026-11-26 and the weekend are skipped.
		{"BusinessDaysSkipTheHoliday", PackRule(5), "2026-11-25", "2026-11-30", 2},
		{"SameDay", LockRule(30), "2026-11-25", "2026-11-25", 0},
		{"Backwards", PackRule(5), "2026-11-25", "2026-11-20", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cal.Elapsed(tc.rule, d(tc.from), d(tc.to)); got != tc.want {
				t.Errorf("Elapsed(%s, %s, %s) = %d, want %d", tc.rule.Unit(), tc.from, tc.to, got, tc.want)
			}
		})
	}
}

func TestPackClocksSayWhoOwesThem(t *testing.T) {
	t.Parallel()
	cal := newCalendar(t, "America/New_York", []string{"US"}, nil)
	st := handoff.Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 5, LockDueCalendarDays: 30, FirstValueDueCalendarDays: 90}
	cw := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	sub := time.Date(2026, 11, 5, 15, 0, 0, 0, time.UTC)
	kick := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	locked := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	due := cal.DueDates(RulesOf(st), DayOf(cw, time.UTC), DayOf(kick, time.UTC))
	lock, fvDue := due.Lock.Time(), due.FirstValue.Time()
	podDue := NextPodReview(true, handoff.StatusLocked, DayOf(locked, time.UTC), Day{}).Time()
	if want := time.Date(2027, 2, 19, 0, 0, 0, 0, time.UTC); !podDue.Equal(want) {
		t.Errorf("pod review due %s, want a quarter after the lock, %s", podDue, want)
	}
	kicked := func(p *handoff.Pack) {
		p.FirstSubmittedAt, p.KickoffOn, p.LockDueOn, p.FirstValueDueOn = &sub, &kick, &lock, &fvDue
	}
	sa := handoff.RoleSA
	now := wall(t, "America/New_York", 2026, 11, 25, 12, 0, 0)
	base := handoff.Pack{Deal: handoff.Deal{ClosedWonOn: cw}, PackDueOn: due.Pack.Time(), KickoffDueOn: due.Kickoff.Time()}
	for _, tc := range []struct {
		status handoff.Status
		edit   func(p *handoff.Pack)
		owners [NumKinds]handoff.Role
	}{
		{handoff.StatusDraft, func(*handoff.Pack) {}, [NumKinds]handoff.Role{handoff.RoleSE, handoff.RoleSE}},
		{handoff.StatusChangesRequested, func(p *handoff.Pack) { p.FirstSubmittedAt = &sub }, [NumKinds]handoff.Role{"", handoff.RoleSE}},
		{handoff.StatusSubmitted, func(p *handoff.Pack) { p.FirstSubmittedAt = &sub }, [NumKinds]handoff.Role{"", sa}},
		{handoff.StatusAcknowledged, kicked, [NumKinds]handoff.Role{"", "", sa, sa}},
		// First value can come before the lock: it stops its clock only.
		{handoff.StatusAcknowledged, func(p *handoff.Pack) {
			kicked(p)
			p.FirstValue = &handoff.FirstValue{On: kick.AddDate(0, 0, 5), What: "live"}
		}, [NumKinds]handoff.Role{"", "", sa}},
		{handoff.StatusLocked, func(p *handoff.Pack) { kicked(p); p.LockedAt = &locked }, [NumKinds]handoff.Role{"", "", "", sa}},
		{handoff.StatusLocked, func(p *handoff.Pack) {
			kicked(p)
			p.LockedAt, p.Deal.Segment, p.PodReviewDueOn = &locked, handoff.SegmentStrategic, &podDue
		}, [NumKinds]handoff.Role{"", "", "", sa, sa}},
		{handoff.StatusLocked, func(p *handoff.Pack) {
			kicked(p)
			p.LockedAt, p.PodReviewDueOn = &locked, &podDue
			p.FirstValue = &handoff.FirstValue{On: kick.AddDate(0, 0, 40), What: "live"}
		}, [NumKinds]handoff.Role{"", "", "", "", sa}},
		{handoff.StatusLocked, func(p *handoff.Pack) {
			kicked(p)
			p.LockedAt = &locked
			p.FirstValue = &handoff.FirstValue{On: kick.AddDate(0, 0, 40), What: "live"}
		}, [NumKinds]handoff.Role{}},
	} {
		p := base
		p.Status = tc.status
		tc.edit(&p)
		cs := PackClocks(cal, st, &p, now)
		for i, c := range cs {
			if c.Owner != tc.owners[i] {
				t.Errorf("%s: %s owed by %q, want %q", tc.status, c.Kind, c.Owner, tc.owners[i])
			}
			// A clock runs only in the statuses the model lists; only a
			// Conditional one may stop on its own fact in them.
			if c.Open() && !IsOpen(c.Kind, tc.status) || !c.Open() && IsOpen(c.Kind, tc.status) && !Conditional(c.Kind) {
				t.Errorf("%s: %s open from the facts = %v, from the status = %v", tc.status, c.Kind, c.Open(), IsOpen(c.Kind, tc.status))
			}
		}
	}
}
