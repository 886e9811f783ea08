package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// SaveAssessment records the SA's assessment of how accurate pack packID's
// handoff was, at a.Stage, if the pack is still at version: the items it
// marks are those of the accepted (latest submitted) version, read in the
// transaction, and the assessment is checked against them there. Assessing
// a stage again revises it; either way it is an event. on is the org's day,
// kept from the first assessment at the stage.
func (db *DB) SaveAssessment(ctx context.Context, actor *handoff.User, packID int64, version int, a handoff.Assessment, on, now time.Time) error {
	return db.transition(ctx, actor, "assess", packID, handoff.ActAssess, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			if err := stalePack(p, version, "This pack changed since you opened the assessment, so it is not saved yet. Check it, then save again."); err != nil {
				return handoff.Event{}, err
			}
			docs, err := latestVersionDocs(ctx, tx, p)
			if err != nil {
				return handoff.Event{}, fmt.Errorf("read the accepted version: %w", err)
			}
			// The stage is the rule's, as the pack stands in this
			// transaction, whatever the form said.
			a.Stage = handoff.AssessmentStage(p)
			items := handoff.AssessItems(docs)
			if err := handoff.CheckAssessment(&a, items); err != nil {
				return handoff.Event{}, err
			}
			c := a.Counts(items)
			data, err := json.Marshal(a)
			if err != nil {
				return handoff.Event{}, err
			}
			// The score belongs to the SE who handed off: the one who
			// submitted the accepted version, whoever holds the deal now. A
			// revision keeps the day of the first assessment, so a quarter's
			// figure does not lose a pack to a later one after the fact.
			var revised bool
			if err := tx.QueryRow(ctx, `
				INSERT INTO handoff_assessments (pack_id, stage, data, held, under_scoped, wrong, surfaced, se_id, assessed_on, assessed_by, assessed_at)
				SELECT $1, $2, $3, $4, $5, $6, $7, v.submitted_by, $8, $9, $10
				FROM pack_versions v WHERE v.pack_id = $1 AND v.number = $11
				ON CONFLICT (pack_id, stage) DO UPDATE SET data = EXCLUDED.data, held = EXCLUDED.held, under_scoped = EXCLUDED.under_scoped,
					wrong = EXCLUDED.wrong, surfaced = EXCLUDED.surfaced, assessed_by = EXCLUDED.assessed_by, assessed_at = EXCLUDED.assessed_at
				RETURNING xmax <> 0`,
				packID, a.Stage, data, c.Held, c.UnderScoped, c.Wrong, c.Surfaced, on, actor.ID, now, p.SubmittedVersion).Scan(&revised); err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `UPDATE packs SET version = version + 1, updated_at = $2 WHERE id = $1`, packID, now); err != nil {
				return handoff.Event{}, err
			}
			return handoff.AssessedEvent(a.Stage, c, revised), nil
		})
}

// readAssessments are a pack's accuracy assessments by stage, with who made
// each and when.
var readAssessments = read[map[string]handoff.Assessment]{`
	SELECT a.data, a.assessed_at, u.name FROM handoff_assessments a JOIN users u ON u.id = a.assessed_by
	WHERE a.pack_id = $1`,
	func(rows pgx.Rows) (map[string]handoff.Assessment, error) {
		defer rows.Close()
		out := map[string]handoff.Assessment{}
		for rows.Next() {
			var a handoff.Assessment
			var data []byte
			var at time.Time
			var by string
			if err := rows.Scan(&data, &at, &by); err != nil {
				return nil, err
			}
			if err := json.Unmarshal(data, &a); err != nil {
				return nil, fmt.Errorf("decode assessment: %w", err)
			}
			a.At, a.By = at, by
			out[a.Stage] = a
		}
		return out, rows.Err()
	}}
