package handoff

import (
	"net/url"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// ArchPart is one part of the reference architecture: a link and/or notes.
type ArchPart struct {
	Link  string `json:"link"`
	Notes string `json:"notes"`
}

func (p ArchPart) present() bool { return p.Link != "" || p.Notes != "" }

// Architecture is the SA's reference architecture, signed off by the
// customer's enterprise architect (docs/design.md, "A pack's life").
type Architecture struct {
	DocLink      string   `json:"doc_link"`
	Summary      string   `json:"summary"`
	Diagrams     ArchPart `json:"diagrams"`
	DataFlows    ArchPart `json:"data_flows"`
	Identity     ArchPart `json:"identity"`
	Integrations ArchPart `json:"integrations"`
	Scale        ArchPart `json:"scale"`
	SignOffName  string   `json:"sign_off_name"`
	SignOffTitle string   `json:"sign_off_title"`
	SignOffOn    string   `json:"sign_off_on"` // YYYY-MM-DD
	// Closures close the rows of the closure matrix, by MatrixRow.Key.
	Closures map[string]Closure `json:"closures,omitempty"`
	// Locked is the closure matrix as it stood at the lock, frozen with the
	// architecture; nil before. An empty frozen matrix is stored as [] (not
	// left out), so it reads as frozen rather than as never locked.
	Locked Matrix `json:"locked_matrix"`
}

// Equal reports whether a and b say the same.
func (a Architecture) Equal(b Architecture) bool {
	return reflect.DeepEqual(a.normal(), b.normal())
}

// normal is a with no closures as a nil map, so an empty matrix equals no
// matrix.
func (a Architecture) normal() Architecture {
	if len(a.Closures) == 0 {
		a.Closures = nil
	}
	return a
}

// Matrix is the architecture's closure matrix: as frozen at the lock, or,
// before it, the accepted documents' rows with the closures stored so far.
func (a Architecture) Matrix(accepted Documents, decisions map[string]CommitmentDecision) Matrix {
	if a.Locked != nil {
		return a.Locked
	}
	return ClosureMatrix(accepted, decisions, a.Closures)
}

// ArchParts names the five parts, in form order, with their form field
// prefixes.
var ArchParts = []Option{
	{"diagrams", "Diagrams"},
	{"data_flows", "Data flows"},
	{"identity", "Identity model (SSO/SCIM/RBAC)"},
	{"integrations", "Integration list"},
	{"scale", "Scale plan"},
}

// Part returns the part named by its field prefix.
func (a *Architecture) Part(name string) *ArchPart {
	switch name {
	case "diagrams":
		return &a.Diagrams
	case "data_flows":
		return &a.DataFlows
	case "identity":
		return &a.Identity
	case "integrations":
		return &a.Integrations
	case "scale":
		return &a.Scale
	}
	return nil
}

// Missing lists what the lock still needs, in words.
func (a Architecture) Missing() []string {
	var out []string
	for _, p := range ArchParts {
		if !a.Part(p.Value).present() {
			out = append(out, "Add the "+strings.ToLower(p.Label[:1])+p.Label[1:]+": a link, notes, or both.")
		}
	}
	if a.SignOffName == "" || a.SignOffTitle == "" || a.SignOffOn == "" {
		out = append(out, "Record the customer's sign-off: their enterprise architect's name, title and the sign-off date.")
	}
	return out
}

// Validate checks the values (not completeness): links are web addresses,
// the sign-off date is a real day between kickoff and today.
func (a *Architecture) Validate(kickoff, today time.Time) error {
	fe := FieldErrors{}
	checkLink := func(field, v string) {
		if v == "" {
			return
		}
		if utf8.RuneCountInString(v) > MaxLink {
			fe.Add(field, TooLong(MaxLink))
			return
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			fe.Add(field, "Use a full web address starting with https:// (or http://).")
		}
	}
	checkLink("doc_link", a.DocLink)
	checkLen(fe, "summary", a.Summary, maxText)
	for _, p := range ArchParts {
		part := a.Part(p.Value)
		checkLink(p.Value+".link", part.Link)
		checkLen(fe, p.Value+".notes", part.Notes, maxText)
	}
	checkClosures(fe, a.Closures)
	checkLen(fe, "sign_off_name", a.SignOffName, MaxShort)
	checkLen(fe, "sign_off_title", a.SignOffTitle, MaxShort)
	if a.SignOffOn != "" {
		on, err := ParseDate(a.SignOffOn)
		switch {
		case err != nil:
			fe.Add("sign_off_on", ErrorMessage(err))
		case on.After(today):
			fe.Add("sign_off_on", "The sign-off date can't be in the future.")
		case on.Before(kickoff):
			fe.Add("sign_off_on", "The sign-off can't be before the kickoff ("+kickoff.Format("2006-01-02")+").")
		}
	}
	return fe.Err()
}

// LockBlockers lists, in words, what stands between the architecture and
// its lock: the parts and sign-off (Missing), then each open row of its
// closure matrix m.
func (a Architecture) LockBlockers(m Matrix) []string {
	return append(a.Missing(), m.Missing()...)
}

// CheckLock says whether the architecture may be locked with its closure
// matrix m: every part, the sign-off, and every row closed.
func (a Architecture) CheckLock(m Matrix) error {
	if b := a.LockBlockers(m); len(b) > 0 {
		return Errorf(EINVALID, "The architecture can't be locked yet: %s", strings.Join(b, " "))
	}
	return nil
}

// Comment is one message in a pack's conversation.
type Comment struct {
	ID     int64
	At     time.Time
	Author string
	Body   string
}

// More event kinds, for the SA's journey.
const (
	EventReviewed           = "reviewed"
	EventReturned           = "returned"
	EventAnswered           = "answered"
	EventCommitmentApproved = "commitment_approved"
	EventCommitmentVetoed   = "commitment_vetoed"
	EventAcknowledged       = "acknowledged"
	EventArchitectureSaved  = "architecture_saved"
	EventLocked             = "locked"
	EventReassigned         = "reassigned"
)
