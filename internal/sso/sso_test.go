package sso_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/sso"
)

// mock is an OpenID provider running in the test: discovery, keys,
// authorize and token endpoints, signing with its own key pair.
type mock struct{ *mockoidc.MockOIDC }

func newMock(t *testing.T) mock {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatalf("start mock provider: %v", err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	return mock{m}
}

// provider discovers m as Handoff does at start.
func (m mock) provider(t *testing.T, opts ...func(*sso.Config)) *sso.Provider {
	t.Helper()
	cfg := sso.Config{Issuer: m.Issuer(), ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		RedirectURL: "http://handoff.test/auth/oidc/callback", Name: "Okta", GroupsClaim: "groups", RoleGroups: mapping}
	for _, o := range opts {
		o(&cfg)
	}
	p, err := sso.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("discover the mock provider: %v", err)
	}
	return p
}

// authorize sends a person through the provider's authorize endpoint for a
// and returns the code it sends back to Handoff.
func (m mock) authorize(t *testing.T, p *sso.Provider, a sso.Attempt, user *mockoidc.MockUser) string {
	t.Helper()
	m.QueueUser(user)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(p.AuthCodeURL(a))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if !strings.HasPrefix(back.String(), "http://handoff.test/auth/oidc/callback?") || back.Query().Get("state") != a.State {
		t.Fatalf("the provider sent the person back to %s, want the callback with this attempt's state", back)
	}
	return back.Query().Get("code")
}

// mint signs claims as the provider (or, with another key pair, as an
// impostor) would.
func (m mock) mint(t *testing.T, claims jwt.MapClaims, key *mockoidc.Keypair) string {
	t.Helper()
	if key == nil {
		key = m.Keypair
	}
	raw, err := key.SignJWT(claims)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// claims are a valid ID token's for Ann, for the nonce "n-1"; each case
// changes one thing.
func (m mock) claims(change func(jwt.MapClaims)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"iss": m.Issuer(), "aud": m.ClientID, "sub": "00u-ann", "nonce": "n-1",
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"email": "Ann.Archer@Example.com", "email_verified": true, "name": "Ann Archer",
		"groups": []string{"everyone", "handoff-sa"},
	}
	if change != nil {
		change(c)
	}
	return c
}

var ann = &mockoidc.MockUser{Subject: "00u-ann", Email: "ann@example.com", EmailVerified: true, Groups: []string{"everyone", "handoff-sa"}}

