package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// storeReplies checks, before p (locked, returned for changes) is
// resubmitted with docs, that each document the SA returned has changed
// since the version they returned or has a reply (handoff.CheckResubmit), and
// stores each reply with the SA's reason and its own event line. Before the
// first submission there is nothing to reply to.
func (db *DB) storeReplies(ctx context.Context, tx pgx.Tx, actor *handoff.User, p *handoff.Pack, docs handoff.Documents,
	replies map[handoff.DocKind]string, now time.Time) error {
	if p.SubmittedVersion == 0 {
		return nil
	}
	rs, err := reviews(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	submitted, err := latestVersionDocs(ctx, tx, p)
	if err != nil {
		return err
	}
	if err := handoff.CheckResubmit(rs, submitted, docs, replies); err != nil {
		return err
	}
	for _, k := range handoff.DocKinds {
		reply := strings.TrimSpace(replies[k])
		if rs[k].Decision != handoff.DecisionReturned || reply == "" {
			continue
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO return_replies (pack_id, kind, version, reason, reply, replied_by, replied_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			p.ID, string(k), rs[k].Version, rs[k].Reason, reply, actor.ID, now); err != nil {
			return err
		}
		if err := db.addEvent(ctx, tx, p.ID, actor.ID, now, handoff.RepliedEvent(k, reply)); err != nil {
			return err
		}
	}
	return nil
}

// readReplies is every reply the SE sent to a returned document, oldest
// version first.
var readReplies = read[[]handoff.ReturnReply]{`
	SELECT r.kind, r.version, r.reason, r.reply, u.name, r.replied_at
	FROM return_replies r JOIN users u ON u.id = r.replied_by
	WHERE r.pack_id = $1 ORDER BY r.version, r.kind`,
	func(rows pgx.Rows) ([]handoff.ReturnReply, error) {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.ReturnReply, error) {
			var r handoff.ReturnReply
			var kind string
			err := row.Scan(&kind, &r.Version, &r.Reason, &r.Reply, &r.RepliedBy, &r.RepliedAt)
			r.Kind = handoff.DocKind(kind)
			return r, err
		})
	}}
