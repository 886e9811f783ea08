package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// The quarterly pod review of strategic accounts (docs/design.md,
// "Deadlines"): the account's reviews page, which whoever sees the pack
// reads; the SA's form, which storage checks again in the transaction that
// records it (handoff.Decide, ActPodReview; handoff.ValidatePodReview); a
// manager's strategic mark; and the managers' list of strategic accounts by
// posture.

// podReviewsPage shows the account's pod reviews: the clock, the renewal
// posture over time and the history, newest first.
func (s *Server) podReviewsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := packIDFromURL(r)
	if err != nil {
		return err
	}
	d, err := s.db.PodReviews(ctx, currentUser(r), id)
	if err != nil {
		return err
	}
	cal, st, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	p, now := d.Pack, s.now()
	page := web.PodReviewsPage{
		Page: s.page(r, "Pod reviews · "+p.Deal.AccountName), Head: packHead(p),
		Strategic: p.Deal.Strategic(), Locked: p.Status == handoff.StatusLocked, Latest: p.PodLatest, Reviews: d.Reviews,
		CanRecord: handoff.Decide(currentUser(r), p, handoff.ActPodReview) == nil, Chart: web.NewPostureChart(d.Reviews),
	}
	if c := deadline.ClockOf(cal, st, p, deadline.KindPodReview, now); c.Open() {
		v := clockCell(cal, c, p, now)
		page.Clock = &v
	}
	s.render(w, r, http.StatusOK, web.PodReviews(page))
	return nil
}

// podReviewDetail reads the pack in the URL with its pod reviews and asks
// handoff.Decide whether the signed-in person may record one now. When they
// may not it returns the refusal: not found for someone who does not see
// the pack, forbidden (its own page) for someone who sees it but is not its
// SA; a conflict (not strategic, not locked) is a flash on the reviews page
// and done is true.
func (s *Server) podReviewDetail(w http.ResponseWriter, r *http.Request) (d *postgres.PodReviewDetail, done bool, err error) {
	id, err := packIDFromURL(r)
	if err != nil {
		return nil, true, err
	}
	if d, err = s.db.PodReviews(r.Context(), currentUser(r), id); err != nil {
		return nil, true, err
	}
	if err := handoff.Decide(currentUser(r), d.Pack, handoff.ActPodReview); err != nil {
		return nil, true, s.refusePodReview(w, r, d.Pack, err)
	}
	return d, false, nil
}

// refusePodReview answers a conflict with a flash on the reviews page, where
// the person sees why; other refusals are their own pages.
func (s *Server) refusePodReview(w http.ResponseWriter, r *http.Request, p *handoff.Pack, err error) error {
	if handoff.ErrorCode(err) != handoff.ECONFLICT {
		return err
	}
	s.flash(r, web.FlashError, handoff.ErrorMessage(err))
	redirect(w, r, s.packPath(p, "/reviews"))
	return nil
}

// podReviewFormPage is the form for pack detail d with form typed, and as
// many rows of each list as asked for.
func (s *Server) podReviewFormPage(r *http.Request, d *postgres.PodReviewDetail, cal *deadline.Calendar, now time.Time,
	f handoff.PodReviewForm, levers, risks, steps int) web.PodReviewFormPage {
	p := d.Pack
	a := handoff.NewPodAccount(p, postgres.LockDay(p, cal.Location()), d.Accepted, d.Reviews)
	page := web.PodReviewFormPage{
		Page: s.page(r, "Record a pod review · "+p.Deal.AccountName), Head: packHead(p), Form: f,
		LeverRows: levers, RiskRows: risks, StepRows: steps,
		Pod: a.Pod, People: a.People, ChampionID: a.ChampionID, Risks: a.Risks, Raised: a.Raised,
		Earliest: web.Date(a.EarliestHeldOn()), Today: cal.Today(now).String(),
	}
	if p.PodReviewDueOn != nil {
		page.Due = web.Date(*p.PodReviewDueOn)
	}
	return page
}

