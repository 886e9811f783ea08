package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	env.CreateUser("Alex Chen", "alex@example.com", handoff.RoleSA)

	t.Run("WrongPasswordKeepsEmailAndSaysNothingSpecific", func(t *testing.T) {
		c := env.Client()
		wrong := c.PostForm("/login", url.Values{"email": {"Sam@Example.com"}, "password": {"not the password"}})
		unknown := c.PostForm("/login", url.Values{"email": {"nobody@example.com"}, "password": {"not the password"}})
		for _, res := range []*servertest.Response{wrong, unknown} {
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", res.StatusCode)
			}
		}
		if v, _ := wrong.Doc().Find("#f-email").Attr("value"); v != "Sam@Example.com" {
			t.Errorf("email field = %q, want what was typed", v)
		}
		if v, _ := wrong.Doc().Find("#f-password").Attr("value"); v != "" {
			t.Error("the password must never be echoed back")
		}
		if a, b := wrong.Text("#login-error"), unknown.Text("#login-error"); a == "" || a != b {
			t.Errorf("messages differ or are empty (%q vs %q): they must not reveal which accounts exist", a, b)
		}
	})

	t.Run("RightPasswordLandsOnRoleHomeWithSafeCookie", func(t *testing.T) {
		c := env.Client()
		res := c.PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/packs" {
			t.Fatalf("login = %d → %q, want 303 → the SE home /packs", res.StatusCode, res.Header.Get("Location"))
		}
		cookie := res.Header.Get("Set-Cookie")
		for _, want := range []string{"handoff_session=", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("Set-Cookie %q lacks %s", cookie, want)
			}
		}
		if strings.Contains(cookie, "Secure") {
			t.Error("Secure cookie on plain http would never be sent back")
		}
		home := c.Get("/")
		if home.Header.Get("Location") != "/packs" {
			t.Fatalf("/ → %q, want the SE home /packs", home.Header.Get("Location"))
		}
		if h1 := c.Get("/packs").Text("h1"); h1 != "My packs" {
			t.Errorf("SE home h1 = %q", h1)
		}
	})

	t.Run("TokenIsRenewedAtLogin", func(t *testing.T) {
		c := env.Login("alex@example.com")
		// Logging out leaves an anonymous session (it carries the flash)…
		before := sessionToken(c.PostForm("/logout", nil))
		// …which must not survive into the next login (session fixation).
		after := sessionToken(c.PostForm("/login", url.Values{"email": {"alex@example.com"}, "password": {servertest.Password}}))
		if before == "" || after == "" || before == after {
			t.Errorf("session token before login %q, after %q: it must change", before, after)
		}
	})

	t.Run("NextIsFollowedOnlyOnThisSite", func(t *testing.T) {
		// More hostile forms: TestLoginNextNeverLeavesTheSite.
		for next, want := range map[string]string{
			"/inbox?x=1":           "/inbox?x=1",
			"//evil.example/":      "/inbox",
			"https://evil.example": "/inbox",
			"/\\evil.example":      "/inbox",
		} {
			res := env.Client().PostForm("/login", url.Values{"email": {"alex@example.com"}, "password": {servertest.Password}, "next": {next}})
			if got := res.Header.Get("Location"); got != want {
				t.Errorf("next=%q → %q, want %q", next, got, want)
			}
		}
	})

	t.Run("VisitorIsBroughtBackAfterLogin", func(t *testing.T) {
		c := env.Client()
		res := c.Get("/inbox")
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Finbox" {
			t.Fatalf("anonymous /inbox → %d %q", res.StatusCode, loc)
		}
		next, _ := c.Get(loc).Doc().Find(`input[name="next"]`).Attr("value")
		if next != "/inbox" {
			t.Errorf("login form carries next=%q", next)
		}
	})

	t.Run("LogoutEndsTheSession", func(t *testing.T) {
		c := env.Login("sam@example.com")
		res := c.PostForm("/logout", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Fatalf("logout = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		page := c.Get("/login")
		if !strings.Contains(page.Text(".flash"), "logged out") {
			t.Errorf("no logged-out message: %q", page.Text(".flash"))
		}
		if res := c.Get("/packs"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after logout /packs = %d, want a redirect to log in", res.StatusCode)
		}
	})
}

func TestLoginFloodIsLimited(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	c := env.Client()

	// Failures for as many different accounts from one address…
	for i := range server.GuessAddr {
		res := c.PostForm("/login", url.Values{"email": {"guess" + strconv.Itoa(i) + "@example.com"}, "password": {"wrong password"}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	// …and the address is stopped, even with the right password.
	res := c.PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("attempt %d = %d, want 429", server.GuessAddr+1, res.StatusCode)
	}
	ra, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || ra < 1 || ra > 60 {
		t.Errorf("Retry-After = %q, want 1–60 seconds", res.Header.Get("Retry-After"))
	}
	if msg := res.Text("#login-error"); !strings.Contains(msg, "wait") || !strings.Contains(msg, "seconds") {
		t.Errorf("429 page does not say when to try again: %q", msg)
	}
	if v, _ := res.Doc().Find("#f-email").Attr("value"); v != "sam@example.com" {
		t.Errorf("email lost on the 429 page: %q", v)
	}
}

func TestLoginFloodOnOneAccountIsLimited(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	// Fresh clients (no cookies) from one address: the limit is on the
	// account and the address, kept in PostgreSQL, shared by every client and
	// every app instance.
	for range server.GuessAccountAddr {
		env.Client().PostForm("/login", url.Values{"email": {"SAM@example.com"}, "password": {"wrong password"}})
	}
	var n int
	if err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM login_failures WHERE key = 'email:sam@example.com'`).Scan(&n); err != nil || n != server.GuessAccountAddr {
		t.Fatalf("recorded failures for the account = %d (%v), want %d", n, err, server.GuessAccountAddr)
	}
	res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status = %d, want 429", res.StatusCode)
	}
}

func TestPasswordsAreStoredAsArgon2id(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	admin := env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	_ = admin
	c := env.Login("ada@example.com")
	c.PostForm("/admin/users", url.Values{"name": {"New Person"}, "email": {"new@example.com"}, "role": {"sa"}, "password": {"a long enough passphrase"}})
	rows, err := env.DB.Pool.Query(context.Background(), `SELECT password_hash FROM users WHERE password_hash IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$") || strings.Contains(h, "passphrase") {
			t.Errorf("stored hash %q is not an argon2id PHC string", h)
		}
		n++
	}
	if n != 2 {
		t.Errorf("hashes = %d, want 2", n)
	}
	// The schema itself refuses anything else.
	_, err = env.DB.Pool.Exec(context.Background(), `UPDATE users SET password_hash = 'plaintext'`)
	if err == nil {
		t.Error("the database accepted a non-argon2id password hash")
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)

	for name, hdr := range map[string][2]string{
		"ErrOtherOrigin":    {"Origin", "https://evil.example"},
		"ErrCrossSiteFetch": {"Sec-Fetch-Site", "cross-site"},
	} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/login", strings.NewReader("email=sam%40example.com&password=correct+horse+battery"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(hdr[0], hdr[1])
			res := env.Client().Do(req)
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("status = %d, want 403", res.StatusCode)
			}
			if !strings.Contains(res.Text("h1"), "refused") {
				t.Errorf("403 page heading = %q", res.Text("h1"))
			}
			if res.Header.Get("Set-Cookie") != "" {
				t.Error("a refused login must not start a session")
			}
		})
	}
	t.Run("SameOriginWorks", func(t *testing.T) {
		res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("same-origin login = %d, want 303", res.StatusCode)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	for _, path := range []string{"/login", "/healthz", "/nope"} {
		res := env.Client().Get(path)
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s CSP %q lacks %s", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s CSP allows inline code", path)
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
			if got := res.Header.Get(h); got != want {
				t.Errorf("%s %s = %q, want %q", path, h, got, want)
			}
		}
		if res.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s sends HSTS over plain http", path)
		}
	}
	// Pages carry no inline script or style for the CSP to block.
	body := env.Client().Get("/login").Body
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") || strings.Contains(body, "<style") {
		t.Error("login page has inline script or style")
	}
}

