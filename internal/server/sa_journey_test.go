package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// The SA's side of a pack after submission, through the real router: deciding
// big commitments, the reference architecture and its lock, and comments.

// decideForm returns the action of the decide form on the commitment ledger
// as the SA sees it, and the commitment id it carries.
func (e *packEnv) decideForm(t *testing.T, alex *servertest.Client) (action, cid string) {
	t.Helper()
	action, ok := alex.Get(e.path("/documents/commitments")).Doc().Find(`form[action$="/decide"]`).Attr("action")
	if !ok {
		t.Fatal("no decide form on the commitment ledger")
	}
	cid = strings.Split(strings.TrimPrefix(action, e.path("/commitments/")), "/")[0]
	return action, cid
}

// decision reads the stored decision on commitment cid, if any.
func (e *packEnv) decision(t *testing.T, cid string) (handoff.CommitmentDecision, bool) {
	t.Helper()
	ds, err := e.DB.CommitmentDecisions(context.Background(), e.alex, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := ds[cid]
	return d, ok
}

// acceptAll has the SA accept every document of v1.
func (e *packEnv) acceptAll(t *testing.T, alex *servertest.Client) {
	t.Helper()
	for _, k := range handoff.DocKinds {
		path := e.path("/documents/" + string(k) + "/review")
		if res := alex.PostForm(path, url.Values{"version": {"1"}, "decision": {"accepted"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept %s = %d", k, res.StatusCode)
		}
	}
}

// acknowledged takes the pack through submission, review of every document,
// approval of its one big commitment and the kickoff (today, 2026-11-25).
func (e *packEnv) acknowledged(t *testing.T) {
	t.Helper()
	e.submitted(t)
	alex := e.Login("alex@example.com")
	e.acceptAll(t, alex)
	action, _ := e.decideForm(t, alex)
	if res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"approve"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", res.StatusCode)
	}
	if res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge = %d\n%s", res.StatusCode, res.Body)
	}
}

func TestDecideCommitment(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.submitted(t)
	alex, sam := e.Login("alex@example.com"), e.Login("sam@example.com")
	action, cid := e.decideForm(t, alex)
	ledger := e.path("/documents/commitments")

	t.Run("VetoWithReason", func(t *testing.T) {
		res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"veto"}, "reason": {"  Not in the contract; CS will scope it.  "}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != ledger {
			t.Fatalf("veto = %d to %q, want 303 to %s", res.StatusCode, loc, ledger)
		}
		if flash := alex.Get(ledger).Text(".flash-success"); flash != "Vetoed the commitment." {
			t.Errorf("flash = %q", flash)
		}
		d, ok := e.decision(t, cid)
		if !ok || d.Approved || d.Reason != "Not in the contract; CS will scope it." || d.DecidedBy != "Alex Chen" {
			t.Fatalf("stored decision = %+v, %v; want a veto by Alex Chen with the trimmed reason", d, ok)
		}
		// The SE reads the veto and its reason on the pack, and in its history.
		page := sam.Get(e.path(""))
		if got := page.Text("[data-testid=decision-" + cid + "]"); !strings.Contains(got, "Vetoed") || !strings.Contains(got, "Not in the contract; CS will scope it.") {
			t.Errorf("the SE's view of the decision = %q", got)
		}
		if h := page.Text("[data-testid=history]"); !strings.Contains(h, `Vetoed the commitment "Workday connector": Not in the contract; CS will scope it.`) {
			t.Errorf("history = %q", h)
		}
	})

	t.Run("ApproveReplacesTheVeto", func(t *testing.T) {
		res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"approve"}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != ledger {
			t.Fatalf("approve = %d to %q, want 303 to %s", res.StatusCode, loc, ledger)
		}
		if flash := alex.Get(ledger).Text(".flash-success"); flash != "Approved the commitment." {
			t.Errorf("flash = %q", flash)
		}
		if d, ok := e.decision(t, cid); !ok || !d.Approved {
			t.Fatalf("stored decision = %+v, %v; want approved", d, ok)
		}
		page := alex.Get(e.path(""))
		if got := page.Text("[data-testid=decision-" + cid + "]"); !strings.Contains(got, "Approved") || strings.Contains(got, "Vetoed") {
			t.Errorf("decision shown = %q", got)
		}
		if h := page.Text("[data-testid=history]"); !strings.Contains(h, `Approved the commitment "Workday connector".`) || !strings.Contains(h, "Vetoed the commitment") {
			t.Errorf("history should keep both decisions: %q", h)
		}
		// Every document still waits for review; the commitment no longer blocks.
		if b := page.Text("[data-testid=ack-blockers]"); strings.Contains(b, "Workday connector") {
			t.Errorf("a decided commitment still blocks the acknowledgment: %q", b)
		}
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		// The SA returns a document; the SE fixes it and resubmits v2.
		if res := alex.PostForm(e.path("/documents/poc/review"), url.Values{"version": {"1"}, "decision": {"returned"}, "reason": {"Name the sources."}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("return = %d", res.StatusCode)
		}
		form := completeForms()[handoff.DocPOC]
		form.Set("summary", "Three named sources: Oracle, SAP, Workday.")
		if res := e.save(t, sam, handoff.DocPOC, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("fix = %d", res.StatusCode)
		}
		if res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("resubmit = %d", res.StatusCode)
		}
		// A veto sent from the page of v1 is refused, and the approval stands.
		res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"veto"}, "reason": {"Changed my mind."}})
		refusedWith(t, alex, res, e.path(""), "The SE resubmitted this pack (now v2) since you opened it.")
		if d, ok := e.decision(t, cid); !ok || !d.Approved || d.Reason != "" {
			t.Errorf("stored decision after a stale veto = %+v, %v; want the approval unchanged", d, ok)
		}
	})
}