// newPodReview is the SA's empty form: held today, the renewal day of the
// last review, one row of each list.
func (s *Server) newPodReview(w http.ResponseWriter, r *http.Request) error {
	d, done, err := s.podReviewDetail(w, r)
	if done {
		return err
	}
	cal, _, err := s.calendar(r.Context())
	if err != nil {
		return err
	}
	now := s.now()
	f := handoff.PodReviewForm{HeldOn: cal.Today(now).String()}
	if l := d.Pack.PodLatest; l != nil {
		f.RenewalOn = web.Date(l.RenewalOn)
	}
	page := s.podReviewFormPage(r, d, cal, now, f, 1, 1, 1)
	page.Version = d.Pack.Version
	s.render(w, r, http.StatusOK, web.NewPodReview(page))
	return nil
}

// podRows is how many rows of a list the form posted: at least one, and at
// most one over the limit, so a form padded past it is refused in words
// rather than cut short.
func podRows(r *http.Request, name string) int {
	n, _ := strconv.Atoi(r.PostFormValue(name))
	return min(max(1, n), handoff.MaxReviewRows+1)
}

// podReviewForm reads the review as typed, with the rows of each list.
func podReviewForm(r *http.Request) (f handoff.PodReviewForm, levers, risks, steps int) {
	levers, risks, steps = podRows(r, "lever_rows"), podRows(r, "risk_rows"), podRows(r, "step_rows")
	f = handoff.PodReviewForm{
		HeldOn: val(r, "held_on"), Attendees: r.PostForm["attendees"],
		Champion: handoff.ChampionForm{Changed: val(r, "champion.changed"), PersonID: val(r, "champion.person"),
			Name: val(r, "champion.name"), Title: val(r, "champion.title"), Email: val(r, "champion.email"), Note: val(r, "champion.note")},
		Posture: val(r, "posture"), RenewalOn: val(r, "renewal_on"),
	}
	for i := range levers {
		f.Levers = append(f.Levers, val(r, web.PodField("levers", i, "")))
	}
	for i := range risks {
		f.Risks = append(f.Risks, handoff.ReviewRiskForm{RiskID: val(r, web.PodField("risks", i, "pick")),
			Description: val(r, web.PodField("risks", i, "description")), Severity: val(r, web.PodField("risks", i, "severity")),
			Note: val(r, web.PodField("risks", i, "note"))})
	}
	for i := range steps {
		f.NextSteps = append(f.NextSteps, handoff.NextStep{What: val(r, web.PodField("steps", i, "what")), Owner: val(r, web.PodField("steps", i, "owner"))})
	}
	return f, levers, risks, steps
}

// recordPodReview records the SA's pod review, or adds a row to one of its
// lists ("+ Add another") without saving. A refused review comes back with
// everything typed beside its errors; nothing is stored half-done.
func (s *Server) recordPodReview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d, done, err := s.podReviewDetail(w, r)
	if done {
		return err
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	f, levers, risks, steps := podReviewForm(r)
	page := s.podReviewFormPage(r, d, cal, now, f, levers, risks, steps)
	switch r.PostFormValue("action") {
	case web.PodAddLever:
		page.LeverRows = min(levers+1, handoff.MaxReviewRows)
	case web.PodAddRisk:
		page.RiskRows = min(risks+1, handoff.MaxReviewRows)
	case web.PodAddStep:
		page.StepRows = min(steps+1, handoff.MaxReviewRows)
	}
	// The version the form was first read at rides along its added rows and
	// refusals, so a review sent twice is caught however it got there.
	page.Version = formVersion(r)
	if r.PostFormValue("action") != "" {
		page.Notice = "Row added. Nothing is saved until you record the review."
		s.render(w, r, http.StatusOK, web.NewPodReview(page))
		return nil
	}
	rec, err := s.db.RecordPodReview(ctx, currentUser(r), d.Pack.ID, page.Version, f, cal.Today(now).Time(), now)
	switch {
	case handoff.ErrorCode(err) == handoff.EINVALID:
		return s.podReviewRefused(w, r, page, err)
	case errors.Is(err, postgres.ErrStale):
		// Shown with the account as it is now: recording again is a choice
		// made after reading its reviews.
		page.Conflict, page.Version = handoff.ErrorMessage(err), d.Pack.Version
		s.render(w, r, http.StatusConflict, web.NewPodReview(page))
		return nil
	case err != nil:
		return s.refusePodReview(w, r, d.Pack, err)
	}
	next := deadline.NextPodReview(true, handoff.StatusLocked, deadline.Day{}, deadline.DayOf(rec.HeldOn, time.UTC))
	s.flash(r, web.FlashSuccess, "Pod review of "+web.Date(rec.HeldOn)+" recorded: renewal "+rec.Posture.Words()+", renews "+web.Date(rec.RenewalOn)+
		". The next one is due "+next.String()+". Its summary is mailed to the AE, SE, SA and CSM.")
	redirect(w, r, s.packPath(d.Pack, "/reviews"))
	return nil
}

