package handoff

import (
	"slices"
	"testing"
)

// completeDocs builds a pack that satisfies every rule of docs/design.md, "A pack's life"; each
// case below takes one thing away. Every call returns fresh maps and slices.
func completeDocs() Documents {
	rows := map[string]MEDDPICCRow{}
	for _, el := range MEDDPICCElements {
		rows[el.Value] = MEDDPICCRow{Status: "confirmed", Notes: el.Label + " notes"}
	}
	rows["champion"] = MEDDPICCRow{Status: "confirmed", Notes: "Pushing internally", PersonID: "p-champ"}
	rows["economic_buyer"] = MEDDPICCRow{Status: "partial", Notes: "Signs off budget", PersonID: "p-eb"}
	rows["decision_criteria"] = MEDDPICCRow{Status: "confirmed", Notes: "SSO, 10k events/s, EU hosting"}
	return Documents{
		MEDDPICC: MEDDPICC{Rows: rows},
		POC: POC{
			Summary: "Prove SSO and ingest throughput.",
			StartOn: "2026-01-05",
			EndOn:   "2026-02-05",
			Criteria: []Criterion{
				{ID: "c1", Promised: "SSO with Okta", Demonstrated: "Working in staging", Outcome: "met"},
			},
		},
		Commitments: Commitments{Items: []Commitment{
			{ID: "k1", Kind: "sla", Description: "99.95% uptime", Evidence: "in_contract", EvidenceDetail: "§4.2"},
		}},
		Stakeholders: Stakeholders{People: []Stakeholder{
			{ID: "p-champ", Name: "Chris", Role: "champion"},
			{ID: "p-eb", Name: "Erin", Role: "economic_buyer"},
			{ID: "p-tech", Name: "Tara", Role: "technical_buyer"},
			{ID: "p-biz", Name: "Bo", Role: "business_buyer"},
		}},
		Risks: Risks{Items: []Risk{
			{ID: "r1", Category: "security_review", Description: "Pen test carve-out", Severity: "high", Status: "open"},
		}},
	}
}

// docsSetRole gives the stakeholder id a new buying role.
func docsSetRole(d *Documents, id, role string) {
	for i := range d.Stakeholders.People {
		if d.Stakeholders.People[i].ID == id {
			d.Stakeholders.People[i].Role = role
		}
	}
}

// docsRemovePerson drops the stakeholder id from the map.
func docsRemovePerson(d *Documents, id string) {
	d.Stakeholders.People = slices.DeleteFunc(d.Stakeholders.People, func(p Stakeholder) bool { return p.ID == id })
}

// docsSetRow changes one MEDDPICC row in place.
func docsSetRow(d *Documents, element string, f func(*MEDDPICCRow)) {
	r := d.MEDDPICC.Rows[element]
	f(&r)
	d.MEDDPICC.Rows[element] = r
}

// wantMissing fails t unless got lists, for every one of the five documents,
// exactly the messages of want (absent means nothing missing).
func wantMissing(t *testing.T, got, want map[DocKind][]string) {
	t.Helper()
	if len(got) != len(DocKinds) {
		t.Errorf("Missing() has %d documents, want all %d: %q", len(got), len(DocKinds), got)
	}
	for _, k := range DocKinds {
		if _, ok := got[k]; !ok {
			t.Errorf("Missing() has no entry for %s", k)
		}
		if !slices.Equal(got[k], want[k]) {
			t.Errorf("Missing()[%s] =\n  %q\nwant\n  %q", k, got[k], want[k])
		}
	}
}

