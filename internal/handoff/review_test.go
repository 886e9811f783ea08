package handoff

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// wantInvalidFieldSet fails unless err is EINVALID on exactly fields, each
// with a message; no fields means err must be nil.
func wantInvalidFieldSet(t *testing.T, err error, fields ...string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("err = %v (fields %q), want nil", err, InvalidFields(err))
		}
		return
	}
	if code := ErrorCode(err); code != EINVALID {
		t.Fatalf("err = %v (code %q), want %q on %q", err, code, EINVALID, fields)
	}
	got := InvalidFields(err)
	for k, msg := range got {
		if msg == "" {
			t.Errorf("field %q has an empty message", k)
		}
	}
	gotKeys := slices.Sorted(maps.Keys(got))
	wantKeys := slices.Sorted(slices.Values(fields))
	if !slices.Equal(gotKeys, wantKeys) {
		t.Errorf("invalid fields = %q, want %q (messages %q)", gotKeys, wantKeys, got)
	}
}

func TestParseDecision(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Decision
		ok   bool
	}{
		{"accepted", DecisionAccepted, true},
		{"accepted_with_questions", DecisionWithQuestions, true},
		{"returned", DecisionReturned, true},
		{"", "", false}, // "not reviewed yet" is not something the SA can choose
		{"pending", "", false},
		{"approve", "", false},
		{"Accepted", "", false},
		{" returned", "", false},
	}
	for _, tt := range tests {
		name := "Refused"
		if tt.ok {
			name = "Accepted"
		}
		t.Run(fmt.Sprintf("%s_%q", name, tt.in), func(t *testing.T) {
			t.Parallel()
			got, ok := ParseDecision(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseDecision(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDecisionLabelAccepted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d        Decision
		label    string
		accepted bool
	}{
		{DecisionPending, "Not reviewed yet", false},
		{DecisionAccepted, "Accepted", true},
		{DecisionWithQuestions, "Accepted with questions", true},
		{DecisionReturned, "Returned for changes", false},
		{Decision("bogus"), "Not reviewed yet", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q_Label_%s", tt.d, strings.ReplaceAll(tt.label, " ", "")), func(t *testing.T) {
			t.Parallel()
			if got := tt.d.Label(); got != tt.label {
				t.Errorf("Decision(%q).Label() = %q, want %q", tt.d, got, tt.label)
			}
			if got := tt.d.Accepted(); got != tt.accepted {
				t.Errorf("Decision(%q).Accepted() = %v, want %v", tt.d, got, tt.accepted)
			}
		})
	}
}

func TestReviewInputValidate(t *testing.T) {
	t.Parallel()
	lines := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "Question %d?\n", i+1)
		}
		return b.String()
	}
	tests := []struct {
		name      string
		in        ReviewInput
		decision  Decision
		questions []string
		fields    []string
	}{
		{"OKAcceptedNeedsNothing", ReviewInput{Decision: "accepted"}, DecisionAccepted, nil, nil},
		{"OKReturnedWithReason", ReviewInput{Decision: "returned", Reason: "Champion is not named."}, DecisionReturned, nil, nil},
		{"OKWithQuestionsSplitTrimmedBlankLinesDropped",
			ReviewInput{Decision: "accepted_with_questions", Questions: "  Who owns SSO?  \n\n   \r\nIs EU hosting in the contract?\r\n\n"},
			DecisionWithQuestions, []string{"Who owns SSO?", "Is EU hosting in the contract?"}, nil},
		{"OKTwentyQuestions", ReviewInput{Decision: "accepted_with_questions", Questions: lines(20)}, DecisionWithQuestions, nil, nil},
		{"OKReasonAtLimit", ReviewInput{Decision: "returned", Reason: strings.Repeat("é", maxText)}, DecisionReturned, nil, nil},
		{"ReasonRequiredWhenReturned", ReviewInput{Decision: "returned"}, DecisionReturned, nil, []string{"reason"}},
		{"ReasonRequiredWhenReturnedBlank", ReviewInput{Decision: "returned", Reason: " \t\n "}, DecisionReturned, nil, []string{"reason"}},
		{"ReasonTooLong", ReviewInput{Decision: "returned", Reason: strings.Repeat("x", maxText+1)}, DecisionReturned, nil, []string{"reason"}},
		{"QuestionsRequiredWithQuestions", ReviewInput{Decision: "accepted_with_questions"}, DecisionWithQuestions, nil, []string{"questions"}},
		{"QuestionsRequiredWhenOnlyBlankLines", ReviewInput{Decision: "accepted_with_questions", Questions: "\n  \n\t\r\n"}, DecisionWithQuestions, nil, []string{"questions"}},
		{"QuestionsMoreThanTwenty", ReviewInput{Decision: "accepted_with_questions", Questions: lines(21)}, DecisionWithQuestions, nil, []string{"questions"}},
		{"DecisionUnknown", ReviewInput{Decision: "maybe", Reason: "x"}, "", nil, []string{"decision"}},
		{"DecisionMissing", ReviewInput{}, "", nil, []string{"decision"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, qs, err := tt.in.Validate()
			wantInvalidFieldSet(t, err, tt.fields...)
			if d != tt.decision {
				t.Errorf("decision = %q, want %q", d, tt.decision)
			}
			if tt.questions != nil && !slices.Equal(qs, tt.questions) {
				t.Errorf("questions = %q, want %q", qs, tt.questions)
			}
			if tt.in.Questions == "" && len(qs) != 0 {
				t.Errorf("questions = %q from no text, want none", qs)
			}
		})
	}
	t.Run("QuestionsKeepTheirOrderAndCount", func(t *testing.T) {
		t.Parallel()
		_, qs, err := ReviewInput{Decision: "accepted_with_questions", Questions: lines(20)}.Validate()
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		if len(qs) != 20 || qs[0] != "Question 1?" || qs[19] != "Question 20?" {
			t.Errorf("questions = %q, want Question 1? … Question 20?", qs)
		}
	})
}

