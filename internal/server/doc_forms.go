package server

import (
	"fmt"
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

// docForms reads each kind of document from its form: one entry per kind of
// handoff.DocSpecs, with the field names its form in web/documents.templ
// renders. With dropBlank, rows left entirely blank are dropped (on save, so
// an unused empty row never blocks it); adding and removing rows keeps them,
// so "remove row i" removes the row the person clicked.
var docForms = map[handoff.DocKind]func(r *http.Request, docs *handoff.Documents, dropBlank bool){
	handoff.DocMEDDPICC:     parseMEDDPICC,
	handoff.DocPOC:          parsePOC,
	handoff.DocCommitments:  parseCommitments,
	handoff.DocStakeholders: parseStakeholders,
	handoff.DocRisks:        parseRisks,
}

// parseDocument reads one document's fields from the form into docs.
func parseDocument(r *http.Request, kind handoff.DocKind, docs *handoff.Documents, dropBlank bool) error {
	parse, ok := docForms[kind]
	if !ok {
		return fmt.Errorf("server: no form for document kind %q", kind)
	}
	parse(r, docs, dropBlank)
	return nil
}

func parseMEDDPICC(r *http.Request, docs *handoff.Documents, _ bool) {
	docs.MEDDPICC.Rows = map[string]handoff.MEDDPICCRow{}
	for _, el := range handoff.MEDDPICCElements {
		p := "meddpicc." + el.Value + "."
		docs.MEDDPICC.Rows[el.Value] = handoff.MEDDPICCRow{Status: val(r, p+"status"), Notes: val(r, p+"notes"), PersonID: val(r, p+"person_id")}
	}
}

func parsePOC(r *http.Request, docs *handoff.Documents, dropBlank bool) {
	docs.POC = handoff.POC{Summary: val(r, "summary"), StartOn: val(r, "start_on"), EndOn: val(r, "end_on")}
	for i := range rowCount(r) {
		c := handoff.Criterion{ID: val(r, row("criteria", i, "id")), Promised: val(r, row("criteria", i, "promised")),
			Demonstrated: val(r, row("criteria", i, "demonstrated")), Outcome: val(r, row("criteria", i, "outcome")),
			Evidence: val(r, row("criteria", i, "evidence"))}
		if !dropBlank || c.Promised+c.Demonstrated+c.Outcome+c.Evidence != "" {
			docs.POC.Criteria = append(docs.POC.Criteria, c)
		}
	}
}

func parseCommitments(r *http.Request, docs *handoff.Documents, dropBlank bool) {
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
}

func parseStakeholders(r *http.Request, docs *handoff.Documents, dropBlank bool) {
	docs.Stakeholders = handoff.Stakeholders{}
	for i := range rowCount(r) {
		p := handoff.Stakeholder{ID: val(r, row("people", i, "id")), Name: val(r, row("people", i, "name")),
			Title: val(r, row("people", i, "title")), Email: handoff.NormalizeEmail(val(r, row("people", i, "email"))),
			Role: val(r, row("people", i, "role")), Sentiment: val(r, row("people", i, "sentiment")), Notes: val(r, row("people", i, "notes"))}
		if !dropBlank || p.Name+p.Title+p.Email+p.Role+p.Sentiment+p.Notes != "" {
			docs.Stakeholders.People = append(docs.Stakeholders.People, p)
		}
	}
}

func parseRisks(r *http.Request, docs *handoff.Documents, dropBlank bool) {
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

// rowsOf is kind's list of rows in docs, nil for an unknown kind or one
// whose rows are fixed.
func rowsOf(kind handoff.DocKind, docs *handoff.Documents) handoff.RowList {
	spec, ok := kind.Spec()
	if !ok {
		return nil
	}
	return spec.Rows(docs)
}

// editRows applies "add a row" or "remove row i" to the document being
// edited. It reports false when a row was asked for but the list is full.
func editRows(kind handoff.DocKind, docs *handoff.Documents, f docForm) bool {
	rows := rowsOf(kind, docs)
	if rows == nil {
		return true
	}
	rows.Remove(f.remove)
	if f.action != "add" {
		return true
	}
	return rows.Add()
}

// ownIDs keeps only the row ids the stored document already has, once each,
// and blanks every other so that saving makes a new one. Row ids are the
// server's own: they end up in the paths of the SA's forms, so an id a client
// made up must never be stored.
func ownIDs(kind handoff.DocKind, typed *handoff.Documents, saved handoff.Documents) {
	rows, stored := rowsOf(kind, typed), rowsOf(kind, &saved)
	if rows == nil {
		return
	}
	known := make(map[string]bool, stored.Len())
	for i := range stored.Len() {
		known[*stored.ID(i)] = true
	}
	for i := range rows.Len() {
		id := rows.ID(i)
		if !known[*id] || !handoff.ValidRowID(*id) {
			*id = ""
			continue
		}
		known[*id] = false // a second row claiming the same id gets a new one
	}
}

// ensureRow gives an empty list one blank row to start typing in, unless the
// document says there is nothing to list.
func ensureRow(kind handoff.DocKind, docs *handoff.Documents) {
	if rows := rowsOf(kind, docs); rows != nil && rows.Len() == 0 && !rows.NoneStated() {
		rows.Add()
	}
}

// finishDocument readies the typed document for saving (new rows get ids,
// defaults apply, typed amounts become money) and validates it. It returns
// per-field errors keyed by form name.
func finishDocument(kind handoff.DocKind, docs *handoff.Documents) error {
	spec, ok := kind.Spec()
	if !ok {
		return fmt.Errorf("server: finish unknown document kind %q", kind)
	}
	return spec.Prepare(docs)
}

// showAmounts fills the typed-amount fields from stored values, so a saved
// document shows them in its form.
func showAmounts(docs *handoff.Documents) {
	for _, spec := range handoff.DocSpecs() {
		spec.ShowTyped(docs)
	}
}
