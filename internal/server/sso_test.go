package server_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server"
	"github.com/handoff-app/handoff/internal/server/servertest"
	"github.com/handoff-app/handoff/internal/sso"
)

// person is someone at the identity provider, with the claims their ID
// token carries. verified and groups are sent as given (nil: no claim), so
// tests can send what real providers send.
type person struct {
	sub, email, name string
	verified         any            // true, false, "true"… or nil for no email_verified
	groups           any            // []string, a string, or nil for no groups claim
	extra            map[string]any // more claims, such as Entra ID's xms_edov
}

func (p person) ID() string { return p.sub }

func (p person) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": p.sub})
}

func (p person) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	c := jwt.MapClaims{}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	c["email"] = p.email
	if p.name != "" {
		c["name"] = p.name
	}
	if p.verified != nil {
		c["email_verified"] = p.verified
	}
	if p.groups != nil {
		c["groups"] = p.groups
	}
	for k, v := range p.extra {
		c[k] = v
	}
	return c, nil
}

// ssoEnv is a Handoff server whose single sign-on goes to a provider
// running in the test.
type ssoEnv struct {
	*servertest.Env
	mock *mockoidc.MockOIDC

	mu     sync.Mutex
	forged func(jwt.MapClaims) (jwt.MapClaims, *mockoidc.Keypair) // rewrites the next ID token
}

// ssoGroups maps the example groups.
var ssoGroups = []sso.RoleGroup{
	{Role: handoff.RoleAdmin, Group: "handoff-admins"},
	{Role: handoff.RoleManager, Group: "handoff-managers"},
	{Role: handoff.RoleSA, Group: "handoff-sa"},
	{Role: handoff.RoleSE, Group: "handoff-se"},
}

func newSSOEnv(t *testing.T, opts ...servertest.Option) *ssoEnv {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	// mockoidc works out its key id on first use, unguarded: once here,
	// before concurrent sign-ins only read it.
	if _, err := m.Keypair.KeyID(); err != nil {
		t.Fatal(err)
	}
	e := &ssoEnv{mock: m}
	if err := m.AddMiddleware(e.forge); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	p, err := sso.New(context.Background(), sso.Config{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		RedirectURL: "http://127.0.0.1" + server.OIDCCallbackPath, Name: "Okta", GroupsClaim: "groups", RoleGroups: ssoGroups})
	if err != nil {
		t.Fatal(err)
	}
	withSSO := func(c *server.Config) { c.SSO = p }
	e.Env = servertest.New(t, append([]servertest.Option{withSSO}, opts...)...)
	return e
}

// forge lets a test replace the ID token the provider's token endpoint
// answers with: a forged signature or a wrong audience, arriving by the
// real back channel.
func (e *ssoEnv) forge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		forged := e.forged
		e.mu.Unlock()
		if forged == nil || r.URL.Path != mockoidc.TokenEndpoint {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["id_token"] == nil {
			// oauth2 first tries the client secret in a header, which
			// mockoidc refuses; the retry with it in the form gets tokens.
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		e.forgeNext(nil)
		claims := jwt.MapClaims{}
		_, _, _ = jwt.NewParser().ParseUnverified(body["id_token"].(string), claims)
		claims, key := forged(claims)
		if key == nil {
			key = e.mock.Keypair
		}
		body["id_token"], _ = key.SignJWT(claims)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	})
}

// forgeNext makes the provider's next ID token go through change.
func (e *ssoEnv) forgeNext(change func(jwt.MapClaims) (jwt.MapClaims, *mockoidc.Keypair)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.forged = change
}

// begin clicks "Sign in with Okta" (towards next) in c's browser: the
// answer sends it to the provider.
func (e *ssoEnv) begin(c *servertest.Client, next string) *servertest.Response {
	e.T.Helper()
	start := "/auth/oidc/login"
	if next != "" {
		start += "?next=" + url.QueryEscape(next)
	}
	res := c.Get(start)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), e.mock.AuthorizationEndpoint()+"?") {
		e.T.Fatalf("%s = %d → %q, want 303 to the provider", start, res.StatusCode, res.Header.Get("Location"))
	}
	return res
}

