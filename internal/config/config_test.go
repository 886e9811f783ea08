package config

import (
	"errors"
	"log/slog"
	"maps"
	"slices"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	t.Parallel()
	const db = "postgres://u@localhost:5432/handoff"

	t.Run("Defaults", func(t *testing.T) {
		c, err := Load(env(map[string]string{"DATABASE_URL": db}), true)
		if err != nil {
			t.Fatal(err)
		}
		if c.Addr != ":8080" || c.LogFormat != "text" || c.LogLevel != slog.LevelInfo || c.BaseURL.String() != "http://localhost:8080" || c.Secure() || c.Demo {
			t.Fatalf("unexpected defaults: %+v", c)
		}
	})

	t.Run("DebugAddrOnLoopback", func(t *testing.T) {
		for _, addr := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:6060"} {
			c, err := Load(env(map[string]string{"DATABASE_URL": db, "HANDOFF_DEBUG_ADDR": addr}), true)
			if err != nil || c.DebugAddr != addr {
				t.Errorf("HANDOFF_DEBUG_ADDR=%s: %q, %v", addr, c.DebugAddr, err)
			}
		}
	})

	t.Run("HTTPSIsSecure", func(t *testing.T) {
		c, err := Load(env(map[string]string{"DATABASE_URL": db, "HANDOFF_BASE_URL": "https://handoff.example.com/"}), true)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Secure() || c.BaseURL.String() != "https://handoff.example.com" {
			t.Fatalf("got %v secure=%v", c.BaseURL, c.Secure())
		}
	})

	t.Run("MailWorkersMetrics", func(t *testing.T) {
		c, err := Load(env(map[string]string{"DATABASE_URL": db, "HANDOFF_SMTP_URL": "smtp://u:p@mail.example.com:587",
			"HANDOFF_WORKERS": "off", "HANDOFF_METRICS_ALLOW": "10.0.0.0/8, 192.168.1.5/32"}), true)
		if err != nil {
			t.Fatal(err)
		}
		if c.Workers || c.SMTPURL == "" || len(c.MetricsAllow) != 2 || c.MailFrom != "Handoff <handoff@localhost>" {
			t.Errorf("got %+v", c)
		}
	})

	t.Run("TrustedProxies", func(t *testing.T) {
		c, err := Load(env(map[string]string{"DATABASE_URL": db, "HANDOFF_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.5/32 ,fd00::1/64"}), true)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"10.0.0.0/8", "192.168.1.5/32", "fd00::/64"}
		if len(c.TrustedProxies) != len(want) {
			t.Fatalf("TrustedProxies = %v, want %v", c.TrustedProxies, want)
		}
		for i, p := range c.TrustedProxies {
			if p.String() != want[i] {
				t.Errorf("TrustedProxies[%d] = %s, want %s", i, p, want[i])
			}
		}
		if c, _ := Load(env(map[string]string{"DATABASE_URL": db}), true); c.TrustedProxies != nil {
			t.Errorf("unset HANDOFF_TRUSTED_PROXIES trusts %v, want no proxy", c.TrustedProxies)
		}
	})

	t.Run("NoDatabaseNeeded", func(t *testing.T) {
		if _, err := Load(env(nil), false); err != nil {
			t.Fatal(err)
		}
	})

	bad := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"ErrDatabaseURLMissing", map[string]string{}, "DATABASE_URL"},
		{"ErrDatabaseURLInvalid", map[string]string{"DATABASE_URL": "postgres://:::bad"}, "DATABASE_URL"},
		{"ErrAddr", map[string]string{"DATABASE_URL": db, "HANDOFF_ADDR": "8080"}, "HANDOFF_ADDR"},
		{"ErrBaseURLScheme", map[string]string{"DATABASE_URL": db, "HANDOFF_BASE_URL": "ftp://x"}, "HANDOFF_BASE_URL"},
		{"ErrBaseURLNoHost", map[string]string{"DATABASE_URL": db, "HANDOFF_BASE_URL": "handoff.example.com"}, "HANDOFF_BASE_URL"},
		{"ErrLogFormat", map[string]string{"DATABASE_URL": db, "HANDOFF_LOG_FORMAT": "xml"}, "HANDOFF_LOG_FORMAT"},
		{"ErrLogLevel", map[string]string{"DATABASE_URL": db, "HANDOFF_LOG_LEVEL": "loud"}, "HANDOFF_LOG_LEVEL"},
		{"ErrDemo", map[string]string{"DATABASE_URL": db, "HANDOFF_DEMO": "yes please"}, "HANDOFF_DEMO"},
		{"ErrSMTPURL", map[string]string{"DATABASE_URL": db, "HANDOFF_SMTP_URL": "mail.example.com:587"}, "HANDOFF_SMTP_URL"},
		{"ErrMailFrom", map[string]string{"DATABASE_URL": db, "HANDOFF_MAIL_FROM": "not an address"}, "HANDOFF_MAIL_FROM"},
		{"ErrWorkers", map[string]string{"DATABASE_URL": db, "HANDOFF_WORKERS": "maybe"}, "HANDOFF_WORKERS"},
		{"ErrMetricsAllow", map[string]string{"DATABASE_URL": db, "HANDOFF_METRICS_ALLOW": "10.0.0.0/8,office"}, "HANDOFF_METRICS_ALLOW"},
		{"ErrDebugAddrPublic", map[string]string{"DATABASE_URL": db, "HANDOFF_DEBUG_ADDR": ":6060"}, "HANDOFF_DEBUG_ADDR"},
		{"ErrDebugAddrLAN", map[string]string{"DATABASE_URL": db, "HANDOFF_DEBUG_ADDR": "10.0.0.5:6060"}, "HANDOFF_DEBUG_ADDR"},
		{"ErrDebugAddrNoPort", map[string]string{"DATABASE_URL": db, "HANDOFF_DEBUG_ADDR": "127.0.0.1"}, "HANDOFF_DEBUG_ADDR"},
		{"ErrTrustedProxiesNotCIDR", map[string]string{"DATABASE_URL": db, "HANDOFF_TRUSTED_PROXIES": "10.0.0.5"}, "HANDOFF_TRUSTED_PROXIES"},
		{"ErrTrustedProxiesName", map[string]string{"DATABASE_URL": db, "HANDOFF_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"}, "HANDOFF_TRUSTED_PROXIES"},
		{"ErrTrustedProxiesEmptyItem", map[string]string{"DATABASE_URL": db, "HANDOFF_TRUSTED_PROXIES": "10.0.0.0/8,"}, "HANDOFF_TRUSTED_PROXIES"},
		{"ErrTrustedProxiesEveryAddress", map[string]string{"DATABASE_URL": db, "HANDOFF_TRUSTED_PROXIES": "0.0.0.0/0"}, "HANDOFF_TRUSTED_PROXIES"},
		{"ErrTrustedProxiesEveryIPv6Address", map[string]string{"DATABASE_URL": db, "HANDOFF_TRUSTED_PROXIES": "::/0"}, "HANDOFF_TRUSTED_PROXIES"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(tc.env), true)
			var cerr *Error
			if !errors.As(err, &cerr) || cerr.Var != tc.want {
				t.Fatalf("got %v, want a configuration error naming %s", err, tc.want)
			}
		})
	}
}

