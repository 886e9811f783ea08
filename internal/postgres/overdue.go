package postgres

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// Clocks of the manager's lists, in the order rows with the same due date
// sort: the model's page order. When a clock runs is the clock model's to
// say (clockRuns); these lists only write it as SQL, which the partial
// indexes of migrations 00005 and 00027 match.
var overdueClocks = func() []struct{ kind, due, open string } {
	var out []struct{ kind, due, open string }
	for _, k := range deadline.Kinds() {
		out = append(out, struct{ kind, due, open string }{string(k), "p." + dueColumn[k], clockRuns(k, "")})
	}
	return out
}()

// ownerCond narrows clock c to the packs whose step waits on f.Owner.
func ownerCond(f OverdueFilter, kind string) []string {
	if f.Owner == "" {
		return nil
	}
	return []string{statusIn(deadline.OwedStatuses(deadline.Kind(kind), f.Owner))}
}

// OverdueFilter selects the rows of the manager's lists. The open-clock
// conditions and due-date columns match the partial indexes of migration
// 00005, so each list reads its index in due order and stops after a page.
type OverdueFilter struct {
	Clock     string // a deadline.Kind; "" for every clock
	State     string // "overdue" (due before Today) or "at_risk" (due Today..RiskUntil)
	SEID      int64
	SAID      int64
	Segment   handoff.Segment
	Owner     handoff.Role // only clocks waiting on this role (SE or SA); "" for all
	Today     time.Time    // the org's today, a civil date
	RiskUntil time.Time    // the last due day that is still "at risk" (the next business day)
	ByARR     bool         // largest ARR first instead of latest first
	After     *Cursor      // keyset: rows after this one
	Limit     int
}

// Cursor marks a row of the lists for keyset pagination.
type Cursor struct {
	Due    time.Time
	ARR    int64
	Clock  string
	PackID int64
}

// OverdueRow is one late or at-risk clock of one pack.
type OverdueRow struct {
	Clock string
	Due   time.Time
	Pack  *handoff.Pack
}

func clockOrder(kind string) int {
	for i, c := range overdueClocks {
		if c.kind == kind {
			return i
		}
	}
	return -1
}

// OverdueSQL builds the list query for f: one index-ordered branch per clock,
// merged by (due, clock, pack id). It is exported so the benchmark can
// EXPLAIN exactly what the page runs.
func OverdueSQL(f OverdueFilter) (string, []any) {
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	limit := arg(f.Limit)
	var branches []string
	for i, c := range overdueClocks {
		if f.Clock != "" && f.Clock != c.kind {
			continue
		}
		where := append([]string{c.open}, ownerCond(f, c.kind)...)
		if f.State == "at_risk" {
			where = append(where, c.due+" >= "+arg(f.Today), c.due+" <= "+arg(f.RiskUntil))
		} else {
			where = append(where, c.due+" < "+arg(f.Today))
		}
		if f.After != nil {
			// Rows after the cursor in (due, clock, id) order — or (ARR
			// descending, clock, id) — as a row comparison an index can seek to.
			id := f.After.PackID
			switch o := clockOrder(f.After.Clock); {
			case i < o:
				id = math.MaxInt64 // rows tied with the cursor in an earlier clock came before it
			case i > o:
				id = 0 // rows tied with the cursor in a later clock come after it
			}
			if f.ByARR {
				where = append(where, "(d.arr_minor, -p.id) < ("+arg(f.After.ARR)+"::bigint, "+arg(-id)+"::bigint)")
			} else {
				where = append(where, "("+c.due+", p.id) > ("+arg(f.After.Due)+"::date, "+arg(id)+"::bigint)")
			}
		}
		where = append(where, filterSQL(f, arg)...)
		order := c.due + ", p.id"
		if f.ByARR {
			order = "d.arr_minor DESC, p.id"
		}
		branches = append(branches, `(SELECT '`+c.kind+`' AS clock, `+c.due+` AS due, `+itoa(i)+` AS clock_order, `+packColumns+packFrom+`
			WHERE `+strings.Join(where, " AND ")+`
			ORDER BY `+order+` LIMIT `+limit+`)`)
	}
	order := "due, clock_order, id"
	if f.ByARR {
		order = "arr_minor DESC, clock_order, id"
	}
	return `SELECT * FROM (` + strings.Join(branches, " UNION ALL ") + `) merged ORDER BY ` + order + ` LIMIT ` + limit, args
}