// authorize signs in at the provider as who, following begin's answer, and
// returns the callback path the provider sends the browser back to.
func (e *ssoEnv) authorize(begun *servertest.Response, who person) string {
	e.T.Helper()
	e.mock.QueueUser(who)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	back, err := noFollow.Get(begun.Header.Get("Location"))
	if err != nil {
		e.T.Fatal(err)
	}
	back.Body.Close()
	cb, err := url.Parse(back.Header.Get("Location"))
	if err != nil || cb.Path != server.OIDCCallbackPath {
		e.T.Fatalf("the provider sent the browser to %q, want the callback", back.Header.Get("Location"))
	}
	return cb.RequestURI()
}

// startSignIn is begin and authorize.
func (e *ssoEnv) startSignIn(c *servertest.Client, who person, next string) string {
	e.T.Helper()
	return e.authorize(e.begin(c, next), who)
}

// signIn is the whole round trip; it returns the callback's answer.
func (e *ssoEnv) signIn(c *servertest.Client, who person, next string) *servertest.Response {
	e.T.Helper()
	return c.Get(e.startSignIn(c, who, next))
}

// mustSignIn signs who in and returns their browser, which must have landed
// on want.
func (e *ssoEnv) mustSignIn(who person, want string) *servertest.Client {
	e.T.Helper()
	c := e.Client()
	res := e.signIn(c, who, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		e.T.Fatalf("sign-in of %s = %d → %q, want 303 → %s\n%s", who.email, res.StatusCode, res.Header.Get("Location"), want, res.Body)
	}
	return c
}

// user reads the account with email, nil when there is none.
func (e *ssoEnv) user(email string) (*handoff.User, string) {
	e.T.Helper()
	u, hash, err := e.DB.UserByEmail(context.Background(), email)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		return nil, ""
	}
	if err != nil {
		e.T.Fatal(err)
	}
	return u, hash
}

// loggedOut reports whether c has no session: the account page sends it to
// log in.
func loggedOut(c *servertest.Client) bool {
	res := c.Get("/account")
	return res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login")
}

func countUsers(t *testing.T, e *ssoEnv) int {
	t.Helper()
	n, err := e.DB.CountUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var annSA = person{sub: "00u-ann", email: "Ann.Archer@example.com", name: "Ann Archer", verified: true, groups: []string{"everyone", "handoff-sa"}}

func TestSSOLoginPageOffersTheProvider(t *testing.T) {
	t.Parallel()

	t.Run("ButtonBesideThePasswordForm", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		doc := e.Client().Get("/login?next=" + url.QueryEscape("/packs/7")).Doc()
		btn := doc.Find(`a[data-testid="sso-login"]`)
		if href, _ := btn.Attr("href"); strings.TrimSpace(btn.Text()) != "Sign in with Okta" || href != "/auth/oidc/login?next=%2Fpacks%2F7" {
			t.Errorf("SSO button %q → %q", btn.Text(), href)
		}
		if doc.Find(`form[action="/login"] #f-password`).Length() != 1 {
			t.Error("the password form must stay while password login is on")
		}
	})

	t.Run("NoButtonWithoutSSO", func(t *testing.T) {
		t.Parallel()
		env := servertest.New(t)
		if n := env.Client().Get("/login").Doc().Find(`[data-testid="sso-login"]`).Length(); n != 0 {
			t.Error("a login button for a provider that is not configured")
		}
		for _, path := range []string{"/auth/oidc/login", "/auth/oidc/callback?state=x&code=y"} {
			if res := env.Client().Get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s without SSO = %d, want 404", path, res.StatusCode)
			}
		}
	})
}

