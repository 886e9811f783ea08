package handoff

import "testing"

func TestParseCurrency(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string // want "" when refused
	}{
		{"USD", "USD"}, {" eur ", "EUR"}, {"jpy", "JPY"}, {"GBP", "GBP"}, {"CHF", "CHF"}, {"KWD", "KWD"},
		{"", ""}, {"US", ""}, {"USDT", ""}, {"$", ""}, {"US1", ""}, {"ABC", ""}, {"ZZZ", ""},
		// Codes ISO 4217 lists that are not money anyone is paid in today.
		{"XXX", ""}, {"XTS", ""}, {"XAU", ""}, {"XDR", ""}, {"USN", ""}, {"DEM", ""}, {"FRF", ""},
	}
	for _, tt := range tests {
		t.Run("In"+tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCurrency(tt.in)
			if tt.want == "" {
				if err == nil || ErrorCode(err) != EINVALID || ErrorMessage(err) == "" {
					t.Errorf("ParseCurrency(%q) = %q, %v; want an invalid-input message", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseCurrency(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, amount, cur string
		want              Money
		errs              map[string]string
	}{
		{"OKUSDCents", "1,250.50", "usd", Money{125050, "USD"}, nil},
		{"OKJPYWhole", "30,000", "JPY", Money{3_000_000, "JPY"}, nil},
		{"OKJPYWholeWithZeroDecimals", "30000.00", "JPY", Money{3_000_000, "JPY"}, nil},
		{"ErrJPYFraction", "30000.5", "JPY", Money{}, map[string]string{"amount": "JPY has no smaller unit than 1 JPY; enter a whole amount, e.g. 30000."}},
		{"ErrBothFields", "lots", "XTS", Money{}, map[string]string{"amount": amountBadMsg, "currency": currencyMsg}},
		{"OKThousandsAndCents", "180,000.00", "USD", Money{18_000_000, "USD"}, nil},
		{"OKDollarSymbol", "$180,000", "USD", Money{18_000_000, "USD"}, nil},
		{"OKDollarSymbolCanadian", "$180,000", "CAD", Money{18_000_000, "CAD"}, nil},
		{"OKEuroSymbol", "€1,200.50", "eur", Money{120_050, "EUR"}, nil},
		{"OKYenSymbolWhole", "¥30,000", "JPY", Money{3_000_000, "JPY"}, nil},
		{"OKMatchingCode", "180,000 EUR", "EUR", Money{18_000_000, "EUR"}, nil},
		{"ErrSymbolOfAnotherCurrency", "€180,000", "USD", Money{}, map[string]string{"amount": "The amount is marked € but the currency is USD; make them agree."}},
		{"ErrCodeOfAnotherCurrency", "GBP 500", "USD", Money{}, map[string]string{"amount": "The amount is marked GBP but the currency is USD; make them agree."}},
		{"ErrAbbreviated", "180k", "USD", Money{}, map[string]string{"amount": amountAbbreviatedMsg}},
		{"ErrEuropeanDecimals", "EUR 1.200,50", "EUR", Money{}, map[string]string{"amount": amountDecimalMsg}},
		{"ErrSymbolAndBadCurrency", "$500", "XTS", Money{}, map[string]string{"currency": currencyMsg}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseMoney(tt.amount, tt.cur)
			if tt.errs == nil {
				if err != nil || got != tt.want {
					t.Errorf("ParseMoney(%q, %q) = %+v, %v; want %+v", tt.amount, tt.cur, got, err, tt.want)
				}
				return
			}
			fields := InvalidFields(err)
			if len(fields) != len(tt.errs) {
				t.Errorf("fields = %q, want %q", fields, tt.errs)
			}
			for k, msg := range tt.errs {
				if fields[k] != msg {
					t.Errorf("field %q = %q, want %q", k, fields[k], msg)
				}
			}
		})
	}
}

func TestDecimals(t *testing.T) {
	t.Parallel()
	for cur, want := range map[string]int{"USD": 2, "EUR": 2, "JPY": 0, "KRW": 0, "KWD": 2, "ABC": 2, "": 2} {
		if got := Decimals(cur); got != want {
			t.Errorf("Decimals(%q) = %d, want %d", cur, got, want)
		}
	}
}
