package server

import (
	"net/http"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// First value (docs/design.md, "Deadlines"): from the kickoff on, the pack's
// SA records the day the customer first got value and what it was, which
// stops the first value clock; recording again corrects the record. The
// handler parses, calls storage (which asks handoff.Decide, ActFirstValue,
// and checks the day and the words inside its transaction) and renders.

// recordFirstValue records first value, or corrects it. A refused form comes
// back on the pack page with what was typed and a message beside each field.
func (s *Server) recordFirstValue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	typed := &web.FirstValueForm{On: val(r, web.FirstValueOnField), What: r.PostFormValue(web.FirstValueWhatField)}
	now := s.now()
	changed, err := s.db.RecordFirstValue(ctx, currentUser(r), p.ID, typed.On, typed.What, cal.Today(now).Time(), now)
	if fields := handoff.InvalidFields(err); fields != nil {
		// handoff.ValidateFirstValue keys its messages "on" and "what".
		typed.Errors = web.FieldErrors{web.FirstValueOnField: fields["on"], web.FirstValueWhatField: fields["what"]}
		return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{firstValue: typed})
	}
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	msg := "First value recorded: " + typed.On + ". The first value clock is done; the SE and managers see the record on the pack."
	switch {
	case !changed:
		msg = "Nothing to save: first value is already recorded as " + typed.On + " with the same description."
	case p.FirstValue != nil:
		msg = "First value corrected to " + typed.On + ". The pack's history keeps what it said before."
	}
	s.flashAt(r, web.FlashSuccess, msg, web.FirstValueCardID)
	redirect(w, r, s.packPath(p, "#"+web.FirstValueCardID))
	return nil
}

// firstValueCard is the first value card of pack detail d for the person
// asking, or nil before the kickoff; typed is a refused form coming back.
func (s *Server) firstValueCard(r *http.Request, d *postgres.PackDetail, cal *deadline.Calendar, now time.Time, typed *web.FirstValueForm) *web.FirstValueCard {
	p := d.Pack
	if p.KickoffOn == nil {
		return nil
	}
	c := &web.FirstValueCard{PackID: p.ID, Recorded: p.FirstValue, Kickoff: web.Date(*p.KickoffOn), Today: cal.Today(now).String(),
		CanRecord: handoff.Decide(currentUser(r), p, handoff.ActFirstValue) == nil}
	if p.FirstValueDueOn != nil {
		c.Due = web.Date(*p.FirstValueDueOn)
	}
	if fv := p.FirstValue; fv != nil {
		c.RecordedAt = s.when(fv.RecordedAt)
		c.Form = web.FirstValueForm{On: web.Date(fv.On), What: fv.What} // a correction starts from the record
	}
	if typed != nil {
		c.Form = *typed
	}
	return c
}