func TestSSOPasswordLoginOff(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t, func(c *server.Config) { c.NoPasswordLogin = true })
	sam := e.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)

	t.Run("FormHidden", func(t *testing.T) {
		doc := e.Client().Get("/login").Doc()
		if doc.Find(`form[action="/login"], #f-password`).Length() != 0 {
			t.Error("password form shown while password login is off")
		}
		if doc.Find(`[data-testid="sso-login"]`).Length() != 1 {
			t.Error("no SSO button: nobody could sign in")
		}
		if strings.Contains(doc.Text(), "set-password link") {
			t.Error("the page still speaks of passwords")
		}
	})

	t.Run("PostRefusedEvenWithTheRightPassword", func(t *testing.T) {
		c := e.Client()
		res := c.PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("POST /login = %d, want 403", res.StatusCode)
		}
		if msg := res.Text("#login-error"); !strings.Contains(msg, "sign in with Okta instead") {
			t.Errorf("message = %q", msg)
		}
		if !loggedOut(c) {
			t.Error("a password still opened a session")
		}
	})

	t.Run("SetPasswordLinkRefused", func(t *testing.T) {
		token, err := e.DB.CreatePasswordToken(context.Background(), sam.ID, servertest.Today())
		if err != nil {
			t.Fatal(err)
		}
		c := e.Client()
		for _, res := range []*servertest.Response{
			c.Get("/set-password/" + token),
			c.PostForm("/set-password/"+token, url.Values{"password": {"a long new password 1"}, "confirm": {"a long new password 1"}}),
		} {
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
				t.Errorf("%s set-password = %d → %q, want 303 → /login", res.Request.Method, res.StatusCode, res.Header.Get("Location"))
			}
		}
		if msg := c.Get("/login").Text(".flash"); !strings.Contains(msg, "sign in with Okta instead") {
			t.Errorf("flash = %q", msg)
		}
		if !loggedOut(c) {
			t.Error("the link opened a session")
		}
		if _, err := e.DB.PasswordTokenUser(context.Background(), token, servertest.Today()); err != nil {
			t.Errorf("the link was used up (%v); it must work again if password login is turned back on", err)
		}
	})

	t.Run("AccountHasNoPasswordForm", func(t *testing.T) {
		c := e.mustSignIn(person{sub: "00u-sam", email: "sam@example.com", name: "Sam Rivera", verified: true, groups: []string{"handoff-se"}}, "/packs")
		doc := c.Get("/account").Doc()
		if doc.Find(`form[action="/account/password"]`).Length() != 0 || doc.Find(`[data-testid="password-off"]`).Length() != 1 {
			t.Error("the account page offers a password change while passwords are off")
		}
		res := c.PostForm("/account/password", url.Values{"current": {servertest.Password}, "password": {"another long password"}, "confirm": {"another long password"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
			t.Errorf("password change = %d → %q, want it refused back to /account", res.StatusCode, res.Header.Get("Location"))
		}
		if u, _ := e.user("sam@example.com"); u.SessionVersion != sam.SessionVersion {
			t.Error("the password changed: the session version moved")
		}
	})
}

func TestSSOSignIn(t *testing.T) {
	t.Parallel()

	t.Run("FirstSignInCreatesTheAccountWithTheMappedRole", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.mustSignIn(annSA, "/inbox")
		u, hash := e.user("ann.archer@example.com")
		if u == nil || u.Name != "Ann Archer" || u.Role != handoff.RoleSA || !u.Active || hash != "" || u.LastLoginAt == nil {
			t.Fatalf("account = %+v (hash %q), want an active SA named Ann Archer, no password, login recorded", u, hash)
		}
		inbox := c.Get("/inbox")
		if inbox.StatusCode != http.StatusOK || !strings.Contains(inbox.Text(".flash"), "Welcome to Handoff, Ann Archer") {
			t.Errorf("inbox = %d, flash %q", inbox.StatusCode, inbox.Text(".flash"))
		}
		account := c.Get("/account").Doc()
		if account.Find(`form[action="/account/password"]`).Length() != 0 || account.Find(`[data-testid="password-none"]`).Length() != 1 {
			t.Error("an account made by SSO has no password to change; the page must say so")
		}
		if !strings.Contains(account.Text(), "come from Okta each time you sign in") {
			t.Error("the account page does not say where name and role come from")
		}
		// Admins see someone who is in, not an invitation pending.
		e.CreateUser("Pat Admin", "pat@example.com", handoff.RoleAdmin)
		row := e.Login("pat@example.com").Get("/admin/users").Doc().Find(`[data-testid="user-ann.archer@example.com"] .badge`)
		if got := strings.TrimSpace(row.Text()); got != "Active" {
			t.Errorf("admin list status = %q, want Active", got)
		}
	})

	t.Run("NextIsFollowedThroughTheRoundTrip", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		if res := e.signIn(c, annSA, "/search?q=acme"); res.Header.Get("Location") != "/search?q=acme" {
			t.Errorf("landed on %q, want /search?q=acme", res.Header.Get("Location"))
		}
		// A hostile next never survives the trip.
		if res := e.signIn(e.Client(), annSA, "//evil.example/x"); res.Header.Get("Location") != "/inbox" {
			t.Errorf("hostile next landed on %q", res.Header.Get("Location"))
		}
	})

	t.Run("EachSignInUpdatesNameAndRole", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		e.mustSignIn(annSA, "/inbox")
		before, _ := e.user("ann.archer@example.com")
		promoted := annSA
		promoted.name, promoted.groups = "Ann Archer-Lee", []string{"handoff-sa", "handoff-managers"}
		c := e.mustSignIn(promoted, "/overdue")
		after, _ := e.user("ann.archer@example.com")
		if after.ID != before.ID || after.Name != "Ann Archer-Lee" || after.Role != handoff.RoleManager {
			t.Errorf("after second sign-in: %+v, want the same account, renamed, now a manager", after)
		}
		if c.Get("/overdue").StatusCode != http.StatusOK {
			t.Error("the new role does not reach its home")
		}
		if n := countUsers(t, e); n != 1 {
			t.Errorf("%d accounts, want 1", n)
		}
	})

	t.Run("EmailChangedAtTheProviderFollows", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		e.mustSignIn(annSA, "/inbox")
		renamed := annSA
		renamed.email = "ann.lee@example.com"
		e.mustSignIn(renamed, "/inbox")
		if u, _ := e.user("ann.lee@example.com"); u == nil || countUsers(t, e) != 1 {
			t.Errorf("the account did not follow its subject to the new address")
		}
	})

	t.Run("PasswordAccountIsLinkedByVerifiedEmail", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		sam := e.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
		c := e.mustSignIn(person{sub: "00u-sam", email: "SAM@example.com", name: "Samuel Rivera", verified: true, groups: []string{"handoff-se"}}, "/packs")
		u, hash := e.user("sam@example.com")
		if u.ID != sam.ID || u.Name != "Samuel Rivera" || hash == "" || countUsers(t, e) != 1 {
			t.Errorf("account = %+v (hash kept: %v); want Sam's own, renamed, password kept", u, hash != "")
		}
		if !strings.Contains(c.Get("/account").Doc().Text(), "come from Okta") {
			t.Error("the linked account does not say it comes from Okta")
		}
		// The password still works while password login is on.
		e.Login("sam@example.com")
	})

	t.Run("SessionTokenIsRenewed", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		begun := e.begin(c, "")
		before := sessionToken(begun)
		res := c.Get(e.authorize(begun, annSA))
		if after := sessionToken(res); before == "" || after == "" || before == after {
			t.Errorf("session token before %q, after %q: it must change at sign-in", before, after)
		}
	})

	t.Run("TwoTabsBothComeBack", func(t *testing.T) {
		// Someone starts a sign-in in two tabs: each finishes.
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		first := e.startSignIn(c, annSA, "/search")
		second := e.startSignIn(c, annSA, "/inbox")
		for cb, want := range map[string]string{first: "/search", second: "/inbox"} {
			if res := c.Get(cb); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
				t.Errorf("tab → %d %q, want 303 %s", res.StatusCode, res.Header.Get("Location"), want)
			}
		}
	})
}

