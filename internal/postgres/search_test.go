package postgres_test

import (
	"context"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// searchAll pages through f, limit rows at a time, checking the order.
func searchAll(t *testing.T, db *postgres.DB, f postgres.SearchFilter, limit int) []*handoff.Pack {
	t.Helper()
	f.Limit = limit
	var all []*handoff.Pack
	for range 1000 {
		page, err := db.SearchPacks(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < limit {
			break
		}
		last := page[len(page)-1].Deal
		f.After = &postgres.SearchCursor{ClosedWon: last.ClosedWonOn, DealID: last.ID}
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1].Deal, all[i].Deal
		if b.ClosedWonOn.After(a.ClosedWonOn) || b.ClosedWonOn.Equal(a.ClosedWonOn) && b.ID >= a.ID {
			t.Fatalf("not newest Closed-Won first: deal %d (%s) after %d (%s)", b.ID, b.ClosedWonOn, a.ID, a.ClosedWonOn)
		}
	}
	return all
}

// TestSearchAgreesWithScopeAndFilters: for each reader and each search, the
// Packs list pages through exactly the packs the reader may see that match,
// once each, and counts exactly those.
func TestSearchAgreesWithScopeAndFilters(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 90)
	ctx := context.Background()
	now := time.Date(2026, time.November, 20, 17, 0, 0, 0, time.UTC)
	today := w.cal.Today(now)
	// Search text as the deals hold it (listWorld's AE, CSM and CRM ids).
	text := func(p *handoff.Pack) string {
		return strings.ToLower(strings.Join([]string{p.Deal.AccountName, "Platform", "CRM-" + p.Deal.AccountName,
			"Erin Example", "Casey Example", p.Deal.SEName, p.Deal.SAName}, " "))
	}
	readers := map[string]*handoff.User{"Manager": {ID: 999, Role: handoff.RoleManager, Active: true},
		"Sam": w.sam, "Alex": w.alex, "InactiveSam": {ID: w.sam.ID, Role: handoff.RoleSE}, "Nobody": nil}
	searches := map[string]postgres.SearchFilter{
		"everything":       {},
		"account":          {Words: []string{"account 01"}},
		"crm id":           {Words: []string{"crm-account 02"}},
		"se name":          {Words: []string{"PRIYA"}},
		"sa name":          {Words: []string{"blake"}},
		"ae name":          {Words: []string{"erin"}},
		"two words":        {Words: []string{"ount 0", "shah"}},
		"wildcard literal": {Words: []string{"a%t"}},
		"underscore":       {Words: []string{"acc_unt"}},
		"status":           {Status: handoff.StatusSubmitted},
		"kickoff overdue":  {Clock: deadline.KindKickoff, State: "overdue"},
		"lock at risk":     {Clock: deadline.KindLock, State: "at_risk"},
		"pack on track":    {Clock: deadline.KindPack, State: "on_track", Words: []string{"account"}},
		// Words and pack filters together: deals matched first, then their packs.
		"status and word":  {Status: handoff.StatusDraft, Words: []string{"account 0"}},
		"kickoff and name": {Clock: deadline.KindKickoff, State: "on_track", Words: []string{"shah"}},
	}
	for who, reader := range readers {
		for name, f := range searches {
			t.Run(who+"/"+name, func(t *testing.T) {
				f.Scope, f.Today, f.RiskUntil = handoff.ScopeOf(reader), today.Time(), w.cal.RiskUntil(today).Time()
				var want []int64
				for id, p := range w.packs {
					ok := handoff.CanSeePack(reader, p) && (f.Status == "" || p.Status == f.Status)
					for _, word := range f.Words {
						ok = ok && strings.Contains(text(p), strings.ToLower(word))
					}
					if ok && f.Clock != "" {
						c := deadline.ClockOf(w.cal, w.st, p, f.Clock, now)
						ok = string(c.State) == f.State
					}
					if ok {
						want = append(want, id)
					}
				}
				if len(want) == 0 && who == "Manager" && !strings.Contains(name, "literal") && name != "underscore" {
					t.Fatal("no pack matches: the world proves nothing here")
				}
				var got []int64
				for _, p := range searchAll(t, w.db, f, 7) {
					got = append(got, p.ID)
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("lists %v, want %v", got, want)
				}
				n, err := w.db.CountPacks(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(want) {
					t.Errorf("counts %d, lists %d", n, len(want))
				}
			})
		}
	}
}

// TestSearchReadsTheTrigramIndex: a word can be answered from the trigram
// index on deals.search_text (the bench checks the planner's own choice at
// scale).
func TestSearchReadsTheTrigramIndex(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 10)
	f := postgres.SearchFilter{Scope: handoff.PackScope{All: true}, Words: []string{"account 00"}, Limit: 26}
	sql, args := postgres.SearchSQL(f)
	if plan := explain(t, w.db, true, sql, args...); !strings.Contains(plan, "deals_search_text_idx") {
		t.Errorf("the search cannot use the trigram index:\n%s", plan)
	}
	sql, args = postgres.SearchCountSQL(f)
	if plan := explain(t, w.db, true, sql, args...); !strings.Contains(plan, "deals_search_text_idx") {
		t.Errorf("the count cannot use the trigram index:\n%s", plan)
	}
}

