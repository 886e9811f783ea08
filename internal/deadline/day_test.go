package deadline

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	t.Parallel()
	valid := []struct {
		name, in, want string
	}{
		{"Plain", "2026-11-25", "2026-11-25"},
		{"SpacesTrimmed", " 2026-11-25\n", "2026-11-25"},
		{"LeapDay", "2028-02-29", "2028-02-29"},
		{"FirstOfYear", "2027-01-01", "2027-01-01"},
	}
	for _, tt := range valid {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDay(tt.in)
			if err != nil {
				t.Fatalf("ParseDay(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseDay(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
	invalid := []struct {
		name, in, wantText string
	}{
		{"ErrEmpty", "", "Enter a date like 2026-11-25."},
		{"ErrSlashes", "25/11/2026", `"25/11/2026" is not a date in the form YYYY-MM-DD, like 2026-11-25.`},
		{"ErrOneDigitMonth", "2026-1-05", "is not a date in the form YYYY-MM-DD"},
		{"ErrTimeAttached", "2026-11-25T10:00:00Z", "is not a date in the form YYYY-MM-DD"},
		{"ErrMonth13", "2026-13-01", `"2026-13-01" has no month 13; months run from 01 to 12.`},
		{"ErrFebruary30", "2026-02-30", `"2026-02-30" is not a real date: February 2026 has 28 days.`},
		{"ErrNotLeapYear", "2027-02-29", "February 2027 has 28 days"},
		{"ErrDayZero", "2026-11-00", "November 2026 has 30 days"},
		{"ErrYearZero", "0000-01-01", "no year 0000"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseDay(tt.in)
			if err == nil {
				t.Fatalf("ParseDay(%q) succeeded, want an error", tt.in)
			}
			if !errors.Is(err, ErrInvalidDay) {
				t.Errorf("ParseDay(%q) error %v does not wrap ErrInvalidDay", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("ParseDay(%q) error = %q, want it to contain %q", tt.in, err, tt.wantText)
			}
		})
	}
}

func TestDay(t *testing.T) {
	t.Parallel()
	t.Run("ZeroIsNoDay", func(t *testing.T) {
		t.Parallel()
		var z Day
		if !z.IsZero() || z.String() != "" || !z.Time().IsZero() {
			t.Errorf("zero Day: IsZero=%v String=%q Time=%v", z.IsZero(), z.String(), z.Time())
		}
		if d("2026-11-25").IsZero() {
			t.Error("2026-11-25 reports IsZero")
		}
	})
	t.Run("NewDayNormalisesLikeTimeDate", func(t *testing.T) {
		t.Parallel()
		if got := NewDay(2026, time.November, 31); got != d("2026-12-01") {
			t.Errorf("NewDay(2026, November, 31) = %s, want 2026-12-01", got)
		}
	})
	t.Run("ArithmeticAndComparison", func(t *testing.T) {
		t.Parallel()
		a, b := d("2026-11-25"), d("2026-12-03")
		if a.DaysUntil(b) != 8 || b.DaysUntil(a) != -8 || a.DaysUntil(a) != 0 {
			t.Errorf("DaysUntil: %d, %d, %d", a.DaysUntil(b), b.DaysUntil(a), a.DaysUntil(a))
		}
		if a.AddDays(8) != b || b.AddDays(-8) != a {
			t.Errorf("AddDays: %s, %s", a.AddDays(8), b.AddDays(-8))
		}
		if !a.Before(b) || a.After(b) || !b.After(a) || !a.Equal(d("2026-11-25")) || a.Equal(b) {
			t.Error("Before/After/Equal disagree with the calendar")
		}
		if a.AddDays(37) != d("2027-01-01") {
			t.Errorf("AddDays across year end = %s", a.AddDays(37))
		}
	})
	t.Run("MatchesTimePackageEveryDay2019To2037", func(t *testing.T) {
		t.Parallel()
		// The whole range the fuzz test draws from, plus margins, checked
		// against the standard library rather than against itself.
		start := time.Date(2019, time.January, 1, 0, 0, 0, 0, time.UTC)
		day := NewDay(2019, time.January, 1)
		for tm := start; tm.Year() < 2038; tm = tm.AddDate(0, 0, 1) {
			if day.Time() != tm || day.Weekday() != tm.Weekday() || day.String() != tm.Format(time.DateOnly) || day.Year() != tm.Year() {
				t.Fatalf("day %s (weekday %s) disagrees with time %s (%s)", day, day.Weekday(), tm.Format(time.DateOnly), tm.Weekday())
			}
			day = day.AddDays(1)
		}
	})
	t.Run("DayOfUsesTheGivenZone", func(t *testing.T) {
		t.Parallel()
		instant := time.Date(2026, time.November, 26, 3, 0, 0, 0, time.UTC)
		ny, _ := time.LoadLocation("America/New_York")
		if got := DayOf(instant, ny); got != d("2026-11-25") {
			t.Errorf("New York day = %s, want 2026-11-25", got)
		}
		if got := DayOf(instant, nil); got != d("2026-11-26") {
			t.Errorf("nil location day = %s, want 2026-11-26 (UTC)", got)
		}
		if got := DayOf(d("2026-11-25").Time(), time.UTC); got != d("2026-11-25") {
			t.Errorf("round trip through Time = %s", got)
		}
	})
	t.Run("JSONRoundTrip", func(t *testing.T) {
		t.Parallel()
		in := struct{ Due, Done Day }{Due: d("2026-12-03")}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != `{"Due":"2026-12-03","Done":""}` {
			t.Errorf("json = %s", b)
		}
		var out struct{ Due, Done Day }
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		if out != in {
			t.Errorf("round trip = %+v, want %+v", out, in)
		}
	})
}
