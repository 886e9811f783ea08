package handoff

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a person does in Handoff; it decides their home page and what
// they may reach.
type Role string

// The four roles of docs/design.md, "People and roles".
const (
	RoleSE      Role = "se"
	RoleSA      Role = "sa"
	RoleManager Role = "manager"
	RoleAdmin   Role = "admin"
)

// Roles lists every role, in the order menus show them.
var Roles = []Role{RoleSE, RoleSA, RoleManager, RoleAdmin}

// ParseRole accepts a role's code ("se") case-insensitively.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Roles {
		if r == known {
			return r, true
		}
	}
	return "", false
}

// Label is the role's name as people say it.
func (r Role) Label() string {
	switch r {
	case RoleSE:
		return "Sales Engineer"
	case RoleSA:
		return "Solutions Architect"
	case RoleManager:
		return "Manager"
	case RoleAdmin:
		return "Admin"
	}
	return string(r)
}

// Short is the role's abbreviation for tight spaces.
func (r Role) Short() string {
	switch r {
	case RoleSE:
		return "SE"
	case RoleSA:
		return "SA"
	case RoleManager:
		return "Manager"
	case RoleAdmin:
		return "Admin"
	}
	return string(r)
}

// User is a person who logs in.
type User struct {
	ID             int64
	Email          string
	Name           string
	Role           Role
	Active         bool
	HasPassword    bool
	SessionVersion int
	LastLoginAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// NormalizeEmail trims and lower-cases an address, the form it is stored in.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// UserInput is what an admin (or the CLI) types to create a user.
type UserInput struct {
	Name  string
	Email string
	Role  string
}

// Validate normalises the input and returns per-field errors keyed name,
// email and role.
func (in *UserInput) Validate() (Role, error) {
	fe := FieldErrors{}
	in.Name = strings.TrimSpace(in.Name)
	in.Email = NormalizeEmail(in.Email)
	switch {
	case in.Name == "":
		fe.Add("name", "Enter the person's name.")
	case utf8.RuneCountInString(in.Name) > 200:
		fe.Add("name", "Keep the name under 200 characters.")
	}
	if err := ValidateEmail(in.Email); err != nil {
		fe.Add("email", ErrorMessage(err))
	}
	role, ok := ParseRole(in.Role)
	if !ok {
		fe.Add("role", "Choose a role: Sales Engineer, Solutions Architect, Manager or Admin.")
	}
	return role, fe.Err()
}

// ValidateEmail checks that s is one plain address such as ann@example.com.
func ValidateEmail(s string) error {
	if s == "" {
		return Errorf(EINVALID, "Enter an email address.")
	}
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || a.Address != s || at < 1 {
		return Errorf(EINVALID, "Enter an email address like name@company.com.")
	}
	if domain := s[at+1:]; !strings.Contains(domain, ".") && domain != "localhost" {
		return Errorf(EINVALID, "Enter an email address like name@company.com.")
	}
	if len(s) > MaxEmail {
		return Errorf(EINVALID, "That email address is too long.")
	}
	return nil
}
