package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
)

// maxParsedRows bounds the rows read from one form. It is well above the
// domain's handoff.MaxRows, so a form with too many rows is read whole and
// refused with a message, never cut short in silence.
const maxParsedRows = 4 * handoff.MaxRows

// docForm is a parsed document form: the documents with this one replaced by
// what the person typed, and what they asked for (save, add a row, remove one).
type docForm struct {
	version int
	action  string // "save", "add" or "remove"
	remove  int
}

func parseDocAction(r *http.Request) docForm {
	f := docForm{action: "save", remove: -1}
	f.version, _ = strconv.Atoi(r.PostFormValue("version"))
	if a := r.PostFormValue("action"); a == "add" {
		f.action = "add"
	}
	if rm := r.PostFormValue("remove"); rm != "" {
		if i, err := strconv.Atoi(rm); err == nil && i >= 0 {
			f.action, f.remove = "remove", i
		}
	}
	return f
}

func val(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

func rowCount(r *http.Request) int {
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	return max(0, min(n, maxParsedRows))
}

func row(list string, i int, field string) string { return list + "." + strconv.Itoa(i) + "." + field }

// parseDocument reads one document's fields from the form into docs. With
// dropBlank, rows left entirely blank are dropped (on save, so an unused empty
// row never blocks it); adding and removing rows keeps them, so "remove row i"
// removes the row the person clicked.
func parseDocument(r *http.Request, kind handoff.DocKind, docs *handoff.Documents, dropBlank bool) {
	switch kind {
	case handoff.DocMEDDPICC:
		docs.MEDDPICC.Rows = map[string]handoff.MEDDPICCRow{}
		for _, el := range handoff.MEDDPICCElements {
			p := "meddpicc." + el.Value + "."
			docs.MEDDPICC.Rows[el.Value] = handoff.MEDDPICCRow{Status: val(r, p+"status"), Notes: val(r, p+"notes"), PersonID: val(r, p+"person_id")}
		}
	case handoff.DocPOC:
		docs.POC = handoff.POC{Summary: val(r, "summary"), StartOn: val(r, "start_on"), EndOn: val(r, "end_on")}
		for i := range rowCount(r) {
			c := handoff.Criterion{ID: val(r, row("criteria", i, "id")), Promised: val(r, row("criteria", i, "promised")),
				Demonstrated: val(r, row("criteria", i, "demonstrated")), Outcome: val(r, row("criteria", i, "outcome")),
				Evidence: val(r, row("criteria", i, "evidence"))}
			if !dropBlank || c.Promised+c.Demonstrated+c.Outcome+c.Evidence != "" {
				docs.POC.Criteria = append(docs.POC.Criteria, c)
			}
		}
	case handoff.DocCommitments:
		docs.Commitments = handoff.Commitments{NoneBeyondContract: r.PostFormValue("none_beyond_contract") == "1"}
		for i := range rowCount(r) {
			c := handoff.Commitment{ID: val(r, row("items", i, "id")), Kind: val(r, row("items", i, "kind")),
				Description: val(r, row("items", i, "description")), Evidence: val(r, row("items", i, "evidence")),
				EvidenceDetail: val(r, row("items", i, "evidence_detail")), DueOn: val(r, row("items", i, "due_on")),
				Amount: val(r, row("items", i, "amount")),
				Value:  handoff.Money{Currency: strings.ToUpper(val(r, row("items", i, "currency")))}}
			if !dropBlank || c.Kind+c.Description+c.Evidence+c.EvidenceDetail+c.DueOn+c.Amount != "" {
				docs.Commitments.Items = append(docs.Commitments.Items, c)
			}
		}
	case handoff.DocStakeholders:
		docs.Stakeholders = handoff.Stakeholders{}
		for i := range rowCount(r) {
			p := handoff.Stakeholder{ID: val(r, row("people", i, "id")), Name: val(r, row("people", i, "name")),
				Title: val(r, row("people", i, "title")), Email: handoff.NormalizeEmail(val(r, row("people", i, "email"))),
				Role: val(r, row("people", i, "role")), Sentiment: val(r, row("people", i, "sentiment")), Notes: val(r, row("people", i, "notes"))}
			if !dropBlank || p.Name+p.Title+p.Email+p.Role+p.Sentiment+p.Notes != "" {
				docs.Stakeholders.People = append(docs.Stakeholders.People, p)
			}
		}
	case handoff.DocRisks:
		docs.Risks = handoff.Risks{NoKnownRisks: r.PostFormValue("no_known_risks") == "1"}
		for i := range rowCount(r) {
			k := handoff.Risk{ID: val(r, row("items", i, "id")), Category: val(r, row("items", i, "category")),
				Description: val(r, row("items", i, "description")), Severity: val(r, row("items", i, "severity")),
				Mitigation: val(r, row("items", i, "mitigation")), Owner: val(r, row("items", i, "owner")),
				Status: val(r, row("items", i, "status"))}
			if !dropBlank || k.Category+k.Description+k.Severity+k.Mitigation+k.Owner != "" {
				docs.Risks.Items = append(docs.Risks.Items, k)
			}
		}
	}
}

// editRows applies "add a row" or "remove row i" to the document being
// edited. It reports false when a row was asked for but the list is full.
func editRows(kind handoff.DocKind, docs *handoff.Documents, f docForm) bool {
	add, rm := f.action == "add", f.remove
	switch kind {
	case handoff.DocPOC:
		return editSlice(&docs.POC.Criteria, add, rm)
	case handoff.DocCommitments:
		return editSlice(&docs.Commitments.Items, add, rm)
	case handoff.DocStakeholders:
		return editSlice(&docs.Stakeholders.People, add, rm)
	case handoff.DocRisks:
		return editSlice(&docs.Risks.Items, add, rm)
	}
	return true
}

func editSlice[T any](rows *[]T, add bool, rm int) bool {
	if rm >= 0 && rm < len(*rows) {
		*rows = append((*rows)[:rm:rm], (*rows)[rm+1:]...)
	}
	if !add {
		return true
	}
	if len(*rows) >= handoff.MaxRows {
		return false
	}
	var zero T
	*rows = append(*rows, zero)
	return true
}

// ownIDs keeps only the row ids the stored document already has, once each,
// and blanks every other so that saving makes a new one. Row ids are the
// server's own: they end up in the paths of the SA's forms, so an id a client
// made up must never be stored.
func ownIDs(kind handoff.DocKind, typed *handoff.Documents, saved handoff.Documents) {
	switch kind {
	case handoff.DocPOC:
		keepIDs(typed.POC.Criteria, saved.POC.Criteria, func(c *handoff.Criterion) *string { return &c.ID })
	case handoff.DocCommitments:
		keepIDs(typed.Commitments.Items, saved.Commitments.Items, func(c *handoff.Commitment) *string { return &c.ID })
	case handoff.DocStakeholders:
		keepIDs(typed.Stakeholders.People, saved.Stakeholders.People, func(p *handoff.Stakeholder) *string { return &p.ID })
	case handoff.DocRisks:
		keepIDs(typed.Risks.Items, saved.Risks.Items, func(r *handoff.Risk) *string { return &r.ID })
	}
}

func keepIDs[T any](typed, saved []T, id func(*T) *string) {
	known := make(map[string]bool, len(saved))
	for i := range saved {
		known[*id(&saved[i])] = true
	}
	for i := range typed {
		p := id(&typed[i])
		if !known[*p] || !handoff.ValidRowID(*p) {
			*p = ""
			continue
		}
		known[*p] = false // a second row claiming the same id gets a new one
	}
}

// ensureRow gives an empty list one blank row to start typing in.
func ensureRow(kind handoff.DocKind, docs *handoff.Documents) {
	switch kind {
	case handoff.DocPOC:
		if len(docs.POC.Criteria) == 0 {
			docs.POC.Criteria = []handoff.Criterion{{}}
		}
	case handoff.DocCommitments:
		if len(docs.Commitments.Items) == 0 && !docs.Commitments.NoneBeyondContract {
			docs.Commitments.Items = []handoff.Commitment{{}}
		}
	case handoff.DocStakeholders:
		if len(docs.Stakeholders.People) == 0 {
			docs.Stakeholders.People = []handoff.Stakeholder{{}}
		}
	case handoff.DocRisks:
		if len(docs.Risks.Items) == 0 && !docs.Risks.NoKnownRisks {
			docs.Risks.Items = []handoff.Risk{{}}
		}
	}
}

// finishDocument validates the typed document, converts typed amounts and
// gives new rows their ids. It returns per-field errors keyed by form name.
func finishDocument(kind handoff.DocKind, docs *handoff.Documents) error {
	fe := handoff.FieldErrors{}
	var err error
	switch kind {
	case handoff.DocMEDDPICC:
		err = docs.MEDDPICC.Validate(docs.Stakeholders)
	case handoff.DocPOC:
		for i := range docs.POC.Criteria {
			setID(&docs.POC.Criteria[i].ID)
		}
		err = docs.POC.Validate()
	case handoff.DocCommitments:
		for i := range docs.Commitments.Items {
			c := &docs.Commitments.Items[i]
			setID(&c.ID)
			if c.Amount != "" {
				minor, aerr := handoff.ParseAmount(c.Amount)
				if aerr != nil {
					fe.Add(row("items", i, "amount"), handoff.ErrorMessage(aerr))
				}
				c.Value.Minor = minor
				if c.Value.Currency == "" {
					fe.Add(row("items", i, "currency"), "Say which currency, e.g. USD.")
				}
			} else {
				c.Value = handoff.Money{}
			}
		}
		err = docs.Commitments.Validate()
	case handoff.DocStakeholders:
		for i := range docs.Stakeholders.People {
			setID(&docs.Stakeholders.People[i].ID)
		}
		err = docs.Stakeholders.Validate()
	case handoff.DocRisks:
		for i := range docs.Risks.Items {
			setID(&docs.Risks.Items[i].ID)
			if docs.Risks.Items[i].Status == "" {
				docs.Risks.Items[i].Status = "open"
			}
		}
		err = docs.Risks.Validate()
	}
	for k, v := range handoff.InvalidFields(err) {
		fe.Add(k, v)
	}
	if err != nil && handoff.InvalidFields(err) == nil {
		return err
	}
	return fe.Err()
}

func setID(id *string) {
	if *id == "" {
		*id = handoff.NewRowID()
	}
}

// showAmounts fills the typed-amount fields from stored values, so a saved
// ledger shows its amounts in the form.
func showAmounts(docs *handoff.Documents) {
	for i := range docs.Commitments.Items {
		c := &docs.Commitments.Items[i]
		if c.Amount == "" && c.Value.Currency != "" {
			c.Amount = handoff.FormatAmount(c.Value.Minor)
		}
	}
}
