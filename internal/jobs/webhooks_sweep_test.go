package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/webhook"
	"github.com/handoff-app/handoff/internal/webhook/webhooktest"
)

// The sweep's webhook part runs after the reminders and the digest and never
// stops them: a pack whose clock.overdue cannot be sent is logged and
// skipped, and the others still go.
func TestWebhookOverdueFailuresDoNotStopTheSweep(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	_, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.ClockOverdue)
	rcv.SetSecret(secret)
	e.set(ny(2026, 11, 9, 10))
	good := e.createPack("Late", ny(2026, 11, 9, 0)) // pack and kickoff due Monday 2026-11-16
	bad := e.createPack("Broken", ny(2026, 11, 9, 0))
	// Whatever goes wrong with one pack's message: here the database refuses it.
	if _, err := e.db.Pool.Exec(ctx, `
		CREATE FUNCTION refuse_pack() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
		CREATE TRIGGER refuse_pack BEFORE INSERT ON webhook_messages
		FOR EACH ROW WHEN (NEW.pack_id = `+itoa(bad)+`) EXECUTE FUNCTION refuse_pack();`); err != nil {
		t.Fatal(err)
	}
	jobsOf := func(kinds ...string) int {
		var n int
		if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = ANY($1)`, kinds).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	e.set(ny(2026, 11, 18, 9))
	if _, err := e.runner.Sweep(ctx); err != nil {
		t.Fatalf("the sweep failed with one pack's webhook: %v", err)
	}
	if n := jobsOf("handoff_reminder", "handoff_digest"); n == 0 {
		t.Error("no reminder or digest enqueued")
	}
	ds := rcv.Wait(2, 10*time.Second)
	for _, d := range ds {
		if id := d.Payload["data"].(map[string]any)["pack"].(map[string]any)["id"]; id != float64(good) || d.Problem != "" {
			t.Errorf("delivery for pack %v: %q", id, d.Problem)
		}
	}
	if logs := e.logs.String(); !strings.Contains(logs, "clock.overdue webhook not enqueued") || !strings.Contains(logs, "pack_id="+itoa(bad)) {
		t.Errorf("the failure is not logged with its pack:\n%s", logs)
	}
	e.waitIdle()
	if n := len(rcv.Deliveries()); n != 2 {
		t.Errorf("%d deliveries; want the good pack's two clocks", n)
	}

	t.Run("NoneSentAtAll", func(t *testing.T) {
		if _, err := e.db.Pool.Exec(ctx, `ALTER TABLE webhook_messages RENAME TO webhook_messages_away`); err != nil {
			t.Fatal(err)
		}
		before := jobsOf("handoff_reminder", "handoff_digest")
		e.set(ny(2026, 11, 19, 9))
		if _, err := e.runner.Sweep(ctx); err != nil {
			t.Fatalf("the sweep failed with its webhook part: %v", err)
		}
		if n := jobsOf("handoff_reminder", "handoff_digest"); n <= before {
			t.Errorf("%d reminders and digests, %d before: the next day's were not enqueued", n, before)
		}
		if !strings.Contains(e.logs.String(), "clock.overdue webhooks not enqueued") {
			t.Errorf("not logged:\n%s", e.logs.String())
		}
	})
}

// The daily cleanup deletes deliveries finished more than 90 days ago and
// the messages no delivery is left of, such as a removed endpoint's.
func TestWebhookLogKeptNinetyDays(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	a, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)
	slack := webhooktest.NewSlack(t)
	b, _ := e.endpoint(slack.URL(), webhook.KindSlack, webhook.DealCreated)
	delivered := func(d postgres.WebhookDelivery) bool { return d.State == "delivered" }
	count := func(table string) int {
		var n int
		if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	start := *e.now.Load() // Wednesday 2026-11-18
	// One message to a and b, then one to b only; then b goes.
	e.createPack("Old", ny(2026, 11, 16, 0))
	e.deliveries(a.ID, 1, delivered)
	e.deliveries(b.ID, 1, delivered)
	if _, err := e.hooks.SendTest(ctx, b.ID, start); err != nil {
		t.Fatal(err)
	}
	e.deliveries(b.ID, 2, delivered)
	if _, err := e.db.DeleteWebhookEndpoint(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	e.set(start.AddDate(0, 0, 60))
	e.createPack("Recent", ny(2026, 11, 16, 0))
	e.deliveries(a.ID, 2, delivered)
	if m, d := count("webhook_messages"), count("webhook_deliveries"); m != 3 || d != 2 {
		t.Fatalf("before the cleanup: %d messages, %d deliveries", m, d)
	}

	e.set(ny(2027, 2, 17, 9)) // 91 days on, a Wednesday
	if _, err := e.runner.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	e.waitIdle()
	ds := e.deliveries(a.ID, 1, delivered)
	if len(ds) != 1 || ds[0].Account != "Recent" {
		t.Errorf("log after the cleanup: %+v; want the recent delivery only", ds)
	}
	if m := count("webhook_messages"); m != 1 {
		t.Errorf("%d messages left, want the recent one", m)
	}
	if !strings.Contains(e.logs.String(), "webhook log cleaned") {
		t.Errorf("the cleanup is not logged:\n%s", e.logs.String())
	}
}
