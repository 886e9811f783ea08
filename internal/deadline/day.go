package deadline

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalidDay is wrapped by every ParseDay error, so callers can recognise a
// bad date without matching on text meant for people.
var ErrInvalidDay = errors.New("deadline: invalid day")

// Day is a civil calendar day with no time zone, such as 2026-11-25.
//
// Deadlines are whole days in the organisation's time zone; carrying a
// time.Time around invites off-by-one bugs when it is viewed in another zone.
// The zero Day means "no day" (not started, not done). Days compare with ==
// and can be map keys.
type Day struct {
	// n counts days since 0001-01-01, so the zero value lines up with the zero
	// time.Time and integer arithmetic replaces calendar arithmetic.
	n int64
}

// unixEpochDay is 1970-01-01 counted from 0001-01-01, bridging Day and Unix time.
const unixEpochDay = 719162

const secondsPerDay = 24 * 60 * 60

// NewDay returns the day y-m-d. Out-of-range values normalise the way time.Date
// does (November 31 is December 1), which keeps arithmetic callers simple.
func NewDay(y int, m time.Month, d int) Day {
	return dayFromUTC(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DayOf returns the day instant t falls on in loc, which is how "today" is
// found from "now". A nil loc means UTC. To turn a PostgreSQL date scanned as a
// time.Time at midnight UTC back into a Day, use DayOf(t, time.UTC).
func DayOf(t time.Time, loc *time.Location) Day {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return NewDay(y, m, d)
}

// dayFromUTC expects midnight UTC; Unix seconds divide evenly into days then.
func dayFromUTC(t time.Time) Day {
	return Day{n: floorDiv(t.Unix(), secondsPerDay) + unixEpochDay}
}

// floorDiv rounds toward negative infinity so days before 1970 stay correct.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// ParseDay parses "2026-11-25". Surrounding spaces are ignored. An empty string
// is an error: use the zero Day directly for "no day". Error texts are written
// to be shown to the person who typed the date.
func ParseDay(s string) (Day, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Day{}, dayError("Enter a date like 2026-11-25.")
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[0:4]) || !digits(s[5:7]) || !digits(s[8:10]) {
		return Day{}, dayError(fmt.Sprintf("%q is not a date in the form YYYY-MM-DD, like 2026-11-25.", s))
	}
	y := atoi(s[0:4])
	m := atoi(s[5:7])
	d := atoi(s[8:10])
	if y < 1 {
		return Day{}, dayError(fmt.Sprintf("%q has no year 0000.", s))
	}
	if m < 1 || m > 12 {
		return Day{}, dayError(fmt.Sprintf("%q has no month %02d; months run from 01 to 12.", s, m))
	}
	if last := daysIn(y, time.Month(m)); d < 1 || d > last {
		return Day{}, dayError(fmt.Sprintf("%q is not a real date: %s %d has %d days.", s, time.Month(m), y, last))
	}
	return NewDay(y, time.Month(m), d), nil
}

// dayParseError keeps the message clean for people while still matching
// errors.Is(err, ErrInvalidDay).
type dayParseError struct{ msg string }

func (e *dayParseError) Error() string { return e.msg }
func (e *dayParseError) Unwrap() error { return ErrInvalidDay }

func dayError(msg string) error { return &dayParseError{msg: msg} }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// daysIn relies on time.Date normalising day 0 to the last day of the month before.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Time returns midnight UTC of d, the form pgx and database/sql use for a
// PostgreSQL date. The zero Day gives the zero time.Time.
func (d Day) Time() time.Time {
	return time.Unix((d.n-unixEpochDay)*secondsPerDay, 0).UTC()
}

// Date returns the year, month and day of d.
func (d Day) Date() (year int, month time.Month, day int) {
	return d.Time().Date()
}

// Year returns the year of d.
func (d Day) Year() int {
	return d.Time().Year()
}

// String formats d as "2026-11-25", the form shown in pages and in
// <time datetime>. The zero Day formats as "" so an unset day renders as
// nothing rather than as 0001-01-01.
func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Date()
	if y > 9999 {
		return fmt.Sprintf("%d-%02d-%02d", y, m, dd)
	}
	// Hand formatting avoids fmt's allocations; dashboards print many dates.
	var b [10]byte
	b[0] = byte('0' + y/1000)
	b[1] = byte('0' + y/100%10)
	b[2] = byte('0' + y/10%10)
	b[3] = byte('0' + y%10)
	b[4] = '-'
	b[5] = byte('0' + int(m)/10)
	b[6] = byte('0' + int(m)%10)
	b[7] = '-'
	b[8] = byte('0' + dd/10)
	b[9] = byte('0' + dd%10)
	return string(b[:])
}

// IsZero reports whether d is the zero Day, meaning "no day".
func (d Day) IsZero() bool { return d.n == 0 }

// AddDays returns the day n calendar days after d (before it when n < 0).
func (d Day) AddDays(n int) Day { return Day{n: d.n + int64(n)} }

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday {
	// 0001-01-01 was a Monday in the proleptic Gregorian calendar.
	w := (d.n + int64(time.Monday)) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// Before reports whether d is earlier than o.
func (d Day) Before(o Day) bool { return d.n < o.n }

// After reports whether d is later than o.
func (d Day) After(o Day) bool { return d.n > o.n }

// Equal reports whether d and o are the same day; == works too.
func (d Day) Equal(o Day) bool { return d.n == o.n }

// DaysUntil returns the number of calendar days from d to o: positive when o is
// later, negative when earlier, 0 when the same day.
func (d Day) DaysUntil(o Day) int { return int(o.n - d.n) }

// MarshalText formats d as String does, so Days work in JSON and form values.
func (d Day) MarshalText() ([]byte, error) {
	return []byte(d.String()), nil
}

// UnmarshalText parses the form MarshalText writes; empty text is the zero Day,
// mirroring String.
func (d *Day) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*d = Day{}
		return nil
	}
	p, err := ParseDay(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
