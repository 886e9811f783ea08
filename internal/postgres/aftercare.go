package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// After the lock (README.md, "After the lock"): first value and the pod
// review clock's due day. The pod review record itself is in podreview.go.

// RecordFirstValue stores the day the customer first got value and what it
// was, which stops the first value clock; recording it again corrects the
// record, and the event says what it was before. A record the same as the
// stored one changes nothing and reports changed false. today is the org's
// day.
func (db *DB) RecordFirstValue(ctx context.Context, actor *handoff.User, packID int64, on, what string, today, now time.Time) (changed bool, err error) {
	err = db.transition(ctx, actor, "record first value of", packID, handoff.ActFirstValue, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			fv, err := handoff.ValidateFirstValue(on, what, p.KickoffOn, today)
			if err != nil {
				return handoff.Event{}, err
			}
			if p.FirstValue.Same(fv) {
				return handoff.Event{}, nil // nothing changes, nothing to record
			}
			changed = true
			if _, err := tx.Exec(ctx, `
				UPDATE packs SET first_value_on = $2, first_value_what = $3, first_value_recorded_at = $4,
				       first_value_recorded_by = $5, version = version + 1, updated_at = $4
				WHERE id = $1`, packID, fv.On, fv.What, now, actor.ID); err != nil {
				return handoff.Event{}, err
			}
			return handoff.FirstValueEvent(p.FirstValue, fv), nil
		})
	return changed && err == nil, err
}

// syncPodReviewClock sets pack packID's pod review due day from what it
// depends on, as the transaction sees them: whether the account is
// strategic, the pack's status, its lock day in the org's time zone and its
// latest review (deadline.NextPodReview). Every write that changes one of
// them calls it in its transaction.
func syncPodReviewClock(ctx context.Context, tx pgx.Tx, packID int64) error {
	var (
		status, zone string
		strategic    bool
		lockedAt     *time.Time
		lastReview   *time.Time
	)
	err := tx.QueryRow(ctx, `
		SELECT p.status, d.segment = 'strategic' OR d.strategic_marked, p.locked_at,
		       (SELECT max(r.held_on) FROM pod_reviews r WHERE r.pack_id = p.id), s.time_zone
		FROM packs p JOIN deals d ON d.id = p.deal_id CROSS JOIN org_settings s
		WHERE p.id = $1`, packID).Scan(&status, &strategic, &lockedAt, &lastReview, &zone)
	if err != nil {
		return fmt.Errorf("postgres: pod review clock of pack %d: %w", packID, err)
	}
	var locked deadline.Day
	if lockedAt != nil {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return fmt.Errorf("postgres: pod review clock of pack %d: %w", packID, err)
		}
		locked = deadline.DayOf(*lockedAt, loc)
	}
	due := deadline.NextPodReview(strategic, handoff.Status(status), locked, civilOf(lastReview))
	if _, err := tx.Exec(ctx, `UPDATE packs SET pod_review_due_on = $2 WHERE id = $1 AND pod_review_due_on IS DISTINCT FROM $2`,
		packID, dayOrNil(due)); err != nil {
		return fmt.Errorf("postgres: pod review clock of pack %d: %w", packID, err)
	}
	return nil
}

// civilOf is a stored civil date as a Day; zero for nil.
func civilOf(t *time.Time) deadline.Day {
	if t == nil {
		return deadline.Day{}
	}
	return deadline.DayOf(*t, time.UTC)
}

// MarkStrategic puts a manager's strategic mark on the account of pack
// packID, or takes it off. On a locked pack that starts or stops its pod
// review clock.
func (db *DB) MarkStrategic(ctx context.Context, actor *handoff.User, packID int64, marked bool, now time.Time) error {
	return db.transition(ctx, actor, "mark strategic", packID, handoff.ActMarkStrategic, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if p.Deal.StrategicMarked == marked {
				return handoff.Event{}, nil // nothing changes, nothing to record
			}
			if _, err := tx.Exec(ctx, `UPDATE deals SET strategic_marked = $2, updated_at = $3 WHERE id = $1`, p.Deal.ID, marked, now); err != nil {
				return handoff.Event{}, err
			}
			// The pack's version stays: the mark is the deal's, like a deal
			// correction, and must not refuse the SA's architecture form
			// as if the architecture had changed.
			if _, err := tx.Exec(ctx, `UPDATE packs SET updated_at = $2 WHERE id = $1`, packID, now); err != nil {
				return handoff.Event{}, err
			}
			if err := syncPodReviewClock(ctx, tx, packID); err != nil {
				return handoff.Event{}, err
			}
			return handoff.StrategicMarkedEvent(marked, p.Deal.Segment), nil
		})
}
