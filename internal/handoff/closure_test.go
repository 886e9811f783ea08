package handoff

import (
	"slices"
	"strings"
	"testing"
)

// matrixDocs is an accepted pack with two commitments (one big and vetoed)
// and three risks, one of them open.
func matrixDocs() (Documents, map[string]CommitmentDecision) {
	d := Documents{
		Commitments: Commitments{Items: []Commitment{
			{ID: "k1", Kind: "sla", Description: "99.95% uptime", Evidence: "in_contract", EvidenceDetail: "§4.2"},
			{ID: "k2", Kind: "custom_feature", Description: "Custom SAP connector", Evidence: "promised_verbally"},
		}},
		Risks: Risks{Items: []Risk{
			{ID: "r1", Category: "integration_unknown", Description: "SAP version unknown", Severity: "high", Mitigation: "Discovery week"},
			{ID: "r2", Category: "other", Description: "Budget freeze", Severity: "low", Status: "mitigated"},
			{ID: "r3", Category: "other", Description: "Team turnover", Severity: "medium", Status: "accepted"},
		}},
	}
	decisions := map[string]CommitmentDecision{
		"k2": {CommitmentID: "k2", Fingerprint: Fingerprint(d.Commitments.Items[1]), Approved: false, Reason: "We don't build connectors."},
	}
	return d, decisions
}

func TestClosureMatrixRows(t *testing.T) {
	t.Parallel()
	docs, decisions := matrixDocs()
	m := ClosureMatrix(docs, decisions, map[string]Closure{
		"c-k1":    {Part: "scale", Note: "Two regions, active-active."},
		"c-k2":    {Part: "integrations", Note: "ignored: vetoed"},
		"c-ghost": {Part: "scale", Note: "not an item"},
	})
	var keys []string
	for _, r := range m {
		keys = append(keys, r.Key)
	}
	// Both commitments (the vetoed one shown), only the open risk.
	if want := []string{"c-k1", "c-k2", "r-r1"}; !slices.Equal(keys, want) {
		t.Fatalf("rows = %v, want %v", keys, want)
	}
	if m[0].Title != "SLA: 99.95% uptime" || m[0].Detail != "In contract — §4.2" || m[0].Open() {
		t.Errorf("commitment row = %+v", m[0])
	}
	if !m[1].Vetoed || m[1].Veto != "We don't build connectors." || m[1].Closure != (Closure{}) || m[1].Open() {
		t.Errorf("vetoed row = %+v: shown, needing nothing, closing nothing", m[1])
	}
	if !m[2].Open() || !strings.Contains(m[2].Title, "SAP version unknown") || m[2].Detail != "Discovery week" {
		t.Errorf("risk row = %+v", m[2])
	}
	if got := m.Closures(); len(got) != 1 || got["c-k1"].Part != "scale" {
		t.Errorf("Closures() = %v: only closures of rows that take one", got)
	}

	// A vetoed decision on an older wording of the commitment no longer
	// holds, so the row needs closing again.
	changed := docs
	changed.Commitments.Items = slices.Clone(docs.Commitments.Items)
	changed.Commitments.Items[1].Description = "SAP connector, read-only"
	if m := ClosureMatrix(changed, decisions, nil); m[1].Vetoed || !m[1].Open() {
		t.Errorf("row of a changed commitment = %+v, want open", m[1])
	}
}

func TestClosureOpenWhenHalfDone(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		c    Closure
		open bool
		says string
	}{
		{"nothing", Closure{}, true, "name the architecture part that delivers it"},
		{"note without part", Closure{Note: "Typed first."}, true, "name the architecture part that delivers it"},
		{"part without note", Closure{Part: "identity"}, true, "say how \"Identity model (SSO/SCIM/RBAC)\" delivers it"},
		{"out of scope without reason", Closure{Part: OutOfScope, Note: "  "}, true, "give the reason it is out of scope"},
		{"part with note", Closure{Part: "identity", Note: "Okta SAML."}, false, ""},
		{"out of scope with reason", Closure{Part: OutOfScope, Note: "Phase 2, agreed with the customer."}, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			docs := Documents{Commitments: Commitments{Items: []Commitment{{ID: "k1", Kind: "sla", Description: "Uptime"}}}}
			m := ClosureMatrix(docs, nil, map[string]Closure{"c-k1": tt.c})
			if m[0].Open() != tt.open {
				t.Fatalf("Open() = %v, want %v", m[0].Open(), tt.open)
			}
			missing := m.Missing()
			if !tt.open {
				if len(missing) != 0 {
					t.Errorf("Missing() = %q, want nothing", missing)
				}
				return
			}
			if len(missing) != 1 || !strings.Contains(missing[0], `"SLA: Uptime"`) || !strings.Contains(missing[0], tt.says) {
				t.Errorf("Missing() = %q, want the row named and %q", missing, tt.says)
			}
		})
	}
}

func TestLockNeedsAClosedMatrix(t *testing.T) {
	t.Parallel()
	docs, decisions := matrixDocs()
	a := completeArchitecture()
	open := a.Matrix(docs, decisions)
	err := a.CheckLock(open)
	if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "99.95% uptime") || !strings.Contains(ErrorMessage(err), "SAP version unknown") {
		t.Fatalf("CheckLock(open matrix) = %v, want the open rows named", err)
	}
	if strings.Contains(ErrorMessage(err), "Custom SAP connector") {
		t.Errorf("the vetoed commitment is named as open: %v", err)
	}
	a.Closures = map[string]Closure{
		"c-k1": {Part: "scale", Note: "Active-active in two regions."},
		"r-r1": {Part: OutOfScope, Note: "The customer owns SAP discovery."},
	}
	if err := a.CheckLock(a.Matrix(docs, decisions)); err != nil {
		t.Errorf("CheckLock(closed matrix) = %v", err)
	}
	// Once frozen, the matrix is the one stored, whatever the documents.
	a.Locked = a.Matrix(docs, decisions)
	if got := a.Matrix(Documents{}, nil); len(got) != 3 {
		t.Errorf("a locked architecture's matrix has %d rows, want the 3 frozen", len(got))
	}
}

func TestClosuresAreValidated(t *testing.T) {
	t.Parallel()
	a := completeArchitecture()
	a.Closures = map[string]Closure{
		"c-k1": {Part: "roof", Note: "x"},
		"r-r1": {Part: "scale", Note: strings.Repeat("x", MaxText+1)},
	}
	fields := InvalidFields(a.Validate(archKickoff, archToday))
	for _, f := range []string{"closure.c-k1.part", "closure.r-r1.note"} {
		if fields[f] == "" {
			t.Errorf("no error on %s (errors %v)", f, fields)
		}
	}
}

func TestArchitectureEqual(t *testing.T) {
	t.Parallel()
	a, b := completeArchitecture(), completeArchitecture()
	b.Closures = map[string]Closure{}
	if !a.Equal(b) {
		t.Error("no closures and an empty map differ")
	}
	b.Closures = map[string]Closure{"c-k1": {Part: "scale", Note: "x"}}
	if a.Equal(b) {
		t.Error("a closure made no difference")
	}
}
