package handoff

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// correctionPack is a pack whose deal was won on 2026-03-02, as
// validDealInput types it, with its SE and SA.
func correctionPack(status Status) *Pack {
	d, err := ValidateDeal(validDealInput(), dealToday)
	if err != nil {
		panic(err)
	}
	d.ID, d.SEID, d.SAID, d.SEName, d.SAName = 50, 1, 3, "Sam SE", "Ada SA"
	return &Pack{ID: 100, Deal: d, Status: status}
}

func TestValidateCorrection(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time { d, _ := ParseDate(s); return d }

	t.Run("OKEveryFieldPrefilledIsNoChange", func(t *testing.T) {
		t.Parallel()
		p := correctionPack(StatusDraft)
		got, err := ValidateCorrection(DealInputOf(p.Deal), p, dealToday)
		if err != nil {
			t.Fatalf("ValidateCorrection(prefilled) = %v (fields %q)", err, InvalidFields(err))
		}
		if got != p.Deal {
			t.Errorf("prefilled form gives %+v, want the deal unchanged %+v", got, p.Deal)
		}
		if c := DealChanges(p.Deal, got); c != nil {
			t.Errorf("DealChanges = %q, want none", c)
		}
	})

	t.Run("OKKeepsPeople", func(t *testing.T) {
		t.Parallel()
		p := correctionPack(StatusSubmitted)
		in := DealInputOf(p.Deal)
		in.SEID, in.SAID = "99", "98" // a correction form has no people; typed ones are ignored
		in.AccountName, in.ARR = "Acme Inc.", "$200,000"
		got, err := ValidateCorrection(in, p, dealToday)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != 50 || got.SEID != 1 || got.SAID != 3 || got.SEName != "Sam SE" || got.AccountName != "Acme Inc." ||
			got.ARR != (Money{Minor: 20_000_000, Currency: "USD"}) {
			t.Errorf("corrected deal = %+v", got)
		}
	})

	t.Run("OKOldClosedWonLeftAsItWas", func(t *testing.T) {
		t.Parallel()
		p := correctionPack(StatusLocked)
		p.Deal.ClosedWonOn = day("2022-01-10") // more than three years before today
		in := DealInputOf(p.Deal)
		in.CSMName = "Casey New"
		got, err := ValidateCorrection(in, p, dealToday)
		if err != nil {
			t.Fatalf("an old Closed-Won left alone was refused: %v (fields %q)", err, InvalidFields(err))
		}
		if !got.ClosedWonOn.Equal(day("2022-01-10")) {
			t.Errorf("Closed-Won = %v", got.ClosedWonOn)
		}
	})

	for _, tt := range []struct {
		name   string
		status Status
		change func(*DealInput)
		want   map[string]string
	}{
		{"ErrOldClosedWonTyped", StatusDraft, func(in *DealInput) { in.ClosedWonOn = "2022-01-10" }, map[string]string{"closed_won_on": "more than three years ago"}},
		{"ErrClosedWonInTheFuture", StatusDraft, func(in *DealInput) { in.ClosedWonOn = "2026-03-11" }, map[string]string{"closed_won_on": "can't be in the future"}},
		{"ErrClosedWonAfterKickoff", StatusAcknowledged, func(in *DealInput) { in.ClosedWonOn = "2026-03-06" }, map[string]string{"closed_won_on": "The kickoff was on 2026-03-05; Closed-Won can't be after it."}},
		{"ErrARRAbbreviated", StatusDraft, func(in *DealInput) { in.ARR = "180k" }, map[string]string{"arr": "Write the amount in full"}},
		{"ErrARREuropean", StatusDraft, func(in *DealInput) { in.ARR, in.Currency = "EUR 1.200,50", "EUR" }, map[string]string{"arr": "Use a dot for the decimals"}},
		{"ErrEverythingBlank", StatusDraft, func(in *DealInput) { *in = DealInput{} }, map[string]string{
			"account_name": "", "opportunity_name": "", "segment": "", "arr": "", "closed_won_on": ""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := correctionPack(tt.status)
			if tt.status == StatusAcknowledged {
				k := day("2026-03-05")
				p.KickoffOn = &k
			}
			in := DealInputOf(p.Deal)
			tt.change(&in)
			_, err := ValidateCorrection(in, p, dealToday)
			wantFieldKeys(t, err, tt.want)
		})
	}
}

