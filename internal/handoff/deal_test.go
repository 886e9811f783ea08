package handoff

import (
	"strings"
	"testing"
	"time"
)

// dealToday is the civil "today" every ValidateDeal case is judged against.
var dealToday = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// validDealInput is a deal as a careful person would type it; each case
// breaks one thing.
func validDealInput() DealInput {
	return DealInput{
		AccountName:      "Acme Corp",
		OpportunityName:  "Acme — platform expansion",
		CRMOpportunityID: "006Ab00000XyZ12",
		Segment:          "enterprise",
		ARR:              "120,000.50",
		Currency:         "usd",
		ClosedWonOn:      "2026-03-02",
		AEName:           "Alex Ae",
		AEEmail:          "alex@vendor.example",
		CSMName:          "Casey Csm",
		CSMEmail:         "casey@vendor.example",
	}
}

// wantFieldKeys fails t unless err is EINVALID carrying exactly the keys of
// want, each message containing its want substring ("" matches any message).
func wantFieldKeys(t *testing.T, err error, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("err = %v (fields %q), want nil", err, InvalidFields(err))
		}
		return
	}
	if code := ErrorCode(err); code != EINVALID {
		t.Fatalf("err = %v (code %q), want %q", err, code, EINVALID)
	}
	got := InvalidFields(err)
	for k, sub := range want {
		msg, ok := got[k]
		if !ok {
			t.Errorf("no error for field %q; got %q", k, got)
			continue
		}
		if msg == "" {
			t.Errorf("field %q has an empty message", k)
		}
		if !strings.Contains(msg, sub) {
			t.Errorf("field %q = %q, want it to contain %q", k, msg, sub)
		}
	}
	for k, msg := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected error for field %q: %q", k, msg)
		}
	}
}