func TestSSORefusals(t *testing.T) {
	t.Parallel()

	// refused checks a sign-in answered status with words, started no
	// session and left the accounts as they were.
	refused := func(t *testing.T, e *ssoEnv, c *servertest.Client, res *servertest.Response, status int, words string, users int) {
		t.Helper()
		if res.StatusCode != status {
			t.Errorf("status = %d, want %d\n%s", res.StatusCode, status, res.Body)
		}
		if msg := res.Text(`[data-testid="sign-in-problem"]`); !strings.Contains(msg, words) {
			t.Errorf("page says %q, want %q", msg, words)
		}
		if res.Doc().Find(`[data-testid="sign-in-problem"] a[href^="/login"]`).Length() != 1 {
			t.Error("no way back to the login page")
		}
		if !loggedOut(c) {
			t.Error("a refused sign-in opened a session")
		}
		if n := countUsers(t, e); n != users {
			t.Errorf("%d accounts, want %d", n, users)
		}
	}

	t.Run("UnmappedGroupMakesNoAccount", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		res := e.signIn(c, person{sub: "00u-zoe", email: "zoe@example.com", verified: true, groups: []string{"everyone", "engineering"}}, "")
		refused(t, e, c, res, http.StatusForbidden, "Your account at Okta is not in a group that has access to Handoff", 0)
		if got := res.Text(`[data-testid="access-groups"]`); !strings.Contains(got, "handoff-sa") || !strings.Contains(got, "handoff-admins") {
			t.Errorf("groups listed: %q", got)
		}
		if !strings.Contains(e.Logs(), "groups_claim_sent=true") {
			t.Error("the log does not tell the admin the groups did arrive")
		}
	})

	t.Run("NoGroupsClaimMakesNoAccount", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		res := e.signIn(c, person{sub: "00u-zoe", email: "zoe@example.com", verified: true}, "")
		refused(t, e, c, res, http.StatusForbidden, "not in a group that has access", 0)
		if !strings.Contains(e.Logs(), "groups_claim_sent=false") {
			t.Error("the log does not tell the admin the provider sent no groups")
		}
	})

	t.Run("UnmappedExistingAccountIsNotLetIn", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		e.mustSignIn(annSA, "/inbox")
		left := annSA
		left.groups = []string{"everyone"}
		c := e.Client()
		refused(t, e, c, e.signIn(c, left, ""), http.StatusForbidden, "not in a group that has access", 1)
		if u, _ := e.user("ann.archer@example.com"); u.Role != handoff.RoleSA {
			t.Errorf("role changed to %s", u.Role)
		}
	})

	t.Run("DeactivatedAccountIsRefused", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		e.mustSignIn(annSA, "/inbox")
		u, _ := e.user("ann.archer@example.com")
		if _, err := e.DB.SetUserActive(context.Background(), nil, u.ID, false); err != nil {
			t.Fatal(err)
		}
		c := e.Client()
		refused(t, e, c, e.signIn(c, annSA, ""), http.StatusForbidden, "is deactivated, so you can't sign in", 1)
		if after, _ := e.user("ann.archer@example.com"); after.Active || after.LastLoginAt == nil || !after.LastLoginAt.Equal(*u.LastLoginAt) {
			t.Errorf("the deactivated account changed: %+v", after)
		}
	})

	t.Run("DeactivatedPasswordAccountIsNotLinked", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		sam := e.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
		if _, err := e.DB.SetUserActive(context.Background(), nil, sam.ID, false); err != nil {
			t.Fatal(err)
		}
		c := e.Client()
		refused(t, e, c, e.signIn(c, person{sub: "00u-sam", email: "sam@example.com", verified: true, groups: []string{"handoff-admins"}}, ""),
			http.StatusForbidden, "is deactivated", 1)
		if u, _ := e.user("sam@example.com"); u.Role != handoff.RoleSE {
			t.Errorf("role changed to %s", u.Role)
		}
	})

	t.Run("NewEmailTakenByAnotherAccount", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		e.mustSignIn(annSA, "/inbox")
		e.CreateUser("Ann Lee", "ann.lee@example.com", handoff.RoleSE)
		moved := annSA
		moved.email = "ann.lee@example.com"
		c := e.Client()
		refused(t, e, c, e.signIn(c, moved, ""), http.StatusConflict, "another Handoff account already has it", 2)
		if u, _ := e.user("ann.archer@example.com"); u == nil {
			t.Error("the account lost its email")
		}
	})

	t.Run("MissingStateOffersTheProvider", func(t *testing.T) {
		// A tile on the provider's dashboard (IdP-initiated sign-in) sends
		// a code without state: not let in as it is, but one click away.
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		res := c.Get("/auth/oidc/callback?code=abc")
		refused(t, e, c, res, http.StatusBadRequest, "You came from Okta without starting a sign-in here", 0)
		startsAgain(t, res, "/auth/oidc/login")
		if !strings.Contains(e.Logs(), "callback without state") {
			t.Error("the log does not say the callback came without state")
		}
		// The button starts a proper sign-in, which lets the person in.
		if back := e.signIn(c, annSA, ""); back.StatusCode != http.StatusSeeOther || back.Header.Get("Location") != "/inbox" {
			t.Errorf("signing in from there = %d → %q", back.StatusCode, back.Header.Get("Location"))
		}
		// Signed in, the tile just leads home.
		if again := c.Get("/auth/oidc/callback?code=abc"); again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != "/inbox" {
			t.Errorf("the tile while signed in = %d → %q, want 303 → /inbox", again.StatusCode, again.Header.Get("Location"))
		}
	})

	t.Run("AnotherIdentityOfTheProviderIsRefused", func(t *testing.T) {
		// The same verified email from another subject of the same
		// provider is another person (a reused mailbox, an address an IdP
		// admin marked verified): never given the account.
		t.Parallel()
		e := newSSOEnv(t)
		e.mustSignIn(annSA, "/inbox")
		before, _ := e.user("ann.archer@example.com")
		impostor := annSA
		impostor.sub, impostor.groups = "00u-new-hire", []string{"handoff-admins"}
		c := e.Client()
		refused(t, e, c, e.signIn(c, impostor, ""), http.StatusConflict,
			"This email address belongs to a Handoff account linked to another Okta identity. Ask your Handoff admin.", 1)
		if after, _ := e.user("ann.archer@example.com"); after.Role != handoff.RoleSA || after.SessionVersion != before.SessionVersion {
			t.Errorf("the account changed: %+v", after)
		}
		// Its own person still gets in.
		e.mustSignIn(annSA, "/inbox")
	})

	t.Run("EmailVerifiedFalseOutranksEntrasEdov", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		res := e.signIn(c, person{sub: "aad-zoe", email: "zoe@example.com", verified: false, groups: []string{"handoff-se"},
			extra: map[string]any{"xms_edov": true}}, "")
		refused(t, e, c, res, http.StatusForbidden, "did not confirm a verified email address", 0)
	})

	t.Run("ReplayedState", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		cb := e.startSignIn(c, annSA, "")
		if res := c.Get(cb); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first use = %d", res.StatusCode)
		}
		// The same browser, logged out, and another browser: neither gets in again.
		c.PostForm("/logout", nil)
		res := c.Get(cb)
		refused(t, e, c, res, http.StatusBadRequest, "expired or was already used", 1)
		startsAgain(t, res, "/auth/oidc/login")
		other := e.Client()
		refused(t, e, other, other.Get(cb), http.StatusBadRequest, "expired or was already used", 1)
	})

	t.Run("StateOfAnotherBrowser", func(t *testing.T) {
		// Login CSRF: an attacker's own callback link, opened in a
		// victim's browser, must not sign the victim in as the attacker.
		t.Parallel()
		e := newSSOEnv(t)
		attacker, victim := e.Client(), e.Client()
		cb := e.startSignIn(attacker, annSA, "")
		victim.Get("/login")
		refused(t, e, victim, victim.Get(cb), http.StatusBadRequest, "expired or was already used", 0)
	})

	t.Run("ExpiredState", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		cb := e.startSignIn(c, annSA, "")
		e.Advance(11 * time.Minute)
		refused(t, e, c, c.Get(cb), http.StatusBadRequest, "expired", 0)
	})

	t.Run("FailedCallbackCannotBeRetried", func(t *testing.T) {
		// The state is used up even when the sign-in fails later.
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		cb := e.startSignIn(c, person{sub: "00u-zoe", email: "zoe@example.com", verified: true, groups: []string{"nope"}}, "")
		refused(t, e, c, c.Get(cb), http.StatusForbidden, "not in a group", 0)
		refused(t, e, c, c.Get(cb), http.StatusBadRequest, "expired or was already used", 0)
	})

	t.Run("NoEmailVerified", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		for _, verified := range []any{nil, false, "false"} {
			c := e.Client()
			res := e.signIn(c, person{sub: "00u-zoe", email: "zoe@example.com", verified: verified, groups: []string{"handoff-admins"}}, "")
			refused(t, e, c, res, http.StatusForbidden, "did not confirm a verified email address", 0)
		}
	})

	t.Run("UnverifiedEmailNeverTakesOverAnAccount", func(t *testing.T) {
		// The one thing that must never happen: an unverified address
		// taking over someone's account.
		t.Parallel()
		e := newSSOEnv(t)
		pat := e.CreateUser("Pat Admin", "pat@example.com", handoff.RoleAdmin)
		c := e.Client()
		res := e.signIn(c, person{sub: "evil", email: "pat@example.com", verified: false, groups: []string{"handoff-admins"}}, "")
		refused(t, e, c, res, http.StatusForbidden, "verified email", 1)
		if linked, err := e.DB.SSOLinked(context.Background(), pat.ID); err != nil || linked {
			t.Errorf("linked = %v (%v)", linked, err)
		}
	})

	t.Run("ForgedSignature", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		impostor, err := mockoidc.RandomKeypair(2048)
		if err != nil {
			t.Fatal(err)
		}
		impostor.Kid, _ = e.mock.Keypair.KeyID()
		c := e.Client()
		cb := e.startSignIn(c, annSA, "")
		e.forgeNext(func(c jwt.MapClaims) (jwt.MapClaims, *mockoidc.Keypair) {
			c["groups"] = []string{"handoff-admins"}
			return c, impostor
		})
		refused(t, e, c, c.Get(cb), http.StatusUnauthorized, "could not verify the sign-in", 0)
		if !strings.Contains(e.Logs(), "ID token refused") {
			t.Error("the refusal is not logged")
		}
	})

	t.Run("WrongAudience", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		cb := e.startSignIn(c, annSA, "")
		e.forgeNext(func(c jwt.MapClaims) (jwt.MapClaims, *mockoidc.Keypair) {
			c["aud"] = "another-app"
			return c, nil
		})
		refused(t, e, c, c.Get(cb), http.StatusUnauthorized, "could not verify", 0)
	})

	t.Run("ExpiredToken", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		cb := e.startSignIn(c, annSA, "")
		e.forgeNext(func(c jwt.MapClaims) (jwt.MapClaims, *mockoidc.Keypair) {
			c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
			return c, nil
		})
		refused(t, e, c, c.Get(cb), http.StatusUnauthorized, "could not verify", 0)
	})

	t.Run("ProviderSaysNo", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		cb, _ := url.Parse(e.startSignIn(c, annSA, ""))
		q := url.Values{"state": {cb.Query().Get("state")}, "error": {"access_denied"}, "error_description": {"<b>User is not assigned</b>"}}
		res := c.Get(server.OIDCCallbackPath + "?" + q.Encode())
		refused(t, e, c, res, http.StatusForbidden, "Okta did not sign you in to Handoff", 0)
		if strings.Contains(res.Body, "not assigned") {
			t.Error("the provider's text from the query string reached the page")
		}
	})

	t.Run("CodeNotExchangeable", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		c := e.Client()
		cb, _ := url.Parse(e.startSignIn(c, annSA, ""))
		q := cb.Query()
		q.Set("code", "not-a-code-the-provider-gave")
		res := c.Get(server.OIDCCallbackPath + "?" + q.Encode())
		refused(t, e, c, res, http.StatusBadGateway, "could not finish signing you in with Okta", 0)
	})
}

