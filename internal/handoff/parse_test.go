package handoff

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const dateRangeMsg = "Enter a date between 2000-01-01 and 2100-12-31."

// TestCheckDateRange pins the one range of sane dates every date parser uses.
func TestCheckDateRange(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		in   time.Time
		ok   bool
	}{
		{"OKFirstDate", day(2000, 1, 1), true},
		{"OKLastDate", day(2100, 12, 31), true},
		{"OKToday", day(2026, 11, 25), true},
		{"ErrZeroTime", time.Time{}, false},
		{"ErrYearOne", day(1, 1, 1), false},
		{"ErrDayBeforeFirst", day(1999, 12, 31), false},
		{"ErrDayAfterLast", day(2101, 1, 1), false},
		{"ErrYear9999", day(9999, 12, 31), false},
		{"ErrFiveDigitYear", day(20266, 1, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckDateRange(tt.in)
			if tt.ok {
				if err != nil {
					t.Errorf("CheckDateRange(%v) = %v, want nil", tt.in, err)
				}
				return
			}
			if code := ErrorCode(err); code != EINVALID {
				t.Fatalf("CheckDateRange(%v) = %v (code %q), want %q", tt.in, err, code, EINVALID)
			}
			if msg := ErrorMessage(err); msg != dateRangeMsg {
				t.Errorf("CheckDateRange(%v) message = %q, want %q", tt.in, msg, dateRangeMsg)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     time.Time
		wantMsg  string // "" when the date parses
	}{
		{"OKPlain", "2026-11-25", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), ""},
		{"OKTrimmed", "  2026-01-02\t", time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), ""},
		{"OKLeapDay", "2028-02-29", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"ErrEmpty", "", time.Time{}, "Enter a date."},
		{"ErrBlank", "   ", time.Time{}, "Enter a date."},
		{"ErrDayFirst", "25/11/2026", time.Time{}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
		{"ErrUnpadded", "2026-1-2", time.Time{}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
		{"ErrNoLeapDay", "2026-02-29", time.Time{}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
		{"ErrMonth13", "2026-13-01", time.Time{}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
		{"ErrWithTime", "2026-11-25T10:00:00Z", time.Time{}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
		{"ErrWords", "tomorrow", time.Time{}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-25."},
		{"OKFirstDay", "2000-01-01", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"OKLastDay", "2100-12-31", time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC), ""},
		{"ErrYearOne", "0001-01-01", time.Time{}, dateRangeMsg},
		{"ErrDayBeforeRange", "1999-12-31", time.Time{}, dateRangeMsg},
		{"ErrDayAfterRange", "2101-01-01", time.Time{}, dateRangeMsg},
		{"ErrYear9999", "9999-12-31", time.Time{}, dateRangeMsg},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("ParseDate(%q) = %v, want nil", tt.in, err)
				}
				if !got.Equal(tt.want) || got.Location() != time.UTC {
					t.Errorf("ParseDate(%q) = %v, want %v (UTC)", tt.in, got, tt.want)
				}
				return
			}
			if code := ErrorCode(err); code != EINVALID {
				t.Fatalf("ParseDate(%q) err = %v (code %q), want %q", tt.in, err, code, EINVALID)
			}
			if msg := ErrorMessage(err); msg != tt.wantMsg {
				t.Errorf("ParseDate(%q) message = %q, want %q", tt.in, msg, tt.wantMsg)
			}
			if !got.IsZero() {
				t.Errorf("ParseDate(%q) = %v on error, want zero time", tt.in, got)
			}
		})
	}
}

const (
	amountBadMsg         = "Enter an amount such as 25000 or 25,000.00."
	amountNegativeMsg    = "The amount can't be negative."
	amountTooLargeMsg    = "That amount is too large."
	amountAbbreviatedMsg = "Write the amount in full, e.g. 180000 rather than 180k."
	amountDecimalMsg     = "Use a dot for the decimals and commas between thousands, e.g. 1,200.50."
	// maxAmountMinor is the largest amount ParseAmount accepts.
	maxAmountMinor = (math.MaxInt64/100-1)*100 + 99
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     int64
		wantMsg  string // "" when the amount parses
	}{
		{"OKThousandsSeparator", "25,000", 2500000, ""},
		{"OKThousandsSeparatorAndCents", "25,000.00", 2500000, ""},
		{"OKPlain", "25000", 2500000, ""},
		{"OKOneDecimal", "1250.5", 125050, ""},
		{"OKTwoDecimals", "1250.05", 125005, ""},
		{"OKCentsOnly", "0.07", 7, ""},
		{"OKZero", "0", 0, ""},
		{"OKZeroCents", "0.00", 0, ""},
		{"OKLeadingZeros", "007.5", 750, ""},
		{"OKSurroundingSpace", "  42 ", 4200, ""},
		{"OKSpaceAsThousandsSeparator", "1 250 000", 125000000, ""},
		{"OKLargestAccepted", "92233720368547757.99", maxAmountMinor, ""},
		{"ErrEmpty", "", 0, amountBadMsg},
		{"ErrBlank", "   ", 0, amountBadMsg},
		{"ErrOnlyComma", ",", 0, amountBadMsg},
		{"ErrNegative", "-5", 0, amountNegativeMsg},
		{"ErrNegativeCents", "-0.50", 0, amountNegativeMsg},
		{"ErrNegativeWithSeparators", "-25,000", 0, amountNegativeMsg},
		{"ErrPlusSign", "+5", 0, amountBadMsg},
		{"ErrThreeDecimals", "1.005", 0, amountBadMsg},
		{"ErrThreeDecimalZeros", "1.000", 0, amountBadMsg},
		{"ErrLetters", "abc", 0, amountBadMsg},
		{"ErrTrailingLetter", "120x", 0, amountBadMsg},
		{"ErrAbbreviatedThousands", "180k", 0, amountAbbreviatedMsg},
		{"ErrAbbreviatedMillions", "1.5M", 0, amountAbbreviatedMsg},
		{"ErrAbbreviatedWithSymbol", "$180K", 0, amountAbbreviatedMsg},
		{"ErrDecimalComma", "1200,50", 0, amountDecimalMsg},
		{"ErrDecimalCommaOneDigit", "25,5", 0, amountDecimalMsg},
		{"ErrDotThousandsDecimalComma", "1.200,50", 0, amountDecimalMsg},
		{"ErrCodeAndDecimalComma", "EUR 1.200,50", 0, amountDecimalMsg},
		{"ErrCommaNotBetweenThousands", "1,2,3", 0, amountBadMsg},
		{"ErrGroupOfFour", "1,0000", 0, amountBadMsg},
		{"ErrTrailingComma", "1,", 0, amountBadMsg},
		{"ErrLeadingComma", ",500", 0, amountBadMsg},
		{"ErrSymbolOnly", "$", 0, amountBadMsg},
		{"ErrSymbolThenNegative", "$-5", 0, amountNegativeMsg},
		{"ErrTwoSymbols", "$$25", 0, amountBadMsg},
		{"ErrCodeOnly", "USD", 0, amountBadMsg},
		{"OKDollarSymbol", "$180,000", 18000000, ""},
		{"OKDollarSymbolAndCents", "$180,000.00", 18000000, ""},
		{"OKThousandsAndCentsAsTyped", "180,000.00", 18000000, ""},
		{"OKSymbolWithSpace", "€ 1,200.50", 120050, ""},
		{"OKSymbolAfter", "1200.50 €", 120050, ""},
		{"OKPoundSymbol", "£25", 2500, ""},
		{"OKUSDollarSymbol", "US$99.99", 9999, ""},
		{"OKCodeBefore", "USD 180,000", 18000000, ""},
		{"OKCodeAfterLowerCase", "180000 usd", 18000000, ""},
		{"OKCodeNoSpace", "EUR1200", 120000, ""},
		{"OKNoBreakSpaceThousands", "1\u00a0250\u00a0000", 125000000, ""},
		{"ErrExponent", "1e5", 0, amountBadMsg},
		{"ErrHex", "0x10", 0, amountBadMsg},
		{"ErrUnderscores", "1_000", 0, amountBadMsg},
		{"ErrTrailingDot", "1.", 0, amountBadMsg},
		{"ErrLeadingDot", ".5", 0, amountBadMsg},
		{"ErrTwoDots", "1.2.3", 0, amountBadMsg},
		{"ErrDoubleDot", "1..5", 0, amountBadMsg},
		{"ErrSignInDecimalsMinus", "1.-5", 0, amountBadMsg},
		{"ErrSignInDecimalsPlus", "1.+5", 0, amountBadMsg},
		{"ErrSignAloneInDecimals", "1.-", 0, amountBadMsg},
		{"ErrSignInWhole", "1-5", 0, amountBadMsg},
		{"ErrTooLargeJustOver", "92233720368547758", 0, amountTooLargeMsg},
		{"ErrTooLargeMaxInt64Major", "9223372036854775807", 0, ""},
		{"ErrTooLargeOverflowsInt64", "99999999999999999999999", 0, ""},
		{"ErrLongerThanMaxAmount", strings.Repeat(",", 40) + "5", 0, "Keep this to 32 characters or fewer; it is longer now."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseAmount(tt.in)
			if strings.HasPrefix(tt.name, "OK") {
				if err != nil {
					t.Fatalf("ParseAmount(%q) = %v, want %d", tt.in, err, tt.want)
				}
				if got != tt.want {
					t.Errorf("ParseAmount(%q) = %d, want %d", tt.in, got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseAmount(%q) = %d, nil; want an error", tt.in, got)
			}
			if code := ErrorCode(err); code != EINVALID {
				t.Errorf("ParseAmount(%q) code = %q, want %q", tt.in, code, EINVALID)
			}
			// Absurd sizes may be refused as "too large" or as malformed;
			// either way a person sees a safe, non-empty message.
			if tt.wantMsg != "" {
				if msg := ErrorMessage(err); msg != tt.wantMsg {
					t.Errorf("ParseAmount(%q) message = %q, want %q", tt.in, msg, tt.wantMsg)
				}
			} else if msg := ErrorMessage(err); msg != amountBadMsg && msg != amountTooLargeMsg {
				t.Errorf("ParseAmount(%q) message = %q", tt.in, msg)
			}
			if got != 0 {
				t.Errorf("ParseAmount(%q) = %d on error, want 0", tt.in, got)
			}
		})
	}
}

func TestFormatAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minor int64
		want  string
	}{
		{0, "0"},
		{7, "0.07"},
		{70, "0.70"},
		{99, "0.99"},
		{100, "1"},
		{125050, "1250.50"},
		{125005, "1250.05"},
		{2500000, "25000"},
		{maxAmountMinor, "92233720368547757.99"},
	}
	for _, tt := range tests {
		t.Run("Formats_"+strconv.FormatInt(tt.minor, 10), func(t *testing.T) {
			t.Parallel()
			if got := FormatAmount(tt.minor); got != tt.want {
				t.Errorf("FormatAmount(%d) = %q, want %q", tt.minor, got, tt.want)
			}
		})
	}
}