func TestLoadSSOAndWebhooks(t *testing.T) {
	t.Parallel()
	const db = "postgres://u@localhost:5432/handoff"
	sso := map[string]string{"DATABASE_URL": db, "HANDOFF_OIDC_ISSUER": "https://idp.example.com/",
		"HANDOFF_OIDC_CLIENT_ID": "handoff", "HANDOFF_OIDC_CLIENT_SECRET": "s3cret",
		"HANDOFF_OIDC_ROLE_GROUPS": "admin=handoff-admins, SA = handoff-sa,se=handoff-se,se=sales-eng"}

	t.Run("Defaults", func(t *testing.T) {
		c, err := Load(env(map[string]string{"DATABASE_URL": db}), true)
		if err != nil {
			t.Fatal(err)
		}
		if c.OIDC.Enabled() || !c.PasswordLogin || c.WebhookAllowPrivate {
			t.Fatalf("defaults: SSO %v, password login %v, private webhooks %v", c.OIDC.Enabled(), c.PasswordLogin, c.WebhookAllowPrivate)
		}
	})

	t.Run("SSO", func(t *testing.T) {
		m := maps.Clone(sso)
		m["HANDOFF_PASSWORD_LOGIN"] = "off"
		m["HANDOFF_WEBHOOK_ALLOW_PRIVATE"] = "1"
		c, err := Load(env(m), true)
		if err != nil {
			t.Fatal(err)
		}
		want := []RoleGroup{{"admin", "handoff-admins"}, {"sa", "handoff-sa"}, {"se", "handoff-se"}, {"se", "sales-eng"}}
		if !c.OIDC.Enabled() || c.OIDC.Issuer != "https://idp.example.com" || c.OIDC.Name != "SSO" || c.OIDC.GroupsClaim != "groups" ||
			!slices.Equal(c.OIDC.RoleGroups, want) || c.PasswordLogin || !c.WebhookAllowPrivate {
			t.Fatalf("got %+v, password login %v", c.OIDC, c.PasswordLogin)
		}
	})

	for _, tc := range []struct {
		name, key, value, wantVar string
	}{
		{"IssuerNotURL", "HANDOFF_OIDC_ISSUER", "idp.example.com", "HANDOFF_OIDC_ISSUER"},
		{"NoClientID", "HANDOFF_OIDC_CLIENT_ID", "", "HANDOFF_OIDC_CLIENT_ID"},
		{"NoSecret", "HANDOFF_OIDC_CLIENT_SECRET", "", "HANDOFF_OIDC_CLIENT_SECRET"},
		{"NoGroups", "HANDOFF_OIDC_ROLE_GROUPS", "", "HANDOFF_OIDC_ROLE_GROUPS"},
		{"UnknownRole", "HANDOFF_OIDC_ROLE_GROUPS", "boss=handoff-admins", "HANDOFF_OIDC_ROLE_GROUPS"},
		{"NoGroupName", "HANDOFF_OIDC_ROLE_GROUPS", "admin=", "HANDOFF_OIDC_ROLE_GROUPS"},
		{"NoIssuer", "HANDOFF_OIDC_ISSUER", "", "HANDOFF_OIDC_ISSUER"},
		{"PasswordLoginWord", "HANDOFF_PASSWORD_LOGIN", "maybe", "HANDOFF_PASSWORD_LOGIN"},
		{"PrivateWord", "HANDOFF_WEBHOOK_ALLOW_PRIVATE", "yes please", "HANDOFF_WEBHOOK_ALLOW_PRIVATE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := maps.Clone(sso)
			m[tc.key] = tc.value
			_, err := Load(env(m), true)
			var ce *Error
			if !errors.As(err, &ce) || ce.Var != tc.wantVar {
				t.Fatalf("%s=%q: got %v, want an error naming %s", tc.key, tc.value, err, tc.wantVar)
			}
		})
	}

	t.Run("PasswordLoginOffNeedsSSO", func(t *testing.T) {
		_, err := Load(env(map[string]string{"DATABASE_URL": db, "HANDOFF_PASSWORD_LOGIN": "off"}), true)
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != "HANDOFF_PASSWORD_LOGIN" {
			t.Fatalf("got %v", err)
		}
	})
}
