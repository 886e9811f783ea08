package handoff

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The range of dates Handoff takes from people. Every date it deals in — a
// Closed-Won, a POC, a kickoff, a commitment due, a sign-off, a company day
// off — falls in the working life of a software company today, so a date
// outside it is a slip of the keyboard ("0001-01-01", "20266-01-01"), not
// a real date. The bound also keeps dates inside what the holiday calendars,
// the date arithmetic of the clocks and PostgreSQL's date type all agree on.
var (
	FirstDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
	LastDate  = time.Date(2100, time.December, 31, 0, 0, 0, 0, time.UTC)
)

// CheckDateRange is the one rule for which dates are sane: from FirstDate to
// LastDate, both included. Every date parser calls it.
func CheckDateRange(t time.Time) error {
	if t.Before(FirstDate) || t.After(LastDate) {
		return Errorf(EINVALID, "Enter a date between %s and %s.", FirstDate.Format(time.DateOnly), LastDate.Format(time.DateOnly))
	}
	return nil
}

// ParseDate reads a YYYY-MM-DD date as a civil date at 00:00 UTC, within the
// sane range of CheckDateRange.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, Errorf(EINVALID, "Enter a date.")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "Enter the date as YYYY-MM-DD, e.g. 2026-11-25.")
	}
	if err := CheckDateRange(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// ParseAmount reads a money amount in major units ("25,000", "1250.5") into
// integer minor units, refusing negatives, more than two decimals, absurd
// sizes and text longer than MaxAmount.
func ParseAmount(s string) (int64, error) {
	if utf8.RuneCountInString(s) > MaxAmount {
		return 0, Errorf(EINVALID, "%s", TooLong(MaxAmount))
	}
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), " ", ""))
	bad := Errorf(EINVALID, "Enter an amount such as 25000 or 25,000.00.")
	if s == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		if strings.HasPrefix(s, "-") {
			return 0, Errorf(EINVALID, "The amount can't be negative.")
		}
		return 0, bad
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if !allDigits(whole) || len(frac) > 2 || (hasFrac && !allDigits(frac)) {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, bad
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, bad
	}
	if w > math.MaxInt64/100-1 {
		return 0, Errorf(EINVALID, "That amount is too large.")
	}
	return w*100 + f, nil
}

// FormatAmount writes minor units back as a plain major-unit string for a form
// field ("25000.00" → "25000", "1250.50" stays).
func FormatAmount(minor int64) string {
	s := strconv.FormatInt(minor/100, 10)
	if c := minor % 100; c != 0 {
		s += "." + strconv.FormatInt(c/10, 10) + strconv.FormatInt(c%10, 10)
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
