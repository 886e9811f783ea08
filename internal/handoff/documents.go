package handoff

import (
	"crypto/rand"
	"strings"
)

// DocKind names one of the five documents of a handoff pack.
type DocKind string

// The five documents, in the order the pack shows them.
const (
	DocMEDDPICC     DocKind = "meddpicc"
	DocPOC          DocKind = "poc"
	DocCommitments  DocKind = "commitments"
	DocStakeholders DocKind = "stakeholders"
	DocRisks        DocKind = "risks"
)

// DocKinds lists the documents in pack order, as registered in docSpecs.
var DocKinds = docKinds()

// ParseDocKind accepts a document's URL name.
func ParseDocKind(s string) (DocKind, bool) {
	k := DocKind(s)
	_, ok := k.Spec()
	return k, ok
}

// Title is the document's name; an unknown kind is shown by its name.
func (k DocKind) Title() string {
	if s, ok := k.Spec(); ok {
		return s.Title()
	}
	return string(k)
}

// Purpose says in one line what the SA needs from the document.
func (k DocKind) Purpose() string {
	s, _ := k.Spec()
	return s.Purpose()
}

// Option is one choice of an enumerated field, with its label.
type Option struct {
	Value string
	Label string
}

func label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func valid(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// Documents is a pack's documents, one field per kind registered in
// docSpecs (kinds.go), tagged with the kind's name.
type Documents struct {
	MEDDPICC     MEDDPICC     `json:"meddpicc"`
	POC          POC          `json:"poc"`
	Commitments  Commitments  `json:"commitments"`
	Stakeholders Stakeholders `json:"stakeholders"`
	Risks        Risks        `json:"risks"`
}

// NewRowID returns a short random id for a document row, so reviews and
// approvals can point at a row that keeps its identity across edits.
func NewRowID() string { return strings.ToLower(rand.Text()[:12]) }

// ---- MEDDPICC ----

// MEDDPICC elements.
var MEDDPICCElements = []Option{
	{"metrics", "Metrics"},
	{"economic_buyer", "Economic Buyer"},
	{"decision_criteria", "Decision Criteria"},
	{"decision_process", "Decision Process"},
	{"paper_process", "Paper Process"},
	{"identify_pain", "Identify Pain"},
	{"champion", "Champion"},
	{"competition", "Competition"},
}

// QualificationStatuses are the statuses of a MEDDPICC row.
var QualificationStatuses = []Option{{"confirmed", "Confirmed"}, {"partial", "Partial"}, {"unknown", "Unknown"}}

// MEDDPICCRow is one element of the scorecard. Champion and Economic Buyer
// point at a person in the stakeholder map.
type MEDDPICCRow struct {
	Status   string `json:"status"`
	Notes    string `json:"notes"`
	PersonID string `json:"person_id,omitempty"`
}

// MEDDPICC is the qualification scorecard, keyed by element value.
type MEDDPICC struct {
	Rows map[string]MEDDPICCRow `json:"rows"`
}

// Row returns the row of element (empty when unset).
func (m MEDDPICC) Row(element string) MEDDPICCRow { return m.Rows[element] }

// PointsToPerson reports whether element names a stakeholder.
func PointsToPerson(element string) bool {
	return element == "champion" || element == "economic_buyer"
}

// ---- POC ----

// Outcomes of a POC success criterion.
var Outcomes = []Option{{"met", "Met"}, {"partially_met", "Partially met"}, {"not_met", "Not met"}, {"not_tested", "Not tested"}}

// Criterion is one POC success criterion: promised versus demonstrated.
type Criterion struct {
	ID           string `json:"id"`
	Promised     string `json:"promised"`
	Demonstrated string `json:"demonstrated"`
	Outcome      string `json:"outcome"`
	Evidence     string `json:"evidence"`
}

// POC is the proof of concept's scope and outcomes.
type POC struct {
	Summary  string      `json:"summary"`
	StartOn  string      `json:"start_on"` // YYYY-MM-DD or ""
	EndOn    string      `json:"end_on"`
	Criteria []Criterion `json:"criteria"`
}

// ---- Commitments ----

// CommitmentKinds are the kinds of commitment.
var CommitmentKinds = []Option{
	{"custom_feature", "Custom feature"}, {"sla", "SLA"}, {"integration", "Integration"},
	{"pricing_exception", "Pricing exception"}, {"other", "Other"},
}

// EvidenceStates say how solid a promise is.
var EvidenceStates = []Option{
	{"in_contract", "In contract"}, {"promised_verbally", "Promised verbally"}, {"in_writing", "In writing (email/slide)"},
	{"demonstrated", "Demonstrated in the POC"}, {"roadmap", "Roadmap"}, {"not_sold", "Explicitly not sold"},
}

// EvidenceDetailLabel is what the evidence detail must say for a state.
func EvidenceDetailLabel(state string) string {
	switch state {
	case "in_contract":
		return "the contract clause"
	case "promised_verbally":
		return "who said it and when"
	case "in_writing":
		return "which email or slide"
	case "demonstrated":
		return "which POC criterion showed it"
	}
	return "a note"
}

// Commitment is one line of the commitment ledger.
type Commitment struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Description    string `json:"description"`
	Evidence       string `json:"evidence"`
	EvidenceDetail string `json:"evidence_detail"`
	Value          Money  `json:"value"`
	DueOn          string `json:"due_on"`
	// Amount is the value as typed, kept so a form shows it back unchanged
	// when something else on the form needs fixing. Never stored.
	Amount string `json:"-"`
}

