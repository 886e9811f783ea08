package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Calendar builds the org's business-day calendar from its settings and
// company days off, as the server does for pages, and returns the settings
// with it (the clock model reads its rules from them).
func Calendar(ctx context.Context, db *postgres.DB) (*deadline.Calendar, handoff.Settings, error) {
	s, err := db.Settings(ctx)
	if err != nil {
		return nil, s, err
	}
	off, err := db.DaysOff(ctx)
	if err != nil {
		return nil, s, err
	}
	cal, err := deadline.ForOrg(s, off)
	if err != nil {
		return nil, s, fmt.Errorf("jobs: calendar: %w", err)
	}
	return cal, s, nil
}

// person is someone a mail goes to.
type person struct {
	ID     int64
	Name   string
	Email  string
	Active bool
}

func (p person) reachable() bool { return p.ID != 0 && p.Active && p.Email != "" }

// openPack is what reminders need of a pack whose clocks may still run.
type openPack struct {
	ID               int64      `db:"id"`
	Status           string     `db:"status"`
	ClosedWonOn      time.Time  `db:"closed_won_on"`
	PackDueOn        time.Time  `db:"pack_due_on"`
	KickoffDueOn     time.Time  `db:"kickoff_due_on"`
	LockDueOn        *time.Time `db:"lock_due_on"`
	FirstSubmittedAt *time.Time `db:"first_submitted_at"`
	KickoffOn        *time.Time `db:"kickoff_on"`
	LockedAt         *time.Time `db:"locked_at"`
	FirstValueDueOn  *time.Time `db:"first_value_due_on"`
	FirstValueOn     *time.Time `db:"first_value_on"`
	PodReviewDueOn   *time.Time `db:"pod_review_due_on"`
	AccountName      string     `db:"account_name"`
	OpportunityName  string     `db:"opportunity_name"`
	SEID             int64      `db:"se_id"`
	SEName           string     `db:"se_name"`
	SEEmail          string     `db:"se_email"`
	SEActive         bool       `db:"se_active"`
	SAID             int64      `db:"sa_id"`
	SAName           string     `db:"sa_name"`
	SAEmail          string     `db:"sa_email"`
	SAActive         bool       `db:"sa_active"`
}

func (p *openPack) se() person { return person{p.SEID, p.SEName, p.SEEmail, p.SEActive} }
func (p *openPack) sa() person { return person{p.SAID, p.SAName, p.SAEmail, p.SAActive} }

// pack is what the clock model needs of p.
func (p *openPack) pack() *handoff.Pack {
	hp := &handoff.Pack{ID: p.ID, Status: handoff.Status(p.Status), PackDueOn: p.PackDueOn, KickoffDueOn: p.KickoffDueOn,
		LockDueOn: p.LockDueOn, FirstSubmittedAt: p.FirstSubmittedAt, KickoffOn: p.KickoffOn, LockedAt: p.LockedAt,
		FirstValueDueOn: p.FirstValueDueOn, PodReviewDueOn: p.PodReviewDueOn,
		Deal: handoff.Deal{ClosedWonOn: p.ClosedWonOn, SEID: p.SEID, SEName: p.SEName, SAID: p.SAID, SAName: p.SAName}}
	if p.FirstValueOn != nil {
		hp.FirstValue = &handoff.FirstValue{On: *p.FirstValueOn}
	}
	return hp
}

// title names the pack in mails: "Acme — Acme platform".
func (p *openPack) title() string { return p.AccountName + " — " + p.OpportunityName }

// openPackSQL reads the packs on which some clock runs, as the clock model
// says in SQL (postgres.AnyClockRunsSQL), with their people.
var openPackSQL = `
SELECT p.id, p.status, d.closed_won_on, p.pack_due_on, p.kickoff_due_on, p.lock_due_on, p.first_submitted_at,
       p.kickoff_on, p.locked_at, p.first_value_due_on, p.first_value_on, p.pod_review_due_on,
       d.account_name, d.opportunity_name,
       se.id AS se_id, se.name AS se_name, se.email AS se_email, se.active AS se_active,
       coalesce(sa.id, 0) AS sa_id, coalesce(sa.name, '') AS sa_name,
       coalesce(sa.email, '') AS sa_email, coalesce(sa.active, false) AS sa_active
FROM packs p
JOIN deals d ON d.id = p.deal_id
JOIN users se ON se.id = d.se_id
LEFT JOIN users sa ON sa.id = d.sa_id
WHERE ` + postgres.AnyClockRunsSQL()

