package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// A change is what one transition does to a pack, on the row transition
// locked, once handoff.Decide allowed it: the domain checks that read stored
// state (the stale-form check among them), then the writes. It returns the
// pack's event line, or the zero Event when nothing changed (or, for a
// comment, when the change is its own record).
type change func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error)

// transition runs one change to pack packID for actor, the way every change
// to a pack runs: in one transaction it locks the pack row (not found unless
// actor may see it), asks handoff.Decide whether actor may take act on it
// now, runs fn on the locked pack and records the event fn returns, so a
// change and its event line commit together or not at all. Mail about the
// event goes out later: the jobs sweep reads pack_events as its outbox, so
// a rolled-back change mails nobody. Errors read "postgres: <op> pack <id>:
// …", op saying what was tried ("submit", "save risks of").
func (db *DB) transition(ctx context.Context, actor *handoff.User, op string, packID int64, act handoff.PackAction,
	now time.Time, fn change) error {
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		p, err := packVisibleTo(ctx, tx, actor, packID, true)
		if err != nil {
			return err
		}
		if err := handoff.Decide(actor, p, act); err != nil {
			return err
		}
		e, err := fn(tx, p)
		if err != nil || e.Kind == "" {
			return err
		}
		return db.addEvent(ctx, tx, packID, actor.ID, now, e)
	})
	if err != nil {
		return fmt.Errorf("postgres: %s pack %d: %w", op, packID, err)
	}
	return nil
}

// addEvent writes e as a line of pack packID's history, by actorID (0 for
// the system) at at, and lets db.OnEvent act on it in the same transaction.
func (db *DB) addEvent(ctx context.Context, tx pgx.Tx, packID, actorID int64, at time.Time, e handoff.Event) error {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO pack_events (pack_id, at, actor_id, kind, summary) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		packID, at, nullID(actorID), e.Kind, e.Summary).Scan(&id)
	if err != nil {
		return fmt.Errorf("postgres: add %s event to pack %d: %w", e.Kind, packID, err)
	}
	if db.OnEvent != nil {
		if err := db.OnEvent(ctx, tx, StoredEvent{ID: id, PackID: packID, Kind: e.Kind, At: at}); err != nil {
			return fmt.Errorf("postgres: after %s event on pack %d: %w", e.Kind, packID, err)
		}
	}
	return nil
}

// errStale is the refusal of a change made from a form based on an older
// version of the pack than the stored one; msg says what to do.
func errStale(msg string) error {
	return fmt.Errorf("%w: %w", handoff.Errorf(handoff.ECONFLICT, "%s", msg), ErrStale)
}

// stalePack refuses an SE's (or the architecture's) change from a form based
// on pack version version, when the pack has changed since.
func stalePack(p *handoff.Pack, version int, msg string) error {
	if p.Version != version {
		return errStale(msg)
	}
	return nil
}

// staleSubmission refuses an SA's decision on submission version when the SE
// has resubmitted since: they act on the version they read.
func staleSubmission(p *handoff.Pack, version int) error {
	if p.SubmittedVersion != version {
		return errStale(fmt.Sprintf("The SE resubmitted this pack (now v%d) since you opened it. Read the new version, then decide again.", p.SubmittedVersion))
	}
	return nil
}

// notSaved is what a stale save says.
const notSaved = "This pack changed since you opened it. Your changes are not saved yet."
