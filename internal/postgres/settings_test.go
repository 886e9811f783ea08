package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// TestMigrateSingleThresholdIntoList checks that the migration to
// per-currency thresholds keeps the org's threshold, and that its Down puts
// one back.
func TestMigrateSingleThresholdIntoList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, m := emptyMigrator(t)
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	hasList := func() bool {
		var ok bool
		if err := db.Pool.QueryRow(ctx, `SELECT to_regclass('approval_thresholds') IS NOT NULL`).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// Back to the schema with one threshold, however many migrations came after.
	for hasList() {
		if err := m.Down(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE org_settings SET approval_threshold_currency = 'GBP', approval_threshold_minor = 2000000`); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (handoff.Thresholds{{Minor: 2_000_000, Currency: "GBP"}}); !slices.Equal(s.ApprovalThresholds, want) {
		t.Errorf("after up: thresholds = %+v, want %+v", s.ApprovalThresholds, want)
	}

	t.Run("DownKeepsUSD", func(t *testing.T) {
		if _, err := db.Pool.Exec(ctx, `INSERT INTO approval_thresholds (currency, amount_minor) VALUES ('USD', 3000000), ('EUR', 100)`); err != nil {
			t.Fatal(err)
		}
		for hasList() {
			if err := m.Down(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var cur string
		var minor int64
		if err := db.Pool.QueryRow(ctx, `SELECT approval_threshold_currency, approval_threshold_minor FROM org_settings`).Scan(&cur, &minor); err != nil {
			t.Fatal(err)
		}
		if cur != "USD" || minor != 3_000_000 {
			t.Errorf("after down: threshold = %s %d, want USD 3000000", cur, minor)
		}
	})
}

// TestUpdateSettingsReplacesThresholds stores a new list of thresholds and
// reads it back in currency order.
func TestUpdateSettingsReplacesThresholds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := postgrestest.New(t)
	s, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := s.UpdatedAt
	s.ApprovalThresholds = handoff.Thresholds{{Minor: 2_000_000, Currency: "GBP"}, {Minor: 300_000_000, Currency: "JPY"}}
	noDue := func(context.Context, pgx.Tx) (postgres.DueFunc, error) {
		return func(cw time.Time, _ *time.Time) postgres.Dues { return postgres.Dues{PackDueOn: cw, KickoffDueOn: cw} }, nil
	}
	if _, err := db.ChangeCalendar(ctx, nil, postgres.CalendarChange{Why: "test", Apply: postgres.UpdateSettingsChange(s), Due: noDue}, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.ApprovalThresholds, s.ApprovalThresholds) {
		t.Errorf("thresholds = %+v, want %+v", got.ApprovalThresholds, s.ApprovalThresholds)
	}
	if !got.UpdatedAt.After(before) {
		t.Errorf("updated_at did not move (%v → %v): cached settings would keep the old thresholds", before, got.UpdatedAt)
	}

	s.ApprovalThresholds = nil
	if _, err := db.ChangeCalendar(ctx, nil, postgres.CalendarChange{Why: "test", Apply: postgres.UpdateSettingsChange(s), Due: noDue}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Settings(ctx); len(got.ApprovalThresholds) != 0 {
		t.Errorf("thresholds after clearing = %+v, want none", got.ApprovalThresholds)
	}
}

// TestPreviewCalendarChangesNothing previews a change that moves the open
// pack's due dates: it names the pack and how it moves, and leaves the
// settings, the dates and the history as they were; saving the same change
// then moves exactly what the preview said.
func TestPreviewCalendarChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	s, err := w.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.PackDueBusinessDays = 9
	later := func(context.Context, pgx.Tx) (postgres.DueFunc, error) {
		return func(cw time.Time, _ *time.Time) postgres.Dues {
			return postgres.Dues{PackDueOn: cw.AddDate(0, 0, 9), KickoffDueOn: cw.AddDate(0, 0, 14)}
		}, nil
	}
	change := postgres.CalendarChange{Why: "test", Apply: postgres.UpdateSettingsChange(s), Due: later}
	events := func() int {
		var n int
		if err := w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM pack_events WHERE pack_id = $1`, w.pack).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := events()

	moves, err := w.db.PreviewCalendar(ctx, change)
	if err != nil {
		t.Fatal(err)
	}
	if len(moves) != 1 || moves[0].PackID != w.pack || moves[0].Account != "Acme" ||
		!slices.Equal(moves[0].Changes, []string{"pack due 2026-11-09 → 2026-11-11"}) {
		t.Fatalf("preview = %+v", moves)
	}
	got, err := w.db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.PackDueBusinessDays == 9 || !got.UpdatedAt.Equal(s.UpdatedAt) {
		t.Errorf("the preview saved the settings: %+v", got)
	}
	p, err := w.db.Pack(ctx, w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	if d := p.PackDueOn.Format(time.DateOnly); d != "2026-11-09" || events() != before {
		t.Errorf("the preview moved the pack (due %s) or wrote history (%d → %d events)", d, before, events())
	}

	moved, err := w.db.ChangeCalendar(ctx, w.morgan, change, packNow)
	if err != nil || moved != len(moves) {
		t.Fatalf("save moved %d (%v), the preview said %d", moved, err, len(moves))
	}
	if events() != before+1 {
		t.Errorf("events %d → %d, want one more", before, events())
	}
}
