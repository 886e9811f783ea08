package server

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// The SA's journey: review, decide commitments, acknowledge at kickoff, write
// and lock the reference architecture; and the conversation around it. Every
// handler here only parses, calls storage (which asks handoff.Decide inside
// its transaction) and renders.

func (s *Server) packPath(p *handoff.Pack, rest string) string {
	return "/packs/" + strconv.FormatInt(p.ID, 10) + rest
}

// refuse turns a conflict (stale form, wrong status) into a flash on the pack
// page, where the person sees the current state; other errors pass through.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, p *handoff.Pack, err error) error {
	if handoff.ErrorCode(err) != handoff.ECONFLICT && handoff.ErrorCode(err) != handoff.EFORBIDDEN {
		return err
	}
	s.flash(r, web.FlashError, handoff.ErrorMessage(err))
	redirect(w, r, s.packPath(p, ""))
	return nil
}

func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

func (s *Server) reviewDocument(w http.ResponseWriter, r *http.Request) error {
	kind, err := docKindFromURL(r)
	if err != nil {
		return err
	}
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	in := handoff.ReviewInput{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason"), Questions: r.PostFormValue("questions")}
	d, qs, err := in.Validate()
	if fields := handoff.InvalidFields(err); fields != nil {
		return s.renderDocumentWith(w, r, http.StatusUnprocessableEntity, docExtras{review: &web.ReviewForm{
			Decision: in.Decision, Reason: in.Reason, Questions: in.Questions, Errors: fields}})
	}
	err = s.db.ReviewDocument(r.Context(), currentUser(r), p.ID, formVersion(r), kind, d, strings.TrimSpace(in.Reason), qs, s.now())
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	msg := "Recorded: " + d.Label() + " for the " + kind.Title() + "."
	if d == handoff.DecisionReturned {
		msg += " The pack is back with the SE, who sees your reason."
	}
	s.flash(r, web.FlashSuccess, msg)
	redirect(w, r, s.packPath(p, "#flash")) // the confirmation in view, as after a save
	return nil
}

func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request) error {
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	qid, err := strconv.ParseInt(chi.URLParam(r, "qid"), 10, 64)
	if err != nil {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	answer := strings.TrimSpace(r.PostFormValue("answer"))
	if err := handoff.CheckAnswer(answer); err != nil {
		return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{
			answer: web.AnswerForm{QID: qid, Body: r.PostFormValue("answer"), Error: handoff.InvalidFields(err)["answer"]}})
	}
	if err := s.db.AnswerQuestion(r.Context(), currentUser(r), p.ID, qid, answer, s.now()); err != nil {
		return s.refuse(w, r, p, err)
	}
	s.flash(r, web.FlashSuccess, "Answer saved. The SA sees it with the question.")
	redirect(w, r, s.packPath(p, "#question-"+strconv.FormatInt(qid, 10))) // back to the answer, now shown with its question
	return nil
}

func (s *Server) decideCommitment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	cid := chi.URLParam(r, "cid")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	approve, err := handoff.CheckVerdict(r.PostFormValue("decision"), reason)
	if fields := handoff.InvalidFields(err); fields != nil {
		return s.renderDocumentWith(w, r, http.StatusUnprocessableEntity, docExtras{
			verdictFor: cid, verdictReason: r.PostFormValue("reason"), verdictError: cmp.Or(fields["reason"], fields["decision"])})
	}
	err = s.db.DecideCommitment(ctx, currentUser(r), p.ID, formVersion(r), cid, approve, reason, s.now())
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	word := "Approved"
	if !approve {
		word = "Vetoed"
	}
	s.flash(r, web.FlashSuccess, word+" the commitment.")
	redirect(w, r, s.packPath(p, "/documents/commitments"))
	return nil
}

