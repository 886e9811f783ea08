package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Reviews returns the SA's standing decision on each document.
func (db *DB) Reviews(ctx context.Context, packID int64) (map[handoff.DocKind]handoff.Review, error) {
	out, err := reviews(ctx, db.Pool, packID)
	if err != nil {
		return nil, fmt.Errorf("postgres: reviews of pack %d: %w", packID, err)
	}
	return out, nil
}

func reviews(ctx context.Context, q Querier, packID int64) (map[handoff.DocKind]handoff.Review, error) {
	rows, err := q.Query(ctx, `
		SELECT r.kind, r.version, r.decision, r.reason, u.name, r.decided_at
		FROM document_reviews r JOIN users u ON u.id = r.decided_by
		WHERE r.pack_id = $1`, packID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[handoff.DocKind]handoff.Review{}
	for rows.Next() {
		var r handoff.Review
		var kind, decision string
		if err := rows.Scan(&kind, &r.Version, &decision, &r.Reason, &r.DecidedBy, &r.DecidedAt); err != nil {
			return nil, err
		}
		r.Kind, r.Decision = handoff.DocKind(kind), handoff.Decision(decision)
		out[r.Kind] = r
	}
	return out, rows.Err()
}

// Questions returns every question asked on a pack, oldest first.
func (db *DB) Questions(ctx context.Context, packID int64) ([]handoff.Question, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT q.id, q.kind, q.version, q.question, a.name, q.asked_at, q.answer, coalesce(s.name, ''), q.answered_at
		FROM review_questions q JOIN users a ON a.id = q.asked_by LEFT JOIN users s ON s.id = q.answered_by
		WHERE q.pack_id = $1 ORDER BY q.id`, packID)
	if err != nil {
		return nil, fmt.Errorf("postgres: questions of pack %d: %w", packID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.Question, error) {
		var q handoff.Question
		var kind string
		err := row.Scan(&q.ID, &kind, &q.Version, &q.Text, &q.AskedBy, &q.AskedAt, &q.Answer, &q.AnsweredBy, &q.AnsweredAt)
		q.Kind = handoff.DocKind(kind)
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: questions of pack %d: %w", packID, err)
	}
	return out, nil
}

// CommitmentDecisions returns the SA's decisions keyed by commitment id.
func (db *DB) CommitmentDecisions(ctx context.Context, packID int64) (map[string]handoff.CommitmentDecision, error) {
	out, err := commitmentDecisions(ctx, db.Pool, packID)
	if err != nil {
		return nil, fmt.Errorf("postgres: commitment decisions of pack %d: %w", packID, err)
	}
	return out, nil
}

func commitmentDecisions(ctx context.Context, q Querier, packID int64) (map[string]handoff.CommitmentDecision, error) {
	rows, err := q.Query(ctx, `
		SELECT d.commitment_id, d.fingerprint, d.approved, d.reason, u.name, d.decided_at
		FROM commitment_decisions d JOIN users u ON u.id = d.decided_by WHERE d.pack_id = $1`, packID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]handoff.CommitmentDecision{}
	for rows.Next() {
		var d handoff.CommitmentDecision
		if err := rows.Scan(&d.CommitmentID, &d.Fingerprint, &d.Approved, &d.Reason, &d.DecidedBy, &d.DecidedAt); err != nil {
			return nil, err
		}
		out[d.CommitmentID] = d
	}
	return out, rows.Err()
}

// staleSubmission guards SA actions: they act on the version they read.
func staleSubmission(p *handoff.Pack, version int) error {
	if p.SubmittedVersion != version {
		return fmt.Errorf("%w: %w", handoff.Errorf(handoff.ECONFLICT,
			"The SE resubmitted this pack (now v%d) since you opened it. Read the new version, then decide again.", p.SubmittedVersion), ErrStale)
	}
	return nil
}

// latestVersionDocs reads the documents of the pack's latest submission.
func latestVersionDocs(ctx context.Context, q Querier, p *handoff.Pack) (handoff.Documents, error) {
	var docs handoff.Documents
	var data []byte
	err := q.QueryRow(ctx, `SELECT documents FROM pack_versions WHERE pack_id = $1 AND number = $2`, p.ID, p.SubmittedVersion).Scan(&data)
	if err != nil {
		return docs, err
	}
	return docs, json.Unmarshal(data, &docs)
}

// ReviewDocument records the SA's decision on one document of version (the
// one they read). Returning any document sends the pack to
// changes_requested; a returned document stays returned until the SE
// resubmits.
func (db *DB) ReviewDocument(ctx context.Context, actor *handoff.User, packID int64, version int, kind handoff.DocKind,
	d handoff.Decision, reason string, questions []string, now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActReview); err != nil {
			return err
		}
		if err := staleSubmission(p, version); err != nil {
			return err
		}
		current, err := reviews(ctx, tx, packID)
		if err != nil {
			return err
		}
		if current[kind].Decision == handoff.DecisionReturned {
			return handoff.Errorf(handoff.ECONFLICT, "You returned the %s already; it comes back to you when the SE resubmits.", kind.Title())
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO document_reviews (pack_id, kind, version, decision, reason, decided_by, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (pack_id, kind) DO UPDATE SET version = EXCLUDED.version, decision = EXCLUDED.decision,
				reason = EXCLUDED.reason, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at`,
			packID, string(kind), version, string(d), reason, actor.ID, now); err != nil {
			return err
		}
		for _, q := range questions {
			if _, err := tx.Exec(ctx, `
				INSERT INTO review_questions (pack_id, kind, version, question, asked_by, asked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				packID, string(kind), version, q, actor.ID, now); err != nil {
				return err
			}
		}
		summary := d.Label() + ": the " + kind.Title() + " (v" + itoa(version) + ")."
		evKind := handoff.EventReviewed
		switch d {
		case handoff.DecisionReturned:
			evKind, summary = handoff.EventReturned, "Returned the "+kind.Title()+" for changes: "+reason
			if _, err := tx.Exec(ctx, `UPDATE packs SET status = 'changes_requested', updated_at = $2 WHERE id = $1`, packID, now); err != nil {
				return err
			}
		case handoff.DecisionWithQuestions:
			summary = "Accepted the " + kind.Title() + " with questions: " + strings.Join(questions, " / ")
		default:
			summary = "Accepted the " + kind.Title() + "."
		}
		return addEvent(ctx, tx, packID, actor.ID, now, evKind, summary)
	})
	if err != nil {
		return fmt.Errorf("postgres: review %s of pack %d: %w", kind, packID, err)
	}
	return nil
}

// AnswerQuestion stores the SE's answer to a question (answers can be
// improved later; the latest stands).
func (db *DB) AnswerQuestion(ctx context.Context, actor *handoff.User, packID, questionID int64, answer string, now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActAnswer); err != nil {
			return err
		}
		var question string
		err = tx.QueryRow(ctx, `
			UPDATE review_questions SET answer = $3, answered_by = $4, answered_at = $5
			WHERE id = $1 AND pack_id = $2 RETURNING question`, questionID, packID, answer, actor.ID, now).Scan(&question)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound()
		}
		if err != nil {
			return err
		}
		return addEvent(ctx, tx, packID, actor.ID, now, handoff.EventAnswered, "Answered \""+question+"\": "+answer)
	})
	if err != nil {
		return fmt.Errorf("postgres: answer question %d on pack %d: %w", questionID, packID, err)
	}
	return nil
}

// DecideCommitment records the SA's approve or veto of a big commitment of
// the version they read. Whether it needs a decision is judged against the
// approval thresholds the transaction sees.
func (db *DB) DecideCommitment(ctx context.Context, actor *handoff.User, packID int64, version int, commitmentID string,
	approve bool, reason string, now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActDecideCommitment); err != nil {
			return err
		}
		if err := staleSubmission(p, version); err != nil {
			return err
		}
		docs, err := latestVersionDocs(ctx, tx, p)
		if err != nil {
			return err
		}
		var c *handoff.Commitment
		for i := range docs.Commitments.Items {
			if docs.Commitments.Items[i].ID == commitmentID {
				c = &docs.Commitments.Items[i]
			}
		}
		if c == nil {
			return notFound()
		}
		st, err := settings(ctx, tx)
		if err != nil {
			return err
		}
		if !handoff.NeedsDecision(*c, st.ApprovalThresholds) {
			return handoff.Errorf(handoff.ECONFLICT, "That commitment is under the approval threshold of its currency; it needs no decision.")
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO commitment_decisions (pack_id, commitment_id, fingerprint, approved, reason, decided_by, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (pack_id, commitment_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, approved = EXCLUDED.approved,
				reason = EXCLUDED.reason, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at`,
			packID, commitmentID, handoff.Fingerprint(*c), approve, reason, actor.ID, now); err != nil {
			return err
		}
		if approve {
			return addEvent(ctx, tx, packID, actor.ID, now, handoff.EventCommitmentApproved, "Approved the commitment \""+c.Description+"\".")
		}
		return addEvent(ctx, tx, packID, actor.ID, now, handoff.EventCommitmentVetoed, "Vetoed the commitment \""+c.Description+"\": "+reason)
	})
	if err != nil {
		return fmt.Errorf("postgres: decide commitment %s of pack %d: %w", commitmentID, packID, err)
	}
	return nil
}

