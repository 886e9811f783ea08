// Package invite builds the kickoff meeting's calendar invitation: one
// iCalendar object (RFC 5545) per mail, carrying an iTIP method (RFC 5546)
// for delivery by e-mail (iMIP, RFC 6047), written with arran4/golang-ical.
//
// Calendars recognise the event by its UID, which stays the same for a pack
// for ever; a higher SEQUENCE replaces what they hold, and METHOD:CANCEL
// with STATUS:CANCELLED removes it. Someone taken off a meeting that goes
// on gets METHOD:CANCEL naming only them, without STATUS (RFC 5546
// §3.2.5), which removes it from their calendar alone. Times are in UTC,
// which every client shows in its own zone, so no VTIMEZONE has to travel
// with the event.
package invite

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/handoff-app/handoff/internal/handoff"
)

// The iTIP methods an invite carries.
const (
	Request = "REQUEST" // a new or changed meeting
	Cancel  = "CANCEL"  // a cancelled one
)

// ProductID names Handoff as the invite's maker (PRODID).
const ProductID = "-//Handoff//Kickoff invites//EN"

// Person is the organizer or an attendee.
type Person struct {
	Name  string
	Email string
}

// Kickoff is one pack's kickoff meeting, as its invite describes it.
type Kickoff struct {
	PackID      int64
	Account     string
	Opportunity string
	// PackURL is the pack's page (BaseURL/packs/{id}): the event links
	// to it, and its host makes the UID unique to this deployment.
	PackURL   string
	Meeting   handoff.Meeting
	Zone      *time.Location // the org's, for the times in the description
	Organizer Person         // the address the mail comes from
	Attendees []Person       // SE, SA, AE and CSM, each with an email
	Stamp     time.Time      // when this copy is made (DTSTAMP)
	// Removed makes k the cancellation for Attendees alone: they were taken
	// off the meeting (they left the deal), which goes on for the others.
	Removed bool
}

// Method is the iTIP method of k's invite: CANCEL for a cancelled meeting
// or for attendees taken off it, else REQUEST.
func (k Kickoff) Method() string {
	if k.Meeting.Cancelled() || k.Removed {
		return Cancel
	}
	return Request
}

// UID is the event's identity, the same for every invite of the pack, so
// a calendar updates (or removes) one event rather than adding another:
// "pack-42-kickoff@handoff.example.com".
func (k Kickoff) UID() string {
	host := "handoff.invalid"
	if u, err := url.Parse(k.PackURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "pack-" + strconv.FormatInt(k.PackID, 10) + "-kickoff@" + host
}

// Summary is the event's title: "Kickoff: Acme — Acme platform".
func (k Kickoff) Summary() string {
	return "Kickoff: " + handoff.OneLine(k.Account) + " — " + handoff.OneLine(k.Opportunity)
}

// Description is the event's notes: the account, when and where in the
// org's zone, and the link to the pack the SA and SE work from.
func (k Kickoff) Description() string {
	var b strings.Builder
	b.WriteString("Kickoff call for " + handoff.OneLine(k.Account) + " — " + handoff.OneLine(k.Opportunity) + ".\n")
	b.WriteString("When: " + k.Meeting.When(k.Zone) + " (" + k.Zone.String() + ")\n")
	b.WriteString("Where: " + handoff.OneLine(k.Meeting.Place) + "\n")
	switch {
	case k.Meeting.Cancelled():
		b.WriteString("\nThis meeting is cancelled.\n")
	case k.Removed:
		b.WriteString("\nYou are no longer invited: the people on the deal changed.\n")
	}
	b.WriteString("\nThe handoff pack: " + k.PackURL + "\n")
	return b.String()
}

// Calendar is k's invite: a VCALENDAR with k's method and one VEVENT,
// lines ending in CRLF as RFC 5545 requires.
func (k Kickoff) Calendar() ([]byte, error) {
	if k.Organizer.Email == "" {
		return nil, errors.New("invite: the organizer has no email")
	}
	if len(k.Attendees) == 0 {
		return nil, errors.New("invite: nobody to invite")
	}
	if k.Zone == nil {
		return nil, errors.New("invite: no time zone")
	}
	cal := ics.NewCalendarFor("Handoff")
	cal.SetProductId(ProductID)
	cal.SetMethod(ics.Method(k.Method()))
	cal.SetCalscale("GREGORIAN")

	m := k.Meeting
	e := cal.AddEvent(k.UID())
	e.SetSequence(m.Sequence)
	e.SetDtStampTime(k.Stamp)
	e.SetStartAt(m.StartsAt)
	e.SetEndAt(m.EndsAt())
	if !m.ScheduledAt.IsZero() {
		e.SetLastModifiedAt(m.ScheduledAt)
	}
	e.SetSummary(k.Summary())
	e.SetDescription(k.Description())
	e.SetLocation(handoff.OneLine(m.Place))
	e.SetURL(k.PackURL)
	e.SetOrganizer(k.Organizer.Email, ics.WithCN(cn(k.Organizer.Name)))
	for _, a := range k.Attendees {
		// Handoff reads no replies, so it asks for none (RSVP=FALSE):
		// accepting still puts the meeting in the person's calendar, and
		// nobody's answer lands unread in the From mailbox.
		params := []ics.PropertyParameter{ics.CalendarUserTypeIndividual, ics.ParticipationRoleReqParticipant,
			ics.ParticipationStatusNeedsAction, &ics.KeyValues{Key: string(ics.ParameterRsvp), Value: []string{"FALSE"}}}
		if name := cn(a.Name); name != "" {
			params = append(params, ics.WithCN(name))
		}
		e.AddAttendee(a.Email, params...)
	}
	switch {
	case m.Cancelled():
		e.SetStatus(ics.ObjectStatusCancelled)
	case !k.Removed: // taking attendees off leaves the event's status alone
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
	e.SetTimeTransparency(ics.TransparencyOpaque)

	var b strings.Builder
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("invite: serialize pack %d: %w", k.PackID, err)
	}
	return []byte(b.String()), nil
}

// cnReplacer makes a name safe as a CN parameter. golang-ical escapes
// parameter values with backslashes rather than quoting them as RFC 5545
// §3.2 asks, and calendars would show "O\'Brien" or "Doe\, Jo"; typographic
// quotes read the same to people and need no escaping.
var cnReplacer = strings.NewReplacer(`'`, "’", `"`, "”", `,`, " ", `;`, " ", `:`, " ", `\`, " ")

// cn is name as a CN parameter value, on one line.
func cn(name string) string { return handoff.OneLine(cnReplacer.Replace(name)) }
