package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Dues are a pack's computed due dates.
type Dues struct {
	PackDueOn       time.Time
	KickoffDueOn    time.Time
	LockDueOn       *time.Time
	FirstValueDueOn *time.Time
}

const packColumns = `
	p.id, p.status, p.version, p.submitted_version, p.pack_due_on, p.kickoff_due_on, p.lock_due_on,
	p.first_submitted_at, p.submitted_at, p.kickoff_on, p.acknowledged_at, p.locked_at,
	p.created_at, p.updated_at,
	d.id AS deal_id, d.account_name, d.opportunity_name, coalesce(d.crm_opportunity_id, '') AS crm_opportunity_id,
	d.segment, d.arr_minor, d.arr_currency, d.closed_won_on, d.ae_name, d.ae_email, d.csm_name, d.csm_email,
	d.se_id, coalesce(d.sa_id, 0) AS sa_id, se.name AS se_name, coalesce(sa.name, '') AS sa_name,
	d.strategic_marked, p.first_value_due_on, p.first_value_on, p.first_value_what, p.first_value_recorded_at,
	p.pod_review_due_on, p.pod_reviewed_on, p.pod_posture, p.pod_renewal_on`

const packFrom = `
	FROM packs p
	JOIN deals d ON d.id = p.deal_id
	JOIN users se ON se.id = d.se_id
	LEFT JOIN users sa ON sa.id = d.sa_id`

// packVisible filters packs to those the actor ($2 sees all, else $3 is the
// SE or SA) may see; it mirrors handoff.CanSeePack so a query never returns
// what the domain would hide.
const packVisible = ` AND ($2::boolean OR d.se_id = $3 OR d.sa_id = $3)`

func visibleArgs(actor *handoff.User) (bool, int64) {
	if actor == nil {
		return false, 0 // nobody: sees nothing
	}
	return actor.Role == handoff.RoleManager || actor.Role == handoff.RoleAdmin, actor.ID
}

type packRow struct {
	ID               int64
	Status           string
	Version          int
	SubmittedVersion int
	PackDueOn        time.Time
	KickoffDueOn     time.Time
	LockDueOn        *time.Time
	FirstSubmittedAt *time.Time
	SubmittedAt      *time.Time
	KickoffOn        *time.Time
	AcknowledgedAt   *time.Time
	LockedAt         *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	DealID           int64
	AccountName      string
	OpportunityName  string
	CRMOpportunityID string `db:"crm_opportunity_id"`
	Segment          string
	ARRMinor         int64  `db:"arr_minor"`
	ARRCurrency      string `db:"arr_currency"`
	ClosedWonOn      time.Time
	AEName           string `db:"ae_name"`
	AEEmail          string `db:"ae_email"`
	CSMName          string `db:"csm_name"`
	CSMEmail         string `db:"csm_email"`
	SEID             int64  `db:"se_id"`
	SAID             int64  `db:"sa_id"`
	SEName           string `db:"se_name"`
	SAName           string `db:"sa_name"`
	// After the lock (migration 00027).
	StrategicMarked      bool
	FirstValueDueOn      *time.Time
	FirstValueOn         *time.Time
	FirstValueWhat       *string
	FirstValueRecordedAt *time.Time
	PodReviewDueOn       *time.Time
	PodReviewedOn        *time.Time
	PodPosture           *string
	PodRenewalOn         *time.Time
}

func (r packRow) pack() *handoff.Pack {
	p := &handoff.Pack{
		ID: r.ID, Status: handoff.Status(r.Status), Version: r.Version, SubmittedVersion: r.SubmittedVersion,
		PackDueOn: r.PackDueOn, KickoffDueOn: r.KickoffDueOn, LockDueOn: r.LockDueOn,
		FirstSubmittedAt: r.FirstSubmittedAt, SubmittedAt: r.SubmittedAt, KickoffOn: r.KickoffOn,
		AcknowledgedAt: r.AcknowledgedAt, LockedAt: r.LockedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Deal: handoff.Deal{
			ID: r.DealID, AccountName: r.AccountName, OpportunityName: r.OpportunityName,
			CRMOpportunityID: r.CRMOpportunityID, Segment: handoff.Segment(r.Segment),
			ARR: handoff.Money{Minor: r.ARRMinor, Currency: r.ARRCurrency}, ClosedWonOn: r.ClosedWonOn,
			AE: handoff.Contact{Name: r.AEName, Email: r.AEEmail}, CSM: handoff.Contact{Name: r.CSMName, Email: r.CSMEmail},
			SEID: r.SEID, SAID: r.SAID, SEName: r.SEName, SAName: r.SAName,
			StrategicMarked: r.StrategicMarked,
		},
		FirstValueDueOn: r.FirstValueDueOn, PodReviewDueOn: r.PodReviewDueOn,
	}
	if r.FirstValueOn != nil && r.FirstValueWhat != nil && r.FirstValueRecordedAt != nil {
		p.FirstValue = &handoff.FirstValue{On: *r.FirstValueOn, What: *r.FirstValueWhat, RecordedAt: *r.FirstValueRecordedAt}
	}
	if r.PodReviewedOn != nil && r.PodPosture != nil && r.PodRenewalOn != nil {
		p.PodLatest = &handoff.PodLatest{HeldOn: *r.PodReviewedOn, Posture: handoff.Posture(*r.PodPosture), RenewalOn: *r.PodRenewalOn}
	}
	return p
}

