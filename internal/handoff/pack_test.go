package handoff

import (
	"fmt"
	"strings"
	"testing"
)

func TestStatusLabelEditable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   Status
		label    string
		editable bool
	}{
		{StatusDraft, "Draft", true},
		{StatusSubmitted, "Submitted", false},
		{StatusChangesRequested, "Changes requested", true},
		{StatusAcknowledged, "Acknowledged", false},
		{StatusLocked, "Architecture locked", false},
		{Status("archived"), "archived", false}, // unknown statuses show their code and are read-only
		{Status(""), "", false},
	}
	for _, tt := range tests {
		t.Run("Status_"+string(tt.status), func(t *testing.T) {
			t.Parallel()
			if got := tt.status.Label(); got != tt.label {
				t.Errorf("Status(%q).Label() = %q, want %q", tt.status, got, tt.label)
			}
			if got := tt.status.Editable(); got != tt.editable {
				t.Errorf("Status(%q).Editable() = %v, want %v", tt.status, got, tt.editable)
			}
		})
	}
}

// packActorID is the id of the actor in the permission tables; packs are
// "own" or "other" relative to it.
const packActorID = 7

// packFor returns a pack whose deal has the given SE and SA ids.
func packFor(seID, saID int64, status Status) *Pack {
	return &Pack{ID: 100, Deal: Deal{ID: 50, SEID: seID, SAID: saID}, Status: status, Version: 3, SubmittedVersion: 2}
}

func TestCanSeePack(t *testing.T) {
	t.Parallel()
	packs := map[string]*Pack{
		"OwnAsSE":         packFor(packActorID, 9, StatusDraft),
		"OwnAsSA":         packFor(8, packActorID, StatusSubmitted),
		"Other":           packFor(8, 9, StatusSubmitted),
		"OtherUnassigned": packFor(8, 0, StatusDraft),
	}
	// sees is the policy written out by hand: which packs an active actor of
	// each role sees. SE: only packs they are the SE of; SA: only packs
	// assigned to them; manager and admin: all.
	sees := map[Role][]string{
		RoleSE:        {"OwnAsSE"},
		RoleSA:        {"OwnAsSA"},
		RoleManager:   {"OwnAsSE", "OwnAsSA", "Other", "OtherUnassigned"},
		RoleAdmin:     {"OwnAsSE", "OwnAsSA", "Other", "OtherUnassigned"},
		Role("owner"): nil,
		Role(""):      nil,
	}
	for role, visible := range sees {
		for rel, p := range packs {
			for _, active := range []bool{true, false} {
				want := false
				if active {
					for _, v := range visible {
						want = want || v == rel
					}
				}
				state, outcome := "active", "Hidden"
				if !active {
					state = "inactive"
				}
				if want {
					outcome = "Sees"
				}
				t.Run(fmt.Sprintf("%s/%s/%s/%s", role, state, rel, outcome), func(t *testing.T) {
					t.Parallel()
					actor := &User{ID: packActorID, Name: "Ann", Role: role, Active: active}
					if got := CanSeePack(actor, p); got != want {
						t.Errorf("CanSeePack(%s %s, %s pack %+v) = %v, want %v", state, role, rel, p.Deal, got, want)
					}
				})
			}
		}
	}
	for rel, p := range packs {
		t.Run("nil/"+rel+"/Hidden", func(t *testing.T) {
			t.Parallel()
			if CanSeePack(nil, p) {
				t.Errorf("CanSeePack(nil, %s) = true, want false", rel)
			}
		})
	}
}

