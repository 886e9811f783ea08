package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server"
)

// An admin lets go of the identity an account is linked to when the
// provider made the same person anew: that person's sign-in, refused until
// then, links the account again.
func TestSSOAdminUnlink(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	lee := e.CreateUser("Lee Admin", "lee@example.com", handoff.RoleAdmin)
	admin := e.Login("lee@example.com")
	annSession := e.mustSignIn(annSA, "/inbox")
	ann, _ := e.user("ann.archer@example.com")
	remade := annSA
	remade.sub = "00u-ann-remade"
	if res := e.signIn(e.Client(), remade, ""); res.StatusCode != http.StatusConflict {
		t.Fatalf("sign-in as a new identity = %d, want 409 until an admin unlinks", res.StatusCode)
	}

	t.Run("PageSaysLinkedAndOffersUnlink", func(t *testing.T) {
		card := admin.Get(userPath(ann, "")).Doc().Find(`[data-testid="user-sso"]`)
		if !strings.Contains(card.Text(), "Linked to Ann Archer's Okta identity") {
			t.Errorf("card says %q", card.Text())
		}
		if card.Find(`form[action="`+userPath(ann, "unlink-sso")+`"] button`).Length() != 1 {
			t.Error("no Unlink single sign-on button")
		}
	})

	t.Run("NotOnOnesOwnAccount", func(t *testing.T) {
		// Lee signs in with Okta too, and looks at their own page.
		e.mustSignIn(person{sub: "00u-lee", email: "lee@example.com", name: "Lee Admin", verified: true, groups: []string{"handoff-admins"}}, "/admin")
		if n := admin.Get(userPath(lee, "")).Doc().Find(`form[action$="/unlink-sso"]`).Length(); n != 0 {
			t.Error("an admin is offered to unlink their own account")
		}
		res := admin.PostForm(userPath(lee, "unlink-sso"), nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text(".flash"), "can't unlink your own account") {
			t.Errorf("own unlink = %d, %q", res.StatusCode, res.Text(".flash"))
		}
	})

	t.Run("UnlinkEndsSessionsAndLetsTheNewIdentityIn", func(t *testing.T) {
		res := admin.PostForm(userPath(ann, "unlink-sso"), nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != userPath(ann, "") {
			t.Fatalf("unlink = %d → %q", res.StatusCode, res.Header.Get("Location"))
		}
		if msg := admin.Get(userPath(ann, "")).Text(".flash"); !strings.Contains(msg, "Ann Archer is no longer linked to Okta") {
			t.Errorf("flash = %q", msg)
		}
		if !loggedOut(annSession) {
			t.Error("the old identity's session lives on")
		}
		e.mustSignIn(remade, "/inbox")
		if u, _ := e.user("ann.archer@example.com"); u.ID != ann.ID || countUsers(t, e) != 2 {
			t.Errorf("the new identity did not get Ann's account")
		}
		if !strings.Contains(e.Logs(), "user unlinked from single sign-on") {
			t.Error("the unlink is not logged")
		}
	})

	t.Run("NothingToUnlink", func(t *testing.T) {
		sam := e.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
		if !strings.Contains(admin.Get(userPath(sam, "")).Text(`[data-testid="user-sso"]`), "Not linked yet") {
			t.Error("an unlinked account is not said to be so")
		}
		admin.PostForm(userPath(sam, "unlink-sso"), nil)
		if msg := admin.Get(userPath(sam, "")).Text(".flash"); !strings.Contains(msg, "nothing to unlink") {
			t.Errorf("flash = %q", msg)
		}
	})
}

// With password login off, the admin pages offer no password or
// set-password link (they would be refused when used), and say how people
// sign in instead.
func TestSSOAdminWithPasswordLoginOff(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t, func(c *server.Config) { c.NoPasswordLogin = true })
	admin := e.mustSignIn(person{sub: "00u-pat", email: "pat@example.com", name: "Pat Kim", verified: true, groups: []string{"handoff-admins"}}, "/admin")
	sam := e.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	_, samHash := e.user("sam@example.com")

	t.Run("NewUserFormHasNoPassword", func(t *testing.T) {
		doc := admin.Get("/admin/users/new").Doc()
		if doc.Find(`#f-password`).Length() != 0 {
			t.Error("the form asks for a password")
		}
		if !strings.Contains(doc.Text(), "They will sign in with Okta using this email address") {
			t.Error("the form does not say how they will sign in")
		}
	})

	t.Run("CreatedUserSignsInWithTheProvider", func(t *testing.T) {
		res := admin.PostForm("/admin/users", url.Values{"name": {"Jo Park"}, "email": {"jo@example.com"}, "role": {"sa"}})
		jo, _ := e.user("jo@example.com")
		if jo == nil || res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != userPath(jo, "") {
			t.Fatalf("create = %d → %q (%+v), want 303 to their page", res.StatusCode, res.Header.Get("Location"), jo)
		}
		page := admin.Get(userPath(jo, ""))
		if msg := page.Text(".flash"); !strings.Contains(msg, "They sign in with Okta as jo@example.com") {
			t.Errorf("flash = %q", msg)
		}
		if page.Doc().Find(`[data-testid="set-password-link"]`).Length() != 0 {
			t.Error("a set-password link was made")
		}
	})

	t.Run("ErrPostedPasswordRefused", func(t *testing.T) {
		res := admin.PostForm("/admin/users", url.Values{"name": {"Kim Lee"}, "email": {"kim@example.com"}, "role": {"se"}, "password": {"a long enough passphrase"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text(".flash"), "Password login is off") {
			t.Errorf("create with a password = %d, %q", res.StatusCode, res.Text(".flash"))
		}
		if u, _ := e.user("kim@example.com"); u != nil {
			t.Error("the person was added anyway")
		}
	})

	t.Run("UserPageHasNoPasswordControls", func(t *testing.T) {
		doc := admin.Get(userPath(sam, "")).Doc()
		if doc.Find(`form[action="`+userPath(sam, "password")+`"]`).Length() != 0 {
			t.Error("the page offers a password reset")
		}
		if doc.Find(`[data-testid="user-sso"] [data-testid="password-off"]`).Length() != 1 {
			t.Error("the page does not say passwords are off")
		}
	})

	t.Run("ErrPasswordResetRefused", func(t *testing.T) {
		for _, form := range []url.Values{nil, {"password": {"a long new passphrase"}}} {
			res := admin.PostForm(userPath(sam, "password"), form)
			if res.StatusCode != http.StatusConflict || !strings.Contains(res.Text(".flash"), "Password login is off, so Handoff passwords and set-password links are not used: people sign in with Okta.") {
				t.Errorf("reset %v = %d, %q", form, res.StatusCode, res.Text(".flash"))
			}
			if res.Doc().Find(`[data-testid="set-password-link"]`).Length() != 0 {
				t.Error("a set-password link was shown")
			}
		}
		if u, hash := e.user("sam@example.com"); hash != samHash || u.SessionVersion != sam.SessionVersion {
			t.Error("the password or sessions changed")
		}
	})
}

// With password login on beside single sign-on, nothing of the password
// controls goes away.
func TestSSOAdminWithPasswordLoginOn(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	e.CreateUser("Lee Admin", "lee@example.com", handoff.RoleAdmin)
	admin := e.Login("lee@example.com")
	if admin.Get("/admin/users/new").Doc().Find(`#f-password`).Length() != 1 {
		t.Error("the new-person form lost its password field")
	}
	sam := e.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	doc := admin.Get(userPath(sam, "")).Doc()
	if doc.Find(`form[action="`+userPath(sam, "password")+`"]`).Length() != 1 || doc.Find(`[data-testid="password-off"]`).Length() != 0 {
		t.Error("the user page lost its password reset")
	}
}
