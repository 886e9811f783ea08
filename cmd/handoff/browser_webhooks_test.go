package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
	"github.com/handoff-app/handoff/internal/webhook/webhooktest"
)

// Webhooks in a real browser, on the real program: an admin adds an
// endpoint pointing at a receiver that checks every signature, copies the
// secret shown once on the page the form redirects to, sends a test event, sees it delivered in the log,
// redelivers it; then a CRM records a deal through the API and the receiver
// hears deal.created, enqueued by the program's own event hook.
func TestBrowserWebhooks(t *testing.T) {
	t.Parallel()
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusOK, `{"ok":true}`)
	dbURL := postgrestest.URL(t)
	r := mustRunServe(t, dbURL, map[string]string{"HANDOFF_DEMO": "1", "HANDOFF_WEBHOOK_ALLOW_PRIVATE": "1"})
	ctx := browsertest.New(t)
	login(t, ctx, r.URL, "admin@example.com", demo.Password)

	do(t, ctx,
		browsertest.ClickAndWait(`.site-nav a[href="/admin/webhooks"]`),
		fill(`#f-url`, rcv.URL+"/handoff"),
		fill(`#f-description`, "Salesforce"),
		browsertest.ClickAndWait(`form[action="/admin/webhooks"] button[type=submit]`),
		chromedp.WaitVisible(css(`button[data-copy-target="webhook-secret"]`)),
	)
	secret, err := chromedp.Run(ctx, chromedp.Value(css(`#webhook-secret`)))
	if err != nil || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret field = %q (%v)", secret, err)
	}
	rcv.SetSecret(secret)

	// Shown once: the list no longer has it.
	do(t, ctx, chromedp.Navigate(r.URL+"/admin/webhooks"))
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.outerHTML.includes("`+secret+`")`)); err != nil || shown {
		t.Errorf("the secret is on the list page again (%v)", err)
	}

	// Nor the endpoint's page, where it was shown after the redirect.
	do(t, ctx, browsertest.ClickAndWait(`table a[href^="/admin/webhooks/"]`))
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.outerHTML.includes("`+secret+`")`)); err != nil || shown {
		t.Errorf("the secret is on the endpoint's page again (%v)", err)
	}
	do(t, ctx, browsertest.ClickAndWait(`form[action$="/test"] button`))
	if d := rcv.Wait(1, 15*time.Second)[0]; d.Problem != "" || d.Type != "webhook.test" {
		t.Fatalf("receiver: %q %q", d.Type, d.Problem)
	}
	row := newestDelivery(t, ctx, "Delivered · 200")
	if !strings.Contains(row, "Test event") || !strings.Contains(row, `{"ok":true}`) {
		t.Errorf("log row %q", row)
	}

	do(t, ctx, browsertest.ClickAndWait(`[data-testid="delivery-log"] tbody tr:first-child form[action$="/redeliver"] button`))
	ds := rcv.Wait(2, 15*time.Second)
	if ds[1].Problem != "" || ds[1].Header.Get("webhook-id") != ds[0].Header.Get("webhook-id") {
		t.Errorf("redelivery: %q, ids %q %q", ds[1].Problem, ds[0].Header.Get("webhook-id"), ds[1].Header.Get("webhook-id"))
	}
	if row := newestDelivery(t, ctx, "Delivered · 200"); !strings.Contains(row, "redelivery of #") {
		t.Errorf("newest row %q", row)
	}

	// A CRM records a deal: the program's event hook enqueues deal.created.
	db, err := postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, token, err := db.CreateToken(t.Context(), "CRM", 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, r.URL+"/api/v1/deals", strings.NewReader(`{"crm_opportunity_id": "006WH", "account_name": "Hooked Inc",
		"opportunity_name": "Platform", "segment": "enterprise", "arr": {"amount": 5000000, "currency": "USD"},
		"closed_won_date": "`+nyToday()+`", "se_email": "sam.se@example.com"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/deals: %v %v", res, err)
	}
	res.Body.Close()
	if d := rcv.Wait(3, 15*time.Second)[2]; d.Problem != "" || d.Type != "deal.created" {
		t.Fatalf("receiver: %q %q", d.Type, d.Problem)
	}
	if row := newestDelivery(t, ctx, "Delivered · 200"); !strings.Contains(row, "Deal created") || !strings.Contains(row, "Hooked Inc") {
		t.Errorf("newest row %q", row)
	}
}

// newestDelivery reloads the endpoint page until its newest delivery says
// want, and returns that row's text.
func newestDelivery(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		do(t, ctx, chromedp.Reload())
		row := text(t, ctx, `[data-testid="delivery-log"] tbody tr`)
		if strings.Contains(row, want) {
			return row
		}
		if time.Now().After(deadline) {
			t.Fatalf("newest delivery %q, want %q", row, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