// completeArchitecture is an architecture form with everything the lock
// needs, signed off today (the kickoff day of acknowledged), every row of
// the pack's closure matrix closed by the integration list.
func (e *packEnv) completeArchitecture(t *testing.T) url.Values {
	t.Helper()
	v := url.Values{"doc_link": {"https://wiki.acme.example/architecture"}, "summary": {"Lakehouse on AWS, fed by CDC."},
		"sign_off_name": {"Rita Architect"}, "sign_off_title": {"Enterprise Architect"}, "sign_off_on": {"2026-11-25"}}
	for _, p := range handoff.ArchParts {
		v.Set(p.Value+".notes", p.Label+": agreed at the design review.")
	}
	d, err := e.DB.PackDetail(context.Background(), e.alex, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range d.Matrix() {
		if !row.Vetoed {
			v.Set("closure."+row.Key+".part", "integrations")
			v.Set("closure."+row.Key+".note", "The integration list covers it.")
		}
	}
	return v
}

func TestArchitectureAndLock(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.acknowledged(t)
	alex := e.Login("alex@example.com")
	archPath := e.path("/architecture")
	stored := func() (handoff.Architecture, handoff.Document) {
		t.Helper()
		a, meta, err := e.DB.Architecture(context.Background(), e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		return a, meta
	}
	status := func() handoff.Status {
		t.Helper()
		p, err := e.DB.Pack(context.Background(), e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		return p.Status
	}
	post := func(path string, form url.Values) *servertest.Response {
		t.Helper()
		form = cloneValues(form)
		form.Set("version", version(t, alex, archPath))
		return alex.PostForm(path, form)
	}

	t.Run("ErrFieldsKeepWhatWasTyped", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Set("doc_link", "the wiki page")
		form.Set("sign_off_on", "2026-12-01")
		res := post(archPath, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("save with bad fields = %d, want 422", res.StatusCode)
		}
		if msg := res.Text("#f-doc_link-error"); !strings.Contains(msg, "https://") {
			t.Errorf("message beside the link = %q", msg)
		}
		if msg := res.Text("#f-sign_off_on-error"); !strings.Contains(msg, "future") {
			t.Errorf("message beside the sign-off date = %q", msg)
		}
		doc := res.Doc()
		if v, _ := doc.Find("#f-doc_link").Attr("value"); v != "the wiki page" {
			t.Errorf("typed link came back as %q", v)
		}
		if v := doc.Find(`[name="summary"]`).Text(); v != "Lakehouse on AWS, fed by CDC." {
			t.Errorf("typed summary came back as %q", v)
		}
		if _, meta := stored(); meta.UpdatedBy != "" {
			t.Errorf("a refused architecture was stored (by %s)", meta.UpdatedBy)
		}
	})

	t.Run("SaveDraft", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Del("sign_off_name")
		res := post(archPath, form)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != archPath {
			t.Fatalf("save = %d to %q, want 303 to %s", res.StatusCode, loc, archPath)
		}
		page := alex.Get(archPath)
		if flash := page.Text(".flash-success"); flash != "Saved the reference architecture draft." {
			t.Errorf("flash = %q", flash)
		}
		if m := page.Text("[data-testid=arch-missing]"); !strings.Contains(m, "sign-off") {
			t.Errorf("still needed = %q, want the sign-off", m)
		}
		if a, meta := stored(); a.Summary != "Lakehouse on AWS, fed by CDC." || a.SignOffName != "" || meta.UpdatedBy != "Alex Chen" {
			t.Errorf("stored = %+v by %q", a, meta.UpdatedBy)
		}
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := version(t, alex, archPath)
		first := e.completeArchitecture(t)
		first.Del("sign_off_name")
		first.Set("summary", "Saved in the first tab.")
		first.Set("version", stale)
		if res := alex.PostForm(archPath, first); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first save = %d", res.StatusCode)
		}
		second := e.completeArchitecture(t)
		second.Set("summary", "Typed in the second tab.")
		second.Set("version", stale)
		res := alex.PostForm(archPath, second)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale save = %d, want 409", res.StatusCode)
		}
		if !strings.Contains(res.Text(".flash-error"), "not saved yet") {
			t.Errorf("no conflict explanation: %q", res.Text(".flash-error"))
		}
		if v := res.Doc().Find(`[name="summary"]`).Text(); v != "Typed in the second tab." {
			t.Errorf("the unsaved input came back as %q", v)
		}
		if a, _ := stored(); a.Summary != "Saved in the first tab." {
			t.Errorf("the stale save overwrote the first: %q", a.Summary)
		}
	})

	t.Run("ErrLockWithFieldErrorsStoresNothing", func(t *testing.T) {
		before, _ := stored()
		form := e.completeArchitecture(t)
		form.Set("identity.link", "okta")
		res := post(e.path("/lock"), form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("lock with a bad link = %d, want 422", res.StatusCode)
		}
		if res.Text(`[id="f-identity.link-error"]`) == "" || !strings.Contains(res.Text("#lock-error"), "Not locked") {
			t.Errorf("field error %q, lock error %q", res.Text(`[id="f-identity.link-error"]`), res.Text("#lock-error"))
		}
		if v, _ := res.Doc().Find(`[name="identity.link"]`).Attr("value"); v != "okta" {
			t.Errorf("typed link came back as %q", v)
		}
		if after, _ := stored(); !after.Equal(before) || status() != handoff.StatusAcknowledged {
			t.Errorf("a refused lock changed the architecture or the status (%s)", status())
		}
	})

	t.Run("ErrLockWhileMissingKeepsWhatWasTyped", func(t *testing.T) {
		form := e.completeArchitecture(t)
		form.Del("sign_off_name")
		form.Set("summary", "Typed just before pressing Lock.")
		res := post(e.path("/lock"), form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("lock without the sign-off = %d, want 422", res.StatusCode)
		}
		if msg := res.Text("#lock-error"); !strings.Contains(msg, "can't be locked yet") || !strings.Contains(msg, "sign-off") {
			t.Errorf("lock error = %q", msg)
		}
		if v := res.Doc().Find(`[name="summary"]`).Text(); v != "Typed just before pressing Lock." {
			t.Errorf("the typed summary came back as %q", v)
		}
		// Pressing Lock saved the form first, so nothing typed is lost.
		if a, _ := stored(); a.Summary != "Typed just before pressing Lock." {
			t.Errorf("stored summary = %q, want what was typed", a.Summary)
		}
		if got := status(); got != handoff.StatusAcknowledged {
			t.Errorf("status = %s, want still acknowledged", got)
		}
		// The page it answers with carries the new version: saving from it works.
		v, _ := res.Doc().Find(`input[name="version"]`).Attr("value")
		again := cloneValues(form)
		again.Set("version", v)
		if res := alex.PostForm(archPath, again); res.StatusCode != http.StatusSeeOther {
			t.Errorf("save from the refused lock's page = %d, want 303", res.StatusCode)
		}
	})

	t.Run("Lock", func(t *testing.T) {
		// Pressing Lock saves the form and asks for confirmation: locking
		// is final, so nothing is locked yet.
		res := post(e.path("/lock"), e.completeArchitecture(t))
		if res.StatusCode != http.StatusOK || res.Doc().Find("[data-testid=lock-confirm]").Length() != 1 {
			t.Fatalf("lock = %d, want 200 with the confirmation\n%s", res.StatusCode, res.Body)
		}
		if got := status(); got != handoff.StatusAcknowledged {
			t.Fatalf("status before confirming = %s, want still acknowledged", got)
		}
		if sum := res.Text("[data-testid=lock-summary]"); !strings.Contains(sum, "Rita Architect (Enterprise Architect) on 2026-11-25") ||
			!strings.Contains(sum, "Locked by: Alex Chen, today (2026-11-25)") || !strings.Contains(sum, "Scale plan: notes") {
			t.Errorf("what will be frozen = %q", sum)
		}
		action, _ := res.Doc().Find(`form[action$="/lock/confirm"]`).Attr("action")
		v, _ := res.Doc().Find(`form[action$="/lock/confirm"] input[name="version"]`).Attr("value")
		res = alex.PostForm(action, url.Values{"version": {v}})
		// The lock leads on to the look back at the handoff.
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != e.path("/assessment") {
			t.Fatalf("confirm = %d to %q, want 303 to the assessment\n%s", res.StatusCode, loc, res.Body)
		}
		if got := status(); got != handoff.StatusLocked {
			t.Fatalf("status = %s, want locked", got)
		}
		if flash := alex.Get(e.path("/assessment")).Text(".flash-success"); !strings.Contains(flash, "Architecture locked") {
			t.Errorf("flash = %q", flash)
		}
		page := alex.Get(e.path(""))
		if h := page.Text("[data-testid=history]"); !strings.Contains(h, "Locked the reference architecture, signed off by Rita Architect (Enterprise Architect) on 2026-11-25.") {
			t.Errorf("history = %q", h)
		}
		arch := alex.Get(archPath).Doc()
		if arch.Find("[data-testid=arch-view]").Length() != 1 || arch.Find(`form[action$="/architecture"]`).Length() != 0 {
			t.Error("a locked architecture should read-only, with no form")
		}
		// Locked is final: neither a save nor a second lock changes it.
		form := e.completeArchitecture(t)
		form.Set("version", "99")
		form.Set("summary", "After the lock.")
		refusedWith(t, alex, alex.PostForm(archPath, form), e.path(""), "read-only once locked")
		refusedWith(t, alex, alex.PostForm(e.path("/lock"), form), e.path(""), "Only an acknowledged pack's architecture can be locked.")
		refusedWith(t, alex, alex.PostForm(e.path("/lock/confirm"), form), e.path(""), "Only an acknowledged pack's architecture can be locked.")
		if a, _ := stored(); a.Summary != "Lakehouse on AWS, fed by CDC." {
			t.Errorf("summary after the lock = %q", a.Summary)
		}
	})
}

