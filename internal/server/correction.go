package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// Correcting a deal's facts (README.md): the SE before submission, a manager
// at any time. Storage asks handoff.Decide (ActCorrectDeal) inside the
// transaction that makes the change; the page asks it too, only to say no
// early.

// dealPage is the correction form, every field prefilled with the facts as
// stored.
func (s *Server) dealPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	if err := handoff.Decide(currentUser(r), p, handoff.ActCorrectDeal); err != nil {
		return s.refuse(w, r, p, err)
	}
	return s.renderDealCorrection(w, r, http.StatusOK, p, handoff.DealInputOf(p.Deal), handoff.DealFingerprint(p.Deal), nil, false)
}

func (s *Server) renderDealCorrection(w http.ResponseWriter, r *http.Request, status int, p *handoff.Pack, in handoff.DealInput,
	fingerprint string, errs map[string]string, conflict bool) error {
	cal, _, err := s.calendar(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, status, web.DealCorrectView(web.DealCorrectPage{
		Page: s.page(r, "Correct the deal · "+p.Deal.AccountName), Head: packHead(p), In: in, Errors: errs,
		Fingerprint: fingerprint, Today: cal.Today(s.now()).String(), Submitted: p.SubmittedVersion > 0, Conflict: conflict,
	}))
	return nil
}

// dealCorrectionForm reads the correction form as typed.
func dealCorrectionForm(r *http.Request) handoff.DealInput {
	return handoff.DealInput{
		AccountName: r.PostFormValue("account_name"), OpportunityName: r.PostFormValue("opportunity_name"),
		CRMOpportunityID: r.PostFormValue("crm_opportunity_id"), Segment: r.PostFormValue("segment"),
		ARR: r.PostFormValue("arr"), Currency: r.PostFormValue("currency"), ClosedWonOn: r.PostFormValue("closed_won_on"),
		AEName: r.PostFormValue("ae_name"), AEEmail: r.PostFormValue("ae_email"),
		CSMName: r.PostFormValue("csm_name"), CSMEmail: r.PostFormValue("csm_email"),
	}
}

// correctDeal stores the corrected facts. Bad input comes back with what was
// typed beside each message; a form another correction overtook comes back
// with the typed facts and the current fingerprint, so saving again is a
// deliberate choice.
func (s *Server) correctDeal(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	if err := handoff.Decide(actor, p, handoff.ActCorrectDeal); err != nil {
		return s.refuse(w, r, p, err) // say no before judging the input
	}
	in := dealCorrectionForm(r)
	fingerprint := strings.TrimSpace(r.PostFormValue("fingerprint"))
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	d, err := handoff.ValidateCorrection(in, p, cal.Today(s.now()).Time())
	if fields := handoff.InvalidFields(err); fields != nil {
		return s.renderDealCorrection(w, r, http.StatusUnprocessableEntity, p, in, fingerprint, fields, false)
	}
	if err != nil {
		return err
	}
	changes, err := s.db.CorrectDeal(ctx, actor, p.ID, fingerprint, d, recalc, s.now())
	switch {
	case errors.Is(err, postgres.ErrStale):
		fresh, ferr := s.db.Pack(ctx, actor, p.ID)
		if ferr != nil {
			return ferr
		}
		return s.renderDealCorrection(w, r, http.StatusConflict, fresh, in, handoff.DealFingerprint(fresh.Deal), nil, true)
	case handoff.InvalidFields(err) != nil:
		return s.renderDealCorrection(w, r, http.StatusUnprocessableEntity, p, in, fingerprint, handoff.InvalidFields(err), false)
	case err != nil:
		return s.refuse(w, r, p, err)
	}
	msg := "Nothing to correct: the facts are as they were."
	if len(changes) > 0 {
		msg = "Corrected: " + strings.Join(changes, "; ") + "."
		if p.SubmittedVersion > 0 {
			msg += " The SA sees the correction on the pack."
		}
	}
	s.flash(r, web.FlashSuccess, msg)
	redirect(w, r, "/packs/"+strconv.FormatInt(p.ID, 10))
	return nil
}