func TestValidateDeal(t *testing.T) {
	t.Parallel()

	t.Run("OKTrimsAndNormalises", func(t *testing.T) {
		t.Parallel()
		in := DealInput{
			AccountName:      "  Acme Corp \t",
			OpportunityName:  "\nExpansion  ",
			CRMOpportunityID: "  006Ab  ",
			Segment:          " strategic ",
			ARR:              " 120,000.50 ",
			Currency:         " eur ",
			ClosedWonOn:      " 2026-03-02 ",
			AEName:           "  Alex Ae ",
			AEEmail:          "  Alex.Ae@Vendor.EXAMPLE ",
			CSMName:          " Casey ",
			CSMEmail:         "CASEY@vendor.example",
			SEID:             "12",
			SAID:             "13",
		}
		got, err := ValidateDeal(in, dealToday)
		if err != nil {
			t.Fatalf("ValidateDeal = %v (fields %q), want nil", err, InvalidFields(err))
		}
		want := Deal{
			AccountName:      "Acme Corp",
			OpportunityName:  "Expansion",
			CRMOpportunityID: "006Ab",
			Segment:          SegmentStrategic,
			ARR:              Money{Minor: 12000050, Currency: "EUR"},
			ClosedWonOn:      time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			AE:               Contact{Name: "Alex Ae", Email: "alex.ae@vendor.example"},
			CSM:              Contact{Name: "Casey", Email: "casey@vendor.example"},
		}
		if got != want {
			t.Errorf("ValidateDeal =\n %+v\nwant\n %+v", got, want)
		}
		if got.ClosedWonOn.Location() != time.UTC {
			t.Errorf("ClosedWonOn location = %v, want UTC", got.ClosedWonOn.Location())
		}
	})

	t.Run("OKOptionalFieldsBlank", func(t *testing.T) {
		t.Parallel()
		in := validDealInput()
		in.CRMOpportunityID, in.AEName, in.AEEmail, in.CSMName, in.CSMEmail = "", "", "", "", ""
		got, err := ValidateDeal(in, dealToday)
		if err != nil {
			t.Fatalf("ValidateDeal = %v (fields %q), want nil", err, InvalidFields(err))
		}
		if got.CRMOpportunityID != "" || got.AE != (Contact{}) || got.CSM != (Contact{}) {
			t.Errorf("optional fields = %q %+v %+v, want empty", got.CRMOpportunityID, got.AE, got.CSM)
		}
	})

	t.Run("OKCurrencyDefaultsToUSD", func(t *testing.T) {
		t.Parallel()
		for _, cur := range []string{"", "   "} {
			in := validDealInput()
			in.Currency = cur
			got, err := ValidateDeal(in, dealToday)
			if err != nil {
				t.Fatalf("Currency %q: ValidateDeal = %v (fields %q), want nil", cur, err, InvalidFields(err))
			}
			if got.ARR != (Money{Minor: 12000050, Currency: "USD"}) {
				t.Errorf("Currency %q: ARR = %+v, want 120000.50 USD", cur, got.ARR)
			}
		}
	})

	t.Run("OKARRAsPeopleTypeIt", func(t *testing.T) {
		t.Parallel()
		for _, arr := range []string{"180,000.00", "$180,000", "$ 180,000.00", "180000 USD", "180 000"} {
			in := validDealInput()
			in.ARR, in.Currency = arr, "USD"
			got, err := ValidateDeal(in, dealToday)
			if err != nil {
				t.Fatalf("ARR %q: ValidateDeal = %v (fields %q), want nil", arr, err, InvalidFields(err))
			}
			if got.ARR != (Money{Minor: 18_000_000, Currency: "USD"}) {
				t.Errorf("ARR %q = %+v, want USD 180,000.00", arr, got.ARR)
			}
		}
	})

	t.Run("OKJPYWholeAmount", func(t *testing.T) {
		t.Parallel()
		in := validDealInput()
		in.ARR, in.Currency = "15,000,000", "jpy"
		got, err := ValidateDeal(in, dealToday)
		if err != nil {
			t.Fatalf("ValidateDeal = %v (fields %q), want nil", err, InvalidFields(err))
		}
		if got.ARR != (Money{Minor: 1_500_000_000, Currency: "JPY"}) {
			t.Errorf("ARR = %+v, want JPY 15,000,000 in hundredths", got.ARR)
		}
	})

	t.Run("OKEverySegment", func(t *testing.T) {
		t.Parallel()
		for _, seg := range []Segment{SegmentCommercial, SegmentMidMarket, SegmentEnterprise, SegmentStrategic} {
			in := validDealInput()
			in.Segment = string(seg)
			got, err := ValidateDeal(in, dealToday)
			if err != nil {
				t.Fatalf("segment %q: ValidateDeal = %v (fields %q)", seg, err, InvalidFields(err))
			}
			if got.Segment != seg {
				t.Errorf("Segment = %q, want %q", got.Segment, seg)
			}
		}
	})

	t.Run("OKLengthLimitsInclusive", func(t *testing.T) {
		t.Parallel()
		in := validDealInput()
		in.AccountName = strings.Repeat("é", MaxAccountName)
		in.OpportunityName = strings.Repeat("o", MaxOpportunityName)
		in.CRMOpportunityID = strings.Repeat("9", MaxCRMOpportunityID)
		in.AEName = strings.Repeat("a", MaxContactName)
		in.CSMName = strings.Repeat("c", MaxContactName)
		in.AEEmail = strings.Repeat("a", 64) + "@" + strings.Repeat("b", MaxContactEmail-64-1-8) + ".example"
		if _, err := ValidateDeal(in, dealToday); err != nil {
			t.Fatalf("ValidateDeal = %v (fields %q), want nil at the limits", err, InvalidFields(err))
		}
	})

	// ARR is typed in major units and stored as integer minor units.
	arrTests := []struct {
		name, arr string
		want      int64
	}{
		{"ARRPlain", "120000", 12000000},
		{"ARRThousandsSeparators", "1,250,000", 125000000},
		{"ARROneDecimal", "1250.5", 125050},
		{"ARRTwoDecimals", "99.99", 9999},
		{"ARRCents", "0.07", 7},
		{"ARRZero", "0", 0},
	}
	for _, tt := range arrTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := validDealInput()
			in.ARR = tt.arr
			got, err := ValidateDeal(in, dealToday)
			if err != nil {
				t.Fatalf("ARR %q: ValidateDeal = %v (fields %q)", tt.arr, err, InvalidFields(err))
			}
			if got.ARR != (Money{Minor: tt.want, Currency: "USD"}) {
				t.Errorf("ARR %q = %+v, want %d USD", tt.arr, got.ARR, tt.want)
			}
		})
	}

	dateTests := []struct {
		name, on string
		wantErr  string // "" when the date is accepted
	}{
		{"OKClosedWonToday", "2026-03-10", ""},
		{"OKClosedWonYesterday", "2026-03-09", ""},
		{"OKClosedWonExactlyThreeYearsAgo", "2023-03-10", ""},
		{"ErrClosedWonInFuture", "2026-03-11", "can't be in the future"},
		{"ErrClosedWonNextYear", "2027-01-01", "can't be in the future"},
		{"ErrClosedWonMoreThanThreeYearsAgo", "2023-03-09", "more than three years ago"},
		{"ErrClosedWonLongAgo", "2001-01-01", "more than three years ago"},
		{"ErrClosedWonBeforeSaneRange", "1999-12-31", "Enter a date between 2000-01-01 and 2100-12-31."},
		{"ErrClosedWonYearOne", "0001-01-01", "Enter a date between 2000-01-01 and 2100-12-31."},
		{"ErrClosedWonBlank", "", "Enter a date."},
		{"ErrClosedWonWrongFormat", "10/03/2026", "YYYY-MM-DD"},
		{"ErrClosedWonImpossibleDay", "2026-02-30", "YYYY-MM-DD"},
	}
	for _, tt := range dateTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := validDealInput()
			in.ClosedWonOn = tt.on
			got, err := ValidateDeal(in, dealToday)
			if tt.wantErr == "" {
				wantFieldKeys(t, err, nil)
				want, _ := time.Parse("2006-01-02", tt.on)
				if !got.ClosedWonOn.Equal(want) {
					t.Errorf("ClosedWonOn = %v, want %v", got.ClosedWonOn, want)
				}
				return
			}
			wantFieldKeys(t, err, map[string]string{"closed_won_on": tt.wantErr})
		})
	}

	errTests := []struct {
		name   string
		change func(*DealInput)
		want   map[string]string
	}{
		{"ErrAccountNameMissing", func(in *DealInput) { in.AccountName = "  " }, map[string]string{"account_name": "account name"}},
		{"ErrAccountNameTooLong", func(in *DealInput) { in.AccountName = strings.Repeat("a", 201) }, map[string]string{"account_name": "200 characters or fewer"}},
		{"ErrOpportunityNameMissing", func(in *DealInput) { in.OpportunityName = "" }, map[string]string{"opportunity_name": "opportunity name"}},
		{"ErrOpportunityNameTooLong", func(in *DealInput) { in.OpportunityName = strings.Repeat("é", 201) }, map[string]string{"opportunity_name": "200 characters or fewer"}},
		{"ErrCRMOpportunityIDTooLong", func(in *DealInput) { in.CRMOpportunityID = strings.Repeat("x", 101) }, map[string]string{"crm_opportunity_id": "100 characters or fewer"}},
		{"ErrSegmentMissing", func(in *DealInput) { in.Segment = "" }, map[string]string{"segment": "Choose a segment."}},
		{"ErrSegmentUnknown", func(in *DealInput) { in.Segment = "smb" }, map[string]string{"segment": "Choose a segment."}},
		{"ErrSegmentLabelNotValue", func(in *DealInput) { in.Segment = "Enterprise" }, map[string]string{"segment": "Choose a segment."}},
		{"ErrARRMissing", func(in *DealInput) { in.ARR = " " }, map[string]string{"arr": "Enter the ARR"}},
		{"ErrARRNegative", func(in *DealInput) { in.ARR = "-5000" }, map[string]string{"arr": "negative"}},
		{"ErrARRLetters", func(in *DealInput) { in.ARR = "lots" }, map[string]string{"arr": "such as 25000"}},
		{"ErrARRAbbreviated", func(in *DealInput) { in.ARR = "120k" }, map[string]string{"arr": "Write the amount in full"}},
		{"ErrARRDecimalComma", func(in *DealInput) { in.ARR = "EUR 1.200,50" }, map[string]string{"arr": "Use a dot for the decimals"}},
		{"ErrARRSymbolOfAnotherCurrency", func(in *DealInput) { in.ARR, in.Currency = "€180,000", "USD" }, map[string]string{"arr": "marked € but the currency is USD"}},
		{"ErrARRThreeDecimals", func(in *DealInput) { in.ARR = "1.005" }, map[string]string{"arr": "such as 25000"}},
		{"ErrCurrencyTooShort", func(in *DealInput) { in.Currency = "US" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencyTooLong", func(in *DealInput) { in.Currency = "USDT" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencySymbol", func(in *DealInput) { in.Currency = "$" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencyDigits", func(in *DealInput) { in.Currency = "US1" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencyNotISO", func(in *DealInput) { in.Currency = "ABC" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencyTestingCode", func(in *DealInput) { in.Currency = "XTS" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencyNoCurrencyCode", func(in *DealInput) { in.Currency = "XXX" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencyRetired", func(in *DealInput) { in.Currency = "DEM" }, map[string]string{"currency": "ISO currency code"}},
		{"ErrCurrencyBadWithARRMissing", func(in *DealInput) { in.Currency, in.ARR = "XTS", "" }, map[string]string{"currency": "ISO currency code", "arr": "Enter the ARR"}},
		{"ErrARRFractionOfAYen", func(in *DealInput) { in.Currency, in.ARR = "JPY", "1000000.50" }, map[string]string{"arr": "whole amount"}},
		{"ErrARRLongerThanLimit", func(in *DealInput) { in.ARR = strings.Repeat("1 ", 20) }, map[string]string{"arr": "32 characters or fewer"}},
		{"ErrAEEmailTooLong", func(in *DealInput) { in.AEEmail = strings.Repeat("a", MaxContactEmail) + "@vendor.example" }, map[string]string{"ae_email": "254 characters or fewer"}},
		{"ErrCSMEmailTooLong", func(in *DealInput) { in.CSMEmail = strings.Repeat("c", 300) + "@vendor.example" }, map[string]string{"csm_email": "254 characters or fewer"}},
		{"ErrAEEmailInvalid", func(in *DealInput) { in.AEEmail = "alex@" }, map[string]string{"ae_email": "name@company.com"}},
		{"ErrCSMEmailInvalid", func(in *DealInput) { in.CSMEmail = "Casey <casey@vendor.example>" }, map[string]string{"csm_email": "name@company.com"}},
		{"ErrAENameTooLong", func(in *DealInput) { in.AEName = strings.Repeat("a", 201) }, map[string]string{"ae_name": "200 characters or fewer"}},
		{"ErrCSMNameTooLong", func(in *DealInput) { in.CSMName = strings.Repeat("c", 201) }, map[string]string{"csm_name": "200 characters or fewer"}},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := validDealInput()
			tt.change(&in)
			_, err := ValidateDeal(in, dealToday)
			wantFieldKeys(t, err, tt.want)
		})
	}

	t.Run("ErrEveryFieldAtOnce", func(t *testing.T) {
		t.Parallel()
		in := DealInput{
			AccountName:      "",
			OpportunityName:  " ",
			CRMOpportunityID: strings.Repeat("x", 101),
			Segment:          "gold",
			ARR:              "lots",
			Currency:         "dollars",
			ClosedWonOn:      "2026-03-11",
			AEName:           strings.Repeat("a", 201),
			AEEmail:          "not-an-email",
			CSMName:          strings.Repeat("c", 201),
			CSMEmail:         "@vendor.example",
		}
		_, err := ValidateDeal(in, dealToday)
		wantFieldKeys(t, err, map[string]string{
			"account_name":       "",
			"opportunity_name":   "",
			"crm_opportunity_id": "",
			"segment":            "",
			"arr":                "",
			"currency":           "",
			"closed_won_on":      "future",
			"ae_name":            "",
			"ae_email":           "",
			"csm_name":           "",
			"csm_email":          "",
		})
	})
}

func TestSegmentLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		seg  Segment
		want string
	}{
		{SegmentCommercial, "Commercial"},
		{SegmentMidMarket, "Mid-market"},
		{SegmentEnterprise, "Enterprise"},
		{SegmentStrategic, "Strategic"},
		{Segment("smb"), "smb"}, // unknown segments show their code
		{Segment(""), ""},
	}
	for _, tt := range tests {
		t.Run("Label_"+string(tt.seg), func(t *testing.T) {
			t.Parallel()
			if got := tt.seg.Label(); got != tt.want {
				t.Errorf("Segment(%q).Label() = %q, want %q", tt.seg, got, tt.want)
			}
		})
	}
	t.Run("SegmentsListsAllFourInMenuOrder", func(t *testing.T) {
		t.Parallel()
		want := []Segment{"commercial", "mid-market", "enterprise", "strategic"}
		if len(Segments) != len(want) {
			t.Fatalf("Segments = %q, want %q", Segments, want)
		}
		for i := range want {
			if Segments[i] != want[i] {
				t.Errorf("Segments[%d] = %q, want %q", i, Segments[i], want[i])
			}
		}
	})
}

// TestValidateDealRefusesNamesTooLongToSearch: names within their own limits
// can still be too long together for the search index (MaxSearchableBytes);
// the longest is named, and Latin names at every limit pass.
func TestValidateDealRefusesNamesTooLongToSearch(t *testing.T) {
	t.Parallel()
	in := func(name func(n int) string) DealInput {
		return DealInput{AccountName: name(MaxAccountName), OpportunityName: name(MaxOpportunityName - 1),
			CRMOpportunityID: strings.Repeat("0", MaxCRMOpportunityID), Segment: "strategic", ARR: "1000", ClosedWonOn: "2026-03-02",
			AEName: name(MaxContactName - 2), CSMName: name(MaxContactName - 3)}
	}
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	if _, err := ValidateDeal(in(func(n int) string { return strings.Repeat("a", n) }), today); err != nil {
		t.Fatalf("Latin names at their limits: %v", err)
	}
	_, err := ValidateDeal(in(func(n int) string { return strings.Repeat("東", n) }), today) // 3 bytes each
	fields := InvalidFields(err)
	if len(fields) != 1 || !strings.Contains(fields["account_name"], "too long to search by") {
		t.Fatalf("CJK names at their limits: %v, want one error on the longest, the account name", fields)
	}
}
