package deadline

import (
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Kind names one of the five clocks. The values are stable: they are stored.
type Kind string

// The clocks of README.md, "Deadlines" and "After the lock".
const (
	KindPack    Kind = "pack"    // Closed-Won + N business days; done when the pack is first submitted
	KindKickoff Kind = "kickoff" // Closed-Won + N business days; done when the SA acknowledges
	KindLock    Kind = "lock"    // kickoff + N calendar days; done when the architecture is locked
	// KindFirstValue: kickoff + N calendar days; done when the SA records
	// first value.
	KindFirstValue Kind = "first_value"
	// KindPodReview: on strategic accounts, lock + 91 calendar days, then
	// each review + 91; it never finishes while the account is strategic,
	// each review only moves it on.
	KindPodReview Kind = "pod_review"
)

// NumKinds is how many clocks there are.
const NumKinds = 5

// Clocks are a pack's clocks in Kinds order.
type Clocks [NumKinds]Clock

// Kinds returns the clocks in the order pages show them.
func Kinds() []Kind {
	return []Kind{KindPack, KindKickoff, KindLock, KindFirstValue, KindPodReview}
}

// Conditional reports whether clock k runs on a fact of its own besides the
// pack's status: first value stops when recorded while the pack stays
// locked, and the pod review runs only on strategic accounts. Its stored due
// day says which (an open first value clock, a strategic account), so SQL
// reads that fact from the clock's own columns; the other clocks run on the
// status alone.
func Conditional(k Kind) bool { return k == KindFirstValue || k == KindPodReview }

// Label is the name people see: "Pack due", "Kickoff due", "Architecture lock due".
func (k Kind) Label() string {
	switch k {
	case KindPack:
		return "Pack due"
	case KindKickoff:
		return "Kickoff due"
	case KindLock:
		return "Architecture lock due"
	case KindFirstValue:
		return "First value due"
	case KindPodReview:
		return "Pod review due"
	}
	return string(k)
}

// Step names the clock's step at the start of a sentence, for mails and
// chat messages: "The architecture lock is due …".
func (k Kind) Step() string {
	switch k {
	case KindPack:
		return "The handoff pack"
	case KindKickoff:
		return "The kickoff"
	case KindLock:
		return "The architecture lock"
	case KindFirstValue:
		return "First value"
	case KindPodReview:
		return "The pod review"
	}
	return "The " + string(k) + " clock"
}

// startName is what the clock counts from, for explanations.
func (k Kind) startName() string {
	switch k {
	case KindPack, KindKickoff:
		return "Closed-Won"
	case KindLock, KindFirstValue:
		return "kickoff"
	case KindPodReview:
		return "the lock or the last pod review"
	}
	return "the start day"
}

// State is where a clock stands. The values are stable: they are stored and
// used in CSS classes and filters.
type State string

// The states of a clock. A clock that is not done is exactly one of on track,
// at risk or overdue; a done clock stays done on time or late for good.
const (
	StateNotStarted State = "not_started" // no start day yet (lock clock before kickoff)
	StateOnTrack    State = "on_track"
	StateAtRisk     State = "at_risk" // not done and due today or on the next business day
	StateOverdue    State = "overdue" // not done and the due day has ended in the org's time zone
	StateDoneOnTime State = "done_on_time"
	StateDoneLate   State = "done_late"
)

// Label is the state in words for badges: "At risk", "Done late".
func (s State) Label() string {
	switch s {
	case StateNotStarted:
		return "Not started"
	case StateOnTrack:
		return "On track"
	case StateAtRisk:
		return "At risk"
	case StateOverdue:
		return "Overdue"
	case StateDoneOnTime:
		return "Done on time"
	case StateDoneLate:
		return "Done late"
	}
	return string(s)
}

// IsDone reports whether the clock has stopped, on time or late.
func (s State) IsDone() bool { return s == StateDoneOnTime || s == StateDoneLate }

// The defaults of docs/design.md, "Deadlines"; the organisation may change them in settings.
const (
	DefaultPackBusinessDays    = 5
	DefaultKickoffBusinessDays = 5
	DefaultLockCalendarDays    = 30
	DefaultFirstValueDays      = 90
)

// Rule says how a clock's due day follows from its start day: Days business
// days, or Days calendar days when Business is false.
type Rule struct {
	Kind     Kind
	Days     int
	Business bool
}

// PackRule is the Pack due rule: days business days after Closed-Won.
func PackRule(days int) Rule { return Rule{Kind: KindPack, Days: days, Business: true} }

// KickoffRule is the Kickoff due rule: days business days after Closed-Won.
func KickoffRule(days int) Rule { return Rule{Kind: KindKickoff, Days: days, Business: true} }

// LockRule is the Architecture lock due rule: days calendar days after kickoff.
func LockRule(days int) Rule { return Rule{Kind: KindLock, Days: days, Business: false} }

// FirstValueRule is the First value due rule: days calendar days after kickoff.
func FirstValueRule(days int) Rule { return Rule{Kind: KindFirstValue, Days: days, Business: false} }

// PodReviewRule is the Pod review due rule: a quarter (91 calendar days)
// after the lock, then after each review.
func PodReviewRule() Rule {
	return Rule{Kind: KindPodReview, Days: handoff.PodReviewDays, Business: false}
}

// Clock is one evaluated deadline of one pack.
type Clock struct {
	Kind  Kind
	Rule  Rule
	Start Day // zero when not started (lock clock before kickoff)
	Due   Day // zero when not started
	Done  Day // zero when not done
	State State
	// Owner is who owes the clock's next step while it runs ("" when done
	// or not started): see OwedBy.
	Owner handoff.Role
}

// Due returns the due day of rule r for a clock starting on start. A clock is
// due at the end of that day in the organisation's time zone.
func (c *Calendar) Due(r Rule, start Day) Day {
	if r.Business {
		return c.AddBusinessDays(start, r.Days)
	}
	return start.AddDays(r.Days)
}

// Evaluate computes the clock of rule r started on start (zero: not started)
// and done on done (zero: not done), as seen at instant now. It does not
// allocate, since dashboards evaluate many clocks per page.
//
// Done on or before the due day is on time. An open clock is overdue once its
// due day has ended in the organisation's time zone, at risk when due today or
// on the next business day (so a clock due Monday is at risk all Friday), and
// on track otherwise.
func (c *Calendar) Evaluate(r Rule, start, done Day, now time.Time) Clock {
	if start.IsZero() {
		return Clock{Kind: r.Kind, Rule: r, Done: done, State: StateNotStarted}
	}
	return c.EvaluateDue(r, start, c.Due(r, start), done, now)
}

// EvaluateDue is Evaluate with a due day fixed elsewhere: a stored due date
// stays the one a clock is judged against, even after the calendar changed
// (a clock already met keeps the date it was met against).
func (c *Calendar) EvaluateDue(r Rule, start, due, done Day, now time.Time) Clock {
	cl := Clock{Kind: r.Kind, Rule: r, Start: start, Due: due, Done: done, State: StateNotStarted}
	if start.IsZero() || due.IsZero() {
		return cl
	}
	switch {
	case !done.IsZero() && done.After(cl.Due):
		cl.State = StateDoneLate
	case !done.IsZero():
		cl.State = StateDoneOnTime
	default:
		cl.State = c.OpenState(cl.Due, c.Today(now))
	}
	return cl
}

// OpenState is the state of a running clock due on due, on the org day
// today: overdue once the due day has ended, at risk up to RiskUntil, else
// on track.
func (c *Calendar) OpenState(due, today Day) State {
	switch {
	case today.After(due):
		return StateOverdue
	case !due.After(c.RiskUntil(today)):
		return StateAtRisk
	}
	return StateOnTrack
}

// Relative puts cl in the words shown beside its date: "due today", "due in 1
// business day", "3 business days overdue", "done on 2026-12-01, on time",
// "done on 2026-12-04, 1 business day late", "starts at kickoff". Clocks with
// calendar-day rules count "days" instead of "business days".
//
// Lateness counts business days after the due day up to today (or the done
// day), and is at least 1: a clock due Friday is "1 business day overdue" all
// weekend, not "0".
func (c *Calendar) Relative(cl Clock, now time.Time) string {
	if cl.Start.IsZero() {
		switch cl.Kind {
		case KindLock, KindFirstValue:
			return "starts at kickoff"
		case KindPodReview:
			return "strategic accounts, after the lock"
		}
		return "not started"
	}
	due := cl.Due
	if due.IsZero() {
		due = c.Due(cl.Rule, cl.Start)
	}
	cl.Due = due
	if !cl.Done.IsZero() {
		if !cl.Done.After(due) {
			return "done on " + cl.Done.String() + ", on time"
		}
		return "done on " + cl.Done.String() + ", " + days(c.Late(cl, now), cl.Rule) + " late"
	}
	today := c.Today(now)
	switch {
	case today == due:
		return "due today"
	case today.After(due):
		return days(c.Late(cl, now), cl.Rule) + " overdue"
	}
	return "due in " + c.count(cl.Rule, today, due)
}

// days phrases n days in the rule's unit: "1 business day", "3 days".
func days(n int, r Rule) string {
	if n == 1 {
		return "1 " + r.Unit()
	}
	return strconv.Itoa(n) + " " + r.Unit() + "s"
}

// count phrases the distance from a to b (a before b) in the rule's unit, with
// the singular for 1. It never says 0: when a and b differ but only weekend or
// holidays lie between, that is still "1 business day", not "0 business days".
func (c *Calendar) count(r Rule, a, b Day) string {
	n := a.DaysUntil(b)
	if r.Business {
		n = c.BusinessDaysBetween(a, b)
	}
	return days(max(n, 1), r)
}

// Open reports whether the clock is running: started and not done.
func (cl Clock) Open() bool { return !cl.Start.IsZero() && !cl.Due.IsZero() && cl.Done.IsZero() }
