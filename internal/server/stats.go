package server

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/stats"
	"github.com/handoff-app/handoff/web"
)

// debtListRows is how many accounts past handoff.DebtDays the page lists,
// worst first; the CSV has them all.
const debtListRows = 50

// statsDays reads the window, in days: 30, 90 (the default), 180 or 365.
func statsDays(r *http.Request) int {
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	switch days {
	case 30, 90, 180, 365:
		return days
	}
	return 90
}

// statsPage shows the manager's numbers over a window of Closed-Won dates,
// and first value (firstValueStats). ?csv=debt and ?csv=arr download the
// first value tables: they are this route's, so who may read them is too.
func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionViewOverdue); err != nil {
		return err
	}
	switch r.URL.Query().Get("csv") {
	case "debt":
		return s.debtCSV(w, r)
	case "arr":
		return s.arrCSV(w, r)
	}
	days := statsDays(r)
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	today := cal.Today(now)
	since := today.AddDays(-days)
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
		page.Overdue = append(page.Overdue, web.OverdueCount{Clock: clockLabel(kind), Kind: kind, State: "overdue", N: min(n, postgres.CountCap),
			Capped: n > postgres.CountCap, URL: "/overdue?clock=" + kind})
	}
	// The org's handoff accuracy, as /accuracy shows it for the default period.
	acc := stats.PeriodOf(cal.Today(now), stats.DefaultAccuracyQuarters)
	page.Accuracy.Period = acc.String()
	page.Accuracy.Packs, page.Accuracy.Counts, err = s.db.AccuracyTotal(ctx, handoff.AccuracyScope(currentUser(r)), acc.Since().Time(), acc.Until().Time())
	if err != nil {
		return err
	}
	if err := s.firstValueStats(ctx, &page, since, today, cal.Location()); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Stats(page))
	return nil
}

// firstValueStats reads what the page shows of first value: time to first
// value of the accounts that reached it in the window, booked ARR against
// ARR that reached it for the deals won in the window, and the accounts past
// handoff.DebtDays without it, whenever they were won.
func (s *Server) firstValueStats(ctx context.Context, page *web.StatsPage, since, today deadline.Day, loc *time.Location) error {
	times, err := s.db.FirstValueTimes(ctx, since, today, today, loc.String())
	if err != nil {
		return err
	}
	page.FirstValue = stats.BuildFirstValue(times, since, today)
	booked, err := s.db.BookedARRSince(ctx, since)
	if err != nil {
		return err
	}
	page.Debt = stats.BuildDebt(booked, since, today)
	cutoff := stats.DebtCutoff(today)
	accounts, err := s.db.DebtAccounts(ctx, postgres.DebtFilter{WonBefore: cutoff, Limit: debtListRows})
	if err != nil {
		return err
	}
	for _, a := range accounts {
		won := deadline.DayOf(a.ClosedWonOn, time.UTC)
		page.DebtRows = append(page.DebtRows, web.DebtRow{PackID: a.PackID, Account: a.AccountName, SE: a.SEName, SA: a.SAName,
			Status: handoff.Status(a.Status), ClosedWon: won, DaysSince: won.DaysUntil(today),
			ARR: handoff.Money{Minor: a.ARRMinor, Currency: a.ARRCurrency}})
	}
	n := len(accounts)
	if n == debtListRows { // a short list is its own count
		if n, err = s.db.CountDebtAccounts(ctx, cutoff); err != nil {
			return err
		}
	}
	page.DebtCount, page.DebtCapped = min(n, postgres.CountCap), n > postgres.CountCap
	return nil
}

// debtCSV is every account past handoff.DebtDays without first value, worst
// first, paged through by keyset like the Overdue CSV, so memory stays flat
// however many there are.
func (s *Server) debtCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	today := cal.Today(s.now())
	f := postgres.DebtFilter{WonBefore: stats.DebtCutoff(today), Limit: 1000}
	// The first page before the first byte, so a failing query is still a
	// proper error page.
	rows, err := s.db.DebtAccounts(ctx, f)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="handoff-deployment-debt-`+today.String()+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"pack_id", "account", "se", "sa", "status", "closed_won", "days_since_closed_won", "arr_minor", "currency", "url"})
	for {
		for _, a := range rows {
			won := deadline.DayOf(a.ClosedWonOn, time.UTC)
			_ = cw.Write([]string{strconv.FormatInt(a.PackID, 10), csvText(a.AccountName), csvText(a.SEName), csvText(a.SAName),
				a.Status, won.String(), strconv.Itoa(won.DaysUntil(today)), strconv.FormatInt(a.ARRMinor, 10), a.ARRCurrency,
				s.cfg.BaseURL.String() + "/packs/" + strconv.FormatInt(a.PackID, 10)})
		}
		cw.Flush()
		if len(rows) < f.Limit {
			return cw.Error()
		}
		last := rows[len(rows)-1]
		f.After = &postgres.DebtCursor{ClosedWonOn: last.ClosedWonOn, DealID: last.DealID}
		if rows, err = s.db.DebtAccounts(ctx, f); err != nil {
			// Headers are sent; the truncated file ends here and the log says why.
			s.log.ErrorContext(ctx, "deployment debt csv failed mid-stream", "err", err)
			return nil
		}
	}
}

// arrCSV is the deployment debt chart's figures for every currency, month by
// month over the deals won in the window: the chart draws one currency, the
// file has them all.
func (s *Server) arrCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	days := statsDays(r)
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	today := cal.Today(s.now())
	since := today.AddDays(-days)
	booked, err := s.db.BookedARRSince(ctx, since)
	if err != nil {
		return err
	}
	rep := stats.BuildDebt(booked, since, today)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="handoff-arr-first-value-`+strconv.Itoa(days)+`d-`+today.String()+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	past := "past_" + strconv.Itoa(handoff.DebtDays) + "_days"
	_ = cw.Write([]string{"month", "as_of", "currency", "booked_arr_minor", "first_value_arr_minor", "not_yet_arr_minor", past + "_arr_minor",
		"deals_booked", "deals_first_value", "deals_" + past})
	for _, m := range rep.All {
		_ = cw.Write([]string{m.Month.String()[:7], m.AsOf.String(), m.Currency,
			strconv.FormatInt(m.Booked, 10), strconv.FormatInt(m.Reached, 10), strconv.FormatInt(m.NotYet(), 10), strconv.FormatInt(m.Debt, 10),
			strconv.Itoa(m.Deals), strconv.Itoa(m.ReachedDeals), strconv.Itoa(m.DebtDeals)})
	}
	cw.Flush()
	return cw.Error()
}
