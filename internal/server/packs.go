package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// packFromURL loads the pack named by {id} if the current user may see it.
func (s *Server) packFromURL(r *http.Request) (*handoff.Pack, error) {
	id, err := packIDFromURL(r)
	if err != nil {
		return nil, err
	}
	return s.db.Pack(r.Context(), currentUser(r), id)
}

// packDetailFromURL loads the pack named by {id} with what its pages show
// (and the frozen versions numbered), if the current user may see it.
func (s *Server) packDetailFromURL(r *http.Request, versions ...int) (*postgres.PackDetail, error) {
	id, err := packIDFromURL(r)
	if err != nil {
		return nil, err
	}
	return s.db.PackDetail(r.Context(), currentUser(r), id, versions...)
}

// decidedDetail reads the pack in the URL with everything its pages show
// and asks handoff.Decide whether the signed-in person may take act on it
// now. When they may not, it has answered with the refusal and done is true;
// storage asks again inside the transaction that makes the change.
func (s *Server) decidedDetail(w http.ResponseWriter, r *http.Request, act handoff.PackAction) (d *postgres.PackDetail, done bool, err error) {
	if d, err = s.packDetailFromURL(r); err != nil {
		return nil, true, err
	}
	if err := handoff.Decide(currentUser(r), d.Pack, act); err != nil {
		return nil, true, s.refuse(w, r, d.Pack, err)
	}
	return d, false, nil
}

func packIDFromURL(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	return id, nil
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
	return s.renderPack(w, r, http.StatusOK, packExtras{})
}

// packExtras carries what a refused action on the pack page sends back: the
// message and what the person typed.
type packExtras struct {
	submitRefused bool // incomplete: list what is missing
	ackError      string
	ackKickoff    string
	commentBody   string
	commentError  string
	answer        web.AnswerForm
	// A refused acknowledgment's "acknowledge anyway" tick, and why it was
	// needed.
	ackConfirm      bool
	ackConfirmError string
	// A refused resubmit: the replies as typed, the messages beside them
	// (keyed handoff.ReplyField) and why.
	replies       map[handoff.DocKind]string
	replyErrors   map[string]string
	submitMessage string
	// A refused schedule or change of the kickoff meeting (meeting.go).
	meeting *web.MeetingForm
	// A refused record or correction of first value (firstvalue.go).
	firstValue *web.FirstValueForm
}

