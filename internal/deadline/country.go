package deadline

import (
	"sort"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/us"
)

// Country is a country whose public holidays a Calendar can skip.
type Country struct {
	Code string // ISO 3166-1 alpha-2, as stored in settings: "US", "GB"
	Name string // English name for the settings page: "United Kingdom"
}

// countrySpec ties a Country to the maintained holiday lists of rickar/cal.
// No dates are typed here: every date comes from the library.
type countrySpec struct {
	Country
	// noun is what people in that country call the days: the UK says
	// "bank holiday", everyone else here says "public holiday".
	noun string
	// lists holds one national list, or, for countries whose library package
	// only has regional lists (Australia), every region's list: a day is then a
	// national holiday only when it is a holiday in every region.
	lists [][]*cal.Holiday
}

// countrySpecs uses each package's national Holidays list. Notes on choices:
//   - US: us.Holidays is the eleven federal holidays with the federal weekend
//     rule (Saturday observed Friday, Sunday observed Monday). It leaves out
//     us.DayAfterThanksgivingDay, which is not a federal holiday.
//   - AU: the package has only state and territory lists; a day counts when
//     every one of the eight observes it, which yields the national set (New
//     Year, Australia Day, Good Friday, Easter Monday, ANZAC Day, Christmas,
//     Boxing Day) without copying any date.
//
// Countries whose packages were unclear about what "national" means (or are
// rarely needed) are left out until someone asks; adding one is one line.
var countrySpecs = []countrySpec{
	{Country{"AT", "Austria"}, "public holiday", [][]*cal.Holiday{at.Holidays}},
	{Country{"AU", "Australia"}, "public holiday", [][]*cal.Holiday{
		au.HolidaysACT, au.HolidaysNSW, au.HolidaysNT, au.HolidaysQLD,
		au.HolidaysSA, au.HolidaysTAS, au.HolidaysVIC, au.HolidaysWA,
	}},
	{Country{"BE", "Belgium"}, "public holiday", [][]*cal.Holiday{be.Holidays}},
	{Country{"CA", "Canada"}, "public holiday", [][]*cal.Holiday{ca.Holidays}},
	{Country{"CH", "Switzerland"}, "public holiday", [][]*cal.Holiday{ch.Holidays}},
	{Country{"CZ", "Czechia"}, "public holiday", [][]*cal.Holiday{cz.Holidays}},
	{Country{"DE", "Germany"}, "public holiday", [][]*cal.Holiday{de.Holidays}},
	{Country{"DK", "Denmark"}, "public holiday", [][]*cal.Holiday{dk.Holidays}},
	{Country{"ES", "Spain"}, "public holiday", [][]*cal.Holiday{es.Holidays}},
	{Country{"FR", "France"}, "public holiday", [][]*cal.Holiday{fr.Holidays}},
	{Country{"GB", "United Kingdom"}, "bank holiday", [][]*cal.Holiday{gb.Holidays}},
	{Country{"IE", "Ireland"}, "public holiday", [][]*cal.Holiday{ie.Holidays}},
	{Country{"IT", "Italy"}, "public holiday", [][]*cal.Holiday{it.Holidays}},
	{Country{"NL", "Netherlands"}, "public holiday", [][]*cal.Holiday{nl.Holidays}},
	{Country{"NO", "Norway"}, "public holiday", [][]*cal.Holiday{no.Holidays}},
	{Country{"NZ", "New Zealand"}, "public holiday", [][]*cal.Holiday{nz.Holidays}},
	{Country{"PL", "Poland"}, "public holiday", [][]*cal.Holiday{pl.Holidays}},
	{Country{"SE", "Sweden"}, "public holiday", [][]*cal.Holiday{se.Holidays}},
	{Country{"US", "United States"}, "public holiday", [][]*cal.Holiday{us.Holidays}},
}

// Countries returns the supported holiday countries sorted by name, for the
// settings page. The slice is new on every call, so callers may keep or change it.
func Countries() []Country {
	out := make([]Country, len(countrySpecs))
	for i := range countrySpecs {
		out[i] = countrySpecs[i].Country
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func lookupCountry(code string) (*countrySpec, bool) {
	for i := range countrySpecs {
		if countrySpecs[i].Code == code {
			return &countrySpecs[i], true
		}
	}
	return nil, false
}

// holidayHit is one holiday observed on one day.
type holidayHit struct {
	day    Day // the day off
	actual Day // the holiday's own date; differs from day when a substitute is observed
	name   string
}

// hits returns the holidays whose day off falls in year. Neighbouring years are
// calculated too because observance crosses year ends: when 1 January is a
// Saturday, the US observes New Year's Day on the Friday before, in December.
func (s *countrySpec) hits(year int) []holidayHit {
	if len(s.lists) == 1 {
		return listHits(s.lists[0], year)
	}
	// A day is national only when every regional list has it; the first list
	// supplies the name.
	first := listHits(s.lists[0], year)
	counts := make(map[Day]int, len(first))
	for _, rest := range s.lists[1:] {
		seen := make(map[Day]bool)
		for _, h := range listHits(rest, year) {
			if !seen[h.day] {
				seen[h.day] = true
				counts[h.day]++
			}
		}
	}
	out := first[:0]
	for _, h := range first {
		if counts[h.day] == len(s.lists)-1 {
			out = append(out, h)
		}
	}
	return out
}

func listHits(list []*cal.Holiday, year int) []holidayHit {
	var out []holidayHit
	for _, h := range list {
		// ObservanceOther marks days the library lists but which are not public
		// holidays (Sweden's Christmas Eve, for example); business goes on.
		if h.Type == cal.ObservanceOther {
			continue
		}
		for y := year - 1; y <= year+1; y++ {
			actual, observed := h.Calc(y)
			if observed.IsZero() {
				continue // not observed that year (e.g. before StartYear)
			}
			day := calDay(observed)
			if day.Year() != year {
				continue
			}
			out = append(out, holidayHit{day: day, actual: calDay(actual), name: h.Name})
		}
	}
	return out
}

// calDay converts a rickar/cal result, which is midnight in cal.DefaultLoc
// (time.Local), to a Day. Adding twelve hours first keeps the right day even in
// zones where local midnight does not exist on a DST change and the library's
// midnight lands an hour early.
func calDay(t time.Time) Day {
	y, m, d := t.Add(12 * time.Hour).Date()
	return NewDay(y, m, d)
}
