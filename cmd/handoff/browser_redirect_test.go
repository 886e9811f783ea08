package main

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// The open redirect the security probe found, in a real browser: a login link
// whose next is "/./\evil.example" (http.Redirect cleaned it to
// "/\evil.example", which Chromium follows to evil.example). Logging in
// through it, and opening it again while logged in, must both end on this
// site.
func TestBrowserHostileNextStaysOnSite(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base, err := url.Parse(r.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	assertOnSite := func(step string) {
		t.Helper()
		loc := location(t, ctx)
		u, err := url.Parse(loc)
		if err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
			t.Fatalf("%s: the browser is at %s, off this site", step, loc)
		}
		if h1 := text(t, ctx, "main h1"); h1 != "My packs" {
			t.Errorf("%s: h1 = %q, want the SE home", step, h1)
		}
	}

	hostile := "/login?next=" + url.QueryEscape(`/./\evil.example`)
	do(t, ctx,
		chromedp.Navigate(r.URL+hostile),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "sam.se@example.com"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), demo.Password),
	)
	if err := chromedp.Do(ctx, browsertest.ClickAndWait("form[action='/login'] button[type=submit]")); err != nil {
		// A redirect off the site never loads here: evil.example does not
		// resolve, and the browser stays on the page it had.
		t.Fatalf("logging in through the link led to no page of this site (%v); last page loaded: %s", err, location(t, ctx))
	}
	assertOnSite("logging in through the link")
	browsertest.CheckAccessibility(t, ctx)

	for _, next := range []string{`/./\evil.example`, `/\evil.example`, "//evil.example", "/\t/evil.example", "/%2F/evil.example", "https://evil.example/"} {
		do(t, ctx, chromedp.Navigate(r.URL+"/login?next="+url.QueryEscape(next)), chromedp.WaitVisible(chromedp.CSS("main h1")))
		assertOnSite("opening next=" + next + " while logged in")
	}
}
