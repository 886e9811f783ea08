package deadline

import (
	"slices"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

// ForOrg builds the org's calendar from its settings and company days off.
func ForOrg(s handoff.Settings, off []handoff.DayOff) (*Calendar, error) {
	days := make([]DayOff, len(off))
	for i, d := range off {
		days[i] = DayOff{Day: DayOf(d.Day, time.UTC), Name: d.Name}
	}
	return NewCalendar(s.TimeZone, s.HolidayCountries, days)
}

// PackClocks evaluates a pack's clocks at now against their stored due
// dates (a met clock keeps the date it was met against). Stored dates are
// civil dates at 00:00 UTC; the moments a clock was met count on the org's day.
//
// Each running clock also says who owes its next step, from the pack's
// status. The pod review clock is never done: a review moves its due day a
// quarter on, and it stops only when the account is no longer strategic.
func PackClocks(cal *Calendar, s handoff.Settings, p *handoff.Pack, now time.Time) Clocks {
	r := RulesOf(s)
	cw := DayOf(p.Deal.ClosedWonOn, time.UTC)
	kickoff := civil(p.KickoffOn)
	var fvDone Day
	if p.FirstValue != nil {
		fvDone = DayOf(p.FirstValue.On, time.UTC)
	}
	podDue := civil(p.PodReviewDueOn)
	var podStart Day
	if !podDue.IsZero() {
		podStart = podDue.AddDays(-r.PodReview.Days)
	}
	cs := Clocks{
		cal.EvaluateDue(r.Pack, cw, civil(&p.PackDueOn), orgDay(cal, p.FirstSubmittedAt), now),
		cal.EvaluateDue(r.Kickoff, cw, civil(&p.KickoffDueOn), kickoff, now),
		cal.EvaluateDue(r.Lock, kickoff, civil(p.LockDueOn), orgDay(cal, p.LockedAt), now),
		cal.EvaluateDue(r.FirstValue, kickoff, civil(p.FirstValueDueOn), fvDone, now),
		cal.EvaluateDue(r.PodReview, podStart, podDue, Day{}, now),
	}
	for i := range cs {
		if cs[i].Open() {
			cs[i].Owner = OwedBy(cs[i].Kind, p.Status)
		}
	}
	return cs
}

// ClockOf returns p's clock of kind k, as PackClocks evaluates it.
func ClockOf(cal *Calendar, s handoff.Settings, p *handoff.Pack, k Kind, now time.Time) Clock {
	cs := PackClocks(cal, s, p, now)
	return cs[slices.Index(Kinds(), k)]
}

func civil(t *time.Time) Day {
	if t == nil {
		return Day{}
	}
	return DayOf(*t, time.UTC)
}

func orgDay(cal *Calendar, t *time.Time) Day {
	if t == nil {
		return Day{}
	}
	return DayOf(*t, cal.Location())
}
