package api

import (
	"context"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// calendarFromDB builds the org's calendar from the stored settings.
func (a *api) calendarFromDB(ctx context.Context) (*deadline.Calendar, handoff.Settings, error) {
	st, err := a.DB.Settings(ctx)
	if err != nil {
		return nil, st, err
	}
	off, err := a.DB.DaysOff(ctx)
	if err != nil {
		return nil, st, err
	}
	cal, err := deadline.ForOrg(st, off)
	return cal, st, err
}

// clock is one of a pack's three clocks as the API shows it.
type clock struct {
	Kind  string  `json:"kind"`
	Due   *string `json:"due"` // YYYY-MM-DD; null before the clock starts (lock before kickoff)
	State string  `json:"state"`
}

// clocksOf evaluates p's clocks at now, as the pack page does.
func clocksOf(cal *deadline.Calendar, st handoff.Settings, p *handoff.Pack, now time.Time) []clock {
	cs := deadline.PackClocks(cal, st, p, now)
	out := make([]clock, len(cs))
	for i, c := range cs {
		out[i] = clock{Kind: string(c.Kind), State: string(c.State)}
		if !c.Due.IsZero() {
			s := c.Due.String()
			out[i].Due = &s
		}
	}
	return out
}
