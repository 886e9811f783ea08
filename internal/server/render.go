package server

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// maxPooledBuffer keeps a rare huge page (a CSV-sized table) from pinning
// its buffer in the pool.
const maxPooledBuffer = 1 << 20

// render writes c with status. It renders into a buffer first, so a failing
// component becomes a clean 500 page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf, _ := s.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			s.buffers.Put(buf)
		}
	}()
	if err := c.Render(web.WithLocation(r.Context(), s.orgLocation()), buf); err != nil {
		s.log.ErrorContext(r.Context(), "render failed", "err", err, "path", logPath(r))
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	// Pages hold private deal data: never store them in shared caches.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// page returns the layout props for r: title, who is looking, their
// navigation, and any flash message.
func (s *Server) page(r *http.Request, title string) web.Page {
	p := web.Page{Title: title, Assets: s.assets, Flashes: s.popFlashes(r)}
	if u := currentUser(r); u != nil {
		p.Account = &web.Account{Name: u.Name, Email: u.Email, RoleLabel: u.Role.Short()}
		p.Nav = navFor(u.Role, r.URL.Path)
	}
	return p
}

// homePath is each role's home page (docs/design.md, "People and roles").
func homePath(role handoff.Role) string {
	switch role {
	case handoff.RoleSE:
		return "/packs"
	case handoff.RoleSA:
		return "/inbox"
	case handoff.RoleManager:
		return "/overdue"
	case handoff.RoleAdmin:
		return "/admin"
	}
	return "/account"
}

// navFor is the main navigation of a role, with the current section marked.
func navFor(role handoff.Role, path string) []web.NavItem {
	var items []web.NavItem
	switch role {
	case handoff.RoleSE:
		items = []web.NavItem{{Label: "My packs", Href: "/packs"}, {Label: "Accuracy", Href: "/accuracy"}}
	case handoff.RoleSA:
		items = []web.NavItem{{Label: "Inbox", Href: "/inbox"}}
	case handoff.RoleManager:
		items = []web.NavItem{{Label: "Overdue", Href: "/overdue"}, {Label: "Stats", Href: "/stats"}, {Label: "Strategic", Href: "/strategic"}, {Label: "Record a deal", Href: "/deals/new"}}
	case handoff.RoleAdmin:
		items = []web.NavItem{{Label: "Admin", Href: "/admin"}, {Label: "Users", Href: "/admin/users"}, {Label: "Settings", Href: "/admin/settings"}, {Label: "API tokens", Href: "/admin/tokens"}, {Label: "Webhooks", Href: "/admin/webhooks"}, {Label: "Overdue", Href: "/overdue"}, {Label: "Stats", Href: "/stats"}, {Label: "Strategic", Href: "/strategic"}}
	}
	// Packs (README.md), for every role: after the role's home list.
	for i, it := range items {
		if it.Href == "/packs" || it.Href == "/inbox" || it.Href == "/overdue" {
			items = slices.Insert(items, i+1, web.NavItem{Label: "Packs", Href: "/search"})
			break
		}
	}
	best := -1
	for i, it := range items {
		if (path == it.Href || strings.HasPrefix(path, it.Href+"/")) && (best < 0 || len(it.Href) > len(items[best].Href)) {
			best = i
		}
	}
	if best >= 0 {
		items[best].Current = true
	}
	return items
}