func (s *Server) acknowledge(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(r.PostFormValue("kickoff_on"))
	confirmOpen := r.PostFormValue(handoff.ConfirmOpenField) != ""
	again := func(msg string) error {
		return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{ackError: msg, ackKickoff: raw, ackConfirm: confirmOpen})
	}
	now := s.now()
	kickoff, err := handoff.ParseKickoff(raw, p.Deal.ClosedWonOn, cal.Today(now).Time())
	if fields := handoff.InvalidFields(err); fields != nil {
		return again(fields["kickoff_on"])
	}
	if err != nil {
		return err
	}
	dues := cal.DueDates(deadline.RulesOf(settings), deadline.DayOf(p.Deal.ClosedWonOn, time.UTC), deadline.DayOf(kickoff, time.UTC))
	err = s.db.Acknowledge(ctx, currentUser(r), p.ID, formVersion(r), kickoff, dues.Lock.Time(), dues.FirstValue.Time(),
		cal.Today(now).Time(), confirmOpen, now)
	if msg := handoff.InvalidFields(err)[handoff.ConfirmOpenField]; msg != "" {
		// Open questions, not confirmed: ask, keeping the kickoff date typed.
		return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{ackKickoff: raw, ackConfirmError: msg})
	}
	if handoff.ErrorCode(err) == handoff.EINVALID {
		return again(handoff.ErrorMessage(err))
	}
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	s.flash(r, web.FlashSuccess, "Acknowledged at the kickoff on "+raw+". The architecture lock is due "+dues.Lock.String()+", first value "+dues.FirstValue.String()+".")
	redirect(w, r, s.packPath(p, ""))
	return nil
}

// architecturePage renders the reference architecture of a pack that has had
// its kickoff.
func (s *Server) architecturePage(w http.ResponseWriter, r *http.Request) error {
	d, err := s.packDetailFromURL(r)
	if err != nil {
		return err
	}
	return s.renderArchitecture(w, r, http.StatusOK, d.Pack, d.Architecture, d.ArchitectureMeta, d.Matrix(), nil, "")
}

// renderArchitecture shows architecture a of pack p; m is the pack's closure
// matrix, shown with a's closures (as typed, when a comes from the form).
func (s *Server) renderArchitecture(w http.ResponseWriter, r *http.Request, status int, p *handoff.Pack, a handoff.Architecture, meta handoff.Document, m handoff.Matrix, errs map[string]string, lockErr string) error {
	if a.Locked == nil {
		m = m.With(a.Closures)
	}
	page := web.ArchitecturePage{
		NotYet: p.Status != handoff.StatusAcknowledged && p.Status != handoff.StatusLocked,
		Page:   s.page(r, "Reference architecture · "+p.Deal.AccountName), Head: packHead(p), Arch: a, Matrix: m, State: a.MatrixState(p.Status),
		Missing: a.LockBlockers(m),
		Errors:  errs, Editable: handoff.Decide(currentUser(r), p, handoff.ActEditArchitecture) == nil,
		Locked: p.Status == handoff.StatusLocked, Version: p.Version, LockErr: lockErr, SavedBy: meta.UpdatedBy,
	}
	if meta.UpdatedBy != "" {
		page.SavedAt = s.when(meta.UpdatedAt)
	}
	s.render(w, r, status, web.ArchitectureView(page))
	return nil
}

// architectureForm reads the reference architecture as typed, with the
// closures of the rows of the pack's matrix m (and no other).
func architectureForm(r *http.Request, m handoff.Matrix) handoff.Architecture {
	a := handoff.Architecture{
		DocLink: val(r, "doc_link"), Summary: val(r, "summary"),
		SignOffName: val(r, "sign_off_name"), SignOffTitle: val(r, "sign_off_title"), SignOffOn: val(r, "sign_off_on"),
	}
	for _, part := range handoff.ArchParts {
		*a.Part(part.Value) = handoff.ArchPart{Link: val(r, part.Value+".link"), Notes: val(r, part.Value+".notes")}
	}
	typed := map[string]handoff.Closure{}
	for _, row := range m {
		typed[row.Key] = handoff.Closure{Part: val(r, "closure."+row.Key+".part"), Note: val(r, "closure."+row.Key+".note")}
	}
	a.Closures = m.With(typed).Closures()
	return a
}

