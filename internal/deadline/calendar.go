package deadline

import (
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	// Embedding the time zone database makes NewCalendar work the same in a
	// scratch or distroless container as on a laptop; a missing
	// /usr/share/zoneinfo must not turn "Europe/London" into an error.
	_ "time/tzdata"
)

// Errors wrapped by NewCalendar, so a settings form can put the message beside
// the right field. The messages themselves are written for people.
var (
	ErrUnknownTimeZone = errors.New("deadline: unknown time zone")
	ErrUnknownCountry  = errors.New("deadline: unknown holiday country")
	ErrInvalidDayOff   = errors.New("deadline: invalid company day off")
)

// settingError carries a person-readable message and the sentinel it matches.
type settingError struct {
	msg  string
	kind error
}

func (e *settingError) Error() string { return e.msg }
func (e *settingError) Unwrap() error { return e.kind }

// DayOff is a company day off, such as one day of a year-end shutdown.
type DayOff struct {
	Day  Day
	Name string // shown in explanations: "Year-end shutdown"
}

// Calendar answers which days are business days for one organisation and where
// its days begin and end. It is immutable once built and safe for concurrent
// use; build a new one when settings change.
type Calendar struct {
	loc       *time.Location
	countries []*countrySpec
	daysOff   map[Day]string

	// years caches one yearTable per year. Readers load the map without locking;
	// a writer copies it under mu and swaps it in, because lookups happen for
	// every clock on every page while new years appear almost never.
	mu    sync.Mutex
	years atomic.Pointer[map[int]*yearTable]
}

// maxCachedYears bounds the cache so odd dates (year 9999 typed by mistake)
// cannot grow it without limit; beyond it tables are built and dropped.
const maxCachedYears = 64

// yearTable holds the non-weekend days off of one year.
type yearTable struct {
	first   Day       // January 1
	end     Day       // January 1 of the next year
	closed  [6]uint64 // bit i set: first+i is a holiday or company day off
	reasons map[Day]string
	// weekdaysOff is closed without the Saturdays and Sundays, the days off a
	// count of business days subtracts from the weekdays of a span, so
	// counting needs no walk (BusinessDaysBetween).
	weekdaysOff [6]uint64
}

// NewCalendar builds the calendar for an organisation: its IANA time zone
// ("Europe/London"), holiday country codes ("US", "GB"; see Countries) and
// company days off. Country codes are case-insensitive and may repeat.
func NewCalendar(timeZone string, countries []string, daysOff []DayOff) (*Calendar, error) {
	tz := strings.TrimSpace(timeZone)
	// "" and "Local" would silently mean the server's zone, which is exactly the
	// mistake an explicit setting exists to prevent.
	if tz == "" || tz == "Local" {
		return nil, &settingError{"Choose a time zone, such as America/New_York or Europe/London.", ErrUnknownTimeZone}
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, &settingError{fmt.Sprintf("%q is not a time zone we know. Use an IANA name such as America/New_York or Europe/London.", tz), ErrUnknownTimeZone}
	}
	c := &Calendar{loc: loc, daysOff: make(map[Day]string, len(daysOff))}
	seen := make(map[string]bool)
	for _, raw := range countries {
		code := strings.ToUpper(strings.TrimSpace(raw))
		if seen[code] {
			continue
		}
		seen[code] = true
		spec, ok := lookupCountry(code)
		if !ok {
			msg := fmt.Sprintf("We have no holiday list for the country code %q. Supported: %s.", raw, supportedCodes())
			if code == "UK" {
				msg = `Use "GB" for the United Kingdom.`
			}
			return nil, &settingError{msg, ErrUnknownCountry}
		}
		c.countries = append(c.countries, spec)
	}
	for _, off := range daysOff {
		if off.Day.IsZero() {
			return nil, &settingError{fmt.Sprintf("The company day off %q has no date.", off.Name), ErrInvalidDayOff}
		}
		name := strings.TrimSpace(off.Name)
		if name == "" {
			name = "Company day off"
		}
		if prev, ok := c.daysOff[off.Day]; ok && prev != name {
			name = prev + ", " + name
		}
		c.daysOff[off.Day] = name
	}
	empty := map[int]*yearTable{}
	c.years.Store(&empty)
	return c, nil
}

