package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// What a hostile or careless client sends must never reach another pack,
// grow a page without bound, or be dropped in silence.

// formTargets returns every form action and link of a page, resolved against
// the page's own path as a browser would.
func formTargets(t *testing.T, page string, doc *goquery.Document) []string {
	t.Helper()
	base, err := url.Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	doc.Find("form[action], a[href]").Each(func(_ int, s *goquery.Selection) {
		raw, ok := s.Attr("action")
		if !ok {
			raw, _ = s.Attr("href")
		}
		u, err := base.Parse(raw)
		if err != nil {
			t.Errorf("unparseable target %q on %s", raw, page)
			return
		}
		if u.Host == "" && u.Scheme == "" {
			out = append(out, u.Path)
		}
	})
	return out
}

func TestClientRowIDsNeverReachAFormAction(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	other := e.CreatePack("Other Corp", e.sam, e.alex, "2026-11-25")
	sam := e.Login("sam@example.com")
	e.fillAll(t, sam)

	hostile := completeForms()[handoff.DocCommitments]
	hostile.Set("rows", "2")
	hostile.Set("items.0.id", "../../"+strconv.FormatInt(other, 10)+"/lock?")
	for k, v := range map[string]string{"items.1.kind": "sla", "items.1.description": "99.99% uptime", "items.1.evidence": "in_contract",
		"items.1.evidence_detail": "§4.2", "items.1.amount": "90000", "items.1.currency": "USD", "items.1.id": "aaaaaaaaaaaa"} {
		hostile.Set(k, v)
	}
	if res := e.save(t, sam, handoff.DocCommitments, hostile); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", res.StatusCode, res.Body)
	}
	docs, _, err := e.DB.Documents(context.Background(), e.sam, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range docs.Commitments.Items {
		if !handoff.ValidRowID(c.ID) || c.ID == "aaaaaaaaaaaa" {
			t.Errorf("commitment %d stored with the client's id %q, want one the server made", i, c.ID)
		}
	}

	if res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", res.StatusCode)
	}
	alex := e.Login("alex@example.com")
	page := e.path("/documents/commitments")
	doc := alex.Get(page).Doc()
	if n := doc.Find(`form[action$="/decide"]`).Length(); n != 2 {
		t.Fatalf("decide forms = %d, want 2", n)
	}
	for _, target := range formTargets(t, page, doc) {
		if strings.HasPrefix(target, "/packs/") && !strings.HasPrefix(target, e.path("")) {
			t.Errorf("the SA's page links or posts to another pack: %s", target)
		}
	}
}

