package server

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/a-h/templ"

	"github.com/handoff-app/handoff/web"
)

// render writes c with status. It renders into a buffer first, so a failing
// component becomes a clean 500 page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.log.ErrorContext(r.Context(), "render failed", "err", err, "path", r.URL.Path)
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

// page returns the layout props for r: title, navigation, flashes.
func (s *Server) page(r *http.Request, title string) web.Page {
	return web.Page{Title: title, Assets: s.assets}
}