// renderPack renders the pack overview for the current person.
func (s *Server) renderPack(w http.ResponseWriter, r *http.Request, status int, x packExtras) error {
	ctx := r.Context()
	actor := currentUser(r)
	d, err := s.packDetailFromURL(r)
	if err != nil {
		return err
	}
	cal, settings, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	p, reviews, events := d.Pack, d.Reviews, d.Events
	now := s.now()
	missing := d.Documents.Missing()
	var submitErrors []string
	if x.submitRefused {
		for _, k := range handoff.DocKinds {
			for _, m := range missing[k] {
				submitErrors = append(submitErrors, k.Title()+": "+m)
			}
		}
	}
	page := web.PackPage{
		Page: s.page(r, p.Deal.AccountName), Head: packHead(p), Clocks: clockViews(cal, settings, p, now),
		CanEdit: handoff.Decide(actor, p, handoff.ActSubmit) == nil, Version: p.Version,
		SubmitErrors: submitErrors, Versions: d.Versions, Events: events,
		Reviewing: handoff.Decide(actor, p, handoff.ActReview) == nil,
		CanAnswer: handoff.Decide(actor, p, handoff.ActAnswer) == nil,
		ShowArch:  p.Status == handoff.StatusAcknowledged || p.Status == handoff.StatusLocked,
		Comment:   web.CommentForm{Allowed: handoff.Decide(actor, p, handoff.ActComment) == nil, Body: x.commentBody, Error: x.commentError},
		Answer:    x.answer,
		Timeline:  timeline(events, d.Comments),

		SubmitMessage: x.submitMessage,
		CanCorrect:    handoff.Decide(actor, p, handoff.ActCorrectDeal) == nil,
		Corrections:   handoff.CorrectionsSince(events, p.FirstSubmittedAt),
	}
	page.Head.CRMURL = handoff.CRMLink(settings.CRMURLTemplate, p.Deal.CRMOpportunityID)
	page.Meeting = s.meetingCard(r, d, cal, x.meeting)
	page.FirstValue = s.firstValueCard(r, d, cal, now, x.firstValue)
	page.Pod = s.podCard(r, p, cal, settings, now)
	// A save's confirmation shows in the card its redirect lands on.
	if page.Meeting != nil {
		page.Meeting.Flash = web.TakeFlash(&page.Flashes, web.MeetingCardID)
	}
	if page.FirstValue != nil {
		page.FirstValue.Flash = web.TakeFlash(&page.Flashes, web.FirstValueCardID)
	}
	if page.Pod != nil {
		page.Pod.Flash = web.TakeFlash(&page.Flashes, web.PodCardID)
	}
	if page.ShowArch {
		page.Closure = web.MatrixProgress(d.Matrix())
	}
	if p.Status == handoff.StatusLocked {
		acc := &web.AccuracyLine{CanAssess: handoff.Decide(actor, p, handoff.ActAssess) == nil}
		if a, ok := handoff.LatestAssessment(d.Assessments); ok {
			accepted, _ := d.Submitted()
			acc.Assessed, acc.Stage, acc.Counts, acc.By = true, a.Stage, a.Counts(handoff.AssessItems(accepted.Documents)), a.By
			acc.Again = a.Stage != handoff.AssessmentStage(p)
		}
		page.Accuracy = acc
	}
	for _, k := range handoff.DocKinds {
		ds := web.DocStatus{Kind: k, Missing: missing[k], Review: reviews[k],
			CanEdit: handoff.CheckEditDocument(actor, p, k, reviews[k]) == nil}
		if m, ok := d.DocumentMeta[k]; ok {
			ds.UpdatedBy, ds.UpdatedAt = m.UpdatedBy, s.when(m.UpdatedAt)
		}
		for _, q := range d.Questions {
			if q.Kind == k {
				ds.Questions = append(ds.Questions, q)
			}
		}
		for i := range d.Replies { // oldest first: the last is the latest
			if d.Replies[i].Kind == k {
				ds.Reply = &d.Replies[i]
			}
		}
		page.Docs = append(page.Docs, ds)
	}
	if v, ok := d.Submitted(); ok && page.CanEdit {
		// The reply boxes of a returned pack's resubmit (docs/design.md, "A pack's life").
		for _, k := range handoff.DocKinds {
			if rv := reviews[k]; rv.Decision == handoff.DecisionReturned {
				page.Replies = append(page.Replies, web.ReplyForm{Kind: k, Reason: rv.Reason, By: rv.DecidedBy, Version: rv.Version,
					Changed: !handoff.Unchanged(k, v.Documents, d.Documents), Value: x.replies[k], Error: x.replyErrors[handoff.ReplyField(k)]})
			}
		}
	}
	if v, ok := d.Submitted(); ok {
		page.Commitment = bigCommitments(v.Documents, d.Decisions, settings.ApprovalThresholds)
		if handoff.Decide(actor, p, handoff.ActAcknowledge) == nil {
			page.Ack = &web.AckView{
				Blockers: handoff.AckBlockers(reviews, v.Documents, d.Decisions, settings.ApprovalThresholds),
				Kickoff:  ackKickoff(x, d.Meeting, cal.Location()), Today: cal.Today(now).String(), Error: x.ackError, Version: p.SubmittedVersion,
				Unanswered: handoff.UnansweredQuestions(d.Questions), ConfirmOpen: x.ackConfirm, ConfirmError: x.ackConfirmError,
			}
		}
	}
	if handoff.Decide(actor, p, handoff.ActAssign) == nil {
		a := &web.AssignView{SEID: strconv.FormatInt(p.Deal.SEID, 10)}
		if p.Deal.SAID != 0 {
			a.SAID = strconv.FormatInt(p.Deal.SAID, 10)
		}
		opts, err := remember(ctx, s, "assign.options", func(ctx context.Context) ([2]*web.Options, error) {
			ses, sas, err := s.sesAndSAs(ctx, true)
			return [2]*web.Options{web.UserOptions(ses), web.UserOptions(sas)}, err
		})
		if err != nil {
			return err
		}
		a.SEs, a.SAs = opts[0], opts[1]
		page.Assign = a
	}
	s.render(w, r, status, web.PackView(page))
	return nil
}

// bigCommitments lists the commitments of docs that need the SA's decision,
// with the decision standing on each.
func bigCommitments(docs handoff.Documents, decisions map[string]handoff.CommitmentDecision, thresholds handoff.Thresholds) []web.CommitmentRow {
	var out []web.CommitmentRow
	for _, c := range docs.Commitments.Items {
		if !handoff.NeedsDecision(c, thresholds) {
			continue
		}
		row := web.CommitmentRow{C: c}
		if d, ok := handoff.DecisionFor(c, decisions); ok {
			row.Decision = &d
		}
		out = append(out, row)
	}
	return out
}

