package server

import (
	"context"
	"sync"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// calendarCache keeps the org's business-day calendar between requests; it is
// rebuilt when the settings row's updated_at moves (every settings or
// day-off change touches it).
type calendarCache struct {
	mu       sync.Mutex
	key      time.Time
	cal      *deadline.Calendar
	settings handoff.Settings
}

// calendar returns the org's settings and the calendar they describe.
func (s *Server) calendar(ctx context.Context) (*deadline.Calendar, handoff.Settings, error) {
	settings, err := s.db.Settings(ctx)
	if err != nil {
		return nil, settings, err
	}
	s.cals.mu.Lock()
	defer s.cals.mu.Unlock()
	if s.cals.cal != nil && s.cals.key.Equal(settings.UpdatedAt) {
		return s.cals.cal, s.cals.settings, nil
	}
	off, err := s.db.DaysOff(ctx)
	if err != nil {
		return nil, settings, err
	}
	cal, err := newCalendar(settings, off)
	if err != nil {
		return nil, settings, err
	}
	s.cals.key, s.cals.cal, s.cals.settings = settings.UpdatedAt, cal, settings
	return cal, settings, nil
}

// orgLocation is the org's time zone as last loaded (UTC before the first
// page that loads the calendar), for showing moments in people's own time.
func (s *Server) orgLocation() *time.Location {
	s.cals.mu.Lock()
	defer s.cals.mu.Unlock()
	if s.cals.cal == nil {
		return time.UTC
	}
	return s.cals.cal.Location()
}

// when formats a moment in the org's time zone.
func (s *Server) when(t time.Time) string {
	return t.In(s.orgLocation()).Format("2006-01-02 15:04 MST")
}

func newCalendar(settings handoff.Settings, off []handoff.DayOff) (*deadline.Calendar, error) {
	return deadline.ForOrg(settings, off)
}

// rules are the three clocks as the settings define them.
func rules(settings handoff.Settings) (pack, kickoff, lock deadline.Rule) {
	return deadline.RulesFor(settings)
}

// dueFunc computes due dates under a calendar and settings.
func dueFunc(cal *deadline.Calendar, settings handoff.Settings) postgres.DueFunc {
	pr, kr, lr := rules(settings)
	return func(closedWon time.Time, kickoff *time.Time) postgres.Dues {
		cw := deadline.DayOf(closedWon, time.UTC)
		d := postgres.Dues{
			PackDueOn:    cal.Explain(pr, cw).Due.Time(),
			KickoffDueOn: cal.Explain(kr, cw).Due.Time(),
		}
		if kickoff != nil {
			t := cal.Explain(lr, deadline.DayOf(*kickoff, time.UTC)).Due.Time()
			d.LockDueOn = &t
		}
		return d
	}
}

// clockViews evaluates a pack's three clocks at now for display, against the
// stored due dates; the explanation shows how the current rules reach a date.
func clockViews(cal *deadline.Calendar, settings handoff.Settings, p *handoff.Pack, now time.Time) []web.ClockView {
	pr, kr, lr := rules(settings)
	cs := deadline.PackClocks(cal, settings, p, now)
	return []web.ClockView{
		clockView(cal, pr, cs[0], cs[0].Start, now),
		clockView(cal, kr, cs[1], cs[1].Start, now),
		clockView(cal, lr, cs[2], cs[2].Start, now),
	}
}

func clockView(cal *deadline.Calendar, r deadline.Rule, c deadline.Clock, start deadline.Day, now time.Time) web.ClockView {
	v := web.ClockView{
		Kind:     string(c.Kind),
		Label:    c.Kind.Label(),
		State:    c.State,
		Relative: cal.Relative(c, now),
	}
	if !c.Due.IsZero() {
		v.Due = c.Due.String()
	}
	if !start.IsZero() {
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
