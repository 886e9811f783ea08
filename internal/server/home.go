package server

import (
	"net/http"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// home sends each person to their role's home, and visitors to the login.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u == nil {
		redirect(w, r, "/login")
		return nil
	}
	redirect(w, r, homePath(u.Role))
	return nil
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return err
	}
	counts, inactive, err := s.db.UserCounts(ctx)
	if err != nil {
		return err
	}
	settings, err := s.db.Settings(ctx)
	if err != nil {
		return err
	}
	p := web.AdminHomePage{Page: s.page(r, "Admin"), Inactive: inactive, Settings: settings}
	for _, role := range handoff.Roles {
		p.RoleCounts = append(p.RoleCounts, web.RoleCount{Role: role, Count: counts[role]})
	}
	s.render(w, r, http.StatusOK, web.AdminHome(p))
	return nil
}
