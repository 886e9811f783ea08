package handoff

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// decideActor is one person in the Decide table, with what docs/design.md, "A pack's life" says
// they are to the pack: "se" (its SE), "sa" (its assigned SA), "lead"
// (manager or admin), or "" for someone who can see it but plays no part.
// sees is false for everyone the pack must stay hidden from.
type decideActor struct {
	name string
	user *User
	sees bool
	is   string
}

// decideActors returns the eight actors of the Decide table, relative to a
// pack whose SE is id 1 and whose SA is id 3 (see decidePack).
func decideActors() []decideActor {
	return []decideActor{
		{"OwnerSE", &User{ID: 1, Name: "Sam SE", Role: RoleSE, Active: true}, true, "se"},
		{"OtherSE", &User{ID: 2, Name: "Olga SE", Role: RoleSE, Active: true}, false, ""},
		{"AssignedSA", &User{ID: 3, Name: "Ada SA", Role: RoleSA, Active: true}, true, "sa"},
		{"OtherSA", &User{ID: 4, Name: "Otto SA", Role: RoleSA, Active: true}, false, ""},
		{"Manager", &User{ID: 5, Name: "Mia Manager", Role: RoleManager, Active: true}, true, "lead"},
		{"Admin", &User{ID: 6, Name: "Abe Admin", Role: RoleAdmin, Active: true}, true, "lead"},
		{"InactiveOwnerSE", &User{ID: 1, Name: "Sam SE", Role: RoleSE, Active: false}, false, ""},
		{"Nil", nil, false, ""},
	}
}

// decidePack is a pack of a strategic account whose SE is user 1 and whose SA is user 3.
func decidePack(s Status) *Pack {
	return &Pack{ID: 100, Deal: Deal{ID: 50, SEID: 1, SAID: 3, Segment: SegmentStrategic}, Status: s, Version: 4, SubmittedVersion: 1}
}

func TestDecideEveryCombination(t *testing.T) {
	t.Parallel()
	// The lifecycle written out by hand from docs/design.md, "A pack's life", independent of
	// actionRules: who performs each action ("se", "sa", "pod" for either, "lead", or "any" who
	// can see the pack) and in which statuses.
	allStatuses := []Status{StatusDraft, StatusSubmitted, StatusChangesRequested, StatusAcknowledged, StatusLocked}
	// leads, when set, are the statuses in which managers and admins may
	// take the action too.
	allowed := map[PackAction]struct {
		who      string
		statuses []Status
		leads    []Status
	}{
		ActEditDocuments:    {"se", []Status{StatusDraft, StatusChangesRequested}, nil},
		ActSubmit:           {"se", []Status{StatusDraft, StatusChangesRequested}, nil},
		ActReview:           {"sa", []Status{StatusSubmitted, StatusChangesRequested}, nil},
		ActDecideCommitment: {"sa", []Status{StatusSubmitted, StatusChangesRequested}, nil},
		ActAnswer:           {"se", []Status{StatusSubmitted, StatusChangesRequested, StatusAcknowledged}, nil},
		ActAcknowledge:      {"sa", []Status{StatusSubmitted}, nil},
		ActEditArchitecture: {"sa", []Status{StatusAcknowledged}, nil},
		ActLock:             {"sa", []Status{StatusAcknowledged}, nil},
		ActComment:          {"any", allStatuses, nil},
		ActAssign:           {"lead", []Status{StatusDraft, StatusSubmitted, StatusChangesRequested, StatusAcknowledged}, nil},
		// README.md: the SE corrects the deal's facts before submission, a
		// manager at any time.
		ActCorrectDeal: {"se", []Status{StatusDraft}, allStatuses},
		// The accuracy assessment: the pack's SA, after the lock.
		ActAssess: {"sa", []Status{StatusLocked}, nil},
		// Issue 13: the pack's SE or SA schedules the kickoff meeting once
		// the pack is submitted, until it is acknowledged.
		ActScheduleKickoff: {"pod", []Status{StatusSubmitted, StatusChangesRequested}, nil},
		// After the lock: the SA records first value from the kickoff on,
		// and pod reviews of a strategic account (decidePack's is) once
		// locked; a manager marks an account strategic at any time.
		ActFirstValue:    {"sa", []Status{StatusAcknowledged, StatusLocked}, nil},
		ActPodReview:     {"sa", []Status{StatusLocked}, nil},
		ActMarkStrategic: {"lead", allStatuses, nil},
	}

	// The table must cover exactly what the code exposes, so a new action or
	// status cannot slip past it.
	if len(PackActions) != len(allowed) {
		t.Fatalf("PackActions has %d actions, the specification %d", len(PackActions), len(allowed))
	}
	for _, a := range PackActions {
		if _, ok := allowed[a]; !ok {
			t.Fatalf("PackActions has %q, which the specification does not cover", a)
		}
	}
	if !slices.Equal(Statuses, allStatuses) {
		t.Fatalf("Statuses = %q, want %q in lifecycle order", Statuses, allStatuses)
	}

	actors := decideActors()
	cases := 0
	for _, status := range Statuses {
		for _, action := range PackActions {
			rule := allowed[action]
			for _, ac := range actors {
				want := ""
				statuses := rule.statuses
				asLead := rule.leads != nil && ac.is == "lead"
				if asLead {
					statuses = rule.leads
				}
				switch {
				case !ac.sees:
					want = ENOTFOUND
				case !plays(rule.who, ac.is) && !asLead:
					want = EFORBIDDEN
				case !slices.Contains(statuses, status):
					want = ECONFLICT
				}
				outcome := want
				if outcome == "" {
					outcome = "Allowed"
				}
				cases++
				t.Run(fmt.Sprintf("%s/%s/%s/%s", status, action, ac.name, outcome), func(t *testing.T) {
					t.Parallel()
					err := Decide(ac.user, decidePack(status), action)
					if got := ErrorCode(err); got != want {
						t.Fatalf("Decide(%s, %s pack, %s) = %v (code %q), want code %q", ac.name, status, action, err, got, want)
					}
					switch want {
					case ENOTFOUND:
						// Someone who may not see the pack learns nothing about it.
						if msg := ErrorMessage(err); msg != "not found" {
							t.Errorf("message = %q, want %q", msg, "not found")
						}
					case EFORBIDDEN, ECONFLICT:
						if ErrorMessage(err) == "" {
							t.Errorf("%s error has no message for the person", want)
						}
					}
				})
			}
		}
	}
	if want := 5 * 16 * 8; cases != want {
		t.Errorf("ran %d cases, want %d (5 statuses × 16 actions × 8 actors)", cases, want)
	}
}

