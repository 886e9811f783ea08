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

// confirmed posts a calendar change that moves open packs' due dates: the
// first post only previews (200, nothing saved, the moved packs counted), the
// confirm from that page saves it (303). It returns the preview.
func confirmed(t *testing.T, c *servertest.Client, path string, form url.Values, wantPacks string) *servertest.Response {
	t.Helper()
	preview := c.PostForm(path, form)
	if preview.StatusCode != http.StatusOK || preview.Text("[data-testid=confirm-moves]") == "" {
		t.Fatalf("POST %s = %d without a confirmation\n%s", path, preview.StatusCode, preview.Body)
	}
	if got := preview.Text("#confirm-h"); !strings.Contains(got, wantPacks) {
		t.Errorf("confirmation heading = %q, want %q", got, wantPacks)
	}
	token, ok := preview.Doc().Find("[data-testid=confirm-moves] [name=confirm]").Attr("value")
	if !ok || token == "" {
		t.Fatal("no confirm token on the confirmation")
	}
	again := url.Values{}
	for k, v := range form {
		again[k] = v
	}
	again.Set("confirm", token)
	if res := c.PostForm(path, again); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm %s = %d\n%s", path, res.StatusCode, res.Body)
	}
	return preview
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
		"lock_days": {"30"}, "first_value_days": {"90"}, "threshold_rows": {"1"}, "thresholds.0.currency": {"USD"}, "thresholds.0.amount": {"25000"}}
	preview := confirmed(t, admin, "/admin/settings", form, "2 open packs")
	if m := preview.Text("[data-testid=confirm-moves] li"); !strings.Contains(m, "pack due 2026-12-03 → 2026-12-07") {
		t.Errorf("the confirmation does not say how Initech moves: %q", m)
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
	confirmed(t, admin, "/admin/settings/days-off", url.Values{"day": {"2026-12-01"}, "name": {"Founders day"}}, "open pack")
	if got := dueOn(t, sam, pack, "pack"); got != "2026-12-08" {
		t.Errorf("pack due after a day off = %s, want 2026-12-08", got)
	}
	expl := sam.Get(pack).Text("[data-testid=clock-pack] details")
	for _, want := range []string{"Thanksgiving", "Saturday", "Founders day (company day off)"} {
		if !strings.Contains(expl, want) {
			t.Errorf("explanation lacks %q: %s", want, expl)
		}
	}
	confirmed(t, admin, "/admin/settings/days-off/2026-12-01/delete", url.Values{}, "open pack")
	if got := dueOn(t, sam, pack, "pack"); got != "2026-12-07" {
		t.Errorf("pack due after removing the day off = %s", got)
	}

	t.Run("WeekendsOnly", func(t *testing.T) {
		none := url.Values{"time_zone": {"America/New_York"}, "pack_days": {"7"}, "kickoff_days": {"5"},
			"lock_days": {"30"}, "first_value_days": {"90"}, "threshold_rows": {"1"}, "thresholds.0.currency": {"USD"}, "thresholds.0.amount": {"25000"}}
		confirmed(t, admin, "/admin/settings", none, "open pack")
		// Thanksgiving is a business day now: 7 business days from 11-25 is 12-04.
		if got := dueOn(t, sam, pack, "pack"); got != "2026-12-04" {
			t.Errorf("pack due with weekends only = %s, want 2026-12-04", got)
		}
		confirmed(t, admin, "/admin/settings", form, "open pack")
	})

	t.Run("BadInputKeepsValues", func(t *testing.T) {
		bad := url.Values{"time_zone": {"Mars/Olympus"}, "countries": {"US", "XX"}, "pack_days": {"0"}, "kickoff_days": {"five"},
			"lock_days": {"30"}, "first_value_days": {"731"}, "threshold_rows": {"1"}, "thresholds.0.amount": {"-5"}, "thresholds.0.currency": {"dollars"}}
		res := admin.PostForm("/admin/settings", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d", res.StatusCode)
		}
		for _, f := range []string{"time_zone", "countries", "pack_days", "kickoff_days", "first_value_days", "thresholds.0.amount", "thresholds.0.currency"} {
			if res.Text(`[id="f-`+f+`-error"]`) == "" && !(f == "countries" && strings.Contains(res.Body, "Choose countries")) {
				t.Errorf("no message beside %s", f)
			}
		}
		if v, _ := res.Doc().Find("#f-time_zone option[selected]").Attr("value"); v != "Mars/Olympus" {
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
		confirmed(t, admin, "/admin/settings", form, "1 open pack")
		if after := dueOn(t, c, e.path(""), "pack"); after != before {
			t.Errorf("a met clock moved: %s → %s", before, after)
		}
	})

	t.Run("ConfirmationKeepsWhatWasTyped", func(t *testing.T) {
		typed := cloneValues(form)
		typed.Set("pack_days", "12")
		typed.Set("lock_days", "45")
		typed["countries"] = []string{"US", "GB"}
		typed.Set("thresholds.0.amount", "30000")
		res := admin.PostForm("/admin/settings", typed)
		if res.StatusCode != http.StatusOK || res.Text("[data-testid=confirm-moves]") == "" {
			t.Fatalf("status %d, want the confirmation", res.StatusCode)
		}
		doc := res.Doc()
		for id, want := range map[string]string{"f-pack_days": "12", "f-lock_days": "45", "f-thresholds.0.amount": "30000"} {
			if got, _ := doc.Find(byID(id)).Attr("value"); got != want {
				t.Errorf("%s = %q on the confirmation, want %q", id, got, want)
			}
		}
		if n := doc.Find(`input[name=countries][checked]`).Length(); n != 2 {
			t.Errorf("%d countries ticked on the confirmation, want 2", n)
		}
		if v, _ := doc.Find("#f-time_zone option[selected]").Attr("value"); v != "America/New_York" {
			t.Errorf("time zone on the confirmation = %q", v)
		}
		if f, _ := doc.Find("[data-testid=confirm-button]").Attr("form"); f != "settings-form" || doc.Find("form#settings-form").Length() != 1 {
			t.Errorf("the confirm button submits form %q; it must send the form above as typed", f)
		}
		if s, _ := e.DB.Settings(context.Background()); s.PackDueBusinessDays != 10 {
			t.Errorf("the preview saved: pack days = %d", s.PackDueBusinessDays)
		}

		t.Run("ConfirmOfAnotherChangeIsPreviewedAgain", func(t *testing.T) {
			token, _ := doc.Find("[data-testid=confirm-button]").Attr("value")
			other := cloneValues(typed)
			other.Set("pack_days", "3")
			other.Set("confirm", token)
			res := admin.PostForm("/admin/settings", other)
			if res.StatusCode != http.StatusOK || res.Text("[data-testid=confirm-moves]") == "" {
				t.Errorf("status %d: a confirm of another change must preview again", res.StatusCode)
			}
			if s, _ := e.DB.Settings(context.Background()); s.PackDueBusinessDays != 10 {
				t.Errorf("saved unseen: pack days = %d", s.PackDueBusinessDays)
			}
		})
	})

	t.Run("NothingMovesSavesAtOnce", func(t *testing.T) {
		same := cloneValues(form)
		same.Set("thresholds.0.amount", "26000")
		if res := admin.PostForm("/admin/settings", same); res.StatusCode != http.StatusSeeOther {
			t.Errorf("a threshold change = %d, want 303 with no confirmation", res.StatusCode)
		}
	})

	t.Run("ErrLegacyTimeZone", func(t *testing.T) {
		for tz, want := range map[string]string{"EST": "not a place", "GMT+5": "not a place", "US/Eastern": "choose America/New_York"} {
			bad := cloneValues(form)
			bad.Set("time_zone", tz)
			res := admin.PostForm("/admin/settings", bad)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#f-time_zone-error"), want) {
				t.Errorf("%s: status %d, message %q, want 422 with %q", tz, res.StatusCode, res.Text("#f-time_zone-error"), want)
			}
		}
	})

	t.Run("ZonesGroupedByRegion", func(t *testing.T) {
		doc := admin.Get("/admin/settings").Doc()
		if n := doc.Find(`#f-time_zone optgroup[label="Europe"] option[value="Europe/Berlin"]`).Length(); n != 1 {
			t.Error("no Europe/Berlin under Europe")
		}
		if n := doc.Find(`#f-time_zone option[value="EST"]`).Length(); n != 0 {
			t.Error("EST is offered")
		}
		if v, _ := doc.Find("#f-time_zone option[selected]").Attr("value"); v != "America/New_York" {
			t.Errorf("selected zone = %q", v)
		}
	})
}

