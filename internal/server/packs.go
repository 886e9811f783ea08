package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// packFromURL loads the pack named by {id} if the current user may see it.
func (s *Server) packFromURL(r *http.Request) (*handoff.Pack, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	return s.db.Pack(r.Context(), currentUser(r), id)
}

func packHead(p *handoff.Pack) web.PackHead {
	d := p.Deal
	return web.PackHead{
		ID: p.ID, Account: d.AccountName, Opportunity: d.OpportunityName, Status: p.Status,
		SEName: d.SEName, SAName: d.SAName, Segment: d.Segment.Label(), ARR: web.Money(d.ARR),
		ClosedWonOn: d.ClosedWonOn.Format("2006-01-02"), CRMOpportunityID: d.CRMOpportunityID,
		AE: d.AE, CSM: d.CSM, SubmittedVersion: p.SubmittedVersion,
	}
}

func (s *Server) packPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPack(w, r, http.StatusOK, nil)
}

// renderPack renders the pack overview, with submitErrors when a submission
// was refused.
func (s *Server) renderPack(w http.ResponseWriter, r *http.Request, status int, submitErrors []string) error {
	ctx := r.Context()
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	docs, meta, err := s.db.Documents(ctx, p.ID)
	if err != nil {
		return err
	}
	versions, err := s.db.Versions(ctx, p.ID)
	if err != nil {
		return err
	}
	events, err := s.db.Events(ctx, p.ID)
	if err != nil {
		return err
	}
	missing := docs.Missing()
	page := web.PackPage{
		Page: s.page(r, p.Deal.AccountName), Head: packHead(p), Clocks: clockViews(cal, settings, p, s.now()),
		CanEdit: handoff.CheckEditDocuments(currentUser(r), p) == nil, Version: p.Version,
		SubmitErrors: submitErrors, Versions: versions, Events: events,
	}
	for _, k := range handoff.DocKinds {
		ds := web.DocStatus{Kind: k, Missing: missing[k]}
		if m, ok := meta[k]; ok {
			ds.UpdatedBy, ds.UpdatedAt = m.UpdatedBy, web.DateTime(m.UpdatedAt)
		}
		page.Docs = append(page.Docs, ds)
	}
	s.render(w, r, status, web.PackView(page))
	return nil
}

func (s *Server) submitPack(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	n, err := s.db.SubmitPack(ctx, currentUser(r), p.ID, version, s.now())
	switch handoff.ErrorCode(err) {
	case "":
		s.flash(r, web.FlashSuccess, "Submitted as v"+strconv.Itoa(n)+". The documents are frozen; the SA has it now.")
		redirect(w, r, "/packs/"+strconv.FormatInt(p.ID, 10))
		return nil
	case handoff.EINVALID:
		docs, _, derr := s.db.Documents(ctx, p.ID)
		if derr != nil {
			return derr
		}
		var list []string
		missing := docs.Missing()
		for _, k := range handoff.DocKinds {
			for _, m := range missing[k] {
				list = append(list, k.Title()+": "+m)
			}
		}
		return s.renderPack(w, r, http.StatusUnprocessableEntity, list)
	case handoff.ECONFLICT:
		s.flash(r, web.FlashError, handoff.ErrorMessage(err))
		redirect(w, r, "/packs/"+strconv.FormatInt(p.ID, 10))
		return nil
	}
	return err
}

// docPage builds the page of one document for p.
func (s *Server) docPage(r *http.Request, p *handoff.Pack, kind handoff.DocKind, docs handoff.Documents, saved handoff.Documents) web.DocFormPage {
	return web.DocFormPage{
		Page: s.page(r, kind.Title()+" · "+p.Deal.AccountName), Head: packHead(p), Kind: kind, Docs: docs,
		Version: p.Version, Editable: handoff.CheckEditDocuments(currentUser(r), p) == nil,
		People: saved.Stakeholders.People,
	}
}