// startsAgain checks a problem page leads with "Sign in with Okta", to href.
func startsAgain(t *testing.T, res *servertest.Response, href string) {
	t.Helper()
	btn := res.Doc().Find(`[data-testid="sign-in-problem"] a.button[data-testid="sso-start-again"]`)
	if got, _ := btn.Attr("href"); btn.Length() != 1 || got != href || strings.TrimSpace(btn.Text()) != "Sign in with Okta" {
		t.Errorf("start-again button %q → %q, want Sign in with Okta → %s", btn.Text(), got, href)
	}
}

// Entra ID sends no email_verified for work accounts; its optional claim
// xms_edov vouches for the address in its place.
func TestSSOEntraEdov(t *testing.T) {
	t.Parallel()
	for _, edov := range []any{true, "true", "1"} {
		e := newSSOEnv(t)
		c := e.Client()
		who := person{sub: "aad-ann", email: "ann.archer@example.com", name: "Ann Archer", groups: []string{"handoff-sa"},
			extra: map[string]any{"xms_edov": edov}}
		if res := e.signIn(c, who, ""); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/inbox" {
			t.Errorf("xms_edov %#v: sign-in = %d → %q\n%s", edov, res.StatusCode, res.Header.Get("Location"), res.Body)
		}
	}
	e := newSSOEnv(t)
	c := e.Client()
	res := e.signIn(c, person{sub: "aad-ann", email: "ann.archer@example.com", groups: []string{"handoff-sa"}, extra: map[string]any{"xms_edov": false}}, "")
	if res.StatusCode != http.StatusForbidden || countUsers(t, e) != 0 {
		t.Errorf("xms_edov false: %d, %d accounts; want refused", res.StatusCode, countUsers(t, e))
	}
}