// keepArchitecture stores a, the architecture as typed, at the form's
// version. When it cannot, it answers the request itself and reports done:
// the form again with the typed values beside their field errors (and lockErr
// above them), the conflict page for a stale form, or a refusal.
func (s *Server) keepArchitecture(w http.ResponseWriter, r *http.Request, p *handoff.Pack, a handoff.Architecture, m handoff.Matrix, lockErr string) (done bool, err error) {
	ctx := r.Context()
	if err := handoff.Decide(currentUser(r), p, handoff.ActEditArchitecture); err != nil {
		return true, s.refuse(w, r, p, err)
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return true, err
	}
	if err := a.Validate(*p.KickoffOn, cal.Today(s.now()).Time()); err != nil {
		fields := handoff.InvalidFields(err)
		if fields == nil {
			return true, err
		}
		return true, s.renderArchitecture(w, r, http.StatusUnprocessableEntity, p, a, handoff.Document{}, m, fields, lockErr)
	}
	err = s.db.SaveArchitecture(ctx, currentUser(r), p.ID, formVersion(r), a, s.now())
	if errors.Is(err, postgres.ErrStale) {
		fresh, ferr := s.db.Pack(ctx, currentUser(r), p.ID)
		if ferr != nil {
			return true, ferr
		}
		shown := m.With(a.Closures)
		page := web.ArchitecturePage{Page: s.page(r, "Reference architecture"), Head: packHead(fresh), Arch: a, Matrix: shown,
			Missing: a.LockBlockers(shown), Editable: true, Version: fresh.Version, Conflict: true}
		s.render(w, r, http.StatusConflict, web.ArchitectureView(page))
		return true, nil
	}
	if err != nil {
		return true, s.refuse(w, r, p, err)
	}
	return false, nil
}

func (s *Server) saveArchitecture(w http.ResponseWriter, r *http.Request) error {
	d, err := s.packDetailFromURL(r)
	if err != nil {
		return err
	}
	p, m := d.Pack, d.Matrix()
	a := architectureForm(r, m)
	if done, err := s.keepArchitecture(w, r, p, a, m, ""); done {
		return err
	}
	msg := "Saved the reference architecture draft."
	if b := a.LockBlockers(m.With(a.Closures)); len(b) == 0 {
		msg += " Everything the lock needs is there."
	}
	s.flash(r, web.FlashSuccess, msg)
	redirect(w, r, s.packPath(p, "/architecture"))
	return nil
}

// lockArchitecture is the first step of the lock. The Lock button is part of
// the architecture form, so pressing it first saves what is on the form
// (docs/design.md, "A pack's life"): a refused lock never loses what was typed. Locking is final,
// so nothing is locked yet: when everything the lock needs is there, the
// answer is a confirmation page showing what will be frozen, whose "Yes,
// lock it for good" (lockConfirm) carries the version it showed.
func (s *Server) lockArchitecture(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	d, done, err := s.decidedDetail(w, r, handoff.ActLock)
	if done {
		return err
	}
	p := d.Pack
	if r.PostFormValue("version") != "" { // the form came with the press
		if a := architectureForm(r, d.Matrix()); !a.Equal(d.Architecture) {
			if done, err := s.keepArchitecture(w, r, p, a, d.Matrix(), "Not locked: fix the fields marked below, then lock again."); done {
				return err
			}
			if p, err = s.db.Pack(ctx, actor, p.ID); err != nil { // the save moved its version
				return err
			}
		}
	}
	if d, err = s.db.PackDetail(ctx, actor, p.ID); err != nil { // as saved, at its version
		return err
	}
	if err := d.Architecture.CheckLock(d.Matrix()); err != nil {
		return s.renderArchitecture(w, r, http.StatusUnprocessableEntity, d.Pack, d.Architecture, d.ArchitectureMeta, d.Matrix(), nil, handoff.ErrorMessage(err))
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.LockConfirmView(web.LockConfirmPage{
		Page: s.page(r, "Lock the reference architecture · "+d.Pack.Deal.AccountName), Head: packHead(d.Pack),
		Arch: d.Architecture, Matrix: d.Matrix(), Version: d.Pack.Version, By: actor.Name, On: cal.Today(s.now()).String(),
	}))
	return nil
}

