// Package sso signs people in through the organisation's OpenID Connect
// identity provider (Okta, Entra ID, Google, Keycloak…): the authorization
// code flow with PKCE, state and nonce, and an ID token verified against the
// provider's published keys. It knows nothing of sessions or accounts; the
// server keeps the Attempt in the person's session and decides who they are
// in Handoff from the Identity.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Config is the provider as the deployment describes it (HANDOFF_OIDC_*).
type Config struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is where the provider sends people back: the public base
	// URL and the server's callback path. It must be registered, exactly, at
	// the provider.
	RedirectURL string
	Name        string // the provider as people know it: "Sign in with <Name>"
	GroupsClaim string // the ID token claim listing the person's groups
	RoleGroups  []RoleGroup

	// HTTPClient talks to the provider; nil is a client with RequestTimeout.
	HTTPClient *http.Client
	// Now is the clock ID tokens expire against; nil is time.Now. It is the
	// real time the provider signs with, never a test's business clock.
	Now func() time.Time
}

// Timeouts: a provider that does not answer must not hold the start of the
// server, or a person's sign-in, for long.
const (
	DiscoveryTimeout = 10 * time.Second
	RequestTimeout   = 15 * time.Second
)

// Provider is the configured identity provider, discovered at start.
type Provider struct {
	issuer      string
	clientID    string
	name        string
	groupsClaim string
	roleGroups  []RoleGroup
	client      *http.Client
	oauth       oauth2.Config
	verifier    *oidc.IDTokenVerifier
}

// Errors of a sign-in, for the server to put in words. Each is wrapped with
// the detail, which goes to the log only.
var (
	// ErrExchange: the provider's token endpoint did not give tokens for the
	// code (unreachable, or it refused a used or expired code).
	ErrExchange = errors.New("sso: the code could not be exchanged for tokens")
	// ErrInvalidToken: the ID token failed verification: signature, issuer,
	// audience, expiry or nonce. Either a misconfiguration or an attack.
	ErrInvalidToken = errors.New("sso: the ID token is not valid")
)

// DiscoveryError says why the issuer could not be used at start, in words an
// admin acts on.
type DiscoveryError struct {
	Issuer  string
	Problem string // "could not read its discovery document (…); check …"
	Err     error
}

func (e *DiscoveryError) Error() string {
	return fmt.Sprintf("sso: discover %s: %s", e.Issuer, e.Problem)
}

func (e *DiscoveryError) Unwrap() error { return e.Err }

// New discovers the provider at cfg.Issuer (its
// /.well-known/openid-configuration), waiting at most DiscoveryTimeout. The
// keys that sign ID tokens are fetched when the first one arrives, and again
// whenever the provider rotates them.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: RequestTimeout}
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, client), DiscoveryTimeout)
	defer cancel()
	op, err := oidc.NewProvider(dctx, cfg.Issuer)
	var mismatch *oidc.IssuerMismatchError
	if errors.As(err, &mismatch) && strings.TrimSuffix(mismatch.Discovered, "/") == strings.TrimSuffix(cfg.Issuer, "/") {
		// Only a trailing slash differs (Auth0 issuers end in one; the
		// configuration trims it): the provider's own spelling is the one
		// its tokens carry.
		op, err = oidc.NewProvider(dctx, mismatch.Discovered)
	}
	if err != nil {
		return nil, discoveryError(cfg.Issuer, err)
	}
	var meta struct {
		Issuer string   `json:"issuer"`
		Scopes []string `json:"scopes_supported"`
	}
	if err := op.Claims(&meta); err != nil {
		return nil, discoveryError(cfg.Issuer, err)
	}
	if ep := op.Endpoint(); ep.AuthURL == "" || ep.TokenURL == "" {
		return nil, &DiscoveryError{Issuer: cfg.Issuer, Err: errors.New("no authorization or token endpoint"),
			Problem: "has a discovery document without an authorization or token endpoint; check that it is the issuer URL of an OpenID Connect provider"}
	}

	// "groups" is a scope at Okta and mockoidc; Google and Entra ID refuse
	// scopes they do not know, and send groups (when they do) without one.
	scopes := []string{oidc.ScopeOpenID, "email", "profile"}
	if slices.Contains(meta.Scopes, "groups") {
		scopes = append(scopes, "groups")
	}
	return &Provider{
		issuer:      meta.Issuer,
		clientID:    cfg.ClientID,
		name:        cfg.Name,
		groupsClaim: cfg.GroupsClaim,
		roleGroups:  slices.Clone(cfg.RoleGroups),
		client:      client,
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     op.Endpoint(),
			RedirectURL:  cfg.RedirectURL,
			Scopes:       scopes,
		},
		verifier: op.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: cfg.Now}),
	}, nil
}

