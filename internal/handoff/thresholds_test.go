package handoff

import (
	"strings"
	"testing"
)

// money is an amount of currency cur in whole units.
func money(cur string, units int64) Money { return Money{Minor: units * 100, Currency: cur} }

func TestNeedsDecision(t *testing.T) {
	t.Parallel()
	org := Thresholds{money("EUR", 22_000), money("GBP", 20_000), money("USD", 25_000)}
	tests := []struct {
		name       string
		value      Money
		thresholds Thresholds
		want       bool
	}{
		{"NeededGBPAboveGBPThreshold", money("GBP", 24_000), org, true},
		{"NeededGBPWithOnlyAUSDThreshold", money("GBP", 24_000), Thresholds{money("USD", 25_000)}, true},
		{"NeededJPYWithNoJPYThreshold", money("JPY", 30_000), org, true},
		{"NeededAnyAmountWithNoThresholdAtAll", money("USD", 1), nil, true},
		{"NotNeededUSDJustUnderUSDThreshold", Money{Minor: 2_499_999, Currency: "USD"}, org, false},
		{"NeededUSDEqualToUSDThreshold", money("USD", 25_000), org, true},
		{"NeededGBPEqualToGBPThreshold", money("GBP", 20_000), org, true},
		{"NeededAboveThreshold", Money{Minor: 2_500_001, Currency: "USD"}, org, true},
		{"NotNeededEURUnderEURThresholdThoughOverUSDNumber", money("EUR", 21_999), Thresholds{money("EUR", 22_000), money("USD", 20_000)}, false},
		{"NotNeededJPYUnderJPYThreshold", money("JPY", 2_999_999), Thresholds{money("JPY", 3_000_000)}, false},
		{"NotNeededZeroUnderThreshold", money("USD", 0), org, false},
		{"NotNeededWithoutValue", Money{}, org, false},
		{"NotNeededWithoutValueEvenWithNoThresholds", Money{}, nil, false},
		{"NotNeededWithoutCurrency", Money{Minor: 9_900_000}, org, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Commitment{ID: "k1", Kind: "custom_feature", Description: "SAML", Evidence: "in_writing", Value: tt.value}
			if got := NeedsDecision(c, tt.thresholds); got != tt.want {
				t.Errorf("NeedsDecision(%+v, %+v) = %v, want %v", tt.value, tt.thresholds, got, tt.want)
			}
		})
	}
}

func TestParseThresholds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []ThresholdInput
		want Thresholds
		errs map[string]string // field → message substring
	}{
		{"OKSortedAndNormalised", []ThresholdInput{{"usd", "25,000", false}, {" gbp ", "20000", false}, {"JPY", "3000000", false}},
			Thresholds{money("GBP", 20_000), money("JPY", 3_000_000), money("USD", 25_000)}, nil},
		{"OKBlankAndRemovedRowsDropped", []ThresholdInput{{"USD", "25000", false}, {"", "", false}, {"EUR", "1", true}, {"XXX", "oops", true}},
			Thresholds{money("USD", 25_000)}, nil},
		{"OKNone", nil, nil, nil},
		{"ErrDuplicateCurrency", []ThresholdInput{{"USD", "25000", false}, {"usd", "30000", false}},
			nil, map[string]string{"thresholds.1.currency": "one row per currency"}},
		{"ErrNotACurrency", []ThresholdInput{{"ABC", "25000", false}},
			nil, map[string]string{"thresholds.0.currency": "ISO currency code"}},
		{"ErrTestingCode", []ThresholdInput{{"XTS", "25000", false}},
			nil, map[string]string{"thresholds.0.currency": "ISO currency code"}},
		{"ErrMissingCurrency", []ThresholdInput{{"", "25000", false}},
			nil, map[string]string{"thresholds.0.currency": "Enter the currency"}},
		{"ErrMissingAmount", []ThresholdInput{{"EUR", "", false}},
			nil, map[string]string{"thresholds.0.amount": "Enter an amount"}},
		{"ErrNegativeAmount", []ThresholdInput{{"EUR", "-1", false}},
			nil, map[string]string{"thresholds.0.amount": "negative"}},
		{"ErrFractionOfAYen", []ThresholdInput{{"JPY", "30000.50", false}},
			nil, map[string]string{"thresholds.0.amount": "whole amount"}},
		{"ErrTooMany", func() []ThresholdInput {
			var rows []ThresholdInput
			for _, c := range []string{"AED", "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "ILS", "INR", "JPY",
				"KRW", "MXN", "MYR", "NOK", "NZD", "PHP", "PLN", "SAR", "SEK", "SGD", "THB", "TRY", "TWD", "USD", "ZAR", "CLP"} {
				rows = append(rows, ThresholdInput{Currency: c, Amount: "1000"})
			}
			return rows
		}(), nil, map[string]string{"thresholds": "at most 30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseThresholds(tt.in)
			if tt.errs == nil {
				if err != nil {
					t.Fatalf("ParseThresholds = %v (%q), want nil", err, InvalidFields(err))
				}
				if len(got) != len(tt.want) {
					t.Fatalf("ParseThresholds = %+v, want %+v", got, tt.want)
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Errorf("ParseThresholds[%d] = %+v, want %+v", i, got[i], tt.want[i])
					}
				}
				return
			}
			fields := InvalidFields(err)
			for k, sub := range tt.errs {
				if !strings.Contains(fields[k], sub) {
					t.Errorf("field %q = %q, want it to contain %q (all: %q)", k, fields[k], sub, fields)
				}
			}
			if len(fields) != len(tt.errs) {
				t.Errorf("fields = %q, want only %q", fields, tt.errs)
			}
		})
	}
}
