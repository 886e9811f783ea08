package deadline

import (
	"slices"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

func TestHomeSectionsFollowWhoOwesTheClocks(t *testing.T) {
	t.Parallel()
	se, sa := handoff.RoleSE, handoff.RoleSA
	for _, tc := range []struct {
		role                 handoff.Role
		needs, waiting, done []handoff.Status
	}{
		{se, []handoff.Status{handoff.StatusDraft, handoff.StatusChangesRequested},
			[]handoff.Status{handoff.StatusSubmitted, handoff.StatusAcknowledged}, []handoff.Status{handoff.StatusLocked}},
		{sa, []handoff.Status{handoff.StatusSubmitted, handoff.StatusAcknowledged},
			[]handoff.Status{handoff.StatusDraft, handoff.StatusChangesRequested}, []handoff.Status{handoff.StatusLocked}},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			for s, want := range map[Section][]handoff.Status{SectionNeedsYou: tc.needs, SectionWaiting: tc.waiting, SectionDone: tc.done} {
				if got := SectionStatuses(s, tc.role); !slices.Equal(got, want) {
					t.Errorf("SectionStatuses(%s) = %v, want %v", s, got, want)
				}
			}
		})
	}
}

// TestRunningClocksWaitOnOneRole: the homes sort by the soonest running clock
// of a pack, which is only the soonest step its owner owes while every
// running clock of a status waits on the same role.
func TestRunningClocksWaitOnOneRole(t *testing.T) {
	t.Parallel()
	for _, st := range handoff.Statuses {
		var owners []handoff.Role
		for _, k := range RunningIn(st) {
			if !slices.Contains(owners, OwedBy(k, st)) {
				owners = append(owners, OwedBy(k, st))
			}
		}
		if len(owners) > 1 {
			t.Errorf("in %s the running clocks wait on %v", st, owners)
		}
	}
	if got := RunningIn(handoff.StatusDraft); !slices.Equal(got, []Kind{KindPack, KindKickoff}) {
		t.Errorf("RunningIn(draft) = %v", got)
	}
}

// TestSectionOfAgreesWithSectionStatuses: a pack in each status, with the
// facts its status implies, lands in the section SQL filters it into.
func TestSectionOfAgreesWithSectionStatuses(t *testing.T) {
	t.Parallel()
	cal := newCalendar(t, "America/New_York", []string{"US"}, nil)
	st := handoff.Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 5, LockDueCalendarDays: 30}
	now := wall(t, "America/New_York", 2026, time.December, 10, 12, 0, 0)
	cw := d("2026-11-25")
	dues := cal.DueDates(RulesOf(st), cw, d("2026-12-02"))
	at := func(day string) *time.Time { tm := d(day).Time().Add(15 * time.Hour); return &tm }
	for _, status := range handoff.Statuses {
		p := &handoff.Pack{Status: status, PackDueOn: dues.Pack.Time(), KickoffDueOn: dues.Kickoff.Time(),
			Deal: handoff.Deal{ClosedWonOn: cw.Time()}}
		if status != handoff.StatusDraft {
			p.FirstSubmittedAt = at("2026-11-30")
		}
		if status == handoff.StatusAcknowledged || status == handoff.StatusLocked {
			k, l := d("2026-12-02").Time(), dues.Lock.Time()
			p.KickoffOn, p.LockDueOn = &k, &l
		}
		if status == handoff.StatusLocked {
			p.LockedAt = at("2026-12-08")
		}
		cs := PackClocks(cal, st, p, now)
		for _, role := range []handoff.Role{handoff.RoleSE, handoff.RoleSA} {
			got := SectionOf(cs, role)
			if !slices.Contains(SectionStatuses(got, role), status) {
				t.Errorf("a %s pack is %q for the %s, but SQL files it under another section", status, got, role)
			}
		}
	}
}