func supportedCodes() string {
	codes := make([]string, len(countrySpecs))
	for i := range countrySpecs {
		codes[i] = countrySpecs[i].Code
	}
	sort.Strings(codes)
	return strings.Join(codes, ", ")
}

// Location returns the organisation's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Countries returns the holiday countries of c in the order they were given.
func (c *Calendar) Countries() []Country {
	out := make([]Country, len(c.countries))
	for i, s := range c.countries {
		out[i] = s.Country
	}
	return out
}

// Today returns the day now falls on in the organisation's time zone.
func (c *Calendar) Today(now time.Time) Day { return DayOf(now, c.loc) }

// EndOfDay returns the instant d ends in the organisation's time zone, which is
// when a clock due on d becomes overdue. It handles 23- and 25-hour days.
func (c *Calendar) EndOfDay(d Day) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd+1, 0, 0, 0, 0, c.loc)
}

// IsBusinessDay reports whether d is a business day and, when it is not, why:
// "Saturday", "Sunday", "Thanksgiving Day (US public holiday)",
// "Independence Day (US public holiday, observed in place of Saturday 2026-07-04)" or
// "Year-end shutdown (company day off)". A weekend wins over a holiday on the
// same day, and a holiday over a company day off, because that is the reason
// people already know.
func (c *Calendar) IsBusinessDay(d Day) (ok bool, reason string) {
	switch d.Weekday() {
	case time.Saturday:
		return false, "Saturday"
	case time.Sunday:
		return false, "Sunday"
	}
	t := c.year(d)
	if !t.isClosed(d) {
		return true, ""
	}
	return false, t.reasons[d]
}

// businessDay is IsBusinessDay without the reason, reusing t while d stays in
// t's year so loops do one cache lookup per year rather than per day.
func (c *Calendar) businessDay(d Day, t **yearTable) bool {
	if w := d.Weekday(); w == time.Saturday || w == time.Sunday {
		return false
	}
	if *t == nil || !(*t).contains(d) {
		*t = c.year(d)
	}
	return !(*t).isClosed(d)
}

// AddBusinessDays returns the n-th business day after start. Start itself never
// counts, even when it is a business day: a deal won on Wednesday is due five
// business days after Wednesday. Negative n counts backwards; 0 returns start.
func (c *Calendar) AddBusinessDays(start Day, n int) Day {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	var t *yearTable
	d := start
	for n > 0 {
		d = d.AddDays(step)
		if c.businessDay(d, &t) {
			n--
		}
	}
	return d
}

// BusinessDaysBetween counts the business days d with a < d <= b when b is
// after a, the negative of BusinessDaysBetween(b, a) when b is before a, and 0
// when they are equal. So AddBusinessDays(a, n) == b implies it returns n.
//
// Packs can be hundreds of days late and lists show many of them, so it does
// not walk the days: the weekdays of the span are whole-week arithmetic, less
// the days off on weekdays, counted a year table at a time.
func (c *Calendar) BusinessDaysBetween(a, b Day) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	from, to := a.AddDays(1), b.AddDays(1) // the span [from, to)
	count := weekdaysBefore(to.n) - weekdaysBefore(from.n)
	for d := from; d.Before(to); {
		t := c.year(d)
		end := to
		if t.end.Before(end) {
			end = t.end
		}
		count -= t.weekdaysOffIn(d, end)
		d = end
	}
	return sign * count
}

// weekdaysBefore counts the Mondays to Fridays among the days numbered below
// n; day 0, 0001-01-01, was a Monday, so each week starts with its five.
func weekdaysBefore(n int64) int {
	weeks := floorDiv(n, 7)
	return int(5*weeks + min(n-7*weeks, 5))
}

