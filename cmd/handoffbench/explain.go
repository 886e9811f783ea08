package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// pageSize is the Overdue page's rows; the list asks for one more to know
// whether a next page exists.
const pageSize = 50

// dashQuery is one query of the manager's dashboard, as the server builds it.
type dashQuery struct {
	name string
	sql  string
	args []any
}

// explainDashboard prints EXPLAIN (ANALYZE, BUFFERS) of the dashboard
// queries twice: with the values bound, as a first run plans them, and as a
// generic plan, which is what the server's cached prepared statements may
// settle on after a few runs. It returns the queries whose plan scans the
// deals or packs table sequentially.
func explainDashboard(ctx context.Context, conn *pgx.Conn, out io.Writer) ([]string, error) {
	queries, err := dashboardQueries(ctx, conn)
	if err != nil {
		return nil, err
	}
	type verdict struct {
		name            string
		custom, generic string // execution times
		seq             bool
	}
	var verdicts []verdict
	var seqScans []string
	for _, q := range queries {
		custom, err := explainCustom(ctx, conn, q)
		if err != nil {
			return nil, err
		}
		generic, err := explainGeneric(ctx, conn, q)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "── EXPLAIN (ANALYZE, BUFFERS) %s\n%s\n", q.name, indent(custom))
		if shape(generic) == shape(custom) {
			fmt.Fprintf(out, "── its generic plan (as a cached prepared statement may run it) has the same shape; execution %s\n\n", executionTime(generic))
		} else {
			fmt.Fprintf(out, "── its generic plan (as a cached prepared statement may run it) differs:\n%s\n\n", indent(generic))
		}
		v := verdict{name: q.name, custom: executionTime(custom), generic: executionTime(generic),
			seq: seqScan(custom) || seqScan(generic)}
		if v.seq {
			seqScans = append(seqScans, q.name)
		}
		verdicts = append(verdicts, v)
	}

	fmt.Fprintln(out, "| dashboard query | execution (bound values) | execution (generic plan) | seq scan of deals/packs |")
	fmt.Fprintln(out, "|---|--:|--:|---|")
	for _, v := range verdicts {
		seq := "none ✓"
		if v.seq {
			seq = "YES ✗"
		}
		fmt.Fprintf(out, "| %s | %s | %s | %s |\n", v.name, v.custom, v.generic, seq)
	}
	if len(seqScans) == 0 {
		fmt.Fprintf(out, "\nEXPLAIN verdict: none of the %d dashboard queries scans deals or packs sequentially ✓\n", len(queries))
	} else {
		fmt.Fprintf(out, "\nEXPLAIN verdict: %d of %d dashboard queries scan deals or packs sequentially ✗\n", len(seqScans), len(queries))
	}
	return seqScans, nil
}

