package server

import (
	"net/http"
	"strconv"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/stats"
	"github.com/handoff-app/handoff/web"
)

// statsPage shows the manager's numbers over a window of Closed-Won dates.
func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionViewOverdue); err != nil {
		return err
	}
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	switch days {
	case 30, 90, 180, 365:
	default:
		days = 90
	}
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	since := cal.Today(now).AddDays(-days)
	rows, err := s.db.StatsWindow(ctx, since.Time())
	if err != nil {
		return err
	}
	loads, err := s.db.OpenAccountsPerSA(ctx)
	if err != nil {
		return err
	}
	page := web.StatsPage{Page: s.page(r, "Stats"), Days: days, Report: stats.Build(cal, deadline.RulesOf(settings), rows, loads, since, now)}
	oq := overdueQuery{State: "overdue"}
	counts, err := s.db.OverdueCounts(ctx, oq.filter(cal, now, 1))
	if err != nil {
		return err
	}
	for _, k := range deadline.Kinds() {
		kind := string(k)
		n := counts["overdue"][kind]
		page.Overdue = append(page.Overdue, web.OverdueCount{Clock: clockLabel(kind), Kind: kind, State: "overdue", N: n,
			Capped: n > postgres.CountCap, URL: "/overdue?clock=" + kind})
	}
	// The org's handoff accuracy, as /accuracy shows it for the default period.
	acc := stats.PeriodOf(cal.Today(now), stats.DefaultAccuracyQuarters)
	page.Accuracy.Period = acc.String()
	page.Accuracy.Packs, page.Accuracy.Counts, err = s.db.AccuracyTotal(ctx, handoff.AccuracyScope(currentUser(r)), acc.Since().Time(), acc.Until().Time())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Stats(page))
	return nil
}