// Commitments is the ledger of everything promised beyond the product.
type Commitments struct {
	NoneBeyondContract bool         `json:"none_beyond_contract"`
	Items              []Commitment `json:"items"`
}

// readAmounts turns each typed amount into the commitment's value; a row with
// no amount has no value, whatever currency was typed.
func (c *Commitments) readAmounts(fe FieldErrors) {
	for i := range c.Items {
		it := &c.Items[i]
		if it.Amount == "" {
			it.Value = Money{}
			continue
		}
		minor, err := ParseAmountIn(it.Amount, it.Value.Currency)
		if err != nil {
			fe.Add("items."+itoa(i)+".amount", ErrorMessage(err))
		}
		it.Value.Minor = minor
	}
}

// showAmounts writes each stored value back as a typed amount, so a saved
// ledger shows its amounts in the form.
func (c *Commitments) showAmounts() {
	for i := range c.Items {
		it := &c.Items[i]
		if it.Amount == "" && it.Value.Currency != "" {
			it.Amount = FormatAmount(it.Value.Minor)
		}
	}
}

// ---- Stakeholders ----

// BuyingRoles are the roles a stakeholder plays in the purchase.
var BuyingRoles = []Option{
	{"champion", "Champion"}, {"economic_buyer", "Economic buyer"}, {"technical_buyer", "Technical buyer"},
	{"business_buyer", "Business buyer"}, {"user", "User"}, {"influencer", "Influencer"}, {"blocker", "Blocker"},
}

// Sentiments of a stakeholder towards the deal.
var Sentiments = []Option{{"supporter", "Supporter"}, {"neutral", "Neutral"}, {"detractor", "Detractor"}}