// dashboardQueries builds the list and count queries of the Overdue page for
// the filters a manager uses, for the org's today.
func dashboardQueries(ctx context.Context, conn *pgx.Conn) ([]dashQuery, error) {
	// The org's calendar, so today and the at-risk window are the clock
	// model's, as the page computes them.
	var zone string
	var countries []string
	if err := conn.QueryRow(ctx, `SELECT time_zone, holiday_countries FROM org_settings`).Scan(&zone, &countries); err != nil {
		return nil, fmt.Errorf("org calendar: %w", err)
	}
	rows, err := conn.Query(ctx, `SELECT day FROM company_days_off`)
	if err != nil {
		return nil, fmt.Errorf("company days off: %w", err)
	}
	days, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return nil, fmt.Errorf("company days off: %w", err)
	}
	var off []deadline.DayOff
	for _, d := range days {
		off = append(off, deadline.DayOff{Day: deadline.DayOf(d, time.UTC), Name: "Company day off"})
	}
	cal, err := deadline.NewCalendar(zone, countries, off)
	if err != nil {
		return nil, fmt.Errorf("org calendar: %w", err)
	}
	todayDay := cal.Today(time.Now())
	today, riskUntil := todayDay.Time(), cal.RiskUntil(todayDay).Time()

	// The busiest SE and SA: their filtered lists are the longest.
	var seID, saID int64
	if err := conn.QueryRow(ctx, `SELECT se_id FROM deals GROUP BY se_id ORDER BY count(*) DESC, se_id LIMIT 1`).Scan(&seID); err != nil {
		return nil, fmt.Errorf("busiest SE: %w", err)
	}
	if err := conn.QueryRow(ctx, `SELECT coalesce((SELECT sa_id FROM deals WHERE sa_id IS NOT NULL GROUP BY sa_id ORDER BY count(*) DESC, sa_id LIMIT 1), 0)`).Scan(&saID); err != nil {
		return nil, fmt.Errorf("busiest SA: %w", err)
	}

	overdue := postgres.OverdueFilter{State: "overdue", Today: today, RiskUntil: riskUntil, Limit: pageSize + 1}
	atRisk := overdue
	atRisk.State = "at_risk"
	with := func(f postgres.OverdueFilter, edit func(*postgres.OverdueFilter)) postgres.OverdueFilter {
		edit(&f)
		return f
	}
	list := func(name string, f postgres.OverdueFilter) dashQuery {
		sql, args := postgres.OverdueSQL(f)
		return dashQuery{name: name, sql: sql, args: args}
	}
	count := func(name string, f postgres.OverdueFilter, clock string) dashQuery {
		sql, args := postgres.CountSQL(f, clock)
		return dashQuery{name: name, sql: sql, args: args}
	}

	qs := []dashQuery{list("list: overdue, all clocks", overdue)}
	if after, err := lastRow(ctx, conn, overdue); err != nil {
		return nil, err
	} else if after != nil {
		qs = append(qs, list("list: overdue, all clocks, page 2 (keyset)", with(overdue, func(f *postgres.OverdueFilter) { f.After = after })))
	}
	for _, k := range deadline.Kinds() {
		c := string(k)
		qs = append(qs, list("list: overdue, "+c+" clock", with(overdue, func(f *postgres.OverdueFilter) { f.Clock = c })))
	}
	qs = append(qs,
		list("list: at risk, all clocks", atRisk),
		list(fmt.Sprintf("list: overdue, SE %d", seID), with(overdue, func(f *postgres.OverdueFilter) { f.SEID = seID })),
		list(fmt.Sprintf("list: overdue, kickoff clock, SE %d", seID), with(overdue, func(f *postgres.OverdueFilter) { f.Clock, f.SEID = "kickoff", seID })),
		list("list: overdue, segment strategic", with(overdue, func(f *postgres.OverdueFilter) { f.Segment = handoff.SegmentStrategic })),
	)
	if saID != 0 {
		qs = append(qs, list(fmt.Sprintf("list: overdue, SA %d", saID), with(overdue, func(f *postgres.OverdueFilter) { f.SAID = saID })))
	}
	pqs, err := packsQueries(ctx, conn, seID, saID, today, riskUntil)
	if err != nil {
		return nil, err
	}
	qs = append(qs, pqs...)
	for _, k := range deadline.Kinds() {
		c := string(k)
		qs = append(qs,
			count("count: overdue, "+c, overdue, c),
			count("count: at risk, "+c, atRisk, c),
			count(fmt.Sprintf("count: overdue, %s, SE %d", c, seID), with(overdue, func(f *postgres.OverdueFilter) { f.SEID = seID }), c),
		)
	}
	return qs, nil
}