// openPacks returns every pack on which some clock may still run: not yet
// locked, or locked with first value or pod reviews to come (or only
// userID's as SE or SA when userID is not 0). The clock model then says
// which clocks run (openClocks).
func openPacks(ctx context.Context, q postgres.Querier, userID int64) ([]*openPack, error) {
	rows, err := q.Query(ctx, openPackSQL+` AND ($1 = 0 OR d.se_id = $1 OR d.sa_id = $1) ORDER BY p.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("jobs: open packs: %w", err)
	}
	ps, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByName[openPack])
	if err != nil {
		return nil, fmt.Errorf("jobs: open packs: %w", err)
	}
	return ps, nil
}

// errGone means the pack is deleted or no clock runs on it any more:
// nothing left to remind of.
var errGone = errors.New("jobs: pack gone or finished")

func loadOpenPack(ctx context.Context, q postgres.Querier, id int64) (*openPack, error) {
	rows, err := q.Query(ctx, openPackSQL+` AND p.id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("jobs: pack %d: %w", id, err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[openPack])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errGone
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: pack %d: %w", id, err)
	}
	return p, nil
}

// managers returns the active managers, who receive the digest.
func managers(ctx context.Context, q postgres.Querier) ([]person, error) {
	rows, err := q.Query(ctx, `SELECT id, name, email, active FROM users
		WHERE role = $1 AND active ORDER BY id`, string(handoff.RoleManager))
	if err != nil {
		return nil, fmt.Errorf("jobs: managers: %w", err)
	}
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[person])
	if err != nil {
		return nil, fmt.Errorf("jobs: managers: %w", err)
	}
	return ps, nil
}

// notifyKinds are the pack events that mail someone: the kickoff meeting's
// (meetingKinds) mail its calendar invite (invites.go), a pod review its
// summary to the pod (podreview.go).
var notifyKinds = append([]string{handoff.EventSubmitted, handoff.EventReturned, handoff.EventCommitmentVetoed,
	handoff.EventPodReviewRecorded}, meetingKinds...)

// claimEvents marks up to limit not-yet-notified events as notified and
// returns their ids, inside tx (committed with their jobs). A concurrent
// sweep waits on the same rows and then skips them.
// staleEvents is how old an event may be and still mail someone.
const staleEvents = 48 * time.Hour

func claimEvents(ctx context.Context, tx pgx.Tx, limit int, now time.Time) ([]int64, error) {
	// Events older than two days are history, not news (a restored backup,
	// an import): mark them notified without mailing anyone.
	if _, err := tx.Exec(ctx, `
		INSERT INTO notified_events (event_id)
		SELECT e.id FROM pack_events e
		WHERE e.kind = ANY($1) AND e.at < $2
		  AND NOT EXISTS (SELECT 1 FROM notified_events n WHERE n.event_id = e.id)
		ON CONFLICT (event_id) DO NOTHING`, notifyKinds, now.Add(-staleEvents)); err != nil {
		return nil, fmt.Errorf("jobs: retire old events: %w", err)
	}
	rows, err := tx.Query(ctx, `
		INSERT INTO notified_events (event_id)
		SELECT e.id FROM pack_events e
		WHERE e.kind = ANY($1)
		  AND NOT EXISTS (SELECT 1 FROM notified_events n WHERE n.event_id = e.id)
		ORDER BY e.id
		LIMIT $2
		ON CONFLICT (event_id) DO NOTHING
		RETURNING event_id`, notifyKinds, limit)
	if err != nil {
		return nil, fmt.Errorf("jobs: claim events: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("jobs: claim events: %w", err)
	}
	return ids, nil
}

// packEvent is one event to notify about.
type packEvent struct {
	ID      int64
	PackID  int64
	Kind    string
	Summary string
	Actor   string
	At      time.Time
	// Nth is how many events of this kind the pack had up to this one, so a
	// second "submitted" reads "resubmitted".
	Nth int
}

func loadEvent(ctx context.Context, q postgres.Querier, id int64) (*packEvent, error) {
	var e packEvent
	err := q.QueryRow(ctx, `
		SELECT e.id, e.pack_id, e.kind, e.summary, coalesce(u.name, ''), e.at,
		       (SELECT count(*) FROM pack_events o WHERE o.pack_id = e.pack_id AND o.kind = e.kind AND o.id <= e.id)
		FROM pack_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.id = $1`, id).Scan(&e.ID, &e.PackID, &e.Kind, &e.Summary, &e.Actor, &e.At, &e.Nth)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errGone
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: event %d: %w", id, err)
	}
	return &e, nil
}