// TestSearchCountShapes: a count reads only the tables its conditions need
// (deals for words and scope, packs for status and clock), and a word's count
// can read the trigram index, people's names or not.
func TestSearchCountShapes(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 10)
	all := handoff.PackScope{All: true}
	for _, tc := range []struct {
		name              string
		f                 postgres.SearchFilter
		deals, packs, gin bool
	}{
		{"word", postgres.SearchFilter{Scope: all, Words: []string{"account 00"}}, true, false, true},
		{"word or SE", postgres.SearchFilter{Scope: all, Words: []string{"sam"}, People: [][]int64{{w.sam.ID}}}, true, false, true},
		{"word of an SA's", postgres.SearchFilter{Scope: handoff.PackScope{SAID: w.alex.ID}, Words: []string{"account 00"}}, true, false, false},
		{"word and status", postgres.SearchFilter{Scope: all, Words: []string{"account 00"}, Status: handoff.StatusDraft}, true, true, true},
		{"status of an SE's", postgres.SearchFilter{Scope: handoff.PackScope{SEID: w.sam.ID}, Status: handoff.StatusDraft}, false, true, false},
		{"kickoff overdue", postgres.SearchFilter{Scope: all, Clock: deadline.KindKickoff, State: "overdue", Today: time.Now()}, false, true, false},
		{"everything of an SE's", postgres.SearchFilter{Scope: handoff.PackScope{SEID: w.sam.ID}}, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sql, args := postgres.SearchCountSQL(tc.f)
			plan := explain(t, w.db, tc.gin, sql, args...)
			if got := strings.Contains(plan, " on deals "); got != tc.deals {
				t.Errorf("reads deals: %v, want %v\n%s", got, tc.deals, plan)
			}
			if got := strings.Contains(plan, " on packs "); got != tc.packs {
				t.Errorf("reads packs: %v, want %v\n%s", got, tc.packs, plan)
			}
			if tc.gin && !strings.Contains(plan, "deals_search_text_idx") {
				t.Errorf("cannot read the trigram index:\n%s", plan)
			}
		})
	}
}

// TestSearchTakesWordsLiterally: LIKE's wildcards and its escape character in
// a word match only themselves, in the list and in its count, and a deal
// matches by its SE's name alone.
func TestSearchTakesWordsLiterally(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 0)
	ctx := context.Background()
	rules := deadline.RulesOf(w.st)
	r := rand.New(rand.NewPCG(1, 2))
	cw := deadline.NewDay(2026, time.November, 2)
	ids := map[string]int64{}
	for _, a := range []struct {
		account string
		se      *handoff.User
	}{
		{"100% Labs", w.sam}, {"1000 Labs", w.sam}, {"A_B Corp", w.priya}, {"AxB Corp", w.priya},
		{`Back\slash Ltd`, w.priya}, {"Backslash Ltd", w.priya},
	} {
		ids[a.account] = w.add(t, a.account, a.se, nil, handoff.StatusDraft, cw, rules, r).ID
	}
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{"0% l"}, []string{"100% Labs"}},
		{[]string{"100%"}, []string{"100% Labs"}},
		{[]string{"a_b"}, []string{"A_B Corp"}},
		{[]string{`k\s`}, []string{`Back\slash Ltd`}},
		{[]string{"rivera"}, []string{"100% Labs", "1000 Labs"}}, // Sam Rivera's name is on no deal
		{[]string{"rivera", "100%"}, []string{"100% Labs"}},
		{[]string{"shah", "labs"}, nil},
	} {
		t.Run(strings.Join(tc.words, " "), func(t *testing.T) {
			f := postgres.SearchFilter{Scope: handoff.PackScope{All: true}, Words: tc.words}
			var want, got []int64
			for _, a := range tc.want {
				want = append(want, ids[a])
			}
			for _, p := range searchAll(t, w.db, f, 26) {
				got = append(got, p.ID)
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("lists %v, want %v (%v)", got, want, tc.want)
			}
			if n, err := w.db.CountPacks(ctx, f); err != nil || n != len(want) {
				t.Errorf("counts %d (%v), want %d", n, err, len(want))
			}
		})
	}
}

