package main

import (
	"context"
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

// The flows of issue 12 in a real browser: the lock's confirmation, the
// return loop, acknowledging with open questions, and correcting a deal.

// nyToday is the demo org's today.
func nyToday() string {
	ny, _ := time.LoadLocation("America/New_York")
	return time.Now().In(ny).Format("2006-01-02")
}

// value reads the current value of the form field sel.
func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Value(css(sel)))
	if err != nil {
		t.Fatalf("read the value of %s: %v", sel, err)
	}
	return v
}

var decideRe = regexp.MustCompile(`action="(/packs/\d+/commitments/[^"/]+/decide)"`)

// reviewedPack is submittedPack with every document decided by Alex (the
// stakeholder map with questions, when asked) and both big commitments
// approved: ready to acknowledge.
func reviewedPack(t *testing.T, base string, questions string) (pack string, alex *formClient) {
	t.Helper()
	pack = submittedPack(t, base)
	alex = newFormClient(t, base, "alex.sa@example.com")
	for _, k := range []string{"meddpicc", "poc", "commitments", "risks", "stakeholders"} {
		form := url.Values{"version": {"1"}, "decision": {"accepted"}}
		if k == "stakeholders" && questions != "" {
			form.Set("decision", "accepted_with_questions")
			form.Set("questions", questions)
		}
		alex.post(pack+"/documents/"+k+"/review", form)
	}
	ledger, _ := alex.get(pack + "/documents/commitments")
	for _, m := range decideRe.FindAllStringSubmatch(ledger, -1) {
		alex.post(m[1], url.Values{"version": {"1"}, "decision": {"approve"}})
	}
	return pack, alex
}

// acknowledgedInBrowser serves the demo org, takes a new pack of Sam's to
// the kickoff (every document accepted, both big commitments approved) and
// signs its SA in to a browser.
func acknowledgedInBrowser(t *testing.T) (base, pack string, alex context.Context) {
	t.Helper()
	base = mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"}).URL
	pack, alexForms := reviewedPack(t, base, "")
	alexForms.post(pack+"/acknowledge", url.Values{"version": {"1"}, "kickoff_on": {nyToday()}})
	alex = browsertest.New(t)
	login(t, alex, base, "alex.sa@example.com", demo.Password)
	return base, pack, alex
}

// Locking is final: Lock saves what is on the form, a refused lock keeps
// every field, and the lock happens only once the SA confirms what freezes.
func TestBrowserLockConfirmsAndNeverLosesTheArchitecture(t *testing.T) {
	t.Parallel()
	base, pack, alex := acknowledgedInBrowser(t)
	parts := map[string]string{
		"diagrams.notes":     "Context and container diagrams",
		"data_flows.notes":   "CDC from Oracle into the lakehouse",
		"identity.notes":     "Okta SSO, SCIM provisioning, 4 RBAC roles",
		"integrations.notes": "Workday, Salesforce, Snowflake",
		"scale.notes":        "2 TB/day now, 10 TB/day in 18 months",
	}
	// Every part typed, nothing saved, the sign-off date forgotten: Lock.
	do(t, alex, chromedp.Navigate(base+pack+"/architecture"), chromedp.WaitVisible(css(`#f-doc_link`)))
	steps := append([]chromedp.Action[chromedp.Void]{fill(`#f-doc_link`, "https://wiki.globex.example/arch")}, closeMatrix(t, alex)...)
	for name, v := range parts {
		steps = append(steps, fill(`[name="`+name+`"]`, v))
	}
	steps = append(steps, fill(`#f-sign_off_name`, "Rita Architect"), fill(`#f-sign_off_title`, "Enterprise Architect"),
		browsertest.ClickAndWait(`[data-testid="lock-button"]`))
	do(t, alex, steps...)
	if msg := text(t, alex, `#lock-error`); !strings.Contains(msg, "sign-off") {
		t.Fatalf("refused lock says %q", msg)
	}
	for name, v := range parts {
		if got := value(t, alex, `[name="`+name+`"]`); got != v {
			t.Errorf("after the refused lock %s = %q, want %q", name, got, v)
		}
	}
	if got := value(t, alex, `#f-sign_off_name`); got != "Rita Architect" {
		t.Errorf("after the refused lock the sign-off name = %q", got)
	}
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Acknowledged" {
		t.Fatalf("status after a refused lock = %q", got)
	}

	// The date, then Lock again: a confirmation naming what freezes.
	do(t, alex, choose(`#f-sign_off_on`, nyToday()), browsertest.ClickAndWait(`[data-testid="lock-button"]`))
	sum := text(t, alex, `[data-testid="lock-summary"]`)
	for _, want := range []string{"Diagrams: notes", "Scale plan: notes", "Rita Architect (Enterprise Architect) on " + nyToday(), "Locked by: Alex Chen"} {
		if !strings.Contains(sum, want) {
			t.Errorf("what will be frozen = %q, want %q in it", sum, want)
		}
	}
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Acknowledged" {
		t.Fatalf("status before confirming = %q", got)
	}
	do(t, alex, browsertest.ClickAndWait(`[data-testid="lock-confirm-button"]`))
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Architecture locked" {
		t.Fatalf("status after confirming = %q", got)
	}
	do(t, alex, chromedp.Navigate(base+pack+"/architecture"), chromedp.WaitVisible(css(`[data-testid="arch-view"]`)))
	view := text(t, alex, `[data-testid="arch-view"]`)
	for _, v := range parts {
		if !strings.Contains(view, v) {
			t.Errorf("the locked architecture lost %q: %q", v, view)
		}
	}
}