// Acknowledge records the kickoff and acknowledges the pack, if every
// document is accepted and every big commitment decided under the approval
// thresholds the transaction sees, and starts the architecture-lock clock
// (lockDue).
func (db *DB) Acknowledge(ctx context.Context, actor *handoff.User, packID int64, version int, kickoff, lockDue time.Time,
	now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActAcknowledge); err != nil {
			return err
		}
		if err := staleSubmission(p, version); err != nil {
			return err
		}
		rs, err := reviews(ctx, tx, packID)
		if err != nil {
			return err
		}
		ds, err := commitmentDecisions(ctx, tx, packID)
		if err != nil {
			return err
		}
		docs, err := latestVersionDocs(ctx, tx, p)
		if err != nil {
			return err
		}
		st, err := settings(ctx, tx)
		if err != nil {
			return err
		}
		if blockers := handoff.AckBlockers(rs, docs, ds, st.ApprovalThresholds); len(blockers) > 0 {
			return handoff.Errorf(handoff.EINVALID, "Not yet: %s", strings.Join(blockers, " "))
		}
		if _, err := tx.Exec(ctx, `
			UPDATE packs SET status = 'acknowledged', kickoff_on = $2, acknowledged_at = $3, lock_due_on = $4, updated_at = $3
			WHERE id = $1`, packID, kickoff, now, lockDue); err != nil {
			return err
		}
		return addEvent(ctx, tx, packID, actor.ID, now, handoff.EventAcknowledged, fmt.Sprintf(
			"Acknowledged v%d at the kickoff on %s; architecture lock due %s.", version, day(kickoff), day(lockDue)))
	})
	if err != nil {
		return fmt.Errorf("postgres: acknowledge pack %d: %w", packID, err)
	}
	return nil
}

