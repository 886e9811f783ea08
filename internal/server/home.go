package server

import (
	"net/http"
	"slices"

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

// overdue is the manager's home. Until the filtered overdue and at-risk lists
// land, it lists every open pack, late ones first, so managers can reach and
// reassign any pack.
func (s *Server) overdue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionViewOverdue); err != nil {
		return err
	}
	packs, err := s.db.OpenPacks(ctx, openPacksShown)
	if err != nil {
		return err
	}
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	rows := make([]web.MyPacksRow, 0, len(packs))
	for _, p := range packs {
		rows = append(rows, web.MyPacksRow{Head: packHead(p), Clocks: clockViews(cal, settings, p, now), Next: nextStep(p)})
	}
	slices.SortStableFunc(rows, func(a, b web.MyPacksRow) int {
		if d := urgency(b) - urgency(a); d != 0 {
			return d
		}
		return nextDue(a).Compare(nextDue(b))
	})
	s.render(w, r, http.StatusOK, web.Overview(web.OverviewPage{Page: s.page(r, "Overdue"), Rows: rows, Limit: openPacksShown}))
	return nil
}

// openPacksShown caps the interim open-packs list.
const openPacksShown = 500

// urgency ranks a row: any overdue clock first, then at risk, then the rest.
func urgency(row web.MyPacksRow) int {
	u := 0
	for _, c := range row.Clocks {
		switch c.State {
		case "overdue":
			u = max(u, 2)
		case "at_risk":
			u = max(u, 1)
		}
	}
	return u
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
