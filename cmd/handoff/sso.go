package main

import (
	"context"
	"log/slog"

	"github.com/handoff-app/handoff/internal/config"
	"github.com/handoff-app/handoff/internal/sso"
)

// ssoProvider discovers the configured identity provider at start; nil when
// single sign-on is off.
func ssoProvider(ctx context.Context, cfg config.Config, logger *slog.Logger) (*sso.Provider, error) {
	return nil, nil
}