// TestSearchCountStopsAtTheCap: past its cap (SearchWordCountCap with words,
// SearchCountCap without) the count says cap+1, whichever tables it reads,
// and stays exact below it.
func TestSearchCountStopsAtTheCap(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 4)
	ctx := context.Background()
	// Sam's and Alex's: SearchCountCap+2 draft packs named "Bulk Labs" and
	// 5 submitted ones.
	const bulk = postgres.SearchCountCap + 2 + 5
	if _, err := w.db.Pool.Exec(ctx, `
		WITH d AS (
			INSERT INTO deals (account_name, opportunity_name, segment, arr_minor, arr_currency, closed_won_on, se_id, sa_id)
			SELECT 'Bulk Labs ' || i, 'Platform', 'enterprise', 100, 'USD', DATE '2026-10-01' + i % 40, $1, $2
			FROM generate_series(1, $3::int) i RETURNING id, account_name)
		INSERT INTO packs (deal_id, status, submitted_version, pack_due_on, kickoff_due_on, first_submitted_at, submitted_at)
		SELECT id, CASE WHEN sub THEN 'submitted' ELSE 'draft' END, sub::int, DATE '2026-12-01', DATE '2026-12-04',
		       CASE WHEN sub THEN TIMESTAMPTZ '2026-11-02 15:00Z' END, CASE WHEN sub THEN TIMESTAMPTZ '2026-11-02 15:00Z' END
		FROM (SELECT id, split_part(account_name, ' ', 3)::int <= 5 AS sub FROM d) d`, w.sam.ID, w.alex.ID, bulk); err != nil {
		t.Fatal(err)
	}
	var samSubmitted int
	if err := w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM packs WHERE se_id = $1 AND status = 'submitted'`, w.sam.ID).Scan(&samSubmitted); err != nil {
		t.Fatal(err)
	}
	all, sam := handoff.PackScope{All: true}, handoff.PackScope{SEID: w.sam.ID}
	today, riskUntil := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	capped, wordCapped := postgres.SearchCountCap+1, postgres.SearchWordCountCap+1
	for _, tc := range []struct {
		name string
		f    postgres.SearchFilter
		want int
	}{
		{"word", postgres.SearchFilter{Scope: all, Words: []string{"bulk labs"}}, wordCapped},
		{"word, the SE's", postgres.SearchFilter{Scope: sam, Words: []string{"bulk"}}, wordCapped},
		{"word, another SE's", postgres.SearchFilter{Scope: handoff.PackScope{SEID: w.priya.ID}, Words: []string{"bulk"}}, 0},
		{"the SA's name", postgres.SearchFilter{Scope: all, Words: []string{"alex"}, People: [][]int64{{w.alex.ID}}}, wordCapped},
		{"word and status", postgres.SearchFilter{Scope: all, Words: []string{"bulk"}, Status: handoff.StatusDraft}, wordCapped},
		{"word and status, below the cap", postgres.SearchFilter{Scope: all, Words: []string{"bulk"}, Status: handoff.StatusSubmitted}, 5},
		{"status", postgres.SearchFilter{Scope: sam, Status: handoff.StatusDraft}, capped},
		{"status, below the cap", postgres.SearchFilter{Scope: sam, Status: handoff.StatusSubmitted}, samSubmitted},
		{"clock", postgres.SearchFilter{Scope: all, Clock: deadline.KindPack, State: "on_track", Today: today, RiskUntil: riskUntil}, capped},
		{"everything", postgres.SearchFilter{Scope: all}, capped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := w.db.CountPacks(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Errorf("counts %d, want %d", n, tc.want)
			}
		})
	}
	// The list pages through all of them, newest first, once each.
	f := postgres.SearchFilter{Scope: all, Words: []string{"bulk labs"}}
	seen := map[int64]bool{}
	for _, p := range searchAll(t, w.db, f, 100) {
		if seen[p.ID] || !strings.HasPrefix(p.Deal.AccountName, "Bulk Labs ") {
			t.Fatalf("lists %q (pack %d) twice or wrongly", p.Deal.AccountName, p.ID)
		}
		seen[p.ID] = true
	}
	if len(seen) != bulk {
		t.Errorf("lists %d, want %d", len(seen), bulk)
	}
}

// TestSearchCountTriesTheSampleFirst: a manager's count proves "past the cap"
// from the trigram-indexed sixteenth of deals when that sample alone holds
// enough matches, without reading the full index; otherwise it counts every
// deal, exactly.
func TestSearchCountTriesTheSampleFirst(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 4)
	ctx := context.Background()
	// SearchCountCap+1 deals in the sample (ids divisible by 16), and as
	// many outside it: enough that the trigram indexes beat walking the
	// whole table, as they do at any real size.
	if _, err := w.db.Pool.Exec(ctx, `
		WITH d AS (
			INSERT INTO deals (id, account_name, opportunity_name, segment, arr_minor, arr_currency, closed_won_on, se_id)
			SELECT 100000 + i * 16 + CASE WHEN i % 2 = 0 THEN 0 ELSE 1 END,
			       CASE WHEN i % 2 = 0 THEN 'Sampled Labs ' ELSE 'Unsampled Labs ' END || i, 'Platform', 'enterprise', 100, 'USD',
			       DATE '2026-10-01' + i % 40, $1
			FROM generate_series(0, 2 * $2::int + 1) i RETURNING id)
		INSERT INTO packs (deal_id, pack_due_on, kickoff_due_on) SELECT id, DATE '2026-12-01', DATE '2026-12-04' FROM d`,
		w.sam.ID, postgres.SearchCountCap+1); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Pool.Exec(ctx, `ANALYZE deals`); err != nil {
		t.Fatal(err)
	}
	all := handoff.PackScope{All: true}
	for _, tc := range []struct {
		word      string
		scope     handoff.PackScope
		want      int
		fullCount bool // whether every deal had to be counted
	}{
		{"sampled labs", all, postgres.SearchWordCountCap + 1, false},
		{"unsampled labs", all, postgres.SearchWordCountCap + 1, true},
		{"labs 10", all, postgres.SearchWordCountCap + 1, true}, // 111, 56 of them sampled
		{"labs 200", all, 5, true},                              // 200, 2000-2003
		{"sampled labs", handoff.PackScope{SEID: w.sam.ID}, postgres.SearchWordCountCap + 1, true},
	} {
		t.Run(tc.word, func(t *testing.T) {
			f := postgres.SearchFilter{Scope: tc.scope, Words: []string{tc.word}}
			n, err := w.db.CountPacks(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want {
				t.Errorf("counts %d, want %d", n, tc.want)
			}
			sql, args := postgres.SearchCountSQL(f)
			plan := explainAnalyze(t, w.db, sql, args...)
			full := regexp.MustCompile(`(?m)CTE matches\n\s+->  [^\n]*\(actual`).MatchString(plan)
			if full != tc.fullCount {
				t.Errorf("counts every deal: %v, want %v\n%s", full, tc.fullCount, plan)
			}
			if tc.scope.All && !strings.Contains(plan, "deals_search_text_sample_idx") {
				t.Errorf("the sample does not read its index:\n%s", plan)
			}
		})
	}
}

// explainAnalyze runs sql under EXPLAIN ANALYZE, with sequential scans off
// so a tiny table still shows the plan a large one gets.
func explainAnalyze(t *testing.T, db *postgres.DB, sql string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	for _, set := range []string{`SET LOCAL enable_seqscan = off`, hideWalkIndex} {
		if _, err := tx.Exec(ctx, set); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := tx.Query(ctx, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) `+sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// TestSearchIndexesTheLongestNamesAllowed: a deal whose names take
// handoff.MaxSearchableBytes together, in letters of 4 bytes, fits the walk
// index (an entry holds about 2,700 bytes) and is found.
func TestSearchIndexesTheLongestNamesAllowed(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 0)
	ctx := context.Background()
	part := strings.Repeat("😀", (handoff.MaxSearchableBytes-4)/4/4) // four names of 4-byte letters, with 3 spaces
	if _, err := w.db.Pool.Exec(ctx, `
		WITH d AS (
			INSERT INTO deals (account_name, opportunity_name, segment, arr_minor, arr_currency, closed_won_on, se_id, ae_name, csm_name)
			VALUES ('Longname ' || $2, $2, 'enterprise', 100, 'USD', DATE '2026-10-01', $1, $2, $2) RETURNING id)
		INSERT INTO packs (deal_id, pack_due_on, kickoff_due_on) SELECT id, DATE '2026-12-01', DATE '2026-12-04' FROM d`,
		w.sam.ID, part); err != nil {
		t.Fatalf("the longest names allowed do not fit the index: %v", err)
	}
	got := searchAll(t, w.db, postgres.SearchFilter{Scope: handoff.PackScope{All: true}, Words: []string{"longname"}}, 26)
	if len(got) != 1 {
		t.Errorf("found %d packs, want the one", len(got))
	}
}

