package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Upcoming says, in plain sentences for the profile page, what user will be
// reminded of from now on: each running clock they owe with its reminder
// days, the notifications their role gets, and the managers' digest.
func Upcoming(ctx context.Context, db *postgres.DB, user *handoff.User, cal *deadline.Calendar, st handoff.Settings, now time.Time) ([]string, error) {
	var out []string
	switch user.Role {
	case handoff.RoleSE:
		out = append(out, "You get an e-mail when an SA returns one of your packs for changes or vetoes a commitment.")
	case handoff.RoleSA:
		out = append(out, "You get an e-mail when a pack assigned to you is submitted or resubmitted.")
	case handoff.RoleManager:
		out = append(out, fmt.Sprintf("Each business day at %02d:00 (%s) you get one digest of every overdue pack, when there is one.",
			sendHour, cal.Location()))
	}
	packs, err := openPacks(ctx, db.Pool, user.ID)
	if err != nil {
		return nil, err
	}
	today := cal.Today(now)
	for _, p := range packs {
		for _, c := range openClocks(cal, st, p, now) {
			if c.Owner.ID != user.ID {
				continue
			}
			what := fmt.Sprintf("%s (%s, due %s)", p.title(), c.Kind.Label(), c.Due)
			if c.State == deadline.StateOverdue {
				out = append(out, fmt.Sprintf("%s: overdue; you are reminded each business day until it is done.", what))
				continue
			}
			var days []string
			for _, n := range daysBefore(c.Kind) {
				if d := cal.AddBusinessDays(c.Due, -n); !d.Before(today) {
					days = append(days, d.String())
				}
			}
			if ok, _ := cal.IsBusinessDay(c.Due); ok {
				days = append(days, c.Due.String())
			}
			s := what + ": "
			if len(days) > 0 {
				s += "reminders on " + strings.Join(days, ", ") + ", then "
			}
			s += "each business day while it is overdue."
			out = append(out, s)
		}
	}
	return out, nil
}
