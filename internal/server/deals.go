package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// dealForm renders the deal form with in and errs.
func (s *Server) dealForm(w http.ResponseWriter, r *http.Request, status int, in handoff.DealInput, errs map[string]string) error {
	ctx := r.Context()
	actor := currentUser(r)
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	p := web.DealFormPage{Page: s.page(r, "Record a deal"), In: in, Errors: errs, Today: cal.Today(s.now()).String()}
	if actor.Role == handoff.RoleSE {
		p.FixedSE = actor
	} else if p.SEs, err = s.db.Users(ctx, postgres.UserFilter{Role: handoff.RoleSE, ActiveOnly: true}); err != nil {
		return err
	}
	if p.SAs, err = s.db.Users(ctx, postgres.UserFilter{Role: handoff.RoleSA, ActiveOnly: true}); err != nil {
		return err
	}
	s.render(w, r, status, web.DealForm(p))
	return nil
}

func (s *Server) newDeal(w http.ResponseWriter, r *http.Request) error {
	return s.dealForm(w, r, http.StatusOK, handoff.DealInput{}, nil)
}

func (s *Server) createDeal(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	in := handoff.DealInput{
		AccountName: r.PostFormValue("account_name"), OpportunityName: r.PostFormValue("opportunity_name"),
		CRMOpportunityID: r.PostFormValue("crm_opportunity_id"), Segment: r.PostFormValue("segment"),
		ARR: r.PostFormValue("arr"), Currency: r.PostFormValue("currency"), ClosedWonOn: r.PostFormValue("closed_won_on"),
		AEName: r.PostFormValue("ae_name"), AEEmail: r.PostFormValue("ae_email"),
		CSMName: r.PostFormValue("csm_name"), CSMEmail: r.PostFormValue("csm_email"),
		SEID: r.PostFormValue("se_id"), SAID: r.PostFormValue("sa_id"),
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	deal, err := handoff.ValidateDeal(in, cal.Today(now).Time())
	fe := handoff.FieldErrors(handoff.InvalidFields(err))
	if err != nil && fe == nil {
		return err
	}
	if fe == nil {
		fe = handoff.FieldErrors{}
	}

	// The SE and SA must be real, active people in those roles
	// (handoff.CheckAssignee, in pickUser).
	if deal.SEID, err = s.pickUser(r, in.SEID, handoff.RoleSE, true); err != nil {
		fe.Add("se_id", handoff.ErrorMessage(err))
	} else if !handoff.CanCreateDealFor(actor, deal.SEID) {
		fe.Add("se_id", "You can record deals only for yourself.")
	}
	if deal.SAID, err = s.pickUser(r, in.SAID, handoff.RoleSA, false); err != nil {
		fe.Add("sa_id", handoff.ErrorMessage(err))
	}
	if len(fe) > 0 {
		return s.dealForm(w, r, http.StatusUnprocessableEntity, in, fe)
	}

	packID, err := s.db.CreateDeal(ctx, actor, deal, recalc, now)
	if fields := handoff.InvalidFields(err); fields != nil {
		return s.dealForm(w, r, http.StatusUnprocessableEntity, in, fields)
	}
	if err != nil {
		return err
	}
	s.flash(r, web.FlashSuccess, "Deal recorded. Its pack is open: fill the five documents, then submit.")
	redirect(w, r, "/packs/"+strconv.FormatInt(packID, 10))
	return nil
}

// pickUser resolves a user id typed into a form to a person
// handoff.CheckAssignee accepts as role.
func (s *Server) pickUser(r *http.Request, raw string, role handoff.Role, required bool) (int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if required {
			return 0, handoff.Errorf(handoff.EINVALID, "Choose the %s.", role.Label())
		}
		return 0, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, handoff.Errorf(handoff.EINVALID, "Choose the %s from the list.", role.Label())
	}
	u, err := s.db.User(r.Context(), id)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		u, err = nil, nil
	}
	if err != nil {
		return 0, err
	}
	if handoff.CheckAssignee(u, role) != nil {
		return 0, handoff.Errorf(handoff.EINVALID, "Choose an active %s from the list.", role.Label())
	}
	return id, nil
}
