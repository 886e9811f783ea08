package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

const tokenUsage = `Usage:
  handoff token create --name N   print a new API token (shown this once only)
  handoff token list
  handoff token revoke --name N`

// token runs the `handoff token …` commands that manage the CRM API's bearer
// tokens from scripts.
func (p *program) token(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(p.stderr, tokenUsage)
		return usageError{"token: no action given"}
	}
	action, rest := args[0], args[1:]
	fs := flag.NewFlagSet("token "+action, flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	name := fs.String("name", "", "the token's name, e.g. the system that uses it")
	if err := fs.Parse(rest); err != nil {
		return usageError{err.Error()}
	}
	switch action {
	case "create", "revoke":
		if *name == "" {
			return usageError{fmt.Sprintf("token %s: --name is required", action)}
		}
	case "list":
	default:
		fmt.Fprintln(p.stderr, tokenUsage)
		return usageError{fmt.Sprintf("token: unknown action %q", action)}
	}

	_, _, db, err := p.openMigrated(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()

	switch action {
	case "create":
		t, value, err := db.CreateToken(ctx, *name, 0, time.Now())
		if err != nil {
			if msg, ok := handoff.InvalidFields(err)["name"]; ok {
				return fmt.Errorf("token create: --name: %s", msg)
			}
			return err
		}
		// The token alone on stdout, so `TOKEN=$(handoff token create …)` works;
		// the note goes to stderr.
		fmt.Fprintln(p.stdout, value)
		fmt.Fprintf(p.stderr, "created API token %q; it is shown this once only, store it now\n", t.Name)
	case "list":
		ts, err := db.Tokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tCREATED\tLAST USED\tSTATUS")
		for _, t := range ts {
			used, status := "never", "active"
			if t.LastUsedAt != nil {
				used = t.LastUsedAt.UTC().Format(time.RFC3339)
			}
			if t.RevokedAt != nil {
				status = "revoked " + t.RevokedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.CreatedAt.UTC().Format(time.RFC3339), used, status)
		}
		return tw.Flush()
	case "revoke":
		t, err := db.RevokeToken(ctx, *name, time.Now())
		if err != nil {
			return fmt.Errorf("token revoke: %s", handoff.ErrorMessage(err))
		}
		fmt.Fprintf(p.stdout, "revoked API token %q\n", t.Name)
	}
	return nil
}
