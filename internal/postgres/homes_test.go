package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// listWorld is a database of packs in every status for two SEs and two SAs
// (and some with no SA), with what each status implies, kept in Go as well.
type listWorld struct {
	db                      *postgres.DB
	cal                     *deadline.Calendar
	st                      handoff.Settings
	sam, priya, alex, blake *handoff.User
	packs                   map[int64]*handoff.Pack
}

func newListWorld(t *testing.T, n int) *listWorld {
	t.Helper()
	ctx := context.Background()
	w := &listWorld{db: postgrestest.New(t), packs: map[int64]*handoff.Pack{},
		st: handoff.Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 3, LockDueCalendarDays: 30}}
	var err error
	if w.cal, err = deadline.NewCalendar("America/New_York", []string{"US"}, nil); err != nil {
		t.Fatal(err)
	}
	user := func(name string, role handoff.Role) *handoff.User {
		u, err := w.db.CreateUser(ctx, postgres.NewUser{Email: strings.ToLower(strings.Fields(name)[0]) + "@example.com", Name: name, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.sam, w.priya = user("Sam Rivera", handoff.RoleSE), user("Priya Shah", handoff.RoleSE)
	w.alex, w.blake = user("Alex Chen", handoff.RoleSA), user("Blake Ortiz", handoff.RoleSA)
	r := rand.New(rand.NewPCG(5, 2026))
	rules := deadline.RulesOf(w.st)
	for i := range n {
		se := []*handoff.User{w.sam, w.priya}[i%2]
		var sa *handoff.User
		switch i % 5 {
		case 0, 1:
			sa = w.alex
		case 2, 3:
			sa = w.blake
		}
		status := handoff.Statuses[r.IntN(len(handoff.Statuses))]
		if sa == nil && status != handoff.StatusDraft {
			status = handoff.StatusDraft // only a draft waits for its SA
		}
		w.add(t, fmt.Sprintf("Account %03d", i), se, sa, status, deadline.NewDay(2026, time.October, 1).AddDays(r.IntN(60)), rules, r)
	}
	return w
}

// add inserts one deal and its pack in status, with the facts the status
// implies, as the transitions would write them.
func (w *listWorld) add(t *testing.T, account string, se, sa *handoff.User, status handoff.Status, cw deadline.Day, rules deadline.Rules, r *rand.Rand) *handoff.Pack {
	t.Helper()
	ctx := context.Background()
	var kickoff deadline.Day
	if status == handoff.StatusAcknowledged || status == handoff.StatusLocked {
		kickoff = cw.AddDays(1 + r.IntN(10))
	}
	due := w.cal.DueDates(rules, cw, kickoff)
	p := &handoff.Pack{Status: status, PackDueOn: due.Pack.Time(), KickoffDueOn: due.Kickoff.Time(),
		Deal: handoff.Deal{AccountName: account, ClosedWonOn: cw.Time(), SEID: se.ID, SEName: se.Name}}
	var saID *int64
	if sa != nil {
		p.Deal.SAID, p.Deal.SAName, saID = sa.ID, sa.Name, &sa.ID
	}
	submitted := 0
	if status != handoff.StatusDraft {
		tm := cw.AddDays(r.IntN(8)).Time().Add(15 * time.Hour)
		p.FirstSubmittedAt, submitted = &tm, 1
	}
	if !kickoff.IsZero() {
		k, l := kickoff.Time(), due.Lock.Time()
		p.KickoffOn, p.LockDueOn = &k, &l
	}
	if status == handoff.StatusLocked {
		tm := kickoff.AddDays(r.IntN(40)).Time().Add(15 * time.Hour)
		p.LockedAt = &tm
	}
	if err := w.db.Pool.QueryRow(ctx, `
		INSERT INTO deals (account_name, opportunity_name, crm_opportunity_id, segment, arr_minor, arr_currency, closed_won_on,
		                   ae_name, csm_name, se_id, sa_id)
		VALUES ($1, 'Platform', $2, 'enterprise', 100, 'USD', $3, 'Erin Example', 'Casey Example', $4, $5) RETURNING id`,
		account, "CRM-"+account, p.Deal.ClosedWonOn, se.ID, saID).Scan(&p.Deal.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Pool.QueryRow(ctx, `
		INSERT INTO packs (deal_id, status, submitted_version, pack_due_on, kickoff_due_on, lock_due_on,
		                   first_submitted_at, submitted_at, kickoff_on, locked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING id`,
		p.Deal.ID, string(status), submitted, p.PackDueOn, p.KickoffDueOn, p.LockDueOn, p.FirstSubmittedAt, p.KickoffOn, p.LockedAt).Scan(&p.ID); err != nil {
		t.Fatal(err)
	}
	w.packs[p.ID] = p
	return p
}

// homeOf pages through one section of person's home, limit rows at a time.
func (w *listWorld) homeOf(t *testing.T, person *handoff.User, sec deadline.Section, limit int) []postgres.HomeRow {
	t.Helper()
	var all []postgres.HomeRow
	var after *postgres.HomeCursor
	for range 1000 {
		rows, err := w.db.Home(context.Background(), postgres.HomeFilter{Person: person, Section: sec, After: after, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rows...)
		if len(rows) < limit {
			return all
		}
		last := rows[len(rows)-1]
		after = &postgres.HomeCursor{Due: last.NextDue, PackID: last.Pack.ID}
	}
	t.Fatal("paging never ended")
	return nil
}

// TestHomesAgreeWithTheClockModel: paging through each section of each
// person's home lists exactly the packs the clock model puts there
// (deadline.SectionOf over PackClocks), once each, soonest running clock
// first (newest first in Done), and the counts agree.
func TestHomesAgreeWithTheClockModel(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 120)
	now := time.Date(2026, time.November, 20, 17, 0, 0, 0, time.UTC)
	for _, person := range []*handoff.User{w.sam, w.priya, w.alex, w.blake} {
		counts, err := w.db.HomeCounts(context.Background(), person)
		if err != nil {
			t.Fatal(err)
		}
		for _, sec := range deadline.Sections() {
			t.Run(person.Name+"/"+string(sec), func(t *testing.T) {
				var want []int64
				soonest := map[int64]time.Time{}
				for id, p := range w.packs {
					if !handoff.CanSeePack(person, p) {
						continue
					}
					cs := deadline.PackClocks(w.cal, w.st, p, now)
					if deadline.SectionOf(cs, person.Role) != sec {
						continue
					}
					want = append(want, id)
					for _, c := range cs {
						if c.Owner != "" && (soonest[id].IsZero() || c.Due.Time().Before(soonest[id])) {
							soonest[id] = c.Due.Time()
						}
					}
				}
				rows := w.homeOf(t, person, sec, 4)
				var got []int64
				for i, row := range rows {
					got = append(got, row.Pack.ID)
					if !row.NextDue.Equal(soonest[row.Pack.ID]) {
						t.Errorf("pack %d sorts by %s, its soonest running clock is due %s", row.Pack.ID, row.NextDue, soonest[row.Pack.ID])
					}
					if i == 0 {
						continue
					}
					prev := rows[i-1]
					if sec == deadline.SectionDone && prev.Pack.ID < row.Pack.ID {
						t.Errorf("Done is not newest first: %d before %d", prev.Pack.ID, row.Pack.ID)
					}
					if sec != deadline.SectionDone && (row.NextDue.Before(prev.NextDue) || row.NextDue.Equal(prev.NextDue) && row.Pack.ID < prev.Pack.ID) {
						t.Errorf("not soonest first: %d (%s) after %d (%s)", row.Pack.ID, row.NextDue, prev.Pack.ID, prev.NextDue)
					}
				}
				if len(want) == 0 {
					t.Fatalf("the world has no pack in %s for %s: the test proves nothing", sec, person.Name)
				}
				slices.Sort(want)
				sorted := slices.Sorted(slices.Values(got))
				if !slices.Equal(sorted, want) {
					t.Fatalf("SQL lists %v, the clock model %v", sorted, want)
				}
				if counts[sec] != len(want) {
					t.Errorf("counted %d, listed %d", counts[sec], len(want))
				}
			})
		}
	}
}

func TestHomeIsEmptyForOthers(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 10)
	ctx := context.Background()
	for name, u := range map[string]*handoff.User{
		"Nobody":     nil,
		"Manager":    {ID: w.sam.ID, Role: handoff.RoleManager, Active: true},
		"InactiveSE": {ID: w.sam.ID, Role: handoff.RoleSE},
	} {
		rows, err := w.db.Home(ctx, postgres.HomeFilter{Person: u, Section: deadline.SectionNeedsYou, Limit: 10})
		counts, cerr := w.db.HomeCounts(ctx, u)
		if err != nil || cerr != nil || len(rows) != 0 || counts[deadline.SectionNeedsYou] != 0 {
			t.Errorf("%s: %d rows, counts %v, errors %v %v", name, len(rows), counts, err, cerr)
		}
	}
}

// TestHomeFollowsReassignment: the pack rows' copies of the deal's SE and SA
// move with the deal, so a reassigned pack leaves one home for another.
func TestHomeFollowsReassignment(t *testing.T) {
	t.Parallel()
	w := newPackWorld(t)
	ctx := context.Background()
	if err := w.db.Assign(ctx, w.morgan, w.pack, w.priya.ID, w.jordan.ID, packNow); err != nil {
		t.Fatal(err)
	}
	has := func(u *handoff.User) bool {
		t.Helper()
		for _, sec := range deadline.Sections() {
			rows, err := w.db.Home(ctx, postgres.HomeFilter{Person: u, Section: sec, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) > 0 {
				return true
			}
		}
		return false
	}
	if has(w.sam) || has(w.alex) {
		t.Error("the pack stays on the homes of its former SE or SA")
	}
	if !has(w.priya) || !has(w.jordan) {
		t.Error("the pack is not on the homes of its new SE and SA")
	}
	// Even a direct write to the copies is corrected from the deal.
	w.exec(t, `UPDATE packs SET se_id = $2, sa_id = NULL WHERE id = $1`, w.pack, w.sam.ID)
	var se, sa int64
	if err := w.db.Pool.QueryRow(ctx, `SELECT se_id, sa_id FROM packs WHERE id = $1`, w.pack).Scan(&se, &sa); err != nil {
		t.Fatal(err)
	}
	if se != w.priya.ID || sa != w.jordan.ID {
		t.Errorf("packs row says SE %d, SA %d; the deal says %d, %d", se, sa, w.priya.ID, w.jordan.ID)
	}
}

// explain returns the plan of sql with sequential scans (and, when
// noIndexScan, plain index scans) priced out, so the plan shows whether an
// index can serve the query at all.
func explain(t *testing.T, db *postgres.DB, noIndexScan bool, sql string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	settings := []string{`SET LOCAL enable_seqscan = off`}
	if noIndexScan {
		settings = append(settings, `SET LOCAL enable_indexscan = off`)
	}
	for _, s := range settings {
		if _, err := tx.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := tx.Query(ctx, `EXPLAIN `+sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// TestHomeQueriesReadTheirIndexes: each section of each home reads its own
// index of migration 00010 in page order (no sort of the person's packs),
// which proves the query's NextDueSQL is the indexed expression.
func TestHomeQueriesReadTheirIndexes(t *testing.T) {
	t.Parallel()
	w := newListWorld(t, 20)
	if _, err := w.db.Pool.Exec(context.Background(), `ANALYZE packs; ANALYZE deals`); err != nil {
		t.Fatal(err)
	}
	for _, person := range []*handoff.User{w.sam, w.alex} {
		for _, sec := range deadline.Sections() {
			for _, after := range []*postgres.HomeCursor{nil, {Due: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), PackID: 5}} {
				sql, args, ok := postgres.HomeSQL(postgres.HomeFilter{Person: person, Section: sec, After: after, Limit: 26})
				if !ok {
					t.Fatalf("no home for %s", person.Name)
				}
				index := "packs_" + string(person.Role) + "_" + string(sec) + "_idx"
				plan := explain(t, w.db, false, sql, args...)
				main := strings.SplitN(plan, "SubPlan", 2)[0] // the extras' subqueries follow
				if !strings.Contains(main, "Index Scan using "+index) && !strings.Contains(main, "Index Scan Backward using "+index) ||
					strings.Contains(main, "Sort  (cost") {
					t.Errorf("%s's %s (after %v) does not read %s in order:\n%s", person.Name, sec, after != nil, index, plan)
				}
			}
		}
	}
}