func TestDeactivatedUserIsThrownOut(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	samClient := env.Login("sam@example.com")
	if res := samClient.Get("/packs"); res.StatusCode != http.StatusOK {
		t.Fatalf("before: %d", res.StatusCode)
	}

	admin := env.Login("ada@example.com")
	res := admin.PostForm("/admin/users/"+strconv.FormatInt(sam.ID, 10)+"/deactivate", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d\n%s", res.StatusCode, res.Body)
	}
	if res := samClient.Get("/packs"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("deactivated user's next request = %d %q, want a redirect to log in", res.StatusCode, res.Header.Get("Location"))
	}
	if res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("deactivated user could log in again: %d", res.StatusCode)
	}
}

func sessionToken(res *servertest.Response) string {
	for _, c := range res.Cookies() {
		if c.Name == "handoff_session" {
			return c.Value
		}
	}
	return ""
}

func TestHTTPSTurnsOnSecureCookiesAndHSTS(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, servertest.WithBaseURL("https://handoff.example.com"))
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}})
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") {
		t.Errorf("Set-Cookie %q lacks Secure under https", res.Header.Get("Set-Cookie"))
	}
	if !strings.Contains(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS under https")
	}
}

// Parallel guesses must not slip past the count: the limit is checked and the
// attempt recorded in one locked step.
func TestParallelLoginFloodIsLimited(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	var wg sync.WaitGroup
	codes := make([]int, 40)
	for i := range codes {
		wg.Go(func() {
			codes[i] = env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {"guess " + strconv.Itoa(i)}}).StatusCode
		})
	}
	wg.Wait()
	checked := 0
	for _, c := range codes {
		switch c {
		case http.StatusUnauthorized:
			checked++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("unexpected status %d", c)
		}
	}
	if checked != server.GuessAccountAddr {
		t.Errorf("%d passwords were checked, want exactly the limit of %d", checked, server.GuessAccountAddr)
	}
}

