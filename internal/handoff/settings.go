package handoff

import "time"

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
	ApprovalThreshold      Money
	UpdatedAt              time.Time
}

// Money is an amount in integer minor units (cents) of an ISO 4217 currency, so
// no amount is ever rounded by floating point.
type Money struct {
	Minor    int64
	Currency string
}

// DayOff is a company day off (a year-end shutdown…), skipped like a holiday.
type DayOff struct {
	Day  time.Time // civil date at 00:00 UTC
	Name string
}
