package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// packsListed returns the accounts on a Packs list page and its count line.
func packsListed(t *testing.T, res interface {
	Doc() *goquery.Document
}) ([]string, string) {
	t.Helper()
	doc := res.Doc()
	var accounts []string
	doc.Find(`[data-testid="packs-list"] tbody tr`).Each(func(_ int, row *goquery.Selection) {
		accounts = append(accounts, strings.TrimSpace(row.Find("td a").First().Text()))
	})
	slices.Sort(accounts)
	return accounts, strings.TrimSpace(doc.Find(`[data-testid="search-count"]`).Text())
}

// searchEnv adds to packEnv's Acme Corp (Sam, Alex) a pack of Priya's
// assigned to Jordan and one of Priya's with no SA yet.
func searchEnv(t *testing.T) *packEnv {
	t.Helper()
	e := newPackEnv(t)
	setStatus(t, e.Env, e.CreatePack("Globex Labs", e.priya, e.jordan, "2026-11-02"), handoff.StatusSubmitted)
	e.CreatePack("Initech", e.priya, nil, "2026-11-18") // pack due today: at risk
	return e
}

// TestPacksListShowsOnlyWhatEachRoleMaySee: every role has Packs, listing
// and counting exactly the packs they may open, through the real router.
func TestPacksListShowsOnlyWhatEachRoleMaySee(t *testing.T) {
	t.Parallel()
	e := searchEnv(t)
	for _, tc := range []struct {
		email, query string
		want         []string
		count        string
	}{
		{"sam@example.com", "", []string{"Acme Corp"}, "1 pack"},
		{"priya@example.com", "", []string{"Globex Labs", "Initech"}, "2 packs"},
		{"alex@example.com", "", []string{"Acme Corp"}, "1 pack"},
		{"jordan@example.com", "", []string{"Globex Labs"}, "1 pack"},
		{"morgan@example.com", "", []string{"Acme Corp", "Globex Labs", "Initech"}, "3 packs"},
		{"ada@example.com", "", []string{"Acme Corp", "Globex Labs", "Initech"}, "3 packs"},
		// What one may not see neither appears nor counts.
		{"sam@example.com", "q=globex", nil, "0 packs"},
		{"jordan@example.com", "q=initech", nil, "0 packs"},
		{"morgan@example.com", "q=GLOBEX", []string{"Globex Labs"}, "1 pack"},
		{"morgan@example.com", "q=priya", []string{"Globex Labs", "Initech"}, "2 packs"},                              // the SE's name
		{"morgan@example.com", "q=jordan+park", []string{"Globex Labs"}, "1 pack"},                                    // the SA's name, two words
		{"morgan@example.com", "q=acme+platform", []string{"Acme Corp"}, "1 pack"},                                    // account and opportunity
		{"morgan@example.com", "status=submitted", []string{"Globex Labs"}, "1 pack"},                                 // by status
		{"morgan@example.com", "clock=kickoff.overdue", []string{"Globex Labs"}, "1 pack"},                            // won 2026-11-02, kickoff due 11-09
		{"morgan@example.com", "clock=pack.at_risk&q=init", []string{"Initech"}, "1 pack"},                            // due today
		{"morgan@example.com", "clock=bogus&status=nope", []string{"Acme Corp", "Globex Labs", "Initech"}, "3 packs"}, // unknown filters are off
	} {
		t.Run(tc.email+"?"+tc.query, func(t *testing.T) {
			res := e.Login(tc.email).Get("/search?" + tc.query)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("Packs = %d", res.StatusCode)
			}
			got, count := packsListed(t, res)
			if !slices.Equal(got, tc.want) || count != tc.count {
				t.Errorf("lists %v (%q), want %v (%q)", got, count, tc.want, tc.count)
			}
			if nav := res.Doc().Find(`.site-nav a[href="/search"]`).Text(); nav != "Packs" {
				t.Errorf("no Packs item in the navigation (%q)", nav)
			}
		})
	}
}

