package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// ReviewDocument records the SA's decision on one document of version (the
// one they read). Returning any document sends the pack to
// changes_requested; a returned document stays returned until the SE
// resubmits.
func (db *DB) ReviewDocument(ctx context.Context, actor *handoff.User, packID int64, version int, kind handoff.DocKind,
	d handoff.Decision, reason string, questions []string, now time.Time) error {
	return db.transition(ctx, actor, "review "+string(kind)+" of", packID, handoff.ActReview, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if err := staleSubmission(p, version); err != nil {
				return handoff.Event{}, err
			}
			current, err := reviews(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			if current[kind].Decision == handoff.DecisionReturned {
				return handoff.Event{}, handoff.Errorf(handoff.ECONFLICT, "You returned the %s already; it comes back to you when the SE resubmits.", kind.Title())
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO document_reviews (pack_id, kind, version, decision, reason, decided_by, decided_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (pack_id, kind) DO UPDATE SET version = EXCLUDED.version, decision = EXCLUDED.decision,
					reason = EXCLUDED.reason, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at`,
				packID, string(kind), version, string(d), reason, actor.ID, now); err != nil {
				return handoff.Event{}, err
			}
			for _, q := range questions {
				if _, err := tx.Exec(ctx, `
					INSERT INTO review_questions (pack_id, kind, version, question, asked_by, asked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
					packID, string(kind), version, q, actor.ID, now); err != nil {
					return handoff.Event{}, err
				}
			}
			if d == handoff.DecisionReturned {
				if _, err := tx.Exec(ctx, `UPDATE packs SET status = 'changes_requested', updated_at = $2 WHERE id = $1`, packID, now); err != nil {
					return handoff.Event{}, err
				}
				// Editable again: its count may predate the present rule.
				if err := storeMissing(ctx, tx, packID); err != nil {
					return handoff.Event{}, err
				}
			}
			return handoff.ReviewedEvent(kind, d, reason, questions), nil
		})
}

// AnswerQuestion stores the SE's answer to a question (answers can be
// improved later; the latest stands).
func (db *DB) AnswerQuestion(ctx context.Context, actor *handoff.User, packID, questionID int64, answer string, now time.Time) error {
	return db.transition(ctx, actor, fmt.Sprintf("answer question %d on", questionID), packID, handoff.ActAnswer, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			var question string
			err := tx.QueryRow(ctx, `
				UPDATE review_questions SET answer = $3, answered_by = $4, answered_at = $5
				WHERE id = $1 AND pack_id = $2 RETURNING question`, questionID, packID, answer, actor.ID, now).Scan(&question)
			if errors.Is(err, pgx.ErrNoRows) {
				return handoff.Event{}, notFound()
			}
			if err != nil {
				return handoff.Event{}, err
			}
			return handoff.AnsweredEvent(question, answer), nil
		})
}

