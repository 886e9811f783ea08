package sso

import (
	"slices"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
)

// RoleGroup says that members of Group, a group as the provider names it in
// the ID token, get Role in Handoff.
type RoleGroup struct {
	Role  handoff.Role
	Group string
}

// rank is every role from the most to the least powerful: a person in several
// mapped groups gets the first role of this list that any of them gives.
var rank = []handoff.Role{handoff.RoleAdmin, handoff.RoleManager, handoff.RoleSA, handoff.RoleSE}

// RoleFor is the role a person in groups gets under mapping: the highest one
// any of their groups maps to. ok is false when none maps, and such a person
// is not let in. Group names compare without regard to case, as Okta, Entra
// ID and Google treat them.
func RoleFor(mapping []RoleGroup, groups []string) (role handoff.Role, ok bool) {
	best := len(rank)
	for _, m := range mapping {
		i := slices.Index(rank, m.Role)
		if i < 0 || i >= best {
			continue
		}
		if slices.ContainsFunc(groups, func(g string) bool { return strings.EqualFold(g, m.Group) }) {
			best = i
		}
	}
	if best == len(rank) {
		return "", false
	}
	return rank[best], true
}

// mappedGroups lists the groups that give a role, once each, in the order
// the mapping names them: what a refused person can ask to be added to.
func mappedGroups(mapping []RoleGroup) []string {
	var out []string
	for _, m := range mapping {
		if !slices.ContainsFunc(out, func(g string) bool { return strings.EqualFold(g, m.Group) }) {
			out = append(out, m.Group)
		}
	}
	return out
}
