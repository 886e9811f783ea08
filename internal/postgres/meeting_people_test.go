package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// invitees lists the pack's kickoff_invitees rows, "email role sequence"
// and " removed" for someone whose cancellation is on its way, by email.
func (w *packWorld) invitees(t *testing.T) string {
	t.Helper()
	rows, err := w.db.Pool.Query(context.Background(), `
		SELECT email || ' ' || role || ' ' || sequence || CASE WHEN removed THEN ' removed' ELSE '' END
		FROM kickoff_invitees WHERE pack_id = $1 ORDER BY email`, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, ", ")
}

// kinds are the kinds of the pack's history, newest first.
func (w *packWorld) kinds(t *testing.T) []string {
	t.Helper()
	es, err := w.db.Events(context.Background(), w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Kind)
	}
	return out
}

// inviteEvent is the newest kickoff_invitees_changed line of the history,
// or the zero Event.
func (w *packWorld) inviteEvent(t *testing.T) handoff.Event {
	t.Helper()
	es, err := w.db.Events(context.Background(), w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Kind == handoff.EventKickoffInviteesChanged {
			return e
		}
	}
	return handoff.Event{}
}

// correct has Morgan (a manager) correct the deal with f applied to it.
func (w *packWorld) correct(t *testing.T, f func(d *handoff.Deal), now time.Time) {
	t.Helper()
	ctx := context.Background()
	p, err := w.db.Pack(ctx, w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	d := p.Deal
	f(&d)
	if _, err := w.db.CorrectDeal(ctx, w.morgan, w.pack, handoff.DealFingerprint(p.Deal), d, correctionDue, now); err != nil {
		t.Fatal(err)
	}
}

// The invite follows the people on the deal while the meeting stands: a
// reassignment or a correction of the AE or CSM raises the sequence, stores
// who is invited now and who is taken off, and records the event the jobs
// mail, all in the change's own transaction.
func TestKickoffInviteesFollowThePeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")
	w := newPackWorld(t).filled(t)
	if _, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, postgres.NoMeeting, kickoffAt(0, "Room 4"), ny, packNow); err != nil {
		t.Fatal(err)
	}
	if got := handoff.Labels(w.meeting(t).Invitees); strings.Join(got, ", ") != "Sam (SE), Alex (SA)" {
		t.Fatalf("invited when scheduled = %q", got)
	}
	if got := w.invitees(t); got != "alex@example.com SA 0, sam@example.com SE 0" {
		t.Fatalf("rows = %s", got)
	}
	later := packNow.Add(time.Hour)

	t.Run("SASwapped", func(t *testing.T) {
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.jordan.ID, later); err != nil {
			t.Fatal(err)
		}
		m := w.meeting(t)
		if m.Sequence != 1 || m.ScheduledBy != "Morgan" || !m.ScheduledAt.Equal(later) || m.Place != "Room 4" {
			t.Errorf("meeting = %+v", m)
		}
		if got := strings.Join(handoff.Labels(m.Invitees), ", "); got != "Sam (SE), Jordan (SA)" {
			t.Errorf("invited = %q", got)
		}
		if got := w.invitees(t); got != "alex@example.com SA 1 removed, jordan@example.com SA 1, sam@example.com SE 1" {
			t.Errorf("rows = %s", got)
		}
		if k := w.kinds(t); k[0] != handoff.EventReassigned || k[1] != handoff.EventKickoffInviteesChanged {
			t.Errorf("history = %v", k[:2])
		}
		if e := w.inviteEvent(t); e.Actor != "Morgan" || e.Summary != "Updated the kickoff invite: sent to Jordan (SA); withdrawn from Alex (SA)." {
			t.Errorf("event by %s: %q", e.Actor, e.Summary)
		}
	})

	t.Run("ENOTFOUNDTheOldSACannotChangeIt", func(t *testing.T) {
		_, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, 1, kickoffAt(24, "Room 9"), ny, later)
		if handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("the old SA schedules = %v, want not found", err)
		}
		if err := w.db.CancelKickoff(ctx, w.alex, w.pack, 1, ny, later); handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("the old SA cancels = %v, want not found", err)
		}
		if _, err := w.db.ScheduleKickoff(ctx, w.jordan, w.pack, 1, kickoffAt(24, "Room 9"), ny, later); err != nil {
			t.Errorf("the new SA changes it: %v", err)
		}
		if m := w.meeting(t); m.Sequence != 2 || m.Place != "Room 9" {
			t.Errorf("meeting = %+v", m)
		}
	})

	t.Run("SEReassignedAndBack", func(t *testing.T) {
		// Priya in, then Sam back before any mail: Sam is simply invited
		// again, and Priya, taken off, gets the cancellation.
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.priya.ID, w.jordan.ID, later); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.ScheduleKickoff(ctx, w.sam, w.pack, 3, kickoffAt(48, "Room 9"), ny, later); handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("the old SE schedules = %v, want not found", err)
		}
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.jordan.ID, later); err != nil {
			t.Fatal(err)
		}
		if got := w.invitees(t); got != "alex@example.com SA 1 removed, jordan@example.com SA 4, priya@example.com SE 4 removed, sam@example.com SE 4" {
			t.Errorf("rows = %s", got)
		}
	})

	t.Run("AEAddedByCorrection", func(t *testing.T) {
		w.correct(t, func(d *handoff.Deal) { d.AE = handoff.Contact{Name: "Ann Exec", Email: "ann@acme.example"} }, later)
		m := w.meeting(t)
		if m.Sequence != 5 || strings.Join(handoff.Labels(m.Invitees), ", ") != "Sam (SE), Jordan (SA), Ann Exec (AE)" {
			t.Errorf("meeting at %d invites %q", m.Sequence, handoff.Labels(m.Invitees))
		}
		if e := w.inviteEvent(t); e.Summary != "Updated the kickoff invite: sent to Ann Exec (AE)." {
			t.Errorf("event = %q", e.Summary)
		}
		if k := w.kinds(t); k[0] != handoff.EventDealCorrected || k[1] != handoff.EventKickoffInviteesChanged {
			t.Errorf("history = %v", k[:2])
		}
	})

	t.Run("OtherFactsSendNothing", func(t *testing.T) {
		events := w.count(t, "pack_events")
		// A new ARR, and the AE's name with the same address: nobody is
		// added or taken off, so nothing is mailed; the name is kept for
		// the next invite.
		w.correct(t, func(d *handoff.Deal) {
			d.ARR = handoff.Money{Minor: 20_000_000, Currency: "USD"}
			d.AE.Name = "Ann Executive"
		}, later)
		if n := w.count(t, "pack_events"); n != events+1 {
			t.Errorf("%d event lines written, want only the correction's", n-events)
		}
		if m := w.meeting(t); m.Sequence != 5 || strings.Join(handoff.Labels(m.Invitees), ", ") != "Sam (SE), Jordan (SA), Ann Executive (AE)" {
			t.Errorf("meeting at %d invites %q", m.Sequence, handoff.Labels(m.Invitees))
		}
	})
}

