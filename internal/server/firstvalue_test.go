package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/server/servertest"
)

// firstValueStored reads the pack's first value columns: the day ("" when
// none), what it was and how many first value events the pack has.
func (e *packEnv) firstValueStored(t *testing.T) (on, what string, events int) {
	t.Helper()
	err := e.DB.Pool.QueryRow(context.Background(), `
		SELECT coalesce(to_char(first_value_on, 'YYYY-MM-DD'), ''), coalesce(first_value_what, ''),
		       (SELECT count(*) FROM pack_events WHERE pack_id = $1 AND kind = 'first_value_recorded')
		FROM packs WHERE id = $1`, e.pack).Scan(&on, &what, &events)
	if err != nil {
		t.Fatal(err)
	}
	return on, what, events
}

// firstValueForm is the first value form as posted.
func firstValueForm(on, what string) url.Values {
	return url.Values{"first_value_on": {on}, "first_value_what": {what}}
}

// TestFirstValue follows the SA recording the day the customer first got
// value: not before the kickoff; a refused form back on the pack page with
// everything typed and a message beside each field; only the pack's SA may
// record it, the SE and managers read it; a correction is an event too.
// The kickoff and servertest's today are both 2026-11-25.
func TestFirstValue(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	alex, sam, morgan := e.Login("alex@example.com"), e.Login("sam@example.com"), e.Login("morgan@example.com")
	post := e.path("/first-value")

	t.Run("NotBeforeTheKickoff", func(t *testing.T) {
		e.submitted(t)
		if n := alex.Get(e.path("")).Doc().Find("[data-testid=first-value]").Length(); n != 0 {
			t.Error("the first value card shows before the kickoff")
		}
		refusedWith(t, alex, alex.PostForm(post, firstValueForm("2026-11-25", "Live")), e.path(""), "First value is recorded after the kickoff.")
		if on, _, _ := e.firstValueStored(t); on != "" {
			t.Errorf("first value stored before the kickoff: %s", on)
		}
	})
	e.acceptAll(t, alex)
	action, _ := e.decideForm(t, alex)
	if res := alex.PostForm(action, url.Values{"version": {"1"}, "decision": {"approve"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", res.StatusCode)
	}
	if res := alex.PostForm(e.path("/acknowledge"), url.Values{"version": {"1"}, "kickoff_on": {"2026-11-25"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge = %d\n%s", res.StatusCode, res.Body)
	}

	t.Run("DueUntilRecorded", func(t *testing.T) {
		for name, c := range map[string]*servertest.Client{"the SE": sam, "the manager": morgan, "the SA": alex} {
			page := c.Get(e.path(""))
			if got := page.Text("[data-testid=first-value-due]"); got != "Not recorded yet — due 2027-02-23." {
				t.Errorf("%s reads %q, want the due day (kickoff + 90 days)", name, got)
			}
			hasForm := page.Doc().Find(`form[action$="/first-value"]`).Length() == 1
			if hasForm != (c == alex) {
				t.Errorf("%s gets the form: %v", name, hasForm)
			}
		}
		date := alex.Get(e.path("")).Doc().Find("#f-first_value_on")
		if max, _ := date.Attr("max"); max != "2026-11-25" {
			t.Errorf("the date's max = %q, want the org's today", max)
		}
		if min, _ := date.Attr("min"); min != "2026-11-25" {
			t.Errorf("the date's min = %q, want the kickoff", min)
		}
	})

	t.Run("RefusedKeepsWhatWasTyped", func(t *testing.T) {
		for _, c := range []struct {
			name, on, what string
			wantOn         string // the message beside the date, "" for none
			wantWhat       string // the message beside the words, "" for none
		}{
			{"Empty", "", "", "Enter a date.", "Say what the first value was"},
			{"InTheFuture", "2026-11-26", "SSO live for 200 agents", "cannot be in the future", ""},
			{"BeforeTheKickoff", "2026-11-24", "SSO live for 200 agents", "comes after the kickoff (2026-11-25)", ""},
			{"NotADate", "next week", "  SSO live  ", "Enter the date as YYYY-MM-DD", ""},
			{"TooLong", "2026-11-25", strings.Repeat("x", 2001), "", "Keep this to 2000 characters"},
		} {
			t.Run(c.name, func(t *testing.T) {
				res := alex.PostForm(post, firstValueForm(c.on, c.what))
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("POST = %d, want 422", res.StatusCode)
				}
				for _, f := range []struct{ id, want string }{{"first_value_on", c.wantOn}, {"first_value_what", c.wantWhat}} {
					got := res.Text("#f-" + f.id + "-error")
					if (f.want == "") != (got == "") || !strings.Contains(got, f.want) {
						t.Errorf("beside %s: %q, want %q", f.id, got, f.want)
					}
				}
				if got, _ := res.Doc().Find("#f-first_value_on").Attr("value"); got != strings.TrimSpace(c.on) {
					t.Errorf("the date came back as %q, want %q", got, c.on)
				}
				if got := res.Doc().Find("#f-first_value_what").Text(); got != c.what {
					t.Errorf("the words came back as %q, want them as typed", got)
				}
				if res.Text("[data-testid=first-value-errors]") == "" {
					t.Error("no word that nothing was saved")
				}
			})
		}
		if on, _, n := e.firstValueStored(t); on != "" || n != 0 {
			t.Errorf("a refused form stored %q with %d events", on, n)
		}
	})

	t.Run("OnlyThePacksSA", func(t *testing.T) {
		jordan := e.Login("jordan@example.com")
		for name, c := range map[string]*servertest.Client{"the SE": sam, "the manager": morgan, "another SA": jordan} {
			if got := c.PostForm(post, firstValueForm("2026-11-25", "Live")).StatusCode; got != http.StatusNotFound {
				t.Errorf("%s's POST = %d, want 404", name, got)
			}
		}
		if on, _, _ := e.firstValueStored(t); on != "" {
			t.Errorf("stored by someone else: %s", on)
		}
	})

	t.Run("Recorded", func(t *testing.T) {
		res := alex.PostForm(post, firstValueForm("2026-11-25", "  First 200 agents live on SSO.\nTicket deflection 18%.  "))
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != e.path("#first-value") {
			t.Fatalf("record = %d to %q, want 303 to the card\n%s", res.StatusCode, loc, res.Body)
		}
		page := alex.Get(e.path(""))
		// The confirmation is in the card the redirect lands on, not at
		// the top of the page, out of view.
		if got := page.Text("#first-value .flash-success"); !strings.Contains(got, "First value recorded: 2026-11-25.") {
			t.Errorf("the card's flash = %q", got)
		}
		if page.Doc().Find("#flash").Length() != 0 {
			t.Errorf("the confirmation is also at the top: %q", page.Text("#flash"))
		}
		if got := page.Text("[data-testid=clock-first_value]"); !strings.Contains(got, "Done") {
			t.Errorf("first value clock = %q, want done", got)
		}
		if h := page.Text("[data-testid=history]"); !strings.Contains(h, "Recorded first value on 2026-11-25: First 200 agents live on SSO.") {
			t.Errorf("history = %q", h)
		}
		for name, c := range map[string]*servertest.Client{"the SE": sam, "the manager": morgan} {
			page := c.Get(e.path(""))
			if got := page.Text("[data-testid=first-value-on]"); got != "2026-11-25" {
				t.Errorf("%s reads the day as %q", name, got)
			}
			if got := page.Text("[data-testid=first-value-what]"); got != "First 200 agents live on SSO.\nTicket deflection 18%." {
				t.Errorf("%s reads what it was as %q", name, got)
			}
			if got := page.Text("[data-testid=first-value-by]"); !strings.HasPrefix(got, "Recorded by Alex Chen at 2026-11-25 ") {
				t.Errorf("%s reads who recorded it as %q", name, got)
			}
			if page.Doc().Find(`form[action$="/first-value"]`).Length() != 0 {
				t.Errorf("%s gets the correction form", name)
			}
		}
	})

	t.Run("SameAgain", func(t *testing.T) {
		_, _, events := e.firstValueStored(t)
		res := alex.PostForm(post, firstValueForm("2026-11-25", "First 200 agents live on SSO.\nTicket deflection 18%."))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the same record again = %d\n%s", res.StatusCode, res.Body)
		}
		if got := alex.Get(e.path("")).Text("#first-value .flash-success"); !strings.Contains(got, "Nothing to save") {
			t.Errorf("the same record again says %q", got)
		}
		if _, _, got := e.firstValueStored(t); got != events {
			t.Errorf("the same record again wrote %d history lines", got-events)
		}
	})

	t.Run("Corrected", func(t *testing.T) {
		page := alex.Get(e.path(""))
		if got := page.Doc().Find("#f-first_value_what").Text(); got != "First 200 agents live on SSO.\nTicket deflection 18%." {
			t.Errorf("the correction form starts from %q, want the record", got)
		}
		if page.Doc().Find("details.first-value-correct[open]").Length() != 0 {
			t.Error("the correction form is open before anything was refused")
		}
		// A refused correction comes back open, as typed, and changes nothing.
		res := alex.PostForm(post, firstValueForm("2026-12-01", "Typed in the correction"))
		if res.StatusCode != http.StatusUnprocessableEntity || res.Doc().Find("details.first-value-correct[open]").Length() != 1 {
			t.Fatalf("refused correction = %d, want 422 with the form open", res.StatusCode)
		}
		if got := res.Doc().Find("#f-first_value_what").Text(); got != "Typed in the correction" {
			t.Errorf("the refused correction came back as %q", got)
		}
		if got := res.Text("[data-testid=first-value-what]"); !strings.HasPrefix(got, "First 200 agents") {
			t.Errorf("beside the refused correction the record reads %q", got)
		}
		res = alex.PostForm(post, firstValueForm("2026-11-25", "First 250 agents live on SSO."))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("correct = %d\n%s", res.StatusCode, res.Body)
		}
		page = sam.Get(e.path(""))
		if got := page.Text("[data-testid=first-value-what]"); got != "First 250 agents live on SSO." {
			t.Errorf("after the correction the SE reads %q", got)
		}
		if h := page.Text("[data-testid=history]"); !strings.Contains(h, "Corrected first value (was 2026-11-25) to 2026-11-25: First 250 agents live on SSO.") {
			t.Errorf("history = %q", h)
		}
		if got := alex.Get(e.path("")).Text(".flash-success"); !strings.Contains(got, "First value corrected") {
			t.Errorf("flash = %q", got)
		}
		if on, what, n := e.firstValueStored(t); on != "2026-11-25" || what != "First 250 agents live on SSO." || n != 2 {
			t.Errorf("stored %s %q with %d events, want the correction and two events", on, what, n)
		}
	})
}