func docKindFromURL(r *http.Request) (handoff.DocKind, error) {
	kind, ok := handoff.ParseDocKind(chi.URLParam(r, "kind"))
	if !ok {
		return "", handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	return kind, nil
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request) error {
	kind, err := docKindFromURL(r)
	if err != nil {
		return err
	}
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	docs, _, err := s.db.Documents(r.Context(), p.ID)
	if err != nil {
		return err
	}
	shown := docs
	showAmounts(&shown)
	page := s.docPage(r, p, kind, shown, docs)
	if page.Editable {
		ensureRow(kind, &page.Docs)
	}
	s.render(w, r, http.StatusOK, web.DocumentPage(page))
	return nil
}

func (s *Server) saveDocument(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	kind, err := docKindFromURL(r)
	if err != nil {
		return err
	}
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	if err := handoff.CheckEditDocuments(actor, p); err != nil && handoff.ErrorCode(err) != handoff.ECONFLICT {
		return err
	}
	saved, _, err := s.db.Documents(ctx, p.ID)
	if err != nil {
		return err
	}
	form := parseDocAction(r)
	typed := saved
	parseDocument(r, kind, &typed)

	page := s.docPage(r, p, kind, typed, saved)
	page.Version = form.version // keep the version the form was based on
	if form.action != "save" {
		editRows(kind, &page.Docs, form)
		page.Notice = "Not saved yet — press Save draft to keep your changes."
		s.render(w, r, http.StatusOK, web.DocumentPage(page))
		return nil
	}

	if err := finishDocument(kind, &typed); err != nil {
		fields := handoff.InvalidFields(err)
		if fields == nil {
			return err
		}
		page.Docs, page.Errors = typed, fields
		s.render(w, r, http.StatusUnprocessableEntity, web.DocumentPage(page))
		return nil
	}

	_, err = s.db.SaveDocument(ctx, actor, p.ID, form.version, kind, typed, s.now())
	if errors.Is(err, postgres.ErrStale) {
		// Show their input beside what is saved now; saving again from this
		// page is a deliberate choice to keep theirs.
		current, cmeta, cerr := s.db.Documents(ctx, p.ID)
		if cerr != nil {
			return cerr
		}
		fresh, ferr := s.db.Pack(ctx, actor, p.ID)
		if ferr != nil {
			return ferr
		}
		page.Docs, page.Version = typed, fresh.Version
		page.Conflict = &web.ConflictView{Current: current, UpdatedBy: cmeta[kind].UpdatedBy, UpdatedAt: web.DateTime(cmeta[kind].UpdatedAt)}
		if page.Conflict.UpdatedBy == "" {
			page.Conflict.UpdatedBy, page.Conflict.UpdatedAt = "someone", web.DateTime(fresh.UpdatedAt)
		}
		s.render(w, r, http.StatusConflict, web.DocumentPage(page))
		return nil
	}
	if handoff.ErrorCode(err) == handoff.ECONFLICT {
		// Submitted meanwhile (say, from another tab): show what they typed,
		// read-only, with the reason, rather than losing it.
		page.Docs, page.Editable = typed, false
		page.Flashes = append(page.Flashes, web.Flash{Kind: web.FlashError, Message: handoff.ErrorMessage(err) + " Your changes below were not saved."})
		s.render(w, r, http.StatusConflict, web.DocumentPage(page))
		return nil
	}
	if err != nil {
		return err
	}
	left := typed.Missing()[kind]
	msg := "Saved the " + kind.Title() + ". It is complete."
	if len(left) > 0 {
		msg = "Saved the " + kind.Title() + ". Still to do: " + left[0]
		if len(left) > 1 {
			msg += " (and " + strconv.Itoa(len(left)-1) + " more)"
		}
	}
	s.flash(r, web.FlashSuccess, msg)
	redirect(w, r, "/packs/"+strconv.FormatInt(p.ID, 10)+"#doc-"+string(kind))
	return nil
}

func (s *Server) versionPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	if err != nil || n <= 0 {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	v, err := s.db.Version(r.Context(), p.ID, n)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.VersionView(web.VersionPage{Page: s.page(r, "v"+strconv.Itoa(n)+" · "+p.Deal.AccountName), Head: packHead(p), Version: v}))
	return nil
}

// myPacks is the SE's home: their packs, soonest open deadline first.
func (s *Server) myPacks(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	packs, err := s.db.PacksOfSE(ctx, currentUser(r).ID)
	if err != nil {
		return err
	}
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	rows := make([]web.MyPacksRow, 0, len(packs))
	for _, ps := range packs {
		rows = append(rows, web.MyPacksRow{
			Head: packHead(ps.Pack), Clocks: clockViews(cal, settings, ps.Pack, now),
			Missing: ps.Documents.MissingCount(), Next: nextStep(ps.Pack),
		})
	}
	slices.SortStableFunc(rows, func(a, b web.MyPacksRow) int { return nextDue(a).Compare(nextDue(b)) })
	s.render(w, r, http.StatusOK, web.MyPacks(web.MyPacksPage{Page: s.page(r, "My packs"), Rows: rows}))
	return nil
}

// nextDue is the due date of the first clock still running; finished packs
// sort last.
func nextDue(row web.MyPacksRow) time.Time {
	for _, c := range row.Clocks {
		if c.Due != "" && c.State != string(deadline.StateDoneOnTime) && c.State != string(deadline.StateDoneLate) {
			t, err := time.Parse("2006-01-02", c.Due)
			if err == nil {
				return t
			}
		}
	}
	return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
}

func nextStep(p *handoff.Pack) string {
	switch p.Status {
	case handoff.StatusSubmitted:
		return "With the SA for review and kickoff."
	case handoff.StatusAcknowledged:
		return "Acknowledged; the SA is locking the architecture."
	case handoff.StatusLocked:
		return "Done: architecture locked."
	}
	return ""
}