// The IdP's role is applied only as far as the domain allows: nobody is
// taken off open packs, and the last admin stays one.
func TestSSORoleHeldBack(t *testing.T) {
	t.Parallel()

	t.Run("OpenPacksKeepTheSE", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		se := person{sub: "00u-sam", email: "sam@example.com", name: "Sam Rivera", verified: true, groups: []string{"handoff-se"}}
		e.mustSignIn(se, "/packs")
		sam, _ := e.user("sam@example.com")
		e.CreatePack("Acme", sam, nil, "2026-11-20")
		se.groups = []string{"handoff-sa"}
		c := e.mustSignIn(se, "/packs")
		if u, _ := e.user("sam@example.com"); u.Role != handoff.RoleSE {
			t.Errorf("role = %s, want still se", u.Role)
		}
		if msg := c.Get("/packs").Text(".flash"); !strings.Contains(msg, "You stay a Sales Engineer until a manager reassigns them") {
			t.Errorf("flash = %q", msg)
		}
	})

	t.Run("LastAdminStaysAdmin", func(t *testing.T) {
		t.Parallel()
		e := newSSOEnv(t)
		pat := person{sub: "00u-pat", email: "pat@example.com", name: "Pat Kim", verified: true, groups: []string{"handoff-admins"}}
		e.mustSignIn(pat, "/admin")
		pat.groups = []string{"handoff-se"}
		c := e.mustSignIn(pat, "/admin")
		if msg := c.Get("/admin").Text(".flash"); !strings.Contains(msg, "last active admin") {
			t.Errorf("flash = %q", msg)
		}
		// With a second admin, the demotion goes through.
		e.CreateUser("Lee Admin", "lee@example.com", handoff.RoleAdmin)
		e.mustSignIn(pat, "/packs")
	})
}

// Two sign-ins of a new person at the same moment make one account.
func TestSSOConcurrentFirstSignIns(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	var cbs []string
	var clients []*servertest.Client
	for range 4 {
		c := e.Client()
		clients = append(clients, c)
		cbs = append(cbs, e.startSignIn(c, annSA, ""))
	}
	var wg sync.WaitGroup
	statuses := make([]int, len(cbs))
	for i := range cbs {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, e.Server.URL+cbs[i], nil)
			statuses[i] = clients[i].Do(req).StatusCode
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusSeeOther {
			t.Errorf("sign-in %d = %d", i, s)
		}
	}
	if n := countUsers(t, e); n != 1 {
		t.Errorf("%d accounts, want 1", n)
	}
}
