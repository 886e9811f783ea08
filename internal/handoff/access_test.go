package handoff

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestAuthorize(t *testing.T) {
	// allowedFor is the policy written out by hand: who may do what when active.
	allowedFor := map[Action][]Role{
		ActionManageUsers:           {RoleAdmin},
		ActionManageSettings:        {RoleAdmin},
		ActionViewOverdue:           {RoleManager, RoleAdmin},
		Action("delete_everything"): nil, // unknown actions are refused to everyone
	}
	roles := append(append([]Role{}, Roles...), Role(""), Role("owner"))
	for action, allowedRoles := range allowedFor {
		for _, role := range roles {
			for _, active := range []bool{true, false} {
				want := false
				if active {
					for _, r := range allowedRoles {
						want = want || r == role
					}
				}
				outcome := "ENOTFOUND"
				if want {
					outcome = "Allowed"
				}
				state := "active"
				if !active {
					state = "inactive"
				}
				t.Run(fmt.Sprintf("%s/%s/%s/%s", action, role, state, outcome), func(t *testing.T) {
					actor := &User{ID: 7, Name: "Ann", Role: role, Active: active}
					err := Authorize(actor, action)
					if want {
						if err != nil {
							t.Fatalf("Authorize(%s %s, %s) = %v, want nil", state, role, action, err)
						}
						return
					}
					if code := ErrorCode(err); code != ENOTFOUND {
						t.Fatalf("Authorize(%s %s, %s) = %v (code %q), want %q", state, role, action, err, code, ENOTFOUND)
					}
				})
			}
		}
		t.Run(fmt.Sprintf("%s/nil/ENOTFOUND", action), func(t *testing.T) {
			if code := ErrorCode(Authorize(nil, action)); code != ENOTFOUND {
				t.Fatalf("Authorize(nil, %s) code = %q, want %q", action, code, ENOTFOUND)
			}
		})
	}
}

func TestHasRole(t *testing.T) {
	admin := &User{ID: 1, Role: RoleAdmin, Active: true}
	se := &User{ID: 2, Role: RoleSE, Active: true}
	inactiveAdmin := &User{ID: 3, Role: RoleAdmin, Active: false}
	tests := []struct {
		name  string
		actor *User
		roles []Role
		want  bool
	}{
		{"TrueOnlyRole", admin, []Role{RoleAdmin}, true},
		{"TrueOneOfSeveral", se, []Role{RoleManager, RoleSE}, true},
		{"FalseOtherRole", se, []Role{RoleAdmin}, false},
		{"FalseOtherRoles", admin, []Role{RoleSE, RoleSA, RoleManager}, false},
		{"FalseNoRolesGiven", admin, nil, false},
		{"FalseInactive", inactiveAdmin, []Role{RoleAdmin}, false},
		{"FalseInactiveAnyRole", inactiveAdmin, Roles, false},
		{"FalseNilActor", nil, Roles, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HasRole(tt.actor, tt.roles...); got != tt.want {
				t.Errorf("HasRole(%+v, %q) = %v, want %v", tt.actor, tt.roles, got, tt.want)
			}
		})
	}
}

func TestCheckRoleChange(t *testing.T) {
	tests := []struct {
		name         string
		target       *User
		to           Role
		activeAdmins int
		wantConflict bool
	}{
		{"ErrLastActiveAdminDemoted", &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: true}, RoleManager, 1, true},
		{"ErrLastActiveAdminDemotedToSE", &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: true}, RoleSE, 1, true},
		{"ErrNoAdminsCounted", &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: true}, RoleSA, 0, true},
		{"OKAnotherAdminRemains", &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: true}, RoleManager, 2, false},
		{"OKLastAdminStaysAdmin", &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: true}, RoleAdmin, 1, false},
		{"OKInactiveAdminDemoted", &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: false}, RoleSE, 1, false},
		{"OKNonAdminChanged", &User{ID: 2, Name: "Bob", Role: RoleSE, Active: true}, RoleSA, 1, false},
		{"OKNonAdminPromoted", &User{ID: 2, Name: "Bob", Role: RoleManager, Active: true}, RoleAdmin, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRoleChange(tt.target, tt.to, tt.activeAdmins)
			if !tt.wantConflict {
				if err != nil {
					t.Fatalf("CheckRoleChange = %v, want nil", err)
				}
				return
			}
			if code := ErrorCode(err); code != ECONFLICT {
				t.Fatalf("CheckRoleChange = %v (code %q), want %q", err, code, ECONFLICT)
			}
			want := "Ann is the last active admin. Make someone else an admin first."
			if msg := ErrorMessage(err); msg != want {
				t.Errorf("message = %q, want %q", msg, want)
			}
		})
	}
}

