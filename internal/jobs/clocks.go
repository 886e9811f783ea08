package jobs

import (
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// openClock is one clock of a pack that is still running, with the person
// who owes its next step (zero when nobody can be nagged: no SA yet, or the
// SE is already nagged for the same thing by the pack clock).
type openClock struct {
	Kind  deadline.Kind
	Due   deadline.Day
	Owner person
	Step  string // what the owner must do, in words
}

func day(t time.Time) deadline.Day { return deadline.DayOf(t, time.UTC) }

// openClocks lists p's clocks that are not done, judged against the stored
// due dates as the pages do.
func openClocks(p *openPack) []openClock {
	var out []openClock
	if p.FirstSubmittedAt == nil {
		out = append(out, openClock{Kind: deadline.KindPack, Due: day(p.PackDueOn), Owner: p.se(),
			Step: "Complete the five documents and submit the pack."})
	}
	if p.KickoffOn == nil {
		c := openClock{Kind: deadline.KindKickoff, Due: day(p.KickoffDueOn)}
		switch handoff.Status(p.Status) {
		case handoff.StatusSubmitted:
			c.Owner = p.sa()
			c.Step = "Review the pack, hold the kickoff call and acknowledge the pack."
		case handoff.StatusChangesRequested:
			c.Owner = p.se()
			c.Step = "Answer the returned documents and resubmit the pack, so the kickoff can happen."
		}
		// In draft the SE is already reminded by the pack clock.
		out = append(out, c)
	}
	if p.KickoffOn != nil && p.LockedAt == nil && p.LockDueOn != nil {
		out = append(out, openClock{Kind: deadline.KindLock, Due: day(*p.LockDueOn), Owner: p.sa(),
			Step: "Publish the reference architecture with the customer's sign-off and record the lock."})
	}
	return out
}

// Reminder kinds; stored in job args, so stable.
const (
	kindDueIn5   = "due_in_5"
	kindDueIn1   = "due_in_1"
	kindDueToday = "due_today"
	kindOverdue  = "overdue"
)

// reminderKind says which reminder, if any, today brings for a clock of kind
// k due on due: 1 business day before and on the due day (also 5 business
// days before for the architecture lock), then every business day while
// overdue. today is assumed to be a business day.
func reminderKind(cal *deadline.Calendar, k deadline.Kind, due, today deadline.Day) string {
	switch {
	case today == due:
		return kindDueToday
	case today.After(due):
		return kindOverdue
	case cal.AddBusinessDays(due, -1) == today:
		return kindDueIn1
	case k == deadline.KindLock && cal.AddBusinessDays(due, -5) == today:
		return kindDueIn5
	}
	return ""
}

// noun names a clock's step in a sentence.
func noun(k deadline.Kind) string {
	switch k {
	case deadline.KindPack:
		return "The handoff pack"
	case deadline.KindKickoff:
		return "The kickoff"
	case deadline.KindLock:
		return "The architecture lock"
	}
	return string(k)
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// lateness is how late a clock due on due is on today: "2 business days
// overdue", never fewer than 1.
func lateness(cal *deadline.Calendar, due, today deadline.Day) string {
	n := cal.BusinessDaysBetween(due, today)
	if n < 1 {
		n = 1
	}
	return plural(n, "business day") + " overdue"
}
