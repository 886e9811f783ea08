package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// hostileNext are next targets an attacker could put in a login link; each is,
// or becomes in a browser or after path cleaning, a way off this site.
var hostileNext = []string{
	"/./\\evil.example",
	"//x",
	"/\\x",
	"/./\\x",
	"/%2F/x",
	"%2F%2Fx",
	"\\\\x",
	"/%09/x",
	"/\t/x",
	"/\n/x",
	"/\r\nLocation: //evil.example",
	"https:x",
	"javascript:x",
	"http://127.0.0.1/inbox",
	"https://evil.example/inbox",
	"//evil.example/",
	"/%5Cx",
	"/.//x",
	"///x",
	"/%2e%2e//x",
}

// assertSitePath fails unless loc, read the way a browser reads it (a
// backslash is a slash; tabs and newlines vanish), is a path on base's host.
func assertSitePath(t *testing.T, base, next, loc string) {
	t.Helper()
	b, _ := url.Parse(base + "/login")
	u, err := b.Parse(strings.NewReplacer("\\", "/", "\t", "", "\n", "", "\r", "").Replace(loc))
	if err != nil || u.Host != b.Host || u.Scheme != b.Scheme || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
		t.Errorf("next=%q → Location %q, which leaves the site", next, loc)
	}
}

// The probe's finding: with a session, GET /login?next=%2F.%2F%5Cevil.example
// answered Location: /\evil.example, which browsers follow to evil.example.
func TestLoginNextNeverLeavesTheSite(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Alex Chen", "alex@example.com", handoff.RoleSA)
	base := env.Server.URL

	t.Run("GetWithSessionGoesHome", func(t *testing.T) {
		c := env.Login("alex@example.com")
		for _, next := range hostileNext {
			res := c.Get("/login?next=" + url.QueryEscape(next))
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || loc != "/inbox" {
				t.Errorf("next=%q → %d %q, want 303 to the SA home /inbox", next, res.StatusCode, loc)
			}
			assertSitePath(t, base, next, loc)
		}
		if loc := c.Get("/login?next=%2F.%2F%5Cevil.example").Header.Get("Location"); loc != "/inbox" {
			t.Errorf("the probe's own request → %q, want /inbox", loc)
		}
	})

	t.Run("PostGoesHome", func(t *testing.T) {
		for _, next := range hostileNext {
			res := env.Client().PostForm("/login", url.Values{"email": {"alex@example.com"}, "password": {servertest.Password}, "next": {next}})
			loc := res.Header.Get("Location")
			if res.StatusCode != http.StatusSeeOther || loc != "/inbox" {
				t.Errorf("next=%q → %d %q, want 303 to the SA home /inbox", next, res.StatusCode, loc)
			}
			assertSitePath(t, base, next, loc)
		}
	})

	t.Run("FormDoesNotCarryIt", func(t *testing.T) {
		for _, next := range hostileNext {
			res := env.Client().Get("/login?next=" + url.QueryEscape(next))
			if v, _ := res.Doc().Find(`input[name="next"]`).Attr("value"); v != "" {
				t.Errorf("next=%q: the login form carries %q on", next, v)
			}
		}
	})

	t.Run("OwnPathsAreFollowed", func(t *testing.T) {
		for _, next := range []string{"/inbox?x=1", "/account", "/packs/12#doc-business"} {
			c := env.Client()
			form, _ := c.Get("/login?next=" + url.QueryEscape(next)).Doc().Find(`input[name="next"]`).Attr("value")
			res := c.PostForm("/login", url.Values{"email": {"alex@example.com"}, "password": {servertest.Password}, "next": {form}})
			if loc := res.Header.Get("Location"); loc != next {
				t.Errorf("next=%q → %q, want it followed", next, loc)
			}
		}
	})
}