// The whole round trip through the provider, as the callback runs it.
func TestSignInThroughTheProvider(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	p := m.provider(t)
	ctx := context.Background()

	t.Run("AuthorizeURLCarriesPKCEStateAndNonce", func(t *testing.T) {
		a := sso.NewAttempt()
		u, err := url.Parse(p.AuthCodeURL(a))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		want := map[string]string{
			"response_type": "code", "client_id": m.ClientID, "redirect_uri": "http://handoff.test/auth/oidc/callback",
			"state": a.State, "nonce": a.Nonce, "code_challenge_method": "S256",
			"code_challenge": oauth2.S256ChallengeFromVerifier(a.Verifier), "scope": "openid email profile groups",
		}
		for k, v := range want {
			if q.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, q.Get(k), v)
			}
		}
		if b := sso.NewAttempt(); b.State == a.State || b.Nonce == a.Nonce || b.Verifier == a.Verifier || len(a.Verifier) < 43 {
			t.Errorf("attempts must be fresh random values, with a verifier of 43+ characters: %+v %+v", a, b)
		}
	})

	t.Run("CodeBecomesAVerifiedIdentity", func(t *testing.T) {
		a := sso.NewAttempt()
		id, err := p.Exchange(ctx, m.authorize(t, p, a, ann), a)
		if err != nil {
			t.Fatal(err)
		}
		want := sso.Identity{Issuer: m.Issuer(), Subject: "00u-ann", Email: "ann@example.com", Name: "ann@example.com",
			Groups: []string{"everyone", "handoff-sa"}, GroupsSent: true}
		if id.Issuer != want.Issuer || id.Subject != want.Subject || id.Email != want.Email || id.Name != want.Name ||
			!slices.Equal(id.Groups, want.Groups) || !id.GroupsSent {
			t.Errorf("identity = %+v, want %+v", id, want)
		}
		if role, ok := p.Role(id.Groups); !ok || role != handoff.RoleSA {
			t.Errorf("role = %q, %v; want sa", role, ok)
		}
	})

	t.Run("ErrExchangeWithAnotherVerifier", func(t *testing.T) {
		// PKCE: a code intercepted on its way back is useless without
		// this session's verifier.
		a := sso.NewAttempt()
		code := m.authorize(t, p, a, ann)
		stolen := a
		stolen.Verifier = oauth2.GenerateVerifier()
		if _, err := p.Exchange(ctx, code, stolen); !errors.Is(err, sso.ErrExchange) {
			t.Errorf("err = %v, want ErrExchange", err)
		}
	})

	t.Run("ErrExchangeForAReplayedCode", func(t *testing.T) {
		a := sso.NewAttempt()
		code := m.authorize(t, p, a, ann)
		if _, err := p.Exchange(ctx, code, a); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Exchange(ctx, code, a); !errors.Is(err, sso.ErrExchange) {
			t.Errorf("second exchange: err = %v, want ErrExchange", err)
		}
	})

	t.Run("ErrInvalidTokenForAnotherAttemptsNonce", func(t *testing.T) {
		a := sso.NewAttempt()
		code := m.authorize(t, p, a, ann)
		other := a
		other.Nonce = sso.NewAttempt().Nonce
		if _, err := p.Exchange(ctx, code, other); !errors.Is(err, sso.ErrInvalidToken) {
			t.Errorf("err = %v, want ErrInvalidToken", err)
		}
	})

	t.Run("ErrEmailNotVerified", func(t *testing.T) {
		a := sso.NewAttempt()
		unverified := *ann
		unverified.EmailVerified = false
		if _, err := p.Exchange(ctx, m.authorize(t, p, a, &unverified), a); !errors.Is(err, sso.ErrEmailNotVerified) {
			t.Errorf("err = %v, want ErrEmailNotVerified", err)
		}
	})
}

