package main

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// recordDeal records a Closed-Won deal through the form and returns its
// pack's path.
func recordDeal(t *testing.T, fc *formClient, account, closedWon, seID string) string {
	t.Helper()
	fc.post("/deals", url.Values{"account_name": {account}, "opportunity_name": {account + " platform"}, "segment": {"enterprise"},
		"arr": {"250000"}, "closed_won_on": {closedWon}, "se_id": {seID}, "sa_id": {"5"}})
	body, _ := fc.get("/search?" + url.Values{"q": {account}}.Encode())
	m := regexp.MustCompile(`href="(/packs/\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("setup: %s is not on the Packs list", account)
	}
	return m[1]
}

// The SE's home of issue 12 in a real browser: the pack due today comes
// first, above an older pack now waiting on the SA; finished packs are folded
// away until asked for.
func TestBrowserSEHomeIsActionFirst(t *testing.T) {
	t.Parallel()
	dbURL := postgrestest.URL(t)
	r := mustRunServe(t, dbURL, map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL

	// The demo org's calendar: New York, US holidays, packs due 5 business
	// days after Closed-Won. dueToday was won 5 business days before the
	// last business day up to today, so it is due today (or, on a weekend,
	// was due on the last business day).
	cal, err := deadline.NewCalendar("America/New_York", []string{"US"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	today := cal.Today(time.Now())
	dueToday := today.AddDays(-1)
	for cal.AddBusinessDays(dueToday, 5).After(today) {
		dueToday = dueToday.AddDays(-1)
	}
	sam := newFormClient(t, base, "sam.se@example.com")
	waiting := recordDeal(t, sam, "Waiting Older Co", today.AddDays(-30).String(), "3")
	recordDeal(t, sam, "Due Today Co", dueToday.String(), "3")
	recordDeal(t, sam, "Later Co", today.String(), "3")
	finished := recordDeal(t, sam, "Finished Co", today.AddDays(-60).String(), "3")
	// Walking two packs through review, kickoff and lock would take the test
	// past its point: set their states as the transitions leave them.
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	id := func(path string) string { return strings.TrimPrefix(path, "/packs/") }
	if _, err := conn.Exec(context.Background(), `
		UPDATE packs SET status = 'submitted', submitted_version = 1, first_submitted_at = now(), submitted_at = now() WHERE id = $1`,
		id(waiting)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), `
		UPDATE packs SET status = 'locked', submitted_version = 1, first_submitted_at = now(), submitted_at = now(),
		       acknowledged_at = now(), kickoff_on = current_date, lock_due_on = current_date + 30, first_value_due_on = current_date + 90, locked_at = now(),
		       first_value_on = current_date, first_value_what = 'Live', first_value_recorded_at = now() WHERE id = $1`,
		id(finished)); err != nil {
		t.Fatal(err)
	}

	ctx := browsertest.New(t)
	login(t, ctx, base, "sam.se@example.com", demo.Password)
	if h1 := text(t, ctx, "main h1"); h1 != "My packs" {
		t.Fatalf("SE home = %q", h1)
	}
	first := text(t, ctx, `[data-testid="my-packs"] tbody tr:first-child`)
	if !strings.Contains(first, "Due Today Co") {
		t.Errorf("the first row is %q, want the pack due today", first)
	}
	if cal.AddBusinessDays(dueToday, 5).Equal(today) && !strings.Contains(first, "today") {
		t.Errorf("the first row does not say it is due today: %q", first)
	}
	if w := text(t, ctx, `[data-testid="section-waiting"]`); !strings.Contains(w, "Waiting Older Co") {
		t.Errorf("the submitted pack is not waiting on others: %q", w)
	}
	// Done is folded: there, but not shown until opened.
	shown := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const d = document.querySelector('details[data-testid="section-done"]');
			const row = [...d.querySelectorAll('tbody tr')].find(tr => tr.textContent.includes('Finished Co'));
			return d.open + '|' + (row ? row.checkVisibility() : 'missing');
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := shown(); got != "false|false" {
		t.Errorf("Done open | finished row visible = %q, want false|false", got)
	}
	do(t, ctx, chromedp.Click(css(`details[data-testid="section-done"] > summary`)))
	if got := shown(); got != "true|true" {
		t.Errorf("after opening Done: %q, want true|true", got)
	}
}

// The Packs list of issue 12 in a real browser: a manager finds a pack by
// its account and opens it.
func TestBrowserManagerSearchesAndOpensAPack(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	base := r.URL
	ny, _ := time.LoadLocation("America/New_York")
	day := time.Now().In(ny).AddDate(0, 0, -3).Format("2006-01-02")
	recordDeal(t, newFormClient(t, base, "sam.se@example.com"), "Zephyr Analytics", day, "3")
	recordDeal(t, newFormClient(t, base, "priya.se@example.com"), "Northwind Freight", day, "4")

	ctx := browsertest.New(t)
	login(t, ctx, base, "manager@example.com", demo.Password)
	do(t, ctx,
		browsertest.ClickAndWait(`.site-nav a[href="/search"]`),
		fill("#f-q", "zephyr"),
		browsertest.ClickAndWait(`form[role="search"] button[type=submit]`),
	)
	if !strings.Contains(location(t, ctx), "q=zephyr") {
		t.Errorf("the search is not in the URL: %s", location(t, ctx))
	}
	listed := text(t, ctx, `[data-testid="packs-list"] tbody`)
	if !strings.Contains(listed, "Zephyr Analytics") || strings.Contains(listed, "Northwind") {
		t.Fatalf("search for zephyr lists %q", listed)
	}
	if n := text(t, ctx, `[data-testid="search-count"]`); n != "1 pack" {
		t.Errorf("count = %q", n)
	}
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="packs-list"] tbody tr:first-child a`))
	if h1 := text(t, ctx, "main h1"); !strings.Contains(h1, "Zephyr Analytics") {
		t.Fatalf("opened %q", h1)
	}
}