// lockConfirm locks the reference architecture the SA confirmed: the one of
// the version the confirmation page showed. A change since (another tab, a
// colleague) is refused, back on the architecture page, so what was read is
// what is frozen.
func (s *Server) lockConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.db.LockArchitecture(ctx, actor, p.ID, formVersion(r), cal.Today(now).Time(), now)
	if stale := errors.Is(err, postgres.ErrStale); stale || handoff.ErrorCode(err) == handoff.EINVALID {
		d, derr := s.db.PackDetail(ctx, actor, p.ID)
		if derr != nil {
			return derr
		}
		status := http.StatusUnprocessableEntity
		if stale {
			status = http.StatusConflict
		}
		return s.renderArchitecture(w, r, status, d.Pack, d.Architecture, d.ArchitectureMeta, d.Matrix(), nil, handoff.ErrorMessage(err))
	}
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	s.flash(r, web.FlashSuccess, "Architecture locked. Now look back at the handoff: mark how each commitment and risk held up, and note anything the pack missed.")
	redirect(w, r, s.packPath(p, "/assessment"))
	return nil
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request) error {
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	body := strings.TrimSpace(r.PostFormValue("body"))
	if err := handoff.CheckComment(body); err != nil {
		return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{commentBody: r.PostFormValue("body"),
			commentError: handoff.InvalidFields(err)["body"]})
	}
	if err := s.db.AddComment(r.Context(), currentUser(r), p.ID, body, s.now()); err != nil {
		return err
	}
	redirect(w, r, s.packPath(p, "#history-h"))
	return nil
}

func (s *Server) assign(w http.ResponseWriter, r *http.Request) error {
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	se, err := s.pickUser(r, r.PostFormValue("se_id"), handoff.RoleSE, true)
	if err != nil {
		s.flash(r, web.FlashError, handoff.ErrorMessage(err))
		redirect(w, r, s.packPath(p, ""))
		return nil
	}
	sa, err := s.pickUser(r, r.PostFormValue("sa_id"), handoff.RoleSA, false)
	if err != nil {
		s.flash(r, web.FlashError, handoff.ErrorMessage(err))
		redirect(w, r, s.packPath(p, ""))
		return nil
	}
	if err := s.db.Assign(r.Context(), currentUser(r), p.ID, se, sa, s.now()); err != nil {
		return s.refuse(w, r, p, err)
	}
	s.flash(r, web.FlashSuccess, "Assignment saved. Both people see the pack now.")
	redirect(w, r, s.packPath(p, ""))
	return nil
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	from, _ := strconv.Atoi(r.URL.Query().Get("from"))
	to, _ := strconv.Atoi(r.URL.Query().Get("to"))
	d, err := s.packDetailFromURL(r, from, to)
	if err != nil {
		return err
	}
	p, versions := d.Pack, d.Versions
	if len(versions) == 0 {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	if to == 0 {
		to = versions[0].Number
	}
	if from == 0 {
		from = max(1, to-1)
	}
	// The form names both; a bare link leaves the one before the latest to
	// read on its own.
	version := func(n int) (handoff.Version, error) {
		if v, ok := d.Frozen[n]; ok {
			return v, nil
		}
		return s.db.Version(ctx, currentUser(r), p.ID, n)
	}
	a, err := version(from)
	if err != nil {
		return err
	}
	b, err := version(to)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CompareView(web.ComparePage{
		Page: s.page(r, "Compare versions · "+p.Deal.AccountName), Head: packHead(p), Versions: versions,
		From: from, To: to, Changes: handoff.Diff(a.Documents, b.Documents),
	}))
	return nil
}