// weekdaysOffIn counts t's days off on weekdays in [from, to), both within
// t's year.
func (t *yearTable) weekdaysOffIn(from, to Day) int {
	return t.weekdaysOffBefore(to) - t.weekdaysOffBefore(from)
}

// weekdaysOffBefore counts t's days off on weekdays before d (d within t's
// year, or its end).
func (t *yearTable) weekdaysOffBefore(d Day) int {
	i := d.n - t.first.n
	n := 0
	for w := range t.weekdaysOff[:i/64] {
		n += bits.OnesCount64(t.weekdaysOff[w])
	}
	if r := i % 64; r > 0 {
		n += bits.OnesCount64(t.weekdaysOff[i/64] & (1<<r - 1))
	}
	return n
}

// year returns the table for d's year, building it on first use.
func (c *Calendar) year(d Day) *yearTable {
	y := d.Year()
	if t, ok := (*c.years.Load())[y]; ok {
		return t
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cur := *c.years.Load()
	if t, ok := cur[y]; ok {
		return t
	}
	t := c.buildYear(y)
	if len(cur) >= maxCachedYears {
		return t
	}
	next := make(map[int]*yearTable, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	next[y] = t
	c.years.Store(&next)
	return t
}

func (t *yearTable) contains(d Day) bool {
	return d.n >= t.first.n && d.n < t.end.n
}

func (t *yearTable) isClosed(d Day) bool {
	i := d.n - t.first.n
	return t.closed[i/64]&(1<<(uint(i)%64)) != 0
}

func (t *yearTable) close(d Day, reason string) {
	i := d.n - t.first.n
	t.closed[i/64] |= 1 << (uint(i) % 64)
	t.reasons[d] = reason
}

// buildYear gathers the holidays of every country and the company days off of
// year y into one table, with the reason text for each closed day.
func (c *Calendar) buildYear(y int) *yearTable {
	t := &yearTable{first: NewDay(y, time.January, 1), end: NewDay(y+1, time.January, 1), reasons: map[Day]string{}}
	type tagged struct {
		holidayHit
		spec *countrySpec
	}
	byDay := map[Day][]tagged{}
	var order []Day
	for _, spec := range c.countries {
		for _, h := range spec.hits(y) {
			if _, ok := byDay[h.day]; !ok {
				order = append(order, h.day)
			}
			byDay[h.day] = append(byDay[h.day], tagged{h, spec})
		}
	}
	for _, d := range order {
		// Group by holiday so "Christmas Day" shared by two countries reads
		// "Christmas Day (US public holiday, GB bank holiday)".
		type group struct {
			name   string
			actual Day
			who    []string
		}
		var groups []group
	hits:
		for _, h := range byDay[d] {
			who := h.spec.Code + " " + h.spec.noun
			for i := range groups {
				if groups[i].name == h.name && groups[i].actual == h.actual {
					for _, w := range groups[i].who {
						if w == who {
							continue hits
						}
					}
					groups[i].who = append(groups[i].who, who)
					continue hits
				}
			}
			groups = append(groups, group{h.name, h.actual, []string{who}})
		}
		parts := make([]string, len(groups))
		for i, g := range groups {
			s := g.name + " (" + strings.Join(g.who, ", ")
			if g.actual != d {
				s += ", observed in place of " + g.actual.Weekday().String() + " " + g.actual.String()
			}
			parts[i] = s + ")"
		}
		t.close(d, strings.Join(parts, "; "))
	}
	for d, name := range c.daysOff {
		if d.Year() != y {
			continue
		}
		if _, holiday := t.reasons[d]; holiday {
			continue // the public holiday already explains the day
		}
		t.close(d, name+" (company day off)")
	}
	for d := t.first; d.Before(t.end); d = d.AddDays(1) {
		if w := d.Weekday(); w != time.Saturday && w != time.Sunday && t.isClosed(d) {
			i := d.n - t.first.n
			t.weekdaysOff[i/64] |= 1 << (uint(i) % 64)
		}
	}
	return t
}
