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

// TestOverdueSQLAgreesWithTheClockModel generates packs in every state with
// due dates around weekends, US holidays and the DST changes, then for many
// instants checks that the manager's lists and counts, filtered in SQL, hold
// exactly the clocks the Go model calls overdue or at risk, lane by lane.
func TestOverdueSQLAgreesWithTheClockModel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := postgrestest.New(t)
	cal, err := deadline.NewCalendar("America/New_York", []string{"US"},
		[]deadline.DayOff{{Day: deadline.NewDay(2026, time.December, 28), Name: "Shutdown"}})
	if err != nil {
		t.Fatal(err)
	}
	st := handoff.Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 5, LockDueCalendarDays: 30, FirstValueDueCalendarDays: 90}
	rules := deadline.RulesOf(st)

	var seID, saID int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO users (email, name, role) VALUES ('se@example.com', 'Sam Rivera', 'se') RETURNING id`).Scan(&seID); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `INSERT INTO users (email, name, role) VALUES ('sa@example.com', 'Alex Chen', 'sa') RETURNING id`).Scan(&saID); err != nil {
		t.Fatal(err)
	}

	// Closed-Won days spread over the weeks around both 2026 DST changes,
	// Thanksgiving and the year end.
	r := rand.New(rand.NewPCG(11, 2026))
	windows := []deadline.Day{
		deadline.NewDay(2026, time.February, 20), deadline.NewDay(2026, time.October, 15), deadline.NewDay(2026, time.December, 1),
	}
	statuses := []handoff.Status{handoff.StatusDraft, handoff.StatusSubmitted, handoff.StatusChangesRequested,
		handoff.StatusAcknowledged, handoff.StatusLocked}
	packs := map[int64]*handoff.Pack{}
	for i := range 240 {
		cw := windows[r.IntN(len(windows))].AddDays(r.IntN(40))
		status := statuses[i%len(statuses)]
		var kickoff deadline.Day
		if status == handoff.StatusAcknowledged || status == handoff.StatusLocked {
			kickoff = cw.AddDays(1 + r.IntN(12))
		}
		due := cal.DueDates(rules, cw, kickoff)
		p := &handoff.Pack{Status: status, PackDueOn: due.Pack.Time(), KickoffDueOn: due.Kickoff.Time(),
			Deal: handoff.Deal{ClosedWonOn: cw.Time(), SEID: seID, SAID: saID, SEName: "Sam Rivera", SAName: "Alex Chen"}}
		// The facts each status implies, as the transitions write them.
		at := func(day deadline.Day) *time.Time {
			tm := day.Time().Add(time.Duration(14+r.IntN(10)) * time.Hour) // afternoon or evening UTC: some land on the next org day
			return &tm
		}
		if status != handoff.StatusDraft {
			p.FirstSubmittedAt = at(cw.AddDays(r.IntN(10)))
		}
		if !kickoff.IsZero() {
			k, l := kickoff.Time(), due.Lock.Time()
			p.KickoffOn, p.LockDueOn = &k, &l
		}
		if status == handoff.StatusLocked {
			p.LockedAt = at(kickoff.AddDays(r.IntN(45)))
		}
		afterTheLock(p, kickoff, due, r)
		var dealID int64
		if err := db.Pool.QueryRow(ctx, `
			INSERT INTO deals (account_name, opportunity_name, segment, arr_minor, arr_currency, closed_won_on, se_id, sa_id, strategic_marked)
			VALUES ($1, 'Opportunity', 'enterprise', $2, 'USD', $3, $4, $5, $6) RETURNING id`,
			fmt.Sprintf("Account %d", i), int64(1000+i), p.Deal.ClosedWonOn, seID, saID, p.Deal.StrategicMarked).Scan(&dealID); err != nil {
			t.Fatal(err)
		}
		submitted := 0
		if status != handoff.StatusDraft {
			submitted = 1
		}
		if err := db.Pool.QueryRow(ctx, `
			INSERT INTO packs (deal_id, status, submitted_version, pack_due_on, kickoff_due_on, lock_due_on,
			                   first_submitted_at, submitted_at, kickoff_on, locked_at,
			                   first_value_due_on, first_value_on, first_value_what, first_value_recorded_at, pod_review_due_on)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			append([]any{dealID, string(status), submitted, p.PackDueOn, p.KickoffDueOn, p.LockDueOn, p.FirstSubmittedAt, p.KickoffOn, p.LockedAt},
				afterTheLockArgs(p)...)...).Scan(&p.ID); err != nil {
			t.Fatal(err)
		}
		packs[p.ID] = p
	}

	// Instants: each hour band of days across the windows, including the
	// nights of the DST changes (2026-03-08 and 2026-11-01 in New York).
	var instants []time.Time
	for _, w := range windows {
		for i := 0; i < 70; i += 3 {
			day := w.AddDays(i).Time()
			instants = append(instants, day.Add(time.Duration(r.IntN(24))*time.Hour+time.Duration(r.IntN(60))*time.Minute))
		}
	}
	instants = append(instants,
		time.Date(2026, 3, 8, 6, 59, 0, 0, time.UTC), time.Date(2026, 3, 8, 7, 1, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 4, 59, 0, 0, time.UTC), time.Date(2026, 11, 1, 5, 1, 0, 0, time.UTC),
		time.Date(2026, 11, 27, 4, 30, 0, 0, time.UTC), time.Date(2026, 12, 28, 15, 0, 0, 0, time.UTC))

	for _, now := range instants {
		today := cal.Today(now)
		// What the Go model says, lane by lane.
		want := map[string]map[string][]string{"overdue": {}, "at_risk": {}}
		for _, p := range packs {
			for _, c := range deadline.PackClocks(cal, st, p, now) {
				if c.State != deadline.StateOverdue && c.State != deadline.StateAtRisk {
					continue
				}
				key := deadline.Lane{Kind: c.Kind, Owner: c.Owner}.Key()
				want[string(c.State)][key] = append(want[string(c.State)][key], fmt.Sprintf("%d/%s", p.ID, c.Kind))
			}
		}
		counts, err := db.OverdueCounts(ctx, postgres.OverdueFilter{Today: today.Time(), RiskUntil: cal.RiskUntil(today).Time()})
		if err != nil {
			t.Fatal(err)
		}
		for _, state := range []string{"overdue", "at_risk"} {
			for _, l := range deadline.Lanes() {
				rows, err := db.Overdue(ctx, postgres.OverdueFilter{Clock: string(l.Kind), Owner: l.Owner, State: state,
					Today: today.Time(), RiskUntil: cal.RiskUntil(today).Time(), Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, row := range rows {
					got = append(got, fmt.Sprintf("%d/%s", row.Pack.ID, row.Clock))
					if !row.Due.Equal(deadline.ClockOf(cal, st, row.Pack, l.Kind, now).Due.Time()) {
						t.Errorf("%s: row %d/%s due %s, the model says otherwise", now, row.Pack.ID, row.Clock, row.Due)
					}
				}
				w := want[state][l.Key()]
				slices.Sort(got)
				slices.Sort(w)
				if !slices.Equal(got, w) {
					t.Fatalf("at %s (org day %s), %s %s: SQL lists %v, the model %v", now.Format(time.RFC3339), today, state, l.Key(), got, w)
				}
				if counts[state][l.Key()] != len(w) {
					t.Fatalf("at %s, %s %s: SQL counts %d, the model %d", now.Format(time.RFC3339), state, l.Key(), counts[state][l.Key()], len(w))
				}
			}
		}
	}
}

// afterTheLock gives a pack past its kickoff the facts of the clocks after
// the lock, as the transitions write them: the first value due day, first
// value recorded on about half, and on about half of the locked ones a
// strategic account's pod review due a quarter after the lock.
func afterTheLock(p *handoff.Pack, kickoff deadline.Day, due deadline.Dues, r *rand.Rand) {
	if kickoff.IsZero() {
		return
	}
	fv := due.FirstValue.Time()
	p.FirstValueDueOn = &fv
	if r.IntN(2) == 0 {
		p.FirstValue = &handoff.FirstValue{On: kickoff.AddDays(r.IntN(120)).Time(), What: "live", RecordedAt: p.KickoffOn.Add(time.Hour)}
	}
	if p.Status == handoff.StatusLocked && r.IntN(2) == 0 {
		p.Deal.StrategicMarked = true
		pod := deadline.NextPodReview(true, p.Status, deadline.DayOf(*p.LockedAt, time.UTC), deadline.Day{}).Time()
		p.PodReviewDueOn = &pod
	}
}

// afterTheLockArgs are p's columns after the lock, in the order of the
// INSERTs above.
func afterTheLockArgs(p *handoff.Pack) []any {
	var on, at *time.Time
	var what *string
	if p.FirstValue != nil {
		on, what, at = &p.FirstValue.On, &p.FirstValue.What, &p.FirstValue.RecordedAt
	}
	return []any{p.FirstValueDueOn, on, what, at, p.PodReviewDueOn}
}
