package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// podReady puts w's pack where pod reviews happen: locked on 2026-11-20
// (New York), its accepted v1 with a stakeholder map and a risk log, an AE
// named on the deal, and marked strategic by Morgan, which starts the pod
// review clock: due 2027-02-19.
func (w *packWorld) podReady(t *testing.T) {
	t.Helper()
	w.kickedOff(t, handoff.StatusLocked)
	w.exec(t, `INSERT INTO pack_versions (pack_id, number, documents, submitted_at, submitted_by) VALUES ($1, 1, $2, $3, $4)`, w.pack, `{
		"stakeholders": {"people": [{"id": "carlaaaaaaaa", "name": "Carla Champion", "role": "champion"},
		                            {"id": "evanbbbbbbbb", "name": "Evan Buyer", "title": "CFO", "role": "economic_buyer"}]},
		"meddpicc": {"rows": {"champion": {"status": "confirmed", "person_id": "carlaaaaaaaa"}}},
		"risks": {"items": [{"id": "riskaaaaaaaa", "description": "Workday API quotas unknown", "severity": "high", "status": "open"}]}}`,
		packNow, w.sam.ID)
	w.exec(t, `UPDATE deals SET ae_name = 'Ann Exec', ae_email = 'ann@acme.example' WHERE id = (SELECT deal_id FROM packs WHERE id = $1)`, w.pack)
	if err := w.db.MarkStrategic(context.Background(), w.morgan, w.pack, true, packNow); err != nil {
		t.Fatal(err)
	}
}

// podForm is a complete review held on held.
func podForm(held string) handoff.PodReviewForm {
	return handoff.PodReviewForm{
		HeldOn: held, Attendees: []string{handoff.PodAE, handoff.PodSA}, Champion: handoff.ChampionForm{Changed: "no"},
		Levers: []string{"EU region"}, Risks: []handoff.ReviewRiskForm{{RiskID: "riskaaaaaaaa", Note: "Quota raised"}},
		Posture: string(handoff.PostureAtRisk), RenewalOn: "2027-09-30",
		NextSteps: []handoff.NextStep{{What: "Send the EU sizing", Owner: "Alex"}, {What: "Exec call", Owner: "Ann Exec"}},
	}
}

func (w *packWorld) podDue(t *testing.T) string {
	t.Helper()
	if d := w.read(t, w.morgan).PodReviewDueOn; d != nil {
		return d.Format(time.DateOnly)
	}
	return "none"
}