func TestCheckEditDocuments(t *testing.T) {
	t.Parallel()
	se := &User{ID: packActorID, Role: RoleSE, Active: true}
	otherSE := &User{ID: 8, Role: RoleSE, Active: true}
	sa := &User{ID: 9, Role: RoleSA, Active: true}
	otherSA := &User{ID: 10, Role: RoleSA, Active: true}
	manager := &User{ID: 11, Role: RoleManager, Active: true}
	admin := &User{ID: 12, Role: RoleAdmin, Active: true}
	inactiveSE := &User{ID: packActorID, Role: RoleSE, Active: false}
	// A manager who is also recorded as the deal's SE id still is not an SE.
	managerAsSE := &User{ID: packActorID, Role: RoleManager, Active: true}

	tests := []struct {
		name   string
		actor  *User
		status Status
		want   string // error code, "" for allowed
	}{
		{"OKOwnSEDraft", se, StatusDraft, ""},
		{"OKOwnSEChangesRequested", se, StatusChangesRequested, ""},
		{"ECONFLICTOwnSESubmitted", se, StatusSubmitted, ECONFLICT},
		{"ECONFLICTOwnSEAcknowledged", se, StatusAcknowledged, ECONFLICT},
		{"ECONFLICTOwnSELocked", se, StatusLocked, ECONFLICT},
		{"EFORBIDDENAssignedSADraft", sa, StatusDraft, EFORBIDDEN},
		{"EFORBIDDENAssignedSASubmitted", sa, StatusSubmitted, EFORBIDDEN},
		{"EFORBIDDENManagerDraft", manager, StatusDraft, EFORBIDDEN},
		{"EFORBIDDENManagerChangesRequested", manager, StatusChangesRequested, EFORBIDDEN},
		{"EFORBIDDENManagerWithSEIDDraft", managerAsSE, StatusDraft, EFORBIDDEN},
		{"EFORBIDDENAdminDraft", admin, StatusDraft, EFORBIDDEN},
		{"EFORBIDDENAdminLocked", admin, StatusLocked, EFORBIDDEN},
		{"ENOTFOUNDOtherSEDraft", otherSE, StatusDraft, ENOTFOUND},
		{"ENOTFOUNDOtherSESubmitted", otherSE, StatusSubmitted, ENOTFOUND},
		{"ENOTFOUNDUnassignedSA", otherSA, StatusDraft, ENOTFOUND},
		{"ENOTFOUNDInactiveOwnSE", inactiveSE, StatusDraft, ENOTFOUND},
		{"ENOTFOUNDNilActor", nil, StatusDraft, ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := packFor(packActorID, 9, tt.status)
			err := CheckEditDocuments(tt.actor, p)
			if got := ErrorCode(err); got != tt.want {
				t.Fatalf("CheckEditDocuments = %v (code %q), want code %q", err, got, tt.want)
			}
			if tt.want == ENOTFOUND && ErrorMessage(err) != "not found" {
				// Someone who may not see the pack learns nothing about it.
				t.Errorf("message = %q, want %q", ErrorMessage(err), "not found")
			}
			if tt.want != "" && tt.want != ENOTFOUND && ErrorMessage(err) == "" {
				t.Errorf("%s error has no message for the person", tt.want)
			}
		})
	}
}

