package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/handoff-app/handoff/web"
)

// routes is the whole route table in one place.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(s.accessLog)
	r.Use(s.recoverer)
	r.Use(middleware.Compress(5, "text/html", "text/css", "text/plain", "image/svg+xml", "application/json", "text/csv"))

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		heading, msg := errorWords(http.StatusNotFound)
		s.renderError(w, r, http.StatusNotFound, heading, msg)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		heading, msg := errorWords(http.StatusMethodNotAllowed)
		s.renderError(w, r, http.StatusMethodNotAllowed, heading, msg)
	})

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", http.StripPrefix("/static", s.assets))

	r.Get("/", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		s.render(w, r, http.StatusOK, web.Welcome(s.page(r, "Welcome")))
		return nil
	}))
	return r
}
