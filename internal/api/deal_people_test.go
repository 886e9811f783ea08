package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
)

// TestDealPeopleMustBeActiveInTheirRole: the API names as SE and SA only
// active people in those roles (handoff.CheckAssignee, as the deal form).
func TestDealPeopleMustBeActiveInTheirRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	admin := e.CreateUser("Ada Admin", "ada@acme.example", handoff.RoleAdmin)
	gone := e.CreateUser("Gone SE", "gone@acme.example", handoff.RoleSE)
	if _, err := e.DB.SetUserActive(context.Background(), admin, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, se, sa, field, want string
	}{
		{"ErrInactiveSE", "gone@acme.example", "sa@acme.example", "se_email", "No active Sales Engineer has this email address."},
		{"ErrSAAsSE", "sa@acme.example", "sa@acme.example", "se_email", "No active Sales Engineer has this email address."},
		{"ErrAdminAsSA", "se@acme.example", "ada@acme.example", "sa_email", "No active Solutions Architect has this email address."},
		{"ErrInactiveSEAsSA", "se@acme.example", "gone@acme.example", "sa_email", "No active Solutions Architect has this email address."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.NewReplacer(`"se_email":"se@acme.example"`, `"se_email":"`+tt.se+`"`,
				`"sa_email":"sa@acme.example"`, `"sa_email":"`+tt.sa+`"`).Replace(closedWon)
			res := e.do(t, http.MethodPost, "/deals", e.token, body)
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", res.status, res.body)
			}
			var p problemJSON
			res.decode(t, &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Message != tt.want {
				t.Errorf("errors = %+v, want %s: %q", p.Errors, tt.field, tt.want)
			}
		})
	}
	if n := countDeals(t, e); n != 0 {
		t.Errorf("deals = %d, want 0", n)
	}
}
