package deadline

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewCalendar(t *testing.T) {
	t.Parallel()
	t.Run("AcceptsLowercaseAndRepeatedCodes", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, "Europe/London", []string{"gb", " US ", "GB"}, nil)
		got := c.Countries()
		if len(got) != 2 || got[0].Code != "GB" || got[1].Code != "US" {
			t.Errorf("Countries() = %v, want GB then US", got)
		}
		if c.Location().String() != "Europe/London" {
			t.Errorf("Location() = %s", c.Location())
		}
	})
	errs := []struct {
		name      string
		tz        string
		countries []string
		daysOff   []DayOff
		sentinel  error
		wantText  string
	}{
		{"ErrTimeZoneEmpty", "", nil, nil, ErrUnknownTimeZone, "Choose a time zone"},
		{"ErrTimeZoneLocal", "Local", nil, nil, ErrUnknownTimeZone, "Choose a time zone"},
		{"ErrTimeZoneUnknown", "Mars/Olympus_Mons", nil, nil, ErrUnknownTimeZone, `"Mars/Olympus_Mons" is not a time zone we know`},
		{"ErrCountryUnknown", "UTC", []string{"US", "XX"}, nil, ErrUnknownCountry, `no holiday list for the country code "XX". Supported: AT, AU,`},
		{"ErrCountryUK", "UTC", []string{"UK"}, nil, ErrUnknownCountry, `Use "GB" for the United Kingdom.`},
		{"ErrDayOffWithoutDate", "UTC", nil, []DayOff{{Name: "Founders day"}}, ErrInvalidDayOff, `"Founders day" has no date`},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewCalendar(tt.tz, tt.countries, tt.daysOff)
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %q, want it to contain %q", err, tt.wantText)
			}
			if strings.Contains(err.Error(), "deadline:") {
				t.Errorf("err = %q shows package jargon to people", err)
			}
		})
	}
}

func TestCountries(t *testing.T) {
	t.Parallel()
	got := Countries()
	for i := 1; i < len(got); i++ {
		if got[i-1].Name >= got[i].Name {
			t.Errorf("not sorted by name: %q before %q", got[i-1].Name, got[i].Name)
		}
	}
	have := map[string]bool{}
	for _, c := range got {
		have[c.Code] = true
		if _, err := NewCalendar("UTC", []string{c.Code}, nil); err != nil {
			t.Errorf("listed country %s is rejected: %v", c.Code, err)
		}
	}
	for _, code := range []string{"US", "GB", "CA", "AU", "DE", "FR", "IE", "NL", "ES", "IT"} {
		if !have[code] {
			t.Errorf("Countries() lacks %s", code)
		}
	}
	got[0].Name = "changed"
	if Countries()[0].Name == "changed" {
		t.Error("Countries() shares its slice with callers")
	}
}