// packsQueries are the queries of the Packs list and the homes, as the
// server builds them (postgres.SearchSQL, SearchRowsSQL, SearchCountSQL,
// HomeSQL): the bench search word for a manager and for the busiest SE, and
// the kickoff-overdue filter, each with the read of its first page and its
// count, and each section of the busiest SE's and SA's home.
func packsQueries(ctx context.Context, conn *pgx.Conn, seID, saID int64, today, riskUntil time.Time) ([]dashQuery, error) {
	// No SE or SA of the demo org has the word in their name (People: none).
	all := postgres.SearchFilter{Scope: handoff.PackScope{All: true}, Words: []string{searchWord}, People: [][]int64{nil},
		Today: today, RiskUntil: riskUntil, Limit: 26}
	se := all
	se.Scope = handoff.PackScope{SEID: seID}
	late := postgres.SearchFilter{Scope: handoff.PackScope{All: true}, Clock: deadline.KindKickoff, State: "overdue", Today: today, RiskUntil: riskUntil, Limit: 26}
	var qs []dashQuery
	for _, s := range []struct {
		name string
		f    postgres.SearchFilter
	}{{"packs search: " + searchWord, all}, {fmt.Sprintf("packs search: %s, SE %d", searchWord, seID), se}, {"packs: kickoff overdue", late}} {
		sql, args := postgres.SearchSQL(s.f)
		qs = append(qs, dashQuery{name: s.name, sql: sql, args: args})
		rows, err := conn.Query(ctx, sql, args...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		sql, args = postgres.SearchRowsSQL(s.f, ids)
		qs = append(qs, dashQuery{name: "rows: " + s.name, sql: sql, args: args})
		sql, args = postgres.SearchCountSQL(s.f)
		qs = append(qs, dashQuery{name: "count: " + s.name, sql: sql, args: args})
	}
	people := []*handoff.User{{ID: seID, Role: handoff.RoleSE, Active: true}}
	if saID != 0 {
		people = append(people, &handoff.User{ID: saID, Role: handoff.RoleSA, Active: true})
	}
	for _, u := range people {
		for _, sec := range deadline.Sections() {
			if sql, args, ok := postgres.HomeSQL(postgres.HomeFilter{Person: u, Section: sec, Limit: 26}); ok {
				qs = append(qs, dashQuery{name: fmt.Sprintf("home of %s %d: %s", u.Role, u.ID, sec), sql: sql, args: args})
			}
		}
	}
	return qs, nil
}

// lastRow is the cursor after the last row of f's first page, or nil when
// there is no second page.
func lastRow(ctx context.Context, conn *pgx.Conn, f postgres.OverdueFilter) (*postgres.Cursor, error) {
	sql, args := postgres.OverdueSQL(f)
	var c postgres.Cursor
	err := conn.QueryRow(ctx, `SELECT due, clock, id FROM (`+sql+`) page ORDER BY due, clock_order, id OFFSET `+
		strconv.Itoa(pageSize-1)+` LIMIT 1`, args...).Scan(&c.Due, &c.Clock, &c.PackID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("overdue page cursor: %w", err)
	}
	return &c, nil
}

// explainCustom explains q with its values bound, as the first runs of a
// statement are planned.
func explainCustom(ctx context.Context, conn *pgx.Conn, q dashQuery) (string, error) {
	plan, err := collectPlan(conn.Query(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) `+q.sql, q.args...))
	if err != nil {
		return "", fmt.Errorf("explain %s: %w", q.name, err)
	}
	return plan, nil
}

// explainGeneric explains q's generic plan: prepared with its parameters
// unknown, as a cached prepared statement may be run after five executions.
func explainGeneric(ctx context.Context, conn *pgx.Conn, q dashQuery) (plan string, err error) {
	lits := make([]string, len(q.args))
	for i, a := range q.args {
		if lits[i], err = literal(a); err != nil {
			return "", fmt.Errorf("explain %s: %w", q.name, err)
		}
	}
	stmts := []string{`SET plan_cache_mode = force_generic_plan`, `PREPARE handoffbench_q AS ` + q.sql}
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return "", fmt.Errorf("explain %s (generic): %w", q.name, err)
		}
	}
	defer func() {
		ctx := context.WithoutCancel(ctx)
		for _, s := range []string{`DEALLOCATE handoffbench_q`, `RESET plan_cache_mode`} {
			if _, cerr := conn.Exec(ctx, s); cerr != nil && err == nil {
				err = fmt.Errorf("explain %s (generic): %w", q.name, cerr)
			}
		}
	}()
	exec := `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) EXECUTE handoffbench_q`
	if len(lits) > 0 {
		exec += `(` + strings.Join(lits, ", ") + `)`
	}
	plan, err = collectPlan(conn.Query(ctx, exec, pgx.QueryExecModeSimpleProtocol))
	if err != nil {
		return "", fmt.Errorf("explain %s (generic): %w", q.name, err)
	}
	return plan, nil
}

// literal renders a query argument as an untyped SQL literal for EXECUTE;
// PostgreSQL casts it to the parameter's type.
func literal(v any) (string, error) {
	var s string
	switch v := v.(type) {
	case int:
		s = strconv.Itoa(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	case string:
		s = v
	case handoff.Segment:
		s = string(v)
	case time.Time:
		s = v.Format(time.DateOnly)
	case []int64:
		ns := make([]string, len(v))
		for i, n := range v {
			ns[i] = strconv.FormatInt(n, 10)
		}
		s = "{" + strings.Join(ns, ",") + "}"
	default:
		return "", fmt.Errorf("no literal for %T", v)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

func collectPlan(rows pgx.Rows, err error) (string, error) {
	if err != nil {
		return "", err
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	return strings.Join(lines, "\n"), nil
}

var planNumbers = regexp.MustCompile(`\s*\((cost=|actual )[^)]*\)|\s*\(never executed\)`)

// shape is a plan's nodes without their estimates and timings, to tell
// whether two plans of one query differ.
func shape(plan string) string {
	var nodes []string
	for i, line := range strings.Split(plan, "\n") {
		if i == 0 || strings.Contains(line, "->") {
			nodes = append(nodes, planNumbers.ReplaceAllString(line, ""))
		}
	}
	return strings.Join(nodes, "\n")
}

func seqScan(plan string) bool {
	return strings.Contains(plan, "Seq Scan on deals") || strings.Contains(plan, "Seq Scan on packs")
}

var executionLine = regexp.MustCompile(`Execution Time: ([0-9.]+) ms`)

func executionTime(plan string) string {
	if m := executionLine.FindStringSubmatch(plan); m != nil {
		return m[1] + " ms"
	}
	return "?"
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

// redactURL hides a password in a database URL for error messages.
func redactURL(s string) string {
	return regexp.MustCompile(`(://[^:/@]+):[^@/]*@`).ReplaceAllString(s, "$1:***@")
}