func TestCheckEditDocument(t *testing.T) {
	t.Parallel()
	actors := map[string]*User{}
	for _, ac := range decideActors() {
		actors[ac.name] = ac.user
	}
	owner := actors["OwnerSE"]
	review := func(d Decision) Review { return Review{Kind: DocPOC, Version: 1, Decision: d, Reason: "because"} }

	t.Run("OKDraftEveryDocument", func(t *testing.T) {
		t.Parallel()
		for _, k := range DocKinds {
			if err := CheckEditDocument(owner, decidePack(StatusDraft), k, Review{}); err != nil {
				t.Errorf("CheckEditDocument(draft, %s) = %v, want nil", k, err)
			}
		}
	})
	t.Run("OKChangesRequestedReturnedDocument", func(t *testing.T) {
		t.Parallel()
		for _, k := range DocKinds {
			if err := CheckEditDocument(owner, decidePack(StatusChangesRequested), k, review(DecisionReturned)); err != nil {
				t.Errorf("CheckEditDocument(changes_requested, returned %s) = %v, want nil", k, err)
			}
		}
	})
	for _, d := range []Decision{DecisionPending, DecisionAccepted, DecisionWithQuestions} {
		t.Run(fmt.Sprintf("ECONFLICTChangesRequested_%q_Document", d), func(t *testing.T) {
			t.Parallel()
			for _, k := range DocKinds {
				err := CheckEditDocument(owner, decidePack(StatusChangesRequested), k, review(d))
				if code := ErrorCode(err); code != ECONFLICT {
					t.Fatalf("CheckEditDocument(changes_requested, %s %s) = %v (code %q), want %q", d, k, err, code, ECONFLICT)
				}
				if ErrorMessage(err) == "" {
					t.Errorf("conflict has no message for the person")
				}
			}
		})
	}
	// Anyone else, or the SE in another status, gets exactly what Decide
	// says, whatever the document's review.
	tests := []struct {
		actor  string
		status Status
		want   string
	}{
		{"OwnerSE", StatusSubmitted, ECONFLICT},
		{"OwnerSE", StatusAcknowledged, ECONFLICT},
		{"OwnerSE", StatusLocked, ECONFLICT},
		{"AssignedSA", StatusDraft, EFORBIDDEN},
		{"AssignedSA", StatusChangesRequested, EFORBIDDEN},
		{"Manager", StatusChangesRequested, EFORBIDDEN},
		{"Admin", StatusDraft, EFORBIDDEN},
		{"OtherSE", StatusChangesRequested, ENOTFOUND},
		{"OtherSA", StatusDraft, ENOTFOUND},
		{"InactiveOwnerSE", StatusChangesRequested, ENOTFOUND},
		{"Nil", StatusDraft, ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s%s_%s", tt.want, tt.actor, tt.status), func(t *testing.T) {
			t.Parallel()
			p := decidePack(tt.status)
			decide := ErrorCode(Decide(actors[tt.actor], p, ActEditDocuments))
			for _, d := range []Decision{DecisionPending, DecisionReturned, DecisionAccepted} {
				err := CheckEditDocument(actors[tt.actor], p, DocRisks, review(d))
				if code := ErrorCode(err); code != tt.want || code != decide {
					t.Errorf("CheckEditDocument(%s, %s, %q review) = %v (code %q), want %q (Decide says %q)", tt.actor, tt.status, d, err, code, tt.want, decide)
				}
			}
		})
	}
}

