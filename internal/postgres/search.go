package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// The Packs list (README.md): every pack the reader may see, searchable by
// account, opportunity, person and CRM id, filtered by status and clock,
// newest Closed-Won first, a keyset page at a time. Words match through the
// trigram index on deals.search_text (migration 00010); SE and SA names match
// on users, a small table, first (ResolvePeople), so the deal query gets
// their ids as values the planner can weigh, or no person condition at all.

// SearchCountCap bounds the count above the list: past it the page says
// "1,000+", so a word matching half the table costs a bounded read.
const SearchCountCap = 1000

// SearchFilter selects one page of the Packs list.
type SearchFilter struct {
	Scope handoff.PackScope // who is reading: only their packs appear or count
	// Words must each appear, in any case, in the account, opportunity, CRM
	// id, AE or CSM name, or the name of the SE or SA.
	Words []string
	// People holds, for each word, the ids of the people whose name has it; nil until ResolvePeople fills it (SearchPacks and CountPacks do
	// when it is nil).
	People [][]int64
	Status handoff.Status // "" for any
	// Clock and State: only packs whose clock is in that state ("overdue",
	// "at_risk", "on_track"), judged as the manager's lists judge it.
	Clock     deadline.Kind
	State     string
	Today     time.Time // the org's today, a civil date
	RiskUntil time.Time // the last due day that is still "at risk"
	After     *SearchCursor
	Limit     int
}

// SearchCursor marks the last row of a page of the Packs list.
type SearchCursor struct {
	ClosedWon time.Time
	DealID    int64
}

// likePattern matches w anywhere, with LIKE's wildcards in w taken literally.
func likePattern(w string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(w) + "%"
}

// searchWhere is the filter of f (without the keyset), as conditions on
// packs p joined to deals d.
func searchWhere(f SearchFilter, arg func(any) string) []string {
	var where []string
	switch s := f.Scope; {
	case s.All:
	case s.SEID != 0:
		where = append(where, "d.se_id = "+arg(s.SEID))
	case s.SAID != 0:
		where = append(where, "d.sa_id = "+arg(s.SAID))
	default:
		return []string{"false"}
	}
	for i, w := range f.Words {
		// search_text is stored in lower case; lower() of the pattern is
		// PostgreSQL's own, so both sides fold case alike.
		cond := "d.search_text LIKE lower(" + arg(likePattern(w)) + ")"
		if i < len(f.People) && len(f.People[i]) > 0 {
			ids := arg(f.People[i])
			cond = "(" + cond + " OR d.se_id = ANY(" + ids + ") OR d.sa_id = ANY(" + ids + "))"
		}
		where = append(where, cond)
	}
	if f.Status != "" {
		where = append(where, "p.status = "+arg(string(f.Status)))
	}
	if f.Clock != "" {
		if i := clockOrder(string(f.Clock)); i >= 0 {
			c := overdueClocks[i]
			where = append(where, c.open)
			switch f.State {
			case "overdue":
				where = append(where, c.due+" < "+arg(f.Today))
			case "at_risk":
				where = append(where, c.due+" >= "+arg(f.Today), c.due+" <= "+arg(f.RiskUntil))
			case "on_track":
				where = append(where, c.due+" > "+arg(f.RiskUntil))
			}
		}
	}
	return where
}

// SearchSQL builds the query of one page of the Packs list. It is exported
// so the benchmark EXPLAINs exactly what the page runs.
func SearchSQL(f SearchFilter) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := append([]string{"true"}, searchWhere(f, arg)...)
	if f.After != nil {
		where = append(where, "(d.closed_won_on, d.id) < ("+arg(f.After.ClosedWon)+"::date, "+arg(f.After.DealID)+"::bigint)")
	}
	return `SELECT ` + packColumns + packFrom + `
		WHERE ` + strings.Join(where, " AND ") + `
		ORDER BY d.closed_won_on DESC, d.id DESC LIMIT ` + arg(f.Limit), args
}

// SearchCountSQL builds the count of f's rows, at most SearchCountCap+1.
func SearchCountSQL(f SearchFilter) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := append([]string{"true"}, searchWhere(f, arg)...)
	return `SELECT count(*) FROM (SELECT 1 FROM packs p JOIN deals d ON d.id = p.deal_id
		WHERE ` + strings.Join(where, " AND ") + ` LIMIT ` + arg(SearchCountCap+1) + `) capped`, args
}

// ResolvePeople fills f.People: for each word, the people whose name has it
// (any role: a deal keeps its SE after a role change), in one query.
func (db *DB) ResolvePeople(ctx context.Context, f SearchFilter) (SearchFilter, error) {
	f.People = make([][]int64, len(f.Words))
	if len(f.Words) == 0 {
		return f, nil
	}
	exprs := make([]string, len(f.Words))
	args := make([]any, len(f.Words))
	dest := make([]any, len(f.Words))
	for i, w := range f.Words {
		exprs[i] = fmt.Sprintf(`coalesce(array_agg(u.id ORDER BY u.id) FILTER (WHERE u.name ILIKE $%d), '{}')`, i+1)
		args[i], dest[i] = likePattern(w), &f.People[i]
	}
	err := db.Pool.QueryRow(ctx, `SELECT `+strings.Join(exprs, ", ")+` FROM users u`, args...).Scan(dest...)
	if err != nil {
		return f, fmt.Errorf("postgres: people named %q: %w", f.Words, err)
	}
	return f, nil
}

// SearchPacks returns one page of the Packs list for f.
func (db *DB) SearchPacks(ctx context.Context, f SearchFilter) ([]*handoff.Pack, error) {
	if f.People == nil {
		var err error
		if f, err = db.ResolvePeople(ctx, f); err != nil {
			return nil, err
		}
	}
	sql, args := SearchSQL(f)
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search packs %q: %w", f.Words, err)
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[packRow])
	if err != nil {
		return nil, fmt.Errorf("postgres: search packs %q: %w", f.Words, err)
	}
	out := make([]*handoff.Pack, len(rs))
	for i, r := range rs {
		out[i] = r.pack()
	}
	return out, nil
}

// CountPacks returns how many packs f finds, at most SearchCountCap+1.
func (db *DB) CountPacks(ctx context.Context, f SearchFilter) (int, error) {
	if f.People == nil {
		var err error
		if f, err = db.ResolvePeople(ctx, f); err != nil {
			return 0, err
		}
	}
	sql, args := SearchCountSQL(f)
	var n int
	if err := db.Pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count packs %q: %w", f.Words, err)
	}
	return n, nil
}
