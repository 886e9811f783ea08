package handoff

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ChangeKind is added, removed or changed.
type ChangeKind string

// The kinds of change between two versions of a pack.
const (
	ChangeAdded   ChangeKind = "added"
	ChangeRemoved ChangeKind = "removed"
	ChangeChanged ChangeKind = "changed"
)

// Change is one difference between two versions, in words a person reads.
type Change struct {
	Doc   DocKind // which document
	Item  string  // the row in people's words ("Metrics", "Commitment: Workday connector", "Carla Champion"); "" for document-level fields
	Field string  // the field's label ("Status", "Value", "Buying role"…); "" when a whole row was added or removed
	Kind  ChangeKind
	Old   string // shown value before ("" when added): option labels, formatted money, names, "Yes"/"No"
	New   string // shown value after ("" when removed)
}

// Diff lists every difference from a to b, in document order (DocKinds):
// document-level fields first, then rows in b's order (changed or added), then
// rows only in a (removed), in a's order; a changed row gives one Change per
// changed field, in form order. Rows match by ID, so reordering rows is no
// change; MEDDPICC rows match by element, and an element with no row is the
// same as an empty row. Values compare exactly as stored, except that a risk
// with no status is open. A MEDDPICC person is shown by name from that
// version's stakeholder map. Identical documents give nil.
func Diff(a, b Documents) []Change {
	var out []Change
	for _, s := range docSpecs {
		out = append(out, s.Diff(a, b)...)
	}
	return out
}

// diffValue is one field of a row: what is compared (key) and what is shown.
type diffValue struct {
	label string
	key   string
	shown string
}

func diffText(label, v string) diffValue { return diffValue{label, v, v} }

func diffOption(label string, opts []Option, v string) diffValue {
	shown := ""
	if v != "" {
		shown = OptionLabel(opts, v)
	}
	return diffValue{label, v, shown}
}

func diffBool(label string, v bool) diffValue {
	if v {
		return diffValue{label, "1", "Yes"}
	}
	return diffValue{label, "0", "No"}
}

func diffMoneyValue(label string, m Money) diffValue {
	return diffValue{label, m.Currency + "|" + strconv.FormatInt(m.Minor, 10), diffMoney(m)}
}

// diffFields gives one Change per field whose key differs; a and b list the
// same labels in the same order.
func diffFields(doc DocKind, item string, a, b []diffValue) []Change {
	var out []Change
	for i := range b {
		if a[i].key != b[i].key {
			out = append(out, Change{Doc: doc, Item: item, Field: b[i].label, Kind: ChangeChanged, Old: a[i].shown, New: b[i].shown})
		}
	}
	return out
}

// diffRow tells diffRows how to read one kind of row.
type diffRow[T any] struct {
	id      func(T) string
	item    func(T) string
	fields  func(T) []diffValue
	summary func(T) string
}

func diffRows[T any](doc DocKind, a, b []T, r diffRow[T]) []Change {
	ka, kb := diffRowKeys(a, r.id), diffRowKeys(b, r.id)
	inA := make(map[string]int, len(a))
	for i, k := range ka {
		inA[k] = i
	}
	inB := make(map[string]bool, len(b))
	var out []Change
	for j, row := range b {
		inB[kb[j]] = true
		i, ok := inA[kb[j]]
		if !ok {
			out = append(out, Change{Doc: doc, Item: r.item(row), Kind: ChangeAdded, New: r.summary(row)})
			continue
		}
		out = append(out, diffFields(doc, r.item(row), r.fields(a[i]), r.fields(row))...)
	}
	for i, row := range a {
		if !inB[ka[i]] {
			out = append(out, Change{Doc: doc, Item: r.item(row), Kind: ChangeRemoved, Old: r.summary(row)})
		}
	}
	return out
}

// diffRowKeys keys rows by ID. A row without an ID, or repeating an ID, is
// keyed by its position among such rows, so identical lists still match.
func diffRowKeys[T any](rows []T, id func(T) string) []string {
	keys := make([]string, len(rows))
	seen := map[string]int{}
	for i, row := range rows {
		k := id(row)
		n := seen[k]
		seen[k]++
		if k == "" || n > 0 {
			k = k + "\x00" + strconv.Itoa(n)
		}
		keys[i] = k
	}
	return keys
}

