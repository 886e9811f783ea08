package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// fvWorld is a database with one SE and one SA, whose packs the tests write
// straight into the tables with the facts each status implies.
type fvWorld struct {
	db         *postgres.DB
	seID, saID int64
}

func newFVWorld(t *testing.T) *fvWorld {
	t.Helper()
	ctx := context.Background()
	w := &fvWorld{db: postgrestest.New(t)}
	if err := w.db.Pool.QueryRow(ctx, `INSERT INTO users (email, name, role) VALUES ('se@example.com', 'Sam Rivera', 'se') RETURNING id`).Scan(&w.seID); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Pool.QueryRow(ctx, `INSERT INTO users (email, name, role) VALUES ('sa@example.com', 'Alex Chen', 'sa') RETURNING id`).Scan(&w.saID); err != nil {
		t.Fatal(err)
	}
	return w
}

// insert stores p (its deal's account, Closed-Won, ARR and SA, its status,
// due days and the moments its clocks were met) and sets p.ID.
func (w *fvWorld) insert(t *testing.T, p *handoff.Pack) {
	t.Helper()
	ctx := context.Background()
	var sa *int64
	if p.Deal.SAID != 0 {
		sa = &p.Deal.SAID
	}
	cur := p.Deal.ARR.Currency
	if cur == "" {
		cur = "USD"
	}
	var dealID int64
	if err := w.db.Pool.QueryRow(ctx, `
		INSERT INTO deals (account_name, opportunity_name, segment, arr_minor, arr_currency, closed_won_on, se_id, sa_id)
		VALUES ($1, 'Opportunity', 'enterprise', $2, $3, $4, $5, $6) RETURNING id`,
		p.Deal.AccountName, p.Deal.ARR.Minor, cur, p.Deal.ClosedWonOn, w.seID, sa).Scan(&dealID); err != nil {
		t.Fatal(err)
	}
	submitted := 0
	if p.Status != handoff.StatusDraft {
		submitted = 1
	}
	if err := w.db.Pool.QueryRow(ctx, `
		INSERT INTO packs (deal_id, status, submitted_version, pack_due_on, kickoff_due_on, lock_due_on,
		                   first_submitted_at, submitted_at, kickoff_on, locked_at,
		                   first_value_due_on, first_value_on, first_value_what, first_value_recorded_at, pod_review_due_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		append([]any{dealID, string(p.Status), submitted, p.PackDueOn, p.KickoffDueOn, p.LockDueOn, p.FirstSubmittedAt, p.KickoffOn, p.LockedAt},
			afterTheLockArgs(p)...)...).Scan(&p.ID); err != nil {
		t.Fatal(err)
	}
	p.Deal.ID = dealID
}

// simplePack is a pack of account won on cw (YYYY-MM-DD) with ARR arr in
// currency; kickoff (zero: none) and first value (zero: none) move it on
// to acknowledged.
func simplePack(account, cw string, arr int64, currency string, kickoff, firstValue deadline.Day) *handoff.Pack {
	won := mustDay(cw)
	p := &handoff.Pack{Status: handoff.StatusDraft, PackDueOn: won.AddDays(7).Time(), KickoffDueOn: won.AddDays(7).Time(),
		Deal: handoff.Deal{AccountName: account, ClosedWonOn: won.Time(), ARR: handoff.Money{Minor: arr, Currency: currency}}}
	if !kickoff.IsZero() {
		sub := won.AddDays(3).Time().Add(15 * time.Hour)
		k, lock, fvDue := kickoff.Time(), kickoff.AddDays(30).Time(), kickoff.AddDays(90).Time()
		p.Status, p.FirstSubmittedAt, p.KickoffOn, p.LockDueOn, p.FirstValueDueOn = handoff.StatusAcknowledged, &sub, &k, &lock, &fvDue
	}
	if !firstValue.IsZero() {
		p.FirstValue = &handoff.FirstValue{On: firstValue.Time(), What: "live", RecordedAt: firstValue.Time().Add(16 * time.Hour)}
	}
	return p
}

func mustDay(s string) deadline.Day {
	d, err := deadline.ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestFirstValueVerdictsAgreeWithTheClockModel generates packs that reached
// first value, their handoffs and locks on time, late or not yet decided,
// with moments near midnight in New York and around the DST change, and
// checks that the histogram judged in SQL is the one deadline.PackClocks
// gives, counted as the stats count a clock (stats.Rate).
func TestFirstValueVerdictsAgreeWithTheClockModel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newFVWorld(t)
	cal, err := deadline.NewCalendar("America/New_York", []string{"US"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := handoff.Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 5, LockDueCalendarDays: 30, FirstValueDueCalendarDays: 90}
	rules := deadline.RulesOf(st)
	r := rand.New(rand.NewPCG(22, 2026))
	// Moments around a due day's end: afternoon UTC is the same day in New
	// York, after 04:00 or 05:00 UTC the next day.
	at := func(d deadline.Day) *time.Time {
		tm := d.Time().Add(time.Duration(14+r.IntN(14)) * time.Hour)
		return &tm
	}
	var packs []*handoff.Pack
	for i := range 200 {
		cw := deadline.NewDay(2026, time.September, 15).AddDays(r.IntN(50)) // across the DST change of 2026-11-01
		kickoff := cw.AddDays(3 + r.IntN(10))
		due := cal.DueDates(rules, cw, kickoff)
		k, l := kickoff.Time(), due.Lock.Time()
		p := &handoff.Pack{Status: handoff.StatusAcknowledged, PackDueOn: due.Pack.Time(), KickoffDueOn: due.Kickoff.Time(),
			KickoffOn: &k, LockDueOn: &l, FirstSubmittedAt: at(due.Pack.AddDays(r.IntN(5) - 3)),
			Deal: handoff.Deal{AccountName: fmt.Sprintf("Account %d", i), ClosedWonOn: cw.Time(), ARR: handoff.Money{Minor: 1000, Currency: "USD"}}}
		switch r.IntN(3) {
		case 0: // locked around its due day
			p.Status, p.LockedAt = handoff.StatusLocked, at(due.Lock.AddDays(r.IntN(9)-4))
		case 1: // not locked; due before or after the instants below
		}
		fv := due.FirstValue.Time()
		p.FirstValueDueOn = &fv
		p.FirstValue = &handoff.FirstValue{On: kickoff.AddDays(r.IntN(60)).Time(), What: "live", RecordedAt: k.Add(time.Hour)}
		w.insert(t, p)
		packs = append(packs, p)
	}

	// The stats count a clock as decided when it is done or overdue, and on
	// time only when done by its due day.
	verdict := func(c deadline.Clock) *bool {
		on, late := true, false
		switch c.State {
		case deadline.StateDoneOnTime:
			return &on
		case deadline.StateDoneLate, deadline.StateOverdue:
			return &late
		}
		return nil
	}
	key := func(sub, lock *bool, days int) string {
		s := func(b *bool) string {
			if b == nil {
				return "-"
			}
			return fmt.Sprint(*b)
		}
		return s(sub) + "/" + s(lock) + "/" + fmt.Sprint(days)
	}
	for _, now := range []time.Time{
		time.Date(2026, 10, 20, 3, 30, 0, 0, time.UTC), // still 10-19 in New York
		time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC),  // the night of the DST change
		time.Date(2026, 11, 10, 16, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC),
	} {
		today := cal.Today(now)
		want := map[string]int{}
		for _, p := range packs {
			cw := deadline.DayOf(p.Deal.ClosedWonOn, time.UTC)
			days := cw.DaysUntil(deadline.DayOf(p.FirstValue.On, time.UTC))
			want[key(verdict(deadline.ClockOf(cal, st, p, deadline.KindPack, now)), verdict(deadline.ClockOf(cal, st, p, deadline.KindLock, now)), days)]++
		}
		rows, err := w.db.FirstValueTimes(ctx, deadline.NewDay(2026, 1, 1), deadline.NewDay(2027, 12, 31), today, "America/New_York")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, row := range rows {
			got[key(row.HandoffOnTime, row.LockedInTime, row.Days)] += row.Packs
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("at %s (org day %s): SQL counts %v\nthe model %v", now.Format(time.RFC3339), today, got, want)
		}
	}
}

// FirstValueTimes reads the accounts whose first value is in the window,
// both ends in, whenever they were won.
func TestFirstValueTimesWindow(t *testing.T) {
	t.Parallel()
	w := newFVWorld(t)
	since, today := mustDay("2026-08-27"), mustDay("2026-11-25")
	for _, tc := range []struct{ account, won, kickoff, fv string }{
		{"Before the window", "2026-05-01", "2026-05-10", "2026-08-26"},
		{"First day", "2026-05-01", "2026-05-10", "2026-08-27"},
		{"Won long before", "2025-11-03", "2025-11-20", "2026-10-01"},
		{"Today", "2026-09-01", "2026-09-10", "2026-11-25"},
	} {
		w.insert(t, simplePack(tc.account, tc.won, 100, "USD", mustDay(tc.kickoff), mustDay(tc.fv)))
	}
	w.insert(t, simplePack("No first value", "2026-09-01", 100, "USD", mustDay("2026-09-10"), deadline.Day{}))
	rows, err := w.db.FirstValueTimes(context.Background(), since, today, today, "America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	var days []int
	for _, r := range rows {
		for range r.Packs {
			days = append(days, r.Days)
		}
	}
	slices.Sort(days)
	// 2026-05-01 → 08-27: 118 days; 2025-11-03 → 2026-10-01: 332; 09-01 → 11-25: 85.
	if want := []int{85, 118, 332}; !slices.Equal(days, want) {
		t.Errorf("days = %v, want %v", days, want)
	}
}

func TestBookedARRSince(t *testing.T) {
	t.Parallel()
	w := newFVWorld(t)
	none := deadline.Day{}
	w.insert(t, simplePack("Before the window", "2026-08-26", 1_00, "USD", none, none))
	w.insert(t, simplePack("A", "2026-08-27", 10_00, "USD", mustDay("2026-09-01"), mustDay("2026-10-05")))
	w.insert(t, simplePack("B", "2026-08-27", 20_00, "USD", mustDay("2026-09-01"), mustDay("2026-10-30")))
	w.insert(t, simplePack("C", "2026-08-27", 40_00, "USD", none, none))
	w.insert(t, simplePack("D", "2026-08-27", 80_00, "EUR", none, none))
	w.insert(t, simplePack("E", "2026-11-20", 160_00, "USD", mustDay("2026-11-21"), mustDay("2026-11-22")))
	rows, err := w.db.BookedARRSince(context.Background(), mustDay("2026-08-27"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		vm := "none"
		if r.ValueMonth != nil {
			vm = r.ValueMonth.Format(time.DateOnly)
		}
		got = append(got, fmt.Sprintf("%s %s %s %d×%d", r.Currency, r.WonOn.Format(time.DateOnly), vm, r.ARRMinor, r.Deals))
	}
	want := []string{
		"EUR 2026-08-27 none 8000×1",
		"USD 2026-08-27 2026-10-01 3000×2", // A and B: one day, one month of first value
		"USD 2026-08-27 none 4000×1",
		"USD 2026-11-20 2026-11-01 16000×1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows =\n%v\nwant\n%v", got, want)
	}
}

// The debt list: no first value and more than handoff.DebtDays since
// Closed-Won, whatever the status, worst first; exactly DebtDays is not yet
// debt. Its count agrees, and its pages follow each other.
func TestDebtAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newFVWorld(t)
	today := mustDay("2026-11-25")
	cutoff := today.AddDays(-handoff.DebtDays) // 2026-07-28
	none := deadline.Day{}
	ago := func(n int) string { return today.AddDays(-n).String() }
	w.insert(t, simplePack("Exactly 120 days", ago(handoff.DebtDays), 1_00, "USD", none, none))
	oneMore := simplePack("121 days", ago(handoff.DebtDays+1), 2_00, "USD", none, none)
	oneMore.Deal.SAID = w.saID
	w.insert(t, oneMore)
	w.insert(t, simplePack("Kicked off long ago", ago(300), 3_00, "EUR", mustDay(ago(290)), none))
	w.insert(t, simplePack("Reached first value", ago(400), 4_00, "USD", mustDay(ago(390)), mustDay(ago(200))))
	w.insert(t, simplePack("Same day, recorded second", ago(300), 5_00, "USD", none, none))
	w.insert(t, simplePack("Recent", ago(10), 6_00, "USD", none, none))

	read := func(f postgres.DebtFilter) []postgres.DebtAccount {
		t.Helper()
		rows, err := w.db.DebtAccounts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := read(postgres.DebtFilter{WonBefore: cutoff, Limit: 50})
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%s|%d %s", r.AccountName, r.SEName, r.SAName, r.Status,
			r.ClosedWonOn.Format(time.DateOnly), r.ARRMinor, r.ARRCurrency))
	}
	want := []string{
		"Kicked off long ago|Sam Rivera||acknowledged|" + ago(300) + "|300 EUR",
		"Same day, recorded second|Sam Rivera||draft|" + ago(300) + "|500 USD",
		"121 days|Sam Rivera|Alex Chen|draft|" + ago(handoff.DebtDays+1) + "|200 USD",
	}
	if !slices.Equal(got, want) {
		t.Errorf("debt list =\n%v\nwant\n%v", got, want)
	}
	n, err := w.db.CountDebtAccounts(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("count = %d, want 3", n)
	}
	t.Run("PagesFollowOnByKeyset", func(t *testing.T) {
		var all []string
		f := postgres.DebtFilter{WonBefore: cutoff, Limit: 1}
		for range 5 {
			page := read(f)
			for _, r := range page {
				all = append(all, r.AccountName)
			}
			if len(page) < f.Limit {
				break
			}
			last := page[len(page)-1]
			f.After = &postgres.DebtCursor{ClosedWonOn: last.ClosedWonOn, DealID: last.DealID}
		}
		if want := []string{"Kicked off long ago", "Same day, recorded second", "121 days"}; !slices.Equal(all, want) {
			t.Errorf("pages = %v, want %v", all, want)
		}
	})
	t.Run("ADayLaterTheBoundaryMoves", func(t *testing.T) {
		n, err := w.db.CountDebtAccounts(ctx, cutoff.AddDays(1))
		if err != nil {
			t.Fatal(err)
		}
		if n != 4 {
			t.Errorf("count a day later = %d, want 4 (the 120-day account turns 121)", n)
		}
	})
	if _, err := w.db.DebtAccounts(ctx, postgres.DebtFilter{WonBefore: cutoff}); err == nil {
		t.Error("no limit: want an error")
	}
}