func TestTooManyRowsAreRefusedNotDropped(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	form := url.Values{"rows": {"300"}}
	for i := range 300 {
		n := strconv.Itoa(i)
		form.Set("items."+n+".kind", "other")
		form.Set("items."+n+".description", "Promise "+n)
		form.Set("items."+n+".evidence", "roadmap")
	}
	res := e.save(t, sam, handoff.DocCommitments, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("300 rows = %d, want 422", res.StatusCode)
	}
	if msg := res.Text(".field-error"); !strings.Contains(msg, "at most 200") || !strings.Contains(msg, "300") {
		t.Errorf("message = %q, want it to name the limit and the count", msg)
	}
	doc := res.Doc()
	if n := doc.Find("fieldset.row-set").Length(); n != 300 {
		t.Errorf("rows shown back = %d, want all 300 typed", n)
	}
	if v, _ := doc.Find(`[name="items.299.description"]`).Html(); v != "Promise 299" {
		t.Errorf("last row came back as %q", v)
	}
	docs, _, err := e.DB.Documents(context.Background(), e.sam, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(docs.Commitments.Items); n != 0 {
		t.Errorf("%d rows were stored from a refused form", n)
	}
}

func TestFreeTextOverItsLimitIsRefusedAndKept(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	long := strings.Repeat("x", handoff.MaxText+1)
	form := url.Values{"rows": {"1"}, "items.0.category": {"other"}, "items.0.severity": {"low"},
		"items.0.description": {"Data residency"}, "items.0.mitigation": {long}}
	res := e.save(t, sam, handoff.DocRisks, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a %d-character mitigation = %d, want 422", len(long), res.StatusCode)
	}
	if v, _ := res.Doc().Find(`[name="items.0.mitigation"]`).Attr("value"); v != long {
		t.Errorf("the long mitigation did not come back (%d characters)", len(v))
	}
	if !strings.Contains(res.Text(".field-error"), strconv.Itoa(handoff.MaxText)) {
		t.Errorf("message = %q, want the limit", res.Text(".field-error"))
	}
}

func TestEveryTextFieldStatesItsLimit(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	check := func(c *servertest.Client, path string) {
		t.Helper()
		doc := c.Get(path).Doc()
		doc.Find(`textarea, input:not([type]), input[type=text], input[type=email], input[type=url], input[type=search]`).Each(func(_ int, s *goquery.Selection) {
			if _, hidden := s.Attr("hidden"); hidden {
				return
			}
			name, _ := s.Attr("name")
			if m, ok := s.Attr("maxlength"); !ok || m == "" {
				t.Errorf("%s: field %q has no maxlength", path, name)
			}
		})
	}
	for _, k := range handoff.DocKinds {
		check(sam, e.path("/documents/"+string(k)))
	}
	check(sam, e.path(""))
	e.submitted(t)
	alex := e.Login("alex@example.com")
	for _, k := range handoff.DocKinds {
		check(alex, e.path("/documents/"+string(k)))
	}
	check(alex, e.path(""))
}

// questioned submits the pack and has the SA accept the stakeholder map with
// one question; it returns the question's id.
func (e *packEnv) questioned(t *testing.T) string {
	t.Helper()
	e.submitted(t)
	alex := e.Login("alex@example.com")
	res := alex.PostForm(e.path("/documents/stakeholders/review"), url.Values{"version": {"1"}, "decision": {"accepted_with_questions"},
		"questions": {"Who signs the DPA?"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("review = %d", res.StatusCode)
	}
	m := regexp.MustCompile(`/questions/(\d+)/answer`).FindStringSubmatch(e.Login("sam@example.com").Get(e.path("")).Body)
	if m == nil {
		t.Fatal("no question to answer")
	}
	return m[1]
}

func TestAnswerOverTheLimitComesBackInItsForm(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	qid := e.questioned(t)
	sam := e.Login("sam@example.com")
	long := strings.Repeat("é", handoff.MaxText+1)
	res := sam.PostForm(e.path("/questions/"+qid+"/answer"), url.Values{"answer": {long}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("long answer = %d, want 422", res.StatusCode)
	}
	in := res.Doc().Find("#answer-" + qid)
	if v, _ := in.Attr("value"); v != long {
		t.Errorf("the answer did not come back in its form (%d characters)", len([]rune(v)))
	}
	if inv, _ := in.Attr("aria-invalid"); inv != "true" {
		t.Error("the answer field is not marked invalid")
	}
	if msg := res.Text("#answer-" + qid + "-error"); !strings.Contains(msg, strconv.Itoa(handoff.MaxText)) {
		t.Errorf("message beside the answer = %q", msg)
	}
	if res := sam.PostForm(e.path("/questions/"+qid+"/answer"), url.Values{"answer": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Text("#answer-"+qid+"-error"), "Write an answer") {
		t.Errorf("empty answer = %d, %q", res.StatusCode, res.Text("#answer-"+qid+"-error"))
	}
	var stored string
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT coalesce(answer, '') FROM review_questions WHERE id = $1`, qid).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != "" {
		t.Errorf("a refused answer was stored (%d characters)", len(stored))
	}
}

func TestVetoReasonIsBoundedAndKept(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.submitted(t)
	alex := e.Login("alex@example.com")
	page := alex.Get(e.path("/documents/commitments")).Doc()
	action, ok := page.Find(`form[action$="/decide"]`).Attr("action")
	if !ok {
		t.Fatal("no decide form")
	}
	cid := strings.Split(strings.TrimPrefix(action, e.path("/commitments/")), "/")[0]

	long := strings.Repeat("y", handoff.MaxText+1)
	res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"veto"}, "reason": {long}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a %d-character veto reason = %d, want 422", len(long), res.StatusCode)
	}
	if v, _ := res.Doc().Find("#veto-" + cid).Attr("value"); v != long {
		t.Errorf("the reason did not come back (%d characters)", len(v))
	}
	if msg := res.Text("#veto-" + cid + "-error"); !strings.Contains(msg, strconv.Itoa(handoff.MaxText)) {
		t.Errorf("message beside the reason = %q", msg)
	}
	res = alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"veto"}, "reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#veto-"+cid+"-error"), "reason") {
		t.Errorf("veto without a reason = %d, %q", res.StatusCode, res.Text("#veto-"+cid+"-error"))
	}
	var n int
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM commitment_decisions WHERE pack_id = $1`, e.pack).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d decisions stored from refused vetoes", n)
	}
}
