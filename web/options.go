package web

import (
	"context"
	"io"

	"github.com/a-h/templ"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Options are a select's options rendered to HTML once. A manager's pack
// page offers every active SE and SA to reassign the deal to, hundreds of
// options that were a seventh of the page's server time to render; they are
// the same on every pack until the people change, so the server keeps an
// Options under the data version and only which one is selected differs.
type Options struct {
	values          []string
	plain, selected []string // each option's HTML without and with selected
}

// NewOptions renders opts.
func NewOptions(opts []handoff.Option) *Options {
	o := &Options{values: make([]string, len(opts)), plain: make([]string, len(opts)), selected: make([]string, len(opts))}
	for i, op := range opts {
		value, label := templ.EscapeString(op.Value), templ.EscapeString(op.Label)
		o.values[i] = op.Value
		o.plain[i] = `<option value="` + value + `">` + label + `</option>`
		o.selected[i] = `<option value="` + value + `" selected>` + label + `</option>`
	}
	return o
}

// UserOptions are the options of a people picker: each person by id, named.
func UserOptions(us []*handoff.User) *Options { return NewOptions(userOptions(us)) }

// with writes the options with the one whose value is sel selected.
func (o *Options) with(sel string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for i, v := range o.values {
			html := o.plain[i]
			if v == sel {
				html = o.selected[i]
			}
			if _, err := io.WriteString(w, html); err != nil {
				return err
			}
		}
		return nil
	})
}
