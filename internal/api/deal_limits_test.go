package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
)

// TestDealBodyLimits sends deals that break one limit each: a currency that
// is not money, a fraction of a yen, text over its limit, a date out of the
// sane range. Each is a 422 naming the field, and no deal is recorded.
func TestDealBodyLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	tests := []struct {
		name      string
		old, new  string
		wantField string
		wantMsg   string
	}{
		{"TestingCurrency", `"currency":"USD"`, `"currency":"XTS"`, "arr.currency", "ISO currency code"},
		{"NoCurrencyCode", `"currency":"USD"`, `"currency":"XXX"`, "arr.currency", "ISO currency code"},
		{"MadeUpCurrency", `"currency":"USD"`, `"currency":"ABC"`, "arr.currency", "ISO currency code"},
		{"FractionOfAYen", `"amount":12000000,"currency":"USD"`, `"amount":3000050,"currency":"JPY"`, "arr.amount", "whole amount"},
		{"AccountNameTooLong", `"account_name":"Acme"`, `"account_name":"` + strings.Repeat("a", handoff.MaxAccountName+1) + `"`, "account_name", "200 characters or fewer"},
		{"OpportunityNameTooLong", `"opportunity_name":"Acme platform"`, `"opportunity_name":"` + strings.Repeat("o", handoff.MaxOpportunityName+1) + `"`, "opportunity_name", "200 characters or fewer"},
		{"CRMIDTooLong", `"crm_opportunity_id":"006Qy00000AbCdE"`, `"crm_opportunity_id":"` + strings.Repeat("9", handoff.MaxCRMOpportunityID+1) + `"`, "crm_opportunity_id", "100 characters or fewer"},
		{"AENameTooLong", `"name":"Ada AE"`, `"name":"` + strings.Repeat("n", handoff.MaxContactName+1) + `"`, "ae.name", "200 characters or fewer"},
		{"CSMEmailTooLong", `"email":"csm@acme.example"`, `"email":"` + strings.Repeat("c", handoff.MaxContactEmail) + `@acme.example"`, "csm.email", "254 characters or fewer"},
		{"ClosedWonYearOne", `"closed_won_date":"2026-11-25"`, `"closed_won_date":"0001-01-01"`, "closed_won_date", "between 2000-01-01 and 2100-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(closedWon, tt.old, tt.new, 1)
			if body == closedWon {
				t.Fatalf("%s not in the body", tt.old)
			}
			res := e.do(t, http.MethodPost, "/deals", e.token, body)
			var p problemJSON
			res.decode(t, &p)
			if res.status != http.StatusUnprocessableEntity || !slices.Equal(p.fields(), []string{tt.wantField}) {
				t.Fatalf("status %d, fields %v, want 422 [%s]\n%s", res.status, p.fields(), tt.wantField, res.body)
			}
			if !strings.Contains(p.Errors[0].Message, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", p.Errors[0].Message, tt.wantMsg)
			}
		})
	}
	if n := countDeals(t, e); n != 0 {
		t.Errorf("deals = %d, want 0", n)
	}

	t.Run("WholeYenAccepted", func(t *testing.T) {
		res := e.do(t, http.MethodPost, "/deals", e.token, strings.Replace(closedWon, `"amount":12000000,"currency":"USD"`, `"amount":3000000,"currency":"JPY"`, 1))
		if res.status != http.StatusCreated {
			t.Fatalf("JPY 30,000: status %d, want 201\n%s", res.status, res.body)
		}
		var p packJSON
		res.decode(t, &p)
		if p.ARR.Amount != 3_000_000 || p.ARR.Currency != "JPY" {
			t.Errorf("arr = %+v, want JPY 3000000", p.ARR)
		}
	})
}
