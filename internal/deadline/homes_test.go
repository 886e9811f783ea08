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
	after := []Kind{KindFirstValue, KindPodReview}
	plain := func(sts ...handoff.Status) []SectionTerm {
		var out []SectionTerm
		for _, st := range sts {
			out = append(out, SectionTerm{Status: st})
		}
		return out
	}
	locked := func(anyOf, none []Kind) SectionTerm {
		return SectionTerm{Status: handoff.StatusLocked, Any: anyOf, None: none}
	}
	for _, tc := range []struct {
		role                 handoff.Role
		needs, waiting, done []SectionTerm
	}{
		// A locked pack waits on the SA while first value or a pod review
		// is due, and is done for both only when neither runs.
		{se, plain(handoff.StatusDraft, handoff.StatusChangesRequested),
			append(plain(handoff.StatusSubmitted, handoff.StatusAcknowledged), locked(after, nil)), []SectionTerm{locked(nil, after)}},
		{sa, append(plain(handoff.StatusSubmitted, handoff.StatusAcknowledged), locked(after, nil)),
			plain(handoff.StatusDraft, handoff.StatusChangesRequested), []SectionTerm{locked(nil, after)}},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			for s, want := range map[Section][]SectionTerm{SectionNeedsYou: tc.needs, SectionWaiting: tc.waiting, SectionDone: tc.done} {
				if got := SectionTerms(s, tc.role); !slices.EqualFunc(got, want, func(a, b SectionTerm) bool {
					return a.Status == b.Status && slices.Equal(a.Any, b.Any) && slices.Equal(a.None, b.None)
				}) {
					t.Errorf("SectionTerms(%s) = %v, want %v", s, got, want)
				}
			}
		})
	}
}

// holds reports whether a pack in status st whose running clocks are cs
// falls under term t.
func holds(term SectionTerm, st handoff.Status, cs Clocks) bool {
	if term.Status != st {
		return false
	}
	running := func(k Kind) bool { return cs[slices.Index(Kinds(), k)].Open() }
	if len(term.Any) > 0 && !slices.ContainsFunc(term.Any, running) {
		return false
	}
	return !slices.ContainsFunc(term.None, running)
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

// TestSectionOfAgreesWithSectionTerms: a pack in each status, with the
// facts its status implies, and after the lock with and without first value
// and on a strategic account or not, lands under exactly the section terms
// of the section SectionOf puts it in.
func TestSectionOfAgreesWithSectionTerms(t *testing.T) {
	t.Parallel()
	cal := newCalendar(t, "America/New_York", []string{"US"}, nil)
	st := handoff.Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 5, LockDueCalendarDays: 30, FirstValueDueCalendarDays: 90}
	now := wall(t, "America/New_York", 2026, time.December, 10, 12, 0, 0)
	cw := d("2026-11-25")
	dues := cal.DueDates(RulesOf(st), cw, d("2026-12-02"))
	at := func(day string) *time.Time { tm := d(day).Time().Add(15 * time.Hour); return &tm }
	for _, status := range handoff.Statuses {
		for _, fv := range []bool{false, true} {
			for _, strategic := range []bool{false, true} {
				p := &handoff.Pack{Status: status, PackDueOn: dues.Pack.Time(), KickoffDueOn: dues.Kickoff.Time(),
					Deal: handoff.Deal{ClosedWonOn: cw.Time(), StrategicMarked: strategic}}
				if status != handoff.StatusDraft {
					p.FirstSubmittedAt = at("2026-11-30")
				}
				if status == handoff.StatusAcknowledged || status == handoff.StatusLocked {
					k, l, f := d("2026-12-02").Time(), dues.Lock.Time(), dues.FirstValue.Time()
					p.KickoffOn, p.LockDueOn, p.FirstValueDueOn = &k, &l, &f
					if fv {
						p.FirstValue = &handoff.FirstValue{On: d("2026-12-09").Time(), What: "live"}
					}
				}
				if status == handoff.StatusLocked {
					p.LockedAt = at("2026-12-08")
					if due := NextPodReview(strategic, status, d("2026-12-08"), Day{}); !due.IsZero() {
						tm := due.Time()
						p.PodReviewDueOn = &tm
					}
				}
				cs := PackClocks(cal, st, p, now)
				for _, role := range []handoff.Role{handoff.RoleSE, handoff.RoleSA} {
					got := SectionOf(cs, role)
					for _, s := range Sections() {
						in := slices.ContainsFunc(SectionTerms(s, role), func(term SectionTerm) bool { return holds(term, status, cs) })
						if in != (s == got) {
							t.Errorf("a %s pack (first value %v, strategic %v) is %q for the %s, but SQL's %q terms say %v",
								status, fv, strategic, got, role, s, in)
						}
					}
				}
			}
		}
	}
}
