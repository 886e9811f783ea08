package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

func userPath(u *handoff.User, action string) string {
	p := "/admin/users/" + strconv.FormatInt(u.ID, 10)
	if action != "" {
		p += "/" + action
	}
	return p
}

func TestAdminCreatesUsers(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	admin := env.Login("ada@example.com")

	t.Run("WithPassword", func(t *testing.T) {
		res := admin.PostForm("/admin/users", url.Values{"name": {"Priya Shah"}, "email": {" Priya@Example.com "}, "role": {"se"}, "password": {"a long enough passphrase"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
		}
		page := admin.Get(res.Header.Get("Location"))
		if !strings.Contains(page.Text(".flash"), "priya@example.com") {
			t.Errorf("flash = %q", page.Text(".flash"))
		}
		if res := env.Client().PostForm("/login", url.Values{"email": {"priya@example.com"}, "password": {"a long enough passphrase"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("new user cannot log in: %d", res.StatusCode)
		}
	})

	t.Run("BadInputKeepsWhatWasTyped", func(t *testing.T) {
		res := admin.PostForm("/admin/users", url.Values{"name": {"  "}, "email": {"not-an-email"}, "role": {"pilot"}, "password": {"short"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", res.StatusCode)
		}
		doc := res.Doc()
		for _, f := range []string{"name", "email", "role", "password"} {
			if doc.Find("#f-"+f+"-error").Length() != 1 {
				t.Errorf("no message beside %s", f)
			}
		}
		if v, _ := doc.Find("#f-email").Attr("value"); v != "not-an-email" {
			t.Errorf("email value = %q, want what was typed", v)
		}
		var n int
		if err := env.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = 'not-an-email'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Error("an invalid user was stored")
		}
	})

	t.Run("ErrDuplicateEmailAnyCase", func(t *testing.T) {
		res := admin.PostForm("/admin/users", url.Values{"name": {"Other Ada"}, "email": {"ADA@example.com"}, "role": {"sa"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", res.StatusCode)
		}
		if msg := res.Text("#f-email-error"); !strings.Contains(msg, "already") {
			t.Errorf("email error = %q", msg)
		}
		if v, _ := res.Doc().Find("#f-name").Attr("value"); v != "Other Ada" {
			t.Errorf("name lost: %q", v)
		}
	})

	t.Run("WithOneTimeLink", func(t *testing.T) {
		res := admin.PostForm("/admin/users", url.Values{"name": {"Jordan Park"}, "email": {"jordan@example.com"}, "role": {"sa"}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("create = %d", res.StatusCode)
		}
		link := res.Text(`[data-testid="set-password-link"]`)
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/set-password/") {
			t.Fatalf("link = %q", link)
		}
		// The invitee has no password yet, so cannot log in.
		if r := env.Client().PostForm("/login", url.Values{"email": {"jordan@example.com"}, "password": {"anything at all here"}}); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("invitee logged in without a password: %d", r.StatusCode)
		}
		jordan := env.Client()
		if h := jordan.Get(u.Path).Text("h1"); h != "Choose your password" {
			t.Fatalf("set-password page h1 = %q", h)
		}
		bad := jordan.PostForm(u.Path, url.Values{"password": {"a long enough passphrase"}, "confirm": {"a different passphrase"}})
		if bad.StatusCode != http.StatusUnprocessableEntity || bad.Text("#f-confirm-error") == "" {
			t.Fatalf("mismatched confirmation = %d %q", bad.StatusCode, bad.Text("#f-confirm-error"))
		}
		ok := jordan.PostForm(u.Path, url.Values{"password": {"a long enough passphrase"}, "confirm": {"a long enough passphrase"}})
		if ok.StatusCode != http.StatusSeeOther {
			t.Fatalf("set password = %d", ok.StatusCode)
		}
		if loc := jordan.Get("/").Header.Get("Location"); loc != "/inbox" {
			t.Errorf("after setting a password the SA lands on %q, want /inbox", loc)
		}
		if again := env.Client().Get(u.Path); again.StatusCode != http.StatusNotFound {
			t.Errorf("a used link still works: %d", again.StatusCode)
		}
	})
}

func TestAdminSearchesUsers(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	env.CreateUser("Priya Shah", "priya@corp.example", handoff.RoleSE)
	admin := env.Login("ada@example.com")

	for q, want := range map[string]int{"": 3, "riv": 1, "CORP": 1, "%": 0, "zzz": 0} {
		doc := admin.Get("/admin/users?q=" + url.QueryEscape(q)).Doc()
		if got := doc.Find("tbody tr").Length(); got != want {
			t.Errorf("q=%q: %d rows, want %d", q, got, want)
		}
	}
}

func TestAdminChangesRolesButNeverTheLastAdmin(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	ada := env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	admin := env.Login("ada@example.com")

	res := admin.PostForm(userPath(sam, "role"), url.Values{"role": {"manager"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change = %d", res.StatusCode)
	}
	if loc := env.Login("sam@example.com").Get("/").Header.Get("Location"); loc != "/overdue" {
		t.Errorf("Sam, now a manager, lands on %q", loc)
	}

	res = admin.PostForm(userPath(ada, "role"), url.Values{"role": {"se"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text(".flash-error, .field-error"), "last active admin") {
		t.Fatalf("demoting the last admin = %d %q", res.StatusCode, res.Text(".field-error"))
	}
	res = admin.PostForm(userPath(ada, "deactivate"), nil)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("self-deactivation = %d, want 409", res.StatusCode)
	}
	if res := admin.PostForm(userPath(sam, "role"), url.Values{"role": {"wizard"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown role = %d, want 422", res.StatusCode)
	}
}

// Two admins demoting each other at the same moment: the row locks let exactly
// one win, so the org always keeps an admin.
func TestConcurrentDemotionsKeepAnAdmin(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	a := env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	b := env.CreateUser("Bo Admin", "bo@example.com", handoff.RoleAdmin)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, u := range []*handoff.User{a, b} {
		wg.Go(func() { _, errs[i] = env.DB.SetUserRole(ctx, u.ID, handoff.RoleSE) })
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("errors = %v; exactly one demotion must succeed", errs)
	}
	var admins int
	if err := env.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND active`).Scan(&admins); err != nil || admins != 1 {
		t.Fatalf("active admins = %d (%v), want 1", admins, err)
	}
}

func TestAdminResetsPasswords(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	samClient := env.Login("sam@example.com")
	admin := env.Login("ada@example.com")

	if res := admin.PostForm(userPath(sam, "password"), url.Values{"password": {"short"}}); res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-password-error") == "" {
		t.Fatalf("weak reset = %d", res.StatusCode)
	}
	res := admin.PostForm(userPath(sam, "password"), url.Values{"password": {"a brand new passphrase"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset = %d", res.StatusCode)
	}
	if res := samClient.Get("/packs"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Sam's old session survived a password reset: %d", res.StatusCode)
	}
	if res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {"a brand new passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("new password does not work: %d", res.StatusCode)
	}
	// Reactivation round trip.
	if res := admin.PostForm(userPath(sam, "deactivate"), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d", res.StatusCode)
	}
	if res := admin.PostForm(userPath(sam, "activate"), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate = %d", res.StatusCode)
	}
	if res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {"a brand new passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("reactivated user cannot log in: %d", res.StatusCode)
	}
}

func TestEveryoneChangesTheirOwnPassword(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	c := env.Login("sam@example.com")
	other := env.Login("sam@example.com")

	res := c.PostForm("/account/password", url.Values{"current": {"wrong"}, "password": {"short"}, "confirm": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-current-error") == "" || res.Text("#f-password-error") == "" {
		t.Fatalf("bad change = %d current=%q new=%q", res.StatusCode, res.Text("#f-current-error"), res.Text("#f-password-error"))
	}
	res = c.PostForm("/account/password", url.Values{"current": {servertest.Password}, "password": {"sam@example.com and more"}, "confirm": {"sam@example.com and more"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("password containing the email accepted: %d", res.StatusCode)
	}
	res = c.PostForm("/account/password", url.Values{"current": {servertest.Password}, "password": {"my new long passphrase"}, "confirm": {"my new long passphrase"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change = %d\n%s", res.StatusCode, res.Body)
	}
	if res := c.Get("/account"); res.StatusCode != http.StatusOK || !strings.Contains(res.Text(".flash"), "changed") {
		t.Errorf("this session should continue with a confirmation: %d %q", res.StatusCode, res.Text(".flash"))
	}
	if res := other.Get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other session should have ended: %d", res.StatusCode)
	}
}

func TestSetPasswordTokenNeverReachesTheLogs(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	res := env.Login("ada@example.com").PostForm("/admin/users", url.Values{"name": {"Jo Park"}, "email": {"jo@example.com"}, "role": {"sa"}})
	link, _ := url.Parse(res.Text(`[data-testid="set-password-link"]`))
	token := strings.TrimPrefix(link.Path, "/set-password/")
	if token == "" {
		t.Fatal("no token")
	}
	c := env.Client()
	c.Get(link.Path)
	c.PostForm(link.Path, url.Values{"password": {"short"}})
	if strings.Contains(env.Logs(), token) {
		t.Fatal("the one-time token was logged")
	}
	if !strings.Contains(env.Logs(), "/set-password/{token}") {
		t.Error("the set-password requests were not logged at all")
	}
}

func TestPeopleWithOpenPacksKeepTheirRole(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	sam := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	env.CreatePack("Acme", sam, nil, "2026-11-20")
	admin := env.Login("ada@example.com")
	for _, tc := range []struct {
		action string
		form   url.Values
	}{{"role", url.Values{"role": {"sa"}}}, {"deactivate", nil}} {
		res := admin.PostForm(userPath(sam, tc.action), tc.form)
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text(".flash-error, .field-error"), "open pack") {
			t.Errorf("%s with an open pack = %d %q", tc.action, res.StatusCode, res.Text(".flash-error, .field-error"))
		}
	}
	if u, err := env.DB.User(context.Background(), sam.ID); err != nil {
		t.Fatal(err)
	} else if u.Role != handoff.RoleSE || !u.Active {
		t.Errorf("Sam changed anyway: %+v", u)
	}
}

func TestSearchWithUnstorableTextIsNotA500(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Ada Admin", "ada@example.com", handoff.RoleAdmin)
	admin := env.Login("ada@example.com")
	for _, q := range []string{"a%00b", "%FF%FE"} {
		if res := admin.Get("/admin/users?q=" + q); res.StatusCode != http.StatusOK {
			t.Errorf("search %s = %d, want 200", q, res.StatusCode)
		}
	}
}
