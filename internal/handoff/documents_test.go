package handoff

import (
	"strings"
	"testing"
)

// docPeople is a stakeholder map the MEDDPICC cases point into.
func docPeople() Stakeholders {
	return Stakeholders{People: []Stakeholder{
		{ID: "p-champ", Name: "Chris Champion", Role: "champion", Sentiment: "supporter"},
		{ID: "p-eb", Name: "Erin Buyer", Role: "economic_buyer", Sentiment: "neutral"},
	}}
}

// validMEDDPICC has every element confirmed, champion and economic buyer
// pointing at docPeople.
func validMEDDPICC() MEDDPICC {
	rows := map[string]MEDDPICCRow{}
	for _, el := range MEDDPICCElements {
		rows[el.Value] = MEDDPICCRow{Status: "confirmed", Notes: el.Label + " notes"}
	}
	rows["champion"] = MEDDPICCRow{Status: "confirmed", Notes: "Runs platform", PersonID: "p-champ"}
	rows["economic_buyer"] = MEDDPICCRow{Status: "partial", Notes: "Signs", PersonID: "p-eb"}
	return MEDDPICC{Rows: rows}
}

func TestMEDDPICCValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*MEDDPICC)
		people Stakeholders
		want   map[string]string
	}{
		{"OKValid", func(*MEDDPICC) {}, docPeople(), nil},
		{"OKEmptyScorecard", func(m *MEDDPICC) { m.Rows = nil }, Stakeholders{}, nil},
		{"OKBlankStatusIsNotAValueError", func(m *MEDDPICC) { m.Rows["metrics"] = MEDDPICCRow{} }, docPeople(), nil},
		{"OKEveryStatus", func(m *MEDDPICC) {
			m.Rows["metrics"] = MEDDPICCRow{Status: "unknown"}
			m.Rows["competition"] = MEDDPICCRow{Status: "partial"}
		}, docPeople(), nil},
		{"OKNotesAtLimit", func(m *MEDDPICC) {
			m.Rows["decision_criteria"] = MEDDPICCRow{Status: "confirmed", Notes: strings.Repeat("é", 5000)}
		}, docPeople(), nil},
		{"ErrBadStatus", func(m *MEDDPICC) { m.Rows["metrics"] = MEDDPICCRow{Status: "yes"} }, docPeople(),
			map[string]string{"meddpicc.metrics.status": "Choose a status from the list."}},
		{"ErrStatusLabelNotValue", func(m *MEDDPICC) { m.Rows["paper_process"] = MEDDPICCRow{Status: "Confirmed"} }, docPeople(),
			map[string]string{"meddpicc.paper_process.status": "Choose a status"}},
		{"ErrChampionNotInStakeholderMap", func(m *MEDDPICC) {
			m.Rows["champion"] = MEDDPICCRow{Status: "confirmed", PersonID: "p-gone"}
		}, docPeople(), map[string]string{"meddpicc.champion.person_id": "That person is no longer in the stakeholder map; choose again."}},
		{"ErrChosenPeopleNotInEmptyMap", func(*MEDDPICC) {}, Stakeholders{},
			map[string]string{"meddpicc.champion.person_id": "no longer in the stakeholder map", "meddpicc.economic_buyer.person_id": "no longer in the stakeholder map"}},
		{"ErrUnknownElement", func(m *MEDDPICC) { m.Rows["budget"] = MEDDPICCRow{Status: "confirmed"} }, docPeople(),
			map[string]string{"meddpicc": "Unknown MEDDPICC element budget."}},
		{"ErrNotesTooLong", func(m *MEDDPICC) {
			m.Rows["decision_criteria"] = MEDDPICCRow{Status: "confirmed", Notes: strings.Repeat("x", 5001)}
		}, docPeople(), map[string]string{"meddpicc.decision_criteria.notes": "5000 characters or fewer"}},
		{"ErrSeveralAtOnce", func(m *MEDDPICC) {
			m.Rows["identify_pain"] = MEDDPICCRow{Status: "maybe"}
			m.Rows["economic_buyer"] = MEDDPICCRow{Status: "confirmed", PersonID: "nobody"}
		}, docPeople(), map[string]string{"meddpicc.identify_pain.status": "", "meddpicc.economic_buyer.person_id": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := validMEDDPICC()
			tt.change(&m)
			wantFieldKeys(t, m.Validate(tt.people), tt.want)
		})
	}
}

