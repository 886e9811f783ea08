package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// text reads the trimmed text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// do runs the steps of a journey one by one, and audits every page a step
// lands on with axe-core (once per page load): no serious or critical
// accessibility violation anywhere a journey goes.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for _, step := range steps {
		if err := chromedp.Do(ctx, step); err != nil {
			t.Fatal(err)
		}
		browsertest.CheckAccessibility(t, ctx)
	}
}

// login fills and submits the login form, then waits for the next page.
func login(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.Clear(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		browsertest.ClickAndWait("form[action='/login'] button[type=submit]"),
	)
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The login journey of issue 3 in a real browser, on the real program with
// the demo org: a wrong password keeps the email and says so; the right one
// lands on the role's home; logout returns to the login; a deactivated user
// is thrown out at their next click.
func TestBrowserLoginJourney(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	ctx := browsertest.New(t)

	// A visitor lands on the styled login page.
	do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h1 := text(t, ctx, "h1"); h1 != "Log in to Handoff" {
		t.Fatalf("h1 = %q", h1)
	}
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".site-header")).backgroundColor`))
	if err != nil || bg != "rgb(23, 35, 58)" {
		t.Errorf("header background = %q (%v); the stylesheet did not apply", bg, err)
	}

	// Wrong password: the email stays, one plain message.
	login(t, ctx, base, "sam.se@example.com", "not my password at all")
	if msg := text(t, ctx, "#login-error"); !strings.Contains(msg, "don't match") {
		t.Errorf("error message = %q", msg)
	}
	email, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-email")))
	if err != nil || email != "sam.se@example.com" {
		t.Errorf("email field = %q (%v), want it kept", email, err)
	}

	// Right password: the SE's home.
	login(t, ctx, base, "sam.se@example.com", demo.Password)
	if h1 := text(t, ctx, "main h1"); h1 != "My packs" {
		t.Fatalf("SE home h1 = %q", h1)
	}
	if !strings.HasSuffix(location(t, ctx), "/packs") {
		t.Errorf("SE landed on %s", location(t, ctx))
	}

	// Logout returns to the login page.
	do(t, ctx, browsertest.ClickAndWait(".account button[type=submit]"))
	if !strings.HasSuffix(location(t, ctx), "/login") || !strings.Contains(text(t, ctx, ".flash"), "logged out") {
		t.Errorf("after logout: %s %q", location(t, ctx), text(t, ctx, ".flash"))
	}

	// Sam logs in again in this browser; an admin in another deactivates him.
	login(t, ctx, base, "sam.se@example.com", demo.Password)
	admin := browsertest.NewTab(t, ctx)
	login(t, admin, base, "admin@example.com", demo.Password)
	if h1 := text(t, admin, "main h1"); h1 != "Admin" {
		t.Fatalf("admin home h1 = %q", h1)
	}
	do(t, admin,
		chromedp.Navigate(base+"/admin/users?q=sam.se"),
		browsertest.ClickAndWait(`[data-testid="user-sam.se@example.com"] a`),
		browsertest.ClickAndWait(`form[action$="/deactivate"] button`),
	)
	if msg := text(t, admin, ".flash"); !strings.Contains(msg, "deactivated") {
		t.Fatalf("admin flash = %q", msg)
	}

	// Sam's next click throws him out to the login page.
	do(t, ctx, browsertest.ClickAndWait(`.site-nav a[href="/packs"]`))
	if h1 := text(t, ctx, "main h1"); h1 != "Log in to Handoff" {
		t.Errorf("deactivated SE still sees %q", h1)
	}
}
