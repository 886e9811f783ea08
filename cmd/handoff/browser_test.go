package main

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

func TestBrowserLandsOnStyledHome(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), nil)
	ctx := browsertest.New(t)

	if err := chromedp.Do(ctx, chromedp.Navigate(r.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if h1 != "Welcome to Handoff" {
		t.Errorf("h1 = %q", h1)
	}
	// Styled: the stylesheet loaded and applied (the header bar is dark).
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".site-header")).backgroundColor`))
	if err != nil {
		t.Fatal(err)
	}
	if bg != "rgb(23, 35, 58)" {
		t.Errorf("header background = %q; the stylesheet did not apply", bg)
	}
}
