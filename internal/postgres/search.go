package postgres

import (
	"context"
	"fmt"
	"strconv"
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

// The count above the list stops at a cap: past it the page says "1,000+"
// (or "100+"), so a filter or word matching half the table costs a bounded
// read. Without words the count walks an index, entry by entry, and stops
// at SearchCountCap. A word's matches can only be counted by reading each
// matching deal's row (the trigram index is lossy: every hit is checked
// against the text), about 2 µs each, so a word's count stops sooner, at
// SearchWordCountCap: past a hundred the answer is "refine the search"
// either way.
const (
	SearchCountCap     = 1000
	SearchWordCountCap = 100
)

// CountCap is where f's count stops (SearchCountCap or SearchWordCountCap).
func (f SearchFilter) CountCap() int {
	if len(f.Words) > 0 {
		return SearchWordCountCap
	}
	return SearchCountCap
}

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
	return "%" + escapeLike(w) + "%"
}

// searchArgs numbers the values of one query as it is built.
type searchArgs []any

func (a *searchArgs) add(v any, typ string) string {
	*a = append(*a, v)
	// Typed, so the statement means the same whether pgx prepares it or
	// sends it with its values (QueryExecModeExec).
	return "$" + strconv.Itoa(len(*a)) + "::" + typ
}

// packFiltered reports whether f filters on the pack (status, clock), so a
// query must read packs, not only deals.
func packFiltered(f SearchFilter) bool {
	return f.Status != "" || (f.Clock != "" && clockOrder(string(f.Clock)) >= 0)
}

// scopeWhere is the reader's scope as a condition on deals (alias "d") or on
// packs ("p"), whose SE and SA copies triggers keep equal to the deal's
// (migration 00010).
func scopeWhere(s handoff.PackScope, alias string, a *searchArgs) []string {
	switch {
	case s.All:
		return nil
	case s.SEID != 0:
		return []string{alias + ".se_id = " + a.add(s.SEID, "bigint")}
	case s.SAID != 0:
		return []string{alias + ".sa_id = " + a.add(s.SAID, "bigint")}
	}
	return []string{"false"}
}

// wordsWhere is f's words as conditions on deals d.
func wordsWhere(f SearchFilter, a *searchArgs) []string {
	var where []string
	for i, w := range f.Words {
		// search_text is stored in lower case; lower() of the pattern is
		// PostgreSQL's own, so both sides fold case alike.
		cond := "d.search_text LIKE lower(" + a.add(likePattern(w), "text") + ")"
		if i < len(f.People) && len(f.People[i]) > 0 {
			ids := a.add(f.People[i], "bigint[]")
			cond = "(" + cond + " OR d.se_id = ANY(" + ids + ") OR d.sa_id = ANY(" + ids + "))"
		}
		where = append(where, cond)
	}
	return where
}

// packWhere is f's status and clock filters as conditions on packs p.
func packWhere(f SearchFilter, a *searchArgs) []string {
	var where []string
	if f.Status != "" {
		where = append(where, "p.status = "+a.add(string(f.Status), "text"))
	}
	if f.Clock != "" {
		if i := clockOrder(string(f.Clock)); i >= 0 {
			c := overdueClocks[i]
			day := func(t time.Time) string { return a.add(t.Format(time.DateOnly), "date") }
			where = append(where, c.open)
			switch f.State {
			case "overdue":
				where = append(where, c.due+" < "+day(f.Today))
			case "at_risk":
				where = append(where, c.due+" >= "+day(f.Today), c.due+" <= "+day(f.RiskUntil))
			case "on_track":
				where = append(where, c.due+" > "+day(f.RiskUntil))
			}
		}
	}
	return where
}

func and(where []string) string {
	if len(where) == 0 {
		return "true"
	}
	return strings.Join(where, " AND ")
}

// searchOrder is the list's order, newest Closed-Won first, which the deals
// indexes (closed_won_on, id), (se_id, closed_won_on, id) and (sa_id, ...)
// hold (migration 00010).
const searchOrder = ` ORDER BY d.closed_won_on DESC, d.id DESC`

