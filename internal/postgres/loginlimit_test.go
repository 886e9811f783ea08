package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// Each key has its own limit and window; the wait is until the key that is
// full has room again.
func TestLoginLimitPerKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := postgrestest.New(t)
	t0 := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	tight := postgres.LoginLimit{Key: "tight", Max: 2, Window: time.Minute}
	loose := postgres.LoginLimit{Key: "loose", Max: 5, Window: time.Minute}
	reserve := func(at time.Time, limits ...postgres.LoginLimit) time.Duration {
		t.Helper()
		wait, err := db.ReserveLoginAttempt(ctx, limits, at)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	}

	for i := range 2 {
		if w := reserve(t0.Add(time.Duration(i)*10*time.Second), tight, loose); w != 0 {
			t.Fatalf("attempt %d waits %v, want none", i+1, w)
		}
	}
	// tight is full: the oldest of its two ages out at t0+60s.
	if w := reserve(t0.Add(30*time.Second), tight, loose); w != 30*time.Second {
		t.Errorf("third attempt waits %v, want 30s", w)
	}
	// Nothing was recorded for the refused attempt: loose still has 3 left.
	for i := range 3 {
		if w := reserve(t0.Add(31*time.Second+time.Duration(i)*time.Second), loose); w != 0 {
			t.Fatalf("loose alone, attempt %d waits %v", i+1, w)
		}
	}
	// loose is full now (5); its oldest is at t0, so room at t0+60s…
	if w := reserve(t0.Add(40*time.Second), loose); w != 20*time.Second {
		t.Errorf("loose full waits %v, want 20s", w)
	}
	// Forgetting an attempt frees its place at once.
	if err := db.ForgetLoginAttempt(ctx, []postgres.LoginLimit{loose}, t0.Add(33*time.Second)); err != nil {
		t.Fatal(err)
	}
	if w := reserve(t0.Add(41*time.Second), loose); w != 0 {
		t.Errorf("after forgetting one, loose waits %v, want none", w)
	}
	// Clearing a key drops all its failures.
	if err := db.ForgetLoginAttempt(ctx, nil, t0, "tight"); err != nil {
		t.Fatal(err)
	}
	if w := reserve(t0.Add(42*time.Second), tight); w != 0 {
		t.Errorf("cleared tight waits %v, want none", w)
	}

	t.Run("ErrBadLimit", func(t *testing.T) {
		for _, l := range []postgres.LoginLimit{{Key: "k", Max: 0, Window: time.Minute}, {Key: "k", Max: 1, Window: 2 * time.Hour}} {
			if _, err := db.ReserveLoginAttempt(ctx, []postgres.LoginLimit{l}, t0); err == nil {
				t.Errorf("limit %+v accepted", l)
			}
		}
	})
}