// TestRecordPodReview: a review is stored with the due day it answered, moves
// the clock a quarter on from its own day, puts its posture and renewal on
// the pack, and writes the history line the mail repeats.
func TestRecordPodReview(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	w.podReady(t)
	if got := w.podDue(t); got != "2027-02-19" {
		t.Fatalf("pod review due %s before any review, want 2027-02-19 (the lock + 91)", got)
	}
	before := w.read(t, w.alex).Version
	now := time.Date(2027, 2, 26, 17, 0, 0, 0, time.UTC)
	rec, err := w.db.RecordPodReview(ctx, w.alex, w.pack, w.version(t), podForm("2027-02-25"), day("2027-02-26"), now)
	if err != nil {
		t.Fatal(err)
	}
	if rec.ID == 0 || !rec.DueOn.Equal(day("2027-02-19")) || rec.OnTime() || rec.Timeliness() != "6 days late (due 2027-02-19)" {
		t.Errorf("recorded %+v: want due 2027-02-19, 6 days late", rec.PodReview)
	}
	// Held 2027-02-25: the next is due 91 days later.
	if got := w.podDue(t); got != "2027-05-27" {
		t.Errorf("after the review the pod review is due %s, want 2027-05-27", got)
	}
	p := w.read(t, w.sam)
	if p.PodLatest == nil || !p.PodLatest.HeldOn.Equal(day("2027-02-25")) || p.PodLatest.Posture != handoff.PostureAtRisk ||
		!p.PodLatest.RenewalOn.Equal(day("2027-09-30")) || p.Version != before+1 {
		t.Errorf("the pack's latest = %+v, version %d (was %d)", p.PodLatest, p.Version, before)
	}
	events, err := w.db.Events(ctx, w.sam, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	if e := events[0]; e.Kind != handoff.EventPodReviewRecorded || e.Actor != "Alex" ||
		e.Summary != "Recorded the pod review of 2027-02-25: renewal at risk (renews 2027-09-30), 2 next steps." {
		t.Errorf("event = %+v", e)
	}

	d, err := w.db.PodReviews(ctx, w.morgan, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Reviews) != 1 || len(d.Accepted.Stakeholders.People) != 2 {
		t.Fatalf("detail: %d reviews, accepted %+v", len(d.Reviews), d.Accepted)
	}
	got := d.Reviews[0]
	if got.RecordedBy != "Alex" || !got.RecordedAt.Equal(now) || got.Posture != handoff.PostureAtRisk ||
		strings.Join(got.Attended(), ", ") != "AE Ann Exec, SA Alex" ||
		len(got.Risks) != 1 || got.Risks[0].Description != "Workday API quotas unknown" || got.Risks[0].Severity != "high" ||
		len(got.NextSteps) != 2 || got.Levers[0] != "EU region" {
		t.Errorf("read back %+v", got)
	}

	// The next review, on time, names someone new Champion: they are among
	// the account's people for the review after.
	f := podForm("2027-03-01")
	f.Posture = string(handoff.PostureOnTrack)
	f.Champion = handoff.ChampionForm{Changed: "yes", PersonID: handoff.ChampionNew, Name: "Nadia New", Title: "CIO"}
	rec, err = w.db.RecordPodReview(ctx, w.alex, w.pack, w.version(t), f, day("2027-03-01"), now.AddDate(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	if !rec.OnTime() || !rec.DueOn.Equal(day("2027-05-27")) {
		t.Errorf("second review due %s, on time %v", rec.DueOn.Format(time.DateOnly), rec.OnTime())
	}
	if got := w.podDue(t); got != "2027-05-31" {
		t.Errorf("after the second review the pod review is due %s, want 2027-05-31", got)
	}
	if p := w.read(t, w.alex); p.PodLatest.Posture != handoff.PostureOnTrack {
		t.Errorf("latest posture = %s", p.PodLatest.Posture)
	}
	d, err = w.db.PodReviews(ctx, w.alex, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Reviews) != 2 || !d.Reviews[0].HeldOn.Equal(day("2027-03-01")) {
		t.Fatalf("reviews are not newest first: %+v", d.Reviews)
	}
	a := handoff.NewPodAccount(d.Pack, postgres.LockDay(d.Pack, time.UTC), d.Accepted, d.Reviews)
	if nadia, ok := a.Person(rec.Champion.PersonID); !ok || nadia.Name != "Nadia New" || a.ChampionID != nadia.ID {
		t.Errorf("the new Champion is not among the account's people: %+v", a.People)
	}

	// A review held before the latest one is refused in words.
	_, err = w.db.RecordPodReview(ctx, w.alex, w.pack, w.version(t), podForm("2027-02-28"), day("2027-03-02"), now.AddDate(0, 0, 4))
	if msg := handoff.InvalidFields(err)["held_on"]; !strings.Contains(msg, "last pod review was held on 2027-03-01") {
		t.Errorf("a review before the latest: %v", err)
	}
}

// TestPodReviewRefusals: only the pack's SA, only on a locked strategic
// account, only a complete review; a refusal stores nothing.
func TestPodReviewRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	today := day("2027-02-26")
	w := newPackWorld(t)
	w.podReady(t)
	events := w.count(t, "pack_events")
	record := func(u *handoff.User, f handoff.PodReviewForm) error {
		_, err := w.db.RecordPodReview(ctx, u, w.pack, w.version(t), f, today, packNow)
		return err
	}
	for who, tc := range map[string]struct {
		u    *handoff.User
		code string
	}{"SE": {w.sam, handoff.EFORBIDDEN}, "manager": {w.morgan, handoff.EFORBIDDEN}, "another SA": {w.jordan, handoff.ENOTFOUND},
		"another SE": {w.priya, handoff.ENOTFOUND}} {
		if err := record(tc.u, podForm("2027-02-25")); handoff.ErrorCode(err) != tc.code {
			t.Errorf("as %s: %v, want %s", who, err, tc.code)
		}
	}
	bad := podForm("2027-02-27")
	bad.NextSteps = []handoff.NextStep{{What: "Exec call"}}
	bad.RenewalOn = ""
	fields := handoff.InvalidFields(record(w.alex, bad))
	for _, f := range []string{"held_on", "steps.0.owner", "renewal_on"} {
		if fields[f] == "" {
			t.Errorf("no message for %s: %v", f, fields)
		}
	}

	// Not strategic any more, or not locked: conflicts in words.
	if err := w.db.MarkStrategic(ctx, w.morgan, w.pack, false, packNow); err != nil {
		t.Fatal(err)
	}
	if err := record(w.alex, podForm("2027-02-25")); handoff.ErrorCode(err) != handoff.ECONFLICT ||
		!strings.Contains(handoff.ErrorMessage(err), "Pod reviews are for strategic accounts") {
		t.Errorf("on a commercial account: %v", err)
	}
	w.exec(t, `UPDATE packs SET status = 'acknowledged', locked_at = NULL WHERE id = $1`, w.pack)
	w.exec(t, `UPDATE deals SET segment = 'strategic' WHERE id = (SELECT deal_id FROM packs WHERE id = $1)`, w.pack)
	if err := record(w.alex, podForm("2027-02-25")); handoff.ErrorCode(err) != handoff.ECONFLICT ||
		!strings.Contains(handoff.ErrorMessage(err), "once the architecture is locked") {
		t.Errorf("before the lock: %v", err)
	}
	if n := w.count(t, "pod_reviews"); n != 0 {
		t.Errorf("refusals stored %d reviews", n)
	}
	if n := w.count(t, "pack_events"); n != events+1 { // the mark taken off
		t.Errorf("refusals left %d event lines", n-events-1)
	}
	if p := w.read(t, w.alex); p.PodLatest != nil {
		t.Errorf("refusals set the latest review: %+v", p.PodLatest)
	}
}

// strategicWorld is a list world whose locked packs are strategic accounts
// after the lock, a quarter of them in each posture and a quarter with no
// review yet.
func strategicWorld(t *testing.T) *listWorld {
	t.Helper()
	w := newListWorld(t, 40)
	ctx := context.Background()
	if _, err := w.db.Pool.Exec(ctx, `
		UPDATE packs SET pod_review_due_on = DATE '2027-02-01' + (id % 30)::int,
		       pod_posture = (ARRAY['in_danger', 'at_risk', 'on_track', NULL])[id % 4 + 1],
		       pod_reviewed_on = CASE WHEN id % 4 <> 3 THEN DATE '2026-12-01' END,
		       pod_renewal_on = CASE WHEN id % 4 <> 3 THEN DATE '2027-06-01' + (id % 7)::int END
		WHERE status = 'locked'`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Pool.Exec(ctx, `ANALYZE packs; ANALYZE deals`); err != nil {
		t.Fatal(err)
	}
	return w
}

// TestStrategicAccounts: each posture's accounts, renewal soonest first, page
// by page through the keyset without a repeat or a gap; the counts agree.
func TestStrategicAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := strategicWorld(t)
	counts, err := w.db.StrategicCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, ps := range append([]handoff.Posture{""}, handoff.Postures...) {
		var want int
		if err := w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM packs WHERE status = 'locked' AND pod_posture IS NOT DISTINCT FROM nullif($1, '')`, string(ps)).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if counts[ps] != want {
			t.Errorf("count of %q = %d, want %d", ps, counts[ps], want)
		}
		total += want
		var seen []*handoff.Pack
		var after *postgres.StrategicCursor
		for page := 0; page < 50; page++ {
			rows, err := w.db.StrategicAccounts(ctx, postgres.StrategicFilter{Posture: ps, After: after, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, rows...)
			if len(rows) < 2 {
				break
			}
			c := postgres.CursorOf(rows[len(rows)-1])
			after = &c
		}
		if len(seen) != want {
			t.Errorf("%q: paged through %d accounts, want %d", ps, len(seen), want)
		}
		ids := map[int64]bool{}
		for i, p := range seen {
			if ids[p.ID] || p.Status != handoff.StatusLocked || p.PodReviewDueOn == nil {
				t.Errorf("%q: row %d is pack %d (%s), repeated or not a locked strategic account", ps, i, p.ID, p.Status)
			}
			ids[p.ID] = true
			if ps == "" {
				if p.PodLatest != nil || (i > 0 && p.ID < seen[i-1].ID) {
					t.Errorf("no review yet: row %d = %+v out of order", i, p.PodLatest)
				}
				continue
			}
			if p.PodLatest == nil || p.PodLatest.Posture != ps {
				t.Errorf("%q: row %d has latest %+v", ps, i, p.PodLatest)
			} else if i > 0 && p.PodLatest.RenewalOn.Before(seen[i-1].PodLatest.RenewalOn) {
				t.Errorf("%q: row %d renews before the row above it", ps, i)
			}
		}
	}
	if total == 0 {
		t.Fatal("the world has no locked pack")
	}
}

// The list and its counts read packs_pod_posture_idx in its order (no sort,
// no scan of packs), from the first page and from a cursor.
func TestStrategicQueriesReadTheirIndex(t *testing.T) {
	t.Parallel()
	w := strategicWorld(t)
	for _, ps := range append([]handoff.Posture{""}, handoff.Postures...) {
		for _, after := range []*postgres.StrategicCursor{nil, {RenewalOn: day("2027-06-03"), PackID: 5}} {
			sql, args := postgres.StrategicSQL(postgres.StrategicFilter{Posture: ps, After: after, Limit: 51})
			plan := explainWith(t, w.db, []string{`SET LOCAL enable_seqscan = off`, `SET LOCAL enable_sort = off`}, sql, args...)
			if !strings.Contains(plan, "Index Scan using packs_pod_posture_idx") || strings.Contains(plan, "Sort  (cost") {
				t.Errorf("%q (after %v) does not read packs_pod_posture_idx in order:\n%s", ps, after != nil, plan)
			}
		}
	}
	plan := explainWith(t, w.db, []string{`SET LOCAL enable_seqscan = off`}, postgres.StrategicCountsSQL())
	if n := strings.Count(plan, "packs_pod_posture_idx"); n != 1+len(handoff.Postures) {
		t.Errorf("the counts read packs_pod_posture_idx %d times, want once per posture and once for no review:\n%s", n, plan)
	}
}
