package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/server/servertest"
)

// The stats page in words a manager reads at once: spaced lists, the SA's
// book placed below, within or above the staffing guide, the kickoff on-time
// rate, and each median named in the unit of its clock.
func TestStatsPageWords(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	for _, a := range []string{"Initech", "Hooli"} {
		e.CreatePack(a, e.sam, e.alex, "2026-11-02")
	}
	m := e.Login("morgan@example.com")
	res := m.Get("/stats")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats = %d", res.StatusCode)
	}
	t.Run("OverdueCountsAreASpacedList", func(t *testing.T) {
		if got := strings.Join(strings.Fields(res.Text(`[data-testid="now"]`)), " "); !strings.Contains(got, "hold: 2 Pack due, 2 Kickoff due, 0 Architecture lock due, 0 First value due, 0 Pod review due.") {
			t.Errorf("now = %q", got)
		}
	})
	t.Run("ThreeEnterpriseAccountsAreBelowTheGuide", func(t *testing.T) {
		if got := res.Text(`[data-testid="loads"] [data-testid="staffing"]`); got != "Below" {
			t.Errorf("Alex against the guide = %q, want Below", got)
		}
	})
	t.Run("KickoffOnTimeRate", func(t *testing.T) {
		// Two kickoffs overdue (due 11-09), none held: 0% of 2.
		if got := res.Text(`[data-testid="stat-kickoff-ontime"]`); !strings.Contains(got, "0%") || !strings.Contains(got, "kickoffs on time (0 of 2)") {
			t.Errorf("kickoff on time = %q", got)
		}
	})
	t.Run("MediansInTheirClocksUnits", func(t *testing.T) {
		for sel, want := range map[string]string{
			"stat-submit":  "median business days, Closed-Won → submitted",
			"stat-kickoff": "median business days, Closed-Won → kickoff",
			"stat-lock":    "median calendar days, kickoff → architecture lock",
		} {
			if got := res.Text(`[data-testid="` + sel + `"]`); !strings.Contains(got, want) {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
	})
}

// firstValue moves pack id on as if it had been handed off, kicked off and
// valued: first submitted subDays after Closed-Won, kicked off the day
// after, locked lockDays after the kickoff (lock due 30 days after it; <0:
// not locked) and first value recorded fvDays after Closed-Won (<0: none).
func firstValue(t *testing.T, e *servertest.Env, id int64, subDays, lockDays, fvDays int) {
	t.Helper()
	if _, err := e.DB.Pool.Exec(context.Background(), `
		UPDATE packs p SET status = CASE WHEN $3 >= 0 THEN 'locked' ELSE 'acknowledged' END, submitted_version = 1,
		       first_submitted_at = (d.closed_won_on + $2::int) + time '15:00', submitted_at = (d.closed_won_on + $2::int) + time '15:00',
		       kickoff_on = d.closed_won_on + $2::int + 1, acknowledged_at = (d.closed_won_on + $2::int + 1) + time '15:00',
		       lock_due_on = d.closed_won_on + $2::int + 31,
		       locked_at = CASE WHEN $3 >= 0 THEN (d.closed_won_on + $2::int + 1 + $3::int) + time '15:00' END,
		       first_value_due_on = d.closed_won_on + $2::int + 91,
		       first_value_on = CASE WHEN $4 >= 0 THEN d.closed_won_on + $4::int END,
		       first_value_what = CASE WHEN $4 >= 0 THEN 'First 200 agents live' END,
		       first_value_recorded_at = CASE WHEN $4 >= 0 THEN (d.closed_won_on + $4::int) + time '18:00' END
		FROM deals d WHERE d.id = p.deal_id AND p.id = $1`, id, subDays, lockDays, fvDays); err != nil {
		t.Fatal(err)
	}
}

// First value on the stats page: medians with their counts, the difference
// in words when both groups are big enough and "Not enough data" when one is
// not, the deployment debt chart with its title and table, and the accounts
// past 120 days, with both CSVs.
func TestStatsFirstValue(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	// Today is 2026-11-25; the default window starts 2026-08-27. A pack is
	// due five business days after Closed-Won (07-22 for 07-15, 07-09 for
	// 07-01, July 3 a holiday): submitted on day 2 is on time, on day 12
	// late. Every first value below falls in the window.
	for i := range 6 { // on time, locked in time, first value after 50 or 51 days
		firstValue(t, e.Env, e.CreatePack(fmt.Sprintf("On time %d", i), e.sam, e.alex, "2026-07-15"), 2, 20, 50+i%2)
	}
	for i := range 5 { // late, not locked, first value after 80 days
		firstValue(t, e.Env, e.CreatePack(fmt.Sprintf("Late %d", i), e.priya, e.alex, "2026-07-01"), 12, -1, 80)
	}
	// Past 120 days without first value: 150 days and exactly 120 (not yet).
	firstValue(t, e.Env, e.CreatePack("Stalled Corp", e.sam, e.jordan, "2026-06-28"), 2, -1, -1)
	e.CreatePack("Exactly 120 Ltd", e.priya, nil, "2026-07-28")

	m := e.Login("morgan@example.com")
	res := m.Get("/stats")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats = %d", res.StatusCode)
	}
	words := func(sel string) string { return cellWords(res, sel) }

	t.Run("MedianWithItsCount", func(t *testing.T) {
		// 50, 50, 50, 51, 51, 51, 80×5: the 6th of 11 is 51.
		if got := words(`[data-testid="fv-all"]`); !strings.Contains(got, "51 median calendar days, Closed-Won → first value (11 accounts)") {
			t.Errorf("all = %q", got)
		}
		if got := words(`[data-testid="fv-within"]`); !strings.Contains(got, "100% reached first value within 120 days of Closed-Won (11 of 11)") {
			t.Errorf("within = %q", got)
		}
	})
	t.Run("HandoffDifferenceInWords", func(t *testing.T) {
		if got := words(`[data-testid="fv-handoff-ontime"]`); got != "Pack submitted by its due day 6 50.5" {
			t.Errorf("on time row = %q", got)
		}
		if got := words(`[data-testid="fv-handoff-late"]`); got != "Pack submitted late 5 80" {
			t.Errorf("late row = %q", got)
		}
		if got := words(`[data-testid="fv-handoff"] [data-testid="words"]`); got != "On-time handoffs reached first value 29.5 days sooner than late ones (−37%)." {
			t.Errorf("words = %q", got)
		}
	})
	t.Run("LockDifferenceInWords", func(t *testing.T) {
		// The late ones were never locked, and their lock fell due in August.
		if got := words(`[data-testid="fv-lock-late"]`); got != "Locked late, or not locked by its due day 5 80" {
			t.Errorf("lock late row = %q", got)
		}
		if got := words(`[data-testid="fv-lock"] [data-testid="words"]`); got != "Accounts locked in time reached first value 29.5 days sooner than the others (−37%)." {
			t.Errorf("words = %q", got)
		}
	})
	t.Run("DebtChartHasATitleAndItsTable", func(t *testing.T) {
		doc := res.Doc()
		svg := doc.Find(`svg[data-testid="debt-chart"]`)
		if svg.Length() != 1 {
			t.Fatalf("no debt chart")
		}
		if got := strings.TrimSpace(svg.Find("title#debt-title").Text()); got != "Booked ARR against ARR that reached first value, USD, by month" {
			t.Errorf("title = %q", got)
		}
		if got, _ := svg.Attr("aria-labelledby"); got != "debt-title debt-desc" {
			t.Errorf("aria-labelledby = %q", got)
		}
		// Won in the window: none of the packs above (all won in June and
		// July); "Acme Corp" of the env, won today, is.
		if got := strings.Join(strings.Fields(svg.Find("desc").Text()), " "); !strings.Contains(got, "USD 120,000.00 was booked, USD 0.00 of it had reached first value") {
			t.Errorf("desc = %q", got)
		}
		if n := doc.Find(`[data-testid="debt-months"] tbody tr`).Length(); n != 4 {
			t.Errorf("month rows = %d, want 4 (2026-08 to 2026-11)", n)
		}
	})
	t.Run("AccountsPast120Days", func(t *testing.T) {
		if got := words(`[data-testid="debt-count"]`); !strings.HasPrefix(got, "1 account has gone more than 120 days since Closed-Won without first value recorded") {
			t.Errorf("count = %q", got)
		}
		row := res.Doc().Find(`[data-testid="debt-accounts"] tbody tr`)
		if row.Length() != 1 {
			t.Fatalf("rows = %d", row.Length())
		}
		if got := cellWords(res, `[data-testid="debt-accounts"] tbody tr`); got != "Stalled Corp Sam Rivera Jordan Park Acknowledged 2026-06-28 150 USD 120,000.00" {
			t.Errorf("row = %q", got)
		}
		if href, _ := row.Find("a").Attr("href"); !strings.HasPrefix(href, "/packs/") {
			t.Errorf("link = %q", href)
		}
	})
	t.Run("DebtCSV", func(t *testing.T) {
		href, _ := res.Doc().Find(`[data-testid="debt-csv"]`).Attr("href")
		csv := m.Get(href)
		if csv.StatusCode != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s = %d %s", href, csv.StatusCode, csv.Header.Get("Content-Type"))
		}
		lines := strings.Split(strings.TrimSpace(csv.Body), "\n")
		if len(lines) != 2 || lines[0] != "pack_id,account,se,sa,status,closed_won,days_since_closed_won,arr_minor,currency,url" ||
			!strings.Contains(lines[1], ",Stalled Corp,Sam Rivera,Jordan Park,acknowledged,2026-06-28,150,12000000,USD,http://127.0.0.1/packs/") {
			t.Errorf("csv =\n%s", csv.Body)
		}
	})
	t.Run("ARRCSV", func(t *testing.T) {
		href, _ := res.Doc().Find(`[data-testid="arr-csv"]`).Attr("href")
		csv := m.Get(href)
		lines := strings.Split(strings.TrimSpace(csv.Body), "\n")
		if csv.StatusCode != http.StatusOK || len(lines) != 5 ||
			lines[0] != "month,as_of,currency,booked_arr_minor,first_value_arr_minor,not_yet_arr_minor,past_120_days_arr_minor,deals_booked,deals_first_value,deals_past_120_days" ||
			lines[4] != "2026-11,2026-11-25,USD,12000000,0,12000000,0,1,0,0" {
			t.Errorf("%s = %d\n%s", href, csv.StatusCode, csv.Body)
		}
	})
	t.Run("ALongerWindowHoldsTheOlderDeals", func(t *testing.T) {
		res := m.Get("/stats?days=180")
		got := strings.Join(strings.Fields(res.Doc().Find(`svg[data-testid="debt-chart"] desc`).Text()), " ")
		// 14 deals of USD 120,000: 11 reached first value; of the other
		// three, Stalled Corp is debt, Exactly 120 Ltd and Acme Corp not yet.
		if !strings.Contains(got, "USD 1,680,000.00 was booked, USD 1,320,000.00 of it had reached first value and USD 360,000.00 had not; USD 120,000.00 of that was won more than 120 days before") {
			t.Errorf("desc = %q", got)
		}
	})
}

