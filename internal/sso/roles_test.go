package sso_test

import (
	"slices"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/sso"
)

// The mapping of the example, with a second group for SEs.
var mapping = []sso.RoleGroup{
	{Role: handoff.RoleAdmin, Group: "handoff-admins"},
	{Role: handoff.RoleManager, Group: "handoff-managers"},
	{Role: handoff.RoleSA, Group: "handoff-sa"},
	{Role: handoff.RoleSE, Group: "handoff-se"},
	{Role: handoff.RoleSE, Group: "sales-eng"},
}

func TestRoleFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mapping []sso.RoleGroup
		groups  []string
		want    handoff.Role // "" = refused
	}{
		{"OneGroup", mapping, []string{"handoff-sa"}, handoff.RoleSA},
		{"SecondGroupOfARole", mapping, []string{"sales-eng"}, handoff.RoleSE},
		{"AdminBeatsEveryone", mapping, []string{"handoff-se", "handoff-admins", "handoff-sa", "handoff-managers"}, handoff.RoleAdmin},
		{"ManagerBeatsSA", mapping, []string{"handoff-sa", "handoff-managers"}, handoff.RoleManager},
		{"SABeatsSE", mapping, []string{"handoff-se", "handoff-sa"}, handoff.RoleSA},
		{"OtherGroupsIgnored", mapping, []string{"everyone", "vpn-users", "handoff-se"}, handoff.RoleSE},
		{"CaseDoesNotMatter", mapping, []string{"Handoff-Admins"}, handoff.RoleAdmin},
		{"NoMappedGroupIsRefused", mapping, []string{"everyone", "engineering"}, ""},
		{"NoGroupsIsRefused", mapping, nil, ""},
		{"PrefixIsNotAMatch", mapping, []string{"handoff-sa-alumni", "handoff"}, ""},
		{"EmptyMappingRefusesAll", nil, []string{"handoff-admins"}, ""},
		{"OrderOfMappingDoesNotMatter", []sso.RoleGroup{
			{Role: handoff.RoleSE, Group: "all-staff"},
			{Role: handoff.RoleAdmin, Group: "it"},
		}, []string{"all-staff", "it"}, handoff.RoleAdmin},
		{"OneGroupTwoRolesHighestWins", []sso.RoleGroup{
			{Role: handoff.RoleSA, Group: "presales"},
			{Role: handoff.RoleManager, Group: "presales"},
		}, []string{"presales"}, handoff.RoleManager},
		{"UnknownRoleGivesNothing", []sso.RoleGroup{{Role: "boss", Group: "execs"}}, []string{"execs"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sso.RoleFor(tt.mapping, tt.groups)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("RoleFor(%v) = %q, %v; want %q", tt.groups, got, ok, tt.want)
			}
		})
	}
}

// Refused people are told which groups give access: each once, as
// configured.
func TestProviderGroupsListsEachMappedGroupOnce(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	p := m.provider(t, func(c *sso.Config) {
		c.RoleGroups = append(slices.Clone(mapping), sso.RoleGroup{Role: handoff.RoleManager, Group: "Handoff-SA"})
	})
	want := []string{"handoff-admins", "handoff-managers", "handoff-sa", "handoff-se", "sales-eng"}
	if got := p.Groups(); !slices.Equal(got, want) {
		t.Errorf("Groups() = %v, want %v", got, want)
	}
}
