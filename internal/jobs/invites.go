package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/invite"
	hmail "github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// Kickoff invites (issue 13). Scheduling, changing or cancelling the
// kickoff meeting records an event; the sweep claims it like any other
// notifying event and eventWorker mails it through inviteMessage. So an
// invite exists exactly when its change committed, goes out once however
// many instances run, and is retried like every notification.

// meetingKinds are the kickoff meeting's events: each mails the calendar
// invite, or its cancellation, to the SE, SA, AE and CSM.
var meetingKinds = []string{handoff.EventKickoffScheduled, handoff.EventKickoffRescheduled, handoff.EventKickoffCancelled}

// addInviteWorkers registers the kickoff invite workers: none of their own,
// since invites ride the event mail path (see above).
func (r *Runner) addInviteWorkers(*river.Workers) {}

// kickoff is a pack's kickoff meeting as it stands, with the deal's AE and
// CSM, and whether the event being mailed is the meeting's latest change.
type kickoff struct {
	StartsAt    time.Time  `db:"starts_at"`
	Minutes     int        `db:"minutes"`
	Place       string     `db:"place"`
	Sequence    int        `db:"sequence"`
	CancelledAt *time.Time `db:"cancelled_at"`
	ScheduledAt time.Time  `db:"scheduled_at"`
	AEName      string     `db:"ae_name"`
	AEEmail     string     `db:"ae_email"`
	CSMName     string     `db:"csm_name"`
	CSMEmail    string     `db:"csm_email"`
	Latest      bool       `db:"latest"`
}

func (k *kickoff) meeting() handoff.Meeting {
	return handoff.Meeting{StartsAt: k.StartsAt, Minutes: k.Minutes, Place: k.Place, Sequence: k.Sequence,
		CancelledAt: k.CancelledAt, ScheduledAt: k.ScheduledAt}
}

// loadKickoff reads pack packID's meeting as the invite for its event
// eventID describes it; errGone when it has none.
func loadKickoff(ctx context.Context, q postgres.Querier, packID, eventID int64) (*kickoff, error) {
	rows, err := q.Query(ctx, `
		SELECT m.starts_at, m.minutes, m.place, m.sequence, m.cancelled_at, m.scheduled_at,
		       d.ae_name, d.ae_email, d.csm_name, d.csm_email,
		       NOT EXISTS (SELECT 1 FROM pack_events o
		                   WHERE o.pack_id = m.pack_id AND o.kind = ANY($2) AND o.id > $3) AS latest
		FROM kickoff_meetings m
		JOIN packs p ON p.id = m.pack_id
		JOIN deals d ON d.id = p.deal_id
		WHERE m.pack_id = $1`, packID, meetingKinds, eventID)
	if err != nil {
		return nil, fmt.Errorf("jobs: kickoff meeting of pack %d: %w", packID, err)
	}
	k, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[kickoff])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errGone
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: kickoff meeting of pack %d: %w", packID, err)
	}
	return k, nil
}

// invitee is one person the invite goes to, with their part on the deal.
type invitee struct {
	invite.Person
	Role string // SE, SA, AE, CSM
}

// invitees are the people on p's deal the invite goes to: its SE and SA
// while active, its AE and CSM when the deal names their email; each
// address once.
func invitees(p *openPack, k *kickoff) []invitee {
	var out []invitee
	seen := map[string]bool{}
	add := func(name, email, role string) {
		a, err := mail.ParseAddress(strings.TrimSpace(email))
		if err != nil || seen[strings.ToLower(a.Address)] {
			return
		}
		seen[strings.ToLower(a.Address)] = true
		out = append(out, invitee{invite.Person{Name: name, Email: a.Address}, role})
	}
	for _, u := range []struct {
		p    person
		role string
	}{{p.se(), "SE"}, {p.sa(), "SA"}} {
		if u.p.reachable() {
			add(u.p.Name, u.p.Email, u.role)
		}
	}
	add(k.AEName, k.AEEmail, "AE")
	add(k.CSMName, k.CSMEmail, "CSM")
	return out
}

