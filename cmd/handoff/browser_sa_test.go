package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// formClient posts forms to the running program as a same-origin browser
// would; it sets up what a journey starts from, faster than clicking.
type formClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newFormClient(t *testing.T, base, email string) *formClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	fc := &formClient{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	if body := fc.post("/login", url.Values{"email": {email}, "password": {demo.Password}}); strings.Contains(body, "don't match") {
		t.Fatalf("login as %s failed", email)
	}
	return fc
}

// post submits form to path, follows the redirect and returns the final page.
func (fc *formClient) post(path string, form url.Values) string {
	fc.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, fc.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", fc.base)
	res, err := fc.c.Do(req)
	if err != nil {
		fc.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 400 {
		fc.t.Fatalf("POST %s = %d\n%s", path, res.StatusCode, b)
	}
	return string(b)
}

func (fc *formClient) get(path string) (string, string) {
	fc.t.Helper()
	res, err := fc.c.Get(fc.base + path)
	if err != nil {
		fc.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b), res.Request.URL.Path
}

var (
	versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)
	optionRe  = regexp.MustCompile(`<option value="([a-z0-9]+)"[^>]*>([^<]+) —`)
)

func (fc *formClient) version(path string) string {
	fc.t.Helper()
	body, _ := fc.get(path)
	m := versionRe.FindStringSubmatch(body)
	if m == nil {
		fc.t.Fatalf("no version on %s", path)
	}
	return m[1]
}

// saveDoc posts one document form at the pack's current version.
func (fc *formClient) saveDoc(pack, kind string, form url.Values) {
	fc.t.Helper()
	form.Set("version", fc.version(pack+"/documents/"+kind))
	fc.post(pack+"/documents/"+kind, form)
}

// submittedPack records a deal for Sam with Alex as SA, fills every document
// (with two commitments over the approval threshold) and submits v1.
func submittedPack(t *testing.T, base string) string {
	t.Helper()
	sam := newFormClient(t, base, "sam.se@example.com")
	ny, _ := time.LoadLocation("America/New_York")
	sam.post("/deals", url.Values{"account_name": {"Globex"}, "opportunity_name": {"Globex data platform"}, "segment": {"strategic"},
		"arr": {"900000"}, "closed_won_on": {time.Now().In(ny).AddDate(0, 0, -2).Format("2006-01-02")}, "se_id": {"3"}, "sa_id": {"5"}})
	_, pack := sam.get("/packs")
	body, _ := sam.get("/packs")
	m := regexp.MustCompile(`href="(/packs/\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no pack on My packs (%s)", pack)
	}
	pack = m[1]
	fillPack(t, sam, pack)
	sam.post(pack+"/submit", url.Values{"version": {sam.version(pack)}})
	if body, _ := sam.get(pack); !strings.Contains(body, "Submitted the pack as v1") {
		t.Fatal("setup: the pack did not submit")
	}
	return pack
}

// fillPack fills every document of pack as the SE sam, with two
// commitments over the approval threshold, so it is complete.
func fillPack(t *testing.T, sam *formClient, pack string) {
	t.Helper()
	sam.saveDoc(pack, "stakeholders", url.Values{"rows": {"4"},
		"people.0.name": {"Carla Champion"}, "people.0.role": {"champion"},
		"people.1.name": {"Evan Buyer"}, "people.1.role": {"economic_buyer"},
		"people.2.name": {"Tess Tech"}, "people.2.role": {"technical_buyer"},
		"people.3.name": {"Bo Business"}, "people.3.role": {"business_buyer"}})
	medPage, _ := sam.get(pack + "/documents/meddpicc")
	ids := map[string]string{}
	for _, o := range optionRe.FindAllStringSubmatch(medPage, -1) {
		ids[o[2]] = o[1]
	}
	med := url.Values{"meddpicc.champion.person_id": {ids["Carla Champion"]}, "meddpicc.economic_buyer.person_id": {ids["Evan Buyer"]},
		"meddpicc.decision_criteria.notes": {"SSO, EU residency, 90-day time to value"}}
	for _, el := range []string{"metrics", "economic_buyer", "decision_criteria", "decision_process", "paper_process", "identify_pain", "champion", "competition"} {
		med.Set("meddpicc."+el+".status", "confirmed")
	}
	sam.saveDoc(pack, "meddpicc", med)
	sam.saveDoc(pack, "poc", url.Values{"summary": {"Three sources into the lakehouse"}, "rows": {"1"},
		"criteria.0.promised": {"1 TB in an hour"}, "criteria.0.outcome": {"met"}})
	sam.saveDoc(pack, "commitments", url.Values{"rows": {"2"},
		"items.0.kind": {"integration"}, "items.0.description": {"Workday connector"}, "items.0.evidence": {"in_writing"}, "items.0.amount": {"40000"}, "items.0.currency": {"USD"},
		"items.1.kind": {"sla"}, "items.1.description": {"Custom SLA credits"}, "items.1.evidence": {"promised_verbally"},
		"items.1.evidence_detail": {"AE on the 11-03 call"}, "items.1.amount": {"30000"}, "items.1.currency": {"USD"}})
	sam.saveDoc(pack, "risks", url.Values{"no_known_risks": {"1"}})
}

// review opens a document as the SA and records a decision.
func review(t *testing.T, ctx context.Context, base, pack, kind, decision, reason string) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + pack + "/documents/" + kind),
		chromedp.WaitVisible(css(`#review`)),
		chromedp.Click(css(`input[name="decision"][value="` + decision + `"]`)),
	}
	if reason != "" {
		steps = append(steps, fill(`#f-reason`, reason))
	}
	steps = append(steps, browsertest.ClickAndWait(`#review button[type=submit]`))
	do(t, ctx, steps...)
}

