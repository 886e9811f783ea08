package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// The kickoff meeting of a pack (kickoff_meetings, one row per pack). Its
// changes are transitions: handoff.Decide (ActScheduleKickoff) on the
// locked pack row, the meeting row changed, and the event line that the
// jobs sweep turns into the calendar invite, all in one transaction.

// NoMeeting is the meeting version of a form made when the pack had no
// kickoff meeting yet.
const NoMeeting = -1

var readMeeting = read[*handoff.Meeting]{`
	SELECT m.starts_at, m.minutes, m.place, m.sequence, m.cancelled_at, coalesce(u.name, '') AS scheduled_by, m.scheduled_at,
	       coalesce((SELECT json_agg(json_build_object('role', i.role, 'name', i.name, 'email', i.email)
	                                 ORDER BY array_position(ARRAY['SE', 'SA', 'AE', 'CSM'], i.role))
	                 FROM kickoff_invitees i WHERE i.pack_id = m.pack_id AND NOT i.removed), '[]') AS invitees
	FROM kickoff_meetings m LEFT JOIN users u ON u.id = m.scheduled_by
	WHERE m.pack_id = $1`,
	func(rows pgx.Rows) (*handoff.Meeting, error) {
		m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[meetingRow])
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil // no meeting is a state of the pack, not a missing row
		}
		if err != nil {
			return nil, err
		}
		return &handoff.Meeting{StartsAt: m.StartsAt, Minutes: m.Minutes, Place: m.Place, Sequence: m.Sequence,
			CancelledAt: m.CancelledAt, ScheduledBy: m.ScheduledBy, ScheduledAt: m.ScheduledAt, Invitees: m.Invitees}, nil
	}}

type meetingRow struct {
	StartsAt    time.Time  `db:"starts_at"`
	Minutes     int        `db:"minutes"`
	Place       string     `db:"place"`
	Sequence    int        `db:"sequence"`
	CancelledAt *time.Time `db:"cancelled_at"`
	ScheduledBy string     `db:"scheduled_by"`
	ScheduledAt time.Time  `db:"scheduled_at"`
	// Invitees decode from JSON objects whose keys match the field names.
	Invitees []handoff.Invitee `db:"invitees"`
}

// Meeting returns pack packID's kickoff meeting, nil when none was ever
// scheduled, if actor may see the pack.
func (db *DB) Meeting(ctx context.Context, actor *handoff.User, packID int64) (*handoff.Meeting, error) {
	return readPart(ctx, db, actor, "kickoff meeting", packID, readMeeting)
}

