package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
)

// strategicLockedPack records a deal for the env's SE and SA with ae and
// csm, submits it, and sets it where the transitions would leave it: locked
// on 2026-11-18 on the strategic segment, its pod review clock running. The
// mail of its submission is swept away first.
// version is pack id's version as stored, for a form read now.
func (e *env) version(t *testing.T, id int64) int {
	t.Helper()
	var v int
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT version FROM packs WHERE id = $1`, id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func (e *env) strategicLockedPack(account string, ae, csm handoff.Contact) int64 {
	e.t.Helper()
	id := e.invitePack(account, ae, csm)
	e.sweep(ny(2026, 11, 18, 10))
	ctx := context.Background()
	if _, err := e.db.Pool.Exec(ctx, `
		UPDATE packs SET status = 'locked', kickoff_on = '2026-11-18', acknowledged_at = $2, lock_due_on = '2026-12-18',
		       first_value_due_on = '2027-02-16', locked_at = $2, pod_review_due_on = '2027-02-17' WHERE id = $1`,
		id, ny(2026, 11, 18, 10)); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.Pool.Exec(ctx, `UPDATE deals SET segment = 'strategic' WHERE id = (SELECT deal_id FROM packs WHERE id = $1)`, id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// podReviewMails sweeps at and returns the pod review summaries among the mail.
func (e *env) podReviewMails(at time.Time) []mailtest.Message {
	e.t.Helper()
	var out []mailtest.Message
	for _, m := range e.sweep(at) {
		if strings.HasPrefix(m.Subject, "Pod review: ") {
			out = append(out, m)
		}
	}
	return out
}

// The summary of a pod review goes to the whole pod, the AE and CSM
// included, once, and says everything the review recorded.
func TestPodReviewSummaryMail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2, true)
	id := e.strategicLockedPack("Initech", handoff.Contact{Name: "Ann Exec", Email: "ann@acme.example"}, handoff.Contact{Name: "Cy Success", Email: "cy@acme.example"})
	f := handoff.PodReviewForm{
		HeldOn: "2026-11-18", Attendees: []string{handoff.PodAE, handoff.PodSA, handoff.PodCSM},
		Champion: handoff.ChampionForm{Changed: "yes", PersonID: handoff.ChampionNew, Name: "Nadia New", Title: "CIO"},
		Levers:   []string{"Second region in the EU"},
		Risks:    []handoff.ReviewRiskForm{{Description: "Data residency audit", Severity: "high", Note: "Due in Q3"}},
		Posture:  string(handoff.PostureAtRisk), RenewalOn: "2027-09-30",
		NextSteps: []handoff.NextStep{{What: "Send the EU sizing", Owner: "Ada Architect"}, {What: "Book the exec call", Owner: "Ann Exec"}},
	}
	if _, err := e.db.RecordPodReview(context.Background(), e.sa, id, e.version(t, id), f, time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), ny(2026, 11, 18, 11)); err != nil {
		t.Fatal(err)
	}
	got := e.podReviewMails(ny(2026, 11, 18, 11))
	if len(got) != 1 {
		t.Fatalf("%d pod review summaries, want 1", len(got))
	}
	m := got[0]
	to := slices.Sorted(slices.Values(m.To))
	if strings.Join(to, ",") != "ann@acme.example,cy@acme.example,sa@acme.example,se@acme.example" {
		t.Errorf("summary to %v, want the SE, SA, AE and CSM", m.To)
	}
	if m.Subject != "Pod review: Initech — renewal at risk" {
		t.Errorf("subject = %q", m.Subject)
	}
	reviews := fmt.Sprintf("%s/packs/%d/reviews", baseURL, id)
	for _, want := range []string{
		"Ada Architect recorded the pod review of 2026-11-18 for Initech — Initech platform.",
		"Held: 2026-11-18, on time (due 2027-02-17)",
		"Attended: AE Ann Exec, SA Ada Architect, CSM Cy Success",
		"Champion: Changed to Nadia New (CIO)",
		"Renewal: At risk, renews 2027-09-30",
		"Next pod review: due 2027-02-17",
		"- Second region in the EU",
		"- High: Data residency audit (new) — Due in Q3",
		"- Send the EU sizing — owner: Ada Architect",
		"- Book the exec call — owner: Ann Exec",
		reviews,
		fmt.Sprintf("The handoff pack: %s/packs/%d", baseURL, id),
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the summary's text lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `href="`+reviews+`"`) || !strings.Contains(m.HTML, "Send the EU sizing — owner: Ada Architect") {
		t.Errorf("the summary's HTML lacks the link or a next step:\n%s", m.HTML)
	}
}

// Nobody without an address and no deactivated person gets the summary; an
// address named twice gets it once.
func TestPodReviewSummaryRecipients(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1, true)
	id := e.strategicLockedPack("Hooli", handoff.Contact{Name: "Ann Exec"}, handoff.Contact{Name: "Sam again", Email: "SE@acme.example"})
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE users SET active = false WHERE id = $1`, e.se.ID); err != nil {
		t.Fatal(err)
	}
	f := handoff.PodReviewForm{HeldOn: "2026-11-18", Attendees: []string{handoff.PodSA}, Champion: handoff.ChampionForm{Changed: "no"},
		Posture: string(handoff.PostureOnTrack), RenewalOn: "2027-09-30", NextSteps: []handoff.NextStep{{What: "Plan Q1", Owner: "Ada"}}}
	if _, err := e.db.RecordPodReview(context.Background(), e.sa, id, e.version(t, id), f, time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), ny(2026, 11, 18, 11)); err != nil {
		t.Fatal(err)
	}
	got := e.podReviewMails(ny(2026, 11, 18, 11))
	if len(got) != 1 {
		t.Fatalf("%d summaries, want 1", len(got))
	}
	if to := strings.Join(got[0].To, ","); to != "sa@acme.example" {
		t.Errorf("summary to %s, want only the SA: the SE is deactivated (and is the CSM's address too), the AE has no email", to)
	}
}
