package main

import (
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// The manager's journey of issue 6 in a real browser: filter to one SE's
// overdue kickoffs, open one, come back with the filter kept, download the
// CSV of the same view.
func TestBrowserManagerFiltersAndDownloads(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	ny, _ := time.LoadLocation("America/New_York")
	weeksAgo := time.Now().In(ny).AddDate(0, 0, -21).Format("2006-01-02")
	for _, d := range []struct{ who, id, account string }{
		{"sam.se@example.com", "3", "Initech"}, {"sam.se@example.com", "3", "Hooli"}, {"priya.se@example.com", "4", "Umbrella"},
	} {
		newFormClient(t, base, d.who).post("/deals", url.Values{"account_name": {d.account}, "opportunity_name": {d.account + " platform"},
			"segment": {"enterprise"}, "arr": {"250000"}, "closed_won_on": {weeksAgo}, "se_id": {d.id}, "sa_id": {"5"}})
	}

	ctx := browsertest.New(t)
	login(t, ctx, base, "manager@example.com", demo.Password)
	if h1 := text(t, ctx, "main h1"); h1 != "Overdue" {
		t.Fatalf("manager home = %q", h1)
	}
	do(t, ctx,
		choose("#f-clock", "kickoff"),
		choose("#f-se", "3"),
		browsertest.ClickAndWait(`form.filters button[type=submit]`),
	)
	listed := text(t, ctx, `[data-testid="overdue-list"] tbody`)
	if !strings.Contains(listed, "Initech") || !strings.Contains(listed, "Hooli") || strings.Contains(listed, "Umbrella") {
		t.Fatalf("Sam's overdue kickoffs = %q", listed)
	}
	filtered := location(t, ctx)
	if !strings.Contains(filtered, "clock=kickoff") || !strings.Contains(filtered, "se=3") {
		t.Fatalf("the filter is not in the URL: %s", filtered)
	}

	// Open one, then come back: the same filtered view.
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="overdue-list"] tbody tr:first-child a`))
	if !strings.Contains(text(t, ctx, "main h1"), "Initech") && !strings.Contains(text(t, ctx, "main h1"), "Hooli") {
		t.Fatalf("opened %q", text(t, ctx, "main h1"))
	}
	// The browser's own Back button: Chrome may restore the page from its
	// back/forward cache without a new load, so wait for the URL, not a load.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`history.back(), true`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for location(t, ctx) != filtered {
		if time.Now().After(deadline) {
			t.Fatalf("came back to %s, want %s", location(t, ctx), filtered)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Read the restored page with script: chromedp's DOM view of a page
	// restored from the back/forward cache can be stale.
	back, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.querySelector('#f-se').value + '|' + document.querySelectorAll('[data-testid=overdue-list] tbody tr').length`))
	if err != nil || back != "3|2" {
		t.Errorf("after coming back: SE filter | rows = %q (%v), want 3|2", back, err)
	}

	// Download the CSV of this view.
	dir := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	do(t, ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
			return err
		}))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid=csv]').click(), true`)); err != nil {
		t.Fatal(err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	se := slices.Index(rows[0], "se")
	if len(rows) != 3 || rows[0][1] != "account" || se < 0 || rows[1][3] != "kickoff" || rows[1][se] != "Sam Rivera" || rows[2][se] != "Sam Rivera" {
		t.Errorf("csv = %v", rows)
	}
}

func ptr[T any](v T) *T { return &v }