// DecideCommitment records the SA's approve or veto of a big commitment of
// the version they read. Whether it needs a decision is judged against the
// approval thresholds the transaction sees.
func (db *DB) DecideCommitment(ctx context.Context, actor *handoff.User, packID int64, version int, commitmentID string,
	approve bool, reason string, now time.Time) error {
	return db.transition(ctx, actor, "decide commitment "+commitmentID+" of", packID, handoff.ActDecideCommitment, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if err := staleSubmission(p, version); err != nil {
				return handoff.Event{}, err
			}
			docs, err := latestVersionDocs(ctx, tx, p)
			if err != nil {
				return handoff.Event{}, err
			}
			var c *handoff.Commitment
			for i := range docs.Commitments.Items {
				if docs.Commitments.Items[i].ID == commitmentID {
					c = &docs.Commitments.Items[i]
				}
			}
			if c == nil {
				return handoff.Event{}, notFound()
			}
			st, err := settings(ctx, tx)
			if err != nil {
				return handoff.Event{}, err
			}
			if !handoff.NeedsDecision(*c, st.ApprovalThresholds) {
				return handoff.Event{}, handoff.Errorf(handoff.ECONFLICT, "That commitment is under the approval threshold of its currency; it needs no decision.")
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO commitment_decisions (pack_id, commitment_id, fingerprint, approved, reason, decided_by, decided_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (pack_id, commitment_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, approved = EXCLUDED.approved,
					reason = EXCLUDED.reason, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at`,
				packID, commitmentID, handoff.Fingerprint(*c), approve, reason, actor.ID, now); err != nil {
				return handoff.Event{}, err
			}
			return handoff.CommitmentDecidedEvent(c.Description, approve, reason), nil
		})
}

// Acknowledge records the kickoff and acknowledges the pack, if every
// document is accepted and every big commitment decided under the approval
// thresholds the transaction sees, and starts the architecture-lock clock
// (lockDue) and the first value clock (firstValueDue). The kickoff date is checked against the Closed-Won date the
// locked row holds and the org's today. Questions still unanswered need
// confirmOpen, the SA's "acknowledge anyway" (handoff.CheckOpenQuestions),
// and the event line says how many there were.
func (db *DB) Acknowledge(ctx context.Context, actor *handoff.User, packID int64, version int, kickoff, lockDue, firstValueDue, today time.Time,
	confirmOpen bool, now time.Time) error {
	return db.transition(ctx, actor, "acknowledge", packID, handoff.ActAcknowledge, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if err := staleSubmission(p, version); err != nil {
				return handoff.Event{}, err
			}
			if err := handoff.CheckKickoffDate(kickoff, p.Deal.ClosedWonOn, today); err != nil {
				return handoff.Event{}, err
			}
			rs, err := reviews(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			ds, err := commitmentDecisions(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			docs, err := latestVersionDocs(ctx, tx, p)
			if err != nil {
				return handoff.Event{}, err
			}
			st, err := settings(ctx, tx)
			if err != nil {
				return handoff.Event{}, err
			}
			if blockers := handoff.AckBlockers(rs, docs, ds, st.ApprovalThresholds); len(blockers) > 0 {
				return handoff.Event{}, handoff.Errorf(handoff.EINVALID, "Not yet: %s", strings.Join(blockers, " "))
			}
			qs, err := readQuestions.run(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			open := handoff.UnansweredQuestions(qs)
			if err := handoff.CheckOpenQuestions(open, confirmOpen); err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `
				UPDATE packs SET status = 'acknowledged', kickoff_on = $2, acknowledged_at = $3, lock_due_on = $4,
				       first_value_due_on = $5, updated_at = $3
				WHERE id = $1`, packID, kickoff, now, lockDue, firstValueDue); err != nil {
				return handoff.Event{}, err
			}
			return handoff.AcknowledgedOpenEvent(version, kickoff, lockDue, open), nil
		})
}

// SaveArchitecture stores the reference architecture draft, if the pack is
// still at version.
func (db *DB) SaveArchitecture(ctx context.Context, actor *handoff.User, packID int64, version int, a handoff.Architecture, now time.Time) error {
	return db.transition(ctx, actor, "save architecture of", packID, handoff.ActEditArchitecture, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if err := stalePack(p, version, notSaved); err != nil {
				return handoff.Event{}, err
			}
			// Closures are kept only for rows of the accepted version's
			// matrix, so what is stored names only items the SE handed off.
			m, err := acceptedMatrix(ctx, tx, p, a.Closures)
			if err != nil {
				return handoff.Event{}, err
			}
			a.Closures, a.Locked = m.Closures(), nil
			data, err := json.Marshal(a)
			if err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO reference_architectures (pack_id, data, updated_at, updated_by) VALUES ($1, $2, $3, $4)
				ON CONFLICT (pack_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
				packID, data, now, actor.ID); err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `UPDATE packs SET version = version + 1, updated_at = $2 WHERE id = $1`, packID, now); err != nil {
				return handoff.Event{}, err
			}
			return handoff.ArchitectureSavedEvent(), nil
		})
}

// LockArchitecture locks the reference architecture, if it is complete and
// the pack is still at version, the one whose architecture the SA confirmed
// locking: what they read is what is frozen. On a strategic account the
// lock starts the pod review clock, a quarter after today (the org's day).
func (db *DB) LockArchitecture(ctx context.Context, actor *handoff.User, packID int64, version int, today, now time.Time) error {
	return db.transition(ctx, actor, "lock architecture of", packID, handoff.ActLock, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if err := stalePack(p, version, "The reference architecture changed since you asked to lock it, so it is not locked. Read it again, then lock."); err != nil {
				return handoff.Event{}, err
			}
			stored, err := readArchitecture.run(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			a := stored.a
			m, err := acceptedMatrix(ctx, tx, p, a.Closures)
			if err != nil {
				return handoff.Event{}, err
			}
			if err := a.CheckLock(m); err != nil {
				return handoff.Event{}, err
			}
			// The matrix is frozen with the architecture: what it closed
			// reads the same after the lock, whatever changes around it.
			a.Locked = append(handoff.Matrix{}, m...)
			data, err := json.Marshal(a)
			if err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `UPDATE reference_architectures SET data = $2 WHERE pack_id = $1`, packID, data); err != nil {
				return handoff.Event{}, err
			}
			podDue := dayOrNil(deadline.NextPodReview(p.Deal.Strategic(), handoff.StatusLocked, deadline.DayOf(today, time.UTC), deadline.Day{}))
			if _, err := tx.Exec(ctx, `UPDATE packs SET status = 'locked', locked_at = $2, pod_review_due_on = $3, version = version + 1, updated_at = $2
				WHERE id = $1`, packID, now, podDue); err != nil {
				return handoff.Event{}, err
			}
			return handoff.LockedEvent(a.SignOffName, a.SignOffTitle, a.SignOffOn), nil
		})
}

// AddComment adds a comment to a pack's conversation. The comment is its own
// record in the pack's timeline, so it writes no event line.
func (db *DB) AddComment(ctx context.Context, actor *handoff.User, packID int64, body string, now time.Time) error {
	return db.transition(ctx, actor, "comment on", packID, handoff.ActComment, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			_, err := tx.Exec(ctx, `INSERT INTO pack_comments (pack_id, author_id, at, body) VALUES ($1, $2, $3, $4)`, packID, actor.ID, now, body)
			return handoff.Event{}, err
		})
}

// Assign changes a deal's SE and SA (saID 0 unassigns the SA) and records who
// changed what. Whoever is newly named must be active in the role as the
// transaction sees them (handoff.CheckAssignee). A kickoff meeting standing
// then follows the change (kickoffFollowsPeople).
func (db *DB) Assign(ctx context.Context, actor *handoff.User, packID, seID, saID int64, now time.Time) error {
	return db.transition(ctx, actor, "assign", packID, handoff.ActAssign, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			var changes []string
			if seID != p.Deal.SEID {
				se, err := assignee(ctx, tx, seID, handoff.RoleSE)
				if err != nil {
					return handoff.Event{}, err
				}
				changes = append(changes, "SE "+p.Deal.SEName+" → "+se.Name)
			}
			if saID != p.Deal.SAID {
				was, to := cmp.Or(p.Deal.SAName, "nobody"), "nobody"
				if saID != 0 {
					sa, err := assignee(ctx, tx, saID, handoff.RoleSA)
					if err != nil {
						return handoff.Event{}, err
					}
					to = sa.Name
				}
				changes = append(changes, "SA "+was+" → "+to)
			}
			if len(changes) == 0 {
				return handoff.Event{}, nil
			}
			if _, err := tx.Exec(ctx, `UPDATE deals SET se_id = $2, sa_id = $3, updated_at = $4 WHERE id = $1`, p.Deal.ID, seID, nullID(saID), now); err != nil {
				return handoff.Event{}, err
			}
			if err := db.kickoffFollowsPeople(ctx, tx, actor, p, now); err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `UPDATE packs SET updated_at = $2 WHERE id = $1`, packID, now); err != nil {
				return handoff.Event{}, err
			}
			return handoff.ReassignedEvent(changes), nil
		})
}

// assignee reads user id, about to be named role on a deal, with their row
// share-locked so a deactivation waits for the transaction, and checks that
// they may be (handoff.CheckAssignee): a missing or inactive person, or one
// in another role, is an EINVALID error.
func assignee(ctx context.Context, tx pgx.Tx, id int64, role handoff.Role) (*handoff.User, error) {
	rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR SHARE`, id)
	if err != nil {
		return nil, err
	}
	u, err := collectUser(rows)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := handoff.CheckAssignee(u, role); err != nil {
		return nil, err
	}
	return u, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// acceptedMatrix is pack p's closure matrix as the transaction tx sees it:
// the rows of its accepted (latest submitted) version and their commitment
// decisions, with closures.
func acceptedMatrix(ctx context.Context, tx pgx.Tx, p *handoff.Pack, closures map[string]handoff.Closure) (handoff.Matrix, error) {
	docs, err := latestVersionDocs(ctx, tx, p)
	if err != nil {
		return nil, fmt.Errorf("read the accepted version: %w", err)
	}
	decisions, err := readDecisions.run(ctx, tx, p.ID)
	if err != nil {
		return nil, err
	}
	return handoff.ClosureMatrix(docs, decisions, closures), nil
}
