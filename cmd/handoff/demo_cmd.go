package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/handoff-app/handoff/internal/demo"
)

const demoUsage = `Usage:
  handoff demo [--deals N] [--seed S]

Fills an empty database with a demo org: people, and N Closed-Won deals over
the last two years with packs in every state (default 1000, at most 1000000).`

// demoCmd runs `handoff demo`: migrate, then bulk-load a believable org.
func (p *program) demoCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	fs.Usage = func() { fmt.Fprintln(p.stderr, demoUsage) }
	deals := fs.Int("deals", 1000, "how many deals to make, 1 to 1000000")
	seed := fs.Int64("seed", 1, "random seed; the same seed on the same day makes the same org")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("demo: unexpected argument %q", fs.Arg(0))}
	}
	if *deals < 1 || *deals > demo.MaxDeals {
		return usageError{fmt.Sprintf("demo: --deals must be between 1 and %d", demo.MaxDeals)}
	}

	_, _, db, err := p.openMigrated(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := demo.Generate(ctx, db, demo.Options{Deals: *deals, Now: time.Now(), Seed: *seed}, p.stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(p.stdout, "Made", sum)
	fmt.Fprintln(p.stdout, "\nLog in as any of these people (and every generated SE, SA and manager):")
	tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
	for _, person := range sum.Logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", person.Role.Label(), person.Email, person.Name)
	}
	fmt.Fprintf(tw, "  Password for all:\t%s\n", demo.Password)
	return tw.Flush()
}