// The SA's journey of issue 5 in a real browser.
func TestBrowserSAJourney(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	pack := submittedPack(t, base)

	alex := browsertest.New(t)
	login(t, alex, base, "alex.sa@example.com", demo.Password)
	if h1 := text(t, alex, "main h1"); h1 != "Inbox" {
		t.Fatalf("SA home = %q", h1)
	}
	if g := text(t, alex, `[data-testid="section-needs"]`); !strings.Contains(g, "Globex") || !strings.Contains(g, "Review") {
		t.Fatalf("the submitted pack does not need the SA's review in the inbox: %q", g)
	}

	// Return the stakeholder map with a reason.
	review(t, alex, base, pack, "stakeholders", "returned", "Add the CISO: she signs the security review.")
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Changes requested" {
		t.Fatalf("status after returning = %q", got)
	}

	// The SE sees which document and why, fixes it and resubmits v2.
	sam := browsertest.NewTab(t, alex)
	login(t, sam, base, "sam.se@example.com", demo.Password)
	do(t, sam, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`[data-testid="doc-stakeholders"]`)))
	if rv := text(t, sam, `[data-testid="doc-stakeholders"] [data-testid="doc-review"]`); !strings.Contains(rv, "Add the CISO") {
		t.Fatalf("the SE does not see why: %q", rv)
	}
	if n, _ := chromedp.Run(sam, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="doc-meddpicc"] a.button').length`)); n != 0 {
		t.Error("the SE may edit a document the SA did not return")
	}
	do(t, sam,
		browsertest.ClickAndWait(`[data-testid="doc-stakeholders"] a.button`),
		browsertest.ClickAndWait(`button[value="add"]`),
		fill(`[name="people.4.name"]`, "Cleo Ciso"),
		fill(`[name="people.4.title"]`, "CISO"),
		choose(`[name="people.4.role"]`, "technical_buyer"),
		browsertest.ClickAndWait(`.form-actions button[value="save"]`),
		browsertest.ClickAndWait(`form[action$="/submit"] button`),
	)
	if got := text(t, sam, `[data-testid="pack-status"]`); got != "Submitted" {
		t.Fatalf("status after resubmitting = %q", got)
	}

	// The SA compares v1 and v2 field by field.
	do(t, alex, chromedp.Navigate(base+pack), browsertest.ClickAndWait(`.compare-form button`))
	if changes := text(t, alex, `[data-testid="changes"]`); !strings.Contains(changes, "Cleo Ciso") || !strings.Contains(changes, "Added") {
		t.Fatalf("compare v1→v2 = %q", changes)
	}

	// Accept every document; the stakeholder map with a question.
	for _, k := range []string{"meddpicc", "poc", "commitments", "risks"} {
		review(t, alex, base, pack, k, "accepted", "")
	}
	do(t, alex,
		chromedp.Navigate(base+pack+"/documents/stakeholders"),
		chromedp.WaitVisible(css(`#review`)),
		chromedp.Click(css(`input[name="decision"][value="accepted_with_questions"]`)),
		fill(`#f-questions`, "Is the CISO in the kickoff invite?"),
		browsertest.ClickAndWait(`#review button[type=submit]`),
	)

	// Acknowledging is refused while big commitments are undecided.
	if b := text(t, alex, `[data-testid="ack-blockers"]`); !strings.Contains(b, "Custom SLA credits") || !strings.Contains(b, "Workday connector") {
		t.Fatalf("acknowledge blockers = %q", b)
	}

	// Veto one big commitment with a reason, approve the other.
	do(t, alex, chromedp.Navigate(base+pack+"/documents/commitments"), chromedp.WaitVisible(css(`.decision`)))
	ids, err := chromedp.Run(alex, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.decision')].map(d => d.dataset.testid.replace('decide-', '') + '|' + d.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ids {
		id, txt, _ := strings.Cut(d, "|")
		if strings.Contains(txt, "Custom SLA credits") {
			do(t, alex, fill(`#veto-`+id, "Credits beyond 10% need finance sign-off; not sold."),
				browsertest.ClickAndWait(`[data-testid="decide-`+id+`"] button[value="veto"]`))
		} else {
			do(t, alex, browsertest.ClickAndWait(`[data-testid="decide-`+id+`"] button[value="approve"]`))
		}
	}
	if got := text(t, alex, `main`); !strings.Contains(got, "Vetoed") || !strings.Contains(got, "Approved") {
		t.Fatalf("decisions not shown: %q", got)
	}

	// Acknowledge with today's kickoff date.
	ny, _ := time.LoadLocation("America/New_York")
	today := time.Now().In(ny).Format("2006-01-02")
	do(t, alex, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`#f-kickoff_on`)))
	// The stakeholder question is still open, so acknowledging asks first.
	if q := text(t, alex, `[data-testid="open-questions"]`); !strings.Contains(q, "1 question is unanswered — acknowledge anyway?") {
		t.Fatalf("open questions = %q", q)
	}
	do(t, alex, choose(`#f-kickoff_on`, today),
		chromedp.Click(css(`[name="confirm_open"]`)),
		browsertest.ClickAndWait(`#acknowledge button[type=submit]`))
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Acknowledged" {
		t.Fatalf("status after acknowledging = %q", got)
	}
	if k := text(t, alex, `[data-testid="clock-kickoff"]`); !strings.Contains(k, "Done") {
		t.Errorf("kickoff clock = %q, want done", k)
	}

	// The reference architecture: the lock is refused without the sign-off.
	do(t, alex, browsertest.ClickAndWait(`[data-testid="arch-link"]`),
		fill(`#f-doc_link`, "https://wiki.globex.example/arch"),
		fill(`[name="diagrams.notes"]`, "Context and container diagrams"),
		fill(`[name="data_flows.notes"]`, "CDC from Oracle into the lakehouse"),
		fill(`[name="identity.notes"]`, "Okta SSO, SCIM provisioning, 4 RBAC roles"),
		fill(`[name="integrations.notes"]`, "Workday, Salesforce, Snowflake"),
		fill(`[name="scale.notes"]`, "2 TB/day now, 10 TB/day in 18 months"),
	)
	do(t, alex, closeMatrix(t, alex)...)
	do(t, alex,
		browsertest.ClickAndWait(`form[action$="/architecture"] button[type=submit]`),
		browsertest.ClickAndWait(`[data-testid="lock-button"]`),
	)
	if msg := text(t, alex, `#lock-error`); !strings.Contains(msg, "sign-off") {
		t.Fatalf("lock without sign-off: %q", msg)
	}
	do(t, alex,
		fill(`#f-sign_off_name`, "Rita Architect"),
		fill(`#f-sign_off_title`, "Enterprise Architect"),
		choose(`#f-sign_off_on`, today),
		browsertest.ClickAndWait(`form[action$="/architecture"] button[type=submit]`),
		browsertest.ClickAndWait(`[data-testid="lock-button"]`),
		browsertest.ClickAndWait(`[data-testid="lock-confirm-button"]`),
		chromedp.Navigate(base+pack),
	)
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Architecture locked" {
		t.Fatalf("status after locking = %q", got)
	}
	for _, c := range []string{"pack", "kickoff", "lock"} {
		if k := text(t, alex, `[data-testid="clock-`+c+`"]`); !strings.Contains(k, "Done") {
			t.Errorf("%s clock = %q, want done with its date", c, k)
		}
	}
	if h := text(t, alex, `[data-testid="history"]`); !strings.Contains(h, "Vetoed the commitment") || !strings.Contains(h, "Returned the Stakeholder map") || !strings.Contains(h, "Locked the reference architecture") {
		t.Errorf("timeline = %q", h)
	}
}
