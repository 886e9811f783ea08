package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

func TestAdminManagesAPITokens(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	env.CreateUser("Max Manager", "max@example.com", handoff.RoleManager)
	admin := env.Login("ada@example.com")
	if res := admin.Get("/admin/tokens"); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/tokens as admin: status %d, want 200", res.StatusCode)
	}

	res := admin.PostForm("/admin/tokens", url.Values{"name": {"Salesforce"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create: status %d", res.StatusCode)
	}
	token := strings.TrimSpace(res.Text(`[data-testid="api-token"]`))
	tok, err := env.DB.TokenByValue(context.Background(), token, servertest.Today())
	if err != nil || tok.Name != "Salesforce" || tok.CreatedByName != "Ada Admin" {
		t.Fatalf("shown token %q: %+v, %v", token, tok, err)
	}

	t.Run("ListShowsNameNotToken", func(t *testing.T) {
		res := admin.Get("/admin/tokens")
		if res.StatusCode != http.StatusOK || res.Text(`[data-testid="token-Salesforce"]`) == "" || strings.Contains(res.Body, token) {
			t.Errorf("status %d; list must name the token and never show it", res.StatusCode)
		}
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		if res := admin.PostForm("/admin/tokens", url.Values{"name": {"Salesforce"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("status %d, want 422", res.StatusCode)
		}
	})
	t.Run("OnlyAdmins", func(t *testing.T) {
		if res := env.Login("max@example.com").Get("/admin/tokens"); res.StatusCode != http.StatusNotFound {
			t.Errorf("manager: status %d, want 404", res.StatusCode)
		}
	})
	t.Run("RevokeEndsAccess", func(t *testing.T) {
		res := admin.PostForm("/admin/tokens/"+strconv.FormatInt(tok.ID, 10)+"/revoke", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: status %d, want 303", res.StatusCode)
		}
		if _, err := env.DB.TokenByValue(context.Background(), token, servertest.Today()); handoff.ErrorCode(err) != handoff.EUNAUTHORIZED {
			t.Errorf("revoked token: err = %v", err)
		}
	})
}
