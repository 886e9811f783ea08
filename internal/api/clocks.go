package api

import (
	"context"
	"strings"
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

// Clock is one of a pack's clocks as the API and webhooks show it, as
// the clock model evaluates it (the pack page, the Overdue list and its CSV
// say the same).
type Clock struct {
	Kind     string  `json:"kind"`
	Due      *string `json:"due"` // YYYY-MM-DD; null before the clock starts (lock before kickoff, pod review on other accounts)
	State    string  `json:"state"`
	Late     int     `json:"late"`       // how late, in Unit; 0 when not late
	Unit     string  `json:"unit"`       // "business_day" or "day": what the clock counts in
	Relative string  `json:"relative"`   // "3 business days overdue", "due today", "done on 2026-12-01, on time"
	OwedBy   *string `json:"owed_by"`    // "se" or "sa" while the clock runs; null when done or not started
	OwedByID *int64  `json:"owed_by_id"` // the user who owes it; null when nobody does or no SA is assigned
}

// ClocksOf evaluates p's clocks at now, as the pack page does.
func ClocksOf(cal *deadline.Calendar, st handoff.Settings, p *handoff.Pack, now time.Time) []Clock {
	cs := deadline.PackClocks(cal, st, p, now)
	out := make([]Clock, len(cs))
	for i, c := range cs {
		out[i] = Clock{Kind: string(c.Kind), State: string(c.State), Late: cal.Late(c, now),
			Unit: strings.ReplaceAll(c.Rule.Unit(), " ", "_"), Relative: cal.Relative(c, now)}
		if !c.Due.IsZero() {
			s := c.Due.String()
			out[i].Due = &s
		}
		if c.Owner != "" {
			role := string(c.Owner)
			out[i].OwedBy = &role
			id := p.Deal.SEID
			if c.Owner == handoff.RoleSA {
				id = p.Deal.SAID
			}
			if id != 0 {
				out[i].OwedByID = &id
			}
		}
	}
	return out
}