// Architecture returns a pack's reference architecture (empty when none yet)
// and who last saved it.
func (db *DB) Architecture(ctx context.Context, packID int64) (handoff.Architecture, handoff.Document, error) {
	var a handoff.Architecture
	var meta handoff.Document
	var data []byte
	err := db.Pool.QueryRow(ctx, `
		SELECT ra.data, ra.updated_at, u.name FROM reference_architectures ra JOIN users u ON u.id = ra.updated_by
		WHERE ra.pack_id = $1`, packID).Scan(&data, &meta.UpdatedAt, &meta.UpdatedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, meta, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &a)
	}
	if err != nil {
		return a, meta, fmt.Errorf("postgres: architecture of pack %d: %w", packID, err)
	}
	return a, meta, nil
}

// SaveArchitecture stores the reference architecture draft, if the pack is
// still at version.
func (db *DB) SaveArchitecture(ctx context.Context, actor *handoff.User, packID int64, version int, a handoff.Architecture, now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActEditArchitecture); err != nil {
			return err
		}
		if p.Version != version {
			return fmt.Errorf("%w: %w", handoff.Errorf(handoff.ECONFLICT, "This pack changed since you opened it. Your changes are not saved yet."), ErrStale)
		}
		data, err := json.Marshal(a)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO reference_architectures (pack_id, data, updated_at, updated_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (pack_id) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
			packID, data, now, actor.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE packs SET version = version + 1, updated_at = $2 WHERE id = $1`, packID, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, packID, actor.ID, now, handoff.EventArchitectureSaved, "Saved the reference architecture draft.")
	})
	if err != nil {
		return fmt.Errorf("postgres: save architecture of pack %d: %w", packID, err)
	}
	return nil
}

// LockArchitecture locks the reference architecture, if it is complete.
func (db *DB) LockArchitecture(ctx context.Context, actor *handoff.User, packID int64, now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActLock); err != nil {
			return err
		}
		var a handoff.Architecture
		var data []byte
		err = tx.QueryRow(ctx, `SELECT data FROM reference_architectures WHERE pack_id = $1`, packID).Scan(&data)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if data != nil {
			if err := json.Unmarshal(data, &a); err != nil {
				return err
			}
		}
		if err := a.CheckLock(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE packs SET status = 'locked', locked_at = $2, version = version + 1, updated_at = $2 WHERE id = $1`, packID, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, packID, actor.ID, now, handoff.EventLocked,
			"Locked the reference architecture, signed off by "+a.SignOffName+" ("+a.SignOffTitle+") on "+a.SignOffOn+".")
	})
	if err != nil {
		return fmt.Errorf("postgres: lock architecture of pack %d: %w", packID, err)
	}
	return nil
}

