package main

import (
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// idpUser is a person at the test's identity provider, with a name claim
// (mockoidc's own users have none).
type idpUser struct {
	sub, email, name string
	groups           []string
}

func (u idpUser) ID() string { return u.sub }

func (u idpUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": u.sub})
}

func (u idpUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	c := jwt.MapClaims{}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	c["email"], c["email_verified"], c["name"], c["groups"] = u.email, true, u.name, u.groups
	return c, nil
}

// freeAddr is a loopback address nothing listens on: the server must know
// its own URL before it starts, because the provider sends people back to
// HANDOFF_BASE_URL/auth/oidc/callback.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Single sign-on in a real browser, on the real program configured through
// HANDOFF_OIDC_* with password login off: the login page offers only the
// provider; a click goes through the provider's authorize endpoint and back,
// onto the page the person was going to, signed in with the role their
// group gives. Someone in no mapped group is told so and let in nowhere.
func TestBrowserSSOJourney(t *testing.T) {
	t.Parallel()
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = idp.Shutdown() })
	addr := freeAddr(t)
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{
		"HANDOFF_ADDR":               addr,
		"HANDOFF_BASE_URL":           "http://" + addr,
		"HANDOFF_OIDC_ISSUER":        idp.Issuer(),
		"HANDOFF_OIDC_CLIENT_ID":     idp.ClientID,
		"HANDOFF_OIDC_CLIENT_SECRET": idp.ClientSecret,
		"HANDOFF_OIDC_NAME":          "Okta",
		"HANDOFF_OIDC_ROLE_GROUPS":   "admin=handoff-admins,manager=handoff-managers,sa=handoff-sa,se=handoff-se",
		"HANDOFF_PASSWORD_LOGIN":     "off",
	})
	if !strings.Contains(r.Stderr.String(), "single sign-on on") {
		t.Errorf("start log does not say single sign-on is on:\n%s", r.Stderr)
	}
	base := r.URL
	ctx := browsertest.New(t)

	// A link to a page sends the visitor to log in, where only the
	// provider is offered.
	do(t, ctx, chromedp.Navigate(base+"/search"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="sso-login"]`)))
	if got := text(t, ctx, `[data-testid="sso-login"]`); got != "Sign in with Okta" {
		t.Errorf("button = %q", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#f-password, form[action='/login']").length`)); err != nil || n != 0 {
		t.Errorf("password form on the page (%d, %v) while password login is off", n, err)
	}

	// Through the provider and back, onto the page asked for.
	idp.QueueUser(idpUser{sub: "00u-sam", email: "sam.rivera@example.com", name: "Sam Rivera", groups: []string{"everyone", "handoff-se"}})
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="sso-login"]`))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/search") {
		t.Fatalf("landed on %s, want /search", loc)
	}
	if who, role := text(t, ctx, ".account a"), text(t, ctx, ".account .role"); who != "Sam Rivera" || role != "SE" {
		t.Errorf("signed in as %q (%q), want Sam Rivera (SE)", who, role)
	}
	if msg := text(t, ctx, ".flash"); !strings.Contains(msg, "Welcome to Handoff, Sam Rivera") {
		t.Errorf("flash = %q", msg)
	}
	do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h1 := text(t, ctx, "main h1"); h1 != "My packs" || !strings.HasSuffix(location(t, ctx), "/packs") {
		t.Errorf("home = %q at %s, want the SE's My packs", h1, location(t, ctx))
	}
	do(t, ctx, chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="password-off"]`)))

	// Logged out, someone in no mapped group tries: told why, let in nowhere.
	do(t, ctx, browsertest.ClickAndWait(".account button[type=submit]"))
	idp.QueueUser(idpUser{sub: "00u-zoe", email: "zoe@example.com", name: "Zoe Park", groups: []string{"everyone"}})
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="sso-login"]`))
	if msg := text(t, ctx, `[data-testid="sign-in-problem"] p`); !strings.Contains(msg, "not in a group that has access to Handoff") {
		t.Errorf("problem page says %q", msg)
	}
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="sign-in-problem"] a.button`))
	if h1 := text(t, ctx, "main h1"); h1 != "Log in to Handoff" {
		t.Errorf("after the refusal: %q, want the login page", h1)
	}

	// A tile on the provider's dashboard sends a code without state: not
	// let in as it is, one click from a proper sign-in.
	do(t, ctx, chromedp.Navigate(base+"/auth/oidc/callback?code=from-a-tile"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="sso-start-again"]`)))
	if got := text(t, ctx, `[data-testid="sso-start-again"]`); got != "Sign in with Okta" {
		t.Errorf("start-again button = %q", got)
	}
	idp.QueueUser(idpUser{sub: "00u-sam", email: "sam.rivera@example.com", name: "Sam Rivera", groups: []string{"handoff-se"}})
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="sso-start-again"]`))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/packs") {
		t.Errorf("from the tile's page landed on %s, want the SE's /packs", loc)
	}

	// An admin, signed in through the provider, sees Sam's link and no
	// password controls (password login is off), and unlinks it.
	do(t, ctx, browsertest.ClickAndWait(".account button[type=submit]"))
	idp.QueueUser(idpUser{sub: "00u-pat", email: "pat@example.com", name: "Pat Kim", groups: []string{"handoff-admins"}})
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="sso-login"]`),
		chromedp.Navigate(base+"/admin/users"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="user-sam.rivera@example.com"] a`)),
		browsertest.ClickAndWait(`[data-testid="user-sam.rivera@example.com"] a`))
	if card := text(t, ctx, `[data-testid="user-sso"]`); !strings.Contains(card, "Linked to Sam Rivera's Okta identity") || !strings.Contains(card, "Password login is off") {
		t.Errorf("single sign-on card says %q", card)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("form[action$='/password'], #f-password").length`)); err != nil || n != 0 {
		t.Errorf("password controls on the page (%d, %v) while password login is off", n, err)
	}
	do(t, ctx, browsertest.ClickAndWait(`[data-testid="user-sso"] button[type=submit]`))
	if msg := text(t, ctx, ".flash"); !strings.Contains(msg, "Sam Rivera is no longer linked to Okta") {
		t.Errorf("flash = %q", msg)
	}
}
