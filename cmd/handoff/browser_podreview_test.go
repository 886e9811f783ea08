package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
)

// lockInBrowser locks the architecture of pack (acknowledged, its SA signed
// in as alex) through the architecture form and its confirmation.
func lockInBrowser(t *testing.T, alex context.Context, base, pack string) {
	t.Helper()
	do(t, alex, chromedp.Navigate(base+pack+"/architecture"), chromedp.WaitVisible(css(`#f-doc_link`)))
	steps := append([]chromedp.Action[chromedp.Void]{fill(`#f-doc_link`, "https://wiki.globex.example/arch")}, closeMatrix(t, alex)...)
	for _, part := range []string{"diagrams", "data_flows", "identity", "integrations", "scale"} {
		steps = append(steps, fill(`[name="`+part+`.notes"]`, "Agreed at the design review: "+part))
	}
	steps = append(steps, fill(`#f-sign_off_name`, "Rita Architect"), fill(`#f-sign_off_title`, "Enterprise Architect"),
		choose(`#f-sign_off_on`, nyToday()), browsertest.ClickAndWait(`[data-testid="lock-button"]`),
		browsertest.ClickAndWait(`[data-testid="lock-confirm-button"]`))
	do(t, alex, steps...)
	do(t, alex, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`[data-testid="pack-status"]`)))
	if got := text(t, alex, `[data-testid="pack-status"]`); got != "Architecture locked" {
		t.Fatalf("status after the lock = %q", got)
	}
}

// The quarterly pod review in a real browser: the SA of a strategic account
// (the Globex deal is in the strategic segment) locks its architecture, which
// starts the pod review clock; records a review from the pack page, adding a
// lever row and fixing a refused form without retyping anything; reads it in
// the history. The manager finds the account on Strategic under its
// posture. axe-core checks every page.
func TestBrowserPodReview(t *testing.T) {
	t.Parallel()
	base, pack, alex := acknowledgedInBrowser(t)
	lockInBrowser(t, alex, base, pack)
	if card := text(t, alex, `[data-testid="pod-card"]`); !strings.Contains(card, "Strategic account by its segment") || !strings.Contains(card, "No pod review recorded yet") {
		t.Fatalf("the pod card after the lock = %q", card)
	}

	ny, _ := time.LoadLocation("America/New_York")
	renewal := time.Now().In(ny).AddDate(0, 7, 0).Format("2006-01-02")
	do(t, alex, browsertest.ClickAndWait(`[data-testid="pod-record-link"]`))
	if got := value(t, alex, `#f-held_on`); got != nyToday() {
		t.Errorf("held on starts at %q, want today %s", got, nyToday())
	}
	do(t, alex,
		chromedp.Click(css(`input[name="attendees"][value="SE"]`)),
		chromedp.Click(css(`input[name="attendees"][value="SA"]`)),
		chromedp.Click(css(`input[name="champion.changed"][value="yes"]`)),
		choose(`[name="champion.person"]`, "new"),
		fill(`[name="champion.name"]`, "Nadia New"),
		fill(`[name="champion.title"]`, "CIO"),
		fill(`[name="levers.0"]`, "A second region in the EU"),
		browsertest.ClickAndWait(`[data-testid="add-lever"]`),
	)
	if got := value(t, alex, `[name="levers.0"]`); got != "A second region in the EU" {
		t.Fatalf("after + Add another lever 0 = %q", got)
	}
	if got := value(t, alex, `[name="champion.name"]`); got != "Nadia New" {
		t.Errorf("after + Add another the new Champion = %q", got)
	}
	// Everything but the posture: refused, nothing lost.
	do(t, alex,
		fill(`[name="levers.1"]`, "Support for 2,000 more agents"),
		fill(`[name="risks.0.description"]`, "EU data residency audit in Q3"),
		choose(`[name="risks.0.severity"]`, "high"),
		choose(`#f-renewal_on`, renewal),
		fill(`[name="steps.0.what"]`, "Send the EU sizing"),
		fill(`[name="steps.0.owner"]`, "Alex Chen"),
		browsertest.ClickAndWait(`[data-testid="pod-review-save"]`),
	)
	if msg := text(t, alex, `[id="f-posture-error"]`); !strings.Contains(msg, "on track, at risk or in danger") {
		t.Fatalf("a review without a posture says %q", msg)
	}
	for sel, want := range map[string]string{`[name="levers.1"]`: "Support for 2,000 more agents", `[name="risks.0.description"]`: "EU data residency audit in Q3",
		`[name="steps.0.owner"]`: "Alex Chen", `#f-renewal_on`: renewal} {
		if got := value(t, alex, sel); got != want {
			t.Errorf("after the refusal %s = %q, want %q", sel, got, want)
		}
	}
	do(t, alex, chromedp.Click(css(`input[name="posture"][value="at_risk"]`)), browsertest.ClickAndWait(`[data-testid="pod-review-save"]`))
	if loc := location(t, alex); !strings.HasSuffix(loc, pack+"/reviews") {
		t.Fatalf("after recording the SA is on %s", loc)
	}
	if got := text(t, alex, `.flash-success`); !strings.Contains(got, "Pod review of "+nyToday()+" recorded: renewal at risk") {
		t.Errorf("flash = %q", got)
	}
	h := text(t, alex, `[data-testid="pod-review"]`)
	for _, want := range []string{"Pod review of " + nyToday(), "On time", "At risk", "SE Sam Rivera, SA Alex Chen", "Changed to Nadia New (CIO)",
		"A second region in the EU", "Support for 2,000 more agents", "High: EU data residency audit in Q3", "Send the EU sizing — Alex Chen"} {
		if !strings.Contains(h, want) {
			t.Errorf("the history lacks %q: %q", want, h)
		}
	}

	// The manager: Strategic in the nav, the account under At risk.
	morgan := browsertest.NewTab(t, alex)
	login(t, morgan, base, "manager@example.com", demo.Password)
	do(t, morgan, browsertest.ClickAndWait(`.site-nav a[href="/strategic"]`), browsertest.ClickAndWait(`[data-testid="count-at_risk"]`))
	row := `[data-testid="group-at_risk"] a[href="` + pack + `/reviews"]`
	if got := text(t, morgan, `[data-testid="group-at_risk"]`); !strings.Contains(got, "Globex") || !strings.Contains(got, renewal) {
		t.Errorf("the at-risk group = %q, want Globex renewing %s", got, renewal)
	}
	do(t, morgan, browsertest.ClickAndWait(row))
	if got := text(t, morgan, `[data-testid="posture-now"]`); !strings.Contains(got, "At risk") || !strings.Contains(got, renewal) {
		t.Errorf("the manager reads the posture %q", got)
	}
}
