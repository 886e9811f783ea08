package handoff

import (
	"strings"
	"testing"
	"time"
)

// podAccount is an account locked on 2026-11-20 with a stakeholder map of
// three (Carla the Champion), a risk log of two and one review held on
// 2027-02-01 that named Nadia, someone new, Champion.
func podAccount() PodAccount {
	p := &Pack{Deal: Deal{AE: Contact{Name: "Ann Exec"}, SEName: "Sam Rivera", SAName: "Alex Chen"}}
	accepted := Documents{
		Stakeholders: Stakeholders{People: []Stakeholder{
			{ID: "carlaaaaaaaa", Name: "Carla Champion", Title: "VP Data", Role: "champion"},
			{ID: "evanbbbbbbbb", Name: "Evan Buyer", Role: "economic_buyer"},
			{ID: "tessccccccc2", Name: "Tess Tech", Email: "tess@acme.example", Role: "technical_buyer"},
		}},
		MEDDPICC: MEDDPICC{Rows: map[string]MEDDPICCRow{"champion": {PersonID: "carlaaaaaaaa"}}},
		Risks: Risks{Items: []Risk{
			{ID: "riskaaaaaaaa", Description: "Workday API quotas unknown", Severity: "high"},
			{ID: "riskbbbbbbbb", Description: "SSO group sync lag", Severity: "low"},
		}},
	}
	earlier := []PodReviewRecord{{PodReview: PodReview{HeldOn: date("2027-02-01"),
		Champion: ChampionChange{Changed: true, PersonID: "nadiaaaaaaaa", Name: "Nadia New", Title: "CIO"}}}}
	return NewPodAccount(p, date("2026-11-20"), accepted, earlier)
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// goodReview is a review the account accepts on 2027-03-01.
func goodReview() PodReviewForm {
	return PodReviewForm{
		HeldOn: "2027-03-01", Attendees: []string{PodSA, PodAE, PodSE},
		Champion: ChampionForm{Changed: "no"},
		Levers:   []string{" Second region in the EU ", ""},
		Risks: []ReviewRiskForm{{RiskID: "riskaaaaaaaa", Note: "Quota raised to 10k/min"}, {},
			{Description: " Data residency audit in Q3 ", Severity: "medium"}},
		Posture: "at_risk", RenewalOn: "2027-09-30",
		NextSteps: []NextStep{{What: "Send the EU sizing", Owner: "Alex Chen"}, {}, {What: "Book the exec sponsor call", Owner: " Ann Exec "}},
	}
}

func TestValidatePodReview(t *testing.T) {
	t.Parallel()
	today := date("2027-03-02")
	long := strings.Repeat("x", MaxReviewText+1)
	rows := func(n int, s string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		edit  func(*PodReviewForm)
		field string // "" when accepted
		says  string
	}{
		{name: "Accepted", edit: func(*PodReviewForm) {}},
		{name: "AcceptedToday", edit: func(f *PodReviewForm) { f.HeldOn = "2027-03-02" }},
		{name: "AcceptedOnTheLastReviewsDay", edit: func(f *PodReviewForm) { f.HeldOn = "2027-02-01" }},
		{name: "AcceptedRenewalOnTheReviewDay", edit: func(f *PodReviewForm) { f.RenewalOn = "2027-03-01" }},
		{name: "AcceptedNoLeversNoRisks", edit: func(f *PodReviewForm) { f.Levers, f.Risks = nil, nil }},

		{name: "HeldMissing", edit: func(f *PodReviewForm) { f.HeldOn = " " }, field: "held_on", says: "Enter a date"},
		{name: "HeldMalformed", edit: func(f *PodReviewForm) { f.HeldOn = "03/01/2027" }, field: "held_on", says: "YYYY-MM-DD"},
		{name: "HeldOutOfRange", edit: func(f *PodReviewForm) { f.HeldOn = "1999-12-31" }, field: "held_on", says: "between 2000-01-01"},
		{name: "HeldInTheFuture", edit: func(f *PodReviewForm) { f.HeldOn = "2027-03-03" }, field: "held_on", says: "today (2027-03-02) at the latest"},
		{name: "HeldBeforeTheLock", edit: func(f *PodReviewForm) { f.HeldOn = "2026-11-19" }, field: "held_on", says: "follow the architecture lock (2026-11-20)"},
		{name: "HeldBeforeTheLastReview", edit: func(f *PodReviewForm) { f.HeldOn = "2027-01-31" }, field: "held_on", says: "last pod review was held on 2027-02-01"},

		{name: "NobodyAttended", edit: func(f *PodReviewForm) { f.Attendees = nil }, field: "attendees", says: "Tick who attended the review"},
		{name: "AttendeeUnknown", edit: func(f *PodReviewForm) { f.Attendees = append(f.Attendees, "CEO") }, field: "attendees", says: "from the people listed"},

		{name: "ChampionUnanswered", edit: func(f *PodReviewForm) { f.Champion.Changed = "" }, field: "champion.changed", says: "whether the Champion changed"},
		{name: "ChampionBadAnswer", edit: func(f *PodReviewForm) { f.Champion.Changed = "maybe" }, field: "champion.changed", says: "Answer Yes or No"},
		{name: "ChampionNoButNamed", edit: func(f *PodReviewForm) { f.Champion = ChampionForm{Changed: "no", PersonID: ChampionNew, Name: "Rob"} },
			field: "champion.changed", says: "answer Yes, or clear"},
		{name: "ChampionYesNobody", edit: func(f *PodReviewForm) { f.Champion = ChampionForm{Changed: "yes"} }, field: "champion.person", says: "Choose who the Champion is now"},
		{name: "ChampionNotAPerson", edit: func(f *PodReviewForm) { f.Champion = ChampionForm{Changed: "yes", PersonID: "nobodyyyyyyy"} },
			field: "champion.person", says: "from the list"},
		{name: "ChampionUnchangedPerson", edit: func(f *PodReviewForm) { f.Champion = ChampionForm{Changed: "yes", PersonID: "nadiaaaaaaaa"} },
			field: "champion.person", says: "Nadia New is already the Champion"},
		{name: "ChampionPickedAndTyped", edit: func(f *PodReviewForm) {
			f.Champion = ChampionForm{Changed: "yes", PersonID: "evanbbbbbbbb", Name: "Evan"}
		},
			field: "champion.name", says: "You chose Evan Buyer from the list"},
		{name: "ChampionNewWithoutName", edit: func(f *PodReviewForm) { f.Champion = ChampionForm{Changed: "yes", PersonID: ChampionNew, Title: "CTO"} },
			field: "champion.name", says: "Enter the new Champion's name"},
		{name: "ChampionNewNameTooLong", edit: func(f *PodReviewForm) {
			f.Champion = ChampionForm{Changed: "yes", PersonID: ChampionNew, Name: strings.Repeat("n", MaxShort+1)}
		}, field: "champion.name", says: "Keep this to 200 characters"},
		{name: "ChampionNewTitleTooLong", edit: func(f *PodReviewForm) {
			f.Champion = ChampionForm{Changed: "yes", PersonID: ChampionNew, Name: "Rob", Title: strings.Repeat("t", MaxShort+1)}
		}, field: "champion.title", says: "Keep this to 200 characters"},
		{name: "ChampionNewBadEmail", edit: func(f *PodReviewForm) {
			f.Champion = ChampionForm{Changed: "yes", PersonID: ChampionNew, Name: "Rob", Email: "rob at acme"}
		}, field: "champion.email", says: "like name@company.com"},
		{name: "ChampionNoteTooLong", edit: func(f *PodReviewForm) { f.Champion.Note = long }, field: "champion.note", says: "characters or fewer"},

		{name: "LeverTooLong", edit: func(f *PodReviewForm) { f.Levers = []string{"", long} }, field: "levers.1", says: "characters or fewer"},
		{name: "TooManyLevers", edit: func(f *PodReviewForm) { f.Levers = rows(MaxReviewRows+1, "More seats") }, field: "levers", says: "at most 20 expansion levers; this one has 21. Remove 1."},

		{name: "RiskNotInTheLog", edit: func(f *PodReviewForm) { f.Risks[0].RiskID = "riskzzzzzzzz" }, field: "risks.0.pick", says: "Choose a risk from the list"},
		{name: "RiskPickedTwice", edit: func(f *PodReviewForm) { f.Risks[1] = ReviewRiskForm{RiskID: "riskaaaaaaaa"} }, field: "risks.1.pick", says: "already on the review (row 1)"},
		{name: "RiskPickedWithDescription", edit: func(f *PodReviewForm) { f.Risks[0].Description = "Quotas" }, field: "risks.0.description", says: "put what was said in the note"},
		{name: "RiskPickedBadSeverity", edit: func(f *PodReviewForm) { f.Risks[0].Severity = "dire" }, field: "risks.0.severity", says: "Choose a severity from the list"},
		{name: "RiskNewWithoutDescription", edit: func(f *PodReviewForm) { f.Risks[2].Description = " " }, field: "risks.2.description", says: "Describe the new risk"},
		{name: "RiskNewWithoutSeverity", edit: func(f *PodReviewForm) { f.Risks[2].Severity = "" }, field: "risks.2.severity", says: "low, medium or high"},
		{name: "RiskNewNoteOnly", edit: func(f *PodReviewForm) { f.Risks[1] = ReviewRiskForm{Note: "Talked about it"} }, field: "risks.1.description", says: "Describe the new risk"},
		{name: "RiskDescriptionTooLong", edit: func(f *PodReviewForm) { f.Risks[2].Description = long }, field: "risks.2.description", says: "characters or fewer"},
		{name: "RiskNoteTooLong", edit: func(f *PodReviewForm) { f.Risks[0].Note = long }, field: "risks.0.note", says: "characters or fewer"},
		{name: "TooManyRisks", edit: func(f *PodReviewForm) {
			f.Risks = nil
			for range MaxReviewRows + 1 {
				f.Risks = append(f.Risks, ReviewRiskForm{Description: "Another", Severity: "low"})
			}
		}, field: "risks", says: "at most 20 technical risks"},

		{name: "PostureMissing", edit: func(f *PodReviewForm) { f.Posture = "" }, field: "posture", says: "on track, at risk or in danger"},
		{name: "PostureUnknown", edit: func(f *PodReviewForm) { f.Posture = "doomed" }, field: "posture", says: "from the list"},
		{name: "RenewalMissing", edit: func(f *PodReviewForm) { f.RenewalOn = "" }, field: "renewal_on", says: "Enter the renewal date"},
		{name: "RenewalMalformed", edit: func(f *PodReviewForm) { f.RenewalOn = "Sept 2027" }, field: "renewal_on", says: "YYYY-MM-DD"},
		{name: "RenewalBeforeTheReview", edit: func(f *PodReviewForm) { f.RenewalOn = "2027-02-28" }, field: "renewal_on", says: "after the review (2027-03-01)"},

		{name: "NoNextStep", edit: func(f *PodReviewForm) { f.NextSteps = []NextStep{{}, {What: " ", Owner: " "}} }, field: "steps", says: "at least one next step"},
		{name: "StepWithoutOwner", edit: func(f *PodReviewForm) { f.NextSteps[2].Owner = "" }, field: "steps.2.owner", says: "who owns this next step"},
		{name: "StepWithoutWhat", edit: func(f *PodReviewForm) { f.NextSteps[0].What = "" }, field: "steps.0.what", says: "what the next step is"},
		{name: "StepTooLong", edit: func(f *PodReviewForm) { f.NextSteps[0].What = long }, field: "steps.0.what", says: "characters or fewer"},
		{name: "StepOwnerTooLong", edit: func(f *PodReviewForm) { f.NextSteps[0].Owner = strings.Repeat("o", MaxShort+1) }, field: "steps.0.owner", says: "200 characters"},
		{name: "TooManySteps", edit: func(f *PodReviewForm) {
			f.NextSteps = nil
			for range MaxReviewRows + 2 {
				f.NextSteps = append(f.NextSteps, NextStep{What: "Call", Owner: "Alex"})
			}
		}, field: "steps", says: "Remove 2."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := goodReview()
			tc.edit(&f)
			_, err := ValidatePodReview(f, podAccount(), today)
			fields := InvalidFields(err)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v %v", err, fields)
				}
				return
			}
			if !strings.Contains(fields[tc.field], tc.says) {
				t.Errorf("%s = %q, want it to say %q (all: %v)", tc.field, fields[tc.field], tc.says, fields)
			}
		})
	}
}

