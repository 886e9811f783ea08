package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// The return loop, acknowledging with open questions and the lock's
// confirmation (docs/design.md, "A pack's life"), through the real router.

// returned submits the pack and has Alex return the stakeholder map.
func (e *packEnv) returned(t *testing.T) (sam, alex *servertest.Client) {
	t.Helper()
	e.submitted(t)
	sam, alex = e.Login("sam@example.com"), e.Login("alex@example.com")
	res := alex.PostForm(e.path("/documents/stakeholders/review"), url.Values{"version": {"1"}, "decision": {"returned"},
		"reason": {"Add the CISO: she signs the security review."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return = %d", res.StatusCode)
	}
	return sam, alex
}

func (e *packEnv) status(t *testing.T) handoff.Status {
	t.Helper()
	p, err := e.DB.Pack(context.Background(), e.alex, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	return p.Status
}

func TestReturnLoop(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam, alex := e.returned(t)
	submit := func(form url.Values) *servertest.Response {
		t.Helper()
		form.Set("version", version(t, sam, e.path("")))
		return sam.PostForm(e.path("/submit"), form)
	}

	t.Run("EditFormShowsTheReason", func(t *testing.T) {
		res := sam.Get(e.path("/documents/stakeholders"))
		if got := res.Text("[data-testid=returned-reason]"); !strings.Contains(got, "Alex Chen returned the Stakeholder map in v1") ||
			!strings.Contains(got, "Add the CISO: she signs the security review.") {
			t.Errorf("returned reason atop the form = %q", got)
		}
		if res.Doc().Find(`form[action$="/documents/stakeholders"]`).Length() != 1 {
			t.Error("the returned document is not editable")
		}
	})

	t.Run("PackPageSaysReturned", func(t *testing.T) {
		doc := sam.Get(e.path("")).Doc()
		if got := strings.TrimSpace(doc.Find("[data-testid=doc-stakeholders] [data-testid=doc-state]").Text()); got != "Returned" {
			t.Errorf("badge beside the returned document = %q, want Returned", got)
		}
		if got := strings.TrimSpace(doc.Find("[data-testid=doc-risks] [data-testid=doc-state]").Text()); got != "Complete" {
			t.Errorf("badge beside an accepted-or-pending document = %q", got)
		}
		if box := doc.Find("[data-testid=reply-stakeholders]").Text(); !strings.Contains(box, "Unchanged") || !strings.Contains(box, "Add the CISO") {
			t.Errorf("reply box = %q", box)
		}
	})

	t.Run("ErrUnchangedWithoutReply", func(t *testing.T) {
		res := submit(url.Values{})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unchanged resubmit = %d, want 422", res.StatusCode)
		}
		if msg := res.Text("#resubmit-error"); !strings.Contains(msg, "the Stakeholder map is unchanged since the SA returned it") ||
			!strings.Contains(msg, "reply to the SA's reason") {
			t.Errorf("refusal = %q", msg)
		}
		if msg := res.Text(`[id="f-reply.stakeholders-error"]`); !strings.Contains(msg, "You haven't changed the Stakeholder map") {
			t.Errorf("message beside the reply = %q", msg)
		}
		if got := e.status(t); got != handoff.StatusChangesRequested {
			t.Errorf("status = %s", got)
		}
	})

	t.Run("ErrRefusedReplyKeepsWhatWasTyped", func(t *testing.T) {
		long := strings.Repeat("The CIO signs. ", 400) // over 5,000 characters
		res := submit(url.Values{"reply.stakeholders": {long}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("too long a reply = %d, want 422", res.StatusCode)
		}
		if got := res.Doc().Find(`[name="reply.stakeholders"]`).Text(); got != long {
			t.Errorf("the typed reply came back with %d characters, want %d", len(got), len(long))
		}
	})

	t.Run("ResubmitWithReply", func(t *testing.T) {
		reply := "The CISO delegated the security review to Tess Tech, who is in the map."
		res := submit(url.Values{"reply.stakeholders": {"  " + reply + "  "}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("resubmit with a reply = %d\n%s", res.StatusCode, res.Body)
		}
		if got := e.status(t); got != handoff.StatusSubmitted {
			t.Fatalf("status = %s, want submitted", got)
		}
		page := alex.Get(e.path(""))
		if got := page.Text("[data-testid=doc-stakeholders] [data-testid=doc-reply]"); !strings.Contains(got, reply) ||
			!strings.Contains(got, "return of v1") || !strings.Contains(got, "Add the CISO") {
			t.Errorf("the SA sees the reply as %q", got)
		}
		if got := alex.Get(e.path("/documents/stakeholders")).Text("[data-testid=doc-reply]"); !strings.Contains(got, reply) {
			t.Errorf("the SA's review page shows the reply as %q", got)
		}
		if h := page.Text("[data-testid=history]"); !strings.Contains(h, "Replied to the return of the Stakeholder map: "+reply) {
			t.Errorf("history = %q", h)
		}
		d, err := e.DB.PackDetail(context.Background(), e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Replies) != 1 || d.Replies[0].Reply != reply || d.Replies[0].Version != 1 || d.Replies[0].RepliedBy != "Sam Rivera" {
			t.Errorf("stored replies = %+v", d.Replies)
		}
	})
}

func TestReturnLoopChangedNeedsNoReply(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam, _ := e.returned(t)
	form := cloneValues(completeForms()[handoff.DocStakeholders])
	form.Set("rows", "5")
	form.Set("people.4.name", "Cleo Ciso")
	form.Set("people.4.role", "technical_buyer")
	// The saved map has ids now; keep them, so only the new person differs.
	doc := sam.Get(e.path("/documents/stakeholders")).Doc()
	for i := range 4 {
		n := "people." + string(rune('0'+i)) + ".id"
		if v, ok := doc.Find(`[name="` + n + `"]`).Attr("value"); ok {
			form.Set(n, v)
		}
	}
	if res := e.save(t, sam, handoff.DocStakeholders, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", res.StatusCode, res.Body)
	}
	if box := sam.Get(e.path("")).Text("[data-testid=reply-stakeholders]"); !strings.Contains(box, "Changed") {
		t.Errorf("reply box after the change = %q", box)
	}
	res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}})
	if res.StatusCode != http.StatusSeeOther || e.status(t) != handoff.StatusSubmitted {
		t.Fatalf("resubmit after changing the returned document = %d, status %s\n%s", res.StatusCode, e.status(t), res.Body)
	}
}

func TestAcknowledgeWithOpenQuestions(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.submitted(t)
	alex, sam := e.Login("alex@example.com"), e.Login("sam@example.com")
	for _, k := range []handoff.DocKind{handoff.DocMEDDPICC, handoff.DocPOC, handoff.DocCommitments, handoff.DocRisks} {
		if res := alex.PostForm(e.path("/documents/"+string(k)+"/review"), url.Values{"version": {"1"}, "decision": {"accepted"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept %s = %d", k, res.StatusCode)
		}
	}
	if res := alex.PostForm(e.path("/documents/stakeholders/review"), url.Values{"version": {"1"}, "decision": {"accepted_with_questions"},
		"questions": {"Who signs the DPA?\nIs the CISO at kickoff?"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept with questions = %d", res.StatusCode)
	}
	action, _ := e.decideForm(t, alex)
	if res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"approve"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", res.StatusCode)
	}

	if got := alex.Get(e.path("")).Text("[data-testid=open-questions]"); !strings.Contains(got, "2 questions are unanswered — acknowledge anyway?") {
		t.Errorf("the acknowledge box says %q", got)
	}

	t.Run("ErrNotConfirmed", func(t *testing.T) {
		res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("acknowledge without confirming = %d, want 422", res.StatusCode)
		}
		if msg := res.Text("#f-confirm_open-error"); !strings.Contains(msg, "2 questions are unanswered") {
			t.Errorf("message beside the tick box = %q", msg)
		}
		if v, _ := res.Doc().Find("#f-kickoff_on").Attr("value"); v != "2026-11-25" {
			t.Errorf("the typed kickoff date came back as %q", v)
		}
		if got := e.status(t); got != handoff.StatusSubmitted {
			t.Errorf("status = %s, want still submitted", got)
		}
	})

	// One answer in; one question stays open.
	qs, err := e.DB.Questions(context.Background(), e.alex, e.pack)
	if err != nil || len(qs) != 2 {
		t.Fatalf("questions = %v, %v", qs, err)
	}
	if res := sam.PostForm(e.path("/questions/"+itoa64(qs[0].ID)+"/answer"), url.Values{"answer": {"Evan Buyer."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer = %d", res.StatusCode)
	}
	if got := alex.Get(e.path("")).Text("[data-testid=open-questions]"); !strings.Contains(got, "1 question is unanswered") {
		t.Errorf("after one answer the acknowledge box says %q", got)
	}

	t.Run("Confirmed", func(t *testing.T) {
		res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}, "confirm_open": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("acknowledge anyway = %d\n%s", res.StatusCode, res.Body)
		}
		if got := e.status(t); got != handoff.StatusAcknowledged {
			t.Fatalf("status = %s", got)
		}
		if h := alex.Get(e.path("")).Text("[data-testid=history]"); !strings.Contains(h, "Acknowledged v1 at the kickoff on 2026-11-25 with 1 unanswered question;") {
			t.Errorf("history = %q", h)
		}
	})
}

func TestLockConfirmation(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.acknowledged(t)
	alex := e.Login("alex@example.com")
	archPath := e.path("/architecture")
	press := func(form url.Values) *servertest.Response {
		t.Helper()
		form = cloneValues(form)
		form.Set("version", version(t, alex, archPath))
		return alex.PostForm(e.path("/lock"), form)
	}

	t.Run("LockSavesWhatIsTypedThenAsks", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Set("summary", "Typed, never saved, then Lock.")
		res := press(form)
		if res.StatusCode != http.StatusOK || res.Doc().Find("[data-testid=lock-confirm]").Length() != 1 {
			t.Fatalf("Lock = %d, want the confirmation", res.StatusCode)
		}
		if a, _, _ := e.DB.Architecture(context.Background(), e.alex, e.pack); a.Summary != "Typed, never saved, then Lock." {
			t.Errorf("stored summary = %q, want what was on the form", a.Summary)
		}
		if got := e.status(t); got != handoff.StatusAcknowledged {
			t.Errorf("status = %s: asking is not locking", got)
		}
		if back, _ := res.Doc().Find("[data-testid=lock-back]").Attr("href"); back != archPath {
			t.Errorf("the way back goes to %q", back)
		}
	})

	t.Run("ErrChangedSinceTheConfirmation", func(t *testing.T) {
		res := press(e.completeArchitecture(t))
		v, _ := res.Doc().Find(`form[action$="/lock/confirm"] input[name="version"]`).Attr("value")
		// Another tab saves a change after the confirmation was shown.
		changed := e.completeArchitecture(t)
		changed.Set("summary", "Changed in another tab.")
		changed.Set("version", version(t, alex, archPath))
		if res := alex.PostForm(archPath, changed); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", res.StatusCode)
		}
		res = alex.PostForm(e.path("/lock/confirm"), url.Values{"version": {v}})
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale confirm = %d, want 409", res.StatusCode)
		}
		if msg := res.Text("#lock-error"); !strings.Contains(msg, "changed since you asked to lock it") {
			t.Errorf("lock error = %q", msg)
		}
		if got := e.status(t); got != handoff.StatusAcknowledged {
			t.Errorf("status = %s, want not locked", got)
		}
	})

	t.Run("ErrRefusedLockKeepsTheFields", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Del("scale.notes")
		form.Set("diagrams.notes", "Typed before a refused lock.")
		res := press(form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("incomplete lock = %d, want 422", res.StatusCode)
		}
		if msg := res.Text("#lock-error"); !strings.Contains(msg, "scale plan") {
			t.Errorf("lock error = %q, want it to name what is missing", msg)
		}
		if v := res.Doc().Find(`[name="diagrams.notes"]`).Text(); v != "Typed before a refused lock." {
			t.Errorf("typed notes came back as %q", v)
		}
	})
}
