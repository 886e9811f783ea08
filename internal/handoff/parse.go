package handoff

import (
	"math"
	"slices"
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

// The refusals of a typed amount, in words that say what to type instead.
const (
	amountBad         = "Enter an amount such as 25000 or 25,000.00."
	amountNegative    = "The amount can't be negative."
	amountTooLarge    = "That amount is too large."
	amountAbbreviated = "Write the amount in full, e.g. 180000 rather than 180k."
	amountDecimal     = "Use a dot for the decimals and commas between thousands, e.g. 1,200.50."
)

// ParseAmount reads a money amount in major units as people type it into
// integer minor units: "25000", "25,000", "1250.5", "180,000.00", with a
// currency mark before or after it ("$180,000", "€ 1,200.50", "180000 USD").
// Commas and spaces may only separate thousands. It refuses negatives, more
// than two decimals, shorthand ("180k"), decimal commas ("1.200,50"),
// absurd sizes and text longer than MaxAmount, each with a message saying
// what to type instead. The mark is not checked against any currency here:
// ParseAmountIn does that.
func ParseAmount(s string) (int64, error) {
	minor, _, err := parseAmount(s)
	return minor, err
}

// ParseAmountIn is ParseAmount for an amount in currency code (an ISO code
// as stored): a currency mark typed with the amount must be that currency's,
// so "€500" is refused in USD. A code that is not a currency in use (none
// typed yet, a typo) checks no mark; the currency field says what is wrong.
func ParseAmountIn(s, code string) (int64, error) {
	minor, mark, err := parseAmount(s)
	if err != nil {
		return 0, err
	}
	if mark != "" && isCurrency(code) && !markFits(mark, code) {
		return 0, Errorf(EINVALID, "The amount is marked %s but the currency is %s; make them agree.", mark, code)
	}
	return minor, nil
}

// parseAmount is ParseAmount, also returning the currency mark typed with
// the number ("$", "€", "EUR"…; "" when none).
func parseAmount(s string) (minor int64, mark string, err error) {
	if utf8.RuneCountInString(s) > MaxAmount {
		return 0, "", Errorf(EINVALID, "%s", TooLong(MaxAmount))
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return 0, "", Errorf(EINVALID, amountNegative)
	}
	mark, s = cutMark(s)
	if strings.HasPrefix(s, "-") {
		return 0, "", Errorf(EINVALID, amountNegative)
	}
	// Spaces (also the no-break ones some keyboards and spreadsheets type)
	// separate thousands, like commas.
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return ','
		}
		return r
	}, s)
	if s == "" || strings.HasPrefix(s, "+") {
		return 0, "", Errorf(EINVALID, amountBad)
	}
	if n := len(s) - 1; strings.IndexByte("kKmMbB", s[n]) >= 0 && allDigits(strings.NewReplacer(",", "", ".", "").Replace(s[:n])) {
		return 0, "", Errorf(EINVALID, amountAbbreviated) // "180k", "1.5M"
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && strings.Contains(frac, ",") {
		return 0, "", Errorf(EINVALID, amountDecimal) // "1.200,50"
	}
	if whole, err = thousands(whole); err != nil {
		return 0, "", err
	}
	if !allDigits(whole) || len(frac) > 2 || (hasFrac && !allDigits(frac)) {
		return 0, "", Errorf(EINVALID, amountBad)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, "", Errorf(EINVALID, amountBad)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, "", Errorf(EINVALID, amountBad)
	}
	if w > math.MaxInt64/100-1 {
		return 0, "", Errorf(EINVALID, amountTooLarge)
	}
	return w*100 + f, mark, nil
}

// thousands removes the separators from the whole part of an amount, where
// they may only separate groups of three digits ("1,250,000"); a last group
// of one or two digits is a decimal comma ("1200,50").
func thousands(whole string) (string, error) {
	if !strings.Contains(whole, ",") {
		return whole, nil
	}
	groups := strings.Split(whole, ",")
	if last := groups[len(groups)-1]; len(groups) == 2 && allDigits(groups[0]) && allDigits(last) && len(last) < 3 {
		return "", Errorf(EINVALID, amountDecimal) // "1200,50"
	}
	for i, g := range groups {
		if !allDigits(g) || len(g) > 3 || (i > 0 && len(g) != 3) {
			return "", Errorf(EINVALID, amountBad)
		}
	}
	return strings.Join(groups, ""), nil
}

// currencyMarks are the symbols people type with an amount, and the
// currencies each may stand for.
var currencyMarks = map[string][]string{
	"US$": {"USD"},
	"$":   {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"},
	"€":   {"EUR"},
	"£":   {"GBP"},
	"¥":   {"JPY", "CNY"},
	"₹":   {"INR"},
	"₩":   {"KRW"},
}

// cutMark takes a currency mark off either end of an amount: a symbol of
// currencyMarks or three letters (an ISO code), with or without a space.
// It returns the mark (codes in upper case) and the rest, trimmed.
func cutMark(s string) (mark, rest string) {
	for _, m := range []string{"US$", "$", "€", "£", "¥", "₹", "₩"} {
		if after, ok := strings.CutPrefix(s, m); ok {
			return m, strings.TrimSpace(after)
		}
		if before, ok := strings.CutSuffix(s, m); ok {
			return m, strings.TrimSpace(before)
		}
	}
	letter := func(b byte) bool { return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') }
	isCode := func(c string) bool { return len(c) == 3 && letter(c[0]) && letter(c[1]) && letter(c[2]) }
	if n := len(s); n > 3 && isCode(s[:3]) && !letter(s[3]) {
		return strings.ToUpper(s[:3]), strings.TrimSpace(s[3:])
	}
	if n := len(s); n > 3 && isCode(s[n-3:]) && !letter(s[n-4]) {
		return strings.ToUpper(s[n-3:]), strings.TrimSpace(s[:n-3])
	}
	return "", s
}

// markFits reports whether a mark cutMark found stands for currency code.
func markFits(mark, code string) bool {
	if codes, ok := currencyMarks[mark]; ok {
		return slices.Contains(codes, code)
	}
	return mark == code
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
