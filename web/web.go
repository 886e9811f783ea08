// Package web holds Handoff's HTML: the templ layout, pages and shared
// components, and the static assets embedded in the binary. Pages take one typed
// props struct and never reach for data themselves; internal/server fills them.
package web

// Page is what the layout needs on every page: the title, who is looking, the
// navigation for their role, and any flash messages.
type Page struct {
	Title   string
	Assets  *Assets
	Account *Account // nil when nobody is logged in
	Nav     []NavItem
	Flashes []Flash
}

// Account is the logged-in person as the header shows them.
type Account struct {
	Name      string
	Email     string
	RoleLabel string
}

// NavItem is one link of the role-aware navigation.
type NavItem struct {
	Label   string
	Href    string
	Current bool
}

// Flash kinds.
const (
	FlashSuccess = "success"
	FlashError   = "error"
	FlashInfo    = "info"
)

// Flash is a one-time message shown at the top of the next page, or in the
// card the redirect lands on.
type Flash struct {
	Kind    string
	Message string
	// At is the id of the card the redirect after a save lands on: the
	// card shows the message, in view, where the page would show it at the
	// top, out of view. Empty, or no such card on the page: the top.
	At string
}

// TakeFlash takes the message meant for the card with id at out of fs, so
// the card shows it and the top of the page does not; nil when there is none.
func TakeFlash(fs *[]Flash, at string) *Flash {
	if at == "" {
		return nil // the top of the page's
	}
	for i, f := range *fs {
		if f.At == at {
			*fs = append((*fs)[:i:i], (*fs)[i+1:]...)
			return &f
		}
	}
	return nil
}

// FieldErrors maps a form field's name to the message shown beside it.
type FieldErrors map[string]string

// Field describes one labelled input for the Input component.
type Field struct {
	Name         string
	Label        string
	Type         string // text, email, password, date, …
	Value        string
	Hint         string
	Required     bool
	Autocomplete string
	Autofocus    bool
	// MaxLength is the most characters the field takes, shown as maxlength.
	// Zero means the component's default for its kind (see maxLength).
	MaxLength int
	// Min and Max bound a date field ("" for none); List names a datalist
	// of suggestions.
	Min, Max, List string
}

// ErrorPage is the content of the styled error pages (404, 403, 429, 500 …).
type ErrorPage struct {
	Page
	Status    int
	Heading   string
	Message   string
	RequestID string
}
