package server_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

const dateRangeMsg = "Enter a date between 2000-01-01 and 2100-12-31."

// byID selects an element by an id that may hold dots ("f-thresholds.0.amount").
func byID(id string) string { return `[id="` + id + `"]` }

// settingsForm is a valid settings post with the given threshold rows
// (currency, amount pairs).
func settingsForm(thresholds ...string) url.Values {
	form := url.Values{"time_zone": {"America/New_York"}, "countries": {"US"}, "pack_days": {"5"}, "kickoff_days": {"5"},
		"lock_days": {"30"}, "first_value_days": {"90"}, "threshold_rows": {strconv.Itoa(len(thresholds) / 2)}}
	for i := 0; i+1 < len(thresholds); i += 2 {
		n := strconv.Itoa(i / 2)
		form.Set("thresholds."+n+".currency", thresholds[i])
		form.Set("thresholds."+n+".amount", thresholds[i+1])
	}
	return form
}

func thresholds(t *testing.T, e *servertest.Env) handoff.Thresholds {
	t.Helper()
	s, err := e.DB.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.ApprovalThresholds
}

func TestDayOffOutsideTheSaneRangeIsAFieldMessage(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	admin := e.Login("ada@example.com")
	for _, day := range []string{"0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"} {
		t.Run(day, func(t *testing.T) {
			res := admin.PostForm("/admin/settings/days-off", url.Values{"day": {day}, "name": {"Founders day"}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("day off %s = %d, want 422\n%s", day, res.StatusCode, res.Body)
			}
			if got := res.Text("#f-day-error"); got != dateRangeMsg {
				t.Errorf("message beside the day = %q, want %q", got, dateRangeMsg)
			}
			doc := res.Doc()
			if v, _ := doc.Find("#f-day").Attr("value"); v != day {
				t.Errorf("day lost: %q", v)
			}
			if v, _ := doc.Find("#f-name").Attr("value"); v != "Founders day" {
				t.Errorf("name lost: %q", v)
			}
		})
	}
	t.Run("NameTooLong", func(t *testing.T) {
		long := strings.Repeat("n", handoff.MaxDayOffName+1)
		res := admin.PostForm("/admin/settings/days-off", url.Values{"day": {"2026-12-24"}, "name": {long}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#f-name-error"), "100 characters or fewer") {
			t.Fatalf("long name = %d %q", res.StatusCode, res.Text("#f-name-error"))
		}
		if v, _ := res.Doc().Find("#f-name").Attr("value"); v != long {
			t.Errorf("long name lost (%d characters back)", len(v))
		}
	})
	off, err := e.DB.DaysOff(context.Background())
	if err != nil || len(off) != 0 {
		t.Errorf("days off stored from refused forms: %v %v", off, err)
	}
}

func TestOtherDateFieldsOutsideTheSaneRange(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	sam := e.Login("sam@example.com")
	t.Run("ClosedWon", func(t *testing.T) {
		res := sam.PostForm("/deals", url.Values{"account_name": {"Globex"}, "opportunity_name": {"G"}, "segment": {"commercial"},
			"arr": {"1000"}, "closed_won_on": {"0001-01-01"}, "se_id": {strconv.FormatInt(e.sam.ID, 10)}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-closed_won_on-error") != dateRangeMsg {
			t.Errorf("closed won = %d %q", res.StatusCode, res.Text("#f-closed_won_on-error"))
		}
	})
	t.Run("POCStart", func(t *testing.T) {
		form := completeForms()[handoff.DocPOC]
		form.Set("start_on", "0001-01-01")
		res := e.save(t, sam, handoff.DocPOC, form)
		if res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-start_on-error") != dateRangeMsg {
			t.Errorf("POC start = %d %q", res.StatusCode, res.Text("#f-start_on-error"))
		}
	})
	t.Run("CommitmentDue", func(t *testing.T) {
		form := completeForms()[handoff.DocCommitments]
		form.Set("items.0.due_on", "9999-12-31")
		res := e.save(t, sam, handoff.DocCommitments, form)
		if res.StatusCode != http.StatusUnprocessableEntity || res.Text(byID("f-items.0.due_on-error")) != dateRangeMsg {
			t.Errorf("commitment due = %d %q", res.StatusCode, res.Text(byID("f-items.0.due_on-error")))
		}
	})
	t.Run("Kickoff", func(t *testing.T) {
		e.submitted(t)
		alex := e.readyToAcknowledge(t)
		res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"0001-01-01"}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-kickoff_on-error") != dateRangeMsg {
			t.Errorf("kickoff = %d %q, want 422 with %q", res.StatusCode, res.Text("#f-kickoff_on-error"), dateRangeMsg)
		}
		if v, _ := res.Doc().Find("#f-kickoff_on").Attr("value"); v != "0001-01-01" {
			t.Errorf("kickoff date lost: %q", v)
		}
	})
}