// TestPodReviewsAreForStrategicAccounts: the pack's SA may not record a pod
// review of a locked account that is not strategic; the words say who can
// change that.
func TestPodReviewsAreForStrategicAccounts(t *testing.T) {
	t.Parallel()
	sa := &User{ID: 3, Name: "Ada SA", Role: RoleSA, Active: true}
	for _, tc := range []struct {
		name string
		deal Deal
		want string
	}{
		{"Enterprise", Deal{SEID: 1, SAID: 3, Segment: SegmentEnterprise}, ECONFLICT},
		{"StrategicSegment", Deal{SEID: 1, SAID: 3, Segment: SegmentStrategic}, ""},
		{"MarkedByAManager", Deal{SEID: 1, SAID: 3, Segment: SegmentCommercial, StrategicMarked: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Decide(sa, &Pack{Deal: tc.deal, Status: StatusLocked}, ActPodReview)
			if got := ErrorCode(err); got != tc.want {
				t.Fatalf("Decide = %v, want code %q", err, tc.want)
			}
			if err != nil && !strings.Contains(ErrorMessage(err), "strategic") {
				t.Errorf("message %q does not say why", ErrorMessage(err))
			}
		})
	}
}

// plays reports whether an actor who is is ("se", "sa", "lead" or "") to the
// pack takes an action performed by who: "any" is everyone who sees it,
// "pod" the pack's SE and its SA.
func plays(who, is string) bool {
	switch who {
	case "any":
		return true
	case "pod":
		return is == "se" || is == "sa"
	}
	return who == is
}

func TestDecideUnknownAction(t *testing.T) {
	t.Parallel()
	for _, action := range []PackAction{"", "delete", "Submit", "approve"} {
		for _, ac := range decideActors() {
			want := EFORBIDDEN
			if !ac.sees {
				want = ENOTFOUND
			}
			t.Run(fmt.Sprintf("%q/%s/%s", action, ac.name, want), func(t *testing.T) {
				t.Parallel()
				for _, status := range Statuses {
					err := Decide(ac.user, decidePack(status), action)
					if got := ErrorCode(err); got != want {
						t.Fatalf("Decide(%s, %s pack, %q) = %v (code %q), want code %q", ac.name, status, action, err, got, want)
					}
					if ErrorMessage(err) == "" {
						t.Errorf("refusal of %q has no message", action)
					}
				}
			})
		}
	}
}
