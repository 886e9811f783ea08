package deadline

import (
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

// RulesFor is the three clocks as the org's settings define them.
func RulesFor(s handoff.Settings) (pack, kickoff, lock Rule) {
	return PackRule(s.PackDueBusinessDays), KickoffRule(s.KickoffDueBusinessDays), LockRule(s.LockDueCalendarDays)
}

// PackClocks evaluates a pack's three clocks at now against their stored due
// dates (a met clock keeps the date it was met against). Stored dates are
// civil dates at 00:00 UTC; the moments a clock was met count on the org's day.
func PackClocks(cal *Calendar, s handoff.Settings, p *handoff.Pack, now time.Time) [3]Clock {
	pr, kr, lr := RulesFor(s)
	cw := DayOf(p.Deal.ClosedWonOn, time.UTC)
	kickoff := civil(p.KickoffOn)
	return [3]Clock{
		cal.EvaluateDue(pr, cw, civil(&p.PackDueOn), orgDay(cal, p.FirstSubmittedAt), now),
		cal.EvaluateDue(kr, cw, civil(&p.KickoffDueOn), kickoff, now),
		cal.EvaluateDue(lr, kickoff, civil(p.LockDueOn), orgDay(cal, p.LockedAt), now),
	}
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
