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
	field := res.Doc().Find(`input[data-testid="api-token"]`)
	token, _ := field.Attr("value")
	tok, err := env.DB.TokenByValue(context.Background(), token, servertest.Today())
	if err != nil || tok.Name != "Salesforce" || tok.CreatedByName != "Ada Admin" {
		t.Fatalf("shown token %q: %+v, %v", token, tok, err)
	}

	t.Run("TokenIsSelectableWithACopyButton", func(t *testing.T) {
		if _, ro := field.Attr("readonly"); !ro {
			t.Error("the token field is not readonly")
		}
		btn := res.Doc().Find(`button[data-copy-target="api-token"]`)
		if _, hidden := btn.Attr("hidden"); btn.Length() != 1 || !hidden {
			t.Error("want one Copy button, hidden until its script runs")
		}
		src, _ := res.Doc().Find(`script[src]`).Attr("src")
		if !strings.HasPrefix(src, "/static/copy.") || res.Doc().Find(`script:not([src])`).Length() != 0 {
			t.Errorf("script %q: want only the external copy script (the CSP forbids inline script)", src)
		}
		if js := admin.Get(src); js.StatusCode != http.StatusOK || !strings.Contains(js.Body, "data-copy-target") {
			t.Errorf("GET %s = %d", src, js.StatusCode)
		}
	})
	t.Run("InTheAdminNav", func(t *testing.T) {
		nav := admin.Get("/admin/tokens").Doc().Find(`.site-nav a[href="/admin/tokens"]`)
		if cur, _ := nav.Attr("aria-current"); nav.Text() != "API tokens" || cur != "page" {
			t.Errorf("nav item %q aria-current=%q, want API tokens marked current", nav.Text(), cur)
		}
	})
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