// With few accounts at first value, each group says so instead of a median.
func TestStatsFirstValueNotEnoughData(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	for i := range 3 {
		firstValue(t, e.Env, e.CreatePack(fmt.Sprintf("On time %d", i), e.sam, e.alex, "2026-09-01"), 1, 10, 40)
	}
	m := e.Login("morgan@example.com")
	res := m.Get("/stats")
	words := func(sel string) string { return cellWords(res, sel) }
	if got := words(`[data-testid="fv-handoff-ontime"]`); got != "Pack submitted by its due day 3 Not enough data" {
		t.Errorf("on time row = %q", got)
	}
	if got := words(`[data-testid="fv-handoff-late"]`); got != "Pack submitted late 0 Not enough data" {
		t.Errorf("late row = %q", got)
	}
	if got := words(`[data-testid="fv-handoff"] [data-testid="words"]`); got != "Not enough data to compare: each group needs at least 5 accounts." {
		t.Errorf("words = %q", got)
	}
	if got := words(`[data-testid="fv-all"]`); got != "— Not enough data for a median of days to first value: 3 accounts in the window, 5 needed." {
		t.Errorf("all = %q", got)
	}
	if got := words(`[data-testid="debt-count"]`); got != "No account has gone more than 120 days from Closed-Won without first value." {
		t.Errorf("debt = %q", got)
	}
	if res.Doc().Find(`[data-testid="debt-csv"]`).Length() != 0 {
		t.Error("a CSV of no accounts is offered")
	}
}

// cellWords is the text of the first element matching sel with its cells,
// or else its words, separated by single spaces, as a person reads them.
func cellWords(res *servertest.Response, sel string) string {
	el := res.Doc().Find(sel).First()
	var parts []string
	if cells := el.Find("th, td"); cells.Length() > 0 {
		cells.Each(func(_ int, c *goquery.Selection) { parts = append(parts, c.Text()) })
	} else {
		parts = []string{el.Text()}
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}
