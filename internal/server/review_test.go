package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// submitted fills and submits the pack as Sam, with one commitment (USD
// 40,000) above the default USD 25,000 threshold.
func (e *packEnv) submitted(t *testing.T) {
	t.Helper()
	sam := e.Login("sam@example.com")
	e.fillAll(t, sam)
	if res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", res.StatusCode)
	}
}

func TestUnassignedSAFindsNothing(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.submitted(t)
	jordan := e.Login("jordan@example.com")
	for _, path := range []string{"", "/documents/meddpicc", "/documents/commitments", "/versions/1", "/compare", "/architecture"} {
		if got := jordan.Get(e.path(path)).StatusCode; got != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, got)
		}
	}
	for _, path := range []string{"/documents/risks/review", "/commitments/x/decide", "/acknowledge", "/architecture", "/lock", "/comments"} {
		if got := jordan.PostForm(e.path(path), url.Values{"version": {"1"}, "decision": {"accepted"}, "body": {"hi"}}).StatusCode; got != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", path, got)
		}
	}
}

func TestNoRequestSkipsAState(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	alex := e.Login("alex@example.com")
	status := func() handoff.Status {
		p, err := e.DB.Pack(context.Background(), e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		return p.Status
	}
	// A draft cannot be reviewed, acknowledged, or locked: each is a conflict
	// with the pack's status, answered on the pack page with the reason.
	for path, why := range map[string]string{
		"/documents/risks/review": "Documents are reviewed between submission and kickoff.",
		"/acknowledge":            "Only a submitted pack with every document accepted can be acknowledged.",
		"/lock":                   "Only an acknowledged pack's architecture can be locked.",
	} {
		res := alex.PostForm(e.path(path), url.Values{"version": {"0"}, "decision": {"accepted"}, "kickoff_on": {"2026-11-25"}})
		refusedWith(t, alex, res, e.path(""), why)
		if got := status(); got != handoff.StatusDraft {
			t.Errorf("POST %s on a draft moved the status to %s", path, got)
		}
	}
	e.submitted(t)
	// Acknowledging before every document is accepted is refused with the reason.
	res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}})
	if res.StatusCode != http.StatusUnprocessableEntity || status() != handoff.StatusSubmitted {
		t.Fatalf("early acknowledge = %d, status %s", res.StatusCode, status())
	}
	if b := res.Text("[data-testid=ack-blockers]"); !strings.Contains(b, "Review the Risk log") {
		t.Errorf("early acknowledge does not say what is missing: %q", b)
	}
	// Locking before acknowledging is refused.
	refusedWith(t, alex, alex.PostForm(e.path("/lock"), nil), e.path(""), "Only an acknowledged pack's architecture can be locked.")
	if got := status(); got != handoff.StatusSubmitted {
		t.Fatalf("lock before kickoff moved the status to %s", got)
	}
	// Returning a document needs a reason, and then the SE may edit only it.
	if res := alex.PostForm(e.path("/documents/poc/review"), url.Values{"version": {"1"}, "decision": {"returned"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("return without a reason = %d", res.StatusCode)
	}
	if res := alex.PostForm(e.path("/documents/poc/review"), url.Values{"version": {"1"}, "decision": {"returned"}, "reason": {"Name the data sources."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return = %d", res.StatusCode)
	}
	if status() != handoff.StatusChangesRequested {
		t.Fatalf("status after returning = %s", status())
	}
	sam := e.Login("sam@example.com")
	if got := sam.Get("/packs").Text("[data-testid=returned]"); !strings.Contains(got, "Returned: POC scope and outcomes") || !strings.Contains(got, "Name the data sources.") {
		t.Errorf("My packs does not say which document came back and why: %q", got)
	}
	v := version(t, sam, e.path("/documents/poc"))
	if res := sam.PostForm(e.path("/documents/risks"), url.Values{"version": {v}, "no_known_risks": {"1"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("SE editing a document the SA did not return = %d, want 409", res.StatusCode)
	}
	// A decision on the old version after the SE resubmits is refused as stale.
	form := completeForms()[handoff.DocPOC]
	form.Set("summary", "Three named sources: Oracle, SAP, Workday.")
	if res := e.save(t, sam, handoff.DocPOC, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("fix = %d", res.StatusCode)
	}
	if res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit = %d", res.StatusCode)
	}
	res = alex.PostForm(e.path("/documents/risks/review"), url.Values{"version": {"1"}, "decision": {"accepted"}})
	refusedWith(t, alex, res, e.path(""), "The SE resubmitted this pack (now v2) since you opened it.")
	var events int
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pack_events WHERE pack_id = $1 AND kind = 'reviewed'`, e.pack).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != 0 {
		t.Errorf("a stale review left %d events", events)
	}
}

// refusedWith checks that res is a refusal answered the way conflicts are: a
// 303 to wantPath (the pack page), whose flash says why.
func refusedWith(t *testing.T, c *servertest.Client, res *servertest.Response, wantPath, why string) {
	t.Helper()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != wantPath {
		t.Errorf("%s %s = %d to %q, want 303 to %s", res.Request.Method, res.Request.URL.Path, res.StatusCode, loc, wantPath)
		return
	}
	if flash := c.Get(wantPath).Text(".flash-error"); !strings.Contains(flash, why) {
		t.Errorf("%s %s: flash = %q, want it to say %q", res.Request.Method, res.Request.URL.Path, flash, why)
	}
}

func TestQuestionsAndAnswersStayTogether(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.submitted(t)
	alex := e.Login("alex@example.com")
	res := alex.PostForm(e.path("/documents/stakeholders/review"), url.Values{"version": {"1"}, "decision": {"accepted_with_questions"},
		"questions": {"Who signs the DPA?\n\n  Is the CISO at kickoff?  "}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("review = %d", res.StatusCode)
	}
	sam := e.Login("sam@example.com")
	page := sam.Get(e.path(""))
	ids := regexp.MustCompile(`/questions/(\d+)/answer`).FindAllStringSubmatch(page.Body, -1)
	if len(ids) != 2 {
		t.Fatalf("questions shown to the SE = %d, want 2", len(ids))
	}
	if res := sam.PostForm(e.path("/questions/"+ids[0][1]+"/answer"), url.Values{"answer": {"Evan Buyer signs the DPA."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer = %d", res.StatusCode)
	}
	view := alex.Get(e.path("")).Text("[data-testid=question-" + ids[0][1] + "]")
	if !strings.Contains(view, "Who signs the DPA?") || !strings.Contains(view, "Evan Buyer signs the DPA.") {
		t.Errorf("the SA does not see the answer with its question: %q", view)
	}
	if res := alex.PostForm(e.path("/questions/"+ids[0][1]+"/answer"), url.Values{"answer": {"x"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("the SA answering = %d, want 404 (route is the SE's)", res.StatusCode)
	}
}

func TestManagerReassignsAndBothSeeIt(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	m := e.Login("morgan@example.com")
	res := m.PostForm(e.path("/assign"), url.Values{"se_id": {itoa64(e.priya.ID)}, "sa_id": {itoa64(e.jordan.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign = %d", res.StatusCode)
	}
	if got := e.Login("priya@example.com").Get(e.path("")).StatusCode; got != http.StatusOK {
		t.Errorf("new SE sees the pack: %d", got)
	}
	if got := e.Login("jordan@example.com").Get("/inbox").Body; !strings.Contains(got, "Acme Corp") {
		t.Error("new SA's inbox lacks the pack")
	}
	if got := e.Login("sam@example.com").Get(e.path("")).StatusCode; got != http.StatusNotFound {
		t.Errorf("old SE still sees the pack: %d", got)
	}
	if h := m.Get(e.path("")).Text("[data-testid=history]"); !strings.Contains(h, "SE Sam Rivera → Priya Shah") || !strings.Contains(h, "SA Alex Chen → Jordan Park") {
		t.Errorf("history = %q", h)
	}
	if res := m.PostForm(e.path("/assign"), url.Values{"se_id": {itoa64(e.alex.ID)}}); !strings.Contains(m.Get(res.Header.Get("Location")).Text(".flash"), "Sales Engineer") {
		t.Error("assigning an SA as the SE was not refused with a reason")
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