// inviteMessage is the calendar invite for meeting event e of pack p, or
// ok false when there is nothing to send. It describes the meeting as it
// stands now, at its current sequence: when a later change of the meeting
// is on its way, this event sends nothing and that one sends the latest.
func (r *Runner) inviteMessage(ctx context.Context, p *openPack, e *packEvent) (msg hmail.Message, ok bool, err error) {
	log := r.cfg.Logger.With("pack_id", p.ID, "event_id", e.ID)
	k, err := loadKickoff(ctx, r.cfg.DB.Pool, p.ID, e.ID)
	if errors.Is(err, errGone) {
		log.WarnContext(ctx, "kickoff invite not sent: the pack has no meeting")
		return msg, false, nil
	}
	if err != nil {
		return msg, false, err
	}
	if !k.Latest {
		log.InfoContext(ctx, "kickoff invite skipped: a later change of the meeting sends its own")
		return msg, false, nil
	}
	people := invitees(p, k)
	if len(people) == 0 {
		log.WarnContext(ctx, "kickoff invite not sent: nobody on the deal has an email")
		return msg, false, nil
	}
	cal, _, err := Calendar(ctx, r.cfg.DB)
	if err != nil {
		return msg, false, err
	}
	zone := cal.Location()
	inv := invite.Kickoff{
		PackID: p.ID, Account: p.AccountName, Opportunity: p.OpportunityName, PackURL: r.packURL(p.ID),
		Meeting: k.meeting(), Zone: zone, Organizer: r.organizer(), Stamp: r.cfg.Now(),
	}
	var to, who []string
	for _, x := range people {
		inv.Attendees = append(inv.Attendees, x.Person)
		to = append(to, x.Email)
		who = append(who, strings.TrimSpace(x.Name+" ("+x.Role+")"))
	}
	data, err := inv.Calendar()
	if err != nil {
		return msg, false, fmt.Errorf("jobs: kickoff invite of pack %d: %w", p.ID, err)
	}

	m := inv.Meeting
	by := e.Actor
	if by == "" {
		by = "Handoff"
	}
	short := m.StartsAt.In(zone).Format("Mon 2006-01-02 15:04 MST")
	v := web.InviteMailView{
		Facts: []web.MailFact{
			{Label: "When", Value: m.When(zone) + " (" + zone.String() + ")"},
			{Label: "Where", Value: m.Place, Link: m.PlaceURL()},
			{Label: "Invited", Value: strings.Join(who, ", ")},
		},
		Link: r.packURL(p.ID), LinkText: "Open the handoff pack",
	}
	switch {
	case m.Cancelled():
		v.Title = "Cancelled: " + inv.Summary() + ", " + short
		v.Lead = by + " cancelled the kickoff meeting for " + p.title() + "."
		v.Note = "Your calendar removes the meeting when you open this mail; if it does not, open the attached invite.ics."
	case e.Kind == handoff.EventKickoffRescheduled:
		v.Title = "Updated invitation: " + inv.Summary() + ", " + short
		v.Lead = by + " changed the kickoff meeting for " + p.title() + ". It is now:"
		v.Note = "Your calendar updates the meeting when you open this mail; if it does not, open the attached invite.ics."
	default:
		v.Title = "Invitation: " + inv.Summary() + ", " + short
		v.Lead = by + " scheduled the kickoff meeting for " + p.title() + "."
		v.Note = "Your calendar adds the meeting when you open this mail; if it does not, open the attached invite.ics. " +
			"A change later sends an update that replaces it."
	}
	var html strings.Builder
	if err := web.InviteMail(v).Render(ctx, &html); err != nil {
		return msg, false, fmt.Errorf("jobs: render %q: %w", v.Title, err)
	}
	return hmail.Message{To: to, Subject: v.Title, Text: v.Text(), HTML: html.String(),
		Calendar: &hmail.Calendar{Method: inv.Method(), Data: data}}, true, nil
}

// organizer is who the invite comes from: the From address of the mail
// (HANDOFF_MAIL_FROM), or, when mail goes to the log, the address the
// configuration would default to.
func (r *Runner) organizer() invite.Person {
	name, addr := hmail.FromAddress(r.cfg.Mail)
	if addr == "" {
		host := "localhost"
		if u, err := url.Parse(r.cfg.BaseURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		addr = "handoff@" + host
	}
	if name == "" {
		name = "Handoff"
	}
	return invite.Person{Name: name, Email: addr}
}
