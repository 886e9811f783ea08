package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// podReviews counts the pod reviews stored for the pack.
func (e *packEnv) podReviews(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pod_reviews WHERE pack_id = $1`, e.pack).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// podReviewForm is a complete review of the pack as its SA types it,
// held today (the lock day), picking the logged risk riskID.
func podReviewForm(riskID string) url.Values {
	return url.Values{
		"held_on": {"2026-11-25"}, "attendees": {"AE", "SE", "SA"}, "champion.changed": {"no"},
		"lever_rows": {"1"}, "levers.0": {"A second region in the EU"},
		"risk_rows": {"1"}, "risks.0.pick": {riskID}, "risks.0.note": {"Quota raised to 10k/min"},
		"posture": {"at_risk"}, "renewal_on": {"2027-09-30"},
		"step_rows": {"2"}, "steps.0.what": {"Send the EU sizing"}, "steps.0.owner": {"Alex Chen"},
		"steps.1.what": {"Book the exec sponsor call"}, "steps.1.owner": {"Sam Rivera"},
	}
}

// TestPodReviews follows a strategic account after the lock: a manager marks
// it strategic; its SA records a review through a form that loses nothing
// typed and stores nothing half-done; everyone who sees the pack reads the
// history; the manager finds it on the list of strategic accounts by
// posture. The SE, a manager and outsiders cannot record one.
func TestPodReviews(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	e.lockedWithRisk(t)
	alex, sam, morgan := e.Login("alex@example.com"), e.Login("sam@example.com"), e.Login("morgan@example.com")
	reviews, form := e.path("/reviews"), e.path("/reviews/new")

	t.Run("NotStrategicYet", func(t *testing.T) {
		if got := alex.Get(reviews).Text("main"); !strings.Contains(got, "Not a strategic account") {
			t.Errorf("reviews page of a commercial account reads %q", got)
		}
		refusedWith(t, alex, alex.Get(form), reviews, "Pod reviews are for strategic accounts.")
		if card := alex.Get(e.path("")).Doc().Find("[data-testid=pod-card]"); card.Length() != 0 {
			t.Errorf("the SA sees a pod card on an account that is not strategic: %q", card.Text())
		}
		if res := sam.PostForm(e.path("/strategic"), url.Values{"strategic": {"1"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("the SE marks the account strategic: %d", res.StatusCode)
		}
	})

	t.Run("TheManagerMarksItStrategic", func(t *testing.T) {
		if got := morgan.Get(e.path("")).Text("[data-testid=pod-strategic]"); !strings.Contains(got, "Not a strategic account") {
			t.Errorf("the manager's pod card says %q", got)
		}
		res := morgan.PostForm(e.path("/strategic"), url.Values{"strategic": {"1"}})
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != e.path("#pod-reviews") {
			t.Fatalf("mark = %d to %q", res.StatusCode, loc)
		}
		page := morgan.Get(e.path(""))
		if got := page.Text(".flash-success"); !strings.Contains(got, "Marked strategic") {
			t.Errorf("flash = %q", got)
		}
		if got := page.Text("[data-testid=pod-card]"); !strings.Contains(got, "marked by a manager") || !strings.Contains(got, "2027-02-24") {
			t.Errorf("pod card = %q, want the mark and the due day 2027-02-24 (the lock + 91)", got)
		}
		if page.Doc().Find("[data-testid=strategic-unmark]").Length() != 1 {
			t.Error("no button to take the mark off")
		}
		if link, _ := alex.Get(e.path("")).Doc().Find("[data-testid=pod-record-link]").Attr("href"); link != form {
			t.Errorf("the SA's record link = %q", link)
		}
	})

	t.Run("OnlyItsSARecords", func(t *testing.T) {
		if res := sam.Get(reviews); res.StatusCode != http.StatusOK {
			t.Errorf("the SE reads the reviews: %d", res.StatusCode)
		}
		for who, res := range map[string]int{
			"SE form":      sam.Get(form).StatusCode,
			"SE record":    sam.PostForm(reviews, podReviewForm("")).StatusCode,
			"manager form": morgan.Get(form).StatusCode,
			"manager":      morgan.PostForm(reviews, podReviewForm("")).StatusCode,
		} {
			if res != http.StatusForbidden {
				t.Errorf("%s = %d, want 403", who, res)
			}
		}
		if got := sam.PostForm(reviews, podReviewForm("")).Text("main"); !strings.Contains(got, "Only the pack's Solutions Architect can do that.") {
			t.Errorf("the SE's refusal says %q", got)
		}
		priya, jordan := e.Login("priya@example.com"), e.Login("jordan@example.com")
		for who, code := range map[string]int{
			"other SE reads":   priya.Get(reviews).StatusCode,
			"other SA form":    jordan.Get(form).StatusCode,
			"other SA records": jordan.PostForm(reviews, podReviewForm("")).StatusCode,
		} {
			if code != http.StatusNotFound {
				t.Errorf("%s = %d, want 404", who, code)
			}
		}
		if n := e.podReviews(t); n != 0 {
			t.Errorf("refusals stored %d reviews", n)
		}
	})

	page := alex.Get(form)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("the SA's form = %d", page.StatusCode)
	}
	doc := page.Doc()
	risk, _ := doc.Find(`select[name="risks.0.pick"] option:contains("Workday API quotas unknown")`).Attr("value")
	carla, _ := doc.Find(`select[name="champion.person"] option:contains("Carla Champion")`).Attr("value")
	if risk == "" || carla == "" {
		t.Fatalf("the form offers no logged risk (%q) or no stakeholder (%q)", risk, carla)
	}
	if got := doc.Find(`input[name="attendees"]`).Parent().Text(); !strings.Contains(got, "SE Sam Rivera") || !strings.Contains(got, "SA Alex Chen") || !strings.Contains(got, "AE (not named on the deal)") {
		t.Errorf("attendee choices = %q", got)
	}
	if v, _ := doc.Find(`#f-held_on`).Attr("value"); v != "2026-11-25" {
		t.Errorf("held on defaults to %q, want today", v)
	}
	// The form as a browser sends it: with the pack version it was read at.
	version, _ := doc.Find(`input[name="version"]`).Attr("value")
	typed := func() url.Values {
		v := podReviewForm(risk)
		v.Set("version", version)
		return v
	}

	t.Run("RefusedKeepsEverythingAndStoresNothing", func(t *testing.T) {
		bad := typed()
		bad.Del("posture")
		bad.Set("renewal_on", "2026-11-01")
		bad.Set("steps.1.owner", "")
		bad.Set("champion.changed", "yes")
		bad.Set("champion.person", handoff.ChampionNew)
		bad.Set("champion.title", "CIO")
		bad.Set("risk_rows", "2")
		bad.Set("risks.1.description", "Data residency audit")
		res := alex.PostForm(reviews, bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("incomplete review = %d, want 422", res.StatusCode)
		}
		for _, f := range []string{"posture", "renewal_on", "steps.1.owner", "champion.name", "risks.1.severity"} {
			if res.Text(`[id="f-`+f+`-error"]`) == "" {
				t.Errorf("no message beside %s", f)
			}
		}
		doc := res.Doc()
		for sel, want := range map[string]string{
			`[id="f-levers.0"]`:            "A second region in the EU",
			`[id="f-risks.1.description"]`: "Data residency audit",
			`[id="f-risks.0.note"]`:        "Quota raised to 10k/min",
		} {
			if got := strings.TrimSpace(doc.Find(sel).Text()); got != want {
				t.Errorf("%s came back as %q, want %q", sel, got, want)
			}
		}
		for sel, want := range map[string]string{
			`[id="f-steps.1.what"]`:   "Book the exec sponsor call",
			`[id="f-champion.title"]`: "CIO",
			`[id="f-renewal_on"]`:     "2026-11-01",
		} {
			if got, _ := doc.Find(sel).Attr("value"); got != want {
				t.Errorf("%s came back as %q, want %q", sel, got, want)
			}
		}
		if v, _ := doc.Find(`select[name="risks.0.pick"] option[selected]`).Attr("value"); v != risk {
			t.Errorf("the picked risk came back as %q", v)
		}
		if doc.Find(`input[name="attendees"][value="SE"][checked]`).Length() != 1 || doc.Find(`input[name="champion.changed"][value="yes"][checked]`).Length() != 1 {
			t.Error("the ticked attendees or the champion answer did not come back")
		}
		if e.podReviews(t) != 0 {
			t.Error("a refused review was stored")
		}
	})

	t.Run("AddAnotherSavesNothing", func(t *testing.T) {
		v := typed()
		v.Set("action", "add-lever")
		res := alex.PostForm(reviews, v)
		if n := res.Doc().Find(`textarea[name^="levers."]`).Length(); res.StatusCode != http.StatusOK || n != 2 {
			t.Fatalf("add = %d with %d lever rows", res.StatusCode, n)
		}
		if got := res.Text(`[id="f-levers.0"]`); got != "A second region in the EU" || e.podReviews(t) != 0 {
			t.Errorf("after add: lever 0 = %q, stored %d", got, e.podReviews(t))
		}
		if n := res.Doc().Find("[data-testid=pod-step-row]").Length(); n != 2 {
			t.Errorf("the steps lost a row: %d", n)
		}
	})

	t.Run("Recorded", func(t *testing.T) {
		v := typed()
		v.Set("champion.changed", "yes")
		v.Set("champion.person", handoff.ChampionNew)
		v.Set("champion.name", "Nadia New")
		v.Set("champion.title", "CIO")
		v.Set("risk_rows", "2")
		v.Set("risks.1.description", "Data residency audit in Q3")
		v.Set("risks.1.severity", "medium")
		res := alex.PostForm(reviews, v)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != reviews {
			t.Fatalf("record = %d to %q\n%s", res.StatusCode, loc, res.Text(".flash-error"))
		}
		after := alex.Get(reviews)
		if got := after.Text(".flash-success"); !strings.Contains(got, "Pod review of 2026-11-25 recorded: renewal at risk, renews 2027-09-30. The next one is due 2027-02-24.") {
			t.Errorf("flash = %q", got)
		}
		for who, c := range map[string]*servertest.Client{"SE": sam, "manager": morgan} {
			page := c.Get(reviews)
			h := page.Text("[data-testid=pod-review]")
			for _, want := range []string{"Pod review of 2026-11-25", "On time (due 2027-02-24)", "At risk", "AE (not named on the deal), SE Sam Rivera, SA Alex Chen",
				"Changed to Nadia New (CIO)", "High: Workday API quotas unknown (from the risk log)", "Quota raised to 10k/min",
				"Medium: Data residency audit in Q3 (new)", "Send the EU sizing — Alex Chen", "Recorded by Alex Chen"} {
				if !strings.Contains(h, want) {
					t.Errorf("the %s's history lacks %q: %q", who, want, h)
				}
			}
			if n := page.Doc().Find("[data-testid=posture-point]").Length(); n != 1 {
				t.Errorf("the %s's chart has %d points", who, n)
			}
			if page.Doc().Find("[data-testid=record-pod-review]").Length() != 0 {
				t.Errorf("the %s is offered to record a review", who)
			}
		}
		if got := alex.Get(e.path("")).Text("[data-testid=pod-latest]"); !strings.Contains(got, "2026-11-25") || !strings.Contains(got, "At risk") {
			t.Errorf("the pack page's latest review = %q", got)
		}
		if h := alex.Get(e.path("")).Text("[data-testid=history]"); !strings.Contains(h, "Recorded the pod review of 2026-11-25: renewal at risk (renews 2027-09-30), 2 next steps.") {
			t.Errorf("history = %q", h)
		}
		// The next review may choose Nadia, who is the Champion now.
		if got := alex.Get(form).Text(`select[name="champion.person"] option:contains("Nadia New")`); got != "Nadia New — CIO (the Champion now)" {
			t.Errorf("the next review's choice of Nadia = %q", got)
		}
		// …and the risk raised at this one, beside the log's.
		if got := alex.Get(form).Text(`select[name="risks.0.pick"] option:contains("Data residency")`); got != "Medium: Data residency audit in Q3 (raised 2026-11-25)" {
			t.Errorf("the next review's choice of the raised risk = %q", got)
		}
	})

	t.Run("SentTwiceIsNotRecordedTwice", func(t *testing.T) {
		// The same form again, as a double click or a resent page sends it:
		// refused, nothing stored, everything typed back, and the form now
		// at the account's version, so recording again is a choice.
		before := e.podReviews(t)
		res := alex.PostForm(reviews, typed())
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text("[data-testid=pod-review-conflict]"), "perhaps this very review sent twice") {
			t.Fatalf("sent twice = %d: %q", res.StatusCode, res.Text(".flash-error"))
		}
		if got := e.podReviews(t); got != before {
			t.Fatalf("sent twice stored %d reviews", got-before)
		}
		doc := res.Doc()
		if got, _ := doc.Find(`[id="f-steps.1.what"]`).Attr("value"); got != "Book the exec sponsor call" {
			t.Errorf("a typed step came back as %q", got)
		}
		again, _ := doc.Find(`input[name="version"]`).Attr("value")
		if again == version || again == "" {
			t.Fatalf("the refused form is still at version %q", again)
		}
	})

	t.Run("TheManagersList", func(t *testing.T) {
		if res := sam.Get("/strategic"); res.StatusCode != http.StatusNotFound {
			t.Errorf("the SE reaches /strategic: %d", res.StatusCode)
		}
		page := morgan.Get("/strategic")
		if nav := page.Doc().Find(`.site-nav a[href="/strategic"]`).Text(); nav != "Strategic" {
			t.Errorf("nav link = %q", nav)
		}
		row := page.Text(`[data-testid="group-at_risk"] [data-testid=strategic-row]`)
		for _, want := range []string{"Acme Corp", "Alex Chen", "2026-11-25", "2027-09-30", "2027-02-24"} {
			if !strings.Contains(row, want) {
				t.Errorf("the at-risk row lacks %q: %q", want, row)
			}
		}
		if got := page.Text(`[data-testid="count-at_risk"]`); !strings.HasPrefix(got, "1") {
			t.Errorf("at-risk count = %q", got)
		}
		if got := page.Text(`[data-testid="group-in_danger"]`); !strings.Contains(got, "No strategic account's latest pod review is in danger.") {
			t.Errorf("the empty in-danger group says %q", got)
		}
		only := morgan.Get("/strategic?posture=at_risk")
		if only.Doc().Find("[data-testid^=group-]").Length() != 1 || !strings.Contains(only.Text("[data-testid=strategic-rows]"), "Acme Corp") {
			t.Errorf("the at-risk view:\n%s", only.Text("main"))
		}
		if link, _ := only.Doc().Find("[data-testid=reviews-link]").Attr("href"); link != reviews {
			t.Errorf("the row's link = %q", link)
		}
	})

	t.Run("TheMarkTakenOff", func(t *testing.T) {
		if res := morgan.PostForm(e.path("/strategic"), url.Values{"strategic": {"0"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unmark = %d", res.StatusCode)
		}
		page := alex.Get(reviews)
		if got := page.Text("main"); !strings.Contains(got, "no longer strategic") || !strings.Contains(got, "Pod review of 2026-11-25") {
			t.Errorf("after the mark is off the reviews read %q", got)
		}
		refusedWith(t, alex, alex.PostForm(reviews, typed()), reviews, "Pod reviews are for strategic accounts.")
		if n := morgan.Get("/strategic").Doc().Find("[data-testid=strategic-row]").Length(); n != 0 {
			t.Errorf("the list still has %d accounts", n)
		}
	})
}