// TestPacksListPagesAndCounts: past a page, the list links the next one and
// counts every match on each page; past the cap it says "1,000+" ("100+"
// for words).
func TestPacksListPagesAndCounts(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	ctx := context.Background()
	// 30 of Sam's deals, and SearchCountCap more of Priya's, with their packs.
	if _, err := e.DB.Pool.Exec(ctx, `
		WITH d AS (
			INSERT INTO deals (account_name, opportunity_name, segment, arr_minor, arr_currency, closed_won_on, se_id)
			SELECT CASE WHEN i <= 30 THEN 'Umbrella Labs ' ELSE 'Bulk ' END || i, 'Platform', 'enterprise', 100, 'USD',
			       DATE '2026-10-01' + i % 40, CASE WHEN i <= 30 THEN $1::bigint ELSE $2::bigint END
			FROM generate_series(1, 30 + $3::int) i RETURNING id)
		INSERT INTO packs (deal_id, pack_due_on, kickoff_due_on) SELECT id, DATE '2026-12-01', DATE '2026-12-04' FROM d`,
		e.sam.ID, e.priya.ID, postgres.SearchCountCap); err != nil {
		t.Fatal(err)
	}
	morgan := e.Login("morgan@example.com")
	var seen []string
	next := "/search?q=umbrella+labs"
	for i, want := range []int{25, 5} {
		res := morgan.Get(next)
		got, count := packsListed(t, res)
		if len(got) != want || count != "30 packs" {
			t.Fatalf("page %d lists %d (%q), want %d (30 packs)", i+1, len(got), count, want)
		}
		seen = append(seen, got...)
		next, _ = res.Doc().Find(`[data-testid="next"]`).Attr("href")
	}
	if next != "" {
		t.Errorf("the last page links %q", next)
	}
	if slices.Sort(seen); len(slices.Compact(seen)) != 30 {
		t.Errorf("the pages list %d packs once each, want 30", len(seen))
	}
	// Priya's packs neither appear nor count for Sam.
	if got, count := packsListed(t, e.Login("sam@example.com").Get("/search?q=platform")); len(got) != 25 || count != "31 packs" {
		t.Errorf("Sam's platform: %d listed (%q), want 25 (31 packs)", len(got), count)
	}
	for _, tc := range []struct{ query, count string }{
		// A word's count stops sooner than a filter's (SearchWordCountCap).
		{"q=bulk", "100+ packs"},
		{"q=platform", "100+ packs"},
		{"", "1,000+ packs"},
		{"status=draft", "1,000+ packs"},
		{"q=umbrella&status=draft", "30 packs"},
	} {
		if got, count := packsListed(t, morgan.Get("/search?"+tc.query)); len(got) != 25 || count != tc.count {
			t.Errorf("%s: %d listed (%q), want 25 (%q)", tc.query, len(got), count, tc.count)
		}
	}
}

func TestPacksListAsksForLongerWords(t *testing.T) {
	t.Parallel()
	e := searchEnv(t)
	res := e.Login("morgan@example.com").Get("/search?q=ac")
	if got := res.Text(`[data-testid="search-notice"]`); !strings.Contains(got, "at least 3 letters") {
		t.Errorf("notice = %q", got)
	}
	if got, _ := packsListed(t, res); len(got) != 0 {
		t.Errorf("a two-letter search lists %v", got)
	}
	// A short word beside a real one is left out, and said so.
	res = e.Login("morgan@example.com").Get("/search?q=ac+globex")
	if got, _ := packsListed(t, res); !slices.Equal(got, []string{"Globex Labs"}) || res.Text(`[data-testid="search-notice"]`) == "" {
		t.Errorf("ac globex lists %v with notice %q", got, res.Text(`[data-testid="search-notice"]`))
	}
}

// TestCRMLinkTemplate: an admin sets the CRM link template on the settings
// page; a bad one comes back with the reason; CRM ids then link to the CRM,
// escaped, on the Packs list and the pack page.
func TestCRMLinkTemplate(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	if _, err := e.DB.Pool.Exec(context.Background(), `UPDATE deals SET crm_opportunity_id = '006/ACME?x=1' WHERE account_name = 'Acme Corp'`); err != nil {
		t.Fatal(err)
	}
	ada := e.Login("ada@example.com")
	if n := ada.Get("/admin/settings").Doc().Find(`form[action="/admin/settings/crm"] input[name="crm_url_template"]`).Length(); n != 1 {
		t.Fatal("no CRM link field on the settings page")
	}
	for _, bad := range []string{"http://crm.example/{id}", "https://crm.example/opportunity", "javascript:alert(1)//{id}"} {
		res := ada.PostForm("/admin/settings/crm", url.Values{"crm_url_template": {bad}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-crm_url_template-error") == "" {
			t.Errorf("%q = %d %q, want 422 with the reason", bad, res.StatusCode, res.Text("#f-crm_url_template-error"))
		}
		if v, _ := res.Doc().Find(`input[name="crm_url_template"]`).Attr("value"); v != bad {
			t.Errorf("the form lost what was typed: %q", v)
		}
	}
	morgan := e.Login("morgan@example.com")
	if n := morgan.Get("/search").Doc().Find(`[data-testid="crm-link"]`).Length(); n != 0 {
		t.Error("CRM ids link before a template is set")
	}
	if res := ada.PostForm("/admin/settings/crm", url.Values{"crm_url_template": {" https://acme.my.salesforce.com/{id} "}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", res.StatusCode)
	}
	const want = "https://acme.my.salesforce.com/006%2FACME%3Fx=1"
	if href, _ := morgan.Get("/search").Doc().Find(`[data-testid="crm-link"]`).Attr("href"); href != want {
		t.Errorf("Packs list links %q, want %q", href, want)
	}
	if href, _ := morgan.Get(e.path("")).Doc().Find(`[data-testid="crm-link"]`).Attr("href"); href != want {
		t.Errorf("pack page links %q, want %q", href, want)
	}
	// Emptying it turns links off.
	if res := ada.PostForm("/admin/settings/crm", url.Values{"crm_url_template": {""}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("clear = %d", res.StatusCode)
	}
	if n := morgan.Get("/search").Doc().Find(`[data-testid="crm-link"]`).Length(); n != 0 {
		t.Error("CRM ids still link after the template is cleared")
	}
}
