package deadline

import (
	"testing"
	"time"
)

// d parses a day literal in table tests; a typo there is a bug in the test.
func d(s string) Day {
	day, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return day
}

// yearEndShutdown is the custom shutdown used across tests: Monday 2026-12-28
// to Thursday 2026-12-31.
var yearEndShutdown = []DayOff{
	{Day: d("2026-12-28"), Name: "Year-end shutdown"},
	{Day: d("2026-12-29"), Name: "Year-end shutdown"},
	{Day: d("2026-12-30"), Name: "Year-end shutdown"},
	{Day: d("2026-12-31"), Name: "Year-end shutdown"},
}

func newCalendar(t testing.TB, tz string, countries []string, daysOff []DayOff) *Calendar {
	t.Helper()
	c, err := NewCalendar(tz, countries, daysOff)
	if err != nil {
		t.Fatalf("NewCalendar(%q, %v): %v", tz, countries, err)
	}
	return c
}

// wall returns the instant of a wall-clock time in the named zone.
func wall(t testing.TB, tz string, y int, m time.Month, day, hh, mm, ss int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, day, hh, mm, ss, 0, loc)
}