// usd is an amount of US dollars in whole dollars.
func usd(dollars int64) Money { return Money{Minor: dollars * 100, Currency: "USD"} }

// bigCommitment is a commitment above the default threshold.
func bigCommitment(id, description string) Commitment {
	return Commitment{
		ID: id, Kind: "custom_feature", Description: description, Evidence: "promised_verbally",
		EvidenceDetail: "CEO on the 3 March call", Value: usd(80_000), DueOn: "2026-09-30", Amount: "80,000",
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(*Commitment)
		changes bool
	}{
		{"ChangesWithDescription", func(c *Commitment) { c.Description = "SAML and SCIM" }, true},
		{"ChangesWithValue", func(c *Commitment) { c.Value.Minor++ }, true},
		{"ChangesWithKind", func(c *Commitment) { c.Kind = "integration" }, true},
		{"ChangesWithEvidence", func(c *Commitment) { c.Evidence = "in_contract" }, true},
		{"ChangesWithCurrency", func(c *Commitment) { c.Value.Currency = "EUR" }, true},
		{"ChangesWithDueDate", func(c *Commitment) { c.DueOn = "2026-10-01" }, true},
		{"ChangesWhenDueDateRemoved", func(c *Commitment) { c.DueOn = "" }, true},
		{"SameWhenEvidenceDetailChanges", func(c *Commitment) { c.EvidenceDetail = "In the follow-up email too" }, false},
		{"SameWhenIDChanges", func(c *Commitment) { c.ID = "other" }, false},
		{"SameWhenTypedAmountChanges", func(c *Commitment) { c.Amount = "80000.00" }, false},
		{"SameWhenNothingChanges", func(*Commitment) {}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := bigCommitment("k1", "SAML SSO")
			after := before
			tt.change(&after)
			b, a := Fingerprint(before), Fingerprint(after)
			if b == "" {
				t.Fatal("Fingerprint is empty")
			}
			if changed := a != b; changed != tt.changes {
				t.Errorf("fingerprint changed = %v, want %v (before %q, after %q)", changed, tt.changes, b, a)
			}
		})
	}
}