func TestCheckSubmit(t *testing.T) {
	t.Parallel()
	se := &User{ID: packActorID, Role: RoleSE, Active: true}
	otherSE := &User{ID: 8, Role: RoleSE, Active: true}
	sa := &User{ID: 9, Role: RoleSA, Active: true}
	manager := &User{ID: 11, Role: RoleManager, Active: true}

	incomplete := completeDocs()
	incomplete.Risks = Risks{}

	tests := []struct {
		name             string
		actor            *User
		status           Status
		submittedVersion int
		docs             Documents
		want             string // error code, "" for allowed
		wantMsg          string // substring of the message
	}{
		{"OKOwnDraftComplete", se, StatusDraft, 0, completeDocs(), "", ""},
		{"OKOwnChangesRequestedComplete", se, StatusChangesRequested, 1, completeDocs(), "", ""},
		{"EINVALIDOwnDraftIncomplete", se, StatusDraft, 0, incomplete, EINVALID, "not complete"},
		{"EINVALIDOwnDraftEmpty", se, StatusDraft, 0, Documents{}, EINVALID, "not complete"},
		{"EINVALIDOwnChangesRequestedIncomplete", se, StatusChangesRequested, 1, incomplete, EINVALID, "not complete"},
		{"ECONFLICTAlreadySubmittedV1", se, StatusSubmitted, 1, completeDocs(), ECONFLICT, "already submitted (v1)"},
		{"ECONFLICTAlreadySubmittedV3", se, StatusSubmitted, 3, completeDocs(), ECONFLICT, "(v3)"},
		{"ECONFLICTSubmittedBeatsIncomplete", se, StatusSubmitted, 2, Documents{}, ECONFLICT, "(v2)"},
		{"ECONFLICTAcknowledged", se, StatusAcknowledged, 2, completeDocs(), ECONFLICT, "(v2)"},
		{"ECONFLICTLocked", se, StatusLocked, 4, completeDocs(), ECONFLICT, "(v4)"},
		{"EFORBIDDENAssignedSA", sa, StatusDraft, 0, completeDocs(), EFORBIDDEN, "Sales Engineer"},
		{"EFORBIDDENManager", manager, StatusDraft, 0, completeDocs(), EFORBIDDEN, "Sales Engineer"},
		{"ENOTFOUNDOtherSE", otherSE, StatusDraft, 0, completeDocs(), ENOTFOUND, "not found"},
		{"ENOTFOUNDOtherSESubmitted", otherSE, StatusSubmitted, 1, completeDocs(), ENOTFOUND, "not found"},
		{"ENOTFOUNDNilActor", nil, StatusDraft, 0, completeDocs(), ENOTFOUND, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := packFor(packActorID, 9, tt.status)
			p.SubmittedVersion = tt.submittedVersion
			err := CheckSubmit(tt.actor, p, tt.docs)
			if got := ErrorCode(err); got != tt.want {
				t.Fatalf("CheckSubmit = %v (code %q), want code %q", err, got, tt.want)
			}
			if msg := ErrorMessage(err); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestCanCreateDealFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		actor *User
		seID  int64
		want  bool
	}{
		{"OKSEForThemself", &User{ID: 7, Role: RoleSE, Active: true}, 7, true},
		{"RefusedSEForAnotherSE", &User{ID: 7, Role: RoleSE, Active: true}, 8, false},
		{"OKManagerForAnySE", &User{ID: 11, Role: RoleManager, Active: true}, 8, true},
		// docs/design.md, "People and roles", §7: deals arrive by hand from an SE or a manager.
		{"RefusedAdmin", &User{ID: 12, Role: RoleAdmin, Active: true}, 8, false},
		{"RefusedAdminForOwnID", &User{ID: 12, Role: RoleAdmin, Active: true}, 12, false},
		{"RefusedSA", &User{ID: 9, Role: RoleSA, Active: true}, 8, false},
		{"RefusedSAForOwnID", &User{ID: 9, Role: RoleSA, Active: true}, 9, false},
		{"RefusedInactiveSE", &User{ID: 7, Role: RoleSE, Active: false}, 7, false},
		{"RefusedInactiveManager", &User{ID: 11, Role: RoleManager, Active: false}, 8, false},
		{"RefusedInactiveAdmin", &User{ID: 12, Role: RoleAdmin, Active: false}, 8, false},
		{"RefusedUnknownRole", &User{ID: 7, Role: Role("owner"), Active: true}, 7, false},
		{"RefusedNilActor", nil, 7, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := CanCreateDealFor(tt.actor, tt.seID); got != tt.want {
				t.Errorf("CanCreateDealFor(%+v, %d) = %v, want %v", tt.actor, tt.seID, got, tt.want)
			}
		})
	}
}

func TestCheckAssignee(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		u    *User
		role Role
		ok   bool
	}{
		{"OKActiveSE", &User{ID: 7, Role: RoleSE, Active: true}, RoleSE, true},
		{"OKActiveSA", &User{ID: 9, Role: RoleSA, Active: true}, RoleSA, true},
		{"ErrNotFound", nil, RoleSE, false},
		{"ErrInactiveSE", &User{ID: 7, Role: RoleSE, Active: false}, RoleSE, false},
		{"ErrInactiveSA", &User{ID: 9, Role: RoleSA, Active: false}, RoleSA, false},
		{"ErrSAAsSE", &User{ID: 9, Role: RoleSA, Active: true}, RoleSE, false},
		{"ErrSEAsSA", &User{ID: 7, Role: RoleSE, Active: true}, RoleSA, false},
		{"ErrManagerAsSE", &User{ID: 11, Role: RoleManager, Active: true}, RoleSE, false},
		{"ErrAdminAsSA", &User{ID: 12, Role: RoleAdmin, Active: true}, RoleSA, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckAssignee(tt.u, tt.role)
			if tt.ok {
				if err != nil {
					t.Fatalf("CheckAssignee(%+v, %s) = %v, want nil", tt.u, tt.role, err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.role.Label()) {
				t.Errorf("CheckAssignee(%+v, %s) = %v, want EINVALID naming the %s", tt.u, tt.role, err, tt.role.Label())
			}
		})
	}
}
