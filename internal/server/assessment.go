package server

import (
	"errors"
	"net/http"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// The handoff accuracy assessment (README.md, "Handoff accuracy"): after the
// lock the pack's SA marks every commitment and risk of the accepted version
// and records what surfaced that the pack missed. The stage is the lock
// until first value is recorded, then first value: the SA assesses again,
// and the assessment at the lock stays readable beside it.

// assessmentPage shows the assessment: the SA's form (with what they saved,
// to revise), or the record for the SE and managers.
func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.packDetailFromURL(r)
	if err != nil {
		return err
	}
	page := s.assessmentView(r, d)
	switch {
	case page.Saved != nil:
		page.Form = *page.Saved
	case page.Earlier != nil:
		// Assessing again at first value starts from the marks at the lock:
		// the SA changes what turned out otherwise and adds what surfaced.
		page.Form = *page.Earlier
		page.Form.Stage = page.Stage
	}
	page.Rows = max(1, len(page.Form.Surfaced))
	s.render(w, r, http.StatusOK, web.AssessmentView(page))
	return nil
}

// assessmentView is the page for pack d as stored, with an empty form.
func (s *Server) assessmentView(r *http.Request, d *postgres.PackDetail) web.AssessmentPage {
	p := d.Pack
	stage := handoff.AssessmentStage(p)
	accepted, _ := d.Submitted()
	page := web.AssessmentPage{
		Page: s.page(r, "Handoff accuracy · "+p.Deal.AccountName), Head: packHead(p),
		NotYet: p.Status != handoff.StatusLocked, Editable: handoff.Decide(currentUser(r), p, handoff.ActAssess) == nil,
		Stage: stage, Items: handoff.AssessItems(accepted.Documents), Version: p.Version,
		Form: handoff.Assessment{Stage: stage},
	}
	if a, ok := d.Assessments[stage]; ok {
		page.Saved, page.Counts, page.When = &a, a.Counts(page.Items), s.when(a.At)
	}
	if p.FirstValue != nil {
		page.FirstValueOn = web.Date(p.FirstValue.On)
	}
	if a, ok := d.Assessments[handoff.StageLock]; ok && stage != handoff.StageLock {
		page.Earlier, page.EarlierCounts, page.EarlierWhen = &a, a.Counts(page.Items), s.when(a.At)
	}
	return page
}

// assessmentForm reads the assessment as typed: a mark for each item of the
// accepted version (no other key is read) and the surfaced rows.
func assessmentForm(r *http.Request, stage string, items []handoff.AssessItem) (a handoff.Assessment, rows int) {
	a = handoff.Assessment{Stage: stage, Marks: map[string]handoff.Mark{}}
	for _, it := range items {
		a.Marks[it.Key] = handoff.Mark{Verdict: val(r, "mark."+it.Key+".verdict"), Note: val(r, "mark."+it.Key+".note")}
	}
	rows = min(max(1, rowCount(r)), handoff.MaxSurfaced+1)
	for i := range rows {
		a.Surfaced = append(a.Surfaced, handoff.Surfaced{Kind: val(r, web.SurfacedField(i, "kind")),
			Description: val(r, web.SurfacedField(i, "description")), Severity: val(r, web.SurfacedField(i, "severity"))})
	}
	return a, rows
}

// saveAssessment records the SA's assessment, or adds a surfaced row to the
// form ("+ Add another") without saving. A refused save comes back with
// everything typed beside its errors; nothing is stored half-done.
func (s *Server) saveAssessment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	d, done, err := s.decidedDetail(w, r, handoff.ActAssess)
	if done {
		return err
	}
	p := d.Pack
	page := s.assessmentView(r, d)
	typed, rows := assessmentForm(r, page.Stage, page.Items)
	page.Form, page.Rows, page.Version = typed, rows, formVersion(r)
	if r.PostFormValue("action") == "add" {
		page.Rows = min(rows+1, handoff.MaxSurfaced)
		s.render(w, r, http.StatusOK, web.AssessmentView(page))
		return nil
	}
	checked := typed // CheckAssessment normalises into new marks and rows; typed stays as typed
	if err := handoff.CheckAssessment(&checked, page.Items); err != nil {
		fields := handoff.InvalidFields(err)
		if fields == nil {
			return err
		}
		page.Errors = fields
		s.render(w, r, http.StatusUnprocessableEntity, web.AssessmentView(page))
		return nil
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.db.SaveAssessment(ctx, actor, p.ID, page.Version, checked, cal.Today(now).Time(), now)
	if errors.Is(err, postgres.ErrStale) {
		page.Conflict, page.Version = true, p.Version
		s.render(w, r, http.StatusConflict, web.AssessmentView(page))
		return nil
	}
	if handoff.ErrorCode(err) == handoff.EINVALID { // the accepted version as the transaction read it
		if fields := handoff.InvalidFields(err); fields != nil {
			page.Errors = fields
			s.render(w, r, http.StatusUnprocessableEntity, web.AssessmentView(page))
			return nil
		}
	}
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	c := checked.Counts(page.Items)
	s.flash(r, web.FlashSuccess, "Assessment saved: "+handoff.Score(c)+". The SE and managers can read it.")
	redirect(w, r, s.packPath(p, "/assessment"))
	return nil
}