func TestDecisionFor(t *testing.T) {
	t.Parallel()
	c := bigCommitment("k1", "SAML SSO")
	decided := CommitmentDecision{CommitmentID: "k1", Fingerprint: Fingerprint(c), Approved: true, DecidedBy: "Ada SA", DecidedAt: time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)}
	tests := []struct {
		name      string
		c         func() Commitment
		decisions map[string]CommitmentDecision
		ok        bool
	}{
		{"FoundWhenFingerprintMatches", func() Commitment { return c }, map[string]CommitmentDecision{"k1": decided}, true},
		{"FoundWhenOnlyEvidenceDetailChanged", func() Commitment {
			x := c
			x.EvidenceDetail = "Also in writing"
			return x
		}, map[string]CommitmentDecision{"k1": decided}, true},
		{"NoneWhenValueChangedSince", func() Commitment {
			x := c
			x.Value = usd(90_000)
			return x
		}, map[string]CommitmentDecision{"k1": decided}, false},
		{"NoneWhenDescriptionChangedSince", func() Commitment {
			x := c
			x.Description = "SAML SSO and SCIM"
			return x
		}, map[string]CommitmentDecision{"k1": decided}, false},
		{"NoneWhenDecisionIsForAnotherRow", func() Commitment { return c }, map[string]CommitmentDecision{"k2": decided}, false},
		{"NoneWithoutDecisions", func() Commitment { return c }, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := DecisionFor(tt.c(), tt.decisions)
			if ok != tt.ok {
				t.Fatalf("DecisionFor ok = %v, want %v", ok, tt.ok)
			}
			want := CommitmentDecision{}
			if tt.ok {
				want = decided
			}
			if got != want {
				t.Errorf("DecisionFor = %+v, want %+v", got, want)
			}
		})
	}
	t.Run("FoundWhenVetoed", func(t *testing.T) {
		t.Parallel()
		veto := CommitmentDecision{CommitmentID: "k1", Fingerprint: Fingerprint(c), Approved: false, Reason: "Not on the roadmap"}
		got, ok := DecisionFor(c, map[string]CommitmentDecision{"k1": veto})
		if !ok || got.Approved || got.Reason != veto.Reason {
			t.Errorf("DecisionFor = %+v, %v; want the veto", got, ok)
		}
	})
}

// decideAll returns an approval of each commitment as it stands now.
func decideAll(cs ...Commitment) map[string]CommitmentDecision {
	out := map[string]CommitmentDecision{}
	for _, c := range cs {
		out[c.ID] = CommitmentDecision{CommitmentID: c.ID, Fingerprint: Fingerprint(c), Approved: true}
	}
	return out
}

func TestUndecidedCommitments(t *testing.T) {
	t.Parallel()
	threshold := Thresholds{usd(25_000)}
	small := Commitment{ID: "small", Kind: "other", Description: "Training day", Evidence: "in_writing", Value: usd(2_000)}
	noValue := Commitment{ID: "novalue", Kind: "sla", Description: "99.95% uptime", Evidence: "in_contract"}
	approved := bigCommitment("approved", "SAML SSO")
	vetoed := bigCommitment("vetoed", "On-prem install")
	changed := bigCommitment("changed", "EU hosting")
	open := bigCommitment("open", "Custom SIEM export")
	atThreshold := Commitment{ID: "edge", Kind: "pricing_exception", Description: "Discount", Evidence: "in_contract", Value: usd(25_000)}

	decisions := decideAll(approved, vetoed, changed)
	v := decisions["vetoed"]
	v.Approved, v.Reason = false, "Not on the roadmap"
	decisions["vetoed"] = v
	changed.Value = usd(95_000) // after the SA approved 80,000

	docs := Documents{Commitments: Commitments{Items: []Commitment{small, approved, open, noValue, vetoed, changed, atThreshold}}}

	t.Run("ListsUndecidedChangedAndAtThresholdInOrder", func(t *testing.T) {
		t.Parallel()
		var ids []string
		for _, c := range UndecidedCommitments(docs, decisions, threshold) {
			ids = append(ids, c.ID)
		}
		if want := []string{"open", "changed", "edge"}; !slices.Equal(ids, want) {
			t.Errorf("UndecidedCommitments = %q, want %q", ids, want)
		}
	})
	t.Run("NoneWhenEveryBigOneDecided", func(t *testing.T) {
		t.Parallel()
		d := Documents{Commitments: Commitments{Items: []Commitment{small, approved, open}}}
		if got := UndecidedCommitments(d, decideAll(approved, open), threshold); len(got) != 0 {
			t.Errorf("UndecidedCommitments = %+v, want none", got)
		}
	})
	t.Run("NoneWithoutCommitments", func(t *testing.T) {
		t.Parallel()
		if got := UndecidedCommitments(Documents{}, nil, threshold); len(got) != 0 {
			t.Errorf("UndecidedCommitments = %+v, want none", got)
		}
	})
}

