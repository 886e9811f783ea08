package server

import (
	"context"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// orgCalendar is the org's settings and the calendar they describe, as kept
// in the memo.
type orgCalendar struct {
	cal      *deadline.Calendar
	settings handoff.Settings
}

// calendar returns the org's settings and the calendar they describe.
func (s *Server) calendar(ctx context.Context) (*deadline.Calendar, handoff.Settings, error) {
	oc, err := remember(ctx, s, "calendar", func(ctx context.Context) (orgCalendar, error) {
		settings, err := s.db.Settings(ctx)
		if err != nil {
			return orgCalendar{}, err
		}
		off, err := s.db.DaysOff(ctx)
		if err != nil {
			return orgCalendar{}, err
		}
		cal, err := newCalendar(settings, off)
		if err != nil {
			return orgCalendar{}, err
		}
		s.memo.loc.Store(cal.Location())
		return orgCalendar{cal: cal, settings: settings}, nil
	})
	return oc.cal, oc.settings, err
}

// orgLocation is the org's time zone as last loaded (UTC before the first
// page that loads the calendar), for showing moments in people's own time.
func (s *Server) orgLocation() *time.Location {
	if loc := s.memo.loc.Load(); loc != nil {
		return loc
	}
	return time.UTC
}

// when formats a moment in the org's time zone.
func (s *Server) when(t time.Time) string {
	return t.In(s.orgLocation()).Format("2006-01-02 15:04 MST")
}

func newCalendar(settings handoff.Settings, off []handoff.DayOff) (*deadline.Calendar, error) {
	return deadline.ForOrg(settings, off)
}

// dueFunc computes due dates under a calendar and settings, by the clock
// model's one rule (deadline.DueDates).
func dueFunc(cal *deadline.Calendar, settings handoff.Settings) postgres.DueFunc {
	r := deadline.RulesOf(settings)
	return func(closedWon time.Time, kickoff *time.Time) postgres.Dues {
		dues := cal.DueDates(r, deadline.DayOf(closedWon, time.UTC), civilDay(kickoff))
		d := postgres.Dues{PackDueOn: dues.Pack.Time(), KickoffDueOn: dues.Kickoff.Time()}
		if !dues.Lock.IsZero() {
			t, f := dues.Lock.Time(), dues.FirstValue.Time()
			d.LockDueOn, d.FirstValueDueOn = &t, &f
		}
		return d
	}
}

// civilDay is a stored civil date (00:00 UTC) as a Day; zero for nil.
func civilDay(t *time.Time) deadline.Day {
	if t == nil {
		return deadline.Day{}
	}
	return deadline.DayOf(*t, time.UTC)
}

// clockViews evaluates a pack's clocks at now for display, against the
// stored due dates; the explanation shows how the current rules reach a date.
func clockViews(cal *deadline.Calendar, settings handoff.Settings, p *handoff.Pack, now time.Time) []web.ClockView {
	cs := deadline.PackClocks(cal, settings, p, now)
	out := make([]web.ClockView, len(cs))
	for i, c := range cs {
		out[i] = clockView(cal, c, p, now)
	}
	return out
}

// clockCell is a clock as a list's cell shows it: clockView without the
// day-by-day explanation, which only the pack page opens and which costs more
// than the rest of a home's row.
func clockCell(cal *deadline.Calendar, c deadline.Clock, p *handoff.Pack, now time.Time) web.ClockView {
	v := web.ClockView{
		Kind:      string(c.Kind),
		Label:     c.Kind.Label(),
		State:     c.State,
		Relative:  cal.Relative(c, now),
		WaitingOn: waitingOn(c.Owner, p),
	}
	if !c.Due.IsZero() {
		v.Due = c.Due.String()
	}
	return v
}

// waitingOn names who a running clock waits on: "Sam Rivera (SE)"; "the SA
// (not assigned yet)" when the pack has no SA.
func waitingOn(role handoff.Role, p *handoff.Pack) string {
	switch role {
	case handoff.RoleSE:
		return p.Deal.SEName + " (SE)"
	case handoff.RoleSA:
		if p.Deal.SAName == "" {
			return "an SA (not assigned yet)"
		}
		return p.Deal.SAName + " (SA)"
	}
	return ""
}

func clockView(cal *deadline.Calendar, c deadline.Clock, p *handoff.Pack, now time.Time) web.ClockView {
	v := clockCell(cal, c, p, now)
	if r, start := c.Rule, c.Start; !start.IsZero() {
		ex := cal.Explain(r, start)
		ev := &web.ExplanationView{Rule: ex.Rule, Start: ex.Start.String(), Due: ex.Due.String(), Business: r.Business, Note: ex.Note}
		if !c.Due.IsZero() && !c.Due.Equal(ex.Due) {
			// The stored date was fixed under earlier rules (a met clock keeps it).
			ev.Note = "This clock's date, " + c.Due.String() + ", was set under the rules in force at the time; today's rules would give " + ex.Due.String() + ", as shown below."
		}
		for _, st := range ex.Steps {
			ev.Steps = append(ev.Steps, web.StepView{Day: st.Day.String(), Weekday: st.Day.Weekday().String(), Counted: st.Counted, N: st.N, Reason: st.Reason})
		}
		v.Explanation = ev
	}
	return v
}