func TestDocumentsMissingEmpty(t *testing.T) {
	t.Parallel()
	var d Documents
	want := map[DocKind][]string{
		DocMEDDPICC: {
			"Set a status for Metrics, Economic Buyer, Decision Criteria, Decision Process, Paper Process, Identify Pain, Champion and Competition.",
			"Name the champion: choose them from the stakeholder map.",
			"Name the economic buyer: choose them from the stakeholder map.",
			"Write out the decision criteria.",
		},
		DocPOC: {
			"Summarise the POC's scope.",
			"Add at least one success criterion with its outcome.",
		},
		DocCommitments: {
			"List every commitment made beyond the standard product, or confirm there are none beyond the contract.",
		},
		DocStakeholders: {
			"Add a technical buyer to the map.",
			"Add a business buyer to the map.",
			"Add the champion to the map.",
			"Add the economic buyer to the map.",
		},
		DocRisks: {
			"Log at least one risk, or confirm there are no known risks.",
		},
	}
	t.Run("EverythingMissing", func(t *testing.T) {
		t.Parallel()
		wantMissing(t, d.Missing(), want)
	})
	t.Run("NotComplete", func(t *testing.T) {
		t.Parallel()
		if d.Complete() {
			t.Error("empty Documents.Complete() = true, want false")
		}
	})
	t.Run("MissingCountTwelve", func(t *testing.T) {
		t.Parallel()
		if got := d.MissingCount(); got != 12 {
			t.Errorf("empty Documents.MissingCount() = %d, want 12", got)
		}
	})
	t.Run("EmptyRowsMapSameAsNil", func(t *testing.T) {
		t.Parallel()
		d := Documents{MEDDPICC: MEDDPICC{Rows: map[string]MEDDPICCRow{}}}
		wantMissing(t, d.Missing(), want)
	})
}

func TestDocumentsMissingComplete(t *testing.T) {
	t.Parallel()
	d := completeDocs()
	wantMissing(t, d.Missing(), nil)
	if !d.Complete() {
		t.Errorf("completeDocs().Complete() = false; missing %q", d.Missing())
	}
	if got := d.MissingCount(); got != 0 {
		t.Errorf("completeDocs().MissingCount() = %d, want 0", got)
	}
	// The fixture is also valid on save, so the cases below test
	// completeness rather than stumbling on a value error.
	for name, err := range map[string]error{
		"meddpicc":     d.MEDDPICC.Validate(d.Stakeholders),
		"poc":          d.POC.Validate(),
		"commitments":  d.Commitments.Validate(),
		"stakeholders": d.Stakeholders.Validate(),
		"risks":        d.Risks.Validate(),
	} {
		if err != nil {
			t.Errorf("completeDocs() %s.Validate() = %v (fields %q)", name, err, InvalidFields(err))
		}
	}
}