// While the meeting does not stand (cancelled, or the pack acknowledged),
// a change of the people mails nobody; a cancelled meeting scheduled again
// invites the people of that day, and whoever left meanwhile gets a
// cancellation.
func TestKickoffInviteesOnlyFollowAStandingMeeting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")

	t.Run("Cancelled", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t).filled(t)
		if _, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, postgres.NoMeeting, kickoffAt(0, "Room 4"), ny, packNow); err != nil {
			t.Fatal(err)
		}
		if err := w.db.CancelKickoff(ctx, w.alex, w.pack, 0, ny, packNow); err != nil {
			t.Fatal(err)
		}
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.jordan.ID, packNow); err != nil {
			t.Fatal(err)
		}
		if e := w.inviteEvent(t); e.Kind != "" {
			t.Errorf("a cancelled meeting followed the people: %q", e.Summary)
		}
		if m, rows := w.meeting(t), w.invitees(t); m.Sequence != 1 || rows != "alex@example.com SA 0, sam@example.com SE 0" {
			t.Errorf("meeting at %d, rows %s", m.Sequence, rows)
		}
		if _, err := w.db.ScheduleKickoff(ctx, w.jordan, w.pack, 1, kickoffAt(24, "Room 4"), ny, packNow); err != nil {
			t.Fatal(err)
		}
		if got := w.invitees(t); got != "alex@example.com SA 2 removed, jordan@example.com SA 2, sam@example.com SE 2" {
			t.Errorf("rows = %s", got)
		}
	})

	t.Run("Acknowledged", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t).filled(t)
		if _, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, postgres.NoMeeting, kickoffAt(0, "Room 4"), ny, packNow); err != nil {
			t.Fatal(err)
		}
		w.exec(t, `UPDATE packs SET status = 'acknowledged', kickoff_on = '2026-11-27', first_value_due_on = '2027-02-25', acknowledged_at = $2 WHERE id = $1`, w.pack, packNow)
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.jordan.ID, packNow); err != nil {
			t.Fatal(err)
		}
		if e := w.inviteEvent(t); e.Kind != "" {
			t.Errorf("an acknowledged pack's meeting followed the people: %q", e.Summary)
		}
		if m := w.meeting(t); m.Sequence != 0 {
			t.Errorf("sequence = %d", m.Sequence)
		}
	})
}

