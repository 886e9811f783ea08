package jobs

import (
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// openClock is one clock of a pack that is still running, as the clock model
// evaluates it, with the person who owes its next step (zero when nobody is
// to be nagged: no SA yet, or the SE already nagged for the same thing by the
// pack clock).
type openClock struct {
	deadline.Clock
	Owner person
	Step  string // what the owner must do, in words
}

// openClocks lists p's running clocks at now, judged by the clock model
// against the stored due dates as the pages are.
func openClocks(cal *deadline.Calendar, st handoff.Settings, p *openPack, now time.Time) []openClock {
	var out []openClock
	for _, c := range deadline.PackClocks(cal, st, p.pack(), now) {
		if !c.Open() {
			continue
		}
		oc := openClock{Clock: c}
		switch c.Owner {
		case handoff.RoleSE:
			oc.Owner = p.se()
		case handoff.RoleSA:
			oc.Owner = p.sa()
		}
		switch {
		case c.Kind == deadline.KindPack:
			oc.Step = "Complete the five documents and submit the pack."
		case c.Kind == deadline.KindKickoff && c.Owner == handoff.RoleSA:
			oc.Step = "Review the pack, hold the kickoff call and acknowledge the pack."
		case c.Kind == deadline.KindKickoff && handoff.Status(p.Status) == handoff.StatusDraft:
			oc.Owner = person{} // the pack clock already reminds the SE of the same step
		case c.Kind == deadline.KindKickoff:
			oc.Step = "Answer the returned documents and resubmit the pack, so the kickoff can happen."
		case c.Kind == deadline.KindLock:
			oc.Step = "Publish the reference architecture with the customer's sign-off and record the lock."
		case c.Kind == deadline.KindFirstValue:
			oc.Step = "Record the day the customer first got value from the deployment, and what it was."
		case c.Kind == deadline.KindPodReview:
			oc.Step = "Hold the quarterly pod review with the AE, SE and CSM, and record it."
		}
		out = append(out, oc)
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
// k due on due: on the business days daysBefore names and on the due day,
// then every business day while overdue. today is assumed to be a business
// day.
func reminderKind(cal *deadline.Calendar, k deadline.Kind, due, today deadline.Day) string {
	switch {
	case today == due:
		return kindDueToday
	case today.After(due):
		return kindOverdue
	}
	for _, n := range daysBefore(k) {
		if cal.AddBusinessDays(due, -n) == today {
			if n == 5 {
				return kindDueIn5
			}
			return kindDueIn1
		}
	}
	return ""
}

// daysBefore are the business days before its due day that a clock of kind
// k reminds its owner: 1 for the clocks counted in business days, 5 and 1
// for those counted in weeks or months (the lock, first value, pod
// reviews), which take longer to prepare.
func daysBefore(k deadline.Kind) []int {
	switch k {
	case deadline.KindLock, deadline.KindFirstValue, deadline.KindPodReview:
		return []int{5, 1}
	}
	return []int{1}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// waitingOn names who a running clock waits on, as the pages do: "Sam Rivera
// (SE)", or "an SA (not assigned yet)".
func waitingOn(c openClock, p *openPack) string {
	switch c.Clock.Owner {
	case handoff.RoleSE:
		return p.SEName + " (SE)"
	case handoff.RoleSA:
		if p.SAID == 0 {
			return "an SA (not assigned yet)"
		}
		return p.SAName + " (SA)"
	}
	return ""
}
