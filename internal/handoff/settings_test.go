package handoff

import (
	"strings"
	"testing"
)

func TestDayRangeParse(t *testing.T) {
	t.Parallel()
	r := DayRange{Min: 1, Max: 60}
	tests := []struct {
		name string
		raw  string
		want int
		ok   bool
	}{
		{"OKLowest", "1", 1, true},
		{"OKHighest", "60", 60, true},
		{"OKDefault", "5", 5, true},
		{"OKSpacesAround", " 7 ", 7, true},
		{"EINVALIDZero", "0", 0, false},
		{"EINVALIDOverTheTop", "61", 0, false},
		{"EINVALIDNegative", "-5", 0, false},
		{"EINVALIDWords", "five", 0, false},
		{"EINVALIDFraction", "5.5", 0, false},
		{"EINVALIDEmpty", "", 0, false},
		{"EINVALIDHuge", "99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := r.Parse(tt.raw)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("Parse(%q) = %d, %v; want %d", tt.raw, got, err, tt.want)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("Parse(%q) = %d, %v; want EINVALID", tt.raw, got, err)
			}
			if msg := ErrorMessage(err); msg != "Enter a whole number from 1 to 60." {
				t.Errorf("message = %q", msg)
			}
		})
	}
}

func TestClockDaysInputApply(t *testing.T) {
	t.Parallel()
	base := Settings{PackDueBusinessDays: 5, KickoffDueBusinessDays: 5, LockDueCalendarDays: 30, FirstValueDueCalendarDays: 90}
	with := func(pack, kickoff, lock, fv int) Settings {
		return Settings{PackDueBusinessDays: pack, KickoffDueBusinessDays: kickoff, LockDueCalendarDays: lock, FirstValueDueCalendarDays: fv}
	}
	tests := []struct {
		name string
		in   ClockDaysInput
		want Settings // the settings after Apply
		errs map[string]string
	}{
		{"OKDefaults", ClockDaysInput{"5", "5", "30", "90"}, base, nil},
		{"OKEveryLowest", ClockDaysInput{"1", "1", "1", "1"}, with(1, 1, 1, 1), nil},
		{"OKEveryHighest", ClockDaysInput{"60", "60", "365", "730"}, with(60, 60, 365, 730), nil},
		{"ErrPackOverRange", ClockDaysInput{"61", "7", "30", "90"}, with(5, 7, 30, 90),
			map[string]string{"pack_days": "Enter a whole number from 1 to 60."}},
		{"ErrKickoffNotANumber", ClockDaysInput{"5", "five", "30", "90"}, base,
			map[string]string{"kickoff_days": "Enter a whole number from 1 to 60."}},
		{"ErrLockOverAYear", ClockDaysInput{"5", "5", "366", "90"}, base,
			map[string]string{"lock_days": "Enter a whole number from 1 to 365."}},
		{"ErrFirstValueOverTwoYears", ClockDaysInput{"5", "5", "30", "731"}, base,
			map[string]string{"first_value_days": "Enter a whole number from 1 to 730."}},
		{"OKLockBeyondTheBusinessDayRange", ClockDaysInput{"5", "5", "90", "120"}, with(5, 5, 90, 120), nil},
		{"ErrEveryFieldAtOnce", ClockDaysInput{"0", "", "-1", "x"}, base,
			map[string]string{"pack_days": "Enter a whole number from 1 to 60.", "kickoff_days": "Enter a whole number from 1 to 60.",
				"lock_days": "Enter a whole number from 1 to 365.", "first_value_days": "Enter a whole number from 1 to 730."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := base
			err := tt.in.Apply(&got)
			fields := InvalidFields(err)
			if len(fields) != len(tt.errs) || (err != nil) != (tt.errs != nil) {
				t.Fatalf("Apply(%+v) errors = %v (%v), want %v", tt.in, fields, err, tt.errs)
			}
			for k, v := range tt.errs {
				if fields[k] != v {
					t.Errorf("error on %s = %q, want %q", k, fields[k], v)
				}
			}
			days := func(s Settings) [4]int {
				return [4]int{s.PackDueBusinessDays, s.KickoffDueBusinessDays, s.LockDueCalendarDays, s.FirstValueDueCalendarDays}
			}
			if days(got) != days(tt.want) {
				t.Errorf("settings after Apply = %+v, want %+v (a refused field keeps its old value)", got, tt.want)
			}
		})
	}
}

// The ranges are the schema's CHECK constraints (migrations/00001): what the
// form accepts the database stores.
func TestClockRangesMatchTheSchema(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		r    DayRange
		want DayRange
	}{
		"pack":        {PackDueDaysRange, DayRange{1, 60}},
		"kickoff":     {KickoffDueDaysRange, DayRange{1, 60}},
		"lock":        {LockDueDaysRange, DayRange{1, 365}},
		"first value": {FirstValueDueDaysRange, DayRange{1, 730}},
	} {
		if tt.r != tt.want {
			t.Errorf("%s range = %+v, want %+v", name, tt.r, tt.want)
		}
		if h := tt.r.Hint(); !strings.Contains(h, itoa(tt.want.Min)) || !strings.Contains(h, itoa(tt.want.Max)) {
			t.Errorf("%s hint = %q, want both ends", name, h)
		}
	}
}