func TestIsBusinessDay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		countries  []string
		daysOff    []DayOff
		day        string
		wantOK     bool
		wantReason string
	}{
		{"Wednesday", []string{"US"}, nil, "2026-11-25", true, ""},
		{"Saturday", []string{"US"}, nil, "2026-11-28", false, "Saturday"},
		{"Sunday", []string{"US"}, nil, "2026-11-29", false, "Sunday"},
		{"ThanksgivingUS", []string{"US"}, nil, "2026-11-26", false, "Thanksgiving Day (US public holiday)"},
		{"DayAfterThanksgivingIsNotFederal", []string{"US"}, nil, "2026-11-27", true, ""},
		{"ThanksgivingIsNotAHolidayInGB", []string{"GB"}, nil, "2026-11-26", true, ""},
		{"IndependenceDayObservedFriday", []string{"US"}, nil, "2026-07-03", false, "Independence Day (US public holiday, observed in place of Saturday 2026-07-04)"},
		{"WeekendBeatsHoliday", []string{"US"}, nil, "2026-07-04", false, "Saturday"},
		{"NewYearObservedInPreviousYear", []string{"US"}, nil, "2027-12-31", false, "New Year's Day (US public holiday, observed in place of Saturday 2028-01-01)"},
		{"ColumbusDayIsFederal", []string{"US"}, nil, "2026-10-12", false, "Columbus Day (US public holiday)"},
		{"GBGoodFriday", []string{"GB"}, nil, "2026-04-03", false, "Good Friday (GB bank holiday)"},
		{"GBEarlyMay", []string{"GB"}, nil, "2026-05-04", false, "Early May (GB bank holiday)"},
		{"GBBoxingDaySubstituteMonday", []string{"GB"}, nil, "2026-12-28", false, "Boxing Day (GB bank holiday, observed in place of Saturday 2026-12-26)"},
		{"GBChristmasSubstitute2027", []string{"GB"}, nil, "2027-12-27", false, "Christmas Day (GB bank holiday, observed in place of Saturday 2027-12-25)"},
		{"GBBoxingDaySubstitute2027", []string{"GB"}, nil, "2027-12-28", false, "Boxing Day (GB bank holiday, observed in place of Sunday 2027-12-26)"},
		{"GBChristmasOnSundayMovesToMonday", []string{"GB"}, nil, "2022-12-26", false, "Christmas Day (GB bank holiday, observed in place of Sunday 2022-12-25)"},
		{"GBBoxingDayPushedToTuesday", []string{"GB"}, nil, "2022-12-27", false, "Boxing Day (GB bank holiday, observed in place of Monday 2022-12-26)"},
		{"USChristmasObservedFriday2027", []string{"US"}, nil, "2027-12-24", false, "Christmas Day (US public holiday, observed in place of Saturday 2027-12-25)"},
		{"SharedHolidayNamesBothCountries", []string{"US", "GB"}, nil, "2026-12-25", false, "Christmas Day (US public holiday, GB bank holiday)"},
		{"UnionOfCountries", []string{"US", "GB"}, nil, "2026-05-04", false, "Early May (GB bank holiday)"},
		{"NoCountriesOnlyWeekends", nil, nil, "2026-12-25", true, ""},
		{"CompanyDayOff", []string{"US"}, yearEndShutdown, "2026-12-29", false, "Year-end shutdown (company day off)"},
		{"HolidayBeatsCompanyDayOff", []string{"GB"}, yearEndShutdown, "2026-12-28", false, "Boxing Day (GB bank holiday, observed in place of Saturday 2026-12-26)"},
		{"UnnamedCompanyDayOff", nil, []DayOff{{Day: d("2026-06-12")}}, "2026-06-12", false, "Company day off (company day off)"},
		{"CanadaDay", []string{"CA"}, nil, "2026-07-01", false, "Canada Day (CA public holiday)"},
		{"GermanUnityDay", []string{"DE"}, nil, "2025-10-03", false, "Tag der Deutschen Einheit (DE public holiday)"},
		{"FranceBastilleDay", []string{"FR"}, nil, "2026-07-14", false, "Fête Nationale (FR public holiday)"},
		{"IrelandStPatrick", []string{"IE"}, nil, "2026-03-17", false, "Saint Patrick's Day (IE public holiday)"},
		{"NetherlandsKingsDay", []string{"NL"}, nil, "2026-04-27", false, "Koningsdag (NL public holiday)"},
		{"SpainNationalDay", []string{"ES"}, nil, "2026-10-12", false, "Fiesta Nacional de España (ES public holiday)"},
		{"ItalyRepublicDay", []string{"IT"}, nil, "2026-06-02", false, "Festa della Repubblica (IT public holiday)"},
		{"AustraliaDay", []string{"AU"}, nil, "2026-01-26", false, "Australia Day (AU public holiday)"},
		{"AustraliaBoxingDaySubstitute", []string{"AU"}, nil, "2026-12-28", false, "Boxing Day (AU public holiday, observed in place of Saturday 2026-12-26)"},
		{"AustraliaStateOnlyHolidayIsBusinessDay", []string{"AU"}, nil, "2026-03-09", true, ""}, // Labour Day VIC/TAS, Canberra Day, Adelaide Cup: not national
		{"AustraliaKingsBirthdayVariesByState", []string{"AU"}, nil, "2026-06-08", true, ""},
		{"SwedenChristmasEveIsNotPublic", []string{"SE"}, nil, "2026-12-24", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newCalendar(t, "UTC", tt.countries, tt.daysOff)
			ok, reason := c.IsBusinessDay(d(tt.day))
			if ok != tt.wantOK || reason != tt.wantReason {
				t.Errorf("IsBusinessDay(%s) = %v, %q; want %v, %q", tt.day, ok, reason, tt.wantOK, tt.wantReason)
			}
		})
	}
}

func TestAddBusinessDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		countries []string
		daysOff   []DayOff
		start     string
		n         int
		want      string
	}{
		{"ThanksgivingAndWeekendSkipped", []string{"US"}, nil, "2026-11-25", 5, "2026-12-03"},
		{"PlainWeekWrapsWeekend", nil, nil, "2026-03-04", 5, "2026-03-11"},
		{"StartOnFridayNeverCounts", nil, nil, "2026-03-06", 1, "2026-03-09"},
		{"StartOnSaturday", []string{"US"}, nil, "2026-11-21", 5, "2026-11-30"},
		{"StartOnSunday", nil, nil, "2026-03-08", 1, "2026-03-09"},
		{"StartOnHoliday", []string{"US"}, nil, "2026-11-26", 5, "2026-12-03"},
		{"YearEndWithShutdown", []string{"US"}, yearEndShutdown, "2026-12-22", 5, "2027-01-06"},
		{"YearEndWithoutShutdown", []string{"US"}, nil, "2026-12-22", 5, "2026-12-30"},
		{"GBChristmasAndBoxingSubstitute", []string{"GB"}, nil, "2026-12-23", 2, "2026-12-29"},
		{"GBEasterFourDayWeekend", []string{"GB"}, nil, "2026-04-02", 1, "2026-04-07"},
		{"USAndGBTogether", []string{"US", "GB"}, nil, "2026-12-23", 3, "2026-12-30"},
		{"CustomDayOffOnly", nil, []DayOff{{Day: d("2026-06-12"), Name: "Offsite"}}, "2026-06-11", 1, "2026-06-15"},
		{"USNewYearObservedOnDecember31", []string{"US"}, nil, "2027-12-30", 1, "2028-01-03"},
		{"ZeroIsStart", []string{"US"}, nil, "2026-11-28", 0, "2026-11-28"},
		{"NegativeCountsBack", []string{"US"}, nil, "2026-12-03", -5, "2026-11-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newCalendar(t, "America/New_York", tt.countries, tt.daysOff)
			got := c.AddBusinessDays(d(tt.start), tt.n)
			if got != d(tt.want) {
				t.Errorf("AddBusinessDays(%s, %d) = %s (%s), want %s", tt.start, tt.n, got, got.Weekday(), tt.want)
			}
		})
	}
}

