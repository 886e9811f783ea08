package web

import (
	"context"
	"fmt"
	"io"

	"github.com/a-h/templ"

	"github.com/handoff-app/handoff/internal/handoff"
)

// docKindView is how the web shows one kind of document.
type docKindView struct {
	// form renders the document's fields inside DocumentPage's form; the
	// server's parser for the kind reads the same names back.
	form func(DocFormPage) templ.Component
	// view renders the document read-only, as the SA reads it and as it
	// prints.
	view func(handoff.Documents) templ.Component
}

// docKindViews holds one entry per kind of handoff.DocSpecs.
var docKindViews = map[handoff.DocKind]docKindView{
	handoff.DocMEDDPICC:     {form: meddpiccForm, view: meddpiccView},
	handoff.DocPOC:          {form: pocForm, view: pocView},
	handoff.DocCommitments:  {form: commitmentsForm, view: commitmentsView},
	handoff.DocStakeholders: {form: stakeholdersForm, view: stakeholdersView},
	handoff.DocRisks:        {form: risksForm, view: risksView},
}

// documentForm renders the fields of p's document.
func documentForm(p DocFormPage) templ.Component {
	v, ok := docKindViews[p.Kind]
	if !ok {
		return noView(p.Kind)
	}
	return v.form(p)
}

// documentView renders document kind of d read-only.
func documentView(kind handoff.DocKind, d handoff.Documents) templ.Component {
	v, ok := docKindViews[kind]
	if !ok {
		return noView(kind)
	}
	return v.view(d)
}

// noView fails the render of a kind with no entry, so the page is an error
// rather than a form that silently drops the document.
func noView(kind handoff.DocKind) templ.Component {
	return templ.ComponentFunc(func(context.Context, io.Writer) error {
		return fmt.Errorf("web: no view for document kind %q", kind)
	})
}