// timeline interleaves events and comments, newest first.
func timeline(events []handoff.Event, comments []handoff.Comment) []web.TimelineItem {
	items := make([]web.TimelineItem, 0, len(events)+len(comments))
	for _, e := range events {
		items = append(items, web.TimelineItem{At: e.At, Who: e.Actor, Text: e.Summary})
	}
	for _, c := range comments {
		items = append(items, web.TimelineItem{At: c.At, Who: c.Author, Text: c.Body, IsComment: true})
	}
	slices.SortStableFunc(items, func(a, b web.TimelineItem) int { return b.At.Compare(a.At) })
	return items
}

func (s *Server) submitPack(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	// Replies to the SA's reasons for returning documents, as typed.
	replies := map[handoff.DocKind]string{}
	for _, k := range handoff.DocKinds {
		if v := r.PostFormValue(handoff.ReplyField(k)); v != "" {
			replies[k] = v
		}
	}
	n, err := s.db.SubmitPack(ctx, currentUser(r), p.ID, version, replies, s.now())
	switch handoff.ErrorCode(err) {
	case "":
		msg := "Submitted as v" + strconv.Itoa(n) + ". The documents are frozen; " + p.Deal.SAName + " has it now."
		if p.Deal.SAName == "" {
			msg = "Submitted as v" + strconv.Itoa(n) + ". The documents are frozen. No SA is assigned yet: ask your manager to assign one."
		}
		s.flash(r, web.FlashSuccess, msg)
		redirect(w, r, "/packs/"+strconv.FormatInt(p.ID, 10))
		return nil
	case handoff.EINVALID:
		if fields := handoff.InvalidFields(err); fields != nil { // a returned document unchanged, without a reply
			return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{replies: replies, replyErrors: fields,
				submitMessage: handoff.ErrorMessage(err)})
		}
		return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{submitRefused: true, replies: replies})
	case handoff.ECONFLICT:
		s.flash(r, web.FlashError, handoff.ErrorMessage(err))
		redirect(w, r, "/packs/"+strconv.FormatInt(p.ID, 10))
		return nil
	}
	return err
}

// docPage builds the page of one document for p.
func (s *Server) docPage(r *http.Request, p *handoff.Pack, kind handoff.DocKind, docs, saved handoff.Documents, review handoff.Review) web.DocFormPage {
	page := web.DocFormPage{
		Page: s.page(r, kind.Title()+" · "+p.Deal.AccountName), Head: packHead(p), Kind: kind, Docs: docs,
		Version: p.Version, Editable: handoff.CheckEditDocument(currentUser(r), p, kind, review) == nil,
		People: saved.Stakeholders.People,
	}
	if page.Editable && review.Decision == handoff.DecisionReturned {
		page.Returned = &review // the SA's reason, atop the form the SE fixes it in
	}
	return page
}