func TestBusinessDaysBetween(t *testing.T) {
	t.Parallel()
	c := newCalendar(t, "UTC", []string{"US"}, yearEndShutdown)
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"Equal", "2026-11-25", "2026-11-25", 0},
		{"ForwardSkipsThanksgivingAndWeekend", "2026-11-25", "2026-12-03", 5},
		{"BackwardIsNegativeMirror", "2026-12-03", "2026-11-25", -5},
		{"OnlyWeekendBetween", "2026-11-27", "2026-11-29", 0},
		{"EndDayCountsStartDoesNot", "2026-11-27", "2026-11-30", 1},
		{"ShutdownWeek", "2026-12-24", "2027-01-04", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.BusinessDaysBetween(d(tt.a), d(tt.b)); got != tt.want {
				t.Errorf("BusinessDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestToday(t *testing.T) {
	t.Parallel()
	c := newCalendar(t, "America/New_York", []string{"US"}, nil)
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		// 2026-03-08: clocks spring forward from 02:00 EST to 03:00 EDT.
		{"LastSecondBeforeSpringForwardDay", wall(t, "America/New_York", 2026, 3, 7, 23, 59, 59), "2026-03-07"},
		{"MidnightOfSpringForwardDay", wall(t, "America/New_York", 2026, 3, 8, 0, 0, 0), "2026-03-08"},
		{"LastSecondOfSpringForwardDay", wall(t, "America/New_York", 2026, 3, 8, 23, 59, 59), "2026-03-08"},
		{"MidnightAfterSpringForwardIsUTC4", time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC), "2026-03-09"},
		// 2026-11-01: clocks fall back from 02:00 EDT to 01:00 EST.
		{"LastSecondBeforeFallBackDay", wall(t, "America/New_York", 2026, 10, 31, 23, 59, 59), "2026-10-31"},
		{"MidnightOfFallBackDayIsUTC4", time.Date(2026, 11, 1, 4, 0, 0, 0, time.UTC), "2026-11-01"},
		{"LastSecondOfFallBackDayIsUTC5", time.Date(2026, 11, 2, 4, 59, 59, 0, time.UTC), "2026-11-01"},
		{"MidnightAfterFallBack", time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC), "2026-11-02"},
		{"UTCDateAheadOfNewYork", time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC), "2026-11-25"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.Today(tt.now); got != d(tt.want) {
				t.Errorf("Today(%s) = %s, want %s", tt.now.UTC().Format(time.RFC3339), got, tt.want)
			}
		})
	}
}

func TestEndOfDay(t *testing.T) {
	t.Parallel()
	c := newCalendar(t, "America/New_York", nil, nil)
	tests := []struct {
		name      string
		day       string
		want      time.Time
		wantHours float64
	}{
		{"SpringForwardDayHas23Hours", "2026-03-08", time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC), 23},
		{"FallBackDayHas25Hours", "2026-11-01", time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC), 25},
		{"OrdinaryDay", "2026-12-03", time.Date(2026, 12, 4, 5, 0, 0, 0, time.UTC), 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			end := c.EndOfDay(d(tt.day))
			if !end.Equal(tt.want) {
				t.Errorf("EndOfDay(%s) = %s, want %s", tt.day, end.UTC(), tt.want)
			}
			if h := end.Sub(c.EndOfDay(d(tt.day).AddDays(-1))).Hours(); h != tt.wantHours {
				t.Errorf("%s lasts %v hours, want %v", tt.day, h, tt.wantHours)
			}
		})
	}
}

func TestCalendarConcurrentUse(t *testing.T) {
	t.Parallel()
	// One Calendar serves every request; cold per-year caches must fill safely
	// while other goroutines read them. Run with -race.
	c := newCalendar(t, "Europe/London", []string{"GB", "US"}, yearEndShutdown)
	want := map[int]Day{}
	ref := newCalendar(t, "Europe/London", []string{"GB", "US"}, yearEndShutdown)
	for y := 2020; y < 2036; y++ {
		want[y] = ref.AddBusinessDays(NewDay(y, time.December, 20), 10)
	}
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 16; i++ {
				y := 2020 + (g+i)%16
				if got := c.AddBusinessDays(NewDay(y, time.December, 20), 10); got != want[y] {
					t.Errorf("year %d: got %s, want %s", y, got, want[y])
				}
				c.IsBusinessDay(NewDay(y, time.May, 1))
			}
		}(g)
	}
	wg.Wait()
}
