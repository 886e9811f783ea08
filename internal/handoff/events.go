package handoff

import (
	"fmt"
	"strings"
	"time"
)

// The words of a pack's history. Each event a pack records is made by one
// function here, so the app (internal/postgres, inside the transaction that
// makes the change) and the demo generator (internal/demo) write the same
// line for the same thing. Each returns an Event with Kind and Summary set;
// storage fills in who and when.

// CreatedEvent opens a pack's history: the deal recorded, the pack due.
func CreatedEvent(closedWon, packDue time.Time) Event {
	return Event{Kind: EventCreated, Summary: fmt.Sprintf("Recorded the deal (Closed-Won %s) and opened the pack; pack due %s.",
		eventDay(closedWon), eventDay(packDue))}
}

// SectionSavedEvent is the SE saving one document.
func SectionSavedEvent(kind DocKind) Event {
	return Event{Kind: EventSectionSaved, Summary: "Saved the " + kind.Title() + "."}
}

// SubmittedEvent is the SE submitting the pack as version n.
func SubmittedEvent(n int) Event {
	return Event{Kind: EventSubmitted, Summary: fmt.Sprintf("Submitted the pack as v%d.", n)}
}

// ReviewedEvent is the SA's decision d on one document: accepted, accepted
// with questions, or returned with reason (which has its own kind, since it
// sends the pack back).
func ReviewedEvent(kind DocKind, d Decision, reason string, questions []string) Event {
	switch d {
	case DecisionReturned:
		return Event{Kind: EventReturned, Summary: "Returned the " + kind.Title() + " for changes: " + reason}
	case DecisionWithQuestions:
		return Event{Kind: EventReviewed, Summary: "Accepted the " + kind.Title() + " with questions: " + strings.Join(questions, " / ")}
	}
	return Event{Kind: EventReviewed, Summary: "Accepted the " + kind.Title() + "."}
}

// AnsweredEvent is the SE answering one of the SA's questions.
func AnsweredEvent(question, answer string) Event {
	return Event{Kind: EventAnswered, Summary: "Answered \"" + question + "\": " + answer}
}

// CommitmentDecidedEvent is the SA approving a big commitment, or vetoing it
// with reason.
func CommitmentDecidedEvent(description string, approved bool, reason string) Event {
	if approved {
		return Event{Kind: EventCommitmentApproved, Summary: "Approved the commitment \"" + description + "\"."}
	}
	return Event{Kind: EventCommitmentVetoed, Summary: "Vetoed the commitment \"" + description + "\": " + reason}
}

// AcknowledgedEvent is the SA acknowledging version n at the kickoff, which
// starts the architecture-lock clock.
func AcknowledgedEvent(n int, kickoff, lockDue time.Time) Event {
	return Event{Kind: EventAcknowledged, Summary: fmt.Sprintf("Acknowledged v%d at the kickoff on %s; architecture lock due %s.",
		n, eventDay(kickoff), eventDay(lockDue))}
}

// ArchitectureSavedEvent is the SA saving the reference architecture draft.
func ArchitectureSavedEvent() Event {
	return Event{Kind: EventArchitectureSaved, Summary: "Saved the reference architecture draft."}
}

// LockedEvent is the SA locking the reference architecture the customer
// signed off.
func LockedEvent(signOffName, signOffTitle, signOffOn string) Event {
	return Event{Kind: EventLocked, Summary: "Locked the reference architecture, signed off by " +
		signOffName + " (" + signOffTitle + ") on " + signOffOn + "."}
}

// ReassignedEvent is a manager changing the pack's people; each change reads
// "SE Sam → Priya".
func ReassignedEvent(changes []string) Event {
	return Event{Kind: EventReassigned, Summary: "Reassigned: " + strings.Join(changes, "; ") + "."}
}

// DeadlinesChangedEvent is a calendar change (why) moving the pack's due
// dates; each change reads "pack due 2026-11-30 → 2026-12-01".
func DeadlinesChangedEvent(why string, changes []string) Event {
	return Event{Kind: EventDeadlineChanged, Summary: why + ": " + strings.Join(changes, "; ") + "."}
}

// Kickoff meeting event kinds (issue 13). Each one mails the meeting's
// calendar invite, or its cancellation, to everyone on the deal.
const (
	EventKickoffScheduled   = "kickoff_scheduled"
	EventKickoffRescheduled = "kickoff_rescheduled"
	EventKickoffCancelled   = "kickoff_cancelled"
)

// KickoffScheduledEvent is the SE or SA scheduling the kickoff meeting m
// (for the first time, or again after a cancellation); loc is the org's
// zone, which the time is written in.
func KickoffScheduledEvent(m Meeting, loc *time.Location) Event {
	return Event{Kind: EventKickoffScheduled, Summary: "Scheduled the kickoff meeting for " + m.When(loc) +
		" (" + loc.String() + ") at " + m.Place + "."}
}

// KickoffRescheduledEvent is the SE or SA changing the kickoff meeting from
// m to n; each change reads "time … → …" or "place … → …".
func KickoffRescheduledEvent(m, n Meeting, loc *time.Location) Event {
	return Event{Kind: EventKickoffRescheduled, Summary: "Changed the kickoff meeting: " +
		strings.Join(MeetingChanges(m, n, loc), "; ") + "."}
}

// KickoffCancelledEvent is the SE or SA calling off the kickoff meeting m.
func KickoffCancelledEvent(m Meeting, loc *time.Location) Event {
	return Event{Kind: EventKickoffCancelled, Summary: "Cancelled the kickoff meeting of " + m.When(loc) + "."}
}

func eventDay(t time.Time) string { return t.Format("2006-01-02") }
