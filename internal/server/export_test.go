package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// RouteRule exposes a route's access rule to the route × role test.
type RouteRule struct {
	Public bool
	Roles  []handoff.Role
}

// RouteRules returns every declared rule, keyed "METHOD /pattern".
func (s *Server) RouteRules() map[string]RouteRule {
	out := make(map[string]RouteRule, len(s.rules))
	for k, r := range s.rules {
		out[k] = RouteRule{Public: r.public, Roles: r.roles}
	}
	return out
}

// Routes exposes the router for chi.Walk.
func (s *Server) Routes() chi.Routes { return s.router.(chi.Routes) }
