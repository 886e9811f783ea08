package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
)

// seedDemo fills an empty database with the demo org and prints the logins.
func (p *program) seedDemo(ctx context.Context, db *postgres.DB, deals int) error {
	seeded, err := demo.SeedOrg(ctx, db, password.Default())
	if err != nil {
		return err
	}
	if seeded && deals > 0 {
		// A first demo start can also get a small history of deals, so every
		// page has something to show (make run asks for it).
		sum, err := demo.Generate(ctx, db, demo.Options{Deals: deals, Now: time.Now(), Seed: 1}, io.Discard)
		switch {
		case errors.Is(err, demo.ErrNotEmpty):
		case err != nil:
			return err
		default:
			fmt.Fprintf(p.stdout, "\nDemo deals made: %s\n", sum)
		}
	}
	if seeded {
		fmt.Fprintln(p.stdout, "\nDemo org created (HANDOFF_DEMO=1). Log in as any of these people:")
	} else {
		fmt.Fprintln(p.stdout, "\nDemo logins (HANDOFF_DEMO=1; created on the first run, unless changed since):")
	}
	tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
	for _, person := range demo.People {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", person.Role.Label(), person.Email, person.Name)
	}
	fmt.Fprintf(tw, "  Password for all:\t%s\n\n", demo.Password)
	return tw.Flush()
}
