package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// lockedWithQuestions takes the pack through submission, a review with a
// question on the stakeholder map (answered by the SE), the approval of its
// big commitment, the kickoff, and the lock of its reference architecture,
// its commitment closed by the integration list.
func (e *packEnv) lockedWithQuestions(t *testing.T) {
	t.Helper()
	e.submitted(t)
	alex, sam := e.Login("alex@example.com"), e.Login("sam@example.com")
	for _, k := range handoff.DocKinds {
		form := url.Values{"version": {"1"}, "decision": {"accepted"}}
		if k == handoff.DocStakeholders {
			form.Set("decision", "accepted_with_questions")
			form.Set("questions", "Is the CISO invited to the kickoff?")
		}
		if res := alex.PostForm(e.path("/documents/"+string(k)+"/review"), form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("review %s = %d\n%s", k, res.StatusCode, res.Body)
		}
	}
	m := regexp.MustCompile(`/questions/(\d+)/answer`).FindStringSubmatch(sam.Get(e.path("")).Body)
	if m == nil {
		t.Fatal("no question for the SE to answer")
	}
	if res := sam.PostForm(e.path("/questions/"+m[1]+"/answer"), url.Values{"answer": {"Yes, Carla forwards the invite."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer = %d", res.StatusCode)
	}
	action, _ := e.decideForm(t, alex)
	if res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"approve"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", res.StatusCode)
	}
	if res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge = %d\n%s", res.StatusCode, res.Body)
	}
	form := e.completeArchitecture(t)
	form.Set("version", version(t, alex, e.path("/architecture")))
	for _, key := range e.matrixKeys(t, alex) {
		form.Set("closure."+key+".part", "integrations")
		form.Set("closure."+key+".note", "The Workday connector is on the integration list, live in phase 1.")
	}
	res := alex.PostForm(e.path("/lock"), form)
	// Locking is final, so it may ask to confirm first: send its form as is.
	if confirm := res.Doc().Find(`form[action$="/lock/confirm"]`); res.StatusCode == http.StatusOK && confirm.Length() == 1 {
		action, _ := confirm.Attr("action")
		sure := url.Values{}
		confirm.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
			name, _ := in.Attr("name")
			value, _ := in.Attr("value")
			sure.Add(name, value)
		})
		res = alex.PostForm(action, sure)
	}
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lock = %d\n%s", res.StatusCode, res.Body)
	}
}