// A review that passes is what the history and the clock read: trimmed,
// blank rows dropped, attendees in the pod's order, a logged risk copied
// with the log's severity unless the SA chose another.
func TestValidatePodReviewReadsWhatWasTyped(t *testing.T) {
	t.Parallel()
	r, err := ValidatePodReview(goodReview(), podAccount(), date("2027-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	if !r.HeldOn.Equal(date("2027-03-01")) || !r.RenewalOn.Equal(date("2027-09-30")) || r.Posture != PostureAtRisk {
		t.Errorf("dates and posture = %s %s %s", r.HeldOn, r.RenewalOn, r.Posture)
	}
	if got := strings.Join(r.Attendees, ","); got != "AE,SE,SA" {
		t.Errorf("attendees = %s", got)
	}
	if len(r.Levers) != 1 || r.Levers[0] != "Second region in the EU" {
		t.Errorf("levers = %q", r.Levers)
	}
	want := []ReviewRisk{{RiskID: "riskaaaaaaaa", Description: "Workday API quotas unknown", Severity: "high", Note: "Quota raised to 10k/min"},
		{Description: "Data residency audit in Q3", Severity: "medium", RaisedOn: "2027-03-01", New: true}}
	if len(r.Risks) == 2 {
		if !ValidRowID(r.Risks[1].RiskID) {
			t.Errorf("the new risk's id = %q, want a fresh row id", r.Risks[1].RiskID)
		}
		want[1].RiskID = r.Risks[1].RiskID
	}
	if len(r.Risks) != 2 || r.Risks[0] != want[0] || r.Risks[1] != want[1] {
		t.Errorf("risks = %+v", r.Risks)
	}
	if len(r.NextSteps) != 2 || r.NextSteps[1] != (NextStep{What: "Book the exec sponsor call", Owner: "Ann Exec"}) {
		t.Errorf("next steps = %+v", r.NextSteps)
	}
	if r.Champion.Changed {
		t.Errorf("champion = %+v", r.Champion)
	}
	if got := PodReviewEvent(r).Summary; got != "Recorded the pod review of 2027-03-01: renewal at risk (renews 2027-09-30), 2 next steps." {
		t.Errorf("event = %q", got)
	}
}

// A Champion picked from the account is copied; someone new gets an id and
// joins the account's people for the next review, and becomes the Champion.
func TestPodReviewChampion(t *testing.T) {
	t.Parallel()
	a := podAccount()
	if a.ChampionID != "nadiaaaaaaaa" || len(a.People) != 4 || a.People[3].Name != "Nadia New" {
		t.Fatalf("the account after one review: champion %q, people %+v", a.ChampionID, a.People)
	}
	f := goodReview()
	f.Champion = ChampionForm{Changed: "yes", PersonID: "carlaaaaaaaa", Note: "Back from leave"}
	r, err := ValidatePodReview(f, a, date("2027-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Champion != (ChampionChange{Changed: true, PersonID: "carlaaaaaaaa", Name: "Carla Champion", Title: "VP Data", Note: "Back from leave"}) {
		t.Errorf("picked champion = %+v", r.Champion)
	}

	f.Champion = ChampionForm{Changed: "yes", PersonID: ChampionNew, Name: " Rob Reyes ", Title: "CTO", Email: " Rob@Acme.Example "}
	r, err = ValidatePodReview(f, a, date("2027-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	c := r.Champion
	if !ValidRowID(c.PersonID) || c.Name != "Rob Reyes" || c.Title != "CTO" || c.Email != "rob@acme.example" {
		t.Fatalf("new champion = %+v", c)
	}
	r.DueOn = date("2027-02-18")
	later := NewPodAccount(&Pack{}, date("2026-11-20"), Documents{}, []PodReviewRecord{{PodReview: r}, {PodReview: PodReview{HeldOn: date("2027-02-01"),
		Champion: ChampionChange{Changed: true, PersonID: "nadiaaaaaaaa", Name: "Nadia New"}}}})
	if p, ok := later.Person(c.PersonID); !ok || p.Name != "Rob Reyes" || later.ChampionID != c.PersonID {
		t.Errorf("the next review's people %+v, champion %q: Rob is not among them", later.People, later.ChampionID)
	}
	if !later.LastHeldOn.Equal(date("2027-03-01")) {
		t.Errorf("last held = %s", later.LastHeldOn)
	}
}

// A risk first raised at a review is offered at the next one beside the
// log's, with the severity the latest review gave it; picked there, it keeps
// its description and the day it was raised, and each review says where its
// risks come from, a second review the same day included.
func TestPodReviewRaisedRisks(t *testing.T) {
	t.Parallel()
	first, err := ValidatePodReview(goodReview(), podAccount(), date("2027-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	raised := first.Risks[1]
	log := Documents{Risks: Risks{Items: []Risk{{ID: "riskaaaaaaaa", Description: "Workday API quotas unknown", Severity: "high"}}}}
	earlier := []PodReviewRecord{{PodReview: first}, {PodReview: PodReview{HeldOn: date("2027-02-01")}}}
	a := NewPodAccount(&Pack{}, date("2026-11-20"), log, earlier)
	if len(a.Raised) != 1 || a.Raised[0] != (ReviewRisk{RiskID: raised.RiskID, Description: "Data residency audit in Q3", Severity: "medium", RaisedOn: "2027-03-01"}) {
		t.Fatalf("the next review offers %+v, want the risk raised on 2027-03-01", a.Raised)
	}

	// A second review the same day picks it again: raised earlier, not new.
	f := goodReview()
	f.Risks = []ReviewRiskForm{{RiskID: raised.RiskID, Severity: "high", Note: "Audit booked"}}
	same, err := ValidatePodReview(f, a, date("2027-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	if got := same.Risks[0].Words(); got != "High: Data residency audit in Q3 (raised at the review of 2027-03-01) — Audit booked" {
		t.Errorf("picked again the same day: %q", got)
	}

	// The review after offers it once, at the severity the latest gave it.
	a = NewPodAccount(&Pack{}, date("2026-11-20"), log, append([]PodReviewRecord{{PodReview: same}}, earlier...))
	if len(a.Raised) != 1 || a.Raised[0].Severity != "high" {
		t.Fatalf("after two reviews the picker offers %+v, want the risk once, high", a.Raised)
	}
	f = goodReview()
	f.HeldOn = "2027-05-20"
	f.Risks = []ReviewRiskForm{{RiskID: raised.RiskID}, {RiskID: "riskaaaaaaaa"}}
	next, err := ValidatePodReview(f, a, date("2027-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ReviewRisk{RiskID: raised.RiskID, Description: "Data residency audit in Q3", Severity: "high", RaisedOn: "2027-03-01"}); next.Risks[0] != want {
		t.Errorf("picked again = %+v, want %+v", next.Risks[0], want)
	}
	for _, tc := range []struct {
		k    ReviewRisk
		want string
	}{
		{raised, "Medium: Data residency audit in Q3 (new)"},
		{next.Risks[0], "High: Data residency audit in Q3 (raised at the review of 2027-03-01)"},
		{next.Risks[1], "High: Workday API quotas unknown (from the risk log)"},
		{ReviewRisk{Description: "Recorded before risks were kept", Severity: "low"}, "Low: Recorded before risks were kept (new)"},
	} {
		if got := tc.k.Words(); got != tc.want {
			t.Errorf("Words = %q, want %q", got, tc.want)
		}
	}
}

func TestPodReviewTimeliness(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ held, due, want string }{
		{"2027-02-18", "2027-02-18", "On time (due 2027-02-18)"},
		{"2027-01-02", "2027-02-18", "On time (due 2027-02-18)"},
		{"2027-02-19", "2027-02-18", "1 day late (due 2027-02-18)"},
		// Across the spring change of the clocks: civil dates count whole days.
		{"2027-03-20", "2027-03-10", "10 days late (due 2027-03-10)"},
	} {
		r := PodReview{HeldOn: date(tc.held), DueOn: date(tc.due)}
		if got := r.Timeliness(); got != tc.want {
			t.Errorf("held %s due %s: %q, want %q", tc.held, tc.due, got, tc.want)
		}
	}
	rec := PodReviewRecord{PodReview: PodReview{Attendees: []string{PodAE, PodSA, PodCSM}}, AttendeeNames: map[string]string{PodAE: "Ann Exec", PodSA: "Alex Chen"}}
	if got := strings.Join(rec.Attended(), ", "); got != "AE Ann Exec, SA Alex Chen, CSM (not named on the deal)" {
		t.Errorf("attended = %q", got)
	}
}