func TestCheckDeactivate(t *testing.T) {
	admin := &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: true}
	otherAdmin := &User{ID: 2, Name: "Bea", Role: RoleAdmin, Active: true}
	se := &User{ID: 3, Name: "Cal", Role: RoleSE, Active: true}
	inactiveAdmin := &User{ID: 4, Name: "Dee", Role: RoleAdmin, Active: false}
	const (
		msgSelf = "You can't deactivate your own account. Ask another admin."
		msgLast = "Bea is the last active admin. Make someone else an admin first."
	)
	tests := []struct {
		name          string
		actor, target *User
		activeAdmins  int
		wantMsg       string // "" when allowed
	}{
		{"ErrSelf", admin, admin, 2, msgSelf},
		{"ErrSelfEvenAsNonAdmin", se, se, 1, msgSelf},
		{"ErrSelfSameIDOtherPointer", admin, &User{ID: 1, Name: "Ann", Role: RoleAdmin, Active: true}, 3, msgSelf},
		{"ErrLastActiveAdmin", admin, otherAdmin, 1, msgLast},
		{"ErrLastActiveAdminNilActor", nil, otherAdmin, 1, msgLast},
		{"ErrNoAdminsCounted", nil, otherAdmin, 0, msgLast},
		{"OKOtherAdminWhenTwo", admin, otherAdmin, 2, ""},
		{"OKNonAdmin", admin, se, 1, ""},
		{"OKNonAdminNilActor", nil, se, 1, ""},
		{"OKNilActorAnotherAdminRemains", nil, otherAdmin, 2, ""},
		{"OKAlreadyInactiveAdmin", admin, inactiveAdmin, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckDeactivate(tt.actor, tt.target, tt.activeAdmins)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("CheckDeactivate = %v, want nil", err)
				}
				return
			}
			if code := ErrorCode(err); code != ECONFLICT {
				t.Fatalf("CheckDeactivate = %v (code %q), want %q", err, code, ECONFLICT)
			}
			if msg := ErrorMessage(err); msg != tt.wantMsg {
				t.Errorf("message = %q, want %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestFieldErrors(t *testing.T) {
	t.Run("AddKeepsFirstMessage", func(t *testing.T) {
		fe := FieldErrors{}
		fe.Add("email", "first")
		fe.Add("email", "second")
		fe.Add("name", "other field")
		if fe["email"] != "first" || fe["name"] != "other field" || len(fe) != 2 {
			t.Errorf("fields = %q, want email=first name=other field", fe)
		}
	})
	t.Run("ErrNilWhenEmpty", func(t *testing.T) {
		if err := (FieldErrors{}).Err(); err != nil {
			t.Errorf("empty Err() = %v, want nil", err)
		}
		if err := FieldErrors(nil).Err(); err != nil {
			t.Errorf("nil Err() = %v, want nil", err)
		}
	})
	t.Run("ErrInvalidCarriesFields", func(t *testing.T) {
		fe := FieldErrors{}
		fe.Add("role", "Choose a role.")
		err := fe.Err()
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Err() = %T %v, want *Error", err, err)
		}
		if e.Code != EINVALID || e.Message != "Some fields need your attention." {
			t.Errorf("Err() = %+v", e)
		}
		if e.Fields["role"] != "Choose a role." || len(e.Fields) != 1 {
			t.Errorf("Fields = %q", e.Fields)
		}
	})
}

func TestInvalidFields(t *testing.T) {
	fields := map[string]string{"email": "Taken."}
	invalid := &Error{Code: EINVALID, Message: "Some fields need your attention.", Fields: fields}
	tests := []struct {
		name string
		err  error
		want map[string]string
	}{
		{"FieldsOfInvalid", invalid, fields},
		{"FieldsOfWrappedInvalid", fmt.Errorf("postgres: create user: %w", invalid), fields},
		{"FieldsOfFieldErrorsErr", FieldErrors{"email": "Taken."}.Err(), fields},
		{"NilForInvalidWithoutFields", Errorf(EINVALID, "bad"), nil},
		{"NilForOtherCodeEvenWithFields", &Error{Code: ECONFLICT, Message: "x", Fields: fields}, nil},
		{"NilForPlainError", errors.New("boom"), nil},
		{"NilForNil", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := InvalidFields(tt.err)
			if len(got) != len(tt.want) || (tt.want == nil) != (got == nil) {
				t.Fatalf("InvalidFields = %q, want %q", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("InvalidFields[%q] = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	const generic = "Something went wrong on our side. It has been logged; please try again."
	notFound := Errorf(ENOTFOUND, "No deal %d.", 42)
	tests := []struct {
		name     string
		err      error
		wantCode string
		wantMsg  string
	}{
		{"DomainError", notFound, ENOTFOUND, "No deal 42."},
		{"WrappedDomainError", fmt.Errorf("postgres: deal 42: %w", notFound), ENOTFOUND, "No deal 42."},
		{"DoublyWrappedDomainError", fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", Errorf(ECONFLICT, "Moved on."))), ECONFLICT, "Moved on."},
		{"JoinedDomainError", errors.Join(errors.New("first"), Errorf(EFORBIDDEN, "Not yours.")), EFORBIDDEN, "Not yours."},
		{"InternalForPlainError", errors.New(`pq: relation "users" does not exist`), EINTERNAL, generic},
		{"InternalForWrappedPlainError", fmt.Errorf("postgres: user 1: %w", errors.New("dial tcp 10.0.0.5:5432: connection refused")), EINTERNAL, generic},
		{"InternalForNonWrappedDomainError", fmt.Errorf("lost: %v", notFound), EINTERNAL, generic},
		{"EmptyForNil", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.err); got != tt.wantCode {
				t.Errorf("ErrorCode = %q, want %q", got, tt.wantCode)
			}
			msg := ErrorMessage(tt.err)
			if msg != tt.wantMsg {
				t.Errorf("ErrorMessage = %q, want %q", msg, tt.wantMsg)
			}
			if tt.wantCode == EINTERNAL {
				for _, leak := range []string{"pq:", "relation", "10.0.0.5", "postgres:", "lost:"} {
					if strings.Contains(msg, leak) {
						t.Errorf("ErrorMessage leaks %q: %q", leak, msg)
					}
				}
			}
		})
	}
	t.Run("ErrorStringHasCodeAndMessage", func(t *testing.T) {
		if got, want := notFound.Error(), "handoff: not_found: No deal 42."; got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	})
	t.Run("ErrorfFormatsMessage", func(t *testing.T) {
		e := Errorf(EINVALID, "%s has %d problems", "Ann", 2)
		if e.Code != EINVALID || e.Message != "Ann has 2 problems" || e.Fields != nil {
			t.Errorf("Errorf = %+v", e)
		}
	})
}
