package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// The count of what a pack's documents still miss, stored on the pack
// (migration 00017) so homes read a number, not documents. The count is
// handoff's own (MissingCount) and is only ever written from the stored
// documents, by the Go rule, under handoff.CompletenessRule.

// storeMissing recounts pack packID from its stored documents, on q (the
// transaction that just changed them, or that made the pack editable again).
func storeMissing(ctx context.Context, q Querier, packID int64) error {
	s, err := readDocuments.run(ctx, q, packID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `UPDATE packs SET missing = $2, missing_rule = $3 WHERE id = $1`,
		packID, s.docs.MissingCount(), handoff.CompletenessRule)
	return err
}

// editableStatuses are the statuses in which the SE edits the documents
// (handoff.Status.Editable), for SQL.
func editableStatuses() []handoff.Status {
	var out []handoff.Status
	for _, st := range handoff.Statuses {
		if st.Editable() {
			out = append(out, st)
		}
	}
	return out
}

// recountBatch is how many packs RecountMissing counts per statement.
const recountBatch = 500

// RecountMissing counts every pack the SE may still edit whose count is
// missing or was made under another rule (bulk-loaded demo packs, or after
// an upgrade changed Missing), and returns how many it counted. Packs the SE
// can no longer edit wait until a return makes them editable, which
// recounts them. Run at start: several instances doing it at once only
// repeat each other's work.
func (db *DB) RecountMissing(ctx context.Context) (int, error) {
	editable := editableStatuses()
	total := 0
	for {
		rows, err := db.Pool.Query(ctx, `
			SELECT todo.id, pd.kind, pd.data
			FROM (SELECT p.id FROM packs p
			      WHERE `+statusIn(editable)+` AND p.missing_rule IS DISTINCT FROM $1
			      ORDER BY p.id LIMIT `+itoa(recountBatch)+`) todo
			LEFT JOIN pack_documents pd ON pd.pack_id = todo.id`, handoff.CompletenessRule)
		if err != nil {
			return total, fmt.Errorf("postgres: recount missing: %w", err)
		}
		docs := map[int64]*handoff.Documents{}
		var (
			id   int64
			kind *string
			data []byte
		)
		_, err = pgx.ForEachRow(rows, []any{&id, &kind, &data}, func() error {
			d := docs[id]
			if d == nil {
				d = &handoff.Documents{}
				docs[id] = d
			}
			if kind == nil {
				return nil // no document saved yet
			}
			// A document that no longer decodes counts as not saved (all of it
			// missing) rather than stopping the program's start.
			decoded := *d
			if err := unmarshalDocument(&decoded, handoff.DocKind(*kind), data); err == nil {
				*d = decoded
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("postgres: recount missing: %w", err)
		}
		if len(docs) == 0 {
			return total, nil
		}
		ids, counts := make([]int64, 0, len(docs)), make([]int32, 0, len(docs))
		for id, d := range docs {
			ids, counts = append(ids, id), append(counts, int32(d.MissingCount()))
		}
		if _, err := db.Pool.Exec(ctx, `
			UPDATE packs p SET missing = c.n, missing_rule = $3
			FROM unnest($1::bigint[], $2::int[]) AS c(id, n) WHERE p.id = c.id`, ids, counts, handoff.CompletenessRule); err != nil {
			return total, fmt.Errorf("postgres: recount missing: %w", err)
		}
		total += len(docs)
	}
}