func filterSQL(f OverdueFilter, arg func(any) string) []string {
	var where []string
	// The pack's copies of its deal's people (migration 00010), which the
	// per-person clock indexes of migration 00016 hold.
	if f.SEID != 0 {
		where = append(where, "p.se_id = "+arg(f.SEID))
	}
	if f.SAID != 0 {
		where = append(where, "p.sa_id = "+arg(f.SAID))
	}
	if f.Segment != "" {
		where = append(where, "d.segment = "+arg(string(f.Segment)))
	}
	return where
}

// Overdue returns one page of the manager's list for f.
func (db *DB) Overdue(ctx context.Context, f OverdueFilter) ([]OverdueRow, error) {
	sql, args := OverdueSQL(f)
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: overdue list: %w", err)
	}
	type row struct {
		Clock      string
		Due        time.Time
		ClockOrder int
		packRow
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, fmt.Errorf("postgres: overdue list: %w", err)
	}
	out := make([]OverdueRow, len(rs))
	for i, r := range rs {
		out[i] = OverdueRow{Clock: r.Clock, Due: r.Due, Pack: r.pack()}
	}
	return out, nil
}

// CountCap bounds the counts at the top of the lists: past it the page says
// "10,000+", so counting costs a bounded index range, not the table.
const CountCap = 10000

// CountSQL builds the capped count of one clock and state under f. It is
// exported so the benchmark can EXPLAIN exactly what the page counts.
func CountSQL(f OverdueFilter, clock string) (string, []any) {
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	return `SELECT ` + countExpr(f, clock, arg), args
}

// countExpr is the capped count of one clock and state, as a scalar subquery.
func countExpr(f OverdueFilter, clock string, arg func(any) string) string {
	c := overdueClocks[clockOrder(clock)]
	where := append([]string{c.open}, ownerCond(f, c.kind)...)
	if f.State == "at_risk" {
		where = append(where, c.due+" >= "+arg(f.Today), c.due+" <= "+arg(f.RiskUntil))
	} else {
		where = append(where, c.due+" < "+arg(f.Today))
	}
	from := "packs p"
	if f.Segment != "" {
		from += " JOIN deals d ON d.id = p.deal_id"
	}
	where = append(where, filterSQL(f, arg)...)
	// In due order the count reads its clock's partial index (index only: the
	// kickoff index carries the status its lanes split on, migration 00019)
	// and stops at the cap; unordered, the planner prefers the status index
	// and thousands of heap pages (108 ms at 1,000,000 packs).
	return `(SELECT count(*) FROM (SELECT 1 FROM ` + from + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + c.due + ` LIMIT ` + itoa(CountCap+1) + `) capped)`
}

// OverdueCounts returns how many rows each state ("overdue", "at_risk") holds
// under f's people and segment filters, in one round trip: for each lane of
// the clock model (keyed "kickoff.sa", at most CountCap+1 each) and for each
// clock over all its lanes (keyed "kickoff").
func (db *DB) OverdueCounts(ctx context.Context, f OverdueFilter) (map[string]map[string]int, error) {
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	var exprs []string
	states := []string{"overdue", "at_risk"}
	lanes := deadline.Lanes()
	for _, state := range states {
		sf := f
		sf.State = state
		for _, l := range lanes {
			sf.Owner = l.Owner
			exprs = append(exprs, countExpr(sf, string(l.Kind), arg))
		}
	}
	n := make([]int, len(exprs))
	dest := make([]any, len(exprs))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := db.Pool.QueryRow(ctx, `SELECT `+strings.Join(exprs, ", "), args...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("postgres: overdue counts: %w", err)
	}
	out := map[string]map[string]int{}
	i := 0
	for _, state := range states {
		out[state] = map[string]int{}
		for _, l := range lanes {
			out[state][l.Key()] = n[i]
			out[state][string(l.Kind)] += n[i]
			i++
		}
	}
	return out, nil
}
