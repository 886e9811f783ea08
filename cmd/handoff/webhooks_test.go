package main

import (
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/config"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

func TestWebhookCommands(t *testing.T) {
	t.Parallel()
	dbURL := postgrestest.URL(t)
	db, err := postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	run := func(allowPrivate bool, args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		p := &program{getenv: func(k string) string {
			switch {
			case k == "DATABASE_URL":
				return dbURL
			case k == "HANDOFF_WEBHOOK_ALLOW_PRIVATE" && allowPrivate:
				return "1"
			}
			return ""
		}, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
		err := p.webhook(t.Context(), args)
		return out.String(), errOut.String(), err
	}

	out, notes, err := run(true, "add", "--url", "http://127.0.0.1:9/crm", "--events", "pack.submitted,clock.overdue", "--description", "On-prem CRM")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "id ") || !strings.HasPrefix(lines[1], "secret whsec_") || !strings.Contains(notes, "once") {
		t.Fatalf("add printed %q (%q); want its id and secret", out, notes)
	}
	secret := strings.TrimPrefix(lines[1], "secret ")
	es, err := db.WebhookEndpoints(t.Context())
	if err != nil || len(es) != 1 || es[0].Secret != secret || strings.Join(es[0].Events, ",") != "pack.submitted,clock.overdue" ||
		lines[0] != "id "+itoa(es[0].ID) {
		t.Fatalf("stored %+v, %v", es, err)
	}
	id := es[0].ID

	t.Run("SlackHasNoSecret", func(t *testing.T) {
		out, _, err := run(true, "add", "--kind", "slack", "--url", "http://127.0.0.1:9/services/T1/B2/c3")
		if err != nil || strings.Contains(out, "secret") || !strings.HasPrefix(out, "id ") {
			t.Errorf("slack add printed %q, %v", out, err)
		}
		slackID := strings.TrimPrefix(strings.TrimSpace(out), "id ")
		if _, _, err := run(false, "roll-secret", "--id", slackID); err == nil || !strings.Contains(err.Error(), "no secret to roll") {
			t.Errorf("roll a Slack endpoint's secret: %v", err)
		}
	})
	t.Run("ListNeverShowsTheSecret", func(t *testing.T) {
		out, _, err := run(false, "list")
		if err != nil || strings.Contains(out, secret) || !strings.Contains(out, "http://127.0.0.1:9/crm") ||
			!strings.Contains(out, "enabled") || !strings.Contains(out, "none yet") || strings.Contains(out, "c3") {
			t.Errorf("list = %q, %v", out, err)
		}
	})
	t.Run("ErrPrivateAddress", func(t *testing.T) {
		_, _, err := run(false, "add", "--url", "https://127.0.0.1/crm")
		if err == nil || !strings.Contains(err.Error(), "--url: ") || !strings.Contains(err.Error(), "HANDOFF_WEBHOOK_ALLOW_PRIVATE") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrUnknownEvent", func(t *testing.T) {
		_, _, err := run(true, "add", "--url", "http://127.0.0.1:9/x", "--events", "pack.deleted")
		if err == nil || !strings.Contains(err.Error(), `--events: "pack.deleted" is not an event`) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("RollSecret", func(t *testing.T) {
		out, notes, err := run(false, "roll-secret", "--id", itoa(id))
		rolled := strings.TrimPrefix(strings.TrimSpace(out), "secret ")
		if err != nil || !strings.HasPrefix(out, "secret whsec_") || rolled == secret || !strings.Contains(notes, "old secret too") {
			t.Fatalf("roll-secret printed %q (%q), %v", out, notes, err)
		}
		e, err := db.WebhookEndpoint(t.Context(), id)
		if err != nil || e.Secret != rolled || e.PreviousSecretUntil == nil || time.Until(*e.PreviousSecretUntil) < 23*time.Hour {
			t.Errorf("stored %+v, %v", e, err)
		}
		if _, _, err := run(false, "roll-secret", "--id", "999"); err == nil || !strings.Contains(err.Error(), "no endpoint has the id") {
			t.Errorf("an unknown id: %v", err)
		}
	})
	t.Run("Remove", func(t *testing.T) {
		if out, _, err := run(false, "remove", "--id", itoa(id)); err != nil || !strings.Contains(out, "removed endpoint "+itoa(id)) {
			t.Fatalf("remove: %q, %v", out, err)
		}
		if _, _, err := run(false, "remove", "--id", itoa(id)); err == nil || !strings.Contains(err.Error(), "no endpoint has the id") {
			t.Errorf("removing it again: %v", err)
		}
	})
	t.Run("Usage", func(t *testing.T) {
		for _, args := range [][]string{nil, {"add"}, {"remove"}, {"roll-secret"}, {"frob"}, {"add", "--url"}, {"list", "extra"}} {
			if _, _, err := run(false, args...); exitCode(err) != 2 {
				t.Errorf("%v: err %v, want a usage error", args, err)
			}
		}
		out, _, err := run(false, "--help")
		if err != nil || !strings.Contains(out, "handoff webhook add --url URL") || !strings.Contains(out, "clock.overdue") {
			t.Errorf("--help: %q, %v", out, err)
		}
	})
}

// The hook every command installs enqueues deliveries with the event.
func TestHookEventsEnqueuesDeliveries(t *testing.T) {
	t.Parallel()
	db := postgrestest.New(t)
	base, _ := url.Parse("https://handoff.example.com")
	if err := hookEvents(config.Config{BaseURL: base}, db); err != nil || db.OnEvent == nil {
		t.Fatalf("hookEvents: %v; OnEvent set: %v", err, db.OnEvent != nil)
	}
	ctx := t.Context()
	ep, err := db.CreateWebhookEndpoint(ctx, postgres.NewWebhookEndpoint{URL: "https://hooks.example.com/in", Kind: "slack",
		Events: []string{"deal.created"}}, 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	se, err := db.CreateUser(ctx, postgres.NewUser{Name: "Sam", Email: "sam@example.com", Role: handoff.RoleSE})
	if err != nil {
		t.Fatal(err)
	}
	// Fixed due dates: this test is about the hook, not the calendar.
	fixedDue := func(context.Context, pgx.Tx) (postgres.DueFunc, error) {
		return func(time.Time, *time.Time) postgres.Dues {
			return postgres.Dues{PackDueOn: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), KickoffDueOn: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
		}, nil
	}
	if _, err := db.CreateDeal(ctx, &handoff.User{Role: handoff.RoleManager, Active: true}, handoff.Deal{AccountName: "Acme",
		OpportunityName: "Platform", Segment: "enterprise", ARR: handoff.Money{Minor: 100, Currency: "USD"},
		ClosedWonOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), SEID: se.ID}, fixedDue, time.Now()); err != nil {
		t.Fatal(err)
	}
	ds, err := db.WebhookDeliveries(ctx, ep.ID, 0, 10)
	if err != nil || len(ds) != 1 || ds[0].Type != "deal.created" || ds[0].State != "pending" {
		t.Errorf("deliveries %+v, %v", ds, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
