package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// pathOf is the only way a page builds a link or form action from data: each
// segment is escaped on its own, so a value can never add a segment, start a
// query or a fragment, or leave the site. A segment that is empty or a dot
// segment (which browsers resolve as "stay" or "go up", even percent-encoded)
// becomes "_", a segment no route has, so such a link answers "not found"
// instead of reaching another resource. The result is always an absolute path
// on this site, which is why it may be a templ.SafeURL.
func pathOf(segments ...string) templ.SafeURL {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		switch strings.ToLower(s) {
		case "", ".", "..", "%2e", "%2e%2e", ".%2e", "%2e.":
			b.WriteByte('_')
		default:
			b.WriteString(url.PathEscape(s))
		}
	}
	return templ.SafeURL(b.String())
}

// packPath is the path of pack id, or of one of its pages and actions.
func packPath(id int64, segments ...string) templ.SafeURL {
	return pathOf(append([]string{"packs", strconv.FormatInt(id, 10)}, segments...)...)
}

// mailtoURL is a mailto link for an address the domain validated; the address
// is escaped so no header (?subject=, &cc=) can ride along.
func mailtoURL(email string) templ.SafeURL {
	return templ.SafeURL("mailto:" + url.PathEscape(email))
}