// CreateDeal records a Closed-Won deal and its draft pack with its due dates,
// and the "created" event, in one transaction. The due dates come from the
// calendar as this transaction sees it, with the settings row share-locked,
// so a settings change running at the same moment either sees this pack or
// ran before its dates were computed. The SE (and the SA, if any) must be
// active in their roles as the transaction sees them, their rows
// share-locked so a deactivation waits for this deal. A CRM id already in
// use is an EINVALID error on that field.
func (db *DB) CreateDeal(ctx context.Context, actor *handoff.User, d handoff.Deal, due DueSource, now time.Time) (int64, error) {
	var packID int64
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM org_settings FOR SHARE`); err != nil {
			return err
		}
		if _, err := assignee(ctx, tx, d.SEID, handoff.RoleSE); err != nil {
			return err
		}
		if d.SAID != 0 {
			if _, err := assignee(ctx, tx, d.SAID, handoff.RoleSA); err != nil {
				return err
			}
		}
		dueOf, err := due(ctx, tx)
		if err != nil {
			return err
		}
		dues := dueOf(d.ClosedWonOn, nil)
		var crm *string
		if d.CRMOpportunityID != "" {
			crm = &d.CRMOpportunityID
		}
		var sa *int64
		if d.SAID != 0 {
			sa = &d.SAID
		}
		var dealID int64
		err = tx.QueryRow(ctx, `
			INSERT INTO deals (account_name, opportunity_name, crm_opportunity_id, segment, arr_minor, arr_currency,
			                   closed_won_on, ae_name, ae_email, csm_name, csm_email, se_id, sa_id, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
			RETURNING id`,
			d.AccountName, d.OpportunityName, crm, string(d.Segment), d.ARR.Minor, d.ARR.Currency,
			d.ClosedWonOn, d.AE.Name, d.AE.Email, d.CSM.Name, d.CSM.Email, d.SEID, sa, nullID(actor.ID), now).Scan(&dealID)
		if isUniqueViolation(err, "deals_crm_opportunity_id_key") {
			return &handoff.Error{Code: handoff.EINVALID, Message: "Some fields need your attention.",
				Fields: map[string]string{"crm_opportunity_id": "A deal with this CRM opportunity id already exists."}}
		}
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO packs (deal_id, pack_due_on, kickoff_due_on, created_at, updated_at, missing, missing_rule)
			VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id`,
			dealID, dues.PackDueOn, dues.KickoffDueOn, now, handoff.Documents{}.MissingCount(), handoff.CompletenessRule).Scan(&packID)
		if err != nil {
			return err
		}
		return db.addEvent(ctx, tx, packID, actor.ID, now, handoff.CreatedEvent(d.ClosedWonOn, dues.PackDueOn))
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: create deal %q: %w", d.AccountName, err)
	}
	return packID, nil
}

func notFound() error { return handoff.Errorf(handoff.ENOTFOUND, "not found") }

// Pack returns pack id if actor may see it, else a not-found error.
func (db *DB) Pack(ctx context.Context, actor *handoff.User, id int64) (*handoff.Pack, error) {
	p, err := packVisibleTo(ctx, db.Pool, actor, id, false)
	if err != nil {
		return nil, fmt.Errorf("postgres: pack %d: %w", id, err)
	}
	return p, nil
}

// docSpec is the registered kind of a stored document.
func docSpec(kind handoff.DocKind) (handoff.DocSpec, error) {
	spec, ok := kind.Spec()
	if !ok {
		return spec, fmt.Errorf("unknown document kind %q", kind)
	}
	return spec, nil
}

func unmarshalDocument(docs *handoff.Documents, kind handoff.DocKind, data []byte) error {
	spec, err := docSpec(kind)
	if err != nil {
		return err
	}
	if err := spec.Decode(docs, data); err != nil {
		return fmt.Errorf("decode %s document: %w", kind, err)
	}
	return nil
}

// ErrStale is returned (wrapped in an ECONFLICT error) when a save was based
// on an older version of the pack than the one stored.
var ErrStale = errors.New("stale pack version")

