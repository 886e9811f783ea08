package invite_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/invite"
)

func kickoff(t *testing.T) invite.Kickoff {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return invite.Kickoff{
		PackID: 42, Account: "Acme, Inc.", Opportunity: "Data platform;\r\nEU",
		PackURL: "https://handoff.example.com/packs/42",
		Meeting: handoff.Meeting{StartsAt: time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC), Minutes: 90,
			Place: "https://teams.example/l/meetup-join/" + strings.Repeat("19%3ameeting", 20), Sequence: 2,
			ScheduledAt: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)},
		Zone:      ny,
		Organizer: invite.Person{Name: "Handoff", Email: "handoff@example.com"},
		Attendees: []invite.Person{
			{Name: "Sam Rivera", Email: "sam@example.com"},
			{Name: "Alex Chen", Email: "alex@example.com"},
			{Name: "Pat O'Brien,\nJr.", Email: "pat@example.com"},
			{Email: "csm@example.com"},
		},
		Stamp: time.Date(2026, 11, 25, 17, 1, 0, 0, time.UTC),
	}
}

// parse reads an invite back the way a calendar would.
func parse(t *testing.T, b []byte) (*ics.Calendar, *ics.VEvent) {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse the invite: %v\n%s", err, b)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	return cal, events[0]
}

func calendarProp(cal *ics.Calendar, p ics.Property) string {
	for _, cp := range cal.CalendarProperties {
		if cp.IANAToken == string(p) {
			return cp.Value
		}
	}
	return ""
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func TestKickoffCalendar(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		cancel bool
		method string
		status string
	}{
		{"Request", false, "REQUEST", "CONFIRMED"},
		{"Cancel", true, "CANCEL", "CANCELLED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k := kickoff(t)
			if tc.cancel {
				at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
				k.Meeting.CancelledAt, k.Meeting.Sequence = &at, 3
			}
			b, err := k.Calendar()
			if err != nil {
				t.Fatal(err)
			}
			// RFC 5545: CRLF line ends, lines folded at 75 octets.
			for _, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
				if strings.Contains(line, "\n") || len(line) > 75 {
					t.Errorf("line breaks RFC 5545: %q", line)
				}
			}
			if k.Method() != tc.method {
				t.Errorf("Method = %s", k.Method())
			}
			cal, e := parse(t, b)
			for p, want := range map[ics.Property]string{ics.PropertyMethod: tc.method, ics.PropertyVersion: "2.0", ics.PropertyProductId: invite.ProductID} {
				if got := calendarProp(cal, p); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			wantSeq := "2"
			if tc.cancel {
				wantSeq = "3"
			}
			for p, want := range map[ics.ComponentProperty]string{
				ics.ComponentPropertyUniqueId:  "pack-42-kickoff@handoff.example.com",
				ics.ComponentPropertySequence:  wantSeq,
				ics.ComponentPropertyDtstamp:   "20261125T170100Z",
				ics.ComponentPropertyDtStart:   "20261201T150000Z",
				ics.ComponentPropertyDtEnd:     "20261201T163000Z",
				ics.ComponentPropertyStatus:    tc.status,
				ics.ComponentPropertyUrl:       "https://handoff.example.com/packs/42",
				ics.ComponentPropertyOrganizer: "mailto:handoff@example.com",
			} {
				if got := prop(e, p); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			// TEXT values come back as written, however they were escaped and folded.
			for p, want := range map[ics.ComponentProperty]string{
				ics.ComponentPropertySummary:  "Kickoff: Acme, Inc. — Data platform; EU",
				ics.ComponentPropertyLocation: k.Meeting.Place,
			} {
				if got := ics.FromText(prop(e, p)); got != want {
					t.Errorf("%s = %q, want %q", p, got, want)
				}
			}
			desc := ics.FromText(prop(e, ics.ComponentPropertyDescription))
			for _, want := range []string{"When: Tue 2026-12-01, 10:00–11:30 EST (America/New_York)", "The handoff pack: https://handoff.example.com/packs/42"} {
				if !strings.Contains(desc, want) {
					t.Errorf("description lacks %q:\n%s", want, desc)
				}
			}
			if strings.Contains(desc, "cancelled") != tc.cancel {
				t.Errorf("description, cancelled %v:\n%s", tc.cancel, desc)
			}
			start, err := e.GetStartAt()
			if err != nil || !start.Equal(k.Meeting.StartsAt) {
				t.Errorf("start = %s (%v)", start, err)
			}

			as := e.Attendees()
			if len(as) != len(k.Attendees) {
				t.Fatalf("%d attendees, want %d", len(as), len(k.Attendees))
			}
			for i, a := range as {
				if a.Email() != k.Attendees[i].Email {
					t.Errorf("attendee %d = %s, want %s", i, a.Email(), k.Attendees[i].Email)
				}
				if a.ParticipationStatus() != ics.ParticipationStatusNeedsAction {
					t.Errorf("%s PARTSTAT = %s", a.Email(), a.ParticipationStatus())
				}
				for param, want := range map[string]string{"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE", "CUTYPE": "INDIVIDUAL"} {
					if got := a.ICalParameters[param]; len(got) != 1 || got[0] != want {
						t.Errorf("%s %s = %v, want %s", a.Email(), param, got, want)
					}
				}
			}
			// Names travel without the backslashes golang-ical would add.
			if got := as[2].ICalParameters["CN"]; len(got) != 1 || got[0] != "Pat O’Brien Jr." {
				t.Errorf("CN = %v", got)
			}
			if _, ok := as[3].ICalParameters["CN"]; ok {
				t.Errorf("a nameless attendee has a CN: %v", as[3].ICalParameters)
			}
		})
	}
}

