package main

import (
	"context"
	"log/slog"

	"github.com/handoff-app/handoff/internal/config"
	"github.com/handoff-app/handoff/internal/postgres"
)

// webhook runs `handoff webhook add|list|remove`.
func (p *program) webhook(ctx context.Context, args []string) error {
	return usageError{"usage: handoff webhook add|list|remove"}
}

// hookEvents makes every pack event this process records enqueue its
// webhook deliveries in the event's own transaction.
func hookEvents(cfg config.Config, db *postgres.DB, logger *slog.Logger) error { return nil }
