package handoff

import (
	"slices"
	"strings"
)

// MaxThresholds bounds how many currencies the org sets a threshold for.
const MaxThresholds = 30

// Thresholds are the org's approval thresholds, at most one per currency,
// sorted by currency. Amounts are never converted between currencies: without
// exchange rates, the org says for each currency it sells in how big a
// commitment must be to need the SA's decision.
type Thresholds []Money

// For returns the threshold of currency code, if the org set one.
func (t Thresholds) For(code string) (Money, bool) {
	for _, m := range t {
		if m.Currency == code {
			return m, true
		}
	}
	return Money{}, false
}

// NeedsDecision is the one rule for whether a commitment needs the SA's
// approve or veto: a commitment with no money value never does; one in a
// currency with a threshold does at or above that threshold; one in any
// other currency always does, since comparing amounts across currencies by
// number alone lets GBP 24,000 slip under a USD 25,000 threshold while JPY
// 30,000 (a few hundred dollars) would need a decision.
func NeedsDecision(c Commitment, t Thresholds) bool {
	if c.Value.Currency == "" {
		return false
	}
	th, ok := t.For(c.Value.Currency)
	if !ok {
		return true
	}
	return c.Value.Minor >= th.Minor
}

// ThresholdInput is one row of approval thresholds as an admin typed it.
type ThresholdInput struct {
	Currency string
	Amount   string
	Remove   bool // the admin ticked "remove"
}

// ParseThresholds reads the settings form's threshold rows into Thresholds.
// Rows ticked for removal, and rows left blank, are dropped. Field errors are
// keyed "thresholds.<row>.currency" and "thresholds.<row>.amount", and
// "thresholds" for the list as a whole.
func ParseThresholds(rows []ThresholdInput) (Thresholds, error) {
	fe := FieldErrors{}
	var out Thresholds
	seen := map[string]bool{}
	for i, r := range rows {
		if r.Remove || (strings.TrimSpace(r.Currency) == "" && strings.TrimSpace(r.Amount) == "") {
			continue
		}
		f := "thresholds." + itoa(i) + "."
		m, err := ParseMoney(r.Amount, r.Currency)
		for k, v := range InvalidFields(err) {
			fe.Add(f+k, v)
		}
		if m.Currency != "" {
			if seen[m.Currency] {
				fe.Add(f+"currency", m.Currency+" has a threshold already; keep one row per currency.")
			}
			seen[m.Currency] = true
		}
		if err == nil {
			out = append(out, m)
		}
	}
	if len(seen) > MaxThresholds {
		fe.Add("thresholds", "Set thresholds for at most "+itoa(MaxThresholds)+" currencies; remove "+itoa(len(seen)-MaxThresholds)+".")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Money) int { return strings.Compare(a.Currency, b.Currency) })
	return out, nil
}