// TestAmountRoundTrip checks that what FormatAmount writes into a form field
// reads back as the same amount, over edges and many pseudo-random values.
func TestAmountRoundTrip(t *testing.T) {
	t.Parallel()
	values := []int64{0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 2500000, 123456789, maxAmountMinor, maxAmountMinor - 1, maxAmountMinor - 99}
	r := rand.New(rand.NewPCG(2026, 11))
	for range 5000 {
		values = append(values, r.Int64N(maxAmountMinor+1))
		values = append(values, r.Int64N(1_000_000_00)) // everyday amounts
	}
	for range 1000 {
		values = append(values, r.Int64N(1_000_000)*100) // whole amounts
	}
	shape := regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]{2})?$`)
	for _, v := range values {
		s := FormatAmount(v)
		if !shape.MatchString(s) {
			t.Errorf("FormatAmount(%d) = %q, not a plain amount", v, s)
			continue
		}
		if v%100 == 0 && strings.Contains(s, ".") {
			t.Errorf("FormatAmount(%d) = %q, want no decimals for a whole amount", v, s)
		}
		got, err := ParseAmount(s)
		if err != nil {
			t.Errorf("ParseAmount(FormatAmount(%d) = %q) = %v", v, s, err)
			continue
		}
		if got != v {
			t.Errorf("ParseAmount(FormatAmount(%d) = %q) = %d", v, s, got)
		}
	}
}

// FuzzParseAmount checks ParseAmount's promise on any input: whatever it
// accepts is a plain non-negative amount with at most two decimals (once
// separators are dropped), and it formats back to the same minor units.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"25,000", "1250.5", "0.07", "0", "-5", "1.005", "abc", "", "1.", ".5", "92233720368547757.99", "92233720368547758", "1 000"} {
		f.Add(s)
	}
	shape := regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseAmount(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseAmount(%q) = %v, want an EINVALID error", s, err)
			}
			return
		}
		plain := strings.TrimSpace(strings.NewReplacer(",", "", " ", "").Replace(s))
		if !shape.MatchString(plain) {
			t.Fatalf("ParseAmount(%q) = %d, want an error: not a plain amount", s, got)
		}
		if got < 0 {
			t.Fatalf("ParseAmount(%q) = %d, want non-negative", s, got)
		}
		back, err := ParseAmount(FormatAmount(got))
		if err != nil || back != got {
			t.Fatalf("round trip of %q: %d → %q → %d, %v", s, got, FormatAmount(got), back, err)
		}
	})
}