// The return loop: the SE sees why, and an unchanged document goes back only
// with a reply, which the SA then reads.
func TestBrowserReturnLoopNeedsAChangeOrAReply(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	pack := submittedPack(t, base)
	alex := browsertest.New(t)
	login(t, alex, base, "alex.sa@example.com", demo.Password)
	review(t, alex, base, pack, "risks", "returned", "Name the security review: it is open at the customer.")

	sam := browsertest.NewTab(t, alex)
	login(t, sam, base, "sam.se@example.com", demo.Password)
	do(t, sam, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`[data-testid="doc-risks"]`)))
	if got := docState(t, sam, "risks"); got != "Returned" {
		t.Errorf("badge beside the returned risk log = %q, want Returned", got)
	}
	do(t, sam, browsertest.ClickAndWait(`[data-testid="doc-risks"] a.button`))
	if got := text(t, sam, `[data-testid="returned-reason"]`); !strings.Contains(got, "Name the security review") {
		t.Errorf("the edit form shows the reason as %q", got)
	}

	// Back on the pack, resubmitting the unchanged log is refused.
	do(t, sam, chromedp.Navigate(base+pack), browsertest.ClickAndWait(`form[action$="/submit"] button`))
	if msg := text(t, sam, `#resubmit-error`); !strings.Contains(msg, "the Risk log is unchanged since the SA returned it") {
		t.Fatalf("unchanged resubmit says %q", msg)
	}
	if got := text(t, sam, `[data-testid="pack-status"]`); got != "Changes requested" {
		t.Fatalf("status after the refusal = %q", got)
	}
	// A reply saying why it stands lets it go.
	reply := "The security review closed on the 11-20 call; nothing open remains."
	do(t, sam, fill(`[name="reply.risks"]`, reply), browsertest.ClickAndWait(`form[action$="/submit"] button`))
	if got := text(t, sam, `[data-testid="pack-status"]`); got != "Submitted" {
		t.Fatalf("status after resubmitting with a reply = %q", got)
	}

	do(t, alex, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`[data-testid="doc-risks"]`)))
	if got := text(t, alex, `[data-testid="doc-risks"] [data-testid="doc-reply"]`); !strings.Contains(got, reply) {
		t.Errorf("the SA reads the reply as %q", got)
	}
	if h := text(t, alex, `[data-testid="history"]`); !strings.Contains(h, "Replied to the return of the Risk log: "+reply) {
		t.Errorf("history = %q", h)
	}
}

// Acknowledging with questions still open asks the SA to say so, and the
// history keeps how many were open.
func TestBrowserAcknowledgeWithOpenQuestions(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	pack, _ := reviewedPack(t, base, "Is the CISO in the kickoff invite?\nWho signs the DPA?")

	alex := browsertest.New(t)
	login(t, alex, base, "alex.sa@example.com", demo.Password)
	do(t, alex, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`#f-kickoff_on`)))
	if q := text(t, alex, `[data-testid="open-questions"]`); !strings.Contains(q, "2 questions are unanswered — acknowledge anyway?") {
		t.Fatalf("the acknowledge box says %q", q)
	}
	do(t, alex, choose(`#f-kickoff_on`, nyToday()), browsertest.ClickAndWait(`#acknowledge button[type=submit]`))
	if msg := text(t, alex, `#f-confirm_open-error`); !strings.Contains(msg, "2 questions are unanswered") {
		t.Fatalf("acknowledging without confirming says %q", msg)
	}
	if got := value(t, alex, `#f-kickoff_on`); got != nyToday() {
		t.Errorf("the kickoff date came back as %q", got)
	}
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Submitted" {
		t.Fatalf("status = %q", got)
	}
	do(t, alex, chromedp.Click(css(`[name="confirm_open"]`)), browsertest.ClickAndWait(`#acknowledge button[type=submit]`))
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Acknowledged" {
		t.Fatalf("status after acknowledging anyway = %q", got)
	}
	if h := text(t, alex, `[data-testid="history"]`); !strings.Contains(h, "with 2 unanswered questions") {
		t.Errorf("history = %q", h)
	}
}

