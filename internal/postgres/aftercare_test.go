package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

// kickedOff puts w's pack past its kickoff of 2026-11-10 (first value due
// 2027-02-08), in status, locked on 2026-11-20 at 15:00 UTC when locked.
func (w *packWorld) kickedOff(t *testing.T, status handoff.Status) {
	t.Helper()
	w.exec(t, `UPDATE packs SET status = $2, submitted_version = 1, first_submitted_at = '2026-11-05 15:00Z', submitted_at = '2026-11-05 15:00Z',
		kickoff_on = '2026-11-10', acknowledged_at = '2026-11-10 15:00Z', lock_due_on = '2026-12-10', first_value_due_on = '2027-02-08',
		locked_at = CASE WHEN $2 = 'locked' THEN timestamptz '2026-11-20 15:00Z' END WHERE id = $1`, w.pack, string(status))
}

// version is the pack's version as stored, for a form read now.
func (w *packWorld) version(t *testing.T) int {
	t.Helper()
	var v int
	if err := w.db.Pool.QueryRow(context.Background(), `SELECT version FROM packs WHERE id = $1`, w.pack).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func (w *packWorld) read(t *testing.T, actor *handoff.User) *handoff.Pack {
	t.Helper()
	p, err := w.db.Pack(context.Background(), actor, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func day(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

func TestRecordFirstValue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	today := day("2026-11-25")
	t.Run("RefusedInWords", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		w.kickedOff(t, handoff.StatusAcknowledged)
		events := w.count(t, "pack_events")
		for _, tc := range []struct{ on, what, field, words string }{
			{"2026-11-26", "Live", "on", "cannot be in the future"},
			{"2026-11-09", "Live", "on", "after the kickoff (2026-11-10)"},
			{"26/11/2026", "Live", "on", ""},
			{"2026-11-20", "  ", "what", "Say what the first value was"},
			{"2026-11-20", strings.Repeat("x", handoff.MaxFirstValueWhat+1), "what", ""},
		} {
			_, err := w.db.RecordFirstValue(ctx, w.alex, w.pack, tc.on, tc.what, today, packNow)
			msg := handoff.InvalidFields(err)[tc.field]
			if msg == "" || !strings.Contains(msg, tc.words) {
				t.Errorf("%q, %q: %v, want %s to say %q", tc.on, tc.what, err, tc.field, tc.words)
			}
		}
		if p := w.read(t, w.alex); p.FirstValue != nil || w.count(t, "pack_events") != events {
			t.Errorf("a refused record stored %+v", p.FirstValue)
		}
	})
	t.Run("RecordedThenCorrected", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		w.kickedOff(t, handoff.StatusLocked)
		if changed, err := w.db.RecordFirstValue(ctx, w.alex, w.pack, "2026-11-24", " First 200 agents live ", today, packNow); err != nil || !changed {
			t.Fatal(changed, err)
		}
		p := w.read(t, w.sam)
		if p.FirstValue == nil || !p.FirstValue.On.Equal(day("2026-11-24")) || p.FirstValue.What != "First 200 agents live" {
			t.Fatalf("first value = %+v", p.FirstValue)
		}
		// The same record again (spaces aside) changes nothing and adds no line.
		if changed, err := w.db.RecordFirstValue(ctx, w.alex, w.pack, "2026-11-24", "First 200 agents live", today, packNow.Add(time.Minute)); err != nil || changed {
			t.Fatalf("the same record again: changed %v, %v", changed, err)
		}
		if changed, err := w.db.RecordFirstValue(ctx, w.alex, w.pack, "2026-11-23", "First 200 agents live", today, packNow.Add(time.Hour)); err != nil || !changed {
			t.Fatal(changed, err)
		}
		events, err := w.db.Events(ctx, w.alex, w.pack)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range events {
			if e.Kind == handoff.EventFirstValueRecorded {
				got = append(got, e.Summary)
			}
		}
		if len(got) != 2 || !strings.Contains(strings.Join(got, "|"), "Corrected first value (was 2026-11-24) to 2026-11-23") {
			t.Errorf("events %q", got)
		}
	})
	t.Run("OnlyTheSAAfterTheKickoff", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		if _, err := w.db.RecordFirstValue(ctx, w.alex, w.pack, "2026-11-24", "Live", today, packNow); handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Errorf("before the kickoff: %v", err)
		}
		w.kickedOff(t, handoff.StatusAcknowledged)
		for who, u := range map[string]*handoff.User{"SE": w.sam, "manager": w.morgan} {
			if _, err := w.db.RecordFirstValue(ctx, u, w.pack, "2026-11-24", "Live", today, packNow); handoff.ErrorCode(err) != handoff.EFORBIDDEN {
				t.Errorf("as the %s: %v", who, err)
			}
		}
		if _, err := w.db.RecordFirstValue(ctx, w.jordan, w.pack, "2026-11-24", "Live", today, packNow); handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("as another SA: %v", err)
		}
	})
}