// Stakeholder is one person at the customer.
type Stakeholder struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Title     string `json:"title"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	Sentiment string `json:"sentiment"`
	Notes     string `json:"notes"`
}

// Stakeholders is the stakeholder map.
type Stakeholders struct {
	People []Stakeholder `json:"people"`
}

// Person returns the stakeholder with id.
func (s Stakeholders) Person(id string) (Stakeholder, bool) {
	for _, p := range s.People {
		if p.ID == id && id != "" {
			return p, true
		}
	}
	return Stakeholder{}, false
}

func (s Stakeholders) hasRole(role string) bool {
	for _, p := range s.People {
		if p.Role == role {
			return true
		}
	}
	return false
}

// ---- Risks ----

// RiskCategories are the kinds of delivery risk.
var RiskCategories = []Option{
	{"security_review", "Security-review carve-out"}, {"dependency_lockin", "Dependency lock-in"},
	{"integration_unknown", "Integration unknown"}, {"other", "Other"},
}

// Severities of a risk.
var Severities = []Option{{"low", "Low"}, {"medium", "Medium"}, {"high", "High"}}

// RiskStatuses of a risk.
var RiskStatuses = []Option{{"open", "Open"}, {"mitigated", "Mitigated"}, {"accepted", "Accepted"}}

// Risk is one line of the risk log.
type Risk struct {
	ID          string `json:"id"`
	Category    string `json:"category"`
	Description string `json:"description"`
	Severity    string `json:"severity"`
	Mitigation  string `json:"mitigation"`
	Owner       string `json:"owner"`
	Status      string `json:"status"`
}

// Risks is the risk log.
type Risks struct {
	NoKnownRisks bool   `json:"no_known_risks"`
	Items        []Risk `json:"items"`
}

// DefaultRiskStatus is the status of a risk nobody gave one.
const DefaultRiskStatus = "open"

// CurrentStatus is the risk's status, open when none was chosen (as rows
// saved before statuses defaulted may be).
func (r Risk) CurrentStatus() string {
	if r.Status == "" {
		return DefaultRiskStatus
	}
	return r.Status
}

// openByDefault gives every risk without a status the default one.
func (r *Risks) openByDefault() {
	for i := range r.Items {
		r.Items[i].Status = r.Items[i].CurrentStatus()
	}
}

func rowIDs[T any](rows []T, id func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// Label helpers for views.
func OptionLabel(opts []Option, v string) string { return label(opts, v) }

// ---- validation on save ----

func checkOption(fe FieldErrors, field string, opts []Option, v, what string) {
	if v != "" && !valid(opts, v) {
		fe.Add(field, "Choose "+what+" from the list.")
	}
}

func checkDate(fe FieldErrors, field, v string) {
	if v == "" {
		return
	}
	if _, err := ParseDate(v); err != nil {
		fe.Add(field, ErrorMessage(err))
	}
}

// Validate checks the scorecard's values (not its completeness). people is
// the pack's current stakeholder map, which Champion and Economic Buyer point
// into.
func (m MEDDPICC) Validate(people Stakeholders) error {
	fe := FieldErrors{}
	for _, el := range MEDDPICCElements {
		row := m.Rows[el.Value]
		f := "meddpicc." + el.Value + "."
		checkOption(fe, f+"status", QualificationStatuses, row.Status, "a status")
		checkLen(fe, f+"notes", row.Notes, maxText)
		if row.PersonID != "" {
			if _, ok := people.Person(row.PersonID); !ok {
				fe.Add(f+"person_id", "That person is no longer in the stakeholder map; choose again.")
			}
		}
	}
	for k := range m.Rows {
		if !valid(MEDDPICCElements, k) {
			fe.Add("meddpicc", "Unknown MEDDPICC element "+k+".")
		}
	}
	return fe.Err()
}

// Validate checks the POC's values.
func (p POC) Validate() error {
	fe := FieldErrors{}
	checkLen(fe, "summary", p.Summary, maxText)
	checkDate(fe, "start_on", p.StartOn)
	checkDate(fe, "end_on", p.EndOn)
	checkRows(fe, "criteria", len(p.Criteria), "success criteria")
	checkRowIDs(fe, "criteria", rowIDs(p.Criteria, func(c Criterion) string { return c.ID }))
	if p.StartOn != "" && p.EndOn != "" && p.EndOn < p.StartOn && fe["start_on"] == "" && fe["end_on"] == "" {
		fe.Add("end_on", "The POC can't end before it starts.")
	}
	for i, c := range p.Criteria {
		f := "criteria." + itoa(i) + "."
		if strings.TrimSpace(c.Promised) == "" {
			fe.Add(f+"promised", "Say what this criterion promised, or remove the row.")
		}
		checkOption(fe, f+"outcome", Outcomes, c.Outcome, "an outcome")
		checkLen(fe, f+"promised", c.Promised, maxText)
		checkLen(fe, f+"demonstrated", c.Demonstrated, maxText)
		checkLen(fe, f+"evidence", c.Evidence, maxText)
	}
	return fe.Err()
}

// Validate checks the commitment ledger's values.
func (c Commitments) Validate() error {
	fe := FieldErrors{}
	if c.NoneBeyondContract && len(c.Items) > 0 {
		fe.Add("none_beyond_contract", "You listed commitments, so untick \"no commitments beyond the contract\" — or remove the rows.")
	}
	checkRows(fe, "items", len(c.Items), "commitments")
	checkRowIDs(fe, "items", rowIDs(c.Items, func(c Commitment) string { return c.ID }))
	for i, it := range c.Items {
		f := "items." + itoa(i) + "."
		if strings.TrimSpace(it.Description) == "" {
			fe.Add(f+"description", "Describe what was promised, or remove the row.")
		}
		if it.Kind == "" {
			fe.Add(f+"kind", "Choose the kind of commitment.")
		}
		checkOption(fe, f+"kind", CommitmentKinds, it.Kind, "a kind")
		if it.Evidence == "" {
			fe.Add(f+"evidence", "Say how it was promised: in contract, verbally, in writing…")
		}
		checkOption(fe, f+"evidence", EvidenceStates, it.Evidence, "an evidence state")
		if (it.Evidence == "in_contract" || it.Evidence == "promised_verbally") && strings.TrimSpace(it.EvidenceDetail) == "" {
			fe.Add(f+"evidence_detail", "Add "+EvidenceDetailLabel(it.Evidence)+".")
		}
		if (it.Amount != "" || it.Value.Minor != 0) && it.Value.Currency == "" {
			fe.Add(f+"currency", "Say which currency, e.g. USD.")
		}
		checkMoney(fe, f, it.Value)
		checkDate(fe, f+"due_on", it.DueOn)
		checkLen(fe, f+"description", it.Description, maxText)
		checkLen(fe, f+"evidence_detail", it.EvidenceDetail, maxText)
	}
	return fe.Err()
}

// Validate checks the stakeholder map's values.
func (s Stakeholders) Validate() error {
	fe := FieldErrors{}
	checkRows(fe, "people", len(s.People), "people")
	checkRowIDs(fe, "people", rowIDs(s.People, func(p Stakeholder) string { return p.ID }))
	for i, p := range s.People {
		f := "people." + itoa(i) + "."
		if strings.TrimSpace(p.Name) == "" {
			fe.Add(f+"name", "Enter the person's name, or remove the row.")
		}
		if p.Role == "" {
			fe.Add(f+"role", "Choose their buying role.")
		}
		checkOption(fe, f+"role", BuyingRoles, p.Role, "a buying role")
		checkOption(fe, f+"sentiment", Sentiments, p.Sentiment, "a sentiment")
		if p.Email != "" {
			if err := ValidateEmail(p.Email); err != nil {
				fe.Add(f+"email", ErrorMessage(err))
			}
		}
		checkLen(fe, f+"name", p.Name, MaxShort)
		checkLen(fe, f+"title", p.Title, MaxShort)
		checkLen(fe, f+"notes", p.Notes, maxText)
	}
	return fe.Err()
}

// Validate checks the risk log's values.
func (r Risks) Validate() error {
	fe := FieldErrors{}
	if r.NoKnownRisks && len(r.Items) > 0 {
		fe.Add("no_known_risks", "You listed risks, so untick \"no known risks\" — or remove the rows.")
	}
	checkRows(fe, "items", len(r.Items), "risks")
	checkRowIDs(fe, "items", rowIDs(r.Items, func(r Risk) string { return r.ID }))
	for i, it := range r.Items {
		f := "items." + itoa(i) + "."
		if strings.TrimSpace(it.Description) == "" {
			fe.Add(f+"description", "Describe the risk, or remove the row.")
		}
		if it.Category == "" {
			fe.Add(f+"category", "Choose a category.")
		}
		checkOption(fe, f+"category", RiskCategories, it.Category, "a category")
		if it.Severity == "" {
			fe.Add(f+"severity", "Choose how severe it is.")
		}
		checkOption(fe, f+"severity", Severities, it.Severity, "a severity")
		checkOption(fe, f+"status", RiskStatuses, it.Status, "a status")
		checkLen(fe, f+"description", it.Description, maxText)
		checkLen(fe, f+"mitigation", it.Mitigation, maxText)
		checkLen(fe, f+"owner", it.Owner, MaxShort)
	}
	return fe.Err()
}
