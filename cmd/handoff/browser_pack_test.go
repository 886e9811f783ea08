package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// fill types into a text field or textarea.
func fill(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(css(sel), value)
}

// choose sets a select (or date input) to value.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(css(sel), value)
}

// inView reports whether the element with id is (at least partly) on screen.
func inView(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const el = document.getElementById("`+id+`");
		if (!el) return false; const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight; })()`))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// docState reads a document's complete / to-do badge on the pack page.
func docState(t *testing.T, ctx context.Context, kind string) string {
	t.Helper()
	return text(t, ctx, `[data-testid="doc-`+kind+`"] [data-testid="doc-state"]`)
}

// The SE's journey of issue 4 in a real browser: record a deal, fill all five
// documents (adding rows without JavaScript), watch each turn complete,
// submit, and read v1 with its history.
func TestBrowserSEFillsAndSubmitsAPack(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	ctx := browsertest.New(t)
	login(t, ctx, base, "sam.se@example.com", demo.Password)

	ny, _ := time.LoadLocation("America/New_York")
	closedWon := time.Now().In(ny).AddDate(0, 0, -1).Format("2006-01-02")

	// Record the deal.
	do(t, ctx,
		browsertest.ClickAndWait(`main a[href="/deals/new"]`),
		fill("#f-account_name", "Acme Corp"),
		fill("#f-opportunity_name", "Acme platform"),
		choose("#f-segment", "enterprise"),
		choose("#f-closed_won_on", closedWon),
		fill("#f-arr", "120000"),
		choose("#f-sa_id", "5"),
		fill("#f-ae_name", "Dana Okafor"),
		browsertest.ClickAndWait(`form[action="/deals"] button[type=submit]`),
	)
	if h1 := text(t, ctx, "main h1"); !strings.HasPrefix(h1, "Acme Corp") {
		t.Fatalf("after recording, h1 = %q", h1)
	}
	packURL := location(t, ctx)
	// The documents in the order they are filled: the map first, since the
	// scorecard names people from it.
	order, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("li.doc")].map(li => li.dataset.testid.replace("doc-", ""))`))
	if want := []string{"stakeholders", "meddpicc", "poc", "commitments", "risks"}; err != nil || strings.Join(order, ",") != strings.Join(want, ",") {
		t.Fatalf("documents on the pack page: %v (%v), want %v", order, err, want)
	}
	for _, k := range order {
		if got := docState(t, ctx, k); got == "Complete" {
			t.Fatalf("%s is complete on a new pack", k)
		}
	}

	// Stakeholder map: four people, adding rows with the form's own button.
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="doc-stakeholders"] h3 a`))
	people := [][2]string{{"Carla Champion", "champion"}, {"Evan Buyer", "economic_buyer"}, {"Tess Tech", "technical_buyer"}, {"Bo Business", "business_buyer"}}
	for i, p := range people {
		n := string(rune('0' + i))
		if i > 0 {
			do(t, ctx, browsertest.ClickAndWait(`button[value="add"]`))
			// The page comes back at the new row, not at its top.
			if loc := location(t, ctx); !strings.HasSuffix(loc, "#row-"+n) || !inView(t, ctx, "row-"+n) {
				t.Errorf("after adding person %d the page is at %s with the row out of view", i+1, loc)
			}
		}
		do(t, ctx, fill(`[name="people.`+n+`.name"]`, p[0]), choose(`[name="people.`+n+`.role"]`, p[1]), choose(`[name="people.`+n+`.sentiment"]`, "supporter"))
	}
	do(t, ctx, browsertest.ClickAndWait(`.form-actions button[value="save"]`))
	if got := docState(t, ctx, "stakeholders"); got != "Complete" {
		t.Fatalf("stakeholder map = %q after saving four people", got)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "#flash") || !inView(t, ctx, "flash") {
		t.Errorf("after saving, the page is at %s with the confirmation out of view", loc)
	}

	// MEDDPICC: every status, champion and economic buyer from the map.
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="doc-meddpicc"] h3 a`))
	for _, el := range []string{"metrics", "economic_buyer", "decision_criteria", "decision_process", "paper_process", "identify_pain", "champion", "competition"} {
		do(t, ctx, choose(`[name="meddpicc.`+el+`.status"]`, "confirmed"))
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const pick = (name, who) => { const s = document.querySelector('[name="' + name + '"]');
			s.value = [...s.options].find(o => o.text.startsWith(who)).value; return true; };
		return pick("meddpicc.champion.person_id", "Carla") && pick("meddpicc.economic_buyer.person_id", "Evan"); })()`)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		fill(`[name="meddpicc.decision_criteria.notes"]`, "Time to value under 90 days; SSO; EU data residency."),
		browsertest.ClickAndWait(`.form-actions button[value="save"]`),
	)
	if got := docState(t, ctx, "meddpicc"); got != "Complete" {
		t.Fatalf("MEDDPICC = %q", got)
	}

	// POC scope and outcomes.
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="doc-poc"] h3 a`),
		fill(`[name="summary"]`, "Ingest three sources into the lakehouse."),
		fill(`[name="criteria.0.promised"]`, "Load 1 TB in under an hour"),
		fill(`[name="criteria.0.demonstrated"]`, "Loaded 1.2 TB in 41 minutes"),
		choose(`[name="criteria.0.outcome"]`, "met"),
		browsertest.ClickAndWait(`.form-actions button[value="save"]`),
	)
	if got := docState(t, ctx, "poc"); got != "Complete" {
		t.Fatalf("POC = %q", got)
	}

	// Commitments: one promise with its evidence and value.
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="doc-commitments"] h3 a`),
		choose(`[name="items.0.kind"]`, "integration"),
		choose(`[name="items.0.evidence"]`, "in_writing"),
		fill(`[name="items.0.description"]`, "Workday connector by go-live"),
		fill(`[name="items.0.amount"]`, "40,000"),
		fill(`[name="items.0.currency"]`, "USD"),
		browsertest.ClickAndWait(`.form-actions button[value="save"]`),
	)
	if got := docState(t, ctx, "commitments"); got != "Complete" {
		t.Fatalf("commitments = %q", got)
	}

	// Risk log.
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="doc-risks"] h3 a`),
		choose(`[name="items.0.category"]`, "security_review"),
		choose(`[name="items.0.severity"]`, "medium"),
		fill(`[name="items.0.description"]`, "Pen-test findings waived until Q2"),
		browsertest.ClickAndWait(`.form-actions button[value="save"]`),
	)
	for _, k := range []string{"meddpicc", "poc", "commitments", "stakeholders", "risks"} {
		if got := docState(t, ctx, k); got != "Complete" {
			t.Errorf("%s = %q before submitting", k, got)
		}
	}

	// Submit, then read v1 and its history.
	do(t, ctx, browsertest.ClickAndWait(`form[action$="/submit"] button`))
	if got := text(t, ctx, `[data-testid="pack-status"]`); got != "Submitted" {
		t.Fatalf("status after submit = %q", got)
	}
	if h := text(t, ctx, `[data-testid="history"]`); !strings.Contains(h, "Submitted the pack as v1") || !strings.Contains(h, "Saved the Risk log") {
		t.Errorf("history = %q", h)
	}
	do(t, ctx, browsertest.ClickAndWait(`a[href$="/versions/1"]`))
	if got := text(t, ctx, `[data-testid="view-commitments"]`); !strings.Contains(got, "Workday connector by go-live") || !strings.Contains(got, "USD 40,000.00") {
		t.Errorf("v1 commitments = %q", got)
	}
	if !strings.HasPrefix(location(t, ctx), packURL+"/versions/1") {
		t.Errorf("v1 URL = %s", location(t, ctx))
	}
}
