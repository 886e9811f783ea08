package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
)

// lockedWithQuestions takes the pack through submission, a review with a
// question on the stakeholder map (answered by the SE), the approval of its
// big commitment, the kickoff, and the lock of its reference architecture.
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
	form := completeArchitecture()
	form.Set("version", version(t, alex, e.path("/architecture")))
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

func TestKickoffDocument(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	kickoff := e.path("/kickoff")

	t.Run("DraftSaysSo", func(t *testing.T) {
		res := e.Login("sam@example.com").Get(kickoff)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Text("[data-testid=kickoff]"), "not submitted yet") {
			t.Errorf("draft kickoff document = %d %q", res.StatusCode, res.Text(".kickoff-title"))
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

	t.Run("ThoseWhoSeeThePack", func(t *testing.T) {
		for email, status := range map[string]int{"morgan@example.com": 200, "sam@example.com": 200, "ada@example.com": 200,
			"priya@example.com": 404, "jordan@example.com": 404} {
			if got := e.Login(email).Get(kickoff).StatusCode; got != status {
				t.Errorf("%s: %d, want %d", email, got, status)
			}
		}
	})
}
