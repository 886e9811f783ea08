package deadline

import (
	"slices"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

// The clock model: every surface (pages, CSV, API, mails, stats, metrics, the
// demo generator) asks these functions when a clock is open, who owes its
// next step, when it is due, whether it is at risk and how late it is. SQL
// that must filter in the database reads the same tables through OpenStatuses
// and OwedStatuses, and a property test proves the two agree row for row.

// Rules are an organisation's clocks as its settings define them.
type Rules struct {
	Pack, Kickoff, Lock, FirstValue, PodReview Rule
}

// RulesOf reads the clock rules from the org's settings.
func RulesOf(s handoff.Settings) Rules {
	fv := s.FirstValueDueCalendarDays
	if fv == 0 {
		fv = DefaultFirstValueDays // settings built before the clock existed
	}
	return Rules{
		Pack:       PackRule(s.PackDueBusinessDays),
		Kickoff:    KickoffRule(s.KickoffDueBusinessDays),
		Lock:       LockRule(s.LockDueCalendarDays),
		FirstValue: FirstValueRule(fv),
		PodReview:  PodReviewRule(),
	}
}

// Of returns the rule of clock k.
func (r Rules) Of(k Kind) Rule {
	switch k {
	case KindPack:
		return r.Pack
	case KindKickoff:
		return r.Kickoff
	case KindFirstValue:
		return r.FirstValue
	case KindPodReview:
		return r.PodReview
	}
	return r.Lock
}

// Dues are the due days of a deal's clocks that follow from its dates; Lock
// and FirstValue are zero before the kickoff. The pod review's due day
// follows the lock and each review instead (NextPodReview).
type Dues struct {
	Pack, Kickoff, Lock, FirstValue Day
}

// DueDates is the one place due days are computed: the pack and kickoff
// clocks count from Closed-Won, the lock and first value clocks from the
// kickoff (zero: not yet, and they stay zero).
func (c *Calendar) DueDates(r Rules, closedWon, kickoff Day) Dues {
	d := Dues{Pack: c.Due(r.Pack, closedWon), Kickoff: c.Due(r.Kickoff, closedWon)}
	if !kickoff.IsZero() {
		d.Lock = c.Due(r.Lock, kickoff)
		d.FirstValue = c.Due(r.FirstValue, kickoff)
	}
	return d
}

// NextPodReview is the pod review due day of an account: zero unless it is
// strategic and locked; else a quarter after its latest review, or after
// the lock day when it has had none.
func NextPodReview(strategic bool, status handoff.Status, locked, lastReview Day) Day {
	if !strategic || status != handoff.StatusLocked {
		return Day{}
	}
	from := locked
	if lastReview.After(from) {
		from = lastReview
	}
	return from.AddDays(handoff.PodReviewDays)
}

// clockTable says, for each clock, in which pack statuses it is still running
// and who owes its next step in each of them (docs/design.md, "Deadlines").
var clockTable = map[Kind]map[handoff.Status]handoff.Role{
	// The pack is owed by the SE until it is first submitted.
	KindPack: {handoff.StatusDraft: handoff.RoleSE},
	// The kickoff waits on the SE while the pack is theirs to finish or
	// fix, and on the SA once it is in their hands.
	KindKickoff: {
		handoff.StatusDraft:            handoff.RoleSE,
		handoff.StatusChangesRequested: handoff.RoleSE,
		handoff.StatusSubmitted:        handoff.RoleSA,
	},
	// The lock is the SA's from the kickoff until they lock.
	KindLock: {handoff.StatusAcknowledged: handoff.RoleSA},
	// First value is the SA's from the kickoff until they record it
	// (Conditional: recording it stops the clock in either status).
	KindFirstValue: {handoff.StatusAcknowledged: handoff.RoleSA, handoff.StatusLocked: handoff.RoleSA},
	// Pod reviews are the SA's once a strategic account is locked
	// (Conditional: only strategic accounts have the clock).
	KindPodReview: {handoff.StatusLocked: handoff.RoleSA},
}

// IsOpen reports whether clock k may run for a pack in status s: it runs
// there unless it is Conditional and its own fact says it does not.
func IsOpen(k Kind, s handoff.Status) bool {
	_, ok := clockTable[k][s]
	return ok
}

// OwedBy is who owes the next step of clock k for a pack in status s: the
// role, or "" when the clock is not running.
func OwedBy(k Kind, s handoff.Status) handoff.Role { return clockTable[k][s] }

// OpenStatuses lists the statuses in which clock k runs, in lifecycle order,
// for SQL that filters in the database.
func OpenStatuses(k Kind) []handoff.Status { return OwedStatuses(k, "") }

// OwedStatuses lists the statuses in which clock k runs and waits on role
// (any role when role is ""), in lifecycle order.
func OwedStatuses(k Kind, role handoff.Role) []handoff.Status {
	var out []handoff.Status
	for s, r := range clockTable[k] {
		if role == "" || r == role {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b handoff.Status) int { return lifecycleOrder(a) - lifecycleOrder(b) })
	return out
}

func lifecycleOrder(s handoff.Status) int {
	return slices.Index(handoff.Statuses, s)
}

// RiskUntil is the last due day that is still "at risk" on today: a clock due
// today or on the next business day is at risk (so one due Monday is at risk
// all Friday). Lists filtering "at risk" in SQL read due days from today to
// this day.
func (c *Calendar) RiskUntil(today Day) Day { return c.AddBusinessDays(today, 1) }

// Unit is what the rule counts in: "business day" or "day".
func (r Rule) Unit() string {
	if r.Business {
		return "business day"
	}
	return "day"
}

// Elapsed counts the days from from to to in r's unit: business days after
// from up to and including to for a business-day rule, calendar days for a
// calendar one; 0 when to is not after from. Stats measure each step in the
// unit of the clock that times it.
func (c *Calendar) Elapsed(r Rule, from, to Day) int {
	if !to.After(from) {
		return 0
	}
	if r.Business {
		return c.BusinessDaysBetween(from, to)
	}
	return from.DaysUntil(to)
}

// Late is how late the clock is at now in its own unit (business days for a
// business-day clock, calendar days for a calendar clock): for an open clock
// the days from its due day to today, for a done clock the days from its due
// day to the day it was done; 0 when not late. A clock due Friday is 1
// business day late all weekend, never 0.
func (c *Calendar) Late(cl Clock, now time.Time) int {
	if cl.Due.IsZero() {
		return 0
	}
	end := cl.Done
	if end.IsZero() {
		end = c.Today(now)
	}
	if !end.After(cl.Due) {
		return 0
	}
	n := cl.Due.DaysUntil(end)
	if cl.Rule.Business {
		n = c.BusinessDaysBetween(cl.Due, end)
	}
	return max(n, 1)
}

// Lane is one clock as it waits on one role. The manager's lists count and
// filter by lane, so a late kickoff still in the SE's hands is never counted
// against the SA.
type Lane struct {
	Kind  Kind
	Owner handoff.Role
}

// Key names the lane in URLs and maps: "kickoff.sa".
func (l Lane) Key() string { return string(l.Kind) + "." + string(l.Owner) }

// Lanes lists every clock and role that can owe it, clocks in page order,
// the SE before the SA.
func Lanes() []Lane {
	var out []Lane
	for _, k := range Kinds() {
		for _, role := range []handoff.Role{handoff.RoleSE, handoff.RoleSA} {
			if len(OwedStatuses(k, role)) > 0 {
				out = append(out, Lane{Kind: k, Owner: role})
			}
		}
	}
	return out
}

// ParseKind reads a clock's stored name ("pack", "kickoff", "lock",
// "first_value", "pod_review").
func ParseKind(s string) (Kind, bool) {
	k := Kind(s)
	return k, slices.Contains(Kinds(), k)
}
