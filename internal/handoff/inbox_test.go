package handoff

import "testing"

func TestNextSAStep(t *testing.T) {
	t.Parallel()
	threshold := Thresholds{usd(25_000)}
	big := bigCommitment("k-big", "Custom SIEM export")
	small := Commitment{ID: "k-small", Kind: "other", Description: "Training day", Evidence: "in_writing", Value: usd(1_000)}
	withBig := Documents{Commitments: Commitments{Items: []Commitment{small, big}}}
	onlySmall := Documents{Commitments: Commitments{Items: []Commitment{small}}}
	with := func(d Decision, k DocKind, r Decision) map[DocKind]Review {
		out := reviewsAll(d)
		out[k] = Review{Kind: k, Version: 1, Decision: r}
		return out
	}
	tests := []struct {
		name      string
		status    Status
		reviews   map[DocKind]Review
		docs      Documents
		decisions map[string]CommitmentDecision
		want      SAStep
	}{
		{"ReviewWhenNothingDecided", StatusSubmitted, nil, withBig, nil, SAStepReview},
		{"ReviewWhenOneDocumentPending", StatusSubmitted, with(DecisionAccepted, DocRisks, DecisionPending), withBig, decideAll(big), SAStepReview},
		{"ReviewBeforeCommitments", StatusSubmitted, with(DecisionAccepted, DocPOC, DecisionPending), withBig, nil, SAStepReview},
		{"DecideCommitmentsWhenBigOneUndecided", StatusSubmitted, reviewsAll(DecisionAccepted), withBig, nil, SAStepDecideCommitments},
		{"DecideCommitmentsWhenDecisionIsForAnEarlierWording", StatusSubmitted, reviewsAll(DecisionWithQuestions), withBig,
			map[string]CommitmentDecision{big.ID: {CommitmentID: big.ID, Fingerprint: "older", Approved: true}}, SAStepDecideCommitments},
		{"AcknowledgeWhenAllAcceptedAndDecided", StatusSubmitted, reviewsAll(DecisionAccepted), withBig, decideAll(big), SAStepAcknowledge},
		{"AcknowledgeWhenOnlySmallCommitments", StatusSubmitted, with(DecisionWithQuestions, DocPOC, DecisionAccepted), onlySmall, nil, SAStepAcknowledge},
		{"AcknowledgeWithoutCommitments", StatusSubmitted, reviewsAll(DecisionAccepted), Documents{}, nil, SAStepAcknowledge},
		{"WaitingForSEWhenSubmittedWithAReturnedDocument", StatusSubmitted, with(DecisionAccepted, DocPOC, DecisionReturned), onlySmall, nil, SAStepWaitingForSE},
		{"WaitingForSEInDraft", StatusDraft, nil, Documents{}, nil, SAStepWaitingForSE},
		{"WaitingForSEWhenReturned", StatusChangesRequested, with(DecisionAccepted, DocPOC, DecisionReturned), withBig, nil, SAStepWaitingForSE},
		{"WaitingForSEWhenReturnedEvenWithPendingDocuments", StatusChangesRequested, with(DecisionPending, DocPOC, DecisionReturned), withBig, nil, SAStepWaitingForSE},
		{"LockAfterKickoff", StatusAcknowledged, reviewsAll(DecisionAccepted), withBig, nil, SAStepLock},
		{"DoneWhenLocked", StatusLocked, reviewsAll(DecisionAccepted), withBig, nil, SAStepDone},
		{"WaitingForSEOnAnUnknownStatus", Status("archived"), nil, Documents{}, nil, SAStepWaitingForSE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NextSAStep(tt.status, tt.reviews, tt.docs, tt.decisions, threshold); got != tt.want {
				t.Errorf("NextSAStep(%s) = %d, want %d", tt.status, got, tt.want)
			}
		})
	}
}

// TestSAStepsInInboxOrder: SASteps lists each step once, in the order of the
// constants, so the inbox shows its groups in that order.
func TestSAStepsInInboxOrder(t *testing.T) {
	t.Parallel()
	for i, s := range SASteps {
		if int(s) != i {
			t.Fatalf("SASteps[%d] = %d, want %d", i, s, i)
		}
	}
	if last := SASteps[len(SASteps)-1]; last != SAStepDone {
		t.Errorf("last step = %d, want SAStepDone", last)
	}
}
