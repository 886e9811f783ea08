package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

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