// Tokens that must never sign anyone in, fed through the same Verify the
// callback uses.
func TestVerifyRefuses(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	p := m.provider(t)
	impostor, err := mockoidc.RandomKeypair(2048)
	if err != nil {
		t.Fatal(err)
	}
	// The same key id as the provider's, so the verifier tries its real key
	// on the forged signature rather than failing to find one.
	lookalike := &mockoidc.Keypair{PrivateKey: impostor.PrivateKey, PublicKey: impostor.PublicKey}
	lookalike.Kid, _ = m.Keypair.KeyID()

	tampered := func() string {
		parts := strings.Split(m.mint(t, m.claims(nil), nil), ".")
		c := m.claims(func(c jwt.MapClaims) { c["groups"] = []string{"handoff-admins"} })
		b, _ := json.Marshal(c)
		parts[1] = base64.RawURLEncoding.EncodeToString(b)
		return strings.Join(parts, ".")
	}

	tests := []struct {
		name  string
		token string
		nonce string
		want  error
	}{
		{"BadSignature", m.mint(t, m.claims(nil), lookalike), "n-1", sso.ErrInvalidToken},
		{"UnknownKey", m.mint(t, m.claims(nil), impostor), "n-1", sso.ErrInvalidToken},
		{"TamperedClaims", tampered(), "n-1", sso.ErrInvalidToken},
		{"WrongAudience", m.mint(t, m.claims(func(c jwt.MapClaims) { c["aud"] = "another-app" }), nil), "n-1", sso.ErrInvalidToken},
		{"WrongIssuer", m.mint(t, m.claims(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }), nil), "n-1", sso.ErrInvalidToken},
		{"Expired", m.mint(t, m.claims(func(c jwt.MapClaims) {
			c["iat"] = time.Now().Add(-2 * time.Hour).Unix()
			c["exp"] = time.Now().Add(-time.Hour).Unix()
		}), nil), "n-1", sso.ErrInvalidToken},
		{"NotYetValid", m.mint(t, m.claims(func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(time.Hour).Unix() }), nil), "n-1", sso.ErrInvalidToken},
		{"AnotherAuthorizedParty", m.mint(t, m.claims(func(c jwt.MapClaims) {
			c["aud"] = []string{m.ClientID, "another-app"}
			c["azp"] = "another-app"
		}), nil), "n-1", sso.ErrInvalidToken},
		{"WrongNonce", m.mint(t, m.claims(nil), nil), "n-2", sso.ErrInvalidToken},
		{"NoNonceInToken", m.mint(t, m.claims(func(c jwt.MapClaims) { delete(c, "nonce") }), nil), "n-1", sso.ErrInvalidToken},
		{"NoSubject", m.mint(t, m.claims(func(c jwt.MapClaims) { delete(c, "sub") }), nil), "n-1", sso.ErrInvalidToken},
		{"NotAJWT", "not.a.token", "n-1", sso.ErrInvalidToken},
		{"NoEmailVerified", m.mint(t, m.claims(func(c jwt.MapClaims) { delete(c, "email_verified") }), nil), "n-1", sso.ErrEmailNotVerified},
		{"EmailVerifiedFalse", m.mint(t, m.claims(func(c jwt.MapClaims) { c["email_verified"] = false }), nil), "n-1", sso.ErrEmailNotVerified},
		{"EmailVerifiedOtherString", m.mint(t, m.claims(func(c jwt.MapClaims) { c["email_verified"] = "yes" }), nil), "n-1", sso.ErrEmailNotVerified},
		{"NoEmail", m.mint(t, m.claims(func(c jwt.MapClaims) { delete(c, "email") }), nil), "n-1", sso.ErrNoEmail},
		// Entra ID's xms_edov stands in only for a missing email_verified.
		{"EntraEdovFalse", m.mint(t, m.claims(func(c jwt.MapClaims) { delete(c, "email_verified"); c["xms_edov"] = false }), nil), "n-1", sso.ErrEmailNotVerified},
		{"EntraEdovOtherString", m.mint(t, m.claims(func(c jwt.MapClaims) { delete(c, "email_verified"); c["xms_edov"] = "yes" }), nil), "n-1", sso.ErrEmailNotVerified},
		{"EntraEdovNumber", m.mint(t, m.claims(func(c jwt.MapClaims) { delete(c, "email_verified"); c["xms_edov"] = 1 }), nil), "n-1", sso.ErrEmailNotVerified},
		{"EmailVerifiedFalseOutranksEdov", m.mint(t, m.claims(func(c jwt.MapClaims) { c["email_verified"] = false; c["xms_edov"] = true }), nil), "n-1", sso.ErrEmailNotVerified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id, err := p.Verify(context.Background(), tt.token, tt.nonce)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %+v, %v; want %v", id, err, tt.want)
			}
		})
	}

	t.Run("TheUntouchedTokenPasses", func(t *testing.T) {
		// The cases above fail for what they change, not for the base.
		t.Parallel()
		if _, err := p.Verify(context.Background(), m.mint(t, m.claims(nil), nil), "n-1"); err != nil {
			t.Fatal(err)
		}
	})
}

