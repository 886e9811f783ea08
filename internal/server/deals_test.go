package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// TestDealRecordersAgree: who reaches the deal form in the route table is who
// handoff.CanCreateDealFor lets record a deal (docs/design.md, "People and roles", §7: an SE for
// themself or a manager; not an admin, not an SA).
func TestDealRecordersAgree(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	rules := env.App.RouteRules()
	for _, role := range handoff.Roles {
		u := &handoff.User{ID: 42, Role: role, Active: true}
		domain := handoff.CanCreateDealFor(u, u.ID) // an SE records only for themself
		for _, key := range []string{"GET /deals/new", "POST /deals"} {
			rule, ok := rules[key]
			if !ok {
				t.Fatalf("no rule for %s", key)
			}
			if routed := !rule.Public && slices.Contains(rule.Roles, role); routed != domain {
				t.Errorf("%s reaches %s: %v; handoff.CanCreateDealFor says %v", role, key, routed, domain)
			}
		}
	}

	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	env.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	deal := url.Values{"account_name": {"Globex"}, "opportunity_name": {"G"}, "segment": {"commercial"},
		"arr": {"1000"}, "closed_won_on": {"2026-11-20"}, "se_id": {strconv.FormatInt(sam.ID, 10)}}

	t.Run("ErrAdminFindsNoDealForm", func(t *testing.T) {
		ada := env.Login("ada@example.com")
		if got := ada.Get("/deals/new").StatusCode; got != http.StatusNotFound {
			t.Errorf("GET /deals/new as admin = %d, want 404", got)
		}
		if got := ada.PostForm("/deals", deal).StatusCode; got != http.StatusNotFound {
			t.Errorf("POST /deals as admin = %d, want 404", got)
		}
		var n int
		if err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d deals stored from an admin's post", n)
		}
	})
	t.Run("ManagerRecordsForAnSE", func(t *testing.T) {
		morgan := env.Login("morgan@example.com")
		if got := morgan.Get("/deals/new").StatusCode; got != http.StatusOK {
			t.Errorf("GET /deals/new as manager = %d, want 200", got)
		}
		if res := morgan.PostForm("/deals", deal); res.StatusCode != http.StatusSeeOther {
			t.Errorf("POST /deals as manager = %d, want 303\n%s", res.StatusCode, res.Body)
		}
	})
}

// TestDealPeopleMustBeActiveInTheirRole: the deal form names as SE and SA
// only active people in those roles (handoff.CheckAssignee), and keeps what
// was typed when it refuses one.
func TestDealPeopleMustBeActiveInTheirRole(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	admin := env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	env.CreateUser("Morgan Lee", "morgan@example.com", handoff.RoleManager)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	alex := env.CreateUser("Alex Chen", "alex@example.com", handoff.RoleSA)
	gone := env.CreateUser("Gone Person", "gone@example.com", handoff.RoleSE)
	if _, err := env.DB.SetUserActive(context.Background(), admin, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	morgan := env.Login("morgan@example.com")
	id := func(u *handoff.User) string { return strconv.FormatInt(u.ID, 10) }
	form := func(se, sa string) url.Values {
		return url.Values{"account_name": {"Globex"}, "opportunity_name": {"G"}, "segment": {"commercial"},
			"arr": {"1000"}, "closed_won_on": {"2026-11-20"}, "se_id": {se}, "sa_id": {sa}}
	}
	for _, tt := range []struct {
		name, se, sa, field, want string
	}{
		{"ErrInactiveSE", id(gone), "", "se_id", "Choose an active Sales Engineer from the list."},
		{"ErrSAAsSE", id(alex), "", "se_id", "Choose an active Sales Engineer from the list."},
		{"ErrUnknownSE", "999999", "", "se_id", "Choose an active Sales Engineer from the list."},
		{"ErrSEAsSA", id(sam), id(sam), "sa_id", "Choose an active Solutions Architect from the list."},
		{"ErrInactiveSEAsSA", id(sam), id(gone), "sa_id", "Choose an active Solutions Architect from the list."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := morgan.PostForm("/deals", form(tt.se, tt.sa))
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422", res.StatusCode)
			}
			if got := res.Text("#f-" + tt.field + "-error"); got != tt.want {
				t.Errorf("message beside %s = %q, want %q", tt.field, got, tt.want)
			}
			if v, _ := res.Doc().Find("#f-account_name").Attr("value"); v != "Globex" {
				t.Errorf("account lost: %q", v)
			}
		})
	}
	t.Run("OKActiveSEAndSA", func(t *testing.T) {
		if res := morgan.PostForm("/deals", form(id(sam), id(alex))); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303\n%s", res.StatusCode, res.Body)
		}
	})
	var n int
	if err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("deals stored = %d, want only the valid one", n)
	}
}