// ScheduleKickoff sets pack packID's kickoff meeting to m (its time, length
// and place) for actor, from a form based on meeting version seq (its
// Sequence, or NoMeeting). A first meeting starts at sequence 0; a change,
// or scheduling a cancelled one again, raises the sequence, so the invite
// mailed for it replaces the one in everyone's calendar. The people invited
// are decided again (writeInvitees): whoever left the deal while the
// meeting was cancelled gets a cancellation. loc is the org's zone, the
// history line's. It reports whether anything changed: the same meeting
// again records nothing and mails nobody. A form based on another version
// is refused as stale (ErrStale): someone changed the meeting since. A
// change beyond handoff.MaxMeetingChanges a day is refused (ERATELIMITED).
func (db *DB) ScheduleKickoff(ctx context.Context, actor *handoff.User, packID int64, seq int, m handoff.Meeting,
	loc *time.Location, now time.Time) (changed bool, err error) {
	err = db.transition(ctx, actor, "schedule the kickoff of", packID, handoff.ActScheduleKickoff, now,
		func(tx pgx.Tx, _ *handoff.Pack) (handoff.Event, error) {
			cur, err := readMeeting.run(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			if err := staleMeeting(cur, seq); err != nil {
				return handoff.Event{}, err
			}
			if cur != nil && !cur.Cancelled() && cur.SameAs(m) {
				return handoff.Event{}, nil
			}
			if err := meetingChangeRate(ctx, tx, packID, loc, now); err != nil {
				return handoff.Event{}, err
			}
			var e handoff.Event
			next := 0
			if cur == nil {
				_, err = tx.Exec(ctx, `
					INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, sequence, scheduled_by, scheduled_at)
					VALUES ($1, $2, $3, $4, 0, $5, $6)`, packID, m.StartsAt, m.Minutes, m.Place, actor.ID, now)
				e = handoff.KickoffScheduledEvent(m, loc)
			} else {
				err = tx.QueryRow(ctx, `
					UPDATE kickoff_meetings SET starts_at = $2, minutes = $3, place = $4, sequence = sequence + 1,
					       cancelled_at = NULL, scheduled_by = $5, scheduled_at = $6
					WHERE pack_id = $1 RETURNING sequence`, packID, m.StartsAt, m.Minutes, m.Place, actor.ID, now).Scan(&next)
				e = handoff.KickoffRescheduledEvent(*cur, m, loc)
				if cur.Cancelled() {
					e = handoff.KickoffScheduledEvent(m, loc)
				}
			}
			if err != nil {
				return handoff.Event{}, fmt.Errorf("store the meeting: %w", err)
			}
			people, err := meetingPeople(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			if _, _, err := writeInvitees(ctx, tx, packID, people.Invitees(), next); err != nil {
				return handoff.Event{}, err
			}
			changed = true
			return e, nil
		})
	return changed, err
}

// CancelKickoff calls off pack packID's kickoff meeting for actor, from a
// form based on meeting version seq. The row stays, with its sequence
// raised, so the cancellation mailed for it removes the event from the
// calendar of everyone invited, and scheduling again brings the same event
// back. It counts as a change towards handoff.MaxMeetingChanges.
func (db *DB) CancelKickoff(ctx context.Context, actor *handoff.User, packID int64, seq int, loc *time.Location, now time.Time) error {
	return db.transition(ctx, actor, "cancel the kickoff of", packID, handoff.ActScheduleKickoff, now,
		func(tx pgx.Tx, _ *handoff.Pack) (handoff.Event, error) {
			cur, err := readMeeting.run(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			if err := staleMeeting(cur, seq); err != nil {
				return handoff.Event{}, err
			}
			if cur == nil || cur.Cancelled() {
				return handoff.Event{}, handoff.Errorf(handoff.ECONFLICT, "There is no kickoff meeting to cancel.")
			}
			if err := meetingChangeRate(ctx, tx, packID, loc, now); err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `
				UPDATE kickoff_meetings SET sequence = sequence + 1, cancelled_at = $2, scheduled_by = $3, scheduled_at = $2
				WHERE pack_id = $1`, packID, now, actor.ID); err != nil {
				return handoff.Event{}, fmt.Errorf("cancel the meeting: %w", err)
			}
			return handoff.KickoffCancelledEvent(*cur, loc), nil
		})
}

// staleMeeting refuses a change made from a form based on meeting version
// seq when the stored meeting cur is at another: the other person on the
// pack changed it meanwhile, and this change was made without seeing theirs.
func staleMeeting(cur *handoff.Meeting, seq int) error {
	stored := NoMeeting
	if cur != nil {
		stored = cur.Sequence
	}
	if stored == seq {
		return nil
	}
	if cur != nil && cur.ScheduledBy != "" {
		return errStale("The kickoff meeting was changed by " + cur.ScheduledBy + " since you opened this page. " +
			"It stands as shown; nothing of yours is saved yet.")
	}
	return errStale("The kickoff meeting was changed since you opened this page. It stands as shown; nothing of yours is saved yet.")
}

// meetingChangeRate refuses one more change of pack packID's kickoff
// meeting at now when it changed too often lately (handoff.CheckMeetingChangeRate).
func meetingChangeRate(ctx context.Context, tx pgx.Tx, packID int64, loc *time.Location, now time.Time) error {
	rows, err := tx.Query(ctx, `SELECT at FROM pack_events WHERE pack_id = $1 AND kind = ANY($2) AND at > $3`,
		packID, handoff.MeetingChangeKinds, now.Add(-handoff.MeetingChangeWindow))
	if err != nil {
		return fmt.Errorf("recent meeting changes: %w", err)
	}
	recent, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil {
		return fmt.Errorf("recent meeting changes: %w", err)
	}
	return handoff.CheckMeetingChangeRate(recent, now, loc)
}

// meetingPeople reads the people on pack packID's deal as its invite sees
// them, as the transaction sees them (after a change of them in it).
func meetingPeople(ctx context.Context, tx pgx.Tx, packID int64) (handoff.MeetingPeople, error) {
	var p handoff.MeetingPeople
	err := tx.QueryRow(ctx, `
		SELECT se.name, se.email, se.active, coalesce(sa.name, ''), coalesce(sa.email, ''), coalesce(sa.active, false),
		       d.ae_name, d.ae_email, d.csm_name, d.csm_email
		FROM packs p
		JOIN deals d ON d.id = p.deal_id
		JOIN users se ON se.id = d.se_id
		LEFT JOIN users sa ON sa.id = d.sa_id
		WHERE p.id = $1`, packID).Scan(&p.SE.Name, &p.SE.Email, &p.SE.Active, &p.SA.Name, &p.SA.Email, &p.SA.Active,
		&p.AE.Name, &p.AE.Email, &p.CSM.Name, &p.CSM.Email)
	if err != nil {
		return p, fmt.Errorf("the people on the deal: %w", err)
	}
	return p, nil
}

// writeInvitees makes invited, at sequence seq, the people pack packID's
// kickoff invite goes to, and returns who that adds and who it takes off.
// Whoever it takes off stays as a removed row at seq, their cancellation to
// send (the jobs delete the row once mailed); someone added back before
// that is simply invited again.
func writeInvitees(ctx context.Context, tx pgx.Tx, packID int64, invited []handoff.Invitee, seq int) (added, removed []handoff.Invitee, err error) {
	rows, err := tx.Query(ctx, `SELECT role, name, email FROM kickoff_invitees WHERE pack_id = $1 AND NOT removed`, packID)
	if err != nil {
		return nil, nil, fmt.Errorf("the invitees: %w", err)
	}
	was, err := pgx.CollectRows(rows, pgx.RowToStructByPos[handoff.Invitee])
	if err != nil {
		return nil, nil, fmt.Errorf("the invitees: %w", err)
	}
	added, removed = handoff.InviteeChanges(was, invited)
	for _, r := range removed {
		if _, err := tx.Exec(ctx, `UPDATE kickoff_invitees SET removed = true, sequence = $3 WHERE pack_id = $1 AND email = $2`,
			packID, r.Email, seq); err != nil {
			return nil, nil, fmt.Errorf("take %s off the invite: %w", r.Email, err)
		}
	}
	for _, i := range invited {
		if _, err := tx.Exec(ctx, `
			INSERT INTO kickoff_invitees (pack_id, email, role, name, sequence) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (pack_id, email) DO UPDATE SET role = $3, name = $4, sequence = $5, removed = false`,
			packID, i.Email, i.Role, i.Name, seq); err != nil {
			return nil, nil, fmt.Errorf("invite %s: %w", i.Email, err)
		}
	}
	return added, removed, nil
}

// kickoffFollowsPeople is the kickoff invite following a change of the
// people on pack p's deal (a reassignment, a deal correction), made by
// actor inside tx, the change's own transaction, after it wrote them. While
// the meeting stands (handoff.MeetingLive) and the people invited change,
// it raises the meeting's sequence, stores who is invited now and who is
// taken off, and records the event the jobs mail: the updated invite to
// everyone now on it, a cancellation to whoever left. Otherwise it does
// nothing: a cancelled meeting invites the people of the day it is
// scheduled again.
func (db *DB) kickoffFollowsPeople(ctx context.Context, tx pgx.Tx, actor *handoff.User, p *handoff.Pack, now time.Time) error {
	cur, err := readMeeting.run(ctx, tx, p.ID)
	if err != nil || !handoff.MeetingLive(p.Status, cur) {
		return err
	}
	people, err := meetingPeople(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	invited := people.Invitees()
	if added, removed := handoff.InviteeChanges(cur.Invitees, invited); len(added) == 0 && len(removed) == 0 {
		// The same addresses: a new name or role is stored for the next
		// invite, and nobody is mailed now.
		_, _, err := writeInvitees(ctx, tx, p.ID, invited, cur.Sequence)
		return err
	}
	// Who changed it is who the card names and whom a stale meeting form
	// says changed it since.
	var next int
	if err := tx.QueryRow(ctx, `UPDATE kickoff_meetings SET sequence = sequence + 1, scheduled_by = $2, scheduled_at = $3
		WHERE pack_id = $1 RETURNING sequence`, p.ID, actor.ID, now).Scan(&next); err != nil {
		return fmt.Errorf("raise the meeting's sequence: %w", err)
	}
	added, removed, err := writeInvitees(ctx, tx, p.ID, invited, next)
	if err != nil {
		return err
	}
	return db.addEvent(ctx, tx, p.ID, actor.ID, now, handoff.KickoffInviteesChangedEvent(added, removed))
}