// What a valid token says about the person, in the shapes providers send.
func TestVerifyReadsClaims(t *testing.T) {
	t.Parallel()
	m := newMock(t)
	tests := []struct {
		name       string
		claim      string // the groups claim; "" is "groups"
		change     func(jwt.MapClaims)
		wantName   string
		wantGroups []string
		wantSent   bool
	}{
		{name: "GroupsList", wantName: "Ann Archer", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "GroupsSingleString", change: func(c jwt.MapClaims) { c["groups"] = "handoff-sa" },
			wantName: "Ann Archer", wantGroups: []string{"handoff-sa"}, wantSent: true},
		{name: "NoGroupsClaim", change: func(c jwt.MapClaims) { delete(c, "groups") }, wantName: "Ann Archer"},
		{name: "NonStringsInListSkipped", change: func(c jwt.MapClaims) { c["groups"] = []any{42, "handoff-se", map[string]any{"x": 1}, " "} },
			wantName: "Ann Archer", wantGroups: []string{"handoff-se"}, wantSent: true},
		{name: "KeycloakRealmRoles", claim: "realm_access.roles",
			change: func(c jwt.MapClaims) {
				c["realm_access"] = map[string]any{"roles": []string{"offline_access", "handoff-se"}}
			},
			wantName: "Ann Archer", wantGroups: []string{"offline_access", "handoff-se"}, wantSent: true},
		{name: "Auth0NamespacedClaim", claim: "https://handoff.example.com/groups",
			change:   func(c jwt.MapClaims) { c["https://handoff.example.com/groups"] = []string{"handoff-admins"} },
			wantName: "Ann Archer", wantGroups: []string{"handoff-admins"}, wantSent: true},
		{name: "EntraAppRoles", claim: "roles", change: func(c jwt.MapClaims) { c["roles"] = []string{"handoff-managers"} },
			wantName: "Ann Archer", wantGroups: []string{"handoff-managers"}, wantSent: true},
		{name: "NameFromGivenAndFamily", change: func(c jwt.MapClaims) {
			delete(c, "name")
			c["given_name"], c["family_name"] = "Ann", "Archer"
		}, wantName: "Ann Archer", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "NameFromEmail", change: func(c jwt.MapClaims) { delete(c, "name") },
			wantName: "ann.archer@example.com", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "NameSqueezedAndCut", change: func(c jwt.MapClaims) { c["name"] = " Ann \n  Archer " + strings.Repeat("x", 300) },
			wantName: ("Ann Archer " + strings.Repeat("x", 300))[:200], wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "EmailVerifiedAsString", change: func(c jwt.MapClaims) { c["email_verified"] = "true" },
			wantName: "Ann Archer", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "EntraEdovInsteadOfEmailVerified", change: func(c jwt.MapClaims) { delete(c, "email_verified"); c["xms_edov"] = true },
			wantName: "Ann Archer", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "EntraEdovAsStringTrue", change: func(c jwt.MapClaims) { delete(c, "email_verified"); c["xms_edov"] = "true" },
			wantName: "Ann Archer", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "EntraEdovAsStringOne", change: func(c jwt.MapClaims) { delete(c, "email_verified"); c["xms_edov"] = "1" },
			wantName: "Ann Archer", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
		{name: "EntraEdovWithEmailVerifiedNull", change: func(c jwt.MapClaims) { c["email_verified"] = nil; c["xms_edov"] = true },
			wantName: "Ann Archer", wantGroups: []string{"everyone", "handoff-sa"}, wantSent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := m.provider(t, func(c *sso.Config) {
				if tt.claim != "" {
					c.GroupsClaim = tt.claim
				}
			})
			id, err := p.Verify(context.Background(), m.mint(t, m.claims(tt.change), nil), "n-1")
			if err != nil {
				t.Fatal(err)
			}
			if id.Email != "ann.archer@example.com" || id.Subject != "00u-ann" || id.Issuer != m.Issuer() {
				t.Errorf("who = %q %q %q", id.Email, id.Subject, id.Issuer)
			}
			if id.Name != tt.wantName || !slices.Equal(id.Groups, tt.wantGroups) || id.GroupsSent != tt.wantSent {
				t.Errorf("got name %q, groups %q (sent %v); want %q, %q (sent %v)", id.Name, id.Groups, id.GroupsSent, tt.wantName, tt.wantGroups, tt.wantSent)
			}
		})
	}
}

