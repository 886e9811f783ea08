package handoff

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The kickoff meeting (issue 13): after submission the pack's SE or SA
// schedules the kickoff call, and everyone on the deal gets a calendar
// invite. Who may schedule, and when, is ActScheduleKickoff in Decide's
// table; this file holds what a meeting is and how a typed one is read.

// Limits of a kickoff meeting. The form shows them (its length choices, the
// place's maxlength), and MeetingInput.Parse enforces them.
const (
	// MinMeetingMinutes and MaxMeetingMinutes bound a meeting's length: a
	// quarter of an hour up to a working day (an on-site kickoff).
	MinMeetingMinutes = 15
	MaxMeetingMinutes = 480
	// DefaultMeetingMinutes is the length the form offers first.
	DefaultMeetingMinutes = 60
	// MaxMeetingPlace bounds the place: a room or an address is short, but
	// a Teams or Zoom link with its passcode runs to hundreds of characters.
	MaxMeetingPlace = MaxLink
	// MaxMeetingAhead is how far ahead a kickoff may be scheduled; the
	// kickoff is due days after Closed-Won, so a date further out is a slip
	// of the keyboard (2027 for 2026).
	MaxMeetingAhead = 365 // days
)

// MeetingLengths are the lengths the form offers, in minutes.
var MeetingLengths = []int{30, 45, 60, 90, 120, 180, 240}

// The kickoff meeting form's fields; field errors are keyed by them.
const (
	MeetingOnField      = "meeting_on"
	MeetingStartField   = "meeting_start"
	MeetingMinutesField = "meeting_minutes"
	MeetingPlaceField   = "meeting_place"
)

// Meeting is a pack's kickoff meeting as it stands.
type Meeting struct {
	StartsAt time.Time // the instant it starts
	Minutes  int
	Place    string // a room, an address or a meeting link
	// Sequence counts the changes since it was first scheduled: the
	// invites' iCalendar SEQUENCE, and the version a change form is based on.
	Sequence    int
	CancelledAt *time.Time
	ScheduledBy string    // who made the latest change, or changed the people invited
	ScheduledAt time.Time // when
	// Invitees are who the invite went to (or is on its way to) as the
	// meeting stands: MeetingPeople.Invitees when it was last scheduled or
	// changed, or when the people on the deal last changed while it stood.
	Invitees []Invitee
}

// EndsAt is when the meeting ends.
func (m Meeting) EndsAt() time.Time { return m.StartsAt.Add(time.Duration(m.Minutes) * time.Minute) }

// Cancelled reports whether the meeting was called off (and not scheduled
// again since).
func (m Meeting) Cancelled() bool { return m.CancelledAt != nil }

// SameAs reports whether m and o are the same meeting for its invitees:
// the same start, length and place.
func (m Meeting) SameAs(o Meeting) bool {
	return m.StartsAt.Equal(o.StartsAt) && m.Minutes == o.Minutes && m.Place == o.Place
}

// Day is the meeting's date in loc, the org's zone: YYYY-MM-DD.
func (m Meeting) Day(loc *time.Location) string { return m.StartsAt.In(loc).Format(time.DateOnly) }

// When is the meeting's date and time in loc, the org's zone, as people
// read it: "Tue 2026-12-01, 10:00–11:00 EST". The zone's abbreviation is
// always there, so a meeting in the hour the clocks repeat is unambiguous
// ("01:30 EDT–01:30 EST").
func (m Meeting) When(loc *time.Location) string {
	start, end := m.StartsAt.In(loc), m.EndsAt().In(loc)
	s := start.Format("Mon 2006-01-02, 15:04")
	switch {
	case start.Format("2006-01-02") != end.Format("2006-01-02"):
		return s + " " + start.Format("MST") + "–" + end.Format("Mon 2006-01-02, 15:04 MST")
	case start.Format("MST") != end.Format("MST"):
		return s + " " + start.Format("MST") + "–" + end.Format("15:04 MST")
	}
	return s + "–" + end.Format("15:04 MST")
}

// PlaceURL is the place when it is a web link (a video call), for pages and
// mails to link; "" otherwise.
func (m Meeting) PlaceURL() string {
	u, err := url.Parse(m.Place)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(m.Place, " \t") {
		return ""
	}
	return m.Place
}

// LengthLabel is a meeting length in words: "45 minutes", "1 hour",
// "1 hour 30 minutes".
func LengthLabel(minutes int) string {
	h, m := minutes/60, minutes%60
	var parts []string
	switch {
	case h == 1:
		parts = append(parts, "1 hour")
	case h > 1:
		parts = append(parts, strconv.Itoa(h)+" hours")
	}
	if m > 0 || h == 0 {
		parts = append(parts, strconv.Itoa(m)+" minutes")
	}
	return strings.Join(parts, " ")
}

// MeetingInput is the kickoff meeting as typed: the date and start time on
// the org's clocks, the length in minutes, and the place.
type MeetingInput struct {
	On      string // YYYY-MM-DD
	Start   string // HH:MM, 24-hour
	Minutes string
	Place   string
}