func TestDocumentsMissing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Documents)
		want   map[DocKind][]string // documents not listed must be complete
	}{
		// MEDDPICC
		{"MEDDPICCMetricsStatusUnset", func(d *Documents) { docsSetRow(d, "metrics", func(r *MEDDPICCRow) { r.Status = "" }) },
			map[DocKind][]string{DocMEDDPICC: {"Set a status for Metrics."}}},
		{"MEDDPICCCompetitionRowAbsent", func(d *Documents) { delete(d.MEDDPICC.Rows, "competition") },
			map[DocKind][]string{DocMEDDPICC: {"Set a status for Competition."}}},
		{"MEDDPICCTwoStatusesUnset", func(d *Documents) {
			docsSetRow(d, "paper_process", func(r *MEDDPICCRow) { r.Status = "" })
			docsSetRow(d, "identify_pain", func(r *MEDDPICCRow) { r.Status = "" })
		}, map[DocKind][]string{DocMEDDPICC: {"Set a status for Paper Process and Identify Pain."}}},
		{"MEDDPICCThreeStatusesUnset", func(d *Documents) {
			docsSetRow(d, "metrics", func(r *MEDDPICCRow) { r.Status = "" })
			docsSetRow(d, "decision_process", func(r *MEDDPICCRow) { r.Status = "" })
			docsSetRow(d, "champion", func(r *MEDDPICCRow) { r.Status = "" })
		}, map[DocKind][]string{DocMEDDPICC: {"Set a status for Metrics, Decision Process and Champion."}}},
		{"MEDDPICCUnknownStatusCountsAsSet", func(d *Documents) {
			for _, el := range MEDDPICCElements {
				docsSetRow(d, el.Value, func(r *MEDDPICCRow) { r.Status = "unknown" })
			}
		}, nil},
		{"MEDDPICCChampionNotChosen", func(d *Documents) { docsSetRow(d, "champion", func(r *MEDDPICCRow) { r.PersonID = "" }) },
			map[DocKind][]string{DocMEDDPICC: {"Name the champion: choose them from the stakeholder map."}}},
		{"MEDDPICCChampionChosenButNotInMap", func(d *Documents) { docsSetRow(d, "champion", func(r *MEDDPICCRow) { r.PersonID = "p-gone" }) },
			map[DocKind][]string{DocMEDDPICC: {"The champion you chose is no longer in the stakeholder map; choose again."}}},
		{"ChampionRemovedFromMap", func(d *Documents) { docsRemovePerson(d, "p-champ") },
			map[DocKind][]string{
				DocMEDDPICC:     {"The champion you chose is no longer in the stakeholder map; choose again."},
				DocStakeholders: {"Add the champion to the map."},
			}},
		{"MEDDPICCEconomicBuyerNotChosen", func(d *Documents) { docsSetRow(d, "economic_buyer", func(r *MEDDPICCRow) { r.PersonID = "" }) },
			map[DocKind][]string{DocMEDDPICC: {"Name the economic buyer: choose them from the stakeholder map."}}},
		{"MEDDPICCEconomicBuyerRowAbsent", func(d *Documents) { delete(d.MEDDPICC.Rows, "economic_buyer") },
			map[DocKind][]string{DocMEDDPICC: {
				"Set a status for Economic Buyer.",
				"Name the economic buyer: choose them from the stakeholder map.",
			}}},
		{"EconomicBuyerRemovedFromMap", func(d *Documents) { docsRemovePerson(d, "p-eb") },
			map[DocKind][]string{
				DocMEDDPICC:     {"The economic buyer you chose is no longer in the stakeholder map; choose again."},
				DocStakeholders: {"Add the economic buyer to the map."},
			}},
		{"MEDDPICCDecisionCriteriaBlank", func(d *Documents) { docsSetRow(d, "decision_criteria", func(r *MEDDPICCRow) { r.Notes = "" }) },
			map[DocKind][]string{DocMEDDPICC: {"Write out the decision criteria."}}},
		{"MEDDPICCDecisionCriteriaWhitespace", func(d *Documents) { docsSetRow(d, "decision_criteria", func(r *MEDDPICCRow) { r.Notes = " \n\t " }) },
			map[DocKind][]string{DocMEDDPICC: {"Write out the decision criteria."}}},
		{"MEDDPICCOtherNotesBlankStillComplete", func(d *Documents) { docsSetRow(d, "metrics", func(r *MEDDPICCRow) { r.Notes = "" }) }, nil},

		// POC
		{"POCSummaryBlank", func(d *Documents) { d.POC.Summary = "" },
			map[DocKind][]string{DocPOC: {"Summarise the POC's scope."}}},
		{"POCSummaryWhitespace", func(d *Documents) { d.POC.Summary = "  \n " },
			map[DocKind][]string{DocPOC: {"Summarise the POC's scope."}}},
		{"POCNoCriteria", func(d *Documents) { d.POC.Criteria = nil },
			map[DocKind][]string{DocPOC: {"Add at least one success criterion with its outcome."}}},
		{"POCCriteriaWithoutAnyOutcome", func(d *Documents) {
			d.POC.Criteria = []Criterion{{ID: "c1", Promised: "SSO"}, {ID: "c2", Promised: "Throughput", Demonstrated: "Partly"}}
		}, map[DocKind][]string{DocPOC: {"Add at least one success criterion with its outcome."}}},
		{"POCOneOfTwoCriteriaWithOutcomeComplete", func(d *Documents) {
			d.POC.Criteria = append(d.POC.Criteria, Criterion{ID: "c2", Promised: "Throughput"})
		}, nil},
		{"POCNotTestedCountsAsOutcome", func(d *Documents) { d.POC.Criteria[0].Outcome = "not_tested" }, nil},
		{"POCDatesOptional", func(d *Documents) { d.POC.StartOn, d.POC.EndOn = "", "" }, nil},
		{"POCEmpty", func(d *Documents) { d.POC = POC{} },
			map[DocKind][]string{DocPOC: {"Summarise the POC's scope.", "Add at least one success criterion with its outcome."}}},

		// Commitments
		{"CommitmentsEmptyWithoutNoneStatement", func(d *Documents) { d.Commitments = Commitments{} },
			map[DocKind][]string{DocCommitments: {"List every commitment made beyond the standard product, or confirm there are none beyond the contract."}}},
		{"CommitmentsEmptySliceWithoutNoneStatement", func(d *Documents) { d.Commitments = Commitments{Items: []Commitment{}} },
			map[DocKind][]string{DocCommitments: {"List every commitment made beyond the standard product, or confirm there are none beyond the contract."}}},
		{"CommitmentsNoneStatementAloneComplete", func(d *Documents) { d.Commitments = Commitments{NoneBeyondContract: true} }, nil},

		// Stakeholders
		{"StakeholdersNoTechnicalBuyer", func(d *Documents) { docsSetRole(d, "p-tech", "user") },
			map[DocKind][]string{DocStakeholders: {"Add a technical buyer to the map."}}},
		{"StakeholdersNoBusinessBuyer", func(d *Documents) { docsRemovePerson(d, "p-biz") },
			map[DocKind][]string{DocStakeholders: {"Add a business buyer to the map."}}},
		{"StakeholdersNoChampionRole", func(d *Documents) { docsSetRole(d, "p-champ", "influencer") },
			map[DocKind][]string{DocStakeholders: {"Add the champion to the map."}}},
		{"StakeholdersNoEconomicBuyerRole", func(d *Documents) { docsSetRole(d, "p-eb", "blocker") },
			map[DocKind][]string{
				DocMEDDPICC:     {"Erin, the economic buyer you chose, has the role Blocker in the stakeholder map: choose the person who owns the budget, or correct their role in the map."},
				DocStakeholders: {"Add the economic buyer to the map."},
			}},
		{"MEDDPICCEconomicBuyerIsTheTechnicalBuyer", func(d *Documents) { docsSetRow(d, "economic_buyer", func(r *MEDDPICCRow) { r.PersonID = "p-tech" }) },
			map[DocKind][]string{DocMEDDPICC: {"Tara, the economic buyer you chose, has the role Technical buyer in the stakeholder map: choose the person who owns the budget, or correct their role in the map."}}},
		{"MEDDPICCChampionMayHoldAnotherRole", func(d *Documents) { docsSetRow(d, "champion", func(r *MEDDPICCRow) { r.PersonID = "p-tech" }) }, nil},
		{"StakeholdersEmpty", func(d *Documents) { d.Stakeholders = Stakeholders{} },
			map[DocKind][]string{
				DocMEDDPICC: {
					"The champion you chose is no longer in the stakeholder map; choose again.",
					"The economic buyer you chose is no longer in the stakeholder map; choose again.",
				},
				DocStakeholders: {
					"Add a technical buyer to the map.",
					"Add a business buyer to the map.",
					"Add the champion to the map.",
					"Add the economic buyer to the map.",
				},
			}},
		{"StakeholdersExtraPeopleStillComplete", func(d *Documents) {
			d.Stakeholders.People = append(d.Stakeholders.People, Stakeholder{ID: "p-x", Name: "Xan", Role: "blocker"})
		}, nil},

		// Risks
		{"RisksEmptyWithoutNoKnownRisks", func(d *Documents) { d.Risks = Risks{} },
			map[DocKind][]string{DocRisks: {"Log at least one risk, or confirm there are no known risks."}}},
		{"RisksNoKnownRisksAloneComplete", func(d *Documents) { d.Risks = Risks{NoKnownRisks: true} }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := completeDocs()
			tt.change(&d)
			wantMissing(t, d.Missing(), tt.want)
			wantCount := 0
			for _, m := range tt.want {
				wantCount += len(m)
			}
			if got := d.MissingCount(); got != wantCount {
				t.Errorf("MissingCount() = %d, want %d", got, wantCount)
			}
			if got := d.Complete(); got != (wantCount == 0) {
				t.Errorf("Complete() = %v, want %v", got, wantCount == 0)
			}
		})
	}
}
