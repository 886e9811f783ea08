package handoff

// Action names something a person tries to do. Authorize decides it.
type Action string

// Actions on people and settings. Pack actions arrive with packs.
const (
	ActionManageUsers    Action = "manage_users"    // list, create, change role, deactivate, reset
	ActionManageSettings Action = "manage_settings" // org settings and API tokens
	ActionViewOverdue    Action = "view_overdue"    // the manager's overdue lists and stats
)

// Authorize is the one policy function: it returns nil when actor may do
// action, and otherwise a not-found error, so what someone may not reach looks
// exactly like what does not exist (no probing for ids or pages).
func Authorize(actor *User, action Action) error {
	if actor != nil && actor.Active && allowed(actor.Role, action) {
		return nil
	}
	return Errorf(ENOTFOUND, "not found")
}

func allowed(role Role, action Action) bool {
	switch action {
	case ActionManageUsers, ActionManageSettings:
		return role == RoleAdmin
	case ActionViewOverdue:
		return role == RoleManager || role == RoleAdmin
	}
	return false
}

// HasRole reports whether actor is an active user with one of roles.
func HasRole(actor *User, roles ...Role) bool {
	if actor == nil || !actor.Active {
		return false
	}
	for _, r := range roles {
		if actor.Role == r {
			return true
		}
	}
	return false
}

// CheckRoleChange refuses to demote the last active admin, which would lock
// everyone out of user management. activeAdmins counts active admins,
// including target when it is one.
func CheckRoleChange(target *User, to Role, activeAdmins int) error {
	if target.Role == RoleAdmin && to != RoleAdmin && target.Active && activeAdmins <= 1 {
		return Errorf(ECONFLICT, "%s is the last active admin. Make someone else an admin first.", target.Name)
	}
	return nil
}

// CheckDeactivate refuses to deactivate oneself or the last active admin.
func CheckDeactivate(actor, target *User, activeAdmins int) error {
	if actor != nil && actor.ID == target.ID {
		return Errorf(ECONFLICT, "You can't deactivate your own account. Ask another admin.")
	}
	if target.Role == RoleAdmin && target.Active && activeAdmins <= 1 {
		return Errorf(ECONFLICT, "%s is the last active admin. Make someone else an admin first.", target.Name)
	}
	return nil
}

// CheckOpenPacks refuses to take an SE or SA away from packs still in
// progress (by a role change or deactivation): nobody could work on them.
func CheckOpenPacks(target *User, openPacks int) error {
	if openPacks == 0 {
		return nil
	}
	what := "packs"
	if openPacks == 1 {
		what = "pack"
	}
	return Errorf(ECONFLICT, "%s is the %s on %d open %s. A manager reassigns them first (from each pack's page); then try again.",
		target.Name, target.Role.Short(), openPacks, what)
}