// A deal's facts are corrected on a form with every field prefilled: bad
// input comes back as typed, amounts take what people type, and after
// submission a manager's correction shows to the SA.
func TestBrowserCorrectDealFacts(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	sam := browsertest.New(t)
	login(t, sam, base, "sam.se@example.com", demo.Password)
	ny, _ := time.LoadLocation("America/New_York")
	closedWon := time.Now().In(ny).AddDate(0, 0, -1).Format("2006-01-02")
	do(t, sam,
		chromedp.Navigate(base+"/deals/new"), chromedp.WaitVisible(css("#f-account_name")),
		fill("#f-account_name", "Initech"), fill("#f-opportunity_name", "Initech TPS"),
		choose("#f-segment", "commercial"), choose("#f-closed_won_on", closedWon), fill("#f-arr", "90000"), choose("#f-sa_id", "5"),
		browsertest.ClickAndWait(`form[action="/deals"] button[type=submit]`),
	)
	pack := strings.TrimPrefix(location(t, sam), base)

	do(t, sam, browsertest.ClickAndWait(`[data-testid="correct-deal"]`))
	if got := value(t, sam, "#f-account_name"); got != "Initech" {
		t.Fatalf("account prefilled with %q", got)
	}
	if got := value(t, sam, "#f-arr"); got != "90000" {
		t.Fatalf("ARR prefilled with %q", got)
	}
	// A shorthand amount and a future date come back as typed.
	do(t, sam,
		chromedp.Clear(css("#f-arr")), fill("#f-arr", "180k"),
		chromedp.Clear(css("#f-account_name")), fill("#f-account_name", "Initech Inc."),
		choose("#f-closed_won_on", "2099-01-01"),
		browsertest.ClickAndWait(`[data-testid="deal-form"] button[type=submit]`),
	)
	if msg := text(t, sam, "#f-arr-error"); !strings.Contains(msg, "Write the amount in full") {
		t.Errorf("ARR message = %q", msg)
	}
	if msg := text(t, sam, "#f-closed_won_on-error"); !strings.Contains(msg, "future") {
		t.Errorf("Closed-Won message = %q", msg)
	}
	if got := value(t, sam, "#f-account_name"); got != "Initech Inc." {
		t.Errorf("the typed account came back as %q", got)
	}
	// As people type amounts: "$180,000".
	do(t, sam,
		chromedp.Clear(css("#f-arr")), fill("#f-arr", "$180,000"),
		choose("#f-closed_won_on", closedWon),
		browsertest.ClickAndWait(`[data-testid="deal-form"] button[type=submit]`),
	)
	if got := text(t, sam, "main h1"); !strings.HasPrefix(got, "Initech Inc.") {
		t.Fatalf("after the correction, h1 = %q", got)
	}
	if h := text(t, sam, `[data-testid="history"]`); !strings.Contains(h, "ARR USD 90,000.00 → USD 180,000.00") ||
		!strings.Contains(h, "account Initech → Initech Inc.") {
		t.Errorf("history = %q", h)
	}

	// After submission the SE no longer corrects; a manager does, and the SA
	// sees it on the pack.
	samForms := newFormClient(t, base, "sam.se@example.com")
	fillPack(t, samForms, pack)
	samForms.post(pack+"/submit", url.Values{"version": {samForms.version(pack)}})
	do(t, sam, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`[data-testid="pack-status"]`)))
	if n, _ := chromedp.Run(sam, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="correct-deal"]').length`)); n != 0 {
		t.Error("the SE is offered a correction after submission")
	}
	morgan := browsertest.NewTab(t, sam)
	login(t, morgan, base, "manager@example.com", demo.Password)
	do(t, morgan, chromedp.Navigate(base+pack), browsertest.ClickAndWait(`[data-testid="correct-deal"]`),
		chromedp.Clear(css("#f-csm_name")), fill("#f-csm_name", "Casey Csm"),
		browsertest.ClickAndWait(`[data-testid="deal-form"] button[type=submit]`))
	alex := browsertest.NewTab(t, sam)
	login(t, alex, base, "alex.sa@example.com", demo.Password)
	do(t, alex, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`[data-testid="corrections"]`)))
	if got := text(t, alex, `[data-testid="corrections"]`); !strings.Contains(got, "CSM none → Casey Csm") || !strings.Contains(got, "Morgan Lee") {
		t.Errorf("the SA's notice = %q", got)
	}
}