func TestIdleSessionsEnd(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	c := env.Login("sam@example.com")
	env.Advance(11 * time.Hour)
	if res := c.Get("/packs"); res.StatusCode != http.StatusOK {
		t.Fatalf("after 11 idle hours = %d, want the page", res.StatusCode)
	}
	env.Advance(11 * time.Hour) // 11 h since the last request: still within the idle limit
	if res := c.Get("/packs"); res.StatusCode != http.StatusOK {
		t.Fatalf("active session ended: %d", res.StatusCode)
	}
	env.Advance(13 * time.Hour)
	if res := c.Get("/packs"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("after 13 idle hours = %d %q, want a redirect to log in", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestPageLoadsDoNotRewriteTheSession(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	c := env.Login("sam@example.com")
	for range 3 {
		if res := c.Get("/packs"); res.Header.Get("Set-Cookie") != "" {
			t.Fatal("a plain page load rewrote the session")
		}
	}
}

func TestAccountShowsComingReminders(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	// Sam's pack (Closed-Won 2026-11-25) is due 2026-12-03: a reminder is coming.
	got := e.Login("sam@example.com").Get("/account").Text("[data-testid=reminders]")
	if !strings.Contains(got, "Acme Corp") {
		t.Errorf("reminders = %q, want one about Acme Corp", got)
	}
	if got := e.Login("jordan@example.com").Get("/account").Text("[data-testid=reminders]"); strings.Contains(got, "Acme") {
		t.Errorf("an SA with no packs is told of another's pack: %q", got)
	}
}
