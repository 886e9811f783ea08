package handoff

import (
	"strings"
	"sync"

	"golang.org/x/text/currency"
)

// Limits on typed money, shown on the forms as maxlength.
const (
	// MaxCurrency is the length of an ISO 4217 code.
	MaxCurrency = 3
	// MaxAmount bounds a typed amount: the largest amount ParseAmount takes,
	// written with thousands separators and cents, fits with room to spare.
	MaxAmount = 32
)

const currencyMsg = "Use an ISO currency code in use today, such as USD, EUR or JPY."

// tender is every ISO 4217 code that is legal tender somewhere today, per the
// CLDR data of golang.org/x/text. currency.ParseISO alone also takes codes
// that are not money anyone is paid in: XXX (no currency), XTS (testing),
// XAU (gold), XDR (IMF drawing rights), USN, and retired ones such as DEM.
var tender = sync.OnceValue(func() map[currency.Unit]bool {
	set := map[currency.Unit]bool{}
	for it := currency.Query(); it.Next(); {
		set[it.Unit()] = true
	}
	return set
})

// ParseCurrency reads a currency code as typed ("usd ", "EUR") into its ISO
// 4217 form, accepting only currencies that are legal tender today.
func ParseCurrency(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", Errorf(EINVALID, "Enter the currency, e.g. USD.")
	}
	if len(s) != MaxCurrency {
		return "", Errorf(EINVALID, currencyMsg)
	}
	u, err := currency.ParseISO(s)
	if err != nil || !tender()[u] {
		return "", Errorf(EINVALID, currencyMsg)
	}
	return u.String(), nil
}

// isCurrency reports whether code is an ISO 4217 code, as stored (upper
// case), of a currency that is legal tender today.
func isCurrency(code string) bool {
	c, err := ParseCurrency(code)
	return err == nil && c == code
}

// Decimals is how many decimals an amount in the currency may have: 0 for
// currencies with no minor unit in use (JPY, KRW…), else 2. Money keeps
// hundredths of the major unit for every currency, so no currency gets more
// than 2; an unknown code gets 2, as stored data may hold one.
func Decimals(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return min(scale, 2)
}

// ParseMoney reads an amount typed in major units ("25,000", "1250.50",
// "$180,000"; see ParseAmount) and its currency code. A currency mark typed
// with the amount must agree with the code, and a currency with no minor
// unit (JPY) takes whole amounts only. Errors are per field, keyed "amount"
// and "currency".
func ParseMoney(amount, code string) (Money, error) {
	fe := FieldErrors{}
	var m Money
	cur, err := ParseCurrency(code)
	if err != nil {
		fe.Add("currency", ErrorMessage(err))
	}
	m.Currency = cur
	minor, err := ParseAmountIn(amount, cur)
	if err != nil {
		fe.Add("amount", ErrorMessage(err))
	}
	m.Minor = minor
	if len(fe) == 0 {
		checkMoney(fe, "", m)
	}
	return m, fe.Err()
}

// checkMoney checks a stored amount: a currency in use today, and no
// fractions of a currency that has no minor unit. Messages go to
// prefix+"currency" and prefix+"amount". No value at all (no currency) is fine.
func checkMoney(fe FieldErrors, prefix string, m Money) {
	if m.Currency == "" {
		return
	}
	if !isCurrency(m.Currency) {
		fe.Add(prefix+"currency", currencyMsg)
		return
	}
	if Decimals(m.Currency) == 0 && m.Minor%100 != 0 {
		fe.Add(prefix+"amount", m.Currency+" has no smaller unit than 1 "+m.Currency+"; enter a whole amount, e.g. 30000.")
	}
}
