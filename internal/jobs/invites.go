package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/invite"
	hmail "github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// Kickoff invites (issue 13). Scheduling, changing or cancelling the
// kickoff meeting records an event, and so does a change of the people on
// the deal while the meeting stands; the sweep claims it like any other
// notifying event and eventWorker mails it through inviteMessage. So an
// invite exists exactly when its change committed, goes out once however
// many instances run, and is retried like every notification. Who it goes
// to was decided in that change's transaction and stored with the meeting
// (kickoff_invitees): the mail goes to that list.

// meetingKinds are the kickoff meeting's events: each mails the calendar
// invite, or its cancellation, to the people invited, and a cancellation
// to anyone taken off it.
var meetingKinds = []string{handoff.EventKickoffScheduled, handoff.EventKickoffRescheduled, handoff.EventKickoffCancelled,
	handoff.EventKickoffInviteesChanged}

// kickoff is a pack's kickoff meeting as it stands, and whether the event
// being mailed is the meeting's latest change.
type kickoff struct {
	StartsAt    time.Time  `db:"starts_at"`
	Minutes     int        `db:"minutes"`
	Place       string     `db:"place"`
	Sequence    int        `db:"sequence"`
	CancelledAt *time.Time `db:"cancelled_at"`
	ScheduledAt time.Time  `db:"scheduled_at"`
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
		       NOT EXISTS (SELECT 1 FROM pack_events o
		                   WHERE o.pack_id = m.pack_id AND o.kind = ANY($2) AND o.id > $3) AS latest
		FROM kickoff_meetings m
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

// invitee is one row of kickoff_invitees.
type invitee struct {
	Role    string `db:"role"`
	Name    string `db:"name"`
	Email   string `db:"email"`
	Removed bool   `db:"removed"`
}

// loadInvitees reads who pack packID's invite goes to, in the order of
// their roles, and who was taken off it with their cancellation still to
// send.
func loadInvitees(ctx context.Context, q postgres.Querier, packID int64) (invited, removed []handoff.Invitee, err error) {
	rows, err := q.Query(ctx, `
		SELECT role, name, email, removed FROM kickoff_invitees WHERE pack_id = $1
		ORDER BY array_position(ARRAY['SE', 'SA', 'AE', 'CSM'], role), email`, packID)
	if err != nil {
		return nil, nil, fmt.Errorf("jobs: kickoff invitees of pack %d: %w", packID, err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowToStructByName[invitee])
	if err != nil {
		return nil, nil, fmt.Errorf("jobs: kickoff invitees of pack %d: %w", packID, err)
	}
	for _, i := range all {
		x := handoff.Invitee{Role: i.Role, Name: i.Name, Email: i.Email}
		if i.Removed {
			removed = append(removed, x)
		} else {
			invited = append(invited, x)
		}
	}
	return invited, removed, nil
}

// people are the invitees is as the invite's attendees, and their
// addresses for the mail.
func people(is []handoff.Invitee) (ps []invite.Person, to []string) {
	for _, i := range is {
		ps = append(ps, invite.Person{Name: i.Name, Email: i.Email})
		to = append(to, i.Email)
	}
	return ps, to
}

// inviteMessage is the calendar invite for meeting event e of pack p, or
// ok false when there is nothing to send. It describes the meeting as it
// stands now, at its current sequence, to the people invited now: when a
// later change of the meeting (or of the people) is on its way, this event
// sends nothing and that one sends the latest. Anyone taken off the meeting
// since the last invite first gets their own cancellation, sent here (see
// sendUninvites).
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
	invited, removed, err := loadInvitees(ctx, r.cfg.DB.Pool, p.ID)
	if err != nil {
		return msg, false, err
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
	if len(removed) > 0 {
		if err := r.sendUninvites(ctx, p, inv, removed); err != nil {
			return msg, false, err
		}
	}
	if len(invited) == 0 {
		log.WarnContext(ctx, "kickoff invite not sent: nobody on the deal has an email")
		return msg, false, nil
	}
	var to []string
	inv.Attendees, to = people(invited)
	data, err := inv.Calendar()
	if err != nil {
		return msg, false, fmt.Errorf("jobs: kickoff invite of pack %d: %w", p.ID, err)
	}

	m := inv.Meeting
	by := actorName(e)
	short := shortWhen(m, zone)
	v := web.InviteMailView{
		Facts: append(whenWhere(m, zone),
			web.MailFact{Label: "Invited", Value: strings.Join(handoff.Labels(invited), ", ")}),
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
	case e.Kind == handoff.EventKickoffInviteesChanged:
		v.Title = "Updated invitation: " + inv.Summary() + ", " + short
		v.Lead = by + " changed the people on the deal for " + p.title() + ", so the kickoff invite now goes to everyone below. The meeting:"
		v.Note = "Your calendar adds or updates the meeting when you open this mail; if it does not, open the attached invite.ics."
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

// sendUninvites mails the people taken off pack p's meeting (removed) the
// cancellation that removes it from their calendars alone: inv, naming only
// them, at the meeting's current sequence, which is above any invite they
// hold. Then it forgets them, so a retry of the invite to the others does
// not mail them again; someone invited back meanwhile is no longer a
// removed row and stays. It is sent here, before the invite the worker
// sends, because one event mails two messages: the others must not see who
// was taken off, nor these people the meeting's new list.
func (r *Runner) sendUninvites(ctx context.Context, p *openPack, inv invite.Kickoff, removed []handoff.Invitee) error {
	var to []string
	inv.Attendees, to = people(removed)
	inv.Removed = true
	data, err := inv.Calendar()
	if err != nil {
		return fmt.Errorf("jobs: kickoff cancellation of pack %d: %w", p.ID, err)
	}
	m, zone := inv.Meeting, inv.Zone
	v := web.InviteMailView{
		Title: "No longer invited: " + inv.Summary() + ", " + shortWhen(m, zone),
		Lead:  "The people on the deal for " + p.title() + " changed, and you are no longer among them, so you are no longer invited to its kickoff meeting:",
		Facts: whenWhere(m, zone),
		Note:  "Your calendar removes the meeting when you open this mail; if it does not, open the attached invite.ics.",
		// No link: the pack is no longer theirs to open.
		Footer: "Sent by Handoff because you were invited to this meeting as one of the people on the deal.",
	}
	var html strings.Builder
	if err := web.InviteMail(v).Render(ctx, &html); err != nil {
		return fmt.Errorf("jobs: render %q: %w", v.Title, err)
	}
	if err := r.cfg.Mail.Send(ctx, hmail.Message{To: to, Subject: v.Title, Text: v.Text(), HTML: html.String(),
		Calendar: &hmail.Calendar{Method: inv.Method(), Data: data}}); err != nil {
		return err
	}
	if _, err := r.cfg.DB.Pool.Exec(ctx, `DELETE FROM kickoff_invitees WHERE pack_id = $1 AND removed AND email = ANY($2)`,
		p.ID, to); err != nil {
		return fmt.Errorf("jobs: forget who left the kickoff of pack %d: %w", p.ID, err)
	}
	return nil
}

// shortWhen is when meeting m starts, in zone, for a mail's subject.
func shortWhen(m handoff.Meeting, zone *time.Location) string {
	return m.StartsAt.In(zone).Format("Mon 2006-01-02 15:04 MST")
}

// whenWhere are the facts every invite mail states: when meeting m is, in
// zone, and where.
func whenWhere(m handoff.Meeting, zone *time.Location) []web.MailFact {
	return []web.MailFact{
		{Label: "When", Value: m.When(zone) + " (" + zone.String() + ")"},
		{Label: "Where", Value: m.Place, Link: m.PlaceURL()},
	}
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
