package handoff

// SAStep is the next step on a pack as its SA sees it: the groups of the SA's
// inbox (docs/design.md, "People and roles"), in the order the inbox shows them.
type SAStep int

// The SA's next steps, in inbox order.
const (
	// SAStepReview: submitted, and some document still waits for a decision.
	SAStepReview SAStep = iota
	// SAStepDecideCommitments: every document is decided, but a commitment at
	// or over the approval threshold is not.
	SAStepDecideCommitments
	// SAStepAcknowledge: nothing blocks the acknowledgment; record the kickoff.
	SAStepAcknowledge
	// SAStepLock: acknowledged; write and lock the reference architecture.
	SAStepLock
	// SAStepWaitingForSE: still a draft, or returned for changes.
	SAStepWaitingForSE
	// SAStepDone: the architecture is locked.
	SAStepDone
)

// SASteps is every step, in inbox order.
var SASteps = []SAStep{SAStepReview, SAStepDecideCommitments, SAStepAcknowledge, SAStepLock, SAStepWaitingForSE, SAStepDone}

// NextSAStep says which step a pack waits on from its SA. reviews are the
// SA's decisions on the submitted version, docs that version's documents,
// decisions the commitment decisions, thresholds the org's approval
// thresholds; they matter only while the pack is submitted.
func NextSAStep(status Status, reviews map[DocKind]Review, docs Documents, decisions map[string]CommitmentDecision, thresholds Thresholds) SAStep {
	switch status {
	case StatusSubmitted:
		returned := false
		for _, k := range DocKinds {
			switch reviews[k].Decision {
			case DecisionPending:
				return SAStepReview
			case DecisionReturned:
				returned = true
			}
		}
		if returned {
			// A returned document sends the pack back to the SE; the status
			// says so too, so this is a pack caught between the two.
			return SAStepWaitingForSE
		}
		if len(UndecidedCommitments(docs, decisions, thresholds)) > 0 {
			return SAStepDecideCommitments
		}
		return SAStepAcknowledge
	case StatusAcknowledged:
		return SAStepLock
	case StatusLocked:
		return SAStepDone
	}
	return SAStepWaitingForSE
}
