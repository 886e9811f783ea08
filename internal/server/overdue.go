package server

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// overduePageSize is how many rows a page of the manager's lists shows.
const overduePageSize = 50

// overdueQuery is the manager's list as its URL states it, so a view can be
// bookmarked and shared.
type overdueQuery struct {
	Clock, State, Segment, Sort string
	Owner                       handoff.Role // "se" or "sa": only clocks waiting on that role
	SEID, SAID                  int64
	After                       string // cursor: due.clock.id (or arr.clock.id when sorting by ARR)
}

func parseOverdueQuery(q url.Values) overdueQuery {
	oq := overdueQuery{Clock: q.Get("clock"), State: q.Get("state"), Segment: q.Get("segment"), Sort: q.Get("sort"), After: q.Get("after")}
	if _, ok := deadline.ParseKind(oq.Clock); !ok {
		oq.Clock = ""
	}
	if oq.State != "at_risk" {
		oq.State = "overdue"
	}
	if oq.Sort != "arr" {
		oq.Sort = "late"
	}
	if !slices.Contains(handoff.Segments, handoff.Segment(oq.Segment)) {
		oq.Segment = ""
	}
	switch r := handoff.Role(q.Get("owner")); r {
	case handoff.RoleSE, handoff.RoleSA:
		oq.Owner = r
	}
	oq.SEID, _ = strconv.ParseInt(q.Get("se"), 10, 64)
	oq.SAID, _ = strconv.ParseInt(q.Get("sa"), 10, 64)
	return oq
}

// values writes the query back as URL parameters (without the cursor).
func (oq overdueQuery) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("clock", oq.Clock)
	set("state", oq.State)
	set("segment", oq.Segment)
	set("owner", string(oq.Owner))
	if oq.Sort == "arr" {
		v.Set("sort", "arr")
	}
	if oq.SEID != 0 {
		v.Set("se", strconv.FormatInt(oq.SEID, 10))
	}
	if oq.SAID != 0 {
		v.Set("sa", strconv.FormatInt(oq.SAID, 10))
	}
	return v
}

// filter turns the query into storage's filter at the org's today.
func (oq overdueQuery) filter(cal *deadline.Calendar, now time.Time, limit int) postgres.OverdueFilter {
	today := cal.Today(now)
	f := postgres.OverdueFilter{
		Clock: oq.Clock, State: oq.State, SEID: oq.SEID, SAID: oq.SAID, Segment: handoff.Segment(oq.Segment), Owner: oq.Owner,
		Today: today.Time(), RiskUntil: cal.RiskUntil(today).Time(), ByARR: oq.Sort == "arr", Limit: limit,
	}
	f.After = parseCursor(oq.After)
	return f
}

// parseCursor reads "2026-11-20.kickoff.123" or "12000000.kickoff.123"; a bad
// cursor starts from the first page.
func parseCursor(s string) *postgres.Cursor {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	c := &postgres.Cursor{Clock: parts[1], PackID: id}
	if d, err := time.Parse("2006-01-02", parts[0]); err == nil {
		c.Due = d
	} else if arr, err := strconv.ParseInt(parts[0], 10, 64); err == nil {
		c.ARR = arr
	} else {
		return nil
	}
	return c
}

func cursorOf(row postgres.OverdueRow, byARR bool) string {
	head := row.Due.Format("2006-01-02")
	if byARR {
		head = strconv.FormatInt(row.Pack.Deal.ARR.Minor, 10)
	}
	return head + "." + row.Clock + "." + strconv.FormatInt(row.Pack.ID, 10)
}

// rowClock is a list row's clock as the clock model evaluates it, so the
// list, its CSV and the pack page say the same due day, lateness and owner.
func rowClock(cal *deadline.Calendar, st handoff.Settings, row postgres.OverdueRow, now time.Time) deadline.Clock {
	return deadline.ClockOf(cal, st, row.Pack, deadline.Kind(row.Clock), now)
}

func clockLabel(kind string) string { return deadline.Kind(kind).Label() }