// matrixKeys lists the rows of the closure matrix the architecture form
// closes, by key, in page order.
func (e *packEnv) matrixKeys(t *testing.T, alex *servertest.Client) []string {
	t.Helper()
	var keys []string
	alex.Get(e.path("/architecture")).Doc().Find(`select[name^="closure."]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		keys = append(keys, strings.TrimSuffix(strings.TrimPrefix(name, "closure."), ".part"))
	})
	return keys
}

func TestKickoffDocument(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	kickoff := e.path("/kickoff")

	t.Run("DraftSaysSo", func(t *testing.T) {
		res := e.Login("sam@example.com").Get(kickoff)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Text("[data-testid=kickoff]"), "not submitted yet") {
			t.Errorf("draft kickoff document = %d %q", res.StatusCode, res.Text(".kickoff-title"))
		}
		if n := res.Doc().Find("[data-testid=kickoff-matrix]").Length(); n != 0 {
			t.Errorf("a draft has no closure matrix yet, but the document shows %d", n)
		}
	})

	e.lockedWithQuestions(t)
	alex := e.Login("alex@example.com")

	if href, _ := alex.Get(e.path("")).Doc().Find("[data-testid=kickoff-link]").Attr("href"); href != kickoff {
		t.Errorf("pack page links the kickoff document at %q, want %s", href, kickoff)
	}
	res := alex.Get(kickoff)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", kickoff, res.StatusCode)
	}
	want := map[string][]string{
		"kickoff-meddpicc":     {"Time to value under 90 days", "Carla Champion", "Accepted"},
		"kickoff-poc":          {"Ingest 3 sources into the lakehouse.", "Load 1 TB in under an hour"},
		"kickoff-commitments":  {"Workday connector", "Approved by Alex Chen"},
		"kickoff-stakeholders": {"Evan Buyer", "Is the CISO invited to the kickoff?", "Yes, Carla forwards the invite."},
		"kickoff-risks":        {"No known risks"},
		"kickoff-architecture": {"Locked", "Rita Architect", "Lakehouse on AWS, fed by CDC.", "Scale plan: agreed at the design review."},
		"kickoff-matrix": {"Frozen by the lock", "Commitment", "Integration: Workday connector", "In writing (email/slide)",
			"Integration list", "The Workday connector is on the integration list, live in phase 1."},
	}
	for id, texts := range want {
		got := res.Text("[data-testid=" + id + "]")
		for _, w := range texts {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q: %q", id, w, got)
			}
		}
	}
	if deal := res.Text("[data-testid=kickoff]"); !strings.Contains(deal, "2026-11-25") || !strings.Contains(deal, "v1") {
		t.Errorf("deal facts lack the kickoff date or the version: %q", deal)
	}
	if n := res.Doc().Find(".kickoff form, .kickoff button, .kickoff input").Length(); n != 0 {
		t.Errorf("%d forms or controls in the kickoff document; it is for reading and printing", n)
	}
	if n := res.Doc().Find(".kickoff-doc").Length(); n != len(handoff.DocKinds)+1 {
		t.Errorf("%d sections that start a printed page, want one per document and the architecture", n)
	}
	if got := res.Text("[data-testid=kickoff-matrix] td .badge"); got != "" {
		t.Errorf("a locked matrix marks rows %q; every row was closed", got)
	}
	if n := res.Doc().Find("[data-testid=kickoff-accuracy]").Length(); n != 0 {
		t.Error("the document shows a handoff accuracy before the SA assessed it")
	}

	t.Run("AccuracyOnceAssessed", func(t *testing.T) {
		ctx := context.Background()
		p, err := e.DB.Pack(ctx, e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		d, err := e.DB.PackDetail(ctx, e.alex, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		m := d.Matrix()
		if len(m) != 1 {
			t.Fatalf("matrix = %+v, want the one commitment", m)
		}
		a := handoff.Assessment{Stage: handoff.StageLock, Marks: map[string]handoff.Mark{m[0].Key: {Verdict: handoff.VerdictHeld}},
			Surfaced: []handoff.Surfaced{{Kind: "stakeholder", Description: "A works council must approve", Severity: "high"}}}
		if err := e.DB.SaveAssessment(ctx, e.alex, e.pack, p.Version, a, servertest.Today(), servertest.Today()); err != nil {
			t.Fatal(err)
		}
		got := alex.Get(kickoff).Text("[data-testid=kickoff-accuracy]")
		for _, w := range []string{"Assessed at the lock: 50% held as handed off (1 of 1 item; 0 under-scoped, 0 wrong; 1 surfaced that the pack missed).", "By Alex Chen"} {
			if !strings.Contains(got, w) {
				t.Errorf("accuracy line lacks %q: %q", w, got)
			}
		}
	})

	t.Run("LockedBeforeMatricesWereKept", func(t *testing.T) {
		// A pack locked before the closure matrix existed froze none: its
		// rows were never closed, and the document says so rather than
		// calling them frozen.
		if _, err := e.DB.Pool.Exec(context.Background(), `UPDATE reference_architectures SET data = data - 'closures' - 'locked_matrix' WHERE pack_id = $1`, e.pack); err != nil {
			t.Fatal(err)
		}
		res := alex.Get(kickoff)
		if got := res.Text("[data-testid=kickoff-matrix-state]"); !strings.Contains(got, "Locked without a closure matrix") {
			t.Errorf("matrix state = %q", got)
		}
		if got := res.Text("[data-testid=kickoff-matrix] td .badge"); got != "Open" {
			t.Errorf("the unclosed row is marked %q, want Open", got)
		}
	})
	t.Run("ThoseWhoSeeThePack", func(t *testing.T) {
		for email, status := range map[string]int{"morgan@example.com": 200, "sam@example.com": 200, "ada@example.com": 200,
			"priya@example.com": 404, "jordan@example.com": 404} {
			if got := e.Login(email).Get(kickoff).StatusCode; got != status {
				t.Errorf("%s: %d, want %d", email, got, status)
			}
		}
	})
}

// TestKickoffMatrixDraft follows the closure matrix on the kickoff document
// before the lock: a vetoed commitment needs nothing, an open risk is marked
// open until the SA's architecture closes it, and the document says the
// matrix is a draft.
func TestKickoffMatrixDraft(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	alex, cid, _ := e.acknowledgedWithRisk(t, url.Values{"decision": {"veto"}, "reason": {"Not in the contract; CS will scope it."}})
	keys := e.matrixKeys(t, alex)
	if len(keys) != 1 {
		t.Fatalf("the architecture form closes %v, want only the risk (the vetoed commitment needs nothing)", keys)
	}
	riskRow, vetoRow := "[data-testid=kickoff-matrix-"+keys[0]+"]", "[data-testid=kickoff-matrix-c-"+cid+"]"
	kickoff := e.path("/kickoff")
	saveClosure := func(t *testing.T, part, note string) *servertest.Response {
		t.Helper()
		form := e.completeArchitecture(t)
		form.Set("version", version(t, alex, e.path("/architecture")))
		form.Set("closure."+keys[0]+".part", part)
		form.Set("closure."+keys[0]+".note", note)
		if res := alex.PostForm(e.path("/architecture"), form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save architecture = %d\n%s", res.StatusCode, res.Body)
		}
		return alex.Get(kickoff)
	}
	contains := func(t *testing.T, what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q: %q", what, w, got)
			}
		}
	}

	t.Run("OpenBeforeTheArchitecture", func(t *testing.T) {
		res := e.Login("morgan@example.com").Get(kickoff)
		contains(t, "matrix state", res.Text("[data-testid=kickoff-matrix-state]"), "Draft", "0 of 1 rows closed.")
		contains(t, "vetoed row", res.Text(vetoRow), "Commitment", "Integration: Workday connector", "Vetoed", "Not in the contract; CS will scope it.")
		contains(t, "risk row", res.Text(riskRow), "Risk", "High risk (Integration unknown): Workday API quotas unknown",
			"Ask Workday for the tenant's quota", "Open", "Not closed yet: name the architecture part that mitigates it")
		if open := res.Text(riskRow + " td .badge"); open != "Open" {
			t.Errorf("the open risk is marked %q, want an Open badge", open)
		}
	})
	t.Run("APartWithoutItsNoteStaysOpen", func(t *testing.T) {
		res := saveClosure(t, "identity", "")
		contains(t, "risk row", res.Text(riskRow), "Open", "Identity model (SSO/SCIM/RBAC)", "say how \"Identity model (SSO/SCIM/RBAC)\" mitigates it")
	})
	t.Run("OutOfScopeWithItsReason", func(t *testing.T) {
		res := saveClosure(t, handoff.OutOfScope, "Quotas are Workday's to raise; the customer owns that ticket.")
		contains(t, "risk row", res.Text(riskRow), "Out of scope", "Quotas are Workday's to raise; the customer owns that ticket.")
		if n := res.Doc().Find(riskRow + " td .badge").Length(); n != 0 {
			t.Errorf("a closed row still carries %d badges: %q", n, res.Text(riskRow))
		}
		contains(t, "matrix state", res.Text("[data-testid=kickoff-matrix-state]"), "Draft", "1 of 1 rows closed.")
	})
}