// discoveryError puts a failed discovery in an admin's words, on one line.
func discoveryError(issuer string, err error) *DiscoveryError {
	de := &DiscoveryError{Issuer: issuer, Err: err}
	var mismatch *oidc.IssuerMismatchError
	switch {
	case errors.As(err, &mismatch):
		de.Problem = fmt.Sprintf("is not the issuer its discovery document names (%q); set HANDOFF_OIDC_ISSUER to exactly that", mismatch.Discovered)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		de.Problem = fmt.Sprintf("did not send its discovery document within %s; check the URL and that this server can reach it (a firewall or an outbound proxy?)", DiscoveryTimeout)
	default:
		de.Problem = fmt.Sprintf("could not read its discovery document (%s); check the URL and that this server can reach it", oneLine(err.Error()))
	}
	return de
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// oneLine squeezes an error (which may quote a whole HTML error page) into a
// short single line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}

// Name is the provider as people know it, for "Sign in with <Name>".
func (p *Provider) Name() string { return p.name }

// Issuer is the provider's issuer, as its tokens carry it.
func (p *Provider) Issuer() string { return p.issuer }

// Groups lists the provider's groups that give a role in Handoff.
func (p *Provider) Groups() []string { return mappedGroups(p.roleGroups) }

// Role is the role groups give: the highest one mapped (RoleFor).
func (p *Provider) Role(groups []string) (handoff.Role, bool) { return RoleFor(p.roleGroups, groups) }

// Attempt is one sign-in on its way through the provider: what the callback
// must find again, kept in the person's own session and used once. State ties
// the callback to this browser, the nonce ties the ID token to this attempt,
// and the PKCE verifier ties the code to it.
type Attempt struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
}

// NewAttempt makes the random values of a new sign-in.
func NewAttempt() Attempt {
	return Attempt{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier()}
}

// AuthCodeURL is the provider's sign-in page for a.
func (p *Provider) AuthCodeURL(a Attempt) string {
	return p.oauth.AuthCodeURL(a.State, oidc.Nonce(a.Nonce), oauth2.S256ChallengeOption(a.Verifier))
}

// Exchange trades the code the provider sent back for tokens, and verifies
// the ID token among them for a (Verify).
func (p *Provider) Exchange(ctx context.Context, code string, a Attempt) (Identity, error) {
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, p.client), RequestTimeout)
	defer cancel()
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(a.Verifier))
	if err != nil {
		return Identity{}, fmt.Errorf("sso: exchange code at %s: %w: %w", p.issuer, ErrExchange, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fmt.Errorf("sso: exchange code at %s: %w: the answer has no id_token (is the openid scope allowed for this client?)", p.issuer, ErrExchange)
	}
	return p.Verify(ctx, raw, a.Nonce)
}

// Verify checks an ID token as OpenID Connect Core §3.1.3.7 asks: signed by
// one of the provider's published keys, issued by it, for this client (and,
// when it names an authorized party, to this client), not expired, and
// carrying nonce. Then the person must have an email address the provider
// has verified.
func (p *Provider) Verify(ctx context.Context, rawIDToken, nonce string) (Identity, error) {
	tok, err := p.verifier.Verify(oidc.ClientContext(ctx, p.client), rawIDToken)
	if err != nil {
		return Identity{}, fmt.Errorf("sso: verify ID token: %w: %w", ErrInvalidToken, err)
	}
	if nonce == "" || subtle.ConstantTimeCompare([]byte(tok.Nonce), []byte(nonce)) != 1 {
		return Identity{}, fmt.Errorf("sso: verify ID token: %w: its nonce is not this sign-in's", ErrInvalidToken)
	}
	var payload json.RawMessage
	if err := tok.Claims(&payload); err != nil {
		return Identity{}, fmt.Errorf("sso: verify ID token: %w: %w", ErrInvalidToken, err)
	}
	var azp struct {
		AuthorizedParty string `json:"azp"`
	}
	if err := json.Unmarshal(payload, &azp); err == nil && azp.AuthorizedParty != "" && azp.AuthorizedParty != p.clientID {
		return Identity{}, fmt.Errorf("sso: verify ID token: %w: issued to %q, not this client", ErrInvalidToken, azp.AuthorizedParty)
	}
	if tok.Subject == "" || len(tok.Subject) > 255 {
		return Identity{}, fmt.Errorf("sso: verify ID token: %w: no usable subject", ErrInvalidToken)
	}
	return identityFrom(p.issuer, tok.Subject, payload, p.groupsClaim)
}
