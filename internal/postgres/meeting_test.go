package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// kickoffAt is a meeting two days after packNow, in Room 4.
func kickoffAt(hours int, place string) handoff.Meeting {
	return handoff.Meeting{StartsAt: time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC).Add(time.Duration(hours) * time.Hour), Minutes: 60, Place: place}
}

// lastEvent is the newest line of the pack's history.
func (w *packWorld) lastEvent(t *testing.T) handoff.Event {
	t.Helper()
	es, err := w.db.Events(context.Background(), w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	return es[0]
}

// meeting reads the pack's kickoff meeting as a manager sees it.
func (w *packWorld) meeting(t *testing.T) *handoff.Meeting {
	t.Helper()
	m, err := w.db.Meeting(context.Background(), w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A meeting's life: scheduled at sequence 0, each change raising it, an
// unchanged form changing nothing, a form based on an older version refused,
// cancelled and scheduled again under the same row.
func TestKickoffMeetingLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")
	w := newPackWorld(t).filled(t)
	events := w.count(t, "pack_events")

	if m := w.meeting(t); m != nil {
		t.Fatalf("a new pack has a meeting: %+v", m)
	}
	changed, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, postgres.NoMeeting, kickoffAt(0, "Room 4"), ny, packNow)
	if err != nil || !changed {
		t.Fatalf("schedule = %v, %v", changed, err)
	}
	m := w.meeting(t)
	if m == nil || m.Sequence != 0 || !m.StartsAt.Equal(kickoffAt(0, "").StartsAt) || m.Minutes != 60 || m.Place != "Room 4" ||
		m.Cancelled() || m.ScheduledBy != "Alex" || !m.ScheduledAt.Equal(packNow) {
		t.Fatalf("meeting = %+v", m)
	}
	if e := w.lastEvent(t); e.Kind != handoff.EventKickoffScheduled || e.Actor != "Alex" ||
		e.Summary != "Scheduled the kickoff meeting for Fri 2026-11-27, 10:00–11:00 EST (America/New_York) at Room 4." {
		t.Errorf("event = %s by %s: %q", e.Kind, e.Actor, e.Summary)
	}
	d, err := w.db.PackDetail(ctx, w.sam, w.pack)
	if err != nil || d.Meeting == nil || d.Meeting.Sequence != 0 {
		t.Fatalf("the pack's detail has meeting %+v (%v)", d.Meeting, err)
	}

	t.Run("SameMeetingChangesNothing", func(t *testing.T) {
		changed, err := w.db.ScheduleKickoff(ctx, w.sam, w.pack, 0, kickoffAt(0, "Room 4"), ny, packNow)
		if err != nil || changed {
			t.Fatalf("schedule the same = %v, %v", changed, err)
		}
		if n := w.count(t, "pack_events"); n != events+1 {
			t.Errorf("%d event lines, want %d", n, events+1)
		}
	})

	t.Run("ChangeRaisesTheSequence", func(t *testing.T) {
		later := packNow.Add(time.Hour)
		if changed, err := w.db.ScheduleKickoff(ctx, w.sam, w.pack, 0, kickoffAt(24, "https://meet.example/acme"), ny, later); err != nil || !changed {
			t.Fatalf("reschedule = %v, %v", changed, err)
		}
		if m := w.meeting(t); m.Sequence != 1 || m.Place != "https://meet.example/acme" || m.ScheduledBy != "Sam" || !m.ScheduledAt.Equal(later) {
			t.Errorf("meeting = %+v", m)
		}
		want := "Changed the kickoff meeting: time Fri 2026-11-27, 10:00–11:00 EST → Sat 2026-11-28, 10:00–11:00 EST; place Room 4 → https://meet.example/acme."
		if e := w.lastEvent(t); e.Kind != handoff.EventKickoffRescheduled || e.Actor != "Sam" || e.Summary != want {
			t.Errorf("event = %s by %s: %q\nwant %q", e.Kind, e.Actor, e.Summary, want)
		}
	})

	t.Run("ErrStaleFormNamesWhoChangedIt", func(t *testing.T) {
		_, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, 0, kickoffAt(48, "Room 9"), ny, packNow)
		if !errors.Is(err, postgres.ErrStale) || handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Fatalf("schedule from sequence 0 = %v, want a stale conflict", err)
		}
		if msg := handoff.ErrorMessage(err); !strings.Contains(msg, "changed by Sam since you opened this page") {
			t.Errorf("message = %q", msg)
		}
		if err := w.db.CancelKickoff(ctx, w.alex, w.pack, postgres.NoMeeting, ny, packNow); !errors.Is(err, postgres.ErrStale) {
			t.Errorf("cancel from a page without the meeting = %v, want stale", err)
		}
		if m := w.meeting(t); m.Sequence != 1 || m.Place != "https://meet.example/acme" {
			t.Errorf("a refused change moved the meeting: %+v", m)
		}
	})

	t.Run("CancelKeepsTheRowAndRaisesTheSequence", func(t *testing.T) {
		if err := w.db.CancelKickoff(ctx, w.alex, w.pack, 1, ny, packNow); err != nil {
			t.Fatal(err)
		}
		m := w.meeting(t)
		if m.Sequence != 2 || !m.Cancelled() || m.ScheduledBy != "Alex" {
			t.Errorf("meeting = %+v", m)
		}
		if e := w.lastEvent(t); e.Kind != handoff.EventKickoffCancelled || e.Summary != "Cancelled the kickoff meeting of Sat 2026-11-28, 10:00–11:00 EST." {
			t.Errorf("event = %s: %q", e.Kind, e.Summary)
		}
		if err := w.db.CancelKickoff(ctx, w.alex, w.pack, 2, ny, packNow); handoff.ErrorCode(err) != handoff.ECONFLICT ||
			handoff.ErrorMessage(err) != "There is no kickoff meeting to cancel." {
			t.Errorf("cancel again = %v", err)
		}
	})

	t.Run("ScheduleAgainAfterCancelling", func(t *testing.T) {
		if changed, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, 2, kickoffAt(0, "Room 4"), ny, packNow); err != nil || !changed {
			t.Fatalf("schedule again = %v, %v", changed, err)
		}
		if m := w.meeting(t); m.Sequence != 3 || m.Cancelled() || m.Place != "Room 4" {
			t.Errorf("meeting = %+v", m)
		}
		if e := w.lastEvent(t); e.Kind != handoff.EventKickoffScheduled {
			t.Errorf("event = %s: %q", e.Kind, e.Summary)
		}
	})
}

