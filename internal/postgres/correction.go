package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// CorrectDeal corrects the facts of pack packID's deal (README.md): what d
// holds of account, opportunity, CRM id, segment, ARR, Closed-Won, AE and
// CSM; the deal's people stay. In one transaction with its event line it
// checks on the locked row that actor may (handoff.Decide, ActCorrectDeal),
// that the facts are still those the form showed (fingerprint,
// handoff.DealFingerprint: a correction overtaken by another is refused, not
// silently undone) and handoff.CheckCorrection. A moved Closed-Won
// recomputes the due dates of the clocks still running from the calendar
// the transaction sees (due); clocks already met keep theirs. It returns the
// changes in words, none when nothing changed (and then writes nothing). A
// CRM id already in use is an EINVALID error on that field. A kickoff
// meeting standing then follows a new AE or CSM (kickoffFollowsPeople).
func (db *DB) CorrectDeal(ctx context.Context, actor *handoff.User, packID int64, fingerprint string, d handoff.Deal,
	due DueSource, now time.Time) ([]string, error) {
	var changes []string
	err := db.transition(ctx, actor, "correct the deal of", packID, handoff.ActCorrectDeal, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if handoff.DealFingerprint(p.Deal) != fingerprint {
				return handoff.Event{}, errStale("Someone corrected this deal since you opened the form. Your corrections are not saved yet.")
			}
			if err := handoff.CheckCorrection(p, d); err != nil {
				return handoff.Event{}, err
			}
			if changes = handoff.DealChanges(p.Deal, d); len(changes) == 0 {
				return handoff.Event{}, nil
			}
			var crm *string
			if d.CRMOpportunityID != "" {
				crm = &d.CRMOpportunityID
			}
			_, err := tx.Exec(ctx, `
				UPDATE deals SET account_name = $2, opportunity_name = $3, crm_opportunity_id = $4, segment = $5,
				       arr_minor = $6, arr_currency = $7, closed_won_on = $8, ae_name = $9, ae_email = $10,
				       csm_name = $11, csm_email = $12, updated_at = $13
				WHERE id = $1`,
				p.Deal.ID, d.AccountName, d.OpportunityName, crm, string(d.Segment), d.ARR.Minor, d.ARR.Currency,
				d.ClosedWonOn, d.AE.Name, d.AE.Email, d.CSM.Name, d.CSM.Email, now)
			if isUniqueViolation(err, "deals_crm_opportunity_id_key") {
				return handoff.Event{}, handoff.FieldErrors{"crm_opportunity_id": "Another deal has this CRM opportunity id."}.Err()
			}
			if err != nil {
				return handoff.Event{}, err
			}
			if err := db.kickoffFollowsPeople(ctx, tx, actor, p, now); err != nil {
				return handoff.Event{}, err
			}
			// A segment moved to or from strategic starts or stops the pod
			// review clock of a locked pack.
			if err := syncPodReviewClock(ctx, tx, packID); err != nil {
				return handoff.Event{}, err
			}
			var moved []string
			if !d.ClosedWonOn.Equal(p.Deal.ClosedWonOn) {
				dueOf, err := due(ctx, tx)
				if err != nil {
					return handoff.Event{}, err
				}
				var next Dues
				next, moved = keepMetDues(p.Status, p.FirstValue != nil,
					Dues{PackDueOn: p.PackDueOn, KickoffDueOn: p.KickoffDueOn, LockDueOn: p.LockDueOn, FirstValueDueOn: p.FirstValueDueOn},
					dueOf(d.ClosedWonOn, p.KickoffOn))
				if _, err := tx.Exec(ctx, `UPDATE packs SET pack_due_on = $2, kickoff_due_on = $3, lock_due_on = $4, first_value_due_on = $5 WHERE id = $1`,
					packID, next.PackDueOn, next.KickoffDueOn, next.LockDueOn, next.FirstValueDueOn); err != nil {
					return handoff.Event{}, err
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE packs SET updated_at = $2 WHERE id = $1`, packID, now); err != nil {
				return handoff.Event{}, err
			}
			return handoff.DealCorrectedEvent(changes, moved), nil
		})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// keepMetDues is how the clock model moves a pack's due dates when what they
// count from changes: a clock still running (deadline.IsOpen in status, and
// for first value not yet recorded) takes its date from next, a clock
// already met keeps the date it was met against, so history does not change
// under people's feet. It returns the dates to store and, for each clock
// that moves, "pack due 2026-12-03 → 2026-12-01".
func keepMetDues(status handoff.Status, firstValueRecorded bool, was, next Dues) (Dues, []string) {
	var moved []string
	out := was
	if deadline.IsOpen(deadline.KindPack, status) && !next.PackDueOn.Equal(was.PackDueOn) {
		out.PackDueOn = next.PackDueOn
		moved = append(moved, "pack due "+day(was.PackDueOn)+" → "+day(next.PackDueOn))
	}
	if deadline.IsOpen(deadline.KindKickoff, status) && !next.KickoffDueOn.Equal(was.KickoffDueOn) {
		out.KickoffDueOn = next.KickoffDueOn
		moved = append(moved, "kickoff due "+day(was.KickoffDueOn)+" → "+day(next.KickoffDueOn))
	}
	if deadline.IsOpen(deadline.KindLock, status) && next.LockDueOn != nil && (was.LockDueOn == nil || !next.LockDueOn.Equal(*was.LockDueOn)) {
		out.LockDueOn = next.LockDueOn
		moved = append(moved, "architecture lock due "+dayPtr(was.LockDueOn)+" → "+day(*next.LockDueOn))
	}
	if deadline.IsOpen(deadline.KindFirstValue, status) && !firstValueRecorded && next.FirstValueDueOn != nil &&
		(was.FirstValueDueOn == nil || !next.FirstValueDueOn.Equal(*was.FirstValueDueOn)) {
		out.FirstValueDueOn = next.FirstValueDueOn
		moved = append(moved, "first value due "+dayPtr(was.FirstValueDueOn)+" → "+day(*next.FirstValueDueOn))
	}
	return out, moved
}