// Someone taken off a meeting that goes on (they left the deal) gets a
// CANCEL of the same event at its raised sequence, naming only them and
// without STATUS:CANCELLED (RFC 5546 §3.2.5), so their calendar drops it
// while the others' keep it.
func TestKickoffCalendarRemovedAttendee(t *testing.T) {
	t.Parallel()
	k := kickoff(t)
	k.Meeting.Sequence = 3
	k.Attendees = []invite.Person{{Name: "Alex Chen", Email: "alex@example.com"}}
	k.Removed = true
	b, err := k.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	if k.Method() != invite.Cancel {
		t.Errorf("Method = %s, want CANCEL", k.Method())
	}
	cal, e := parse(t, b)
	if got := calendarProp(cal, ics.PropertyMethod); got != "CANCEL" {
		t.Errorf("METHOD = %s", got)
	}
	if prop(e, ics.ComponentPropertyUniqueId) != "pack-42-kickoff@handoff.example.com" || prop(e, ics.ComponentPropertySequence) != "3" {
		t.Errorf("UID %s, SEQUENCE %s", prop(e, ics.ComponentPropertyUniqueId), prop(e, ics.ComponentPropertySequence))
	}
	if e.GetProperty(ics.ComponentPropertyStatus) != nil {
		t.Errorf("a cancellation for one attendee carries STATUS %s: the meeting goes on", prop(e, ics.ComponentPropertyStatus))
	}
	if as := e.Attendees(); len(as) != 1 || as[0].Email() != "alex@example.com" {
		t.Errorf("attendees = %v, want only the one taken off", as)
	}
	if desc := ics.FromText(prop(e, ics.ComponentPropertyDescription)); !strings.Contains(desc, "You are no longer invited") {
		t.Errorf("description:\n%s", desc)
	}
}

// The UID is the pack's for good: a new time, a cancellation, another copy
// keep it, so calendars update one event.
func TestKickoffUIDIsStable(t *testing.T) {
	t.Parallel()
	k := kickoff(t)
	moved := k
	moved.Meeting.StartsAt = moved.Meeting.StartsAt.Add(48 * time.Hour)
	moved.Meeting.Sequence++
	moved.Stamp = moved.Stamp.Add(time.Hour)
	if k.UID() != moved.UID() {
		t.Errorf("UID moved with the meeting: %s → %s", k.UID(), moved.UID())
	}
	other := k
	other.PackID = 43
	if k.UID() == other.UID() {
		t.Error("two packs share a UID")
	}
}

func TestKickoffCalendarRefusesIncompleteInvites(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]func(*invite.Kickoff){
		"ErrNoOrganizer": func(k *invite.Kickoff) { k.Organizer.Email = "" },
		"ErrNoAttendees": func(k *invite.Kickoff) { k.Attendees = nil },
		"ErrNoZone":      func(k *invite.Kickoff) { k.Zone = nil },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			k := kickoff(t)
			f(&k)
			if _, err := k.Calendar(); err == nil {
				t.Error("built an invite anyway")
			}
		})
	}
}