// Who schedules and when is handoff.Decide's, asked on the locked row: a
// refusal writes neither the meeting nor an event line.
func TestKickoffMeetingRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		submit bool
		status string
		actor  func(w *packWorld) *handoff.User
		code   string
	}{
		{"EFORBIDDENManager", true, "", func(w *packWorld) *handoff.User { return w.morgan }, handoff.EFORBIDDEN},
		{"ENOTFOUNDOtherSA", true, "", func(w *packWorld) *handoff.User { return w.jordan }, handoff.ENOTFOUND},
		{"ECONFLICTDraft", false, "", func(w *packWorld) *handoff.User { return w.sam }, handoff.ECONFLICT},
		{"ECONFLICTAcknowledged", true, "acknowledged", func(w *packWorld) *handoff.User { return w.alex }, handoff.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newPackWorld(t)
			if tc.submit {
				w.filled(t)
			}
			if tc.status != "" {
				w.exec(t, `UPDATE packs SET status = $2, kickoff_on = '2026-11-25', first_value_due_on = '2027-02-23', acknowledged_at = $3 WHERE id = $1`, w.pack, tc.status, packNow)
			}
			events := w.count(t, "pack_events")
			_, err := w.db.ScheduleKickoff(ctx, tc.actor(w), w.pack, postgres.NoMeeting, kickoffAt(0, "Room 4"), time.UTC, packNow)
			if handoff.ErrorCode(err) != tc.code {
				t.Fatalf("schedule = %v, want %s", err, tc.code)
			}
			if err := w.db.CancelKickoff(ctx, tc.actor(w), w.pack, postgres.NoMeeting, time.UTC, packNow); handoff.ErrorCode(err) != tc.code {
				t.Errorf("cancel = %v, want %s", err, tc.code)
			}
			if n := w.count(t, "kickoff_meetings"); n != 0 {
				t.Errorf("%d meetings stored", n)
			}
			if n := w.count(t, "pack_events"); n != events {
				t.Errorf("%d event lines written", n-events)
			}
		})
	}
}

// The schema holds the limits the domain relies on.
func TestKickoffMeetingSchemaChecks(t *testing.T) {
	t.Parallel()
	w := newPackWorld(t)
	for name, sql := range map[string]string{
		"ErrTooShort":   `INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, scheduled_at) VALUES ($1, now(), 10, 'Room', now())`,
		"ErrTooLong":    `INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, scheduled_at) VALUES ($1, now(), 481, 'Room', now())`,
		"ErrNoPlace":    `INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, scheduled_at) VALUES ($1, now(), 60, '', now())`,
		"ErrNegSeq":     `INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, sequence, scheduled_at) VALUES ($1, now(), 60, 'Room', -1, now())`,
		"ErrTwoPerPack": `INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, scheduled_at) VALUES ($1, now(), 60, 'A', now()), ($1, now(), 60, 'B', now())`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := w.db.Pool.Exec(context.Background(), sql, w.pack); err == nil {
				t.Errorf("stored: %s", sql)
			}
		})
	}
}