// SaveDocument stores one document of a pack for actor, if the pack is still
// at version (the one the person's form was based on), and records the save
// as an event, all in one transaction. It returns the pack's new version.
func (db *DB) SaveDocument(ctx context.Context, actor *handoff.User, packID int64, version int, kind handoff.DocKind, docs handoff.Documents, now time.Time) (int, error) {
	var newVersion int
	err := db.transition(ctx, actor, "save "+string(kind)+" of", packID, handoff.ActEditDocuments, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			rs, err := reviews(ctx, tx, packID)
			if err != nil {
				return handoff.Event{}, err
			}
			if err := handoff.CheckEditDocument(actor, p, kind, rs[kind]); err != nil {
				return handoff.Event{}, err
			}
			if err := stalePack(p, version, notSaved); err != nil {
				return handoff.Event{}, err
			}
			spec, err := docSpec(kind)
			if err != nil {
				return handoff.Event{}, err
			}
			data, err := spec.Encode(docs)
			if err != nil {
				return handoff.Event{}, err
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO pack_documents (pack_id, kind, data, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (pack_id, kind) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
				packID, string(kind), data, now, actor.ID); err != nil {
				return handoff.Event{}, err
			}
			if err := storeMissing(ctx, tx, packID); err != nil {
				return handoff.Event{}, err
			}
			if err := tx.QueryRow(ctx, `UPDATE packs SET version = version + 1, updated_at = $2 WHERE id = $1 RETURNING version`,
				packID, now).Scan(&newVersion); err != nil {
				return handoff.Event{}, err
			}
			return handoff.SectionSavedEvent(kind), nil
		})
	if err != nil {
		return 0, err
	}
	return newVersion, nil
}

// SubmitPack freezes the documents as the next numbered version and marks the
// pack submitted, if actor may and the pack is complete, in one transaction
// with its event. version guards against submitting a pack that changed since
// the person looked at it. After a return, replies are the SE's replies to
// the SA's reasons, by document: each returned document must have changed
// since the version the SA returned, or have a reply (handoff.CheckResubmit);
// the replies are stored, each with its own event line.
func (db *DB) SubmitPack(ctx context.Context, actor *handoff.User, packID int64, version int, replies map[handoff.DocKind]string,
	now time.Time) (int, error) {
	var number int
	err := db.transition(ctx, actor, "submit", packID, handoff.ActSubmit, now, func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
		docs, _, err := documents(ctx, tx, packID)
		if err != nil {
			return handoff.Event{}, err
		}
		if err := handoff.CheckSubmit(actor, p, docs); err != nil {
			return handoff.Event{}, err
		}
		if err := stalePack(p, version, "This pack changed since you opened it. Check the latest version, then submit again."); err != nil {
			return handoff.Event{}, err
		}
		if err := db.storeReplies(ctx, tx, actor, p, docs, replies, now); err != nil {
			return handoff.Event{}, err
		}
		number = p.SubmittedVersion + 1
		frozen, err := json.Marshal(docs)
		if err != nil {
			return handoff.Event{}, err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO pack_versions (pack_id, number, documents, submitted_at, submitted_by) VALUES ($1, $2, $3, $4, $5)`,
			packID, number, frozen, now, actor.ID); err != nil {
			return handoff.Event{}, err
		}
		// Returned documents come back for review; accepted ones carry over,
		// since the SE could not change them meanwhile.
		if _, err := tx.Exec(ctx, `DELETE FROM document_reviews WHERE pack_id = $1 AND decision = 'returned'`, packID); err != nil {
			return handoff.Event{}, err
		}
		if _, err := tx.Exec(ctx, `UPDATE document_reviews SET version = $2 WHERE pack_id = $1`, packID, number); err != nil {
			return handoff.Event{}, err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE packs SET status = 'submitted', submitted_version = $2, version = version + 1,
			       first_submitted_at = coalesce(first_submitted_at, $3), submitted_at = $3, updated_at = $3
			WHERE id = $1`, packID, number, now); err != nil {
			return handoff.Event{}, err
		}
		return handoff.SubmittedEvent(number), nil
	})
	if err != nil {
		return 0, err
	}
	return number, nil
}

// nullID stores 0 (the system, an API token) as NULL.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// PackIDByCRMOpportunityID returns the id of the pack whose deal has the CRM
// opportunity id crm, or a not-found error: the API's Closed-Won call is
// idempotent on it.
func (db *DB) PackIDByCRMOpportunityID(ctx context.Context, crm string) (int64, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `SELECT p.id FROM packs p JOIN deals d ON d.id = p.deal_id
		WHERE d.crm_opportunity_id = $1`, crm).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, notFound()
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: pack of CRM opportunity %q: %w", crm, err)
	}
	return id, nil
}
