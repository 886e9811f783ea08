package handoff

import "slices"

// PackAction is something a person does to a pack. Decide is the one place
// that says who may do what, when.
type PackAction string

// Pack actions.
const (
	ActEditDocuments    PackAction = "edit_documents"
	ActSubmit           PackAction = "submit"
	ActReview           PackAction = "review"
	ActAnswer           PackAction = "answer"
	ActDecideCommitment PackAction = "decide_commitment"
	ActAcknowledge      PackAction = "acknowledge"
	ActEditArchitecture PackAction = "edit_architecture"
	ActLock             PackAction = "lock"
	ActComment          PackAction = "comment"
	ActAssign           PackAction = "assign"
	ActCorrectDeal      PackAction = "correct_deal"
	ActAssess           PackAction = "assess"
	ActScheduleKickoff  PackAction = "schedule_kickoff"
	ActFirstValue       PackAction = "first_value"
	ActPodReview        PackAction = "pod_review"
	ActMarkStrategic    PackAction = "mark_strategic"
)

// PackActions lists every pack action.
var PackActions = []PackAction{ActEditDocuments, ActSubmit, ActReview, ActAnswer, ActDecideCommitment,
	ActAcknowledge, ActEditArchitecture, ActLock, ActComment, ActAssign, ActCorrectDeal, ActAssess, ActScheduleKickoff,
	ActFirstValue, ActPodReview, ActMarkStrategic}

// Statuses lists every pack status in lifecycle order.
var Statuses = []Status{StatusDraft, StatusSubmitted, StatusChangesRequested, StatusAcknowledged, StatusLocked}

// actionRule is who performs an action and in which statuses.
type actionRule struct {
	who      string // "se" (the pack's SE), "sa" (its SA), "pod" (either), "lead" (manager/admin), "any" (anyone who sees it)
	statuses []Status
	refusal  string // why, in a status not listed
	// leads, when set, lets managers and admins take the action too, in
	// these statuses, besides who in theirs.
	leads []Status
}

var actionRules = map[PackAction]actionRule{
	ActEditDocuments:    {"se", []Status{StatusDraft, StatusChangesRequested}, "This pack was submitted, so its documents are read-only. The SA can return it for changes.", nil},
	ActSubmit:           {"se", []Status{StatusDraft, StatusChangesRequested}, "This pack is already submitted.", nil},
	ActReview:           {"sa", []Status{StatusSubmitted, StatusChangesRequested}, "Documents are reviewed between submission and kickoff.", nil},
	ActAnswer:           {"se", []Status{StatusSubmitted, StatusChangesRequested, StatusAcknowledged}, "Questions are answered between submission and the architecture lock.", nil},
	ActDecideCommitment: {"sa", []Status{StatusSubmitted, StatusChangesRequested}, "Commitments are decided between submission and kickoff.", nil},
	ActAcknowledge:      {"sa", []Status{StatusSubmitted}, "Only a submitted pack with every document accepted can be acknowledged.", nil},
	ActEditArchitecture: {"sa", []Status{StatusAcknowledged}, "The reference architecture is written after kickoff and is read-only once locked.", nil},
	ActLock:             {"sa", []Status{StatusAcknowledged}, "Only an acknowledged pack's architecture can be locked.", nil},
	ActComment:          {"any", Statuses, "", nil},
	ActAssign:           {"lead", []Status{StatusDraft, StatusSubmitted, StatusChangesRequested, StatusAcknowledged}, "A locked pack's people no longer change.", nil},
	// A deal's facts are the SE's until they submit; a manager corrects
	// them at any time (README.md).
	ActCorrectDeal: {"se", []Status{StatusDraft}, "The deal's facts went to the SA with the pack. Ask a manager to correct them.", Statuses},
	// The SA looks back at how accurate the handoff was once the
	// architecture is locked (README.md, "Handoff accuracy").
	ActAssess: {"sa", []Status{StatusLocked}, "The handoff is assessed once the architecture is locked.", nil},
	// The kickoff meeting (issue 13): whichever of the pack's SE and SA
	// sets up the call schedules, changes or cancels it, once the SA has the
	// pack and until it is acknowledged at that call.
	ActScheduleKickoff: {"pod", []Status{StatusSubmitted, StatusChangesRequested}, "The kickoff meeting is scheduled after the pack is submitted and before it is acknowledged.", nil},
	// After the lock (aftercare.go): the SA records first value from the
	// kickoff on (value can come before the architecture is locked), and
	// corrects the record while the account lives.
	ActFirstValue: {"sa", []Status{StatusAcknowledged, StatusLocked}, "First value is recorded after the kickoff.", nil},
	// Pod reviews follow the lock, on strategic accounts only (Decide
	// checks the account).
	ActPodReview: {"sa", []Status{StatusLocked}, "Pod reviews start once the architecture is locked.", nil},
	// A manager marks any account strategic, or takes the mark off, at any
	// time.
	ActMarkStrategic: {"lead", Statuses, "", nil},
}

var whoWords = map[string]string{
	"se":      "Only the pack's Sales Engineer can do that.",
	"se+lead": "Only the pack's Sales Engineer (before submitting) or a manager can do that.",
	"sa":      "Only the pack's Solutions Architect can do that.",
	"pod":     "Only the pack's Sales Engineer or Solutions Architect can do that.",
	"lead":    "Only a manager can do that.",
}

// Decide says whether actor may take action on p now: nil, or an error that
// is not-found when p is not theirs to see, forbidden when it is not their
// part, and a conflict (in words) when the pack is not in a status for it.
// Handlers and storage both call it; storage calls it inside the transaction
// that makes the change, on the row it locked.
func Decide(actor *User, p *Pack, a PackAction) error {
	if !CanSeePack(actor, p) {
		return Errorf(ENOTFOUND, "not found")
	}
	rule, ok := actionRules[a]
	if !ok {
		return Errorf(EFORBIDDEN, "That is not something a pack supports.")
	}
	if rule.leads != nil && (actor.Role == RoleManager || actor.Role == RoleAdmin) {
		if !slices.Contains(rule.leads, p.Status) {
			return Errorf(ECONFLICT, "%s", rule.refusal)
		}
		return nil
	}
	var mine bool
	switch rule.who {
	case "se":
		mine = actor.Role == RoleSE && p.Deal.SEID == actor.ID
	case "sa":
		mine = actor.Role == RoleSA && p.Deal.SAID == actor.ID
	case "pod":
		mine = actor.Role == RoleSE && p.Deal.SEID == actor.ID || actor.Role == RoleSA && p.Deal.SAID == actor.ID
	case "lead":
		mine = actor.Role == RoleManager || actor.Role == RoleAdmin
	case "any":
		mine = true
	}
	if !mine {
		if rule.leads != nil {
			return Errorf(EFORBIDDEN, "%s", whoWords[rule.who+"+lead"])
		}
		return Errorf(EFORBIDDEN, "%s", whoWords[rule.who])
	}
	if a == ActPodReview && !p.Deal.Strategic() {
		return Errorf(ECONFLICT, "Pod reviews are for strategic accounts. A manager can mark this account strategic.")
	}
	if !slices.Contains(rule.statuses, p.Status) {
		if a == ActSubmit {
			// Name the version the SA has, so the SE knows which one counts.
			return Errorf(ECONFLICT, "This pack is already submitted (v%d).", p.SubmittedVersion)
		}
		return Errorf(ECONFLICT, "%s", rule.refusal)
	}
	return nil
}