func TestCommentShowsInHistory(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	res := sam.PostForm(e.path("/comments"), url.Values{"body": {"  Kickoff moved to Thursday; the CISO joins.  "}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != e.path("#history-h") {
		t.Fatalf("comment = %d to %q, want 303 to the history", res.StatusCode, loc)
	}
	// Everyone on the pack reads it in the history, with who wrote it.
	for _, email := range []string{"sam@example.com", "alex@example.com", "morgan@example.com"} {
		h := e.Login(email).Get(e.path("")).Text("[data-testid=history]")
		if !strings.Contains(h, "Sam Rivera") || !strings.Contains(h, "Kickoff moved to Thursday; the CISO joins.") {
			t.Errorf("%s reads the history as %q", email, h)
		}
	}
	cs, err := e.DB.Comments(context.Background(), e.alex, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Body != "Kickoff moved to Thursday; the CISO joins." || cs[0].Author != "Sam Rivera" {
		t.Errorf("stored comments = %+v", cs)
	}
}

// TestInboxGroupsByNextStep: the SA's inbox lists what needs them first,
// soonest deadline first, each with the step it waits on
// (handoff.NextSAStep), then what waits on the SE.
func TestInboxGroupsByNextStep(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t) // Acme Corp stays a draft
	alex := e.Login("alex@example.com")
	another := func(account string) *packEnv {
		o := *e
		o.pack = e.CreatePack(account, e.sam, e.alex, "2026-11-25")
		return &o
	}
	another("Review Co").submitted(t)
	decide := another("Decide Co")
	decide.submitted(t)
	decide.acceptAll(t, alex)
	another("Lock Co").acknowledged(t)

	page := alex.Get("/inbox")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("inbox = %d", page.StatusCode)
	}
	var got []string
	page.Doc().Find(`[data-testid^="section-"] tbody tr`).Each(func(_ int, row *goquery.Selection) {
		section := row.Closest(`[data-testid^="section-"]`).AttrOr("data-testid", "")
		got = append(got, strings.TrimPrefix(section, "section-")+": "+strings.Join(strings.Fields(row.Find("td a").First().Text()), " ")+
			" — "+row.Find(`[data-testid="step"]`).Text())
	})
	want := []string{"needs: Review Co — Review", "needs: Decide Co — Decide commitments", "needs: Lock Co — Lock the architecture",
		"waiting: Acme Corp — Waiting for the SE"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("inbox =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
