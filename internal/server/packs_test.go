package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// packEnv is a server with an SE (Sam), another SE (Priya), the assigned SA
// (Alex), another SA (Jordan), a manager and an admin, and one pack of Sam's.
type packEnv struct {
	*servertest.Env
	sam, priya, alex, jordan *handoff.User
	pack                     int64
}

func newPackEnv(t *testing.T) *packEnv {
	env := servertest.New(t)
	e := &packEnv{Env: env,
		sam:    env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE),
		priya:  env.CreateUser("Priya Shah", "priya@example.com", handoff.RoleSE),
		alex:   env.CreateUser("Alex Chen", "alex@example.com", handoff.RoleSA),
		jordan: env.CreateUser("Jordan Park", "jordan@example.com", handoff.RoleSA),
	}
	env.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	e.pack = env.CreatePack("Acme Corp", e.sam, e.alex, "2026-11-25")
	return e
}

func (e *packEnv) path(rest string) string { return "/packs/" + strconv.FormatInt(e.pack, 10) + rest }

// version reads the pack version the form on a document page carries.
func version(t *testing.T, c *servertest.Client, path string) string {
	t.Helper()
	v, ok := c.Get(path).Doc().Find(`input[name="version"]`).Attr("value")
	if !ok {
		t.Fatalf("no version field on %s", path)
	}
	return v
}

// completeForms are form posts that make every document complete.
func completeForms(people ...string) map[handoff.DocKind]url.Values {
	stake := url.Values{"rows": {"4"}}
	for i, p := range [][3]string{{"Carla Champion", "champion", "p1"}, {"Evan Buyer", "economic_buyer", "p2"}, {"Tess Tech", "technical_buyer", "p3"}, {"Bo Business", "business_buyer", "p4"}} {
		n := strconv.Itoa(i)
		stake.Set("people."+n+".name", p[0])
		stake.Set("people."+n+".role", p[1])
		stake.Set("people."+n+".sentiment", "supporter")
	}
	med := url.Values{}
	for _, el := range handoff.MEDDPICCElements {
		med.Set("meddpicc."+el.Value+".status", "confirmed")
	}
	med.Set("meddpicc.decision_criteria.notes", "Time to value under 90 days; SSO; EU data residency.")
	if len(people) == 2 {
		med.Set("meddpicc.champion.person_id", people[0])
		med.Set("meddpicc.economic_buyer.person_id", people[1])
	}
	return map[handoff.DocKind]url.Values{
		handoff.DocStakeholders: stake,
		handoff.DocMEDDPICC:     med,
		handoff.DocPOC: {"summary": {"Ingest 3 sources into the lakehouse."}, "start_on": {"2026-10-01"}, "end_on": {"2026-10-20"},
			"rows": {"1"}, "criteria.0.promised": {"Load 1 TB in under an hour"}, "criteria.0.outcome": {"met"}},
		handoff.DocCommitments: {"rows": {"1"}, "items.0.kind": {"integration"}, "items.0.description": {"Workday connector"},
			"items.0.evidence": {"in_writing"}, "items.0.amount": {"40,000"}, "items.0.currency": {"usd"}, "items.0.due_on": {"2027-02-01"}},
		handoff.DocRisks: {"no_known_risks": {"1"}},
	}
}

// save posts a document form at the pack's current version.
func (e *packEnv) save(t *testing.T, c *servertest.Client, kind handoff.DocKind, form url.Values) *servertest.Response {
	t.Helper()
	path := e.path("/documents/" + string(kind))
	form = cloneValues(form)
	form.Set("version", version(t, c, path))
	return c.PostForm(path, form)
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// fillAll makes the pack complete through the real forms.
func (e *packEnv) fillAll(t *testing.T, c *servertest.Client) {
	t.Helper()
	forms := completeForms()
	if res := e.save(t, c, handoff.DocStakeholders, forms[handoff.DocStakeholders]); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("stakeholders = %d\n%s", res.StatusCode, res.Body)
	}
	// Champion and economic buyer are chosen from the saved map.
	doc := c.Get(e.path("/documents/meddpicc")).Doc()
	champ, _ := doc.Find(`select[name="meddpicc.champion.person_id"] option:contains("Carla")`).Attr("value")
	eb, _ := doc.Find(`select[name="meddpicc.economic_buyer.person_id"] option:contains("Evan")`).Attr("value")
	forms = completeForms(champ, eb)
	for _, k := range []handoff.DocKind{handoff.DocMEDDPICC, handoff.DocPOC, handoff.DocCommitments, handoff.DocRisks} {
		if res := e.save(t, c, k, forms[k]); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s = %d\n%s", k, res.StatusCode, res.Body)
		}
	}
}

