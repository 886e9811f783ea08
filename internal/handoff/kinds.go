package handoff

import "encoding/json"

// DocSpec is everything the domain knows about one kind of document: its
// name, how its part of a pack is stored, what a valid and a complete one is,
// how two versions differ, and its list of rows. docSpecs registers one per
// kind; every question about a document goes through it, so a new kind is one
// entry here (plus its view and form, registered in web and internal/server,
// and a migration widening the kind checks of pack_documents and
// document_reviews).
type DocSpec struct {
	kind    DocKind
	title   string
	purpose string
	part    docPart
	// rows is the document's list of rows; nil for a document whose rows are
	// fixed (the MEDDPICC elements).
	rows func(*Documents) RowList
	// prepare applies defaults and reads typed values into stored ones
	// before validation, adding a message per field it cannot read; nil when
	// the kind has none.
	prepare func(*Documents, FieldErrors)
	// showTyped fills typed-only fields from stored values, the inverse of
	// prepare; nil when the kind has none.
	showTyped func(*Documents)
	validate  func(Documents) error
	missing   func(Documents) []string
	diff      func(a, b Documents) []Change
}

// docSpecs are the documents of a pack, in the order the pack shows them:
// the order they are filled in. The stakeholder map comes first, since the
// MEDDPICC scorecard names its champion and economic buyer from it.
var docSpecs = []DocSpec{
	{
		kind:    DocStakeholders,
		title:   "Stakeholder map",
		purpose: "Who is who at the customer: buying roles, sentiment and notes.",
		part:    partOf(func(d *Documents) *Stakeholders { return &d.Stakeholders }),
		rows: func(d *Documents) RowList {
			return rowsOf(&d.Stakeholders.People, func(p *Stakeholder) *string { return &p.ID }, nil)
		},
		validate: func(d Documents) error { return d.Stakeholders.Validate() },
		missing:  Documents.missingStakeholders,
		diff:     diffStakeholders,
	},
	{
		kind:    DocMEDDPICC,
		title:   "MEDDPICC scorecard",
		purpose: "How the deal was qualified: each element's status, with the champion, economic buyer and decision criteria named.",
		part:    partOf(func(d *Documents) *MEDDPICC { return &d.MEDDPICC }),
		// Champion and Economic Buyer point into the stakeholder map.
		validate: func(d Documents) error { return d.MEDDPICC.Validate(d.Stakeholders) },
		missing:  Documents.missingMEDDPICC,
		diff:     diffMEDDPICC,
	},
	{
		kind:    DocPOC,
		title:   "POC scope and outcomes",
		purpose: "What the proof of concept set out to show, and what it actually demonstrated.",
		part:    partOf(func(d *Documents) *POC { return &d.POC }),
		rows: func(d *Documents) RowList {
			return rowsOf(&d.POC.Criteria, func(c *Criterion) *string { return &c.ID }, nil)
		},
		validate: func(d Documents) error { return d.POC.Validate() },
		missing:  Documents.missingPOC,
		diff:     diffPOC,
	},
	{
		kind:    DocCommitments,
		title:   "Commercial commitments",
		purpose: "Everything promised beyond the standard product, and the evidence for each promise.",
		part:    partOf(func(d *Documents) *Commitments { return &d.Commitments }),
		rows: func(d *Documents) RowList {
			return rowsOf(&d.Commitments.Items, func(c *Commitment) *string { return &c.ID }, &d.Commitments.NoneBeyondContract)
		},
		prepare:   func(d *Documents, fe FieldErrors) { d.Commitments.readAmounts(fe) },
		showTyped: func(d *Documents) { d.Commitments.showAmounts() },
		validate:  func(d Documents) error { return d.Commitments.Validate() },
		missing:   Documents.missingCommitments,
		diff:      diffCommitments,
	},
	{
		kind:    DocRisks,
		title:   "Risk log",
		purpose: "What could go wrong in delivery, how bad it is, and who owns it.",
		part:    partOf(func(d *Documents) *Risks { return &d.Risks }),
		rows: func(d *Documents) RowList {
			return rowsOf(&d.Risks.Items, func(r *Risk) *string { return &r.ID }, &d.Risks.NoKnownRisks)
		},
		prepare:  func(d *Documents, _ FieldErrors) { d.Risks.openByDefault() },
		validate: func(d Documents) error { return d.Risks.Validate() },
		missing:  Documents.missingRisks,
		diff:     diffRisks,
	},
}

// DocSpecs lists the registered kinds of document in pack order.
func DocSpecs() []DocSpec { return append([]DocSpec(nil), docSpecs...) }

// Spec returns the registered spec of k.
func (k DocKind) Spec() (DocSpec, bool) {
	for _, s := range docSpecs {
		if s.kind == k {
			return s, true
		}
	}
	return DocSpec{}, false
}

