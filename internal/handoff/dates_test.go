package handoff

import (
	"strings"
	"testing"
	"time"
)

// TestEveryDateFieldUsesTheSaneRange types an out-of-range date into every
// date field people fill, and expects the same plain message beside it.
func TestEveryDateFieldUsesTheSaneRange(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	kickoff := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fields := []struct {
		name  string
		field string
		check func(day string) error
	}{
		{"ClosedWon", "closed_won_on", func(day string) error {
			in := validDealInput()
			in.ClosedWonOn = day
			_, err := ValidateDeal(in, today)
			return err
		}},
		{"POCStart", "start_on", func(day string) error { return POC{StartOn: day}.Validate() }},
		{"POCEnd", "end_on", func(day string) error { return POC{EndOn: day}.Validate() }},
		{"CommitmentDue", "items.0.due_on", func(day string) error {
			return Commitments{Items: []Commitment{{ID: NewRowID(), Kind: "sla", Description: "Uptime", Evidence: "in_writing", DueOn: day}}}.Validate()
		}},
		{"ArchitectureSignOff", "sign_off_on", func(day string) error {
			a := Architecture{SignOffOn: day}
			return a.Validate(kickoff, today)
		}},
		{"DayOff", "day", func(day string) error {
			_, err := ValidateDayOff(day, "Year-end shutdown")
			return err
		}},
	}
	for _, f := range fields {
		for _, day := range []string{"0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"} {
			t.Run(f.name+"/"+day, func(t *testing.T) {
				t.Parallel()
				got := InvalidFields(f.check(day))[f.field]
				if got != dateRangeMsg {
					t.Errorf("%s %s: message = %q, want %q", f.field, day, got, dateRangeMsg)
				}
			})
		}
	}
	// The kickoff date of an acknowledgment is read by ParseDate, which the
	// table of TestParseDate covers.
}

func TestValidateDayOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, day, dayName string
		errs               map[string]string
	}{
		{"OK", "2026-12-24", " Year-end shutdown ", nil},
		{"OKNameAtLimit", "2026-12-24", strings.Repeat("n", MaxDayOffName), nil},
		{"ErrNameTooLong", "2026-12-24", strings.Repeat("n", MaxDayOffName+1), map[string]string{"name": "100 characters or fewer"}},
		{"ErrNameMissing", "2026-12-24", "  ", map[string]string{"name": "Name the day off"}},
		{"ErrDayMissing", "", "Shutdown", map[string]string{"day": "Enter a date."}},
		{"ErrDayYearOne", "0001-01-01", "Shutdown", map[string]string{"day": dateRangeMsg}},
		{"ErrDayNotADate", "24/12/2026", "Shutdown", map[string]string{"day": "YYYY-MM-DD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ValidateDayOff(tt.day, tt.dayName)
			if tt.errs == nil {
				if err != nil {
					t.Fatalf("ValidateDayOff = %v (%q), want nil", err, InvalidFields(err))
				}
				if got.Name != strings.TrimSpace(tt.dayName) || got.Day.Format(time.DateOnly) != tt.day {
					t.Errorf("ValidateDayOff = %+v", got)
				}
				return
			}
			fields := InvalidFields(err)
			if len(fields) != len(tt.errs) {
				t.Errorf("fields = %q, want %q", fields, tt.errs)
			}
			for k, sub := range tt.errs {
				if !strings.Contains(fields[k], sub) {
					t.Errorf("field %q = %q, want it to contain %q", k, fields[k], sub)
				}
			}
		})
	}
}

func TestCheckTimeZoneName(t *testing.T) {
	t.Parallel()
	if err := CheckTimeZoneName("America/Argentina/ComodRivadavia"); err != nil {
		t.Errorf("a long real zone: %v", err)
	}
	if msg := ErrorMessage(CheckTimeZoneName(strings.Repeat("Z", MaxTimeZone+1))); !strings.Contains(msg, "64 characters or fewer") {
		t.Errorf("too long: %q", msg)
	}
	if err := CheckTimeZoneName("  "); ErrorCode(err) != EINVALID {
		t.Errorf("blank: %v", err)
	}
}

func TestCommitmentsValidateMoney(t *testing.T) {
	t.Parallel()
	item := func(v Money) Commitments {
		return Commitments{Items: []Commitment{{ID: NewRowID(), Kind: "sla", Description: "Uptime", Evidence: "in_writing", Value: v}}}
	}
	if err := item(Money{Minor: 3_000_000, Currency: "JPY"}).Validate(); err != nil {
		t.Errorf("JPY 30,000: %v (%q)", err, InvalidFields(err))
	}
	if err := item(Money{}).Validate(); err != nil {
		t.Errorf("no value: %v (%q)", err, InvalidFields(err))
	}
	if got := InvalidFields(item(Money{Minor: 100, Currency: "XTS"}).Validate())["items.0.currency"]; got != currencyMsg {
		t.Errorf("XTS: currency message = %q", got)
	}
	if got := InvalidFields(item(Money{Minor: 150, Currency: "JPY"}).Validate())["items.0.amount"]; !strings.Contains(got, "whole amount") {
		t.Errorf("JPY 1.50: amount message = %q", got)
	}
}