func TestRecordDeal(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")

	t.Run("BadInputKeepsWhatWasTyped", func(t *testing.T) {
		res := sam.PostForm("/deals", url.Values{"account_name": {"Globex"}, "arr": {"12x"}, "closed_won_on": {"2099-01-01"},
			"se_id": {strconv.FormatInt(e.sam.ID, 10)}, "ae_email": {"not-an-email"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d", res.StatusCode)
		}
		doc := res.Doc()
		for _, f := range []string{"opportunity_name", "segment", "arr", "closed_won_on", "ae_email"} {
			if doc.Find("#f-"+f+"-error").Length() == 0 {
				t.Errorf("no message beside %s", f)
			}
		}
		if v, _ := doc.Find("#f-account_name").Attr("value"); v != "Globex" {
			t.Errorf("account lost: %q", v)
		}
		if v, _ := doc.Find("#f-arr").Attr("value"); v != "12x" {
			t.Errorf("ARR lost: %q", v)
		}
	})

	t.Run("ErrRecordingForAnotherSE", func(t *testing.T) {
		res := sam.PostForm("/deals", url.Values{"account_name": {"Globex"}, "opportunity_name": {"G"}, "segment": {"commercial"},
			"arr": {"1000"}, "closed_won_on": {"2026-11-20"}, "se_id": {strconv.FormatInt(e.priya.ID, 10)}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-se_id-error") == "" {
			t.Fatalf("status = %d, se error %q", res.StatusCode, res.Text("#f-se_id-error"))
		}
	})

	t.Run("CreatesDraftPackWithDueDate", func(t *testing.T) {
		res := sam.PostForm("/deals", url.Values{"account_name": {"Initech"}, "opportunity_name": {"Initech expansion"}, "segment": {"mid-market"},
			"arr": {"250,000"}, "currency": {"eur"}, "closed_won_on": {"2026-11-20"}, "crm_opportunity_id": {"006ABC"},
			"se_id": {strconv.FormatInt(e.sam.ID, 10)}, "sa_id": {strconv.FormatInt(e.alex.ID, 10)}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/packs/") {
			t.Fatalf("create = %d %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		page := sam.Get(res.Header.Get("Location"))
		if page.Text("[data-testid=pack-status]") != "Draft" {
			t.Errorf("status = %q", page.Text("[data-testid=pack-status]"))
		}
		// Friday 2026-11-20 + 5 US business days, skipping Thanksgiving 11-26.
		if due, _ := page.Doc().Find("[data-testid=clock-pack] time").Attr("datetime"); due != "2026-11-30" {
			t.Errorf("pack due = %q, want 2026-11-30", due)
		}
		if !strings.Contains(page.Text("[data-testid=history]"), "Recorded the deal") {
			t.Errorf("history = %q", page.Text("[data-testid=history]"))
		}
		dup := sam.PostForm("/deals", url.Values{"account_name": {"Initech"}, "opportunity_name": {"Again"}, "segment": {"mid-market"},
			"arr": {"1"}, "closed_won_on": {"2026-11-20"}, "crm_opportunity_id": {"006ABC"}, "se_id": {strconv.FormatInt(e.sam.ID, 10)}})
		if dup.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(dup.Text("#f-crm_opportunity_id-error"), "already exists") {
			t.Errorf("duplicate CRM id = %d %q", dup.StatusCode, dup.Text("#f-crm_opportunity_id-error"))
		}
	})

	t.Run("ManagerRecordsForAnySE", func(t *testing.T) {
		m := e.Login("morgan@example.com")
		res := m.PostForm("/deals", url.Values{"account_name": {"Umbrella"}, "opportunity_name": {"U"}, "segment": {"strategic"},
			"arr": {"1000000"}, "closed_won_on": {"2026-11-24"}, "se_id": {strconv.FormatInt(e.priya.ID, 10)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("manager create = %d\n%s", res.StatusCode, res.Body)
		}
		if !strings.Contains(e.Login("priya@example.com").Get("/packs").Text("[data-testid=my-packs]"), "Umbrella") {
			t.Error("Priya's My packs does not show the pack recorded for her")
		}
	})
}

func TestWhoSeesAPack(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	for email, want := range map[string]int{
		"sam@example.com": 200, "alex@example.com": 200, "morgan@example.com": 200, "ada@example.com": 200,
		"priya@example.com": 404, "jordan@example.com": 404,
	} {
		c := e.Login(email)
		for _, p := range []string{"", "/documents/meddpicc", "/documents/risks"} {
			if got := c.Get(e.path(p)).StatusCode; got != want {
				t.Errorf("%s GET %s = %d, want %d", email, e.path(p), got, want)
			}
		}
		if want == 404 {
			if got := c.PostForm(e.path("/submit"), url.Values{"version": {"1"}}).StatusCode; got != 404 {
				t.Errorf("%s POST submit = %d, want 404", email, got)
			}
		}
	}
	if got := e.Login("sam@example.com").Get("/packs/999999").StatusCode; got != 404 {
		t.Errorf("missing pack = %d", got)
	}
	// The SA reads the documents but gets no form.
	doc := e.Login("alex@example.com").Get(e.path("/documents/risks")).Doc()
	if doc.Find("form.doc-form").Length() != 0 || doc.Find("[data-testid=view-risks]").Length() != 1 {
		t.Error("the SA should see the risk log read-only")
	}
	if res := e.Login("alex@example.com").PostForm(e.path("/documents/risks"), url.Values{"no_known_risks": {"1"}, "version": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("SA saving a document = %d, want 404 (route is SE-only)", res.StatusCode)
	}
}

func TestSavingDocuments(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")

	t.Run("BadInputKeepsEveryValue", func(t *testing.T) {
		form := url.Values{"rows": {"2"},
			"items.0.kind": {"sla"}, "items.0.description": {"99.99% uptime"}, "items.0.evidence": {"in_contract"}, "items.0.amount": {"12,5x"}, "items.0.currency": {"USD"},
			"items.1.description": {"Custom SSO"}}
		res := e.save(t, sam, handoff.DocCommitments, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d", res.StatusCode)
		}
		doc := res.Doc()
		for _, f := range []string{"items.0.evidence_detail", "items.0.amount", "items.1.kind", "items.1.evidence"} {
			if doc.Find(`[id="f-`+f+`-error"]`).Length() != 1 {
				t.Errorf("no message beside %s", f)
			}
		}
		if v, _ := doc.Find(`[name="items.0.amount"]`).Attr("value"); v != "12,5x" {
			t.Errorf("typed amount lost: %q", v)
		}
		if v := doc.Find(`[name="items.1.description"]`).Text(); v != "Custom SSO" {
			t.Errorf("second row lost: %q", v)
		}
		docs, _, err := e.DB.Documents(context.Background(), e.sam, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs.Commitments.Items) != 0 {
			t.Error("an invalid ledger was stored")
		}
	})

	t.Run("AddAndRemoveRowsWithoutJavaScript", func(t *testing.T) {
		form := url.Values{"rows": {"1"}, "people.0.name": {"Carla"}, "people.0.role": {"champion"}, "action": {"add"}}
		res := e.save(t, sam, handoff.DocStakeholders, form)
		doc := res.Doc()
		if res.StatusCode != http.StatusOK || doc.Find("fieldset.row-set").Length() != 2 {
			t.Fatalf("add row = %d with %d rows", res.StatusCode, doc.Find("fieldset.row-set").Length())
		}
		if v, _ := doc.Find(`[name="people.0.name"]`).Attr("value"); v != "Carla" {
			t.Errorf("typed name lost on add: %q", v)
		}
		form = url.Values{"rows": {"2"}, "people.0.name": {"Carla"}, "people.0.role": {"champion"}, "people.1.name": {"Dan"}, "remove": {"0"}}
		doc = e.save(t, sam, handoff.DocStakeholders, form).Doc()
		if n := doc.Find("fieldset.row-set").Length(); n != 1 {
			t.Fatalf("rows after remove = %d", n)
		}
		if v, _ := doc.Find(`[name="people.0.name"]`).Attr("value"); v != "Dan" {
			t.Errorf("remaining row = %q, want Dan", v)
		}
	})

	t.Run("EachDocumentTurnsComplete", func(t *testing.T) {
		e.fillAll(t, sam)
		page := sam.Get(e.path(""))
		for _, k := range handoff.DocKinds {
			if got := page.Text("[data-testid=doc-" + string(k) + "] [data-testid=doc-state]"); got != "Complete" {
				t.Errorf("%s = %q, want Complete", k, got)
			}
		}
		docs, _, err := e.DB.Documents(context.Background(), e.sam, e.pack)
		if err != nil {
			t.Fatal(err)
		}
		if c := docs.Commitments.Items; len(c) != 1 || c[0].Value != (handoff.Money{Minor: 4_000_000, Currency: "USD"}) || c[0].ID == "" {
			t.Errorf("stored commitment = %+v", c)
		}
	})
}

func TestStaleSaveGetsConflictPage(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	tab1, tab2 := e.Login("sam@example.com"), e.Login("sam@example.com")
	path := e.path("/documents/risks")
	v := version(t, tab1, path)

	first := url.Values{"version": {v}, "rows": {"1"}, "items.0.category": {"other"}, "items.0.severity": {"low"}, "items.0.description": {"Saved first"}}
	if res := tab1.PostForm(path, first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save = %d", res.StatusCode)
	}
	second := url.Values{"version": {v}, "rows": {"1"}, "items.0.category": {"security_review"}, "items.0.severity": {"high"}, "items.0.description": {"Typed in the other tab"}}
	res := tab2.PostForm(path, second)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save = %d, want 409", res.StatusCode)
	}
	doc := res.Doc()
	if doc.Find("#conflict").Length() != 1 {
		t.Error("no conflict explanation")
	}
	if got := doc.Find(`[name="items.0.description"]`).Text(); got != "Typed in the other tab" {
		t.Errorf("the person's unsaved input = %q", got)
	}
	if !strings.Contains(doc.Find("[data-testid=saved-version]").Text(), "Saved first") {
		t.Error("the saved version is not shown beside it")
	}
	docs, _, err := e.DB.Documents(context.Background(), e.sam, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs.Risks.Items) != 1 || docs.Risks.Items[0].Description != "Saved first" {
		t.Fatal("the stale save overwrote the first one")
	}
	// Saving again from the conflict page is a deliberate overwrite.
	newV, _ := doc.Find(`input[name="version"]`).Attr("value")
	second.Set("version", newV)
	if res := tab2.PostForm(path, second); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deliberate re-save = %d", res.StatusCode)
	}
}

func TestSubmitting(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")

	res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete submit = %d", res.StatusCode)
	}
	if msg := res.Text("#submit-errors"); !strings.Contains(msg, "Name the champion") || !strings.Contains(msg, "Risk log") {
		t.Errorf("refusal does not list what is missing: %q", msg)
	}

	e.fillAll(t, sam)
	res = sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d\n%s", res.StatusCode, res.Body)
	}
	page := sam.Get(e.path(""))
	if page.Text("[data-testid=pack-status]") != "Submitted" {
		t.Errorf("status = %q", page.Text("[data-testid=pack-status]"))
	}
	if !strings.Contains(page.Text("[data-testid=history]"), "Submitted the pack as v1") {
		t.Errorf("history = %q", page.Text("[data-testid=history]"))
	}
	if page.Doc().Find(`form[action$="/submit"]`).Length() != 0 {
		t.Error("a submitted pack still offers Submit")
	}
	v1 := sam.Get(e.path("/versions/1"))
	if v1.StatusCode != http.StatusOK || !strings.Contains(v1.Text("[data-testid=view-commitments]"), "Workday connector") {
		t.Fatalf("v1 = %d %q", v1.StatusCode, v1.Text("[data-testid=view-commitments]"))
	}

	t.Run("SubmittedDocumentsCannotBeChanged", func(t *testing.T) {
		current := func() string {
			p, err := e.DB.Pack(context.Background(), e.sam, e.pack)
			if err != nil {
				t.Fatal(err)
			}
			return strconv.Itoa(p.Version)
		}
		for _, k := range handoff.DocKinds {
			form := url.Values{"version": {current()}, "no_known_risks": {"1"}, "summary": {"changed"}}
			if res := sam.PostForm(e.path("/documents/"+string(k)), form); res.StatusCode != http.StatusConflict {
				t.Errorf("save %s after submit = %d, want 409", k, res.StatusCode)
			}
		}
		if res := sam.PostForm(e.path("/submit"), url.Values{"version": {current()}}); res.StatusCode != http.StatusSeeOther ||
			!strings.Contains(sam.Get(res.Header.Get("Location")).Text(".flash"), "already submitted") {
			t.Errorf("double submit = %d", res.StatusCode)
		}
		var versions, submits int
		if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pack_versions WHERE pack_id = $1`, e.pack).Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pack_events WHERE pack_id = $1 AND kind = 'submitted'`, e.pack).Scan(&submits); err != nil {
			t.Fatal(err)
		}
		if versions != 1 || submits != 1 {
			t.Errorf("versions = %d, submitted events = %d; want exactly one each", versions, submits)
		}
		if _, err := e.DB.Pool.Exec(context.Background(), `UPDATE pack_versions SET documents = '{}' WHERE pack_id = $1`, e.pack); err == nil {
			t.Error("the database let a frozen version change")
		}
	})
}

func TestRemoveRowRemovesTheOneClicked(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	// Rows: [blank, Carla, Dan]; the person removes Carla (index 1).
	form := url.Values{"rows": {"3"}, "people.1.name": {"Carla"}, "people.2.name": {"Dan"}, "remove": {"1"}}
	doc := e.save(t, sam, handoff.DocStakeholders, form).Doc()
	var names []string
	doc.Find(`input[name$=".name"]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		names = append(names, v)
	})
	if strings.Join(names, ",") != ",Dan" {
		t.Errorf("rows after removing Carla = %q, want [blank, Dan]", names)
	}
	// Adding to a fresh page with its one blank row gives two rows.
	doc = e.save(t, sam, handoff.DocStakeholders, url.Values{"rows": {"1"}, "action": {"add"}}).Doc()
	if n := doc.Find("fieldset.row-set").Length(); n != 2 {
		t.Errorf("rows after adding to one blank row = %d, want 2", n)
	}
}

func TestUnstorableTextIsRepairedNotA500(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	res := e.save(t, sam, handoff.DocPOC, url.Values{"summary": {"pasted\x00from a PDF \xff here"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save with NUL and invalid UTF-8 = %d", res.StatusCode)
	}
	docs, _, err := e.DB.Documents(context.Background(), e.sam, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	if docs.POC.Summary != "pastedfrom a PDF \uFFFD here" {
		t.Errorf("stored summary = %q", docs.POC.Summary)
	}
	deal := sam.PostForm("/deals", url.Values{"account_name": {"Null\x00Corp"}, "opportunity_name": {"N"}, "segment": {"commercial"},
		"arr": {"1"}, "closed_won_on": {"2026-11-20"}, "se_id": {strconv.FormatInt(e.sam.ID, 10)}})
	if deal.StatusCode != http.StatusSeeOther {
		t.Errorf("deal with a NUL byte = %d", deal.StatusCode)
	}
	// A textarea at its limit as the browser counts it (a line break is one
	// character) is sent with CRLF breaks: it is saved, with LF breaks.
	atLimit := strings.TrimSuffix(strings.Repeat("abcd\r\n", handoff.MaxText/5), "\r\n") + "e"
	if res := e.save(t, sam, handoff.DocPOC, url.Values{"summary": {atLimit}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save of %d characters as the browser counts them = %d, want saved", handoff.MaxText, res.StatusCode)
	}
	if docs, _, err = e.DB.Documents(context.Background(), e.sam, e.pack); err != nil {
		t.Fatal(err)
	}
	if got := docs.POC.Summary; strings.Contains(got, "\r") || len([]rune(got)) != handoff.MaxText {
		t.Errorf("stored summary has %d characters (CR in it: %v), want %d with LF breaks", len([]rune(got)), strings.Contains(got, "\r"), handoff.MaxText)
	}
	big := sam.PostForm("/deals", url.Values{"account_name": {strings.Repeat("x", 2<<20)}})
	if big.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB form = %d, want 413", big.StatusCode)
	}
}
