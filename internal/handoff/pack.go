package handoff

import "time"

// Status is where a pack is in its lifecycle (docs/design.md, "A pack's life").
type Status string

// Pack statuses.
const (
	StatusDraft            Status = "draft"
	StatusSubmitted        Status = "submitted"
	StatusChangesRequested Status = "changes_requested"
	StatusAcknowledged     Status = "acknowledged"
	StatusLocked           Status = "locked"
)

// Label is the status in plain words.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "Draft"
	case StatusSubmitted:
		return "Submitted"
	case StatusChangesRequested:
		return "Changes requested"
	case StatusAcknowledged:
		return "Acknowledged"
	case StatusLocked:
		return "Architecture locked"
	}
	return string(s)
}

// Editable reports whether the SE may change documents in this status.
func (s Status) Editable() bool { return s == StatusDraft || s == StatusChangesRequested }

// Pack is a deal's handoff pack with its deadline dates.
type Pack struct {
	ID               int64
	Deal             Deal
	Status           Status
	Version          int // bumped by every change: optimistic concurrency
	SubmittedVersion int // N of the latest vN; 0 before the first submission
	PackDueOn        time.Time
	KickoffDueOn     time.Time
	LockDueOn        *time.Time
	FirstSubmittedAt *time.Time
	SubmittedAt      *time.Time
	KickoffOn        *time.Time
	AcknowledgedAt   *time.Time
	LockedAt         *time.Time
	// After the lock (aftercare.go): the first value clock's stored due day
	// (set with the kickoff) and the record that stops it; the pod review
	// clock's due day (nil unless a strategic account is locked) and the
	// latest review's posture.
	FirstValueDueOn *time.Time
	FirstValue      *FirstValue // nil until the SA records it
	PodReviewDueOn  *time.Time
	PodLatest       *PodLatest // nil until the first pod review
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Document is one stored document with who last saved it.
type Document struct {
	Kind      DocKind
	UpdatedAt time.Time
	UpdatedBy string
}

// Version is a frozen submission of the five documents.
type Version struct {
	Number      int
	Documents   Documents
	SubmittedAt time.Time
	SubmittedBy string
}

// Event is one line of a pack's history.
type Event struct {
	ID      int64
	At      time.Time
	Actor   string // "" for the system
	Kind    string
	Summary string
}

// Event kinds.
const (
	EventCreated         = "created"
	EventSectionSaved    = "section_saved"
	EventSubmitted       = "submitted"
	EventDeadlineChanged = "deadline_changed"
)

// ---- permissions on packs ----

// CanSeePack reports whether actor may see p at all: its SE, its SA, and
// managers and admins. Everyone else gets "not found".
func CanSeePack(actor *User, p *Pack) bool {
	if actor == nil || !actor.Active {
		return false
	}
	switch actor.Role {
	case RoleManager, RoleAdmin:
		return true
	case RoleSE:
		return p.Deal.SEID == actor.ID
	case RoleSA:
		return p.Deal.SAID == actor.ID
	}
	return false
}

// CheckEditDocuments says whether actor may change p's documents now: only the
// pack's own SE, and only while it is a draft or returned for changes.
func CheckEditDocuments(actor *User, p *Pack) error {
	return Decide(actor, p, ActEditDocuments)
}

// CheckSubmit says whether actor may submit p with these documents now.
func CheckSubmit(actor *User, p *Pack, docs Documents) error {
	if err := CheckEditDocuments(actor, p); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return Errorf(ECONFLICT, "This pack is already submitted (v%d).", p.SubmittedVersion)
		}
		return err
	}
	if !docs.Complete() {
		return Errorf(EINVALID, "The pack is not complete yet. Finish what is listed under each document, then submit.")
	}
	return nil
}

// DealRecorders are the roles that record a Closed-Won deal by hand
// (docs/design.md, "People and roles": an SE or a manager; the CRM records deals through the API). An
// admin runs the deployment and stays out of the deals. The route table
// declares the deal form for exactly these roles.
var DealRecorders = []Role{RoleSE, RoleManager}

// CanCreateDealFor reports whether actor may record a deal for the SE seID:
// an SE for themself, a manager for any SE.
func CanCreateDealFor(actor *User, seID int64) bool {
	if !HasRole(actor, DealRecorders...) {
		return false
	}
	switch actor.Role {
	case RoleSE:
		return actor.ID == seID
	case RoleManager:
		return true
	}
	return false
}

// CheckAssignee says whether u may be named as the role (the SE or the SA)
// on a deal, by hand, by the API or by a manager's reassignment: an active
// user in that role. nil is a person who was not found.
func CheckAssignee(u *User, role Role) error {
	if !HasRole(u, role) {
		return Errorf(EINVALID, "Name an active %s.", role.Label())
	}
	return nil
}