// Each change of the meeting mails everyone invited, the AE and CSM at
// addresses typed by hand: the SE and SA get handoff.MaxMeetingChanges a
// day, refused beyond with nothing written; a manager's change of the
// people is not counted nor refused.
func TestKickoffMeetingChangeRate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")
	w := newPackWorld(t).filled(t)
	at := func(i int) time.Time { return packNow.Add(time.Duration(i) * time.Minute) }
	seq := postgres.NoMeeting
	for i := range handoff.MaxMeetingChanges {
		if _, err := w.db.ScheduleKickoff(ctx, w.sam, w.pack, seq, kickoffAt(i, "Room "+strconv.Itoa(i)), ny, at(i)); err != nil {
			t.Fatalf("change %d: %v", i+1, err)
		}
		seq = i
	}
	events := w.count(t, "pack_events")
	now := at(handoff.MaxMeetingChanges)

	_, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, seq, kickoffAt(40, "Room 40"), ny, now)
	if handoff.ErrorCode(err) != handoff.ERATELIMITED || !strings.Contains(handoff.ErrorMessage(err), "It can change again from Thu 2026-11-26 12:00 EST.") {
		t.Fatalf("change 11 = %v, want rate limited until the first leaves the day", err)
	}
	if err := w.db.CancelKickoff(ctx, w.alex, w.pack, seq, ny, now); handoff.ErrorCode(err) != handoff.ERATELIMITED {
		t.Errorf("cancel = %v, want rate limited", err)
	}
	if changed, err := w.db.ScheduleKickoff(ctx, w.alex, w.pack, seq, kickoffAt(seq, "Room "+strconv.Itoa(seq)), ny, now); err != nil || changed {
		t.Errorf("the same meeting again = %v, %v: it changes nothing, so nothing refuses it", changed, err)
	}
	if m := w.meeting(t); m.Sequence != seq || m.Place != "Room 9" {
		t.Errorf("a refused change moved the meeting: %+v", m)
	}
	if n := w.count(t, "pack_events"); n != events {
		t.Errorf("%d event lines written", n-events)
	}

	if err := w.db.Assign(ctx, w.morgan, w.pack, w.sam.ID, w.jordan.ID, now); err != nil {
		t.Fatalf("the manager's reassignment at the limit: %v", err)
	}
	if e := w.inviteEvent(t); e.Kind == "" {
		t.Error("the reassignment at the limit did not update the invite")
	}
	seq++
	if _, err := w.db.ScheduleKickoff(ctx, w.jordan, w.pack, seq, kickoffAt(40, "Room 40"), ny, at(0).Add(handoff.MeetingChangeWindow)); err != nil {
		t.Errorf("a change a day after the first: %v", err)
	}
}

// The schema holds what the invitee list relies on.
func TestKickoffInviteesSchemaChecks(t *testing.T) {
	t.Parallel()
	w := newPackWorld(t)
	const meeting = `WITH m AS (INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, scheduled_at)
		VALUES ($1, now(), 60, 'Room', now()) RETURNING pack_id) `
	for name, sql := range map[string]string{
		"ErrUpperCaseEmail": meeting + `INSERT INTO kickoff_invitees (pack_id, email, role, name, sequence) SELECT pack_id, 'Sam@example.com', 'SE', 'Sam', 0 FROM m`,
		"ErrNoEmail":        meeting + `INSERT INTO kickoff_invitees (pack_id, email, role, name, sequence) SELECT pack_id, '', 'SE', 'Sam', 0 FROM m`,
		"ErrRole":           meeting + `INSERT INTO kickoff_invitees (pack_id, email, role, name, sequence) SELECT pack_id, 'sam@example.com', 'CEO', 'Sam', 0 FROM m`,
		"ErrNegSeq":         meeting + `INSERT INTO kickoff_invitees (pack_id, email, role, name, sequence) SELECT pack_id, 'sam@example.com', 'SE', 'Sam', -1 FROM m`,
		"ErrNoMeeting":      `INSERT INTO kickoff_invitees (pack_id, email, role, name, sequence) VALUES ($1, 'sam@example.com', 'SE', 'Sam', 0)`,
		"ErrTwice": meeting + `INSERT INTO kickoff_invitees (pack_id, email, role, name, sequence)
			SELECT pack_id, 'sam@example.com', r, 'Sam', 0 FROM m, unnest(ARRAY['SE', 'AE']) r`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := w.db.Pool.Exec(context.Background(), sql, w.pack); err == nil {
				t.Errorf("stored: %s", sql)
			}
		})
	}
}
