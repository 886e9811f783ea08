package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/server/servertest"
)

func dueOn(t *testing.T, c *servertest.Client, path, clock string) string {
	t.Helper()
	d, _ := c.Get(path).Doc().Find("[data-testid=clock-" + clock + "] time").Attr("datetime")
	return d
}

func TestSettingsMoveOpenDueDates(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	admin := e.Login("ada@example.com")
	sam := e.Login("sam@example.com")

	// Record through the form so the due dates come from the real calendar.
	res := sam.PostForm("/deals", url.Values{"account_name": {"Initech"}, "opportunity_name": {"Initech"}, "segment": {"commercial"},
		"arr": {"50000"}, "closed_won_on": {"2026-11-25"}, "se_id": {strconv.FormatInt(e.sam.ID, 10)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d", res.StatusCode)
	}
	pack := res.Header.Get("Location")
	if got := dueOn(t, sam, pack, "pack"); got != "2026-12-03" {
		t.Fatalf("pack due = %s, want 2026-12-03 (Thanksgiving and the weekend skipped)", got)
	}

	// Sam has the risk log open while the admin changes the rules: moving due
	// dates must not make his save a conflict.
	openVersion := version(t, sam, pack+"/documents/risks")
	form := url.Values{"time_zone": {"America/New_York"}, "countries": {"US"}, "pack_days": {"7"}, "kickoff_days": {"5"},
		"lock_days": {"30"}, "threshold_rows": {"1"}, "thresholds.0.currency": {"USD"}, "thresholds.0.amount": {"25000"}}
	if res := admin.PostForm("/admin/settings", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save settings = %d\n%s", res.StatusCode, res.Body)
	}
	if res := sam.PostForm(pack+"/documents/risks", url.Values{"version": {openVersion}, "no_known_risks": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("save after a settings change = %d, want 303 (no false conflict)", res.StatusCode)
	}
	if msg := admin.Get("/admin/settings").Text(".flash"); !strings.Contains(msg, "moved") {
		t.Errorf("flash = %q", msg)
	}
	if got := dueOn(t, sam, pack, "pack"); got != "2026-12-07" {
		t.Errorf("pack due after 5→7 business days = %s, want 2026-12-07", got)
	}
	if h := sam.Get(pack).Text("[data-testid=history]"); !strings.Contains(h, "Settings changed: pack due 2026-12-03 → 2026-12-07") {
		t.Errorf("no deadline event in history: %q", h)
	}

	// A company day off moves it again, and says why.
	if res := admin.PostForm("/admin/settings/days-off", url.Values{"day": {"2026-12-01"}, "name": {"Founders day"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add day off = %d\n%s", res.StatusCode, res.Body)
	}
	if got := dueOn(t, sam, pack, "pack"); got != "2026-12-08" {
		t.Errorf("pack due after a day off = %s, want 2026-12-08", got)
	}
	expl := sam.Get(pack).Text("[data-testid=clock-pack] details")
	for _, want := range []string{"Thanksgiving", "Saturday", "Founders day (company day off)"} {
		if !strings.Contains(expl, want) {
			t.Errorf("explanation lacks %q: %s", want, expl)
		}
	}
	if res := admin.PostForm("/admin/settings/days-off/2026-12-01/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove day off = %d", res.StatusCode)
	}
	if got := dueOn(t, sam, pack, "pack"); got != "2026-12-07" {
		t.Errorf("pack due after removing the day off = %s", got)
	}

	t.Run("WeekendsOnly", func(t *testing.T) {
		none := url.Values{"time_zone": {"America/New_York"}, "pack_days": {"7"}, "kickoff_days": {"5"},
			"lock_days": {"30"}, "threshold_rows": {"1"}, "thresholds.0.currency": {"USD"}, "thresholds.0.amount": {"25000"}}
		if res := admin.PostForm("/admin/settings", none); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("no holiday countries = %d\n%s", res.StatusCode, res.Body)
		}
		// Thanksgiving is a business day now: 7 business days from 11-25 is 12-04.
		if got := dueOn(t, sam, pack, "pack"); got != "2026-12-04" {
			t.Errorf("pack due with weekends only = %s, want 2026-12-04", got)
		}
		if res := admin.PostForm("/admin/settings", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("restore = %d", res.StatusCode)
		}
	})

	t.Run("BadInputKeepsValues", func(t *testing.T) {
		bad := url.Values{"time_zone": {"Mars/Olympus"}, "countries": {"US", "XX"}, "pack_days": {"0"}, "kickoff_days": {"five"},
			"lock_days": {"30"}, "threshold_rows": {"1"}, "thresholds.0.amount": {"-5"}, "thresholds.0.currency": {"dollars"}}
		res := admin.PostForm("/admin/settings", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d", res.StatusCode)
		}
		for _, f := range []string{"time_zone", "countries", "pack_days", "kickoff_days", "thresholds.0.amount", "thresholds.0.currency"} {
			if res.Text(`[id="f-`+f+`-error"]`) == "" && !(f == "countries" && strings.Contains(res.Body, "Choose countries")) {
				t.Errorf("no message beside %s", f)
			}
		}
		if v, _ := res.Doc().Find("#f-time_zone").Attr("value"); v != "Mars/Olympus" {
			t.Errorf("time zone lost: %q", v)
		}
		s, err := e.DB.Settings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if s.PackDueBusinessDays != 7 || s.TimeZone != "America/New_York" {
			t.Errorf("bad input changed the settings: %+v", s)
		}
	})

	t.Run("SubmittedPackKeepsItsPackDueDate", func(t *testing.T) {
		// Sam's other pack (from newPackEnv) is submitted; its met pack clock keeps its date.
		c := e.Login("sam@example.com")
		e.fillAll(t, c)
		if res := c.PostForm(e.path("/submit"), url.Values{"version": {version(t, c, e.path(""))}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit = %d", res.StatusCode)
		}
		before := dueOn(t, c, e.path(""), "pack")
		form.Set("pack_days", "10")
		if res := admin.PostForm("/admin/settings", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", res.StatusCode)
		}
		if after := dueOn(t, c, e.path(""), "pack"); after != before {
			t.Errorf("a met clock moved: %s → %s", before, after)
		}
	})
}