// podReviewRefused shows the form again with err's messages beside the
// fields, everything typed kept.
func (s *Server) podReviewRefused(w http.ResponseWriter, r *http.Request, page web.PodReviewFormPage, err error) error {
	fields := handoff.InvalidFields(err)
	if fields == nil {
		return err
	}
	page.Errors = fields
	s.render(w, r, http.StatusUnprocessableEntity, web.NewPodReview(page))
	return nil
}

// markStrategic puts a manager's strategic mark on the account, or takes it
// off (storage asks handoff.Decide, ActMarkStrategic).
func (s *Server) markStrategic(w http.ResponseWriter, r *http.Request) error {
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	marked := r.PostFormValue("strategic") == "1"
	if err := s.db.MarkStrategic(r.Context(), currentUser(r), p.ID, marked, s.now()); err != nil {
		return s.refuse(w, r, p, err)
	}
	var msg string
	switch {
	case marked == p.Deal.StrategicMarked && marked:
		msg = "The account was already marked strategic; nothing changed."
	case marked == p.Deal.StrategicMarked:
		msg = "The account was not marked strategic; nothing changed."
	case marked && p.Status == handoff.StatusLocked:
		msg = "Marked strategic: its pod review clock runs from the lock, a review every quarter."
	case marked:
		msg = "Marked strategic: quarterly pod reviews start once the architecture is locked."
	case p.Deal.Segment == handoff.SegmentStrategic:
		msg = "Took off the strategic mark; the account stays strategic by its segment."
	default:
		msg = "Took off the strategic mark: no more pod reviews are due. Its reviews stay readable."
	}
	s.flashAt(r, web.FlashSuccess, msg, web.PodCardID)
	redirect(w, r, s.packPath(p, "#"+web.PodCardID))
	return nil
}

// podCard is the pack page's strategic and pod review card for the person
// asking, or nil when there is nothing to say to them.
func (s *Server) podCard(r *http.Request, p *handoff.Pack, cal *deadline.Calendar, st handoff.Settings, now time.Time) *web.PodCard {
	actor := currentUser(r)
	c := &web.PodCard{PackID: p.ID, Strategic: p.Deal.Strategic(), BySegment: p.Deal.Segment == handoff.SegmentStrategic,
		Marked: p.Deal.StrategicMarked, Locked: p.Status == handoff.StatusLocked, Latest: p.PodLatest,
		CanMark:   handoff.Decide(actor, p, handoff.ActMarkStrategic) == nil,
		CanRecord: handoff.Decide(actor, p, handoff.ActPodReview) == nil}
	if !c.Strategic && !c.CanMark {
		return nil
	}
	if cl := deadline.ClockOf(cal, st, p, deadline.KindPodReview, now); cl.Open() {
		c.Due, c.DueState = cl.Due.String(), clockCell(cal, cl, p, now)
	}
	return c
}