func docKinds() []DocKind {
	out := make([]DocKind, len(docSpecs))
	for i, s := range docSpecs {
		out[i] = s.kind
	}
	return out
}

// Kind is the document's URL and storage name.
func (s DocSpec) Kind() DocKind { return s.kind }

// Title is the document's name.
func (s DocSpec) Title() string { return s.title }

// Purpose says in one line what the SA needs from the document.
func (s DocSpec) Purpose() string { return s.purpose }

// Encode returns this document of d as stored (JSON).
func (s DocSpec) Encode(d Documents) ([]byte, error) { return s.part.encode(&d) }

// Decode replaces this document of d with the stored data.
func (s DocSpec) Decode(d *Documents, data []byte) error { return s.part.decode(d, data) }

// Copy replaces this document of dst with src's.
func (s DocSpec) Copy(dst *Documents, src Documents) { s.part.copy(dst, &src) }

// Validate checks the document's values (not its completeness); field errors
// are keyed by the names of the document's form fields.
func (s DocSpec) Validate(d Documents) error { return s.validate(d) }

// Missing lists what the document still needs before the pack may be
// submitted (docs/design.md, "A pack's life"), in words a person acts on; nil when complete.
func (s DocSpec) Missing(d Documents) []string { return s.missing(d) }

// Diff lists the document's differences from a to b (see Diff).
func (s DocSpec) Diff(a, b Documents) []Change { return s.diff(a, b) }

// Rows returns the document's list of rows in d, or nil when its rows are
// fixed.
func (s DocSpec) Rows(d *Documents) RowList {
	if s.rows == nil {
		return nil
	}
	return s.rows(d)
}

// Prepare readies the document in d, as a person typed it, for saving: rows
// without an id get a new one, blank values take their defaults (a risk is
// open), and typed values become stored ones (an amount needs a currency).
// It then validates, returning an EINVALID error whose fields are keyed by
// form name, or nil.
func (s DocSpec) Prepare(d *Documents) error {
	fe := FieldErrors{}
	if rows := s.Rows(d); rows != nil {
		for i := range rows.Len() {
			if id := rows.ID(i); *id == "" {
				*id = NewRowID()
			}
		}
	}
	if s.prepare != nil {
		s.prepare(d, fe)
	}
	err := s.validate(*d)
	fields := InvalidFields(err)
	if err != nil && fields == nil {
		return err
	}
	for k, v := range fields {
		fe.Add(k, v)
	}
	return fe.Err()
}

// ShowTyped fills the document's typed-only fields (a commitment's amount as
// typed) from its stored values, so a form shows what is saved.
func (s DocSpec) ShowTyped(d *Documents) {
	if s.showTyped != nil {
		s.showTyped(d)
	}
}

// ---- codec ----

// docPart reads and writes one kind's part of Documents.
type docPart interface {
	encode(*Documents) ([]byte, error)
	decode(*Documents, []byte) error
	copy(dst, src *Documents)
}

type partFunc[T any] func(*Documents) *T

func partOf[T any](get func(*Documents) *T) docPart { return partFunc[T](get) }

func (p partFunc[T]) encode(d *Documents) ([]byte, error) { return json.Marshal(p(d)) }

func (p partFunc[T]) decode(d *Documents, data []byte) error {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*p(d) = v
	return nil
}

func (p partFunc[T]) copy(dst, src *Documents) { *p(dst) = *p(src) }

// ---- rows ----

// RowList is a document's list of rows whatever their type: what forms add,
// remove and start with, and the ids reviews and approvals point at.
type RowList interface {
	// Len is the number of rows.
	Len() int
	// ID points at row i's id.
	ID(i int) *string
	// Add appends a blank row, or reports false when the list already holds
	// MaxRows.
	Add() bool
	// Remove drops row i; an i out of range changes nothing.
	Remove(i int)
	// NoneStated reports whether the document says there is nothing to list
	// ("no known risks").
	NoneStated() bool
}

type rowList[T any] struct {
	rows *[]T
	id   func(*T) *string
	none *bool // nil when the document has no such statement
}

func rowsOf[T any](rows *[]T, id func(*T) *string, none *bool) RowList {
	return rowList[T]{rows: rows, id: id, none: none}
}

func (l rowList[T]) Len() int         { return len(*l.rows) }
func (l rowList[T]) ID(i int) *string { return l.id(&(*l.rows)[i]) }
func (l rowList[T]) NoneStated() bool { return l.none != nil && *l.none }

func (l rowList[T]) Add() bool {
	if len(*l.rows) >= MaxRows {
		return false
	}
	var zero T
	*l.rows = append(*l.rows, zero)
	return true
}

func (l rowList[T]) Remove(i int) {
	if i >= 0 && i < len(*l.rows) {
		*l.rows = append((*l.rows)[:i:i], (*l.rows)[i+1:]...)
	}
}