// reviewsAll returns the same decision on every document.
func reviewsAll(d Decision) map[DocKind]Review {
	out := map[DocKind]Review{}
	for _, k := range DocKinds {
		out[k] = Review{Kind: k, Version: 1, Decision: d}
	}
	return out
}

func TestAckBlockers(t *testing.T) {
	t.Parallel()
	threshold := Thresholds{usd(25_000)}
	big := bigCommitment("k-big", "Custom SIEM export")
	decidedBig := bigCommitment("k-decided", "SAML SSO")
	small := Commitment{ID: "k-small", Kind: "other", Description: "Training day", Evidence: "in_writing", Value: usd(1_000)}
	docs := Documents{Commitments: Commitments{Items: []Commitment{small, big, decidedBig}}}
	allDecided := decideAll(big, decidedBig)

	t.Run("EmptyWhenAllAcceptedAndDecided", func(t *testing.T) {
		t.Parallel()
		reviews := reviewsAll(DecisionAccepted)
		reviews[DocPOC] = Review{Kind: DocPOC, Decision: DecisionWithQuestions}
		reviews[DocRisks] = Review{Kind: DocRisks, Decision: DecisionWithQuestions}
		if got := AckBlockers(reviews, docs, allDecided, threshold); len(got) != 0 {
			t.Errorf("AckBlockers = %q, want none", got)
		}
	})
	t.Run("EmptyWhenAllAcceptedWithQuestionsAndNoCommitments", func(t *testing.T) {
		t.Parallel()
		if got := AckBlockers(reviewsAll(DecisionWithQuestions), Documents{}, nil, threshold); len(got) != 0 {
			t.Errorf("AckBlockers = %q, want none", got)
		}
	})
	t.Run("ListsEveryPendingDocument", func(t *testing.T) {
		t.Parallel()
		got := AckBlockers(nil, Documents{}, nil, threshold)
		if len(got) != len(DocKinds) {
			t.Fatalf("AckBlockers = %q, want one line per document", got)
		}
		for i, k := range DocKinds {
			if !strings.Contains(got[i], k.Title()) {
				t.Errorf("line %d = %q, want it to name the %s", i, got[i], k.Title())
			}
		}
	})
	t.Run("ListsPendingAndReturnedDocuments", func(t *testing.T) {
		t.Parallel()
		reviews := reviewsAll(DecisionAccepted)
		delete(reviews, DocMEDDPICC)
		reviews[DocStakeholders] = Review{Kind: DocStakeholders, Decision: DecisionReturned, Reason: "Who is the EB?"}
		got := AckBlockers(reviews, docs, allDecided, threshold)
		if len(got) != 2 {
			t.Fatalf("AckBlockers = %q, want 2 lines", got)
		}
		// In document order: the stakeholder map comes before the scorecard.
		if !strings.Contains(got[0], DocStakeholders.Title()) || !strings.Contains(strings.ToLower(got[0]), "return") {
			t.Errorf("line 0 = %q, want it to say the %s is returned", got[0], DocStakeholders.Title())
		}
		if !strings.Contains(got[1], DocMEDDPICC.Title()) {
			t.Errorf("line 1 = %q, want it to name the %s", got[1], DocMEDDPICC.Title())
		}
	})
	t.Run("ListsUndecidedBigCommitmentByDescription", func(t *testing.T) {
		t.Parallel()
		got := AckBlockers(reviewsAll(DecisionAccepted), docs, decideAll(decidedBig), threshold)
		if len(got) != 1 || !strings.Contains(got[0], big.Description) {
			t.Fatalf("AckBlockers = %q, want one line naming %q", got, big.Description)
		}
	})
	t.Run("ListsEverything", func(t *testing.T) {
		t.Parallel()
		reviews := reviewsAll(DecisionWithQuestions)
		reviews[DocCommitments] = Review{Kind: DocCommitments, Decision: DecisionReturned, Reason: "Evidence?"}
		delete(reviews, DocRisks)
		got := AckBlockers(reviews, docs, nil, threshold)
		if len(got) != 4 {
			t.Fatalf("AckBlockers = %q, want returned commitments, pending risks and two undecided commitments", got)
		}
		joined := strings.Join(got, "\n")
		for _, s := range []string{DocCommitments.Title(), DocRisks.Title(), big.Description, decidedBig.Description} {
			if !strings.Contains(joined, s) {
				t.Errorf("AckBlockers = %q, want a line naming %q", got, s)
			}
		}
		if strings.Contains(joined, small.Description) {
			t.Errorf("AckBlockers = %q lists a commitment below the threshold", got)
		}
	})
}