func validPOC() POC {
	return POC{
		Summary: "Prove SSO and 10k events/s ingest.",
		StartOn: "2026-01-05",
		EndOn:   "2026-02-05",
		Criteria: []Criterion{
			{ID: "c1", Promised: "SSO with Okta", Demonstrated: "Working in staging", Outcome: "met", Evidence: "Recording"},
			{ID: "c2", Promised: "10k events/s", Outcome: ""},
		},
	}
}

func TestPOCValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*POC)
		want   map[string]string
	}{
		{"OKValid", func(*POC) {}, nil},
		{"OKEmpty", func(p *POC) { *p = POC{} }, nil},
		{"OKSameDay", func(p *POC) { p.StartOn, p.EndOn = "2026-01-05", "2026-01-05" }, nil},
		{"OKOnlyStart", func(p *POC) { p.EndOn = "" }, nil},
		{"OKEveryOutcome", func(p *POC) {
			p.Criteria = nil
			for _, o := range Outcomes {
				p.Criteria = append(p.Criteria, Criterion{Promised: "x", Outcome: o.Value})
			}
		}, nil},
		{"ErrStartOnBadDate", func(p *POC) { p.StartOn = "2026-13-01" }, map[string]string{"start_on": "YYYY-MM-DD"}},
		{"ErrEndOnBadDate", func(p *POC) { p.EndOn = "5 Feb 2026" }, map[string]string{"end_on": "YYYY-MM-DD"}},
		{"ErrEndBeforeStart", func(p *POC) { p.StartOn, p.EndOn = "2026-02-05", "2026-02-04" }, map[string]string{"end_on": "The POC can't end before it starts."}},
		{"ErrEndBeforeStartAcrossYears", func(p *POC) { p.StartOn, p.EndOn = "2026-01-05", "2025-12-31" }, map[string]string{"end_on": "can't end before it starts"}},
		{"ErrBadStartOnlyNoOrderError", func(p *POC) { p.StartOn, p.EndOn = "2026-99-99", "2026-01-01" }, map[string]string{"start_on": "YYYY-MM-DD"}},
		{"ErrCriterionWithoutPromise", func(p *POC) { p.Criteria[0].Promised = "  \n" }, map[string]string{"criteria.0.promised": "Say what this criterion promised"}},
		{"ErrSecondCriterionBadOutcome", func(p *POC) { p.Criteria[1].Outcome = "passed" }, map[string]string{"criteria.1.outcome": "Choose an outcome from the list."}},
		{"ErrOutcomeLabelNotValue", func(p *POC) { p.Criteria[0].Outcome = "Partially met" }, map[string]string{"criteria.0.outcome": "Choose an outcome"}},
		{"ErrSummaryTooLong", func(p *POC) { p.Summary = strings.Repeat("s", 5001) }, map[string]string{"summary": "5000 characters or fewer"}},
		{"ErrEvidenceTooLong", func(p *POC) { p.Criteria[1].Evidence = strings.Repeat("e", 5001) }, map[string]string{"criteria.1.evidence": "5000 characters or fewer"}},
		{"ErrDemonstratedTooLong", func(p *POC) { p.Criteria[0].Demonstrated = strings.Repeat("d", 5001) }, map[string]string{"criteria.0.demonstrated": "5000 characters or fewer"}},
		{"ErrSeveralAtOnce", func(p *POC) {
			p.EndOn = "2025-01-01"
			p.Criteria[0].Promised = ""
			p.Criteria[1].Outcome = "won"
		}, map[string]string{"end_on": "", "criteria.0.promised": "", "criteria.1.outcome": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validPOC()
			tt.change(&p)
			wantFieldKeys(t, p.Validate(), tt.want)
		})
	}
}

func validCommitments() Commitments {
	return Commitments{Items: []Commitment{
		{ID: "k1", Kind: "custom_feature", Description: "SAML group sync", Evidence: "in_contract", EvidenceDetail: "Order form §4.2", Value: Money{Minor: 4000000, Currency: "USD"}, DueOn: "2026-06-30"},
		{ID: "k2", Kind: "sla", Description: "99.95% uptime", Evidence: "promised_verbally", EvidenceDetail: "AE on the 3 March call"},
	}}
}

func TestCommitmentsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Commitments)
		want   map[string]string
	}{
		{"OKValid", func(*Commitments) {}, nil},
		{"OKNoneBeyondContractAlone", func(c *Commitments) { *c = Commitments{NoneBeyondContract: true} }, nil},
		{"OKEmpty", func(c *Commitments) { *c = Commitments{} }, nil},
		{"OKInWritingWithoutDetail", func(c *Commitments) { c.Items[0].Evidence, c.Items[0].EvidenceDetail = "in_writing", "" }, nil},
		{"OKRoadmapWithoutDetail", func(c *Commitments) { c.Items[1].Evidence, c.Items[1].EvidenceDetail = "roadmap", "" }, nil},
		{"OKNoValue", func(c *Commitments) { c.Items[0].Value = Money{} }, nil},
		{"OKEveryKindAndEvidence", func(c *Commitments) {
			c.Items = nil
			for _, k := range CommitmentKinds {
				for _, e := range EvidenceStates {
					c.Items = append(c.Items, Commitment{Kind: k.Value, Description: "d", Evidence: e.Value, EvidenceDetail: "detail"})
				}
			}
		}, nil},
		{"ErrNoneBeyondContractTickedWithRows", func(c *Commitments) { c.NoneBeyondContract = true },
			map[string]string{"none_beyond_contract": "untick"}},
		{"ErrMissingDescription", func(c *Commitments) { c.Items[0].Description = " " },
			map[string]string{"items.0.description": "Describe what was promised"}},
		{"ErrMissingKind", func(c *Commitments) { c.Items[1].Kind = "" },
			map[string]string{"items.1.kind": "Choose the kind of commitment."}},
		{"ErrBadKind", func(c *Commitments) { c.Items[0].Kind = "feature" },
			map[string]string{"items.0.kind": "Choose a kind from the list."}},
		{"ErrMissingEvidence", func(c *Commitments) { c.Items[0].Evidence, c.Items[0].EvidenceDetail = "", "" },
			map[string]string{"items.0.evidence": "Say how it was promised"}},
		{"ErrBadEvidence", func(c *Commitments) { c.Items[0].Evidence = "handshake" },
			map[string]string{"items.0.evidence": "Choose an evidence state from the list."}},
		{"ErrInContractWithoutClause", func(c *Commitments) { c.Items[0].EvidenceDetail = " \t" },
			map[string]string{"items.0.evidence_detail": "Add the contract clause."}},
		{"ErrPromisedVerballyWithoutWho", func(c *Commitments) { c.Items[1].EvidenceDetail = "" },
			map[string]string{"items.1.evidence_detail": "Add who said it and when."}},
		{"ErrBadCurrencyLowercase", func(c *Commitments) { c.Items[0].Value.Currency = "usd" },
			map[string]string{"items.0.currency": "ISO currency code"}},
		{"ErrBadCurrencyTooLong", func(c *Commitments) { c.Items[1].Value = Money{Minor: 100, Currency: "EURO"} },
			map[string]string{"items.1.currency": "ISO currency code"}},
		{"ErrBadDueDate", func(c *Commitments) { c.Items[0].DueOn = "30/06/2026" },
			map[string]string{"items.0.due_on": "YYYY-MM-DD"}},
		{"ErrDescriptionTooLong", func(c *Commitments) { c.Items[1].Description = strings.Repeat("d", 5001) },
			map[string]string{"items.1.description": "5000 characters or fewer"}},
		{"ErrSeveralAtOnce", func(c *Commitments) {
			c.NoneBeyondContract = true
			c.Items[0] = Commitment{}
			c.Items[1].DueOn = "soon"
		}, map[string]string{
			"none_beyond_contract": "", "items.0.description": "", "items.0.kind": "", "items.0.evidence": "", "items.1.due_on": "",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := validCommitments()
			tt.change(&c)
			wantFieldKeys(t, c.Validate(), tt.want)
		})
	}
}

func validStakeholders() Stakeholders {
	return Stakeholders{People: []Stakeholder{
		{ID: "p1", Name: "Chris Champion", Title: "Head of Platform", Email: "chris@customer.example", Role: "champion", Sentiment: "supporter", Notes: "Ally"},
		{ID: "p2", Name: "Tara Tech", Role: "technical_buyer"},
	}}
}

func TestStakeholdersValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Stakeholders)
		want   map[string]string
	}{
		{"OKValid", func(*Stakeholders) {}, nil},
		{"OKEmpty", func(s *Stakeholders) { *s = Stakeholders{} }, nil},
		{"OKEveryRoleAndSentiment", func(s *Stakeholders) {
			s.People = nil
			for _, r := range BuyingRoles {
				for _, se := range Sentiments {
					s.People = append(s.People, Stakeholder{Name: "n", Role: r.Value, Sentiment: se.Value})
				}
			}
		}, nil},
		{"ErrMissingName", func(s *Stakeholders) { s.People[0].Name = "  " },
			map[string]string{"people.0.name": "Enter the person's name"}},
		{"ErrMissingRole", func(s *Stakeholders) { s.People[1].Role = "" },
			map[string]string{"people.1.role": "Choose their buying role."}},
		{"ErrBadRole", func(s *Stakeholders) { s.People[0].Role = "sponsor" },
			map[string]string{"people.0.role": "Choose a buying role from the list."}},
		{"ErrBadEmail", func(s *Stakeholders) { s.People[0].Email = "chris@" },
			map[string]string{"people.0.email": "name@company.com"}},
		{"ErrEmailWithDisplayName", func(s *Stakeholders) { s.People[1].Email = "Tara <tara@customer.example>" },
			map[string]string{"people.1.email": "name@company.com"}},
		{"ErrBadSentiment", func(s *Stakeholders) { s.People[0].Sentiment = "happy" },
			map[string]string{"people.0.sentiment": "Choose a sentiment from the list."}},
		{"ErrNameTooLong", func(s *Stakeholders) { s.People[0].Name = strings.Repeat("n", 201) },
			map[string]string{"people.0.name": "200 characters or fewer"}},
		{"ErrTitleTooLong", func(s *Stakeholders) { s.People[0].Title = strings.Repeat("t", 201) },
			map[string]string{"people.0.title": "200 characters or fewer"}},
		{"ErrSeveralAtOnce", func(s *Stakeholders) {
			s.People[0].Email = "nope"
			s.People[1] = Stakeholder{Sentiment: "angry"}
		}, map[string]string{"people.0.email": "", "people.1.name": "", "people.1.role": "", "people.1.sentiment": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := validStakeholders()
			tt.change(&s)
			wantFieldKeys(t, s.Validate(), tt.want)
		})
	}
}

func validRisks() Risks {
	return Risks{Items: []Risk{
		{ID: "r1", Category: "security_review", Description: "Pen test carve-out", Severity: "high", Mitigation: "Run it in Q2", Owner: "SA", Status: "open"},
		{ID: "r2", Category: "other", Description: "Champion may leave", Severity: "low"},
	}}
}

func TestRisksValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Risks)
		want   map[string]string
	}{
		{"OKValid", func(*Risks) {}, nil},
		{"OKNoKnownRisksAlone", func(r *Risks) { *r = Risks{NoKnownRisks: true} }, nil},
		{"OKEmpty", func(r *Risks) { *r = Risks{} }, nil},
		{"OKEveryStatus", func(r *Risks) {
			for _, s := range RiskStatuses {
				r.Items = append(r.Items, Risk{Category: "other", Description: "d", Severity: "medium", Status: s.Value})
			}
		}, nil},
		{"ErrNoKnownRisksTickedWithRows", func(r *Risks) { r.NoKnownRisks = true },
			map[string]string{"no_known_risks": "untick"}},
		{"ErrMissingDescription", func(r *Risks) { r.Items[1].Description = "" },
			map[string]string{"items.1.description": "Describe the risk"}},
		{"ErrMissingCategory", func(r *Risks) { r.Items[0].Category = "" },
			map[string]string{"items.0.category": "Choose a category."}},
		{"ErrBadCategory", func(r *Risks) { r.Items[0].Category = "legal" },
			map[string]string{"items.0.category": "Choose a category from the list."}},
		{"ErrMissingSeverity", func(r *Risks) { r.Items[0].Severity = "" },
			map[string]string{"items.0.severity": "Choose how severe it is."}},
		{"ErrBadSeverity", func(r *Risks) { r.Items[1].Severity = "critical" },
			map[string]string{"items.1.severity": "Choose a severity from the list."}},
		{"ErrBadStatus", func(r *Risks) { r.Items[0].Status = "closed" },
			map[string]string{"items.0.status": "Choose a status from the list."}},
		{"ErrOwnerTooLong", func(r *Risks) { r.Items[0].Owner = strings.Repeat("o", 201) },
			map[string]string{"items.0.owner": "200 characters or fewer"}},
		{"ErrMitigationTooLong", func(r *Risks) { r.Items[0].Mitigation = strings.Repeat("m", 5001) },
			map[string]string{"items.0.mitigation": "5000 characters or fewer"}},
		{"ErrSeveralAtOnce", func(r *Risks) {
			r.NoKnownRisks = true
			r.Items[1] = Risk{Status: "done"}
		}, map[string]string{"no_known_risks": "", "items.1.description": "", "items.1.category": "", "items.1.severity": "", "items.1.status": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := validRisks()
			tt.change(&r)
			wantFieldKeys(t, r.Validate(), tt.want)
		})
	}
}

func TestParseDocKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want DocKind
		ok   bool
	}{
		{"meddpicc", DocMEDDPICC, true},
		{"poc", DocPOC, true},
		{"commitments", DocCommitments, true},
		{"stakeholders", DocStakeholders, true},
		{"risks", DocRisks, true},
		{"MEDDPICC", "", false},
		{"risk", "", false},
		{" poc", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		name := "Accepts_" + tt.in
		if !tt.ok {
			name = "Refuses_" + tt.in
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseDocKind(tt.in)
			if ok != tt.ok || (tt.ok && got != tt.want) {
				t.Errorf("ParseDocKind(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	t.Run("DocKindsInPackOrder", func(t *testing.T) {
		t.Parallel()
		// The order they are filled in: MEDDPICC names people from the map.
		want := []DocKind{"stakeholders", "meddpicc", "poc", "commitments", "risks"}
		if len(DocKinds) != len(want) {
			t.Fatalf("DocKinds = %q, want %q", DocKinds, want)
		}
		for i := range want {
			if DocKinds[i] != want[i] {
				t.Errorf("DocKinds[%d] = %q, want %q", i, DocKinds[i], want[i])
			}
		}
	})
}

func TestDocKindTitle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind DocKind
		want string
	}{
		{DocMEDDPICC, "MEDDPICC scorecard"},
		{DocPOC, "POC scope and outcomes"},
		{DocCommitments, "Commercial commitments"},
		{DocStakeholders, "Stakeholder map"},
		{DocRisks, "Risk log"},
		{DocKind("other"), "other"},
	}
	for _, tt := range tests {
		t.Run("Title_"+string(tt.kind), func(t *testing.T) {
			t.Parallel()
			if got := tt.kind.Title(); got != tt.want {
				t.Errorf("%q.Title() = %q, want %q", tt.kind, got, tt.want)
			}
			if tt.kind != "other" && tt.kind.Purpose() == "" {
				t.Errorf("%q.Purpose() is empty", tt.kind)
			}
		})
	}
}

func TestStakeholdersPerson(t *testing.T) {
	t.Parallel()
	people := Stakeholders{People: []Stakeholder{
		{ID: "", Name: "Row not yet saved"},
		{ID: "p1", Name: "Chris"},
		{ID: "p2", Name: "Tara"},
	}}
	tests := []struct {
		name, id string
		wantName string
		ok       bool
	}{
		{"FoundFirst", "p1", "Chris", true},
		{"FoundSecond", "p2", "Tara", true},
		{"NotFoundUnknownID", "p3", "", false},
		{"NotFoundCaseDiffers", "P1", "", false},
		{"NotFoundEmptyIDEvenWithIDlessRow", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := people.Person(tt.id)
			if ok != tt.ok || got.Name != tt.wantName {
				t.Errorf("Person(%q) = %+v, %v; want name %q, %v", tt.id, got, ok, tt.wantName, tt.ok)
			}
			if !ok && got != (Stakeholder{}) {
				t.Errorf("Person(%q) = %+v when not found, want zero", tt.id, got)
			}
		})
	}
	t.Run("NotFoundInEmptyMap", func(t *testing.T) {
		t.Parallel()
		if _, ok := (Stakeholders{}).Person("p1"); ok {
			t.Error("Person in an empty map reported found")
		}
	})
}

func TestNewRowID(t *testing.T) {
	t.Parallel()
	const n = 2000
	seen := make(map[string]bool, n)
	for range n {
		id := NewRowID()
		if len(id) != 12 {
			t.Fatalf("NewRowID() = %q, want 12 characters", id)
		}
		for _, c := range id {
			if !('a' <= c && c <= 'z' || '2' <= c && c <= '7') {
				t.Fatalf("NewRowID() = %q, want lowercase base32 characters only", id)
			}
		}
		if id != strings.ToLower(id) {
			t.Fatalf("NewRowID() = %q, not lowercase", id)
		}
		if seen[id] {
			t.Fatalf("NewRowID() returned %q twice in %d calls", id, n)
		}
		seen[id] = true
	}
}
