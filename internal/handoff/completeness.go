package handoff

import "strings"

// Missing lists, per document, what still stands between the pack and
// "ready to submit" (docs/design.md, "A pack's life"), in words a person acts on. A document with
// nothing missing is complete.
func (d Documents) Missing() map[DocKind][]string {
	out := make(map[DocKind][]string, len(docSpecs))
	for _, s := range docSpecs {
		out[s.kind] = s.Missing(d)
	}
	return out
}

// Complete reports whether nothing is missing anywhere.
func (d Documents) Complete() bool {
	for _, m := range d.Missing() {
		if len(m) > 0 {
			return false
		}
	}
	return true
}

// CompletenessRule names the present version of Missing. Homes show a count
// stored with each pack at every save (one count per row, not five documents
// decoded); a count stored under another rule is recounted when the program
// starts, so bump this whenever Missing changes what it counts.
const CompletenessRule = 1

// MissingCount is how many things are missing across the pack.
func (d Documents) MissingCount() int {
	n := 0
	for _, m := range d.Missing() {
		n += len(m)
	}
	return n
}

func (d Documents) missingMEDDPICC() []string {
	var out, unset []string
	for _, el := range MEDDPICCElements {
		if d.MEDDPICC.Rows[el.Value].Status == "" {
			unset = append(unset, el.Label)
		}
	}
	if len(unset) > 0 {
		out = append(out, "Set a status for "+joinAnd(unset)+".")
	}
	for _, el := range []Option{{"champion", "champion"}, {"economic_buyer", "economic buyer"}} {
		id := d.MEDDPICC.Rows[el.Value].PersonID
		person, ok := d.Stakeholders.Person(id)
		switch {
		case id == "":
			out = append(out, "Name the "+el.Label+": choose them from the stakeholder map.")
		case !ok:
			out = append(out, "The "+el.Label+" you chose is no longer in the stakeholder map; choose again.")
		case el.Value == "economic_buyer" && person.Role != "economic_buyer":
			// The scorecard and the map must agree on who signs: an economic
			// buyer mapped as, say, the technical buyer is a contradiction
			// the SA would inherit.
			out = append(out, person.Name+", the economic buyer you chose, has the role "+OptionLabel(BuyingRoles, person.Role)+
				" in the stakeholder map: choose the person who owns the budget, or correct their role in the map.")
		}
	}
	if strings.TrimSpace(d.MEDDPICC.Rows["decision_criteria"].Notes) == "" {
		out = append(out, "Write out the decision criteria.")
	}
	return out
}

func (d Documents) missingPOC() []string {
	var out []string
	if strings.TrimSpace(d.POC.Summary) == "" {
		out = append(out, "Summarise the POC's scope.")
	}
	withOutcome := false
	for _, c := range d.POC.Criteria {
		if c.Outcome != "" {
			withOutcome = true
		}
	}
	if !withOutcome {
		out = append(out, "Add at least one success criterion with its outcome.")
	}
	return out
}

func (d Documents) missingCommitments() []string {
	if len(d.Commitments.Items) == 0 && !d.Commitments.NoneBeyondContract {
		return []string{"List every commitment made beyond the standard product, or confirm there are none beyond the contract."}
	}
	return nil
}

func (d Documents) missingStakeholders() []string {
	var out []string
	for _, r := range []Option{{"technical_buyer", "a technical buyer"}, {"business_buyer", "a business buyer"}, {"champion", "the champion"}, {"economic_buyer", "the economic buyer"}} {
		if !d.Stakeholders.hasRole(r.Value) {
			out = append(out, "Add "+r.Label+" to the map.")
		}
	}
	return out
}

func (d Documents) missingRisks() []string {
	if len(d.Risks.Items) == 0 && !d.Risks.NoKnownRisks {
		return []string{"Log at least one risk, or confirm there are no known risks."}
	}
	return nil
}

// joinAnd writes a, b and c.
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