// readyToAcknowledge has the SA accept every document of the submitted v1
// and approve every commitment that awaits a decision.
func (e *packEnv) readyToAcknowledge(t *testing.T) *servertest.Client {
	t.Helper()
	alex := e.Login("alex@example.com")
	for _, k := range handoff.DocKinds {
		if res := alex.PostForm(e.path("/documents/"+string(k)+"/review"), url.Values{"version": {"1"}, "decision": {"accepted"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept %s = %d", k, res.StatusCode)
		}
	}
	for _, id := range decideIDs(alex.Get(e.path("/documents/commitments")).Doc()) {
		if res := alex.PostForm(e.path("/commitments/"+id+"/decide"), url.Values{"version": {"1"}, "decision": {"approve"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve %s = %d", id, res.StatusCode)
		}
	}
	return alex
}

// decideIDs maps the description of each commitment awaiting the SA on a
// commitment page to its id, in page order.
func decideIDs(doc *goquery.Document) map[string]string {
	ids := map[string]string{}
	doc.Find(`[data-testid^="decide-"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-testid")
		ids[s.Find("strong").First().Text()] = strings.TrimPrefix(id, "decide-")
	})
	return ids
}

func TestSettingsThresholdsPerCurrency(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	admin := e.Login("ada@example.com")

	// The stored USD threshold shows, with a blank row to add a currency.
	doc := admin.Get("/admin/settings").Doc()
	if v, _ := doc.Find(byID("f-thresholds.0.currency")).Attr("value"); v != "USD" {
		t.Errorf("row 0 currency = %q, want USD", v)
	}
	if v, _ := doc.Find(byID("f-thresholds.0.amount")).Attr("value"); v != "25000" {
		t.Errorf("row 0 amount = %q, want 25000", v)
	}
	if v, _ := doc.Find(byID("f-thresholds.1.currency")).Attr("value"); v != "" {
		t.Errorf("row 1 = %q, want a blank row to add a currency", v)
	}

	t.Run("Add", func(t *testing.T) {
		res := admin.PostForm("/admin/settings", settingsForm("USD", "25000", "gbp", "20,000", "", ""))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d\n%s", res.StatusCode, res.Body)
		}
		want := handoff.Thresholds{{Minor: 2_000_000, Currency: "GBP"}, {Minor: 2_500_000, Currency: "USD"}}
		if got := thresholds(t, e.Env); !slices.Equal(got, want) {
			t.Errorf("thresholds = %+v, want %+v", got, want)
		}
	})
	t.Run("ChangeAndRemove", func(t *testing.T) {
		form := settingsForm("GBP", "20000", "USD", "30000", "JPY", "3,000,000")
		form.Set("thresholds.0.remove", "1")
		if res := admin.PostForm("/admin/settings", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d\n%s", res.StatusCode, res.Body)
		}
		want := handoff.Thresholds{{Minor: 300_000_000, Currency: "JPY"}, {Minor: 3_000_000, Currency: "USD"}}
		if got := thresholds(t, e.Env); !slices.Equal(got, want) {
			t.Errorf("thresholds = %+v, want %+v", got, want)
		}
		// The admin's home reads them back, yen without decimals.
		if got := admin.Get("/admin").Body; !strings.Contains(got, "JPY 3,000,000 · USD 30,000.00") {
			t.Errorf("admin home lacks the thresholds")
		}
	})
	t.Run("BadRowsKeepEverythingTyped", func(t *testing.T) {
		before := thresholds(t, e.Env)
		res := admin.PostForm("/admin/settings", settingsForm("USD", "30000", "XTS", "100", "usd", "5", "JPY", "1000.50", "EUR", "-3"))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d", res.StatusCode)
		}
		for id, want := range map[string]string{
			"f-thresholds.1.currency-error": "ISO currency code",
			"f-thresholds.2.currency-error": "one row per currency",
			"f-thresholds.3.amount-error":   "whole amount",
			"f-thresholds.4.amount-error":   "negative",
		} {
			if got := res.Text(byID(id)); !strings.Contains(got, want) {
				t.Errorf("%s = %q, want it to contain %q", id, got, want)
			}
		}
		doc := res.Doc()
		for id, want := range map[string]string{"f-thresholds.1.currency": "XTS", "f-thresholds.3.amount": "1000.50", "f-thresholds.4.amount": "-3", "f-thresholds.2.currency": "USD"} {
			if v, _ := doc.Find(byID(id)).Attr("value"); v != want {
				t.Errorf("%s came back as %q, want %q", id, v, want)
			}
		}
		if got := thresholds(t, e.Env); !slices.Equal(got, before) {
			t.Errorf("a refused form changed the thresholds: %+v", got)
		}
	})
	t.Run("NoneLeftMeansEveryValuedCommitmentNeedsTheSA", func(t *testing.T) {
		form := settingsForm("USD", "30000", "JPY", "3000000")
		form.Set("thresholds.0.remove", "1")
		form.Set("thresholds.1.remove", "1")
		if res := admin.PostForm("/admin/settings", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d\n%s", res.StatusCode, res.Body)
		}
		if got := thresholds(t, e.Env); len(got) != 0 {
			t.Errorf("thresholds = %+v, want none", got)
		}
	})
}

// TestCommitmentDecisionFollowsItsCurrencyThreshold is the probe's finding:
// with USD 25,000 and GBP 20,000 thresholds, GBP 24,000 needs the SA and
// JPY 30,000 (no JPY threshold) needs the SA, while USD 24,999.99 does not.
// Pages, the inbox, deciding and acknowledging all agree.
func TestCommitmentDecisionFollowsItsCurrencyThreshold(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	admin := e.Login("ada@example.com")
	if res := admin.PostForm("/admin/settings", settingsForm("USD", "25000", "GBP", "20000")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings = %d\n%s", res.StatusCode, res.Body)
	}
	sam := e.Login("sam@example.com")
	e.fillAll(t, sam)
	ledger := url.Values{"rows": {"3"}}
	for i, c := range [][3]string{{"Price lock", "24,000", "GBP"}, {"Tokyo workshop", "30000", "JPY"}, {"Small SLA credit", "24,999.99", "USD"}} {
		n := strconv.Itoa(i)
		ledger.Set("items."+n+".kind", "other")
		ledger.Set("items."+n+".description", c[0])
		ledger.Set("items."+n+".evidence", "in_writing")
		ledger.Set("items."+n+".amount", c[1])
		ledger.Set("items."+n+".currency", c[2])
	}
	if res := e.save(t, sam, handoff.DocCommitments, ledger); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ledger = %d\n%s", res.StatusCode, res.Body)
	}
	if res := sam.PostForm(e.path("/submit"), url.Values{"version": {version(t, sam, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", res.StatusCode)
	}
	alex := e.Login("alex@example.com")
	for _, k := range handoff.DocKinds {
		if res := alex.PostForm(e.path("/documents/"+string(k)+"/review"), url.Values{"version": {"1"}, "decision": {"accepted"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept %s = %d", k, res.StatusCode)
		}
	}

	page := alex.Get(e.path("/documents/commitments"))
	ids := decideIDs(page.Doc())
	needs := slices.Sorted(maps.Keys(ids))
	if want := []string{"Price lock", "Tokyo workshop"}; !slices.Equal(needs, want) {
		t.Fatalf("commitments awaiting the SA = %q, want %q", needs, want)
	}
	if got := page.Text("[data-testid=thresholds]"); !strings.Contains(got, "GBP 20,000.00 · USD 25,000.00") {
		t.Errorf("thresholds line = %q", got)
	}
	if !strings.Contains(alex.Get("/inbox").Text("body"), "Decide commitments") {
		t.Error("the inbox does not put the pack under \"Decide commitments\"")
	}
	res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}})
	blockers := res.Text("[data-testid=ack-blockers]")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(blockers, "Price lock") || !strings.Contains(blockers, "Tokyo workshop") {
		t.Fatalf("acknowledge with GBP and JPY undecided = %d %q, want 422 naming both", res.StatusCode, blockers)
	}
	if strings.Contains(blockers, "Small SLA credit") {
		t.Error("the USD commitment under its threshold blocks the acknowledgment")
	}
	small := smallID(t, e)
	alex.PostForm(e.path("/commitments/"+small+"/decide"), url.Values{"version": {"1"}, "decision": {"approve"}})
	if flash := alex.Get(e.path("")).Text(".flash"); !strings.Contains(flash, "needs no decision") {
		t.Errorf("deciding USD 24,999.99: flash = %q, want it to say no decision is needed", flash)
	}
	if ds, err := e.DB.CommitmentDecisions(context.Background(), e.alex, e.pack); err != nil || ds[small].CommitmentID != "" {
		t.Errorf("a decision was stored on a commitment under its currency's threshold: %+v %v", ds[small], err)
	}
	for _, name := range []string{"Price lock", "Tokyo workshop"} {
		if res := alex.PostForm(e.path("/commitments/"+ids[name]+"/decide"), url.Values{"version": {"1"}, "decision": {"approve"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve %s = %d\n%s", name, res.StatusCode, res.Body)
		}
	}
	if res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge after deciding = %d\n%s", res.StatusCode, res.Body)
	}
}

func TestSettingsAndDealFormsStateTheirLimits(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	admin := e.Login("ada@example.com")
	sam := e.Login("sam@example.com")
	for path, c := range map[string]*servertest.Client{"/admin/settings": admin, "/deals/new": sam} {
		doc := c.Get(path).Doc()
		doc.Find(`input:not([type]), input[type=text], input[type=email]`).Each(func(_ int, s *goquery.Selection) {
			if _, hidden := s.Attr("hidden"); hidden {
				return
			}
			name, _ := s.Attr("name")
			if m, ok := s.Attr("maxlength"); !ok || m == "" {
				t.Errorf("%s: field %q has no maxlength", path, name)
			}
		})
	}
	deal := sam.Get("/deals/new").Doc()
	for name, want := range map[string]int{"account_name": handoff.MaxAccountName, "opportunity_name": handoff.MaxOpportunityName,
		"crm_opportunity_id": handoff.MaxCRMOpportunityID, "currency": handoff.MaxCurrency, "arr": handoff.MaxAmount,
		"ae_name": handoff.MaxContactName, "ae_email": handoff.MaxContactEmail, "csm_name": handoff.MaxContactName, "csm_email": handoff.MaxContactEmail} {
		if m, _ := deal.Find("#f-" + name).Attr("maxlength"); m != strconv.Itoa(want) {
			t.Errorf("deal form %s maxlength = %q, want %d", name, m, want)
		}
	}

	t.Run("DealTextOverItsLimitIsRefusedAndKept", func(t *testing.T) {
		long := map[string]string{
			"account_name":       strings.Repeat("a", handoff.MaxAccountName+1),
			"opportunity_name":   strings.Repeat("o", handoff.MaxOpportunityName+1),
			"crm_opportunity_id": strings.Repeat("9", handoff.MaxCRMOpportunityID+1),
			"ae_name":            strings.Repeat("n", handoff.MaxContactName+1),
			"csm_email":          strings.Repeat("c", handoff.MaxContactEmail) + "@vendor.example",
		}
		form := url.Values{"segment": {"commercial"}, "arr": {"1000"}, "currency": {"XTS"}, "closed_won_on": {"2026-11-20"},
			"se_id": {strconv.FormatInt(e.sam.ID, 10)}}
		for k, v := range long {
			form.Set(k, v)
		}
		res := sam.PostForm("/deals", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d", res.StatusCode)
		}
		doc := res.Doc()
		for k, v := range long {
			if !strings.Contains(res.Text("#f-"+k+"-error"), "characters or fewer") {
				t.Errorf("%s: message = %q", k, res.Text("#f-"+k+"-error"))
			}
			if got, _ := doc.Find("#f-" + k).Attr("value"); got != v {
				t.Errorf("%s lost what was typed (%d characters back)", k, len(got))
			}
		}
		if got := res.Text("#f-currency-error"); !strings.Contains(got, "ISO currency code") {
			t.Errorf("currency message = %q", got)
		}
		if v, _ := doc.Find("#f-currency").Attr("value"); v != "XTS" {
			t.Errorf("currency lost: %q", v)
		}
	})
	t.Run("TimeZoneOverItsLimit", func(t *testing.T) {
		form := settingsForm("USD", "25000")
		form.Set("time_zone", strings.Repeat("Z", handoff.MaxTimeZone+1))
		res := admin.PostForm("/admin/settings", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#f-time_zone-error"), "64 characters or fewer") {
			t.Errorf("long time zone = %d %q", res.StatusCode, res.Text("#f-time_zone-error"))
		}
	})
}

// smallID is the id of the "Small SLA credit" commitment, read from storage
// since no decide form shows it.
func smallID(t *testing.T, e *packEnv) string {
	t.Helper()
	docs, _, err := e.DB.Documents(context.Background(), e.sam, e.pack)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range docs.Commitments.Items {
		if c.Description == "Small SLA credit" {
			return c.ID
		}
	}
	t.Fatal("no Small SLA credit commitment")
	return ""
}