func (s *Server) overdue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionViewOverdue); err != nil {
		return err
	}
	cal, st, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	oq := parseOverdueQuery(r.URL.Query())
	f := oq.filter(cal, now, overduePageSize+1)
	day := f.Today.Format(time.DateOnly)
	rows, err := remember(ctx, s, "overdue.rows?"+oq.values().Encode()+"&after="+oq.After+"&today="+day,
		func(ctx context.Context) ([]postgres.OverdueRow, error) { return s.db.Overdue(ctx, f) })
	if err != nil {
		return err
	}
	page := web.OverduePage{Page: s.page(r, "Overdue"), Clock: oq.Clock, State: oq.State, Segment: oq.Segment, Sort: oq.Sort, Owner: string(oq.Owner),
		SEID: idString(oq.SEID), SAID: idString(oq.SAID), Today: cal.Today(now).String(), FirstPage: oq.After == ""}
	base := oq.values()
	page.Query = base.Encode()
	if len(rows) > overduePageSize {
		rows = rows[:overduePageSize]
		next := oq.values()
		next.Set("after", cursorOf(rows[len(rows)-1], f.ByARR))
		page.NextURL = "/overdue?" + next.Encode()
	}
	for _, row := range rows {
		c := rowClock(cal, st, row, now)
		page.Rows = append(page.Rows, web.OverdueRow{Head: packHead(row.Pack), Clock: clockLabel(row.Clock), Due: c.Due.String(),
			Late: cal.Late(c, now), Words: cal.Relative(c, now), WaitingOn: waitingOn(c.Owner, row.Pack)})
	}
	// Counts of both states for each clock, under the same people and
	// segment filters, each capped so counting stays cheap at any size.
	counts, err := remember(ctx, s, "overdue.counts?"+countsKey(oq)+"&today="+day,
		func(ctx context.Context) (map[string]map[string]int, error) { return s.db.OverdueCounts(ctx, f) })
	if err != nil {
		return err
	}
	for _, state := range []string{"overdue", "at_risk"} {
		for _, l := range deadline.Lanes() {
			link := oq.values()
			link.Set("clock", string(l.Kind))
			link.Set("state", state)
			link.Set("owner", string(l.Owner))
			n := counts[state][l.Key()]
			page.Counts = append(page.Counts, web.OverdueCount{Clock: l.Kind.Label(), Kind: string(l.Kind), Owner: string(l.Owner),
				OwnerLabel: l.Owner.Short(), State: state, N: min(n, postgres.CountCap), Capped: n > postgres.CountCap, URL: "/overdue?" + link.Encode(),
				Current: oq.Clock == string(l.Kind) && oq.State == state && oq.Owner == l.Owner})
		}
	}
	// Hundreds of people, the same on every view until people change:
	// rendered once under the data version (web.Options).
	opts, err := remember(ctx, s, "filter.options", func(ctx context.Context) ([2]*web.Options, error) {
		ses, sas, err := s.sesAndSAs(ctx, false)
		return [2]*web.Options{web.UserOptions(ses), web.UserOptions(sas)}, err
	})
	if err != nil {
		return err
	}
	page.SEs, page.SAs = opts[0], opts[1]
	s.render(w, r, http.StatusOK, web.Overdue(page))
	return nil
}

// countsKey is what the counts depend on: the people and segment filters,
// not the clock, state, owner or sort of the list below them.
func countsKey(oq overdueQuery) string {
	return url.Values{"se": {idString(oq.SEID)}, "sa": {idString(oq.SAID)}, "segment": {oq.Segment}}.Encode()
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// overdueCSV streams the list under the same filters, page by page through
// the keyset, so memory stays flat however many rows there are.
func (s *Server) overdueCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionViewOverdue); err != nil {
		return err
	}
	cal, st, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	oq := parseOverdueQuery(r.URL.Query())
	oq.After = ""
	f := oq.filter(cal, now, 1000)
	today := cal.Today(now)

	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="handoff-`+oq.State+`-`+today.String()+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"pack_id", "account", "opportunity", "clock", "state", "due", "late", "late_unit", "waiting_on_role", "waiting_on",
		"status", "se", "sa", "segment", "arr_minor", "currency", "closed_won", "url"})
	for {
		rows, err := s.db.Overdue(ctx, f)
		if err != nil {
			// Headers are sent; the truncated file ends here and the log says why.
			s.log.ErrorContext(ctx, "overdue csv failed mid-stream", "err", err)
			return nil
		}
		for _, row := range rows {
			c := rowClock(cal, st, row, now)
			p := row.Pack
			_ = cw.Write([]string{strconv.FormatInt(p.ID, 10), csvText(p.Deal.AccountName), csvText(p.Deal.OpportunityName), row.Clock, string(c.State),
				c.Due.String(), strconv.Itoa(cal.Late(c, now)), c.Rule.Unit(), string(c.Owner), csvText(waitingOn(c.Owner, p)),
				string(p.Status), csvText(p.Deal.SEName), csvText(p.Deal.SAName),
				string(p.Deal.Segment), strconv.FormatInt(p.Deal.ARR.Minor, 10), p.Deal.ARR.Currency,
				p.Deal.ClosedWonOn.Format("2006-01-02"), s.cfg.BaseURL.String() + "/packs/" + strconv.FormatInt(p.ID, 10)})
		}
		cw.Flush()
		if len(rows) < f.Limit {
			return cw.Error()
		}
		last := rows[len(rows)-1]
		f.After = &postgres.Cursor{Due: last.Due, ARR: last.Pack.Deal.ARR.Minor, Clock: last.Clock, PackID: last.Pack.ID}
	}
}

// csvText defuses a cell a spreadsheet would run as a formula (=, +, -, @,
// tab, carriage return first), by the usual leading apostrophe.
func csvText(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
