// Package demo seeds a believable demo organisation so a new install (make run)
// has people to log in as. It is used only when HANDOFF_DEMO=1.
package demo

import (
	"context"
	"fmt"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Password is every demo person's password. It is public: never seed a demo
// org into a production database.
const Password = "handoff-demo-pass"

// Person is one demo login.
type Person struct {
	Name  string
	Email string
	Role  handoff.Role
}

// People are the demo org: an admin, a manager, two SEs and two SAs.
var People = []Person{
	{"Ada Admin", "admin@example.com", handoff.RoleAdmin},
	{"Morgan Lee", "manager@example.com", handoff.RoleManager},
	{"Sam Rivera", "sam.se@example.com", handoff.RoleSE},
	{"Priya Shah", "priya.se@example.com", handoff.RoleSE},
	{"Alex Chen", "alex.sa@example.com", handoff.RoleSA},
	{"Jordan Park", "jordan.sa@example.com", handoff.RoleSA},
}

// SeedOrg creates the demo people when the database has no users, and reports
// whether it did.
func SeedOrg(ctx context.Context, db *postgres.DB, h password.Hasher) (bool, error) {
	users := make([]postgres.NewUser, 0, len(People))
	for _, p := range People {
		hash, err := h.Hash(Password)
		if err != nil {
			return false, err
		}
		users = append(users, postgres.NewUser{Email: p.Email, Name: p.Name, Role: p.Role, PasswordHash: hash})
	}
	seeded, err := db.SeedUsers(ctx, users)
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	return seeded, nil
}
