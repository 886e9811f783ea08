package handoff

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// diffDocs is a filled-in pack; every call returns a fresh copy to edit.
func diffDocs() Documents {
	rows := map[string]MEDDPICCRow{}
	for _, el := range MEDDPICCElements {
		rows[el.Value] = MEDDPICCRow{Status: "confirmed", Notes: el.Label + " notes"}
	}
	rows["champion"] = MEDDPICCRow{Status: "confirmed", Notes: "Runs the data platform", PersonID: "p-carla"}
	rows["economic_buyer"] = MEDDPICCRow{Status: "partial", Notes: "Signs above 100k", PersonID: "p-erin"}
	return Documents{
		MEDDPICC: MEDDPICC{Rows: rows},
		POC: POC{
			Summary: "Prove nightly loads on customer data.",
			StartOn: "2026-03-02",
			EndOn:   "2026-03-27",
			Criteria: []Criterion{
				{ID: "c-load", Promised: "Load 1 TB in under an hour", Demonstrated: "Loaded 1 TB in 48 minutes", Outcome: "met", Evidence: "Run log 14"},
				{ID: "c-sso", Promised: "SSO with Okta", Demonstrated: "", Outcome: "not_tested", Evidence: ""},
			},
		},
		Commitments: Commitments{Items: []Commitment{
			{ID: "k-saml", Kind: "custom_feature", Description: "SAML group sync", Evidence: "in_contract", EvidenceDetail: "Order form §4.2", Value: Money{Minor: 2500000, Currency: "USD"}, DueOn: "2026-06-30"},
			{ID: "k-sla", Kind: "sla", Description: "99.9% uptime", Evidence: "promised_verbally", EvidenceDetail: "Sam, 12 Feb call"},
		}},
		Stakeholders: Stakeholders{People: []Stakeholder{
			{ID: "p-carla", Name: "Carla Champion", Title: "Head of Data", Email: "carla@example.com", Role: "champion", Sentiment: "supporter", Notes: "Owns the budget line"},
			{ID: "p-erin", Name: "Erin Buyer", Title: "CFO", Role: "economic_buyer", Sentiment: "neutral"},
			{ID: "p-tom", Name: "Tom Tech", Title: "Architect", Role: "technical_buyer", Sentiment: "detractor"},
		}},
		Risks: Risks{Items: []Risk{
			{ID: "r-pen", Category: "security_review", Description: "Pen-test findings waived", Severity: "high", Mitigation: "Retest in Q3", Owner: "Sam", Status: "open"},
			{ID: "r-lock", Category: "dependency_lockin", Description: "Needs their Kafka", Severity: "low", Status: "accepted"},
		}},
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(a, b *Documents)
		want []Change
	}{
		{"NilForIdenticalPacks", func(a, b *Documents) {}, nil},
		{"NilForTwoEmptyPacks", func(a, b *Documents) { *a, *b = Documents{}, Documents{} }, nil},
		{"NilWhenOnlyRowOrderChanged", func(a, b *Documents) {
			slices.Reverse(b.POC.Criteria)
			slices.Reverse(b.Commitments.Items)
			slices.Reverse(b.Stakeholders.People)
			slices.Reverse(b.Risks.Items)
		}, nil},
		{"NilWhenMissingMEDDPICCRowMeetsEmptyRow", func(a, b *Documents) {
			delete(a.MEDDPICC.Rows, "competition")
			b.MEDDPICC.Rows["competition"] = MEDDPICCRow{}
		}, nil},
		{"NilWhenBlankRiskStatusMeetsOpen", func(a, b *Documents) { b.Risks.Items[0].Status = "" }, nil},
		{"NilForIdenticalRowsWithoutIDs", func(a, b *Documents) {
			for _, d := range []*Documents{a, b} {
				d.Risks.Items[0].ID, d.Risks.Items[1].ID = "", ""
			}
		}, nil},

		{"MEDDPICCStatusAndNotesChangedInFormOrder", func(a, b *Documents) {
			b.MEDDPICC.Rows["metrics"] = MEDDPICCRow{Status: "partial", Notes: "Only load time agreed"}
		}, []Change{
			{Doc: DocMEDDPICC, Item: "Metrics", Field: "Status", Kind: ChangeChanged, Old: "Confirmed", New: "Partial"},
			{Doc: DocMEDDPICC, Item: "Metrics", Field: "Notes", Kind: ChangeChanged, Old: "Metrics notes", New: "Only load time agreed"},
		}},
		{"MEDDPICCElementFirstFilledShowsBlankOld", func(a, b *Documents) {
			delete(a.MEDDPICC.Rows, "paper_process")
		}, []Change{
			{Doc: DocMEDDPICC, Item: "Paper Process", Field: "Status", Kind: ChangeChanged, Old: "", New: "Confirmed"},
			{Doc: DocMEDDPICC, Item: "Paper Process", Field: "Notes", Kind: ChangeChanged, Old: "", New: "Paper Process notes"},
		}},
		{"MEDDPICCChampionPointingAtAnotherPersonShowsBothNames", func(a, b *Documents) {
			r := b.MEDDPICC.Rows["champion"]
			r.PersonID = "p-tom"
			b.MEDDPICC.Rows["champion"] = r
		}, []Change{
			{Doc: DocMEDDPICC, Item: "Champion", Field: "Person", Kind: ChangeChanged, Old: "Carla Champion", New: "Tom Tech"},
		}},
		{"MEDDPICCChampionNamesComeFromEachVersionsMap", func(a, b *Documents) {
			// The new champion was added to the map in b only; the old one left it.
			r := b.MEDDPICC.Rows["champion"]
			r.PersonID = "p-nina"
			b.MEDDPICC.Rows["champion"] = r
			b.Stakeholders.People[0] = Stakeholder{ID: "p-nina", Name: "Nina New", Role: "champion"}
		}, []Change{
			// In document order: the stakeholder map, then the scorecard.
			{Doc: DocStakeholders, Item: "Nina New", Kind: ChangeAdded, New: "Nina New · Champion"},
			{Doc: DocStakeholders, Item: "Carla Champion", Kind: ChangeRemoved, Old: "Carla Champion · Head of Data · carla@example.com · Champion · Supporter · Owns the budget line"},
			{Doc: DocMEDDPICC, Item: "Champion", Field: "Person", Kind: ChangeChanged, Old: "Carla Champion", New: "Nina New"},
		}},
		{"MEDDPICCEconomicBuyerCleared", func(a, b *Documents) {
			r := b.MEDDPICC.Rows["economic_buyer"]
			r.PersonID = ""
			b.MEDDPICC.Rows["economic_buyer"] = r
		}, []Change{
			{Doc: DocMEDDPICC, Item: "Economic Buyer", Field: "Person", Kind: ChangeChanged, Old: "Erin Buyer", New: ""},
		}},
		{"MEDDPICCRenamedChampionIsAStakeholderChangeOnly", func(a, b *Documents) {
			b.Stakeholders.People[0].Name = "Carla Chen"
		}, []Change{
			{Doc: DocStakeholders, Item: "Carla Chen", Field: "Name", Kind: ChangeChanged, Old: "Carla Champion", New: "Carla Chen"},
		}},

		{"POCSummaryAndDatesChanged", func(a, b *Documents) {
			b.POC.Summary = "Prove nightly and hourly loads."
			b.POC.StartOn = ""
			b.POC.EndOn = "2026-04-03"
		}, []Change{
			{Doc: DocPOC, Field: "Summary", Kind: ChangeChanged, Old: "Prove nightly loads on customer data.", New: "Prove nightly and hourly loads."},
			{Doc: DocPOC, Field: "Start date", Kind: ChangeChanged, Old: "2026-03-02", New: ""},
			{Doc: DocPOC, Field: "End date", Kind: ChangeChanged, Old: "2026-03-27", New: "2026-04-03"},
		}},
		{"POCCriterionOutcomeShowsLabels", func(a, b *Documents) {
			b.POC.Criteria[0].Outcome = "partially_met"
			b.POC.Criteria[0].Demonstrated = "Loaded 1 TB in 70 minutes"
		}, []Change{
			{Doc: DocPOC, Item: "Criterion: Load 1 TB in under an hour", Field: "Demonstrated", Kind: ChangeChanged, Old: "Loaded 1 TB in 48 minutes", New: "Loaded 1 TB in 70 minutes"},
			{Doc: DocPOC, Item: "Criterion: Load 1 TB in under an hour", Field: "Outcome", Kind: ChangeChanged, Old: "Met", New: "Partially met"},
		}},
		{"POCCriterionRewordedIsNamedByNewWording", func(a, b *Documents) {
			b.POC.Criteria[1].Promised = "SSO with Okta and Entra"
		}, []Change{
			{Doc: DocPOC, Item: "Criterion: SSO with Okta and Entra", Field: "Promised", Kind: ChangeChanged, Old: "SSO with Okta", New: "SSO with Okta and Entra"},
		}},

		{"CommitmentsNoneBeyondContractTickedShowsYesNo", func(a, b *Documents) {
			a.Commitments.Items, b.Commitments.Items = nil, nil
			b.Commitments.NoneBeyondContract = true
		}, []Change{
			{Doc: DocCommitments, Field: "No commitments beyond the contract", Kind: ChangeChanged, Old: "No", New: "Yes"},
		}},
		{"CommitmentValueChangeShowsMoneyBothSides", func(a, b *Documents) {
			b.Commitments.Items[0].Value.Minor = 4000000
		}, []Change{
			{Doc: DocCommitments, Item: "Commitment: SAML group sync", Field: "Value", Kind: ChangeChanged, Old: "USD 25,000.00", New: "USD 40,000.00"},
		}},
		{"CommitmentCurrencyOnlyChangeIsAValueChange", func(a, b *Documents) {
			b.Commitments.Items[0].Value.Currency = "EUR"
		}, []Change{
			{Doc: DocCommitments, Item: "Commitment: SAML group sync", Field: "Value", Kind: ChangeChanged, Old: "USD 25,000.00", New: "EUR 25,000.00"},
		}},
		{"CommitmentValueFirstSetShowsBlankOld", func(a, b *Documents) {
			b.Commitments.Items[1].Value = Money{Minor: 1250, Currency: "GBP"}
		}, []Change{
			{Doc: DocCommitments, Item: "Commitment: 99.9% uptime", Field: "Value", Kind: ChangeChanged, Old: "", New: "GBP 12.50"},
		}},
		{"CommitmentSeveralFieldsInFormOrder", func(a, b *Documents) {
			c := &b.Commitments.Items[1]
			c.DueOn = "2026-09-01"
			c.EvidenceDetail = "Email of 14 Feb"
			c.Evidence = "in_writing"
			c.Kind = "other"
		}, []Change{
			{Doc: DocCommitments, Item: "Commitment: 99.9% uptime", Field: "Kind", Kind: ChangeChanged, Old: "SLA", New: "Other"},
			{Doc: DocCommitments, Item: "Commitment: 99.9% uptime", Field: "How it was promised", Kind: ChangeChanged, Old: "Promised verbally", New: "In writing (email/slide)"},
			{Doc: DocCommitments, Item: "Commitment: 99.9% uptime", Field: "Evidence", Kind: ChangeChanged, Old: "Sam, 12 Feb call", New: "Email of 14 Feb"},
			{Doc: DocCommitments, Item: "Commitment: 99.9% uptime", Field: "Due", Kind: ChangeChanged, Old: "", New: "2026-09-01"},
		}},
		{"CommitmentRowAddedSummarisesTheRow", func(a, b *Documents) {
			b.Commitments.Items = append(b.Commitments.Items, Commitment{ID: "k-wd", Kind: "integration", Description: "Workday connector", Evidence: "in_writing", Value: Money{Minor: 4000000, Currency: "USD"}})
		}, []Change{
			{Doc: DocCommitments, Item: "Commitment: Workday connector", Kind: ChangeAdded, New: "Integration · Workday connector · In writing (email/slide) · USD 40,000.00"},
		}},
		{"CommitmentRowRemovedSummarisesTheRow", func(a, b *Documents) {
			b.Commitments.Items = b.Commitments.Items[1:]
		}, []Change{
			{Doc: DocCommitments, Item: "Commitment: SAML group sync", Kind: ChangeRemoved, Old: "Custom feature · SAML group sync · In contract · Order form §4.2 · USD 25,000.00 · 2026-06-30"},
		}},

		{"StakeholderRoleAndSentimentShowLabels", func(a, b *Documents) {
			b.Stakeholders.People[2].Role = "blocker"
			b.Stakeholders.People[2].Sentiment = ""
		}, []Change{
			{Doc: DocStakeholders, Item: "Tom Tech", Field: "Buying role", Kind: ChangeChanged, Old: "Technical buyer", New: "Blocker"},
			{Doc: DocStakeholders, Item: "Tom Tech", Field: "Sentiment", Kind: ChangeChanged, Old: "Detractor", New: ""},
		}},
		{"StakeholderRowAddedKeepsMultiLineNotesOnOneLine", func(a, b *Documents) {
			b.Stakeholders.People = append(b.Stakeholders.People, Stakeholder{ID: "p-ula", Name: "Ula User", Role: "user", Notes: "Runs the nightly jobs.\nWants alerts."})
		}, []Change{
			{Doc: DocStakeholders, Item: "Ula User", Kind: ChangeAdded, New: "Ula User · User · Runs the nightly jobs. Wants alerts."},
		}},
		{"StakeholderNotesChangeKeepsLineBreaks", func(a, b *Documents) {
			b.Stakeholders.People[1].Notes = "Line one\nLine two"
		}, []Change{
			{Doc: DocStakeholders, Item: "Erin Buyer", Field: "Notes", Kind: ChangeChanged, Old: "", New: "Line one\nLine two"},
		}},

		{"RisksNoKnownRisksTickedShowsYesNo", func(a, b *Documents) {
			a.Risks.Items, b.Risks.Items = nil, nil
			a.Risks.NoKnownRisks = true
		}, []Change{
			{Doc: DocRisks, Field: "No known risks", Kind: ChangeChanged, Old: "Yes", New: "No"},
		}},
		{"RiskSeverityAndStatusShowLabels", func(a, b *Documents) {
			b.Risks.Items[0].Severity = "medium"
			b.Risks.Items[0].Status = "mitigated"
		}, []Change{
			{Doc: DocRisks, Item: "Risk: Pen-test findings waived", Field: "Severity", Kind: ChangeChanged, Old: "High", New: "Medium"},
			{Doc: DocRisks, Item: "Risk: Pen-test findings waived", Field: "Status", Kind: ChangeChanged, Old: "Open", New: "Mitigated"},
		}},
		{"RiskRowRemovedSummarisesTheRow", func(a, b *Documents) {
			b.Risks.Items = b.Risks.Items[1:]
		}, []Change{
			{Doc: DocRisks, Item: "Risk: Pen-test findings waived", Kind: ChangeRemoved, Old: "Security-review carve-out · Pen-test findings waived · High · Retest in Q3 · Sam · Open"},
		}},
		{"RiskRowAddedWithBlankStatusSummarisesAsOpen", func(a, b *Documents) {
			b.Risks.Items = append(b.Risks.Items, Risk{ID: "r-api", Category: "integration_unknown", Description: "Undocumented SAP API", Severity: "medium"})
		}, []Change{
			{Doc: DocRisks, Item: "Risk: Undocumented SAP API", Kind: ChangeAdded, New: "Integration unknown · Undocumented SAP API · Medium · Open"},
		}},
		{"RiskLongDescriptionIsCutInItemButNotInValues", func(a, b *Documents) {
			long := strings.Repeat("word ", 30) // 150 runes
			a.Risks.Items[1].Description = long
			b.Risks.Items[1].Description = long
			b.Risks.Items[1].Owner = "Kim"
		}, []Change{
			{Doc: DocRisks, Item: "Risk: " + strings.TrimSpace(strings.Repeat("word ", 16)) + "…", Field: "Owner", Kind: ChangeChanged, Old: "", New: "Kim"},
		}},

		{"TrailingSpaceIsAChangeAsStoredValuesCompareExactly", func(a, b *Documents) {
			b.Risks.Items[1].Mitigation = " "
		}, []Change{
			{Doc: DocRisks, Item: "Risk: Needs their Kafka", Field: "Mitigation", Kind: ChangeChanged, Old: "", New: " "},
		}},
		{"CaseChangeIsAChange", func(a, b *Documents) {
			b.Stakeholders.People[1].Title = "cfo"
		}, []Change{
			{Doc: DocStakeholders, Item: "Erin Buyer", Field: "Title", Kind: ChangeChanged, Old: "CFO", New: "cfo"},
		}},
		{"RowsWithoutIDsMatchByPosition", func(a, b *Documents) {
			for _, d := range []*Documents{a, b} {
				d.POC.Criteria[0].ID, d.POC.Criteria[1].ID = "", ""
			}
			b.POC.Criteria[1].Evidence = "Screenshot 3"
		}, []Change{
			{Doc: DocPOC, Item: "Criterion: SSO with Okta", Field: "Evidence", Kind: ChangeChanged, Old: "", New: "Screenshot 3"},
		}},

		{"DocumentsInPackOrderRowsInNewOrderThenRemoved", func(a, b *Documents) {
			b.Risks.Items[1].Severity = "medium"
			b.Commitments.Items = []Commitment{
				{ID: "k-new", Kind: "pricing_exception", Description: "Year-one discount", Evidence: "in_contract", EvidenceDetail: "Order form §2"},
				b.Commitments.Items[1],
			}
			b.Commitments.Items[1].DueOn = "2026-07-01"
			b.POC.Criteria = append(b.POC.Criteria, Criterion{ID: "c-cost", Promised: "Cost under 2k a month"})
			m := b.MEDDPICC.Rows["competition"]
			m.Status = "unknown"
			b.MEDDPICC.Rows["competition"] = m
			b.MEDDPICC.Rows["identify_pain"] = MEDDPICCRow{Status: "confirmed", Notes: "Nightly loads miss the SLA"}
		}, []Change{
			{Doc: DocMEDDPICC, Item: "Identify Pain", Field: "Notes", Kind: ChangeChanged, Old: "Identify Pain notes", New: "Nightly loads miss the SLA"},
			{Doc: DocMEDDPICC, Item: "Competition", Field: "Status", Kind: ChangeChanged, Old: "Confirmed", New: "Unknown"},
			{Doc: DocPOC, Item: "Criterion: Cost under 2k a month", Kind: ChangeAdded, New: "Cost under 2k a month"},
			{Doc: DocCommitments, Item: "Commitment: Year-one discount", Kind: ChangeAdded, New: "Pricing exception · Year-one discount · In contract · Order form §2"},
			{Doc: DocCommitments, Item: "Commitment: 99.9% uptime", Field: "Due", Kind: ChangeChanged, Old: "", New: "2026-07-01"},
			{Doc: DocCommitments, Item: "Commitment: SAML group sync", Kind: ChangeRemoved, Old: "Custom feature · SAML group sync · In contract · Order form §4.2 · USD 25,000.00 · 2026-06-30"},
			{Doc: DocRisks, Item: "Risk: Needs their Kafka", Field: "Severity", Kind: ChangeChanged, Old: "Low", New: "Medium"},
		}},
		{"ReversedComparisonSwapsAddedAndRemoved", func(a, b *Documents) {
			a.Commitments.Items = append(a.Commitments.Items, Commitment{ID: "k-wd", Kind: "integration", Description: "Workday connector", Evidence: "in_writing", Value: Money{Minor: 4000000, Currency: "USD"}})
		}, []Change{
			{Doc: DocCommitments, Item: "Commitment: Workday connector", Kind: ChangeRemoved, Old: "Integration · Workday connector · In writing (email/slide) · USD 40,000.00"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := diffDocs(), diffDocs()
			tt.edit(&a, &b)
			got := Diff(a, b)
			if tt.want == nil {
				if got != nil {
					t.Fatalf("Diff = %#v, want nil", got)
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Diff gave %d changes, want %d", len(got), len(tt.want))
				for i := range max(len(got), len(tt.want)) {
					var g, w Change
					if i < len(got) {
						g = got[i]
					}
					if i < len(tt.want) {
						w = tt.want[i]
					}
					if g != w {
						t.Errorf("change %d:\n got %#v\nwant %#v", i, g, w)
					}
				}
			}
		})
	}
}

func TestDiffMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Money
		want string
	}{
		{"BlankForNoAmount", Money{}, ""},
		{"ZeroWithCurrency", Money{Currency: "USD"}, "USD 0.00"},
		{"CentsPadded", Money{Minor: 5, Currency: "EUR"}, "EUR 0.05"},
		{"NoGroupingUnderAThousand", Money{Minor: 99999, Currency: "USD"}, "USD 999.99"},
		{"GroupsThousands", Money{Minor: 4000000, Currency: "USD"}, "USD 40,000.00"},
		{"GroupsMillions", Money{Minor: 123456789012, Currency: "GBP"}, "GBP 1,234,567,890.12"},
		{"NegativeSignFirst", Money{Minor: -150000, Currency: "USD"}, "-USD 1,500.00"},
		{"AmountWithoutCurrency", Money{Minor: 4000000}, "40,000.00"},
		{"NoDecimalsForYen", Money{Minor: 3_000_000, Currency: "JPY"}, "JPY 30,000"},
		{"SmallestInt64", Money{Minor: math.MinInt64, Currency: "USD"}, "-USD 92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := diffMoney(tt.in); got != tt.want {
				t.Errorf("diffMoney(%+v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
