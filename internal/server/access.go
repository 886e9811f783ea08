package server

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// rule says who may reach a route. Every route states one when it is
// registered (see router.handle); the route × role test fails for any route
// registered without one, so nothing can be added open by accident.
type rule struct {
	public bool           // anyone, logged in or not
	roles  []handoff.Role // otherwise: logged-in users with one of these roles
}

// public routes need no login.
var public = rule{public: true}

// anyUser is every logged-in, active user, whatever their role.
var anyUser = rule{roles: handoff.Roles}

// only allows logged-in users with one of roles.
func only(roles ...handoff.Role) rule { return rule{roles: roles} }

// allows reports whether u may reach a route with this rule.
func (ru rule) allows(u *handoff.User) bool {
	return ru.public || handoff.HasRole(u, ru.roles...)
}

// router registers routes together with their rule.
type router struct {
	chi.Router
	s *Server
}

// handle registers h for method and pattern behind rule ru.
func (rt router) handle(method, pattern string, ru rule, h handlerFunc) {
	rt.handleHTTP(method, pattern, ru, rt.s.handle(h))
}

// handleHTTP is handle for a plain http.Handler (assets, probes).
func (rt router) handleHTTP(method, pattern string, ru rule, h http.Handler) {
	rt.s.rules[method+" "+pattern] = ru
	rt.Method(method, pattern, rt.s.guard(ru, h))
}

// guard enforces ru: anonymous visitors are sent to log in (and brought back
// afterwards); a logged-in person without the role sees "not found", exactly
// as if the page did not exist.
func (s *Server) guard(ru rule, next http.Handler) http.Handler {
	if ru.public {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r)
		if u == nil {
			target := "/login"
			if r.Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if !ru.allows(u) {
			s.serveError(w, r, handoff.Errorf(handoff.ENOTFOUND, "not found"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