func docKindFromURL(r *http.Request) (handoff.DocKind, error) {
	kind, ok := handoff.ParseDocKind(chi.URLParam(r, "kind"))
	if !ok {
		return "", handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	return kind, nil
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderDocumentWith(w, r, http.StatusOK, docExtras{})
}

// docExtras carries what a refused action on a document page sends back: a
// review form, or a veto of commitment verdictFor, with what was typed.
type docExtras struct {
	review        *web.ReviewForm
	verdictFor    string
	verdictReason string
	verdictError  string
}

// renderDocumentWith renders one document: the form for its SE while
// editable, otherwise the latest submitted version read-only, with the SA's
// review and commitment decisions when they may act.
func (s *Server) renderDocumentWith(w http.ResponseWriter, r *http.Request, status int, x docExtras) error {
	rf := x.review
	ctx := r.Context()
	actor := currentUser(r)
	kind := handoff.DocCommitments // a veto comes from a route without {kind}
	if x.verdictFor == "" {
		var err error
		if kind, err = docKindFromURL(r); err != nil {
			return err
		}
	}
	d, err := s.packDetailFromURL(r)
	if err != nil {
		return err
	}
	p, docs, reviews := d.Pack, d.Documents, d.Reviews
	shown := docs
	showAmounts(&shown)
	page := s.docPage(r, p, kind, shown, docs, reviews[kind])
	if page.Editable {
		ensureRow(kind, &page.Docs)
		s.render(w, r, status, web.DocumentPage(page))
		return nil
	}
	for i := range d.Replies { // oldest first: the last is the latest
		if d.Replies[i].Kind == kind {
			page.Reply = &d.Replies[i]
		}
	}
	if v, ok := d.Submitted(); ok {
		page.Docs, page.ShowingVersion = v.Documents, v.Number
		if kind == handoff.DocCommitments {
			_, settings, err := s.calendar(ctx)
			if err != nil {
				return err
			}
			page.Commitments = bigCommitments(v.Documents, d.Decisions, settings.ApprovalThresholds)
			page.CanDecide = handoff.Decide(actor, p, handoff.ActDecideCommitment) == nil
			page.Threshold = web.Thresholds(settings.ApprovalThresholds)
		}
	}
	for i := range page.Commitments {
		if c := &page.Commitments[i]; x.verdictFor != "" && c.C.ID == x.verdictFor {
			c.Reason, c.Error = x.verdictReason, x.verdictError
		}
	}
	if handoff.Decide(actor, p, handoff.ActReview) == nil && reviews[kind].Decision != handoff.DecisionReturned {
		if rf == nil {
			rf = &web.ReviewForm{Decision: string(reviews[kind].Decision)}
		}
		rf.Current, rf.Version = reviews[kind], p.SubmittedVersion
		page.Review = rf
	}
	s.render(w, r, status, web.DocumentPage(page))
	return nil
}

func (s *Server) saveDocument(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	kind, err := docKindFromURL(r)
	if err != nil {
		return err
	}
	id, err := packIDFromURL(r)
	if err != nil {
		return err
	}
	d, err := s.db.PackForEdit(ctx, actor, id)
	if err != nil {
		return err
	}
	p, saved, reviews := d.Pack, d.Documents, d.Reviews
	if err := handoff.CheckEditDocuments(actor, p); err != nil && handoff.ErrorCode(err) != handoff.ECONFLICT {
		return err
	}
	form := parseDocAction(r)
	typed := saved
	if err := parseDocument(r, kind, &typed, form.action == "save"); err != nil {
		return err
	}
	ownIDs(kind, &typed, saved)

	page := s.docPage(r, p, kind, typed, saved, reviews[kind])
	page.Version = form.version // keep the version the form was based on
	if form.action != "save" {
		page.Notice = "Not saved yet — press Save draft to keep your changes."
		if !editRows(kind, &page.Docs, form) {
			page.Notice = "This list already has " + strconv.Itoa(handoff.MaxRows) + " rows, the most a document holds, so no row was added. Nothing is saved yet — press Save draft to keep your changes."
		}
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
		cur, ferr := s.db.PackDetail(ctx, actor, p.ID)
		if ferr != nil {
			return ferr
		}
		fresh, cmeta := cur.Pack, cur.DocumentMeta
		page.Docs, page.Version = typed, fresh.Version
		page.Conflict = &web.ConflictView{Current: cur.Documents, UpdatedBy: cmeta[kind].UpdatedBy, UpdatedAt: s.when(cmeta[kind].UpdatedAt)}
		if page.Conflict.UpdatedBy == "" {
			page.Conflict.UpdatedBy, page.Conflict.UpdatedAt = "someone", s.when(fresh.UpdatedAt)
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
	// To the confirmation: the pack page is long, and a save that lands
	// elsewhere on it leaves its message out of view.
	redirect(w, r, "/packs/"+strconv.FormatInt(p.ID, 10)+"#flash")
	return nil
}

func (s *Server) versionPage(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(chi.URLParam(r, "n"))
	if err != nil || n <= 0 {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	d, err := s.packDetailFromURL(r, n)
	if err != nil {
		return err
	}
	p := d.Pack
	v, ok := d.Frozen[n]
	if !ok {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	s.render(w, r, http.StatusOK, web.VersionView(web.VersionPage{Page: s.page(r, "v"+strconv.Itoa(n)+" · "+p.Deal.AccountName), Head: packHead(p), Version: v}))
	return nil
}

func nextStep(p *handoff.Pack) string {
	switch p.Status {
	case handoff.StatusSubmitted:
		return "With the SA for review and kickoff."
	case handoff.StatusAcknowledged:
		return "Acknowledged; the SA is locking the architecture."
	case handoff.StatusLocked:
		// While a clock runs after the lock, homeRow names it (afterLockNext).
		return "Done: architecture locked and first value reached."
	}
	return ""
}

// sesAndSAs lists the SEs and the SAs (only active ones when activeOnly) in
// one query, for the people pickers.
func (s *Server) sesAndSAs(ctx context.Context, activeOnly bool) (ses, sas []*handoff.User, err error) {
	people, err := remember(ctx, s, "people."+strconv.FormatBool(activeOnly), func(ctx context.Context) ([]*handoff.User, error) {
		return s.db.Users(ctx, postgres.UserFilter{Roles: []handoff.Role{handoff.RoleSE, handoff.RoleSA}, ActiveOnly: activeOnly})
	})
	if err != nil {
		return nil, nil, err
	}
	for _, u := range people {
		if u.Role == handoff.RoleSE {
			ses = append(ses, u)
		} else {
			sas = append(sas, u)
		}
	}
	return ses, sas, nil
}