// TestSettingsFirstValueDays follows the first value clock's length on the
// settings page: shown with its range, refused out of it with the message
// beside it and everything typed kept, and a change that moves an open
// first value clock confirmed first. A clock already met keeps its date.
func TestSettingsFirstValueDays(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.acknowledged(t) // kickoff 2026-11-25: first value due 2027-02-23
	admin, alex := e.Login("ada@example.com"), e.Login("alex@example.com")
	form := url.Values{"time_zone": {"America/New_York"}, "countries": {"US"}, "pack_days": {"5"}, "kickoff_days": {"5"},
		"lock_days": {"30"}, "first_value_days": {"90"}, "threshold_rows": {"1"}, "thresholds.0.currency": {"USD"}, "thresholds.0.amount": {"25000"}}
	stored := func() int {
		s, err := e.DB.Settings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return s.FirstValueDueCalendarDays
	}

	page := admin.Get("/admin/settings")
	if got, _ := page.Doc().Find("#f-first_value_days").Attr("value"); got != "90" {
		t.Errorf("first value days on the form = %q, want the default 90", got)
	}
	if got := page.Text("#f-first_value_days-hint"); got != "From 1 to 730." {
		t.Errorf("first value days hint = %q", got)
	}
	if got := page.Text(`label[for="f-first_value_days"]`); got != "First value due (days after kickoff)" {
		t.Errorf("first value days label = %q", got)
	}

	t.Run("OutOfRangeKeepsWhatWasTyped", func(t *testing.T) {
		for _, typed := range []string{"0", "731", "ninety", ""} {
			bad := cloneValues(form)
			bad.Set("first_value_days", typed)
			bad.Set("lock_days", "45")
			res := admin.PostForm("/admin/settings", bad)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("first value days %q = %d, want 422", typed, res.StatusCode)
			}
			if got := res.Text("#f-first_value_days-error"); got != "Enter a whole number from 1 to 730." {
				t.Errorf("first value days %q: message %q", typed, got)
			}
			for id, want := range map[string]string{"f-first_value_days": typed, "f-lock_days": "45"} {
				if got, _ := res.Doc().Find(byID(id)).Attr("value"); got != want {
					t.Errorf("first value days %q: %s came back as %q, want %q", typed, id, got, want)
				}
			}
		}
		if n := stored(); n != 90 {
			t.Errorf("a refused form stored %d days", n)
		}
	})

	t.Run("MovesTheOpenClockOnceConfirmed", func(t *testing.T) {
		longer := cloneValues(form)
		longer.Set("first_value_days", "120")
		preview := confirmed(t, admin, "/admin/settings", longer, "1 open pack")
		if m := preview.Text("[data-testid=confirm-moves] li"); !strings.Contains(m, "first value due 2027-02-23 → 2027-03-25") {
			t.Errorf("the confirmation does not say how the pack moves: %q", m)
		}
		if got, _ := preview.Doc().Find("#f-first_value_days").Attr("value"); got != "120" {
			t.Errorf("the confirmation shows first value days %q, want 120 as typed", got)
		}
		if n := stored(); n != 120 {
			t.Errorf("stored %d days, want 120", n)
		}
		if got, _ := admin.Get("/admin/settings").Doc().Find("#f-first_value_days").Attr("value"); got != "120" {
			t.Errorf("the saved form shows %q", got)
		}
		if got := dueOn(t, alex, e.path(""), "first_value"); got != "2027-03-25" {
			t.Errorf("first value due = %s, want 2027-03-25", got)
		}
	})

	t.Run("AFormWithoutTheFieldKeepsIt", func(t *testing.T) {
		old := cloneValues(form)
		old.Del("first_value_days")
		if res := admin.PostForm("/admin/settings", old); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a form without first value days = %d, want 303\n%s", res.StatusCode, res.Text(".field-error"))
		}
		if n := stored(); n != 120 {
			t.Errorf("a form without the field stored %d days, want 120 kept", n)
		}
	})

	t.Run("AMetClockKeepsItsDate", func(t *testing.T) {
		if res := alex.PostForm(e.path("/first-value"), firstValueForm("2026-11-25", "SSO live")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("record first value = %d", res.StatusCode)
		}
		shorter := cloneValues(form)
		shorter.Set("first_value_days", "60")
		if res := admin.PostForm("/admin/settings", shorter); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("shorter first value = %d, want saved at once: no open clock moves", res.StatusCode)
		}
		if n := stored(); n != 60 {
			t.Errorf("stored %d days, want 60", n)
		}
		if got := dueOn(t, alex, e.path(""), "first_value"); got != "2027-03-25" {
			t.Errorf("a met first value clock moved to %s", got)
		}
	})
}
