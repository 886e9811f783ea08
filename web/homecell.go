package web

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"
)

// homeClockCell is a clock as a home's row shows it, five to a row: a clock
// not started is a dash (its words for screen readers), a finished one its
// date and verdict, a running one its date, state and how long is left or
// how late it is. Who it waits on is the section's title and the next-step
// column, so the cell leaves it out.
//
// It is written by hand, as Options are: a home's first page draws up to
// 375 of these cells, and templ's per-component context set-up was an
// eighth of the page's server time. The markup is what the badge component
// writes; TestHomeClockCell pins it.
func homeClockCell(c ClockView) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var b strings.Builder
		if c.Due == "" {
			b.WriteString(`<span aria-hidden="true" class="muted">—</span> <span class="visually-hidden">`)
			b.WriteString(templ.EscapeString(c.Relative))
			b.WriteString(`</span>`)
		} else {
			due := templ.EscapeString(c.Due)
			b.WriteString(`<time datetime="`)
			b.WriteString(due)
			b.WriteString(`">`)
			b.WriteString(due)
			b.WriteString(`</time><br><span class="badge `)
			b.WriteString(c.Badge())
			b.WriteString(`">`)
			b.WriteString(templ.EscapeString(c.StateLabel()))
			b.WriteString(`</span>`)
			if !c.State.IsDone() {
				b.WriteString(`<br><span class="muted small">`)
				b.WriteString(templ.EscapeString(c.Relative))
				b.WriteString(`</span>`)
			}
		}
		_, err := io.WriteString(w, b.String())
		return err
	})
}
