package server

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/stats"
	"github.com/handoff-app/handoff/web"
)

// accuracyRowCap bounds the assessed packs one accuracy page or CSV reads:
// 100,000 is far more than an org assesses in two years, and keeps a
// request's memory bounded if the table ever holds more.
const accuracyRowCap = 100_000

// parseQuarters reads the period, in quarters. A missing one is the
// default; a bad one too, with a message saying so, so a hand-edited link
// never errors and never silently shows another period than it asked for.
func parseQuarters(q url.Values) (n int, problem string) {
	raw := q.Get("quarters")
	if raw == "" {
		return stats.DefaultAccuracyQuarters, ""
	}
	n, err := strconv.Atoi(raw)
	if err != nil || !stats.ValidAccuracyQuarters(n) {
		return stats.DefaultAccuracyQuarters, "The period must be 1, 4 or 8 quarters, so this shows the last " +
			strconv.Itoa(stats.DefaultAccuracyQuarters) + " quarters."
	}
	return n, ""
}

// accuracyPage shows handoff accuracy per SE and per quarter: an SE their
// own, managers and admins everyone's (handoff.AccuracyScope, applied in the
// query).
func (s *Server) accuracyPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	scope := handoff.AccuracyScope(currentUser(r))
	quarters, problem := parseQuarters(r.URL.Query())
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	today := cal.Today(s.now())
	// One read covers the trend, the longest reach; the period is within it.
	trend := stats.PeriodOf(today, stats.TrendQuarters)
	rows, err := s.db.AssessedPacks(ctx, postgres.AccuracyFilter{Scope: scope,
		Since: trend.Since().Time(), Until: trend.Until().Time(), Limit: accuracyRowCap})
	if err != nil {
		return err
	}
	page := web.AccuracyPage{Page: s.page(r, "Handoff accuracy"), Report: stats.BuildAccuracy(rows, today, quarters),
		Own: !scope.All, RowCap: accuracyRowCap, Capped: len(rows) >= accuracyRowCap}
	if problem != "" {
		page.Flashes = append(page.Flashes, web.Flash{Kind: "info", Message: problem})
	}
	s.render(w, r, http.StatusOK, web.Accuracy(page))
	return nil
}

// accuracyCSV is one row per pack assessed in the period, by its latest
// assessment, newest first, under the same scope as the page.
func (s *Server) accuracyCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	scope := handoff.AccuracyScope(currentUser(r))
	quarters, _ := parseQuarters(r.URL.Query()) // a file has nowhere to say it; its name carries the period used
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	today := cal.Today(s.now())
	period := stats.PeriodOf(today, quarters)
	// Read whole before the first byte, unlike the Overdue CSV's pages: the
	// row cap bounds it, and an error can still be a proper error page.
	rows, err := s.db.AssessedPacks(ctx, postgres.AccuracyFilter{Scope: scope,
		Since: period.Since().Time(), Until: period.Until().Time(), Limit: accuracyRowCap})
	if err != nil {
		return err
	}

	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="handoff-accuracy-`+strconv.Itoa(quarters)+`q-`+today.String()+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"pack_id", "account", "opportunity", "se", "sa", "stage", "assessed_on", "quarter",
		"held", "under_scoped", "wrong", "surfaced", "accuracy"})
	for _, a := range rows {
		on := deadline.DayOf(a.AssessedOn, time.UTC)
		_ = cw.Write([]string{strconv.FormatInt(a.PackID, 10), csvText(a.AccountName), csvText(a.OpportunityName),
			csvText(a.SEName), csvText(a.SAName), a.Stage, on.String(), stats.QuarterOf(on).String(),
			strconv.Itoa(a.Held), strconv.Itoa(a.UnderScoped), strconv.Itoa(a.Wrong), strconv.Itoa(a.Surfaced),
			csvPercent(a.Counts())})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		// Headers are sent; the file ends here and the log says why.
		s.log.ErrorContext(ctx, "accuracy csv failed mid-write", "err", err)
	}
	return nil
}

// csvPercent is an accuracy as a spreadsheet number, one decimal, no "%";
// empty when nothing was measured, which is no score rather than 0 or 100.
func csvPercent(c handoff.AccuracyCounts) string {
	share, ok := handoff.Accuracy(c)
	if !ok {
		return ""
	}
	return strconv.FormatFloat(share*100, 'f', 1, 64)
}
