// Package config reads Handoff's settings from the environment once, at start,
// so the rest of the program receives plain values through constructors. The
// variable names are a contract: scripts, docs and deployments rely on them.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Config is the process configuration.
type Config struct {
	DatabaseURL string     // DATABASE_URL
	Addr        string     // HANDOFF_ADDR, default ":8080"
	BaseURL     *url.URL   // HANDOFF_BASE_URL, default "http://localhost:8080"
	LogFormat   string     // HANDOFF_LOG_FORMAT: text | json
	LogLevel    slog.Level // HANDOFF_LOG_LEVEL: debug | info | warn | error
	Demo        bool       // HANDOFF_DEMO=1 seeds a demo org into an empty database
	DemoDeals   int        // HANDOFF_DEMO_DEALS: deals the demo org gets on its first start (0: none)

	SMTPURL  string // HANDOFF_SMTP_URL: smtp://user:pass@host:587 (STARTTLS) or smtps://…; empty logs mails instead
	MailFrom string // HANDOFF_MAIL_FROM: the From address of reminders
	Workers  bool   // HANDOFF_WORKERS: run the job workers inside serve (default on)

	MetricsToken string         // HANDOFF_METRICS_TOKEN: bearer token non-loopback scrapers present
	MetricsAllow []netip.Prefix // HANDOFF_METRICS_ALLOW: comma-separated CIDRs allowed to scrape without a token

	// TrustedProxies (HANDOFF_TRUSTED_PROXIES: comma-separated CIDRs) are the
	// reverse proxies whose X-Forwarded-For is believed; from anyone else the
	// header is ignored, so a client cannot choose its own address.
	TrustedProxies []netip.Prefix

	// DebugAddr (HANDOFF_DEBUG_ADDR), when set, serves Go's profiler
	// (/debug/pprof/) on a loopback address, for measuring a running server.
	DebugAddr string

	// OIDC is single sign-on through an OpenID Connect provider; its Issuer
	// is empty when SSO is off.
	OIDC OIDC
	// PasswordLogin (HANDOFF_PASSWORD_LOGIN, default on) offers email and
	// password on the login page; off leaves SSO and the CLI as the ways in.
	PasswordLogin bool

	// WebhookAllowPrivate (HANDOFF_WEBHOOK_ALLOW_PRIVATE=1) lets webhook
	// endpoints resolve to loopback, link-local and private addresses: an
	// on-premise CRM, or a test. Off, such endpoints are refused.
	WebhookAllowPrivate bool
}

// OIDC is the single sign-on configuration.
type OIDC struct {
	Issuer       string // HANDOFF_OIDC_ISSUER, e.g. https://acme.okta.com
	ClientID     string // HANDOFF_OIDC_CLIENT_ID
	ClientSecret string // HANDOFF_OIDC_CLIENT_SECRET
	Name         string // HANDOFF_OIDC_NAME: the button says "Sign in with <Name>" (default "SSO")
	GroupsClaim  string // HANDOFF_OIDC_GROUPS_CLAIM (default "groups")
	// RoleGroups (HANDOFF_OIDC_ROLE_GROUPS, "admin=handoff-admins,se=handoff-se")
	// maps IdP groups to Handoff roles, in the order written.
	RoleGroups []RoleGroup
}

// RoleGroup says members of Group get Role ("admin", "manager", "sa" or "se").
type RoleGroup struct {
	Role  string
	Group string
}

// Enabled reports whether single sign-on is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

// Secure reports whether the public URL is https, which turns on Secure cookies
// and HSTS.
func (c Config) Secure() bool { return c.BaseURL.Scheme == "https" }

// Error names the variable that is wrong and says what to do about it, so a bad
// deployment fails at start with one actionable line.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("configuration: %s %s", e.Var, e.Msg) }