// strategicPreview is how many accounts of each posture the unfiltered list
// shows; strategicPageSize how many a posture's own view shows at once.
const strategicPreview, strategicPageSize = 10, 50

// strategicGroups are the list's groups in the order a manager acts on them.
var strategicGroups = []struct {
	key     string
	posture handoff.Posture
	label   string
}{
	{string(handoff.PostureInDanger), handoff.PostureInDanger, "In danger"},
	{string(handoff.PostureAtRisk), handoff.PostureAtRisk, "At risk"},
	{string(handoff.PostureOnTrack), handoff.PostureOnTrack, "On track"},
	{"none", "", "No review yet"},
}

// parseStrategicCursor reads "2027-09-30.123" or "123"; a bad cursor starts
// from the first page.
func parseStrategicCursor(s string) *postgres.StrategicCursor {
	if s == "" {
		return nil
	}
	head, idPart, dated := strings.Cut(s, ".")
	if !dated {
		idPart = head
	}
	id, err := strconv.ParseInt(idPart, 10, 64)
	if err != nil || id <= 0 {
		return nil
	}
	c := &postgres.StrategicCursor{PackID: id}
	if dated {
		if c.RenewalOn, err = time.Parse(time.DateOnly, head); err != nil {
			return nil
		}
	}
	return c
}

// strategicPage is the managers' list of strategic accounts by posture:
// every posture's first accounts, or one posture's, page by page.
func (s *Server) strategicPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionViewOverdue); err != nil {
		return err
	}
	cal, st, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	q := r.URL.Query()
	only := q.Get("posture")
	counts, err := s.db.StrategicCounts(ctx)
	if err != nil {
		return err
	}
	page := web.StrategicPage{Page: s.page(r, "Strategic accounts"), Today: cal.Today(now).String()}
	for _, g := range strategicGroups {
		if g.key == only {
			page.Posture = only
		}
	}
	for _, g := range strategicGroups {
		n := counts[g.posture]
		page.Counts = append(page.Counts, web.StrategicCount{Key: g.key, Posture: g.posture, Label: g.label, N: min(n, postgres.CountCap),
			Capped: n > postgres.CountCap, URL: "/strategic?posture=" + g.key, Current: page.Posture == g.key})
		if page.Posture != "" && page.Posture != g.key {
			continue
		}
		limit, after := strategicPreview, (*postgres.StrategicCursor)(nil)
		if page.Posture != "" {
			limit, after = strategicPageSize, parseStrategicCursor(q.Get("after"))
		}
		rows, err := s.db.StrategicAccounts(ctx, postgres.StrategicFilter{Posture: g.posture, After: after, Limit: limit + 1})
		if err != nil {
			return err
		}
		group := web.StrategicGroup{Key: g.key, Posture: g.posture, Label: g.label, N: min(n, postgres.CountCap), Capped: n > postgres.CountCap}
		if len(rows) > limit {
			rows = rows[:limit]
			if page.Posture == "" {
				group.MoreURL = "/strategic?posture=" + g.key
			} else {
				group.NextURL = "/strategic?" + url.Values{"posture": {g.key}, "after": {postgres.CursorOf(rows[len(rows)-1]).String()}}.Encode()
			}
		}
		if after != nil {
			group.PrevURL = "/strategic?posture=" + g.key
		}
		for _, p := range rows {
			row := web.StrategicRow{Head: packHead(p), Clock: clockCell(cal, deadline.ClockOf(cal, st, p, deadline.KindPodReview, now), p, now)}
			if l := p.PodLatest; l != nil {
				row.LatestOn, row.RenewalOn, row.Posture = web.Date(l.HeldOn), web.Date(l.RenewalOn), l.Posture
			}
			group.Rows = append(group.Rows, row)
		}
		page.Groups = append(page.Groups, group)
	}
	s.render(w, r, http.StatusOK, web.Strategic(page))
	return nil
}