func TestDealChanges(t *testing.T) {
	t.Parallel()
	was := correctionPack(StatusDraft).Deal
	now := was
	now.AccountName = "Acme Inc."
	now.CRMOpportunityID = ""
	now.Segment = SegmentStrategic
	now.ARR = Money{Minor: 18_000_000, Currency: "USD"}
	now.ClosedWonOn = time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC)
	now.AE = Contact{Name: "Ana Ae"}
	now.CSM = Contact{}
	want := []string{
		"account Acme Corp → Acme Inc.",
		"CRM opportunity id 006Ab00000XyZ12 → none",
		"segment Enterprise → Strategic",
		"ARR USD 120,000.50 → USD 180,000.00",
		"Closed-Won 2026-03-02 → 2026-02-27",
		"AE Alex Ae <alex@vendor.example> → Ana Ae",
		"CSM Casey Csm <casey@vendor.example> → none",
	}
	if got := DealChanges(was, now); !slices.Equal(got, want) {
		t.Errorf("DealChanges =\n%q\nwant\n%q", got, want)
	}
	e := DealCorrectedEvent(want[:1], []string{"pack due 2026-03-09 → 2026-03-06"})
	if e.Kind != EventDealCorrected || e.Summary != "Corrected the deal: account Acme Corp → Acme Inc.. Due dates moved: pack due 2026-03-09 → 2026-03-06." {
		t.Errorf("event = %s %q", e.Kind, e.Summary)
	}
}

func TestDealFingerprint(t *testing.T) {
	t.Parallel()
	d := correctionPack(StatusDraft).Deal
	same := d
	same.SAID, same.SAName = 0, "" // people are not facts
	if DealFingerprint(d) != DealFingerprint(same) {
		t.Error("the fingerprint changed with the SA, which is not a fact of the deal")
	}
	for name, change := range map[string]func(*Deal){
		"Account":   func(d *Deal) { d.AccountName += "x" },
		"ARR":       func(d *Deal) { d.ARR.Minor++ },
		"Currency":  func(d *Deal) { d.ARR.Currency = "EUR" },
		"ClosedWon": func(d *Deal) { d.ClosedWonOn = d.ClosedWonOn.AddDate(0, 0, 1) },
		"CSMEmail":  func(d *Deal) { d.CSM.Email = "x@y.example" },
	} {
		other := d
		change(&other)
		if DealFingerprint(d) == DealFingerprint(other) {
			t.Errorf("%s: the fingerprint did not change", name)
		}
	}
}

func TestCorrectionsSince(t *testing.T) {
	t.Parallel()
	at := func(day int) time.Time { return time.Date(2026, 3, day, 12, 0, 0, 0, time.UTC) }
	events := []Event{ // newest first
		{ID: 5, At: at(9), Kind: EventDealCorrected, Summary: "Corrected the deal: ARR …"},
		{ID: 4, At: at(8), Kind: EventAnswered},
		{ID: 3, At: at(7), Kind: EventSubmitted},
		{ID: 2, At: at(6), Kind: EventDealCorrected, Summary: "Corrected the deal: account …"},
		{ID: 1, At: at(5), Kind: EventCreated},
	}
	submitted := at(7)
	got := CorrectionsSince(events, &submitted)
	if len(got) != 1 || got[0].ID != 5 {
		t.Errorf("CorrectionsSince = %+v, want only the correction after submission", got)
	}
	if got := CorrectionsSince(events, nil); got != nil {
		t.Errorf("before submission: %+v, want none", got)
	}
	if !strings.HasPrefix(got[0].Summary, "Corrected the deal") {
		t.Error(got[0].Summary)
	}
}
