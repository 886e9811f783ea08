package handoff

import (
	"strings"
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestMeetingInputParse(t *testing.T) {
	t.Parallel()
	// Noon in New York on Wednesday 2026-11-25.
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	ok := MeetingInput{On: "2026-12-01", Start: "10:00", Minutes: "60", Place: "Zoom https://zoom.example/j/1"}
	with := func(f func(*MeetingInput)) MeetingInput {
		in := ok
		f(&in)
		return in
	}
	for _, tc := range []struct {
		name  string
		zone  string
		in    MeetingInput
		start time.Time // the instant, when accepted
		field string    // the field refused, when refused
		says  string    // what its message says
	}{
		{name: "Accepted", in: ok, start: time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)},
		{name: "AcceptedWithSeconds", in: with(func(i *MeetingInput) { i.Start = "10:00:00" }), start: time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)},
		{name: "AcceptedLaterToday", in: with(func(i *MeetingInput) { i.On, i.Start = "2026-11-25", "12:30" }), start: time.Date(2026, 11, 25, 17, 30, 0, 0, time.UTC)},
		{name: "AcceptedInTheOrgZone", zone: "Europe/Berlin", in: ok, start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		{name: "AcceptedSummerTime", in: with(func(i *MeetingInput) { i.On = "2027-06-01" }), start: time.Date(2027, 6, 1, 14, 0, 0, 0, time.UTC)},
		// 01:30 comes twice the night New York goes back: the first, EDT.
		{name: "OverlapTakesTheFirst", in: with(func(i *MeetingInput) { i.On, i.Start = "2027-11-07", "01:30" }), start: time.Date(2027, 11, 7, 5, 30, 0, 0, time.UTC)},
		{name: "ErrDateMissing", in: with(func(i *MeetingInput) { i.On = " " }), field: MeetingOnField, says: "Enter the date"},
		{name: "ErrDateMalformed", in: with(func(i *MeetingInput) { i.On = "12/01/2026" }), field: MeetingOnField, says: "YYYY-MM-DD"},
		{name: "ErrDateNotADate", in: with(func(i *MeetingInput) { i.On = "2026-02-30" }), field: MeetingOnField, says: "YYYY-MM-DD"},
		{name: "ErrDatePassed", in: with(func(i *MeetingInput) { i.On = "2026-11-24" }), field: MeetingOnField, says: "That date has passed. Pick today (2026-11-25)"},
		{name: "ErrDateTooFarAhead", in: with(func(i *MeetingInput) { i.On = "2027-11-26" }), field: MeetingOnField, says: "within a year"},
		{name: "ErrTimeMissing", in: with(func(i *MeetingInput) { i.Start = "" }), field: MeetingStartField, says: "Enter the start time"},
		{name: "ErrTimeMalformed", in: with(func(i *MeetingInput) { i.Start = "2pm" }), field: MeetingStartField, says: "24-hour clock"},
		{name: "ErrTimeOutOfRange", in: with(func(i *MeetingInput) { i.Start = "24:00" }), field: MeetingStartField, says: "24-hour clock"},
		{name: "ErrTimeWithSeconds", in: with(func(i *MeetingInput) { i.Start = "10:00:30" }), field: MeetingStartField, says: "24-hour clock"},
		{name: "ErrTimePassedToday", in: with(func(i *MeetingInput) { i.On, i.Start = "2026-11-25", "11:59" }), field: MeetingStartField, says: "it is 12:00 now in America/New_York"},
		// 02:30 does not exist the night New York goes forward.
		{name: "ErrTimeInTheGap", in: with(func(i *MeetingInput) { i.On, i.Start = "2027-03-14", "02:30" }), field: MeetingStartField,
			says: "There is no 02:30 on 2027-03-14 in America/New_York: the clocks go forward that night. Pick another time, such as 03:00."},
		// Lord Howe Island goes forward by half an hour.
		{name: "ErrTimeInAHalfHourGap", zone: "Australia/Lord_Howe", in: with(func(i *MeetingInput) { i.On, i.Start = "2027-10-03", "02:15" }), field: MeetingStartField,
			says: "such as 02:30."},
		{name: "ErrTimeInTheLondonGap", zone: "Europe/London", in: with(func(i *MeetingInput) { i.On, i.Start = "2027-03-28", "01:00" }), field: MeetingStartField,
			says: "such as 02:00."},
		{name: "ErrLengthMissing", in: with(func(i *MeetingInput) { i.Minutes = "" }), field: MeetingMinutesField, says: "Choose how long"},
		{name: "ErrLengthTooShort", in: with(func(i *MeetingInput) { i.Minutes = "10" }), field: MeetingMinutesField, says: "from 15 minutes to 8 hours"},
		{name: "ErrLengthTooLong", in: with(func(i *MeetingInput) { i.Minutes = "481" }), field: MeetingMinutesField, says: "from 15 minutes to 8 hours"},
		{name: "ErrLengthNotANumber", in: with(func(i *MeetingInput) { i.Minutes = "1h" }), field: MeetingMinutesField, says: "from 15 minutes to 8 hours"},
		{name: "ErrPlaceMissing", in: with(func(i *MeetingInput) { i.Place = " \n " }), field: MeetingPlaceField, says: "Say where"},
		{name: "ErrPlaceTooLong", in: with(func(i *MeetingInput) { i.Place = "https://teams.example/" + strings.Repeat("x", MaxMeetingPlace) }), field: MeetingPlaceField, says: "2000 characters or fewer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := mustZone(t, "America/New_York")
			if tc.zone != "" {
				loc = mustZone(t, tc.zone)
			}
			m, err := tc.in.Parse(loc, now)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Parse(%+v) = %v", tc.in, err)
				}
				if !m.StartsAt.Equal(tc.start) {
					t.Errorf("starts at %s, want %s", m.StartsAt.UTC(), tc.start)
				}
				return
			}
			fields := InvalidFields(err)
			if msg := fields[tc.field]; !strings.Contains(msg, tc.says) {
				t.Fatalf("Parse(%+v): %s says %q, want %q in it (all: %v)", tc.in, tc.field, msg, tc.says, fields)
			}
			if len(fields) != 1 {
				t.Errorf("more fields refused than %s: %v", tc.field, fields)
			}
		})
	}
}

func TestMeetingInputParseKeepsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := MeetingInput{}.Parse(time.UTC, time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC))
	fields := InvalidFields(err)
	for _, f := range []string{MeetingOnField, MeetingStartField, MeetingMinutesField, MeetingPlaceField} {
		if fields[f] == "" {
			t.Errorf("an empty form says nothing about %s: %v", f, fields)
		}
	}
}

func TestMeetingInputParseTidiesThePlace(t *testing.T) {
	t.Parallel()
	m, err := MeetingInput{On: "2026-12-01", Start: "09:00", Minutes: "45", Place: "  Room 4,\r\n  HQ\tBerlin\x1b\u0085 "}.
		Parse(time.UTC, time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if m.Place != "Room 4, HQ Berlin" || m.Minutes != 45 {
		t.Errorf("place %q, minutes %d", m.Place, m.Minutes)
	}
}

func TestMeetingWhen(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	for _, tc := range []struct {
		name    string
		start   time.Time
		minutes int
		want    string
	}{
		{"SameDay", time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC), 60, "Tue 2026-12-01, 10:00–11:00 EST"},
		{"Summer", time.Date(2027, 6, 1, 14, 0, 0, 0, time.UTC), 90, "Tue 2027-06-01, 10:00–11:30 EDT"},
		{"ClocksGoBackDuringIt", time.Date(2027, 11, 7, 5, 30, 0, 0, time.UTC), 60, "Sun 2027-11-07, 01:30 EDT–01:30 EST"},
		{"PastMidnight", time.Date(2026, 12, 2, 4, 30, 0, 0, time.UTC), 60, "Tue 2026-12-01, 23:30 EST–Wed 2026-12-02, 00:30 EST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := (Meeting{StartsAt: tc.start, Minutes: tc.minutes}).When(ny); got != tc.want {
				t.Errorf("When = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLengthLabel(t *testing.T) {
	t.Parallel()
	for minutes, want := range map[int]string{15: "15 minutes", 45: "45 minutes", 60: "1 hour", 90: "1 hour 30 minutes", 120: "2 hours", 480: "8 hours"} {
		if got := LengthLabel(minutes); got != want {
			t.Errorf("LengthLabel(%d) = %q, want %q", minutes, got, want)
		}
	}
	for _, n := range MeetingLengths {
		if n < MinMeetingMinutes || n > MaxMeetingMinutes {
			t.Errorf("the form offers %d minutes, outside the limits", n)
		}
	}
}

func TestMeetingPlaceURL(t *testing.T) {
	t.Parallel()
	for place, want := range map[string]string{
		"https://zoom.example/j/123?pwd=x": "https://zoom.example/j/123?pwd=x",
		"http://meet.example/abc":          "http://meet.example/abc",
		"Room 4, HQ":                       "",
		"javascript:alert(1)":              "",
		"https://zoom.example/j/1 or Room": "",
		"zoom.example/j/1":                 "",
	} {
		if got := (Meeting{Place: place}).PlaceURL(); got != want {
			t.Errorf("PlaceURL(%q) = %q, want %q", place, got, want)
		}
	}
}

func TestMeetingChangesAndEvents(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	m := Meeting{StartsAt: time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC), Minutes: 60, Place: "Room 4"}
	moved := m
	moved.StartsAt = m.StartsAt.Add(24 * time.Hour)
	longer := m
	longer.Minutes = 90
	elsewhere := m
	elsewhere.Place = "https://meet.example/kick"
	for _, tc := range []struct {
		name string
		n    Meeting
		want string
	}{
		{"Moved", moved, "Changed the kickoff meeting: time Tue 2026-12-01, 10:00–11:00 EST → Wed 2026-12-02, 10:00–11:00 EST."},
		{"Longer", longer, "Changed the kickoff meeting: time Tue 2026-12-01, 10:00–11:00 EST → Tue 2026-12-01, 10:00–11:30 EST."},
		{"Elsewhere", elsewhere, "Changed the kickoff meeting: place Room 4 → https://meet.example/kick."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if m.SameAs(tc.n) {
				t.Fatal("SameAs a changed meeting")
			}
			e := KickoffRescheduledEvent(m, tc.n, ny)
			if e.Kind != EventKickoffRescheduled || e.Summary != tc.want {
				t.Errorf("event = %s %q, want %q", e.Kind, e.Summary, tc.want)
			}
		})
	}
	if !m.SameAs(m) || len(MeetingChanges(m, m, ny)) != 0 {
		t.Error("an unchanged meeting reads as changed")
	}
	if e := KickoffScheduledEvent(m, ny); e.Kind != EventKickoffScheduled ||
		e.Summary != "Scheduled the kickoff meeting for Tue 2026-12-01, 10:00–11:00 EST (America/New_York) at Room 4." {
		t.Errorf("scheduled = %s %q", e.Kind, e.Summary)
	}
	if e := KickoffCancelledEvent(m, ny); e.Kind != EventKickoffCancelled ||
		e.Summary != "Cancelled the kickoff meeting of Tue 2026-12-01, 10:00–11:00 EST." {
		t.Errorf("cancelled = %s %q", e.Kind, e.Summary)
	}
}

func TestWallClock(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name      string
		loc       *time.Location
		day       time.Time
		h, m, got int
	}{
		{"Ordinary", ny, day(2026, 12, 1), 10, 0, 1},
		{"UTC", time.UTC, day(2027, 3, 14), 2, 30, 1},
		{"Gap", ny, day(2027, 3, 14), 2, 30, 0},
		{"JustAfterGap", ny, day(2027, 3, 14), 3, 0, 1},
		{"Overlap", ny, day(2027, 11, 7), 1, 30, 2},
		{"JustAfterOverlap", ny, day(2027, 11, 7), 2, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			at := wallClock(tc.day, tc.h, tc.m, tc.loc)
			if len(at) != tc.got {
				t.Fatalf("wallClock = %v, want %d instants", at, tc.got)
			}
			for _, a := range at {
				if l := a.In(tc.loc); l.Hour() != tc.h || l.Minute() != tc.m {
					t.Errorf("%s reads %s", a.UTC(), l)
				}
			}
			if len(at) == 2 && !at[0].Before(at[1]) {
				t.Errorf("not earliest first: %v", at)
			}
		})
	}
}
