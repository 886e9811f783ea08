package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/handoff-app/handoff/internal/config"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server"
	"github.com/handoff-app/handoff/internal/sso"
)

// ssoProvider discovers the configured identity provider at start; nil when
// single sign-on is off. A provider that cannot be used stops the start with
// one configuration line, rather than a login button that fails later.
func ssoProvider(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sso.Provider, error) {
	o := cfg.OIDC
	if !o.Enabled() {
		return nil, nil
	}
	var groups []sso.RoleGroup
	for _, rg := range o.RoleGroups {
		role, ok := handoff.ParseRole(rg.Role)
		if !ok {
			// config.Load refuses unknown roles; this is a mismatch between
			// its list and the domain's.
			return nil, &config.Error{Var: "HANDOFF_OIDC_ROLE_GROUPS", Msg: fmt.Sprintf("has the role %q, which Handoff does not know; use admin, manager, sa or se", rg.Role)}
		}
		groups = append(groups, sso.RoleGroup{Role: role, Group: rg.Group})
	}
	p, err := sso.New(ctx, sso.Config{
		Issuer:       o.Issuer,
		ClientID:     o.ClientID,
		ClientSecret: o.ClientSecret,
		RedirectURL:  cfg.BaseURL.JoinPath(server.OIDCCallbackPath).String(),
		Name:         o.Name,
		GroupsClaim:  o.GroupsClaim,
		RoleGroups:   groups,
	})
	var de *sso.DiscoveryError
	if errors.As(err, &de) {
		return nil, &config.Error{Var: "HANDOFF_OIDC_ISSUER", Msg: de.Issuer + ": " + de.Problem}
	}
	if err != nil {
		return nil, fmt.Errorf("single sign-on: %w", err)
	}
	var pairs []string
	for _, g := range groups {
		pairs = append(pairs, string(g.Role)+"="+g.Group)
	}
	logger.Info("single sign-on on", "issuer", p.Issuer(), "name", p.Name(),
		"callback", cfg.BaseURL.JoinPath(server.OIDCCallbackPath).String(), "groups_claim", o.GroupsClaim,
		"role_groups", strings.Join(pairs, ","), "password_login", cfg.PasswordLogin)
	return p, nil
}
