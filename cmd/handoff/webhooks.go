package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/handoff-app/handoff/internal/config"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/webhook"
)

const webhookUsage = `Usage:
  handoff webhook add --url URL [--events a,b] [--kind standard|slack] [--description TEXT]
        register an endpoint; prints its id and, for standard, its signing
        secret (whsec_…), shown this once only
  handoff webhook list
  handoff webhook roll-secret --id N
        give a standard endpoint a new signing secret, printed this once only;
        for 24 hours deliveries are signed with the old one too
  handoff webhook remove --id N
        remove an endpoint and its delivery log

Events (all when --events is not given):
  deal.created, pack.submitted, pack.returned, pack.acknowledged,
  commitment.decided, architecture.locked, clock.overdue

A standard endpoint gets signed JSON (Standard Webhooks); a slack endpoint is
a Slack incoming-webhook URL and gets readable messages. Addresses must be
https and public unless HANDOFF_WEBHOOK_ALLOW_PRIVATE=1. See docs/webhooks.md.`

// webhook runs `handoff webhook add|list|roll-secret|remove`.
func (p *program) webhook(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(p.stderr, webhookUsage)
		return usageError{"webhook: no action given"}
	}
	action, rest := args[0], args[1:]
	switch action {
	case "help", "-h", "--help":
		fmt.Fprintln(p.stdout, webhookUsage)
		return nil
	case "add", "list", "roll-secret", "remove":
	default:
		fmt.Fprintln(p.stderr, webhookUsage)
		return usageError{fmt.Sprintf("webhook: unknown action %q; use add, list, roll-secret or remove", action)}
	}
	fs := flag.NewFlagSet("webhook "+action, flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	fs.Usage = func() { fmt.Fprintln(p.stderr, webhookUsage) }
	rawURL := fs.String("url", "", "the address to POST events to")
	events := fs.String("events", "", "comma-separated event types (default: all)")
	kind := fs.String("kind", "standard", "standard (signed JSON) or slack")
	desc := fs.String("description", "", "what the endpoint is, e.g. Salesforce or #deals")
	id := fs.Int64("id", 0, "the endpoint's id, from handoff webhook list")
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("webhook %s: unexpected argument %q", action, fs.Arg(0))}
	}
	switch {
	case action == "add" && *rawURL == "":
		return usageError{"webhook add: --url is required"}
	case (action == "remove" || action == "roll-secret") && *id <= 0:
		return usageError{"webhook " + action + ": --id is required (see handoff webhook list)"}
	}

	cfg, _, db, err := p.openMigrated(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()

	switch action {
	case "add":
		chosen := webhook.Names(webhook.AllTypes())
		if *events != "" {
			chosen = strings.Split(*events, ",")
		}
		guard := webhook.Guard{AllowPrivate: cfg.WebhookAllowPrivate}
		reg, err := guard.Register(ctx, net.DefaultResolver, webhook.Input{URL: *rawURL, Kind: *kind, Events: chosen, Description: *desc})
		if fields := handoff.InvalidFields(err); fields != nil {
			return fmt.Errorf("webhook add: %s", flagErrors(fields))
		}
		if err != nil {
			return err
		}
		e, err := db.CreateWebhookEndpoint(ctx, postgres.NewWebhookEndpoint{URL: reg.URL, Kind: string(reg.Kind),
			Events: webhook.Names(reg.Events), Description: reg.Description, Secret: reg.Secret}, 0, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(p.stdout, "id %d\n", e.ID)
		if reg.Secret != "" {
			// Alone on its line, so `awk '/^secret/ {print $2}'` finds it.
			fmt.Fprintf(p.stdout, "secret %s\n", reg.Secret)
			fmt.Fprintln(p.stderr, "added the endpoint; the signing secret is shown this once only: store it with the receiver now")
		} else {
			fmt.Fprintln(p.stderr, "added the Slack endpoint")
		}
	case "list":
		es, err := db.WebhookEndpoints(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tURL\tEVENTS\tSTATE\tLAST DELIVERY")
		for _, e := range es {
			state := "enabled"
			if !e.Enabled {
				state = "disabled"
			}
			last := "none yet"
			if e.LastState != nil && e.LastAt != nil {
				last = *e.LastState + " " + e.LastAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Kind, webhook.DisplayURL(webhook.Kind(e.Kind), e.URL),
				strings.Join(e.Events, ","), state, last)
		}
		return tw.Flush()
	case "roll-secret":
		secret, err := webhook.NewSecret()
		if err != nil {
			return err
		}
		until := time.Now().Add(webhook.PreviousSecretFor)
		e, err := db.RollWebhookSecret(ctx, *id, secret, until)
		switch handoff.ErrorCode(err) {
		case "":
		case handoff.ENOTFOUND:
			return fmt.Errorf("webhook roll-secret: no endpoint has the id %d; see handoff webhook list", *id)
		case handoff.ECONFLICT:
			return fmt.Errorf("webhook roll-secret: %s", handoff.ErrorMessage(err))
		default:
			return err
		}
		fmt.Fprintf(p.stdout, "secret %s\n", secret)
		fmt.Fprintf(p.stderr, "rolled the secret of endpoint %d (%s); it is shown this once only. Until %s deliveries are signed with the old secret too: move the receiver to the new one before then\n",
			e.ID, webhook.DisplayURL(webhook.Kind(e.Kind), e.URL), until.UTC().Format(time.RFC3339))
	case "remove":
		e, err := db.DeleteWebhookEndpoint(ctx, *id)
		if handoff.ErrorCode(err) == handoff.ENOTFOUND {
			return fmt.Errorf("webhook remove: no endpoint has the id %d; see handoff webhook list", *id)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(p.stdout, "removed endpoint %d (%s)\n", e.ID, webhook.DisplayURL(webhook.Kind(e.Kind), e.URL))
	}
	return nil
}

// flagErrors names each bad field by its flag: "--url: …; --events: …".
func flagErrors(fields map[string]string) string {
	var out []string
	for f, msg := range fields {
		out = append(out, "--"+f+": "+msg)
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

// hookEvents makes every pack event this process records enqueue its
// webhook deliveries in the event's own transaction.
func hookEvents(cfg config.Config, db *postgres.DB) error {
	h, err := jobs.NewWebhooks(db, cfg.BaseURL.String())
	if err != nil {
		return err
	}
	db.OnEvent = h.OnEvent
	return nil
}
