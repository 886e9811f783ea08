package postgres_test

import (
	"context"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

func TestSettingsDefaults(t *testing.T) {
	t.Parallel()
	db := postgrestest.New(t)
	s, err := db.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.PackDueBusinessDays != 5 || s.KickoffDueBusinessDays != 5 || s.LockDueCalendarDays != 30 {
		t.Errorf("clock defaults = %d/%d/%d, want 5/5/30", s.PackDueBusinessDays, s.KickoffDueBusinessDays, s.LockDueCalendarDays)
	}
	if want := (handoff.Money{Minor: 2_500_000, Currency: "USD"}); len(s.ApprovalThresholds) != 1 || s.ApprovalThresholds[0] != want {
		t.Errorf("approval thresholds = %+v, want only USD 25,000.00", s.ApprovalThresholds)
	}
	if len(s.HolidayCountries) != 1 || s.HolidayCountries[0] != "US" || s.TimeZone == "" {
		t.Errorf("calendar defaults = %v %q", s.HolidayCountries, s.TimeZone)
	}
}

// emptyMigrator opens a database with no schema yet and its migrator, both
// closed when the test ends.
func emptyMigrator(t *testing.T) (*postgres.DB, *postgres.Migrator) {
	t.Helper()
	db, err := postgres.Open(context.Background(), postgrestest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	m, err := postgres.NewMigrator(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return db, m
}

func TestMigrateUpDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, m := emptyMigrator(t)

	n, err := m.Up(ctx)
	if err != nil || n == 0 {
		t.Fatalf("first up: n=%d err=%v", n, err)
	}
	st, err := m.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if !s.Applied {
			t.Errorf("migration %s not applied after up", s.Name)
		}
	}
	// Every Down must undo its Up, or a rollback in production breaks.
	for range st {
		if err := m.Down(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n2, err := m.Up(ctx); err != nil || n2 != n {
		t.Fatalf("re-up after full down: n=%d err=%v, want %d", n2, err, n)
	}
	if n3, err := m.Up(ctx); err != nil || n3 != 0 {
		t.Fatalf("second up should be a no-op: n=%d err=%v", n3, err)
	}
}

// TestPoolSize: two connections per CPU, four at least, 32 at most.
func TestPoolSize(t *testing.T) {
	t.Parallel()
	for cpus, want := range map[int]int32{1: 4, 2: 4, 3: 6, 8: 16, 16: 32, 64: 32} {
		if got := postgres.PoolSize(cpus); got != want {
			t.Errorf("PoolSize(%d) = %d, want %d", cpus, got, want)
		}
	}
}
