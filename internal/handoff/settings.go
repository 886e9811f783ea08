package handoff

import (
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

// Settings are the organisation-wide knobs of DESIGN §5: where "today" is, which
// days are not business days, how long each clock runs, and when a commitment is
// big enough to need the SA's decision.
type Settings struct {
	OrgName                string
	TimeZone               string
	HolidayCountries       []string
	PackDueBusinessDays    int
	KickoffDueBusinessDays int
	LockDueCalendarDays    int
	ApprovalThresholds     Thresholds
	UpdatedAt              time.Time
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
