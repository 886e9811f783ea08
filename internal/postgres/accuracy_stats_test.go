package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// accuracyWorld is a database with Sam's and Priya's packs (SEs), Alex's to
// assess (SA), and Morgan, a manager, with assessments written straight into
// handoff_assessments: the stats read them, whoever wrote them.
type accuracyWorld struct {
	db                       *postgres.DB
	sam, priya, alex, morgan *handoff.User
	packs                    map[string]int64 // by account
}

func newAccuracyWorld(t *testing.T) *accuracyWorld {
	t.Helper()
	ctx := context.Background()
	w := &accuracyWorld{db: postgrestest.New(t), packs: map[string]int64{}}
	user := func(name string, role handoff.Role) *handoff.User {
		t.Helper()
		u, err := w.db.CreateUser(ctx, postgres.NewUser{Email: strings.ToLower(name) + "@example.com", Name: name, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.sam, w.priya, w.alex, w.morgan = user("Sam", handoff.RoleSE), user("Priya", handoff.RoleSE), user("Alex", handoff.RoleSA), user("Morgan", handoff.RoleManager)
	return w
}

// pack records a deal of se's, assigned to Alex, and returns its pack.
func (w *accuracyWorld) pack(t *testing.T, account string, se *handoff.User) int64 {
	t.Helper()
	due := func(context.Context, pgx.Tx) (postgres.DueFunc, error) {
		return func(cw time.Time, _ *time.Time) postgres.Dues {
			return postgres.Dues{PackDueOn: cw.AddDate(0, 0, 7), KickoffDueOn: cw.AddDate(0, 0, 14)}
		}, nil
	}
	id, err := w.db.CreateDeal(context.Background(), w.morgan, handoff.Deal{
		AccountName: account, OpportunityName: account + " platform", Segment: handoff.SegmentCommercial,
		ARR: handoff.Money{Minor: 10_000_000, Currency: "USD"}, ClosedWonOn: time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC),
		SEID: se.ID, SAID: w.alex.ID,
	}, due, packNow)
	if err != nil {
		t.Fatal(err)
	}
	w.packs[account] = id
	return id
}

// assess writes the assessment of pack at stage, on the org's day on, with
// the counts held, under-scoped, wrong, surfaced.
func (w *accuracyWorld) assess(t *testing.T, pack int64, stage, on string, held, under, wrong, surfaced int) {
	t.Helper()
	if _, err := w.db.Pool.Exec(context.Background(), `
		INSERT INTO handoff_assessments (pack_id, stage, data, held, under_scoped, wrong, surfaced, se_id, assessed_on, assessed_by, assessed_at)
		SELECT $1, $2, '{}', $3, $4, $5, $6, d.se_id, $7::date, $8, $7::date + time '15:00'
		FROM packs p JOIN deals d ON d.id = p.deal_id WHERE p.id = $1`,
		pack, stage, held, under, wrong, surfaced, on, w.alex.ID); err != nil {
		t.Fatal(err)
	}
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAssessedPacks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newAccuracyWorld(t)
	initech, hooli := w.pack(t, "Initech", w.sam), w.pack(t, "Hooli", w.sam)
	globex, umbrella := w.pack(t, "Globex", w.priya), w.pack(t, "Umbrella", w.priya)
	w.pack(t, "Unassessed", w.sam)
	late := w.pack(t, "Late first value", w.sam)
	// Initech: at the lock in Q3, at first value in Q4; the first-value one
	// speaks for it.
	w.assess(t, initech, handoff.StageLock, "2026-08-10", 1, 1, 1, 0)
	w.assess(t, initech, handoff.StageFirstValue, "2026-11-03", 2, 1, 0, 1)
	w.assess(t, hooli, handoff.StageLock, "2026-10-01", 4, 0, 0, 0)    // Q4's first day
	w.assess(t, globex, handoff.StageLock, "2026-12-31", 3, 0, 1, 0)   // Q4's last day
	w.assess(t, umbrella, handoff.StageLock, "2026-09-30", 5, 0, 0, 0) // Q3's last day
	// At the lock in Q4, at first value in 2027: it counts in 2027 only.
	w.assess(t, late, handoff.StageLock, "2026-11-20", 1, 0, 0, 0)
	w.assess(t, late, handoff.StageFirstValue, "2027-01-05", 0, 1, 0, 0)

	q4 := postgres.AccuracyFilter{Since: date("2026-10-01"), Until: date("2027-01-01"), Limit: 100}
	read := func(t *testing.T, f postgres.AccuracyFilter) []postgres.AssessedPack {
		t.Helper()
		rows, err := w.db.AssessedPacks(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	ids := func(rows []postgres.AssessedPack) []int64 {
		var out []int64
		for _, r := range rows {
			out = append(out, r.PackID)
		}
		return out
	}

	t.Run("ManagerReadsEveryonesNewestFirst", func(t *testing.T) {
		f := q4
		f.Scope = handoff.AccuracyScope(w.morgan)
		if got, want := ids(read(t, f)), []int64{globex, initech, hooli}; !slices.Equal(got, want) {
			t.Errorf("Q4 = %v, want Globex, Initech, Hooli %v", got, want)
		}
	})
	t.Run("AnSEReadsOnlyTheirOwn", func(t *testing.T) {
		f := q4
		f.Scope = handoff.AccuracyScope(w.sam)
		rows := read(t, f)
		if got, want := ids(rows), []int64{initech, hooli}; !slices.Equal(got, want) {
			t.Errorf("Sam's Q4 = %v, want Initech, Hooli %v", got, want)
		}
		for _, r := range rows {
			if r.SEID != w.sam.ID || r.SEName != "Sam" || r.SAName != "Alex" {
				t.Errorf("Sam's row %+v names other people", r)
			}
		}
		f.Scope = handoff.AccuracyScope(w.priya)
		if got, want := ids(read(t, f)), []int64{globex}; !slices.Equal(got, want) {
			t.Errorf("Priya's Q4 = %v, want Globex %v", got, want)
		}
	})
	t.Run("NoScopeReadsNothing", func(t *testing.T) {
		f := q4
		f.Scope = handoff.AccuracyScope(w.alex) // an SA assesses but does not read scores
		if rows := read(t, f); len(rows) != 0 {
			t.Errorf("the SA read %d rows, want none", len(rows))
		}
	})
	t.Run("FirstValueWins", func(t *testing.T) {
		f := postgres.AccuracyFilter{Scope: handoff.PackScope{All: true}, Since: date("2026-07-01"), Until: date("2027-04-01"), Limit: 100}
		for _, r := range read(t, f) {
			if r.PackID != initech {
				continue
			}
			want := postgres.AssessedPack{PackID: initech, AccountName: "Initech", OpportunityName: "Initech platform", SEID: w.sam.ID, SEName: "Sam",
				SAName: "Alex", Stage: handoff.StageFirstValue, AssessedOn: date("2026-11-03"), Held: 2, UnderScoped: 1, Surfaced: 1}
			if r != want {
				t.Errorf("Initech = %+v, want %+v", r, want)
			}
			return
		}
		t.Error("Initech is missing")
	})
	t.Run("ALockSupersededLaterIsNotInItsQuarter", func(t *testing.T) {
		f := postgres.AccuracyFilter{Scope: handoff.PackScope{All: true}, Since: date("2026-07-01"), Until: date("2026-10-01"), Limit: 100}
		if got, want := ids(read(t, f)), []int64{umbrella}; !slices.Equal(got, want) {
			t.Errorf("Q3 = %v, want only Umbrella %v (Initech's lock assessment is superseded in Q4)", got, want)
		}
		f.Since, f.Until = date("2027-01-01"), date("2027-04-01")
		rows := read(t, f)
		if got, want := ids(rows), []int64{late}; !slices.Equal(got, want) || rows[0].Stage != handoff.StageFirstValue {
			t.Errorf("2027-Q1 = %+v, want the late pack at first value", rows)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		f := q4
		f.Scope, f.Limit = handoff.PackScope{All: true}, 2
		if got, want := ids(read(t, f)), []int64{globex, initech}; !slices.Equal(got, want) {
			t.Errorf("newest 2 = %v, want %v", got, want)
		}
		f.Limit = 0
		if _, err := w.db.AssessedPacks(ctx, f); err == nil {
			t.Error("no limit read every row; want an error")
		}
	})
	t.Run("TotalAgreesWithTheRows", func(t *testing.T) {
		for _, who := range []*handoff.User{w.morgan, w.sam, w.priya, w.alex} {
			scope := handoff.AccuracyScope(who)
			f := q4
			f.Scope = scope
			var want handoff.AccuracyCounts
			rows := read(t, f)
			for _, r := range rows {
				want = want.Add(r.Counts())
			}
			packs, got, err := w.db.AccuracyTotal(ctx, scope, q4.Since, q4.Until)
			if err != nil {
				t.Fatal(err)
			}
			if packs != len(rows) || got != want {
				t.Errorf("%s: total %d packs %+v, rows %d packs %+v", who.Name, packs, got, len(rows), want)
			}
		}
		// Q4 for everyone: Initech (first value) 2/1/0/1, Hooli 4/0/0/0, Globex 3/0/1/0.
		packs, c, err := w.db.AccuracyTotal(ctx, handoff.PackScope{All: true}, q4.Since, q4.Until)
		if err != nil {
			t.Fatal(err)
		}
		if want := (handoff.AccuracyCounts{Held: 9, UnderScoped: 1, Wrong: 1, Surfaced: 1}); packs != 3 || c != want {
			t.Errorf("Q4 total = %d packs %+v, want 3 packs %+v", packs, c, want)
		}
	})
}