// ---- MEDDPICC ----

func diffMEDDPICC(a, b Documents) []Change {
	elements := make([]string, 0, len(MEDDPICCElements))
	for _, el := range MEDDPICCElements {
		elements = append(elements, el.Value)
	}
	// Elements the list doesn't know (never valid, but never hidden either).
	var extra []string
	for _, rows := range []map[string]MEDDPICCRow{a.MEDDPICC.Rows, b.MEDDPICC.Rows} {
		for k := range rows {
			if !valid(MEDDPICCElements, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	var out []Change
	for _, el := range append(elements, extra...) {
		ra, rb := a.MEDDPICC.Row(el), b.MEDDPICC.Row(el)
		if ra == rb {
			continue
		}
		withPerson := PointsToPerson(el) || ra.PersonID != "" || rb.PersonID != ""
		out = append(out, diffFields(DocMEDDPICC, label(MEDDPICCElements, el),
			diffMEDDPICCFields(ra, a.Stakeholders, withPerson), diffMEDDPICCFields(rb, b.Stakeholders, withPerson))...)
	}
	return out
}

func diffMEDDPICCFields(r MEDDPICCRow, people Stakeholders, withPerson bool) []diffValue {
	f := []diffValue{diffOption("Status", QualificationStatuses, r.Status)}
	if withPerson {
		f = append(f, diffValue{"Person", r.PersonID, diffPersonName(people, r.PersonID)})
	}
	return append(f, diffText("Notes", r.Notes))
}

func diffPersonName(people Stakeholders, id string) string {
	if id == "" {
		return ""
	}
	p, ok := people.Person(id)
	if !ok {
		return "Someone no longer in the stakeholder map"
	}
	if strings.TrimSpace(p.Name) == "" {
		return "Unnamed person"
	}
	return p.Name
}

// ---- POC ----

func diffPOC(a, b Documents) []Change {
	return append(diffFields(DocPOC, "", diffPOCFields(a.POC), diffPOCFields(b.POC)),
		diffRows(DocPOC, a.POC.Criteria, b.POC.Criteria, diffCriterionRow)...)
}

func diffPOCFields(p POC) []diffValue {
	return []diffValue{diffText("Summary", p.Summary), diffText("Start date", p.StartOn), diffText("End date", p.EndOn)}
}

var diffCriterionRow = diffRow[Criterion]{
	id:   func(c Criterion) string { return c.ID },
	item: func(c Criterion) string { return diffItem("Criterion", c.Promised) },
	fields: func(c Criterion) []diffValue {
		return []diffValue{
			diffText("Promised", c.Promised),
			diffText("Demonstrated", c.Demonstrated),
			diffOption("Outcome", Outcomes, c.Outcome),
			diffText("Evidence", c.Evidence),
		}
	},
	summary: func(c Criterion) string {
		return diffSummary(c.Promised, c.Demonstrated, diffOption("", Outcomes, c.Outcome).shown, c.Evidence)
	},
}

// ---- Commitments ----

func diffCommitments(a, b Documents) []Change {
	const none = "No commitments beyond the contract"
	return append(diffFields(DocCommitments, "",
		[]diffValue{diffBool(none, a.Commitments.NoneBeyondContract)},
		[]diffValue{diffBool(none, b.Commitments.NoneBeyondContract)}),
		diffRows(DocCommitments, a.Commitments.Items, b.Commitments.Items, diffCommitmentRow)...)
}

var diffCommitmentRow = diffRow[Commitment]{
	id:   func(c Commitment) string { return c.ID },
	item: func(c Commitment) string { return diffItem("Commitment", c.Description) },
	fields: func(c Commitment) []diffValue {
		return []diffValue{
			diffOption("Kind", CommitmentKinds, c.Kind),
			diffOption("How it was promised", EvidenceStates, c.Evidence),
			diffText("What was promised", c.Description),
			diffText("Evidence", c.EvidenceDetail),
			diffMoneyValue("Value", c.Value),
			diffText("Due", c.DueOn),
		}
	},
	summary: func(c Commitment) string {
		return diffSummary(diffOption("", CommitmentKinds, c.Kind).shown, c.Description,
			diffOption("", EvidenceStates, c.Evidence).shown, c.EvidenceDetail, diffMoney(c.Value), c.DueOn)
	},
}

// ---- Stakeholders ----

func diffStakeholders(a, b Documents) []Change {
	return diffRows(DocStakeholders, a.Stakeholders.People, b.Stakeholders.People, diffStakeholderRow)
}

var diffStakeholderRow = diffRow[Stakeholder]{
	id: func(s Stakeholder) string { return s.ID },
	item: func(s Stakeholder) string {
		if n := diffItem("", s.Name); n != "" {
			return n
		}
		return "Unnamed person"
	},
	fields: func(s Stakeholder) []diffValue {
		return []diffValue{
			diffText("Name", s.Name),
			diffText("Title", s.Title),
			diffText("Email", s.Email),
			diffOption("Buying role", BuyingRoles, s.Role),
			diffOption("Sentiment", Sentiments, s.Sentiment),
			diffText("Notes", s.Notes),
		}
	},
	summary: func(s Stakeholder) string {
		return diffSummary(s.Name, s.Title, s.Email, diffOption("", BuyingRoles, s.Role).shown,
			diffOption("", Sentiments, s.Sentiment).shown, s.Notes)
	},
}

// ---- Risks ----

func diffRisks(a, b Documents) []Change {
	const none = "No known risks"
	return append(diffFields(DocRisks, "",
		[]diffValue{diffBool(none, a.Risks.NoKnownRisks)},
		[]diffValue{diffBool(none, b.Risks.NoKnownRisks)}),
		diffRows(DocRisks, a.Risks.Items, b.Risks.Items, diffRiskRow)...)
}

var diffRiskRow = diffRow[Risk]{
	id:   func(r Risk) string { return r.ID },
	item: func(r Risk) string { return diffItem("Risk", r.Description) },
	fields: func(r Risk) []diffValue {
		return []diffValue{
			diffOption("Category", RiskCategories, r.Category),
			diffOption("Severity", Severities, r.Severity),
			diffOption("Status", RiskStatuses, r.CurrentStatus()),
			diffText("Description", r.Description),
			diffText("Mitigation", r.Mitigation),
			diffText("Owner", r.Owner),
		}
	},
	summary: func(r Risk) string {
		return diffSummary(diffOption("", RiskCategories, r.Category).shown, r.Description,
			diffOption("", Severities, r.Severity).shown, r.Mitigation, r.Owner,
			diffOption("", RiskStatuses, r.CurrentStatus()).shown)
	},
}

// ---- formatting ----

// diffMaxItemRunes bounds the free text naming a row, so an Item stays a label.
const diffMaxItemRunes = 80

// diffItem names a row by "prefix: text" on one line, cut to diffMaxItemRunes;
// just prefix when text is blank, just text when prefix is blank.
func diffItem(prefix, text string) string {
	text = diffOneLine(text)
	if utf8.RuneCountInString(text) > diffMaxItemRunes {
		r := []rune(text)
		text = strings.TrimSpace(string(r[:diffMaxItemRunes-1])) + "…"
	}
	switch {
	case text == "":
		return prefix
	case prefix == "":
		return text
	}
	return prefix + ": " + text
}

// diffSummary joins a row's non-blank values on one line.
func diffSummary(parts ...string) string {
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = diffOneLine(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " · ")
}

func diffOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// diffMoney formats an amount as "USD 40,000.00", or "JPY 30,000" for a
// currency with no minor unit; no amount is "".
func diffMoney(m Money) string {
	if m == (Money{}) {
		return ""
	}
	neg := m.Minor < 0
	v := uint64(m.Minor)
	if neg {
		v = -v // in unsigned arithmetic, so even the smallest int64 turns positive
	}
	whole := strconv.FormatUint(v/100, 10)
	cents := v % 100
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if m.Currency != "" {
		b.WriteString(m.Currency + " ")
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if cents != 0 || Decimals(m.Currency) > 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + cents/10))
		b.WriteByte(byte('0' + cents%10))
	}
	return b.String()
}