// discovery serves a discovery document naming issuer (the server's own URL
// when empty) and its endpoints, with the scopes given.
func discovery(t *testing.T, issuer string, scopes []string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		iss := issuer
		if iss == "" {
			iss = srv.URL
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "authorization_endpoint": srv.URL + "/authorize",
			"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/jwks", "scopes_supported": scopes})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A provider Handoff cannot use stops the start with one line an admin acts on.
func TestNewExplainsABadIssuer(t *testing.T) {
	t.Parallel()
	base := sso.Config{ClientID: "handoff", ClientSecret: "s", RedirectURL: "http://handoff.test/auth/oidc/callback", Name: "SSO", GroupsClaim: "groups"}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>\n<body>\n<h1>Not Found</h1>\n</body>\n</html>", http.StatusNotFound)
	}))
	t.Cleanup(html.Close)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)
	other := discovery(t, "https://login.example.com/tenant-b", nil)

	tests := []struct {
		name   string
		issuer string
		client *http.Client
		want   []string
	}{
		{"Unreachable", closed.URL, nil, []string{"could not read its discovery document (", "connection refused", "); check the URL and that this server can reach it"}},
		{"NotAProvider", html.URL + "/wiki", nil, []string{"could not read its discovery document (404 Not Found", "check the URL"}},
		{"TooSlow", slow.URL, &http.Client{Timeout: 100 * time.Millisecond}, []string{"did not send its discovery document within", "check the URL"}},
		{"AnotherIssuer", other.URL, nil, []string{`is not the issuer its discovery document names ("https://login.example.com/tenant-b"); set HANDOFF_OIDC_ISSUER to exactly that`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := base
			cfg.Issuer, cfg.HTTPClient = tt.issuer, tt.client
			p, err := sso.New(context.Background(), cfg)
			var de *sso.DiscoveryError
			if !errors.As(err, &de) {
				t.Fatalf("New = %v, %v; want a DiscoveryError", p, err)
			}
			if de.Issuer != tt.issuer || strings.Contains(de.Problem, "\n") {
				t.Errorf("issuer %q, problem on more than one line: %q", de.Issuer, de.Problem)
			}
			for _, w := range tt.want {
				if !strings.Contains(de.Problem, w) {
					t.Errorf("problem %q lacks %q", de.Problem, w)
				}
			}
		})
	}
}

func TestNewAdaptsToTheProvider(t *testing.T) {
	t.Parallel()
	base := sso.Config{ClientID: "handoff", ClientSecret: "s", RedirectURL: "http://handoff.test/auth/oidc/callback", Name: "SSO", GroupsClaim: "groups"}

	t.Run("IssuerWithTrailingSlash", func(t *testing.T) {
		// Auth0's issuer ends in a slash, which the configuration trims.
		t.Parallel()
		var srv *httptest.Server
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = json.NewEncoder(w).Encode(map[string]any{"issuer": srv.URL + "/", "authorization_endpoint": srv.URL + "/authorize",
				"token_endpoint": srv.URL + "/token", "jwks_uri": srv.URL + "/jwks"})
		}))
		t.Cleanup(srv.Close)
		cfg := base
		cfg.Issuer = srv.URL
		p, err := sso.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if p.Issuer() != srv.URL+"/" {
			t.Errorf("issuer = %q, want the provider's own %q", p.Issuer(), srv.URL+"/")
		}
	})

	t.Run("NoGroupsScopeWhereTheProviderHasNone", func(t *testing.T) {
		// Google and Entra ID refuse a scope they do not offer.
		t.Parallel()
		cfg := base
		cfg.Issuer = discovery(t, "", []string{"openid", "email", "profile"}).URL
		p, err := sso.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(p.AuthCodeURL(sso.NewAttempt()))
		if got := u.Query().Get("scope"); got != "openid email profile" {
			t.Errorf("scope = %q", got)
		}
	})
}