// Parse reads the meeting typed in, its date and time on the clocks of loc
// (the org's zone), as of now. It refuses, each with a message beside its
// field: a missing or malformed date or time; a date that has passed, or
// today at a time that has; a date more than MaxMeetingAhead days away; a
// time the clocks skip that day (the hour they go forward), naming the
// first time that exists after it; a length outside MinMeetingMinutes to
// MaxMeetingMinutes; a missing or too long place. In the hour the clocks go
// back, which comes twice, it is the first: the one the clocks read before
// going back, shown with its zone abbreviation everywhere. The place comes
// back on one line, runs of spaces and line breaks made one space.
func (in MeetingInput) Parse(loc *time.Location, now time.Time) (Meeting, error) {
	fe := FieldErrors{}
	m := Meeting{Place: OneLine(in.Place)}
	today := dateOf(now.In(loc))

	day, dayErr := meetingDay(in.On, today)
	if dayErr != "" {
		fe.Add(MeetingOnField, dayErr)
	}
	hour, minute, timeErr := clockTime(in.Start)
	if timeErr != "" {
		fe.Add(MeetingStartField, timeErr)
	}
	if dayErr == "" && timeErr == "" {
		at := wallClock(day, hour, minute, loc)
		switch {
		case len(at) == 0:
			fe.Add(MeetingStartField, "There is no "+in.Start+" on "+day.Format(time.DateOnly)+" in "+loc.String()+
				": the clocks go forward that night. Pick another time, such as "+firstAfterGap(day, hour, minute, loc)+".")
		case at[0].Before(now):
			fe.Add(MeetingStartField, "That time has passed: it is "+now.In(loc).Format("15:04")+" now in "+loc.String()+". Pick a later time.")
		default:
			m.StartsAt = at[0]
		}
	}

	switch n, err := strconv.Atoi(strings.TrimSpace(in.Minutes)); {
	case strings.TrimSpace(in.Minutes) == "":
		fe.Add(MeetingMinutesField, "Choose how long the meeting is.")
	case err != nil || n < MinMeetingMinutes || n > MaxMeetingMinutes:
		fe.Add(MeetingMinutesField, "Choose a length from "+LengthLabel(MinMeetingMinutes)+" to "+LengthLabel(MaxMeetingMinutes)+".")
	default:
		m.Minutes = n
	}

	if m.Place == "" {
		fe.Add(MeetingPlaceField, "Say where it happens: a room, an address or the meeting link.")
	}
	checkLen(fe, MeetingPlaceField, m.Place, MaxMeetingPlace)
	if err := fe.Err(); err != nil {
		return Meeting{}, err
	}
	return m, nil
}

// OneLine is s on one line: control characters and runs of spaces and line
// breaks become one space, the ends trimmed. A calendar invite and its mail
// header carry such text, where a line break or a control character would
// break the line it sits on.
func OneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)), " ")
}

// meetingDay reads the meeting's date, a civil date at 00:00 UTC, or says
// what is wrong with it.
func meetingDay(raw string, today time.Time) (time.Time, string) {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}, "Enter the date of the kickoff meeting."
	}
	day, err := ParseDate(raw)
	switch {
	case err != nil:
		return time.Time{}, ErrorMessage(err)
	case day.Before(today):
		return time.Time{}, "That date has passed. Pick today (" + today.Format(time.DateOnly) + ") or a later date."
	case day.After(today.AddDate(0, 0, MaxMeetingAhead)):
		return time.Time{}, "Pick a date within a year from today; the kickoff is due days after Closed-Won."
	}
	return day, ""
}

// clockTime reads a 24-hour "HH:MM" (browsers' time inputs send "HH:MM:SS"
// when seconds are offered; those are accepted and must be zero).
func clockTime(raw string) (hour, minute int, msg string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, 0, "Enter the start time, such as 14:30."
	}
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, raw); err == nil && t.Second() == 0 {
			return t.Hour(), t.Minute(), ""
		}
	}
	return 0, 0, "Enter the start time as hours and minutes on a 24-hour clock, such as 14:30."
}

// dateOf is t's date (on t's own clocks) as a civil date at 00:00 UTC.
func dateOf(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// wallClock returns every instant at which the clocks of loc read hour:minute
// on day (a civil date), earliest first: one on most days, none when the
// clocks jump over that time (the night they go forward), two when they
// read it twice (the night they go back). time.Date alone picks one of the
// two "without guarantee" and silently moves a skipped time, which a
// meeting invite must not do.
func wallClock(day time.Time, hour, minute int, loc *time.Location) []time.Time {
	naive := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
	var out []time.Time
	// The offsets in force around that time: a zone changes its offset at
	// most once within a day or so, so the offsets a day before and a day
	// after are every offset the clocks can have then.
	for _, probe := range []time.Time{naive.Add(-26 * time.Hour), naive, naive.Add(26 * time.Hour)} {
		_, offset := probe.In(loc).Zone()
		at := naive.Add(-time.Duration(offset) * time.Second)
		local := at.In(loc)
		if local.Year() != day.Year() || local.YearDay() != day.YearDay() || local.Hour() != hour || local.Minute() != minute {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o.Equal(at)
		}
		if !dup {
			out = append(out, at)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// firstAfterGap is the first time ("03:00") that exists on day in loc after
// hour:minute, which the clocks skip.
func firstAfterGap(day time.Time, hour, minute int, loc *time.Location) string {
	naive := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
	for step := 1; step <= 24*60; step++ {
		t := naive.Add(time.Duration(step) * time.Minute)
		if len(wallClock(dateOf(t), t.Hour(), t.Minute(), loc)) > 0 {
			return t.Format("15:04")
		}
	}
	return "a time an hour later"
}

// MeetingChanges says how meeting m changed to n, in loc (the org's zone),
// for its history line: "time Tue 2026-12-01, 10:00–11:00 EST → Wed
// 2026-12-02, 14:00–15:00 EST", "place Room 4 → https://…". Nothing when
// they are the same meeting.
func MeetingChanges(m, n Meeting, loc *time.Location) []string {
	var out []string
	if !m.StartsAt.Equal(n.StartsAt) || m.Minutes != n.Minutes {
		out = append(out, "time "+m.When(loc)+" → "+n.When(loc))
	}
	if m.Place != n.Place {
		out = append(out, "place "+m.Place+" → "+n.Place)
	}
	return out
}
