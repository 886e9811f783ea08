package handoff

import (
	"strings"
)

// The closure matrix (docs/design.md, "The closure matrix"): before the lock,
// every commitment and every open risk of the accepted version is closed by
// the architecture part that delivers or mitigates it, with a note, or marked
// out of scope with a reason. It is what ties what was sold to what was
// designed, so the lock waits for it.

// OutOfScope is the closure of an item the architecture deliberately does
// not cover.
const OutOfScope = "out_of_scope"

// Closure is how one item of the matrix is closed: Part is an architecture
// part (ArchParts) or OutOfScope; Note says how the part delivers or
// mitigates it, or why it is out of scope.
type Closure struct {
	Part string `json:"part"`
	Note string `json:"note"`
}

// Closed reports whether the closure closes its row: a part (or out of
// scope) and words saying how (or why).
func (c Closure) Closed() bool { return c.Part != "" && strings.TrimSpace(c.Note) != "" }

// ClosureChoices are the ways to close a row, in menu order.
func ClosureChoices() []Option {
	out := append([]Option(nil), ArchParts...)
	return append(out, Option{OutOfScope, "Out of scope"})
}

// Item kinds of the matrix and of the accuracy assessment.
const (
	ItemCommitment = "commitment"
	ItemRisk       = "risk"
)

// ItemKey names a commitment or risk of a version within a pack: the kind's
// initial and the row id, the shape of a form field name.
func ItemKey(kind, rowID string) string { return kind[:1] + "-" + rowID }

// MatrixRow is one commitment or open risk of the accepted version and its
// closure.
type MatrixRow struct {
	Key     string  `json:"key"`              // ItemKey
	Kind    string  `json:"kind"`             // ItemCommitment or ItemRisk
	Title   string  `json:"title"`            // "Integration: nightly SAP sync" / "High risk (…): …"
	Detail  string  `json:"detail,omitempty"` // the evidence of a commitment, the mitigation of a risk
	Vetoed  bool    `json:"vetoed,omitempty"` // a commitment the SA vetoed: shown, needs no closure
	Veto    string  `json:"veto,omitempty"`   // the veto's reason
	Closure Closure `json:"closure"`
}

// Open reports whether the row still stands between the pack and its lock.
func (r MatrixRow) Open() bool { return !r.Vetoed && !r.Closure.Closed() }

// Matrix is the closure matrix of a pack, commitments first, in the order
// the SE listed them.
type Matrix []MatrixRow

// ClosureMatrix builds the matrix of the accepted documents: each commitment
// (vetoed ones flagged, needing nothing), then each risk still open, with
// the closures stored for them. Closures of items no longer in the matrix
// are ignored.
func ClosureMatrix(accepted Documents, decisions map[string]CommitmentDecision, closures map[string]Closure) Matrix {
	var m Matrix
	for _, c := range accepted.Commitments.Items {
		row := MatrixRow{Key: ItemKey(ItemCommitment, c.ID), Kind: ItemCommitment,
			Title: commitmentTitle(c), Detail: OptionLabel(EvidenceStates, c.Evidence)}
		if c.EvidenceDetail != "" {
			row.Detail += " — " + c.EvidenceDetail
		}
		if d, ok := DecisionFor(c, decisions); ok && !d.Approved {
			row.Vetoed, row.Veto = true, d.Reason
		} else {
			row.Closure = closures[row.Key]
		}
		m = append(m, row)
	}
	for _, r := range accepted.Risks.Items {
		if r.CurrentStatus() != DefaultRiskStatus {
			continue
		}
		m = append(m, MatrixRow{Key: ItemKey(ItemRisk, r.ID), Kind: ItemRisk,
			Title:   riskTitle(r),
			Detail:  r.Mitigation,
			Closure: closures[ItemKey(ItemRisk, r.ID)]})
	}
	return m
}

// commitmentTitle names a commitment in the matrix and the assessment:
// "Integration: nightly SAP sync".
func commitmentTitle(c Commitment) string {
	return OptionLabel(CommitmentKinds, c.Kind) + ": " + c.Description
}

// riskTitle names a risk in the matrix and the assessment: "High risk
// (Integration unknown): SAP version unknown".
func riskTitle(r Risk) string {
	return OptionLabel(Severities, r.Severity) + " risk (" + OptionLabel(RiskCategories, r.Category) + "): " + r.Description
}

// OpenRows lists the rows still open.
func (m Matrix) OpenRows() []MatrixRow {
	var out []MatrixRow
	for _, r := range m {
		if r.Open() {
			out = append(out, r)
		}
	}
	return out
}

// Closures are the closures of the rows that can take one, keyed by row:
// what the architecture stores.
func (m Matrix) Closures() map[string]Closure {
	out := map[string]Closure{}
	for _, r := range m {
		if !r.Vetoed && r.Closure != (Closure{}) {
			out[r.Key] = r.Closure
		}
	}
	return out
}

// With returns the matrix with closures as typed, for the rows that can take
// one; keys of no row are dropped, so a form names only the server's rows.
func (m Matrix) With(closures map[string]Closure) Matrix {
	out := make(Matrix, len(m))
	for i, r := range m {
		if !r.Vetoed {
			r.Closure = closures[r.Key]
		}
		out[i] = r
	}
	return out
}

// checkClosures checks closures as typed (not whether every row is closed):
// a part from the list and notes within the limit. A note with no part yet
// is a draft like any other: the row stays open and says what it lacks.
// Errors are keyed "closure.<key>.part" and "closure.<key>.note".
func checkClosures(fe FieldErrors, closures map[string]Closure) {
	choices := ClosureChoices()
	for key, c := range closures {
		f := "closure." + key + "."
		checkOption(fe, f+"part", choices, c.Part, "an architecture part or \"Out of scope\"")
		checkLen(fe, f+"note", c.Note, MaxText)
	}
}

// ClosureNeeds is what open row r still needs, in words.
func ClosureNeeds(r MatrixRow) string {
	what := "delivers it"
	if r.Kind == ItemRisk {
		what = "mitigates it"
	}
	switch {
	case r.Closure.Part == OutOfScope:
		return "give the reason it is out of scope"
	case r.Closure.Part != "":
		return "say how \"" + OptionLabel(ArchParts, r.Closure.Part) + "\" " + what
	}
	return "name the architecture part that " + what + " with a note, or mark it out of scope with a reason"
}

// Missing lists what the matrix still needs before the lock, one line per
// open row, naming it.
func (m Matrix) Missing() []string {
	var out []string
	for _, r := range m.OpenRows() {
		out = append(out, "Close \""+r.Title+"\" in the closure matrix: "+ClosureNeeds(r)+".")
	}
	return out
}

// MatrixState is what a pack's closure matrix is.
type MatrixState string

// The states of a closure matrix.
const (
	// MatrixDraft: the SA is still closing rows; the lock waits for them.
	MatrixDraft MatrixState = "draft"
	// MatrixFrozen: frozen with the architecture at the lock.
	MatrixFrozen MatrixState = "frozen"
	// MatrixNotKept: the pack was locked before Handoff kept a closure
	// matrix, so its rows were never closed; shown, never claimed frozen.
	MatrixNotKept MatrixState = "not_kept"
)

// MatrixState says what the architecture's closure matrix is for a pack in
// status s: every page, document and API answer asks this one function.
func (a Architecture) MatrixState(s Status) MatrixState {
	switch {
	case a.Locked != nil:
		return MatrixFrozen
	case s == StatusLocked:
		return MatrixNotKept
	}
	return MatrixDraft
}
