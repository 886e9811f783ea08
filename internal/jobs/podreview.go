package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	hmail "github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// The summary of a pod review (handoff/podreview.go). Recording a review
// writes its event in the same transaction; the sweep claims the event like
// any notifying one and eventWorker mails the summary to the account's pod:
// the SE and SA (while active) and the AE and CSM named on the deal, each
// address once, nobody without one.

// loadPodReview reads the review pack packID's event at at records: the
// review recorded in that event's transaction, at the same moment.
func loadPodReview(ctx context.Context, q postgres.Querier, packID int64, at time.Time) (handoff.PodReviewRecord, error) {
	var (
		rec     handoff.PodReviewRecord
		posture string
		data    []byte
	)
	err := q.QueryRow(ctx, `
		SELECT r.id, r.held_on, r.due_on, r.posture, r.renewal_on, r.data, r.recorded_at, coalesce(u.name, '')
		FROM pod_reviews r LEFT JOIN users u ON u.id = r.recorded_by
		WHERE r.pack_id = $1 AND r.recorded_at = $2 ORDER BY r.id DESC LIMIT 1`, packID, at).
		Scan(&rec.ID, &rec.HeldOn, &rec.DueOn, &posture, &rec.RenewalOn, &data, &rec.RecordedAt, &rec.RecordedBy)
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, errGone
	}
	if err != nil {
		return rec, fmt.Errorf("jobs: pod review of pack %d at %s: %w", packID, at, err)
	}
	rec.Posture = handoff.Posture(posture)
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("jobs: decode pod review %d: %w", rec.ID, err)
	}
	return rec, nil
}

// dealContacts are the AE and CSM of pack packID's deal who can get mail:
// those with an address that is not a deactivated person's.
func dealContacts(ctx context.Context, q postgres.Querier, packID int64) ([]handoff.Contact, error) {
	var ae, csm handoff.Contact
	var aeGone, csmGone bool
	err := q.QueryRow(ctx, `
		SELECT d.ae_name, d.ae_email, d.csm_name, d.csm_email,
		       EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(d.ae_email) AND NOT u.active),
		       EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(d.csm_email) AND NOT u.active)
		FROM packs p JOIN deals d ON d.id = p.deal_id WHERE p.id = $1`, packID).
		Scan(&ae.Name, &ae.Email, &csm.Name, &csm.Email, &aeGone, &csmGone)
	if err != nil {
		return nil, fmt.Errorf("jobs: AE and CSM of pack %d: %w", packID, err)
	}
	var out []handoff.Contact
	for _, c := range []struct {
		handoff.Contact
		gone bool
	}{{ae, aeGone}, {csm, csmGone}} {
		if c.Email != "" && !c.gone {
			out = append(out, c.Contact)
		}
	}
	return out, nil
}

// podReviewMessage is the summary of pod review event e on pack p to its
// pod, or ok false when there is nobody to send it to.
func (r *Runner) podReviewMessage(ctx context.Context, p *openPack, e *packEvent) (msg hmail.Message, ok bool, err error) {
	log := r.cfg.Logger.With("pack_id", p.ID, "event_id", e.ID)
	rec, err := loadPodReview(ctx, r.cfg.DB.Pool, p.ID, e.At)
	if errors.Is(err, errGone) {
		log.WarnContext(ctx, "pod review summary not sent: the review is gone")
		return msg, false, nil
	}
	if err != nil {
		return msg, false, err
	}
	contacts, err := dealContacts(ctx, r.cfg.DB.Pool, p.ID)
	if err != nil {
		return msg, false, err
	}
	var to []string
	seen := map[string]bool{}
	add := func(email string) {
		if key := strings.ToLower(email); email != "" && !seen[key] {
			seen[key] = true
			to = append(to, email)
		}
	}
	for _, u := range []person{p.se(), p.sa()} {
		if u.reachable() {
			add(u.Email)
		}
	}
	for _, c := range contacts {
		add(c.Email)
	}
	if len(to) == 0 {
		log.WarnContext(ctx, "pod review summary not sent: nobody in the pod has an email")
		return msg, false, nil
	}
	v := podReviewView(rec, p.title(), actorName(e), r.packURL(p.ID))
	var html strings.Builder
	if err := web.PodReviewMail(v).Render(ctx, &html); err != nil {
		return msg, false, fmt.Errorf("jobs: render %q: %w", v.Title, err)
	}
	return hmail.Message{To: to, Subject: v.Title, Text: v.Text(), HTML: html.String()}, true, nil
}

// podReviewView is the summary of review rec of the account title, recorded
// by by, the pack at packURL.
func podReviewView(rec handoff.PodReviewRecord, title, by, packURL string) web.PodReviewMailView {
	account, _, _ := strings.Cut(title, " — ")
	next := deadline.NextPodReview(true, handoff.StatusLocked, deadline.Day{}, deadline.DayOf(rec.HeldOn, time.UTC))
	v := web.PodReviewMailView{
		Title: "Pod review: " + account + " — renewal " + rec.Posture.Words(),
		Lead:  by + " recorded the pod review of " + web.Date(rec.HeldOn) + " for " + title + ".",
		Facts: []web.MailFact{
			{Label: "Held", Value: web.Date(rec.HeldOn) + ", " + strings.ToLower(rec.Timeliness()[:1]) + rec.Timeliness()[1:]},
			{Label: "Attended", Value: strings.Join(rec.Attended(), ", ")},
			{Label: "Champion", Value: rec.Champion.Words()},
			{Label: "Renewal", Value: rec.Posture.Label() + ", renews " + web.Date(rec.RenewalOn)},
			{Label: "Next pod review", Value: "due " + next.String()},
		},
		Link: packURL + "/reviews", PackLink: packURL,
	}
	levers := web.MailSection{Heading: "Expansion levers", Items: rec.Levers}
	if len(rec.Levers) == 0 {
		levers.Items = []string{"None recorded."}
	}
	risks := web.MailSection{Heading: "Technical risks"}
	for _, k := range rec.Risks {
		risks.Items = append(risks.Items, k.Words())
	}
	if len(rec.Risks) == 0 {
		risks.Items = []string{"None discussed."}
	}
	steps := web.MailSection{Heading: "Next steps"}
	for _, s := range rec.NextSteps {
		steps.Items = append(steps.Items, s.What+" — owner: "+s.Owner)
	}
	v.Sections = []web.MailSection{levers, risks, steps}
	return v
}
