// Package webhook is what Handoff says to the endpoints an admin registers
// (docs/webhooks.md): the event types and which pack events they stand for,
// the JSON payload, Standard Webhooks signing, the Slack rendering of the
// same events, and the guard that keeps deliveries off private networks.
// Storage (internal/postgres) and the delivery job (internal/jobs) use it;
// it knows nothing of either.
package webhook

import (
	"slices"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Type is an event type as receivers see it in "type".
type Type string

// The event types an endpoint may subscribe to. They are part of the
// contract (openapi.json, "webhooks"): add, never rename.
const (
	DealCreated        Type = "deal.created"
	PackSubmitted      Type = "pack.submitted"
	PackReturned       Type = "pack.returned"
	PackAcknowledged   Type = "pack.acknowledged"
	CommitmentDecided  Type = "commitment.decided"
	ArchitectureLocked Type = "architecture.locked"
	ClockOverdue       Type = "clock.overdue"
	FirstValueRecorded Type = "first_value.recorded"
	PodReviewRecorded  Type = "pod_review.recorded"
)

// Test is the type of the event "Send test event" sends; nobody subscribes
// to it, every endpoint receives it when asked.
const Test Type = "webhook.test"

// TypeInfo describes one subscribable type for forms and help text.
type TypeInfo struct {
	Type  Type
	Label string // "Pack submitted"
	When  string // when it is sent, completing "Sent when …"
}

// Types lists the subscribable types in the order forms offer them.
func Types() []TypeInfo {
	return []TypeInfo{
		{DealCreated, "Deal created", "a Closed-Won deal is recorded, by hand or through the API, and its draft pack opens"},
		{PackSubmitted, "Pack submitted", "the SE submits the pack (again after a return)"},
		{PackReturned, "Pack returned", "the SA returns a document for changes; one event per returned document"},
		{PackAcknowledged, "Pack acknowledged", "the SA acknowledges the pack at the kickoff"},
		{CommitmentDecided, "Commitment decided", "the SA approves or vetoes a commitment over the approval threshold"},
		{ArchitectureLocked, "Architecture locked", "the SA locks the reference architecture the customer signed off"},
		{ClockOverdue, "Clock overdue", "a clock (pack, kickoff, architecture lock, first value, pod review) is overdue: once per clock per business day, from 08:00 in the org's time zone"},
		{FirstValueRecorded, "First value recorded", "the SA records (or corrects) the day the customer first got value"},
		{PodReviewRecorded, "Pod review recorded", "the SA records a quarterly pod review of a strategic account"},
	}
}

// TypeOf is the one mapping from a pack event kind (handoff.Event*) to the
// webhook type it is sent as; ok is false for the kinds no webhook carries
// (document saves, comments, reassignments…). Approving and vetoing a
// commitment are both commitment.decided: the payload's event.kind says which.
func TypeOf(kind string) (t Type, ok bool) {
	switch kind {
	case handoff.EventCreated:
		return DealCreated, true
	case handoff.EventSubmitted:
		return PackSubmitted, true
	case handoff.EventReturned:
		return PackReturned, true
	case handoff.EventAcknowledged:
		return PackAcknowledged, true
	case handoff.EventCommitmentApproved, handoff.EventCommitmentVetoed:
		return CommitmentDecided, true
	case handoff.EventLocked:
		return ArchitectureLocked, true
	case handoff.EventFirstValueRecorded:
		return FirstValueRecorded, true
	case handoff.EventPodReviewRecorded:
		return PodReviewRecorded, true
	}
	return "", false
}

// Label is t in words: "Pack submitted".
func (t Type) Label() string {
	for _, i := range Types() {
		if i.Type == t {
			return i.Label
		}
	}
	if t == Test {
		return "Test event"
	}
	return string(t)
}

// AllTypes is every subscribable type, what an endpoint gets when nobody
// chose.
func AllTypes() []Type {
	var out []Type
	for _, i := range Types() {
		out = append(out, i.Type)
	}
	return out
}

// ParseTypes reads a chosen list of types (from checkboxes or --events
// a,b) into the order Types lists them, without repeats. An unknown name is
// an EINVALID error naming it and the known ones; so is an empty choice, for
// an endpoint that hears nothing is a mistake.
func ParseTypes(names []string) ([]Type, error) {
	chosen := map[Type]bool{}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		t := Type(n)
		if !slices.Contains(AllTypes(), t) {
			return nil, handoff.Errorf(handoff.EINVALID, "%q is not an event Handoff sends. Use any of: %s.", n, typeNames())
		}
		chosen[t] = true
	}
	if len(chosen) == 0 {
		return nil, handoff.Errorf(handoff.EINVALID, "Choose at least one event to send.")
	}
	var out []Type
	for _, t := range AllTypes() {
		if chosen[t] {
			out = append(out, t)
		}
	}
	return out, nil
}

func typeNames() string {
	return strings.Join(Names(AllTypes()), ", ")
}

// Names is ts as the strings receivers see and endpoints store.
func Names(ts []Type) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}