// TestStrategicMarkLeavesTheArchitectureFormValid: a manager marking the
// account strategic while the SA writes the architecture does not refuse the
// SA's save as if the architecture had changed.
func TestStrategicMarkLeavesTheArchitectureFormValid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	w.kickedOff(t, handoff.StatusAcknowledged)
	w.exec(t, `INSERT INTO pack_versions (pack_id, number, documents, submitted_at, submitted_by) VALUES ($1, 1, '{}', $2, $3)`, w.pack, packNow, w.sam.ID)
	opened := w.version(t)
	if err := w.db.MarkStrategic(ctx, w.morgan, w.pack, true, packNow); err != nil {
		t.Fatal(err)
	}
	if err := w.db.SaveArchitecture(ctx, w.alex, w.pack, opened, handoff.Architecture{DocLink: "https://wiki.example/arch"}, packNow); err != nil {
		t.Fatalf("the SA's save after the mark: %v", err)
	}
}

// TestPodReviewClockFollowsTheAccount: the pod review clock runs on a locked
// strategic account, a quarter after the lock day in the org's time zone,
// whichever way the account became strategic, and stops when it is not.
func TestPodReviewClockFollowsTheAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	w.kickedOff(t, handoff.StatusLocked)
	podDue := func() string {
		t.Helper()
		if d := w.read(t, w.morgan).PodReviewDueOn; d != nil {
			return d.Format(time.DateOnly)
		}
		return "none"
	}
	if got := podDue(); got != "none" {
		t.Fatalf("a commercial account has a pod review due %s", got)
	}
	if err := w.db.MarkStrategic(ctx, w.alex, w.pack, true, packNow); handoff.ErrorCode(err) != handoff.EFORBIDDEN {
		t.Errorf("the SA marks the account: %v", err)
	}
	if err := w.db.MarkStrategic(ctx, w.morgan, w.pack, true, packNow); err != nil {
		t.Fatal(err)
	}
	// Locked 2026-11-20 (New York), + 91 days.
	if got := podDue(); got != "2027-02-19" {
		t.Errorf("marked strategic: pod review due %s, want 2027-02-19", got)
	}
	if err := w.db.MarkStrategic(ctx, w.morgan, w.pack, false, packNow); err != nil {
		t.Fatal(err)
	}
	if got := podDue(); got != "none" {
		t.Errorf("mark taken off: pod review due %s", got)
	}
	// The strategic segment, by a manager's correction of the deal.
	p := w.read(t, w.morgan)
	d := p.Deal
	d.Segment = handoff.SegmentStrategic
	if _, err := w.db.CorrectDeal(ctx, w.morgan, w.pack, handoff.DealFingerprint(p.Deal), d, nil, packNow); err != nil {
		t.Fatal(err)
	}
	if got := podDue(); got != "2027-02-19" {
		t.Errorf("corrected to the strategic segment: pod review due %s, want 2027-02-19", got)
	}
	events, err := w.db.Events(ctx, w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	marks := 0
	for _, e := range events {
		if e.Kind == handoff.EventStrategicMarked {
			marks++
		}
	}
	if marks != 2 {
		t.Errorf("%d strategic mark events, want 2", marks)
	}
}
