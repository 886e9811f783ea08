package server

import (
	"net/http"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// saveCRMLink stores the org's CRM link template, from its own form on the
// settings page; it moves no deadline, so it does not go through
// ChangeCalendar.
func (s *Server) saveCRMLink(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return err
	}
	typed := r.PostFormValue("crm_url_template")
	template, err := handoff.ParseCRMURLTemplate(typed)
	if fields := handoff.InvalidFields(err); fields != nil {
		p, perr := s.settingsPage(r)
		if perr != nil {
			return perr
		}
		p.CRM = web.CRMLinkForm{Template: typed, Errors: web.FieldErrors(fields)}
		s.render(w, r, http.StatusUnprocessableEntity, web.Settings(p))
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.db.SetCRMURLTemplate(r.Context(), template); err != nil {
		return err
	}
	msg := "CRM links are off: CRM ids show as text."
	if template != "" {
		msg = "Saved. CRM opportunity ids now link to " + template + "."
	}
	s.flash(r, web.FlashSuccess, msg)
	redirect(w, r, "/admin/settings#crm")
	return nil
}