// Load reads the configuration through getenv. needDB is false for commands that
// never touch the database (version, help).
func Load(getenv func(string) string, needDB bool) (Config, error) {
	c := Config{
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
		Addr:        orDefault(getenv("HANDOFF_ADDR"), ":8080"),
		LogFormat:   strings.ToLower(orDefault(getenv("HANDOFF_LOG_FORMAT"), "text")),
	}

	if needDB {
		if c.DatabaseURL == "" {
			return c, &Error{"DATABASE_URL", "is not set; set it to a PostgreSQL URL such as postgres://user:pass@localhost:5432/handoff"}
		}
		if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
			return c, &Error{"DATABASE_URL", "is not a valid PostgreSQL URL or DSN (expected postgres://user:pass@host:5432/dbname)"}
		}
	}

	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return c, &Error{"HANDOFF_ADDR", fmt.Sprintf("is %q; use host:port such as :8080 or 127.0.0.1:8080", c.Addr)}
	}

	raw := orDefault(getenv("HANDOFF_BASE_URL"), "http://localhost:8080")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, &Error{"HANDOFF_BASE_URL", fmt.Sprintf("is %q; use the public URL people open, such as https://handoff.example.com", raw)}
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	c.BaseURL = u

	switch c.LogFormat {
	case "text", "json":
	default:
		return c, &Error{"HANDOFF_LOG_FORMAT", fmt.Sprintf("is %q; use text or json", c.LogFormat)}
	}

	level := strings.ToLower(orDefault(getenv("HANDOFF_LOG_LEVEL"), "info"))
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return c, &Error{"HANDOFF_LOG_LEVEL", fmt.Sprintf("is %q; use debug, info, warn or error", level)}
	}

	switch demo := strings.TrimSpace(getenv("HANDOFF_DEMO")); demo {
	case "", "0", "false":
	case "1", "true":
		c.Demo = true
	default:
		return c, &Error{"HANDOFF_DEMO", fmt.Sprintf("is %q; use 1 to seed a demo org or leave it unset", demo)}
	}
	c.SMTPURL = strings.TrimSpace(getenv("HANDOFF_SMTP_URL"))
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return c, &Error{"HANDOFF_SMTP_URL", "is not an SMTP URL; use smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465"}
		}
	}
	c.MailFrom = strings.TrimSpace(getenv("HANDOFF_MAIL_FROM"))
	if c.MailFrom == "" {
		c.MailFrom = "Handoff <handoff@" + c.BaseURL.Hostname() + ">"
	} else if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return c, &Error{"HANDOFF_MAIL_FROM", fmt.Sprintf("is %q; use an address such as Handoff <handoff@example.com>", c.MailFrom)}
	}
	switch w := strings.ToLower(strings.TrimSpace(getenv("HANDOFF_WORKERS"))); w {
	case "", "1", "true", "on":
		c.Workers = true
	case "0", "false", "off":
	default:
		return c, &Error{"HANDOFF_WORKERS", fmt.Sprintf("is %q; use on or off", w)}
	}
	c.MetricsToken = strings.TrimSpace(getenv("HANDOFF_METRICS_TOKEN"))
	if c.MetricsAllow, err = prefixes(getenv, "HANDOFF_METRICS_ALLOW"); err != nil {
		return c, err
	}
	if c.TrustedProxies, err = prefixes(getenv, "HANDOFF_TRUSTED_PROXIES"); err != nil {
		return c, err
	}
	for _, p := range c.TrustedProxies {
		if p.Bits() == 0 {
			// Trusting every address would let any client choose its own.
			return c, &Error{"HANDOFF_TRUSTED_PROXIES", fmt.Sprintf("has %s, which is every address; list only your proxies' addresses, such as 10.0.0.5/32", p)}
		}
	}

	if c.DebugAddr = strings.TrimSpace(getenv("HANDOFF_DEBUG_ADDR")); c.DebugAddr != "" {
		// The profiler shows memory and code paths: never on a public address.
		host, port, err := net.SplitHostPort(c.DebugAddr)
		ip, perr := netip.ParseAddr(host)
		if err != nil || port == "" || (host != "localhost" && (perr != nil || !ip.IsLoopback())) {
			return c, &Error{"HANDOFF_DEBUG_ADDR", fmt.Sprintf("is %q; use a loopback address such as 127.0.0.1:6060", c.DebugAddr)}
		}
	}

	if c.OIDC, err = loadOIDC(getenv); err != nil {
		return c, err
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("HANDOFF_PASSWORD_LOGIN"))); v {
	case "", "1", "true", "on":
		c.PasswordLogin = true
	case "0", "false", "off":
		if !c.OIDC.Enabled() {
			// Nobody could sign in through the web at all.
			return c, &Error{"HANDOFF_PASSWORD_LOGIN", "is off but single sign-on is not configured; set HANDOFF_OIDC_ISSUER (and its client settings) or leave password login on"}
		}
	default:
		return c, &Error{"HANDOFF_PASSWORD_LOGIN", fmt.Sprintf("is %q; use on or off", v)}
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("HANDOFF_WEBHOOK_ALLOW_PRIVATE"))); v {
	case "", "0", "false", "off":
	case "1", "true", "on":
		c.WebhookAllowPrivate = true
	default:
		return c, &Error{"HANDOFF_WEBHOOK_ALLOW_PRIVATE", fmt.Sprintf("is %q; use 1 to allow endpoints on private addresses, or leave it unset", v)}
	}

	if raw := strings.TrimSpace(getenv("HANDOFF_DEMO_DEALS")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 10000 {
			return c, &Error{"HANDOFF_DEMO_DEALS", fmt.Sprintf("is %q; use a number of deals from 0 to 10000 (for more, use handoff demo --deals N)", raw)}
		}
		c.DemoDeals = n
	}
	return c, nil
}

