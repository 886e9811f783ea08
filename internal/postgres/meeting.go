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
	SELECT m.starts_at, m.minutes, m.place, m.sequence, m.cancelled_at, coalesce(u.name, '') AS scheduled_by, m.scheduled_at
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
			CancelledAt: m.CancelledAt, ScheduledBy: m.ScheduledBy, ScheduledAt: m.ScheduledAt}, nil
	}}

type meetingRow struct {
	StartsAt    time.Time  `db:"starts_at"`
	Minutes     int        `db:"minutes"`
	Place       string     `db:"place"`
	Sequence    int        `db:"sequence"`
	CancelledAt *time.Time `db:"cancelled_at"`
	ScheduledBy string     `db:"scheduled_by"`
	ScheduledAt time.Time  `db:"scheduled_at"`
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
// mailed for it replaces the one in everyone's calendar. loc is the org's
// zone, the history line's. It reports whether anything changed: the same
// meeting again records nothing and mails nobody. A form based on another
// version is refused as stale (ErrStale): someone changed the meeting since.
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
			var e handoff.Event
			switch {
			case cur == nil:
				_, err = tx.Exec(ctx, `
					INSERT INTO kickoff_meetings (pack_id, starts_at, minutes, place, sequence, scheduled_by, scheduled_at)
					VALUES ($1, $2, $3, $4, 0, $5, $6)`, packID, m.StartsAt, m.Minutes, m.Place, actor.ID, now)
				e = handoff.KickoffScheduledEvent(m, loc)
			case !cur.Cancelled() && cur.SameAs(m):
				return handoff.Event{}, nil
			default:
				_, err = tx.Exec(ctx, `
					UPDATE kickoff_meetings SET starts_at = $2, minutes = $3, place = $4, sequence = sequence + 1,
					       cancelled_at = NULL, scheduled_by = $5, scheduled_at = $6
					WHERE pack_id = $1`, packID, m.StartsAt, m.Minutes, m.Place, actor.ID, now)
				e = handoff.KickoffRescheduledEvent(*cur, m, loc)
				if cur.Cancelled() {
					e = handoff.KickoffScheduledEvent(m, loc)
				}
			}
			if err != nil {
				return handoff.Event{}, fmt.Errorf("store the meeting: %w", err)
			}
			changed = true
			return e, nil
		})
	return changed, err
}

// CancelKickoff calls off pack packID's kickoff meeting for actor, from a
// form based on meeting version seq. The row stays, with its sequence
// raised, so the cancellation mailed for it removes the event from
// everyone's calendar, and scheduling again brings the same event back.
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