// TestSearchPageCountsToTheCap: a word matching exactly SearchWordCountCap
// packs counts them all; one more says "more" (Capped); a first page with
// room to spare is its own count.
func TestSearchPageCountsToTheCap(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 0)
	ctx := context.Background()
	if _, err := w.db.Pool.Exec(ctx, `
		WITH d AS (
			INSERT INTO deals (account_name, opportunity_name, segment, arr_minor, arr_currency, closed_won_on, se_id)
			SELECT CASE WHEN i <= $2 THEN 'Hundred Club ' ELSE 'Overflow Club ' END || i, 'Platform', 'enterprise', 100, 'USD',
			       DATE '2026-10-01' + i % 40, $1
			FROM generate_series(1, $2 + 1) i RETURNING id)
		INSERT INTO packs (deal_id, pack_due_on, kickoff_due_on) SELECT id, DATE '2026-12-01', DATE '2026-12-04' FROM d`,
		w.sam.ID, postgres.SearchWordCountCap); err != nil {
		t.Fatal(err)
	}
	all := handoff.PackScope{All: true}
	for _, tc := range []struct {
		word   string
		count  int
		capped bool
		page   int
	}{
		{"hundred club", postgres.SearchWordCountCap, false, 26},
		{"club", postgres.SearchWordCountCap, true, 26},
		{"overflow club", 1, false, 1},
	} {
		res, err := w.db.SearchPage(ctx, postgres.SearchFilter{Scope: all, Words: []string{tc.word}, Limit: 26})
		if err != nil {
			t.Fatal(err)
		}
		if res.Count != tc.count || res.Capped != tc.capped || len(res.Packs) != tc.page {
			t.Errorf("%q: count %d, capped %v, %d rows; want %d, %v, %d", tc.word, res.Count, res.Capped, len(res.Packs), tc.count, tc.capped, tc.page)
		}
	}
}

// TestSearchWalkIsIndexOnly: the newest-first walk a common word takes reads
// only the walk index, which holds the text it checks (migration 00025).
func TestSearchWalkIsIndexOnly(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 10)
	if _, err := w.db.Pool.Exec(context.Background(), `VACUUM ANALYZE deals`); err != nil {
		t.Fatal(err)
	}
	sql, args := postgres.SearchSQL(postgres.SearchFilter{Scope: handoff.PackScope{All: true}, Words: []string{"account"}, Limit: 26})
	plan := explainWith(t, w.db, []string{`SET LOCAL enable_seqscan = off`, `SET LOCAL enable_bitmapscan = off`}, sql, args...)
	if !strings.Contains(plan, "Index Only Scan Backward using deals_closed_won_text_idx") {
		t.Errorf("the walk is not index-only:\n%s", plan)
	}
}