// roleNames are the roles an IdP group may map to, highest first.
var roleNames = []string{"admin", "manager", "sa", "se"}

// loadOIDC reads the HANDOFF_OIDC_* variables; all empty is SSO off.
func loadOIDC(getenv func(string) string) (OIDC, error) {
	o := OIDC{
		Issuer:       strings.TrimRight(strings.TrimSpace(getenv("HANDOFF_OIDC_ISSUER")), "/"),
		ClientID:     strings.TrimSpace(getenv("HANDOFF_OIDC_CLIENT_ID")),
		ClientSecret: strings.TrimSpace(getenv("HANDOFF_OIDC_CLIENT_SECRET")),
		Name:         orDefault(getenv("HANDOFF_OIDC_NAME"), "SSO"),
		GroupsClaim:  orDefault(getenv("HANDOFF_OIDC_GROUPS_CLAIM"), "groups"),
	}
	groups := strings.TrimSpace(getenv("HANDOFF_OIDC_ROLE_GROUPS"))
	if o.Issuer == "" {
		if o.ClientID != "" || o.ClientSecret != "" || groups != "" {
			return o, &Error{"HANDOFF_OIDC_ISSUER", "is not set but other HANDOFF_OIDC_ variables are; set it to your provider's issuer URL, such as https://acme.okta.com"}
		}
		return o, nil
	}
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return o, &Error{"HANDOFF_OIDC_ISSUER", fmt.Sprintf("is %q; use the provider's issuer URL, such as https://acme.okta.com", o.Issuer)}
	}
	if o.ClientID == "" {
		return o, &Error{"HANDOFF_OIDC_CLIENT_ID", "is not set; copy the client ID of the app you registered with your identity provider"}
	}
	if o.ClientSecret == "" {
		return o, &Error{"HANDOFF_OIDC_CLIENT_SECRET", "is not set; copy the client secret of the app you registered with your identity provider"}
	}
	if groups == "" {
		return o, &Error{"HANDOFF_OIDC_ROLE_GROUPS", "is not set; map your IdP groups to roles, such as admin=handoff-admins,manager=handoff-managers,sa=handoff-sa,se=handoff-se"}
	}
	for _, part := range strings.Split(groups, ",") {
		role, group, ok := strings.Cut(strings.TrimSpace(part), "=")
		role, group = strings.ToLower(strings.TrimSpace(role)), strings.TrimSpace(group)
		if !ok || group == "" || !slices.Contains(roleNames, role) {
			return o, &Error{"HANDOFF_OIDC_ROLE_GROUPS", fmt.Sprintf("has %q; write role=group pairs with roles admin, manager, sa or se, such as sa=handoff-sa", strings.TrimSpace(part))}
		}
		o.RoleGroups = append(o.RoleGroups, RoleGroup{Role: role, Group: group})
	}
	return o, nil
}

// prefixes reads variable name as comma-separated CIDRs; unset is none.
func prefixes(getenv func(string) string, name string) ([]netip.Prefix, error) {
	raw := strings.TrimSpace(getenv(name))
	if raw == "" {
		return nil, nil
	}
	var out []netip.Prefix
	for _, part := range strings.Split(raw, ",") {
		part = strings.TrimSpace(part)
		pfx, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, &Error{name, fmt.Sprintf("has %q; use CIDRs such as 10.0.0.0/8,192.168.1.5/32", part)}
		}
		out = append(out, pfx.Masked())
	}
	return out, nil
}

func orDefault(v, def string) string {
	if v = strings.TrimSpace(v); v == "" {
		return def
	}
	return v
}