// SearchSQL builds the query that picks one page of the Packs list: the
// ids of its deals, in page order. It is exported so the benchmark EXPLAINs
// exactly what the page runs.
//
// Whether walking the newest deals or reading the trigram index is cheaper
// rests on how many deals hold the word, which only the planner, with the
// word in hand, can weigh: it runs with a custom plan each time, so it reads
// as few tables as f's conditions need (planning a join to packs, with its
// many indexes, cost more than running the query). The page size is a
// literal, so no plan is made for an unknown one.
func SearchSQL(f SearchFilter) (string, []any) {
	var a searchArgs
	where := append(scopeWhere(f.Scope, "d", &a), wordsWhere(f, &a)...)
	where = append(where, packWhere(f, &a)...)
	if f.After != nil {
		where = append(where, "(d.closed_won_on, d.id) < ("+a.add(f.After.ClosedWon.Format(time.DateOnly), "date")+", "+
			a.add(f.After.DealID, "bigint")+")")
	}
	from := "deals d"
	if packFiltered(f) {
		from = "deals d JOIN packs p ON p.deal_id = d.id"
	}
	return `SELECT d.id FROM ` + from + ` WHERE ` + and(where) + searchOrder + ` LIMIT ` + strconv.Itoa(max(f.Limit, 0)), a
}

// SearchRowsSQL reads the page SearchSQL picked: the packs of deals ids, in
// page order. Its plan does not depend on the values, so it is prepared once
// and kept. The scope is checked again, in case a deal changed hands in
// between.
func SearchRowsSQL(f SearchFilter, ids []int64) (string, []any) {
	a := searchArgs{}
	where := append([]string{"d.id = ANY(" + a.add(ids, "bigint[]") + ")"}, scopeWhere(f.Scope, "d", &a)...)
	return `SELECT ` + packColumns + packFrom + ` WHERE ` + and(where) + searchOrder, a
}

// searchSample is the sixteenth of deals that migration 00018 indexes by
// trigram on its own (deals_search_text_sample_idx). The condition must read
// exactly as the index's predicate, or the planner cannot use the index.
const searchSample = "d.id % 16 = 0"

// SearchCountSQL builds the count of f's rows, at most f.CountCap()+1.
//
// It reads only the tables f's conditions need: deals for words (and scope),
// packs for status and clock. Counting deals counts packs: every deal has
// exactly one, since packs.deal_id is unique and a deal and its pack are
// written in one transaction (CreateDeal, the demo's bulk load). Words are
// matched in materialized CTEs, which
// the planner plans for reading every match: for a word in a few percent of
// deals that is the trigram index, where costing the capped read alone would
// pick a sequential scan that stops after tens of thousands of deals. A CTE
// is still read lazily, so the count stops at the cap either way.
//
// The trigram index is read whole before its first row, though: for a word
// in 4% of 1,000,000 deals, 40,000 entries (about 7 ms). So for the reader
// who sees every pack, the count first reads only the sample: when its
// sixteenth of deals alone passes the cap, the answer ("100+") is proven
// for a sixteenth of the reading, whatever the table's size; only otherwise,
// when the word is rarer, are all deals counted. An SE's or SA's packs are
// few enough to count directly.
func SearchCountSQL(f SearchFilter) (string, []any) {
	var a searchArgs
	limit := " LIMIT " + strconv.Itoa(f.CountCap()+1)
	if len(f.Words) == 0 {
		if packFiltered(f) {
			where := append(scopeWhere(f.Scope, "p", &a), packWhere(f, &a)...)
			// In due order, a clock's count reads its partial index and stops
			// at the cap; unordered, the planner guesses a sequential scan
			// stops as soon, which at 1,000,000 packs it does not (11 ms).
			order := ""
			if i := clockOrder(string(f.Clock)); f.Clock != "" && i >= 0 {
				order = ` ORDER BY ` + overdueClocks[i].due
			}
			return `SELECT count(*) FROM (SELECT 1 FROM packs p WHERE ` + and(where) + order + limit + `) capped`, a
		}
		return `SELECT count(*) FROM (SELECT 1 FROM deals d WHERE ` + and(scopeWhere(f.Scope, "d", &a)) + limit + `) capped`, a
	}
	where := and(append(scopeWhere(f.Scope, "d", &a), wordsWhere(f, &a)...))
	// The pack conditions stay outside the CTEs, so matching deals meet
	// their packs one by one and the count stops at the cap.
	packs := and(packWhere(f, &a))
	capped := func(cte string) string {
		if !packFiltered(f) {
			return `SELECT count(*) FROM (SELECT 1 FROM ` + cte + limit + `) capped`
		}
		return `SELECT count(*) FROM (SELECT 1 FROM ` + cte + ` d JOIN packs p ON p.deal_id = d.id WHERE ` + packs + limit + `) capped`
	}
	matches := `matches AS MATERIALIZED (SELECT d.id FROM deals d WHERE ` + where + `)`
	if !f.Scope.All {
		return `WITH ` + matches + ` ` + capped("matches"), a
	}
	return `WITH sample AS MATERIALIZED (SELECT d.id FROM deals d WHERE ` + searchSample + ` AND ` + where + `),
		` + matches + `
		SELECT CASE WHEN n > ` + strconv.Itoa(f.CountCap()) + ` THEN n ELSE (` + capped("matches") + `) END
		FROM (` + capped("sample") + `) sampled (n)`, a
}