func TestCheckKickoffDate(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			panic(err) // a typo in the table below, not a finding
		}
		return d
	}
	closedWon, today := day("2026-03-02"), day("2026-03-10")
	tests := []struct {
		name    string
		kickoff string
		want    string
	}{
		{"OKToday", "2026-03-10", ""},
		{"OKBetween", "2026-03-05", ""},
		{"OKSameDayAsClosedWon", "2026-03-02", ""},
		{"EINVALIDFuture", "2026-03-11", EINVALID},
		{"EINVALIDFarFuture", "2027-01-01", EINVALID},
		{"EINVALIDBeforeClosedWon", "2026-03-01", EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckKickoffDate(day(tt.kickoff), closedWon, today)
			if code := ErrorCode(err); code != tt.want {
				t.Fatalf("CheckKickoffDate(%s) = %v (code %q), want %q", tt.kickoff, err, code, tt.want)
			}
			if tt.want != "" && ErrorMessage(err) == "" {
				t.Errorf("error has no message for the person")
			}
		})
	}
	t.Run("OKClosedWonKickoffAndTodaySameDay", func(t *testing.T) {
		t.Parallel()
		if err := CheckKickoffDate(today, today, today); err != nil {
			t.Errorf("CheckKickoffDate(same day ×3) = %v, want nil", err)
		}
	})
}

func TestParseKickoff(t *testing.T) {
	t.Parallel()
	closedWon := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		raw     string
		want    string // the kickoff read, YYYY-MM-DD
		wantMsg string // part of the message beside kickoff_on
	}{
		{"OKToday", "2026-03-10", "2026-03-10", ""},
		{"OKClosedWonDay", "2026-03-02", "2026-03-02", ""},
		{"OKSpacesAround", " 2026-03-05 ", "2026-03-05", ""},
		{"ErrEmpty", "  ", "", "Enter the date of the kickoff call."},
		{"ErrNotADate", "next tuesday", "", "YYYY-MM-DD"},
		{"ErrNoSuchDay", "2026-02-30", "", "YYYY-MM-DD"},
		{"ErrOutOfSaneRange", "1999-12-31", "", "between 2000-01-01"},
		{"ErrFuture", "2026-03-11", "", "can't be in the future"},
		{"ErrBeforeClosedWon", "2026-03-01", "", "before Closed-Won (2026-03-02)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseKickoff(tt.raw, closedWon, today)
			if tt.wantMsg == "" {
				if err != nil || got.Format(time.DateOnly) != tt.want {
					t.Fatalf("ParseKickoff(%q) = %s, %v; want %s", tt.raw, got.Format(time.DateOnly), err, tt.want)
				}
				return
			}
			fields := InvalidFields(err)
			if len(fields) != 1 || !strings.Contains(fields["kickoff_on"], tt.wantMsg) {
				t.Fatalf("ParseKickoff(%q) errors = %v (%v), want kickoff_on containing %q", tt.raw, fields, err, tt.wantMsg)
			}
			if !got.IsZero() {
				t.Errorf("ParseKickoff(%q) returned %s with its error", tt.raw, got)
			}
		})
	}
}