// AddComment adds a comment to a pack's conversation.
func (db *DB) AddComment(ctx context.Context, actor *handoff.User, packID int64, body string, now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, false)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActComment); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO pack_comments (pack_id, author_id, at, body) VALUES ($1, $2, $3, $4)`, packID, actor.ID, now, body)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: comment on pack %d: %w", packID, err)
	}
	return nil
}

// Comments returns a pack's conversation, newest first.
func (db *DB) Comments(ctx context.Context, packID int64) ([]handoff.Comment, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT c.id, c.at, u.name, c.body FROM pack_comments c JOIN users u ON u.id = c.author_id
		WHERE c.pack_id = $1 ORDER BY c.id DESC LIMIT 500`, packID)
	if err != nil {
		return nil, fmt.Errorf("postgres: comments of pack %d: %w", packID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.Comment, error) {
		var c handoff.Comment
		err := row.Scan(&c.ID, &c.At, &c.Author, &c.Body)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: comments of pack %d: %w", packID, err)
	}
	return out, nil
}

// Assign changes a deal's SE and SA (saID 0 unassigns the SA) and records who
// changed what.
func (db *DB) Assign(ctx context.Context, actor *handoff.User, packID, seID, saID int64, now time.Time) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, handoff.ActAssign); err != nil {
			return err
		}
		var changes []string
		name := func(id int64) (string, error) {
			if id == 0 {
				return "nobody", nil
			}
			var n string
			err := tx.QueryRow(ctx, `SELECT name FROM users WHERE id = $1`, id).Scan(&n)
			return n, err
		}
		if seID != p.Deal.SEID {
			n, err := name(seID)
			if err != nil {
				return err
			}
			changes = append(changes, "SE "+p.Deal.SEName+" → "+n)
		}
		if saID != p.Deal.SAID {
			n, err := name(saID)
			if err != nil {
				return err
			}
			was := p.Deal.SAName
			if was == "" {
				was = "nobody"
			}
			changes = append(changes, "SA "+was+" → "+n)
		}
		if len(changes) == 0 {
			return nil
		}
		var sa *int64
		if saID != 0 {
			sa = &saID
		}
		if _, err := tx.Exec(ctx, `UPDATE deals SET se_id = $2, sa_id = $3, updated_at = $4 WHERE id = $1`, p.Deal.ID, seID, sa, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE packs SET updated_at = $2 WHERE id = $1`, packID, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, packID, actor.ID, now, handoff.EventReassigned, "Reassigned: "+strings.Join(changes, "; ")+".")
	})
	if err != nil {
		return fmt.Errorf("postgres: assign pack %d: %w", packID, err)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// InboxPack is a pack on the SA's inbox with what decides its next step: the
// reviews, the latest version's documents and the commitment decisions.
type InboxPack struct {
	Pack      *handoff.Pack
	Reviews   map[handoff.DocKind]handoff.Review
	Documents handoff.Documents
	Decisions map[string]handoff.CommitmentDecision
}

// PacksOfSA lists the packs assigned to one SA (at most 500, oldest
// Closed-Won first), in one query.
func (db *DB) PacksOfSA(ctx context.Context, saID int64) ([]InboxPack, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+packColumns+`,
		coalesce((SELECT jsonb_object_agg(r.kind, r.decision) FROM document_reviews r WHERE r.pack_id = p.id), '{}') AS reviews,
		coalesce((SELECT v.documents FROM pack_versions v WHERE v.pack_id = p.id AND v.number = p.submitted_version), '{}') AS documents,
		coalesce((SELECT jsonb_object_agg(cd.commitment_id, cd.fingerprint) FROM commitment_decisions cd WHERE cd.pack_id = p.id), '{}') AS decisions
		`+packFrom+` WHERE d.sa_id = $1 ORDER BY d.closed_won_on, p.id LIMIT 500`, saID)
	if err != nil {
		return nil, fmt.Errorf("postgres: packs of SA %d: %w", saID, err)
	}
	type row struct {
		packRow
		Reviews   []byte
		Documents []byte
		Decisions []byte
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, fmt.Errorf("postgres: packs of SA %d: %w", saID, err)
	}
	out := make([]InboxPack, len(rs))
	for i, r := range rs {
		var revs, decs map[string]string
		ip := InboxPack{Pack: r.pack(), Reviews: map[handoff.DocKind]handoff.Review{}, Decisions: map[string]handoff.CommitmentDecision{}}
		if err := errors.Join(json.Unmarshal(r.Reviews, &revs), json.Unmarshal(r.Documents, &ip.Documents), json.Unmarshal(r.Decisions, &decs)); err != nil {
			return nil, fmt.Errorf("postgres: packs of SA %d: decode: %w", saID, err)
		}
		for k, d := range revs {
			ip.Reviews[handoff.DocKind(k)] = handoff.Review{Kind: handoff.DocKind(k), Decision: handoff.Decision(d)}
		}
		for id, fp := range decs {
			ip.Decisions[id] = handoff.CommitmentDecision{CommitmentID: id, Fingerprint: fp}
		}
		out[i] = ip
	}
	return out, nil
}
