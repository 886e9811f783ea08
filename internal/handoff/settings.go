package handoff

import (
	"strconv"
	"strings"
	"time"
)

// Limits of the settings page's free text, shown on the form as maxlength.
const (
	// MaxTimeZone bounds an IANA time zone name; the longest is about 30.
	MaxTimeZone = 64
	// MaxDayOffName bounds the name of a company day off.
	MaxDayOffName = 100
)

// Settings are the organisation-wide knobs of docs/design.md, "Deadlines": where "today" is, which
// days are not business days, how long each clock runs, and when a commitment is
// big enough to need the SA's decision.
type Settings struct {
	OrgName                string
	TimeZone               string
	HolidayCountries       []string
	PackDueBusinessDays    int
	KickoffDueBusinessDays int
	LockDueCalendarDays    int
	// FirstValueDueCalendarDays is how long after the kickoff first value
	// is due (90 by default).
	FirstValueDueCalendarDays int
	ApprovalThresholds        Thresholds
	// CRMURLTemplate turns a deal's CRM id into a link to the CRM: an https
	// URL with {id} in it (ParseCRMURLTemplate), or "" for no links.
	CRMURLTemplate string
	UpdatedAt      time.Time
}

// Money is an amount in integer hundredths of the major unit of an ISO 4217
// currency (cents for USD), so no amount is ever rounded by floating point.
// It is hundredths for every currency, even one with no minor unit in use:
// JPY 30,000 is 3000000, and Decimals says a JPY amount takes no fractions.
type Money struct {
	Minor    int64
	Currency string
}

// DayOff is a company day off (a year-end shutdown…), skipped like a holiday.
type DayOff struct {
	Day  time.Time // civil date at 00:00 UTC
	Name string
}

// ValidateDayOff checks a company day off as an admin typed it. Field errors
// are keyed "day" and "name".
func ValidateDayOff(day, name string) (DayOff, error) {
	fe := FieldErrors{}
	d := DayOff{Name: strings.TrimSpace(name)}
	on, err := ParseDate(day)
	if err != nil {
		fe.Add("day", ErrorMessage(err))
	}
	d.Day = on
	if d.Name == "" {
		fe.Add("name", "Name the day off, e.g. Year-end shutdown.")
	}
	checkLen(fe, "name", d.Name, MaxDayOffName)
	return d, fe.Err()
}

// CheckTimeZoneName checks the shape of a typed time zone name; whether the
// zone exists is the calendar's to say.
func CheckTimeZoneName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return Errorf(EINVALID, "Enter a time zone such as America/New_York or Europe/Berlin.")
	case len(name) > MaxTimeZone:
		return Errorf(EINVALID, "%s", TooLong(MaxTimeZone))
	}
	return nil
}

// DayRange is the allowed length of a clock, in its own unit, both ends
// included. The schema's CHECK constraints on org_settings hold the same
// bounds.
type DayRange struct{ Min, Max int }

// The allowed lengths of the clocks of docs/design.md, "Deadlines" (5, 5, 30 and 90 by
// default). Business-day clocks stop at 60, about three months; the lock at
// 365 calendar days.
var (
	PackDueDaysRange    = DayRange{Min: 1, Max: 60}
	KickoffDueDaysRange = DayRange{Min: 1, Max: 60}
	LockDueDaysRange    = DayRange{Min: 1, Max: 365}
	// First value is due up to two years after the kickoff.
	FirstValueDueDaysRange = DayRange{Min: 1, Max: 730}
)

// Hint states the range on the form, beside the field.
func (r DayRange) Hint() string { return "From " + itoa(r.Min) + " to " + itoa(r.Max) + "." }

// Parse reads a typed day count within r.
func (r DayRange) Parse(raw string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < r.Min || n > r.Max {
		return 0, Errorf(EINVALID, "Enter a whole number from %d to %d.", r.Min, r.Max)
	}
	return n, nil
}

// ClockDaysInput is the settings form's three clock lengths, as typed.
type ClockDaysInput struct {
	PackDays, KickoffDays, LockDays, FirstValueDays string
}

// Apply checks the typed clock lengths against their ranges and, for those
// that pass, sets them on s. Field errors are keyed "pack_days",
// "kickoff_days", "lock_days" and "first_value_days".
func (in ClockDaysInput) Apply(s *Settings) error {
	fe := FieldErrors{}
	for _, f := range []struct {
		field, raw string
		r          DayRange
		into       *int
	}{
		{"pack_days", in.PackDays, PackDueDaysRange, &s.PackDueBusinessDays},
		{"kickoff_days", in.KickoffDays, KickoffDueDaysRange, &s.KickoffDueBusinessDays},
		{"lock_days", in.LockDays, LockDueDaysRange, &s.LockDueCalendarDays},
		{"first_value_days", in.FirstValueDays, FirstValueDueDaysRange, &s.FirstValueDueCalendarDays},
	} {
		n, err := f.r.Parse(f.raw)
		if err != nil {
			fe.Add(f.field, ErrorMessage(err))
			continue
		}
		*f.into = n
	}
	return fe.Err()
}