// People is everyone's name, folded to lower case once, for the search to
// match words against (an org has hundreds or thousands of people, never
// millions, so the server keeps it in memory under the data version).
type People struct {
	ids   []int64
	names []string // lower case
}

// PeopleNames reads People.
func (db *DB) PeopleNames(ctx context.Context) (*People, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, name FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: people's names: %w", err)
	}
	var ids []int64
	var names []string
	var id int64
	var name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		ids, names = append(ids, id), append(names, name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: people's names: %w", err)
	}
	return newPeople(ids, names), nil
}

// newPeople folds names to lower case in Go, as Named folds the words: one
// rule for both sides, whatever the database's collation does to case.
func newPeople(ids []int64, names []string) *People {
	ps := &People{ids: ids, names: make([]string, len(names))}
	for i, n := range names {
		ps.names[i] = strings.ToLower(n)
	}
	return ps
}

// Named returns, for each word, the ids of the people whose name holds it,
// ignoring case (any role: a deal keeps its SE after a role change). It is
// the one rule for which person a search word names.
func (ps *People) Named(words []string) [][]int64 {
	out := make([][]int64, len(words))
	for i, w := range words {
		w = strings.ToLower(w)
		for j, name := range ps.names {
			if strings.Contains(name, w) {
				out[i] = append(out[i], ps.ids[j])
			}
		}
	}
	return out
}

// ResolvePeople fills f.People from the people's names as stored now.
func (db *DB) ResolvePeople(ctx context.Context, f SearchFilter) (SearchFilter, error) {
	people, err := db.PeopleNames(ctx)
	if err != nil {
		return f, err
	}
	f.People = people.Named(f.Words)
	return f, nil
}

// SearchResult is one page of the Packs list and the count above it.
type SearchResult struct {
	Packs []*handoff.Pack // at most f.Limit
	// Count is how many packs f finds, at most f.CountCap(); Capped says
	// there are more.
	Count  int
	Capped bool
}

// SearchPage reads one page of the Packs list for f and its count: the
// page's deal ids (planned for f's words), then the page's rows and, unless
// a first page with room to spare is its own count, the count, both in one
// round trip.
func (db *DB) SearchPage(ctx context.Context, f SearchFilter) (SearchResult, error) {
	if f.People == nil {
		var err error
		if f, err = db.ResolvePeople(ctx, f); err != nil {
			return SearchResult{}, err
		}
	}
	ids, err := db.searchIDs(ctx, f)
	if err != nil {
		return SearchResult{}, err
	}
	res := SearchResult{Count: len(ids)}
	b := &pgx.Batch{}
	if len(ids) > 0 {
		sql, args := SearchRowsSQL(f, ids)
		b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
			res.Packs, err = collectPacks(rows)
			return err
		})
	}
	if f.After != nil || len(ids) == f.Limit {
		sql, args := SearchCountSQL(f)
		b.Queue(sql, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&res.Count) })
	}
	if b.Len() > 0 {
		if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
			return SearchResult{}, fmt.Errorf("postgres: search packs %q: %w", f.Words, err)
		}
	}
	res.Count, res.Capped = min(res.Count, f.CountCap()), res.Count > f.CountCap()
	return res, nil
}

// searchIDs picks the deal ids of f's page, in page order.
func (db *DB) searchIDs(ctx context.Context, f SearchFilter) ([]int64, error) {
	sql, args := SearchSQL(f)
	// Never a cached generic plan: one made for an unknown word walks the
	// newest deals or reads the trigram index whatever the word, and either
	// is slow for some words (at 1,000,000 deals, 472 ms against 4 ms for
	// "labs"; docs/performance.md).
	rows, err := db.Pool.Query(ctx, sql, append([]any{pgx.QueryExecModeExec}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search packs %q: %w", f.Words, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: search packs %q: %w", f.Words, err)
	}
	return ids, nil
}

// collectPacks reads rows of packColumns, by position (matching names by
// reflection cost a tenth of the search page's server time).
func collectPacks(rows pgx.Rows) ([]*handoff.Pack, error) {
	var r packRow
	var out []*handoff.Pack
	_, err := pgx.ForEachRow(rows, r.scanTargets(), func() error {
		out = append(out, r.pack())
		return nil
	})
	return out, err
}
