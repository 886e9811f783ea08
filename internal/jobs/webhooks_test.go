package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/webhook"
	"github.com/handoff-app/handoff/internal/webhook/webhooktest"
)

// hookEnv is env with a running worker and the event hook installed, as
// handoff serve has them.
type hookEnv struct {
	*env
	hooks  *jobs.Webhooks
	runner *jobs.Runner
	logs   *logBuffer // what the runner logged
}

// logBuffer collects log lines from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newHookEnv(t *testing.T, allowPrivate bool) *hookEnv {
	t.Helper()
	e := newEnv(t, 0, false)
	hooks, err := jobs.NewWebhooks(e.db, baseURL)
	if err != nil {
		t.Fatal(err)
	}
	e.db.OnEvent = hooks.OnEvent
	sender, err := mail.NewSMTP(e.smtp.URL(), "Handoff <handoff@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	r, err := jobs.New(jobs.Config{DB: e.db, Mail: sender, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(logs, nil)),
		Now: func() time.Time { return *e.now.Load() }, SweepEvery: -1, FetchPollInterval: 20 * time.Millisecond,
		WebhookAllowPrivate: allowPrivate})
	if err != nil {
		t.Fatal(err)
	}
	e.start(r)
	e.runners = append(e.runners, r)
	return &hookEnv{env: e, hooks: hooks, runner: r, logs: logs}
}

// endpoint registers url as an admin would (with private addresses allowed,
// as tests' receivers are on loopback) and returns it with its secret.
func (e *hookEnv) endpoint(url string, kind webhook.Kind, events ...webhook.Type) (postgres.WebhookEndpoint, string) {
	e.t.Helper()
	var names []string
	for _, ev := range events {
		names = append(names, string(ev))
	}
	reg, err := webhook.Guard{AllowPrivate: true}.Register(context.Background(), nil,
		webhook.Input{URL: url, Kind: string(kind), Events: names})
	if err != nil {
		e.t.Fatal(err)
	}
	ep, err := e.db.CreateWebhookEndpoint(context.Background(), postgres.NewWebhookEndpoint{URL: reg.URL, Kind: string(reg.Kind),
		Events: names, Secret: reg.Secret}, 0, *e.now.Load())
	if err != nil {
		e.t.Fatal(err)
	}
	return ep, reg.Secret
}

// deliveries waits until endpoint id's log has n deliveries, the newest in
// a state other than pending, and returns the log, newest first.
func (e *hookEnv) deliveries(id int64, n int, settled func(postgres.WebhookDelivery) bool) []postgres.WebhookDelivery {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds, err := e.db.WebhookDeliveries(context.Background(), id, 0, 100)
		if err != nil {
			e.t.Fatal(err)
		}
		if len(ds) >= n && (n == 0 || settled(ds[0])) {
			return ds
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("endpoint %d: %d deliveries %+v, want %d settled", id, len(ds), ds, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func attempted(d postgres.WebhookDelivery) bool { return d.Attempts > 0 || d.State != "pending" }

func TestWebhookDeliveredSignedAndShaped(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusOK, `{"received":true}`)
	ep, secret := e.endpoint(rcv.URL+"/hooks/handoff", webhook.KindStandard, webhook.DealCreated, webhook.PackSubmitted)
	rcv.SetSecret(secret)

	id := e.createPack("Acme", ny(2026, 11, 16, 0))
	d := rcv.Wait(1, 10*time.Second)[0]
	if d.Problem != "" || d.Type != "deal.created" {
		t.Fatalf("receiver: %q, type %q", d.Problem, d.Type)
	}
	pack := d.Payload["data"].(map[string]any)["pack"].(map[string]any)
	if pack["url"] != baseURL+"/packs/"+itoa(id) || pack["status"] != "draft" || pack["deal"].(map[string]any)["account_name"] != "Acme" {
		t.Errorf("pack %v", pack)
	}
	if ev := d.Payload["data"].(map[string]any)["event"].(map[string]any); ev["kind"] != "created" || ev["actor"] != "Mia Manager" {
		t.Errorf("event %v", ev)
	}
	got := e.deliveries(ep.ID, 1, func(d postgres.WebhookDelivery) bool { return d.State == "delivered" })[0]
	if got.Attempts != 1 || got.StatusCode == nil || *got.StatusCode != 200 || got.Response != `{"received":true}` ||
		got.LatencyMS == nil || got.Type != "deal.created" || got.Account != "Acme" {
		t.Errorf("log line %+v", got)
	}

	t.Run("OnlySubscribedEvents", func(t *testing.T) {
		e.submit(id) // saves (no webhook), then submits (one)
		ds := rcv.Wait(2, 10*time.Second)
		if ds[1].Type != "pack.submitted" || ds[1].Problem != "" {
			t.Errorf("second delivery %q: %q", ds[1].Type, ds[1].Problem)
		}
		e.waitIdle()
		if n := len(rcv.Deliveries()); n != 2 {
			t.Errorf("%d deliveries, want deal.created and pack.submitted only", n)
		}
	})
}

// countingTx counts the statements the hook runs in the event's transaction.
type countingTx struct {
	pgx.Tx
	n int
}

func (c *countingTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	c.n++
	return c.Tx.Exec(ctx, sql, args...)
}

func (c *countingTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	c.n++
	return c.Tx.Query(ctx, sql, args...)
}

func (c *countingTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	c.n++
	return c.Tx.QueryRow(ctx, sql, args...)
}

func TestWebhookEnqueuedInTheEventTransaction(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	count := func(sql string) int {
		var n int
		if err := e.db.Pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("NoEndpointCostsOneQuery", func(t *testing.T) {
		tx, err := e.db.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		c := &countingTx{Tx: tx}
		if err := e.hooks.OnEvent(ctx, c, postgres.StoredEvent{ID: 1, PackID: 1, Kind: handoff.EventSectionSaved}); err != nil || c.n != 0 {
			t.Errorf("a kind no webhook carries: %d statements (%v), want none", c.n, err)
		}
		if err := e.hooks.OnEvent(ctx, c, postgres.StoredEvent{ID: 1, PackID: 1, Kind: handoff.EventSubmitted}); err != nil || c.n != 1 {
			t.Errorf("no endpoint: %d statements (%v), want 1", c.n, err)
		}
	})

	rcv := webhooktest.NewReceiver(t)
	_, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)
	t.Run("ARolledBackChangeLeavesNoDelivery", func(t *testing.T) {
		// The hook runs and enqueues; then the change fails after it.
		e.db.OnEvent = func(ctx context.Context, tx pgx.Tx, ev postgres.StoredEvent) error {
			if err := e.hooks.OnEvent(ctx, tx, ev); err != nil {
				return err
			}
			return errors.New("the change fails after its event")
		}
		if _, err := e.db.CreateDeal(ctx, e.manager, handoff.Deal{AccountName: "Rolled Back", OpportunityName: "X",
			Segment: "enterprise", ARR: handoff.Money{Minor: 100, Currency: "USD"}, ClosedWonOn: ny(2026, 11, 16, 0), SEID: e.se.ID},
			e.due, *e.now.Load()); err == nil {
			t.Fatal("the deal was created")
		}
		e.db.OnEvent = e.hooks.OnEvent
		if m, d, j := count(`SELECT count(*) FROM webhook_messages`), count(`SELECT count(*) FROM webhook_deliveries`),
			count(`SELECT count(*) FROM river_job WHERE kind = 'handoff_webhook_delivery'`); m+d+j != 0 {
			t.Errorf("after rollback: %d messages, %d deliveries, %d jobs", m, d, j)
		}
	})
	t.Run("ACommittedChangeHasItsDeliveryAndJob", func(t *testing.T) {
		e.createPack("Committed", ny(2026, 11, 16, 0))
		if d, j := count(`SELECT count(*) FROM webhook_deliveries`), count(`SELECT count(*) FROM river_job WHERE kind = 'handoff_webhook_delivery'`); d != 1 || j != 1 {
			t.Errorf("%d deliveries, %d jobs; want one each", d, j)
		}
		rcv.Wait(1, 10*time.Second)
	})
}

func TestWebhookRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusInternalServerError, "database is down")
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)
	now := *e.now.Load()
	e.createPack("Acme", ny(2026, 11, 16, 0))

	d := e.deliveries(ep.ID, 1, attempted)[0]
	if d.State != "retrying" || d.Attempts != 1 || *d.StatusCode != 500 || d.Response != "database is down" ||
		d.NextAttemptAt == nil || !d.NextAttemptAt.Equal(now.Add(5*time.Second)) || !strings.Contains(d.Problem, "500") {
		t.Fatalf("after a 500: %+v", d)
	}
	// The receiver recovers at once; the retry waits for its time.
	rcv.Answer(http.StatusAccepted, "")
	var jobID int64
	var state string
	var attempt, maxAttempts, errs int
	var wait time.Duration
	// River records the failure just after the attempt's own transaction; a
	// retry this soon is "available" at a later time, a later one "retryable".
	for deadline := time.Now().Add(5 * time.Second); errs == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var scheduled time.Time
		if err := e.db.Pool.QueryRow(ctx, `SELECT id, state, attempt, max_attempts, scheduled_at, coalesce(array_length(errors, 1), 0)
			FROM river_job WHERE kind = 'handoff_webhook_delivery'`).Scan(&jobID, &state, &attempt, &maxAttempts, &scheduled, &errs); err != nil {
			t.Fatal(err)
		}
		wait = time.Until(scheduled)
	}
	if attempt != 1 || maxAttempts != 8 || (state != "available" && state != "retryable") || wait < 3*time.Second || wait > 6*time.Second {
		t.Fatalf("River job: %s, attempt %d of %d, next in %s; want attempt 1 of 8 again in about 5 s", state, attempt, maxAttempts, wait)
	}
	if ep, _ := e.db.WebhookEndpoint(ctx, ep.ID); ep.FailingSince == nil || !ep.Enabled {
		t.Errorf("endpoint after a failure: %+v", ep)
	}

	// Rather than wait 5 s, retry now.
	client, err := river.NewClient(riverpgxv5.New(e.db.Pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.JobRetry(ctx, jobID); err != nil {
		t.Fatal(err)
	}
	d = e.deliveries(ep.ID, 1, func(d postgres.WebhookDelivery) bool { return d.Attempts == 2 })[0]
	if d.State != "delivered" || *d.StatusCode != 202 || d.NextAttemptAt != nil || d.Problem != "" {
		t.Errorf("after the retry: %+v", d)
	}
	ds := rcv.Wait(2, 5*time.Second)
	if ds[0].Header.Get("webhook-id") != ds[1].Header.Get("webhook-id") || ds[1].Problem != "" {
		t.Errorf("a retry must carry the same webhook-id, freshly signed: %q %q (%s)",
			ds[0].Header.Get("webhook-id"), ds[1].Header.Get("webhook-id"), ds[1].Problem)
	}
	if ep, _ := e.db.WebhookEndpoint(ctx, ep.ID); ep.FailingSince != nil {
		t.Error("a delivery did not end the failing streak")
	}
}

func TestWebhookGoneDisablesTheEndpoint(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	e.user("Ada Admin", "admin@acme.example", handoff.RoleAdmin)
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusGone, "unsubscribed")
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)
	e.createPack("Acme", ny(2026, 11, 16, 0))

	d := e.deliveries(ep.ID, 1, attempted)[0]
	if d.State != "failed" || d.Attempts != 1 || d.NextAttemptAt != nil {
		t.Errorf("delivery %+v: want failed, no retry", d)
	}
	e.waitIdle()
	got, _ := e.db.WebhookEndpoint(ctx, ep.ID)
	if got.Enabled || !strings.Contains(got.DisabledReason, "410 Gone") {
		t.Errorf("endpoint %+v", got)
	}
	if ms := e.smtp.Take(); len(ms) != 1 || !slices.Equal(ms[0].To, []string{"admin@acme.example"}) {
		t.Errorf("mails %+v", ms)
	}
	e.createPack("Later", ny(2026, 11, 16, 0))
	if n := len(e.deliveries(ep.ID, 1, attempted)); n != 1 {
		t.Errorf("%d deliveries; a disabled endpoint gets no new ones", n)
	}
}

func TestWebhookPrivateAddressRefusedAtDelivery(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, false)
	rcv := webhooktest.NewReceiver(t)
	port := rcv.URL[strings.LastIndex(rcv.URL, ":"):]
	// Stored as if the names had resolved to public addresses when they
	// were registered: the check at connect time is what stops them.
	var eps []int64
	for _, u := range []string{rcv.URL, "http://localhost" + port + "/hook"} {
		ep, err := e.db.CreateWebhookEndpoint(context.Background(), postgres.NewWebhookEndpoint{URL: u, Kind: "slack",
			Events: []string{string(webhook.DealCreated)}}, 0, *e.now.Load())
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, ep.ID)
	}
	e.createPack("Acme", ny(2026, 11, 16, 0))
	for _, id := range eps {
		d := e.deliveries(id, 1, attempted)[0]
		if d.State != "retrying" || d.StatusCode != nil || !strings.Contains(d.Problem, "loopback") ||
			!strings.Contains(d.Problem, "HANDOFF_WEBHOOK_ALLOW_PRIVATE") {
			t.Errorf("endpoint %d: %+v", id, d)
		}
	}
	if n := len(rcv.Deliveries()); n != 0 {
		t.Errorf("the receiver on loopback was reached %d times", n)
	}
}

func TestWebhookFailingThreeDaysDisablesAndMailsAdminsOnce(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	e.user("Ada Admin", "admin@acme.example", handoff.RoleAdmin)
	gone := e.user("Old Admin", "old-admin@acme.example", handoff.RoleAdmin)
	if _, err := e.db.SetUserActive(ctx, e.user("Ida Admin", "ida@acme.example", handoff.RoleAdmin), gone.ID, false); err != nil {
		t.Fatal(err)
	}
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusServiceUnavailable, "")
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)

	start := *e.now.Load()
	e.createPack("Monday", ny(2026, 11, 16, 0))
	e.deliveries(ep.ID, 1, attempted)
	if got, _ := e.db.WebhookEndpoint(ctx, ep.ID); !got.Enabled || got.FailingSince == nil || !got.FailingSince.Equal(start) {
		t.Fatalf("after the first failure: %+v", got)
	}

	// A failure every 10 hours, as a delivery's own retries would fail:
	// the receiver was tried, and down, all along.
	n := 1
	for h := 10; h <= 70; h += 10 {
		e.set(start.Add(time.Duration(h) * time.Hour))
		e.createPack("Hour "+strconv.Itoa(h), ny(2026, 11, 16, 0))
		n++
		e.deliveries(ep.ID, n, attempted)
	}
	e.set(start.Add(71 * time.Hour))
	e.createPack("Almost", ny(2026, 11, 16, 0))
	n++
	e.deliveries(ep.ID, n, attempted)
	if got, _ := e.db.WebhookEndpoint(ctx, ep.ID); !got.Enabled || !got.FailingSince.Equal(start) {
		t.Fatalf("after 71 hours: enabled %v (%s), failing since %v", got.Enabled, got.DisabledReason, got.FailingSince)
	}

	e.set(start.Add(72 * time.Hour))
	e.createPack("Thursday", ny(2026, 11, 16, 0))
	n++
	d := e.deliveries(ep.ID, n, attempted)[0]
	got, _ := e.db.WebhookEndpoint(ctx, ep.ID)
	if got.Enabled || !strings.Contains(got.DisabledReason, "failed for 3 days") || d.State != "failed" {
		t.Fatalf("after 3 days: endpoint %+v, delivery %+v", got, d)
	}
	e.waitIdle() // the earlier deliveries' retries find the endpoint disabled
	ms := e.smtp.Take()
	if len(ms) != 1 {
		t.Fatalf("%d mails, want one", len(ms))
	}
	m := ms[0]
	if slices.Sort(m.To); !slices.Equal(m.To, []string{"admin@acme.example", "ida@acme.example"}) ||
		!strings.HasPrefix(m.Subject, "Webhook endpoint disabled") ||
		!strings.Contains(m.Text, "failed for 3 days") || !strings.Contains(m.Text, baseURL+"/admin/webhooks/"+itoa(ep.ID)) {
		t.Errorf("mail to %v: %q\n%s", m.To, m.Subject, m.Text)
	}
	for _, d := range e.deliveries(ep.ID, n, attempted) {
		if d.State != "failed" {
			t.Errorf("delivery %d is %s; nothing is retried to a disabled endpoint", d.ID, d.State)
		}
	}

	t.Run("EnablingStartsAfresh", func(t *testing.T) {
		got, err := e.db.EnableWebhookEndpoint(ctx, ep.ID)
		if err != nil || !got.Enabled || got.FailingSince != nil || got.LastFailureAt != nil || got.DisabledReason != "" {
			t.Errorf("%+v, %v", got, err)
		}
	})
}

// A failing streak is failures close enough together to say the receiver
// was down all along: a failure long after the last one starts a new one.
func TestWebhookStreakRestartsAfterAQuietGap(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusServiceUnavailable, "")
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)

	// The receiver was down a day, ten days ago, for one event that gave up.
	start := *e.now.Load()
	e.createPack("Long ago", ny(2026, 11, 16, 0))
	e.deliveries(ep.ID, 1, attempted)
	if _, err := e.db.Pool.Exec(ctx, `UPDATE webhook_endpoints SET last_failure_at = $2 WHERE id = $1`,
		ep.ID, start.Add(27*time.Hour+35*time.Minute)); err != nil {
		t.Fatal(err)
	}

	// Ten days later, one brief 503.
	later := start.Add(10 * 24 * time.Hour)
	e.set(later)
	e.createPack("Today", ny(2026, 11, 16, 0))
	e.deliveries(ep.ID, 2, attempted)
	got, _ := e.db.WebhookEndpoint(ctx, ep.ID)
	if !got.Enabled || got.FailingSince == nil || !got.FailingSince.Equal(later) {
		t.Fatalf("one 503 ten days after the last failure: enabled %v (%s), failing since %v; want a new streak from %v",
			got.Enabled, got.DisabledReason, got.FailingSince, later)
	}

	t.Run("AFailureWithinTheGapContinuesIt", func(t *testing.T) {
		e.set(later.Add(11 * time.Hour))
		e.createPack("Tonight", ny(2026, 11, 16, 0))
		e.deliveries(ep.ID, 3, attempted)
		if got, _ := e.db.WebhookEndpoint(ctx, ep.ID); !got.FailingSince.Equal(later) || !got.LastFailureAt.Equal(later.Add(11*time.Hour)) {
			t.Errorf("streak %v – %v, want from %v to 11 hours later", got.FailingSince, got.LastFailureAt, later)
		}
	})
}

// retryNowAsLast makes delivery id's job, which has just failed an
// attempt, run its last attempt now, rather than wait the day it would take.
func (e *hookEnv) retryNowAsLast(deliveryID int64) {
	e.t.Helper()
	ctx := context.Background()
	var jobID int64
	var errs int
	// River records the failure just after the attempt's transaction.
	for deadline := time.Now().Add(5 * time.Second); errs == 0; time.Sleep(10 * time.Millisecond) {
		if err := e.db.Pool.QueryRow(ctx, `SELECT id, coalesce(array_length(errors, 1), 0) FROM river_job
			WHERE kind = 'handoff_webhook_delivery' AND (args->>'delivery_id')::bigint = $1`, deliveryID).Scan(&jobID, &errs); err != nil {
			e.t.Fatal(err)
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("delivery %d: no failed attempt recorded by River", deliveryID)
		}
	}
	if _, err := e.db.Pool.Exec(ctx, `UPDATE river_job SET max_attempts = attempt + 1 WHERE id = $1`, jobID); err != nil {
		e.t.Fatal(err)
	}
	client, err := river.NewClient(riverpgxv5.New(e.db.Pool), &river.Config{})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := client.JobRetry(ctx, jobID); err != nil {
		e.t.Fatal(err)
	}
}

// A receiver down for good, with events too rare for a three-day streak:
// each delivery gives up, and the admins hear of it, once a day at most.
func TestWebhookGivingUpIsLoggedAndMailedOnceADay(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	e.user("Ada Admin", "admin@acme.example", handoff.RoleAdmin)
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusServiceUnavailable, "down")
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)
	start := *e.now.Load()

	giveUp := func(account string, n int) postgres.WebhookDelivery {
		t.Helper()
		e.createPack(account, ny(2026, 11, 16, 0))
		first := e.deliveries(ep.ID, n, attempted)[0]
		e.retryNowAsLast(first.ID)
		d := e.deliveries(ep.ID, n, func(d postgres.WebhookDelivery) bool { return d.Attempts == 2 })[0]
		e.waitIdle()
		return d
	}
	d := giveUp("First", 1)
	if d.State != "gave_up" || d.NextAttemptAt != nil || d.FinishedAt == nil ||
		!strings.Contains(d.Problem, "503") || !strings.Contains(d.Problem, "Gave up after 2 attempts") {
		t.Fatalf("the last attempt failed: %+v", d)
	}
	ms := e.smtp.Take()
	if len(ms) != 1 || !slices.Equal(ms[0].To, []string{"admin@acme.example"}) || !strings.HasPrefix(ms[0].Subject, "Webhook delivery gave up") ||
		!strings.Contains(ms[0].Text, "Deal created (First)") || !strings.Contains(ms[0].Text, "503") ||
		!strings.Contains(ms[0].Text, baseURL+"/admin/webhooks/"+itoa(ep.ID)) {
		t.Fatalf("mails %+v", ms)
	}
	if got, _ := e.db.WebhookEndpoint(ctx, ep.ID); !got.Enabled {
		t.Fatalf("an endpoint is not disabled for one delivery giving up: %s", got.DisabledReason)
	}

	t.Run("NotAgainTheSameDay", func(t *testing.T) {
		e.set(start.Add(20 * time.Hour))
		if d := giveUp("Second", 2); d.State != "gave_up" {
			t.Fatalf("second delivery %+v", d)
		}
		if ms := e.smtp.Take(); len(ms) != 0 {
			t.Errorf("%d more mails the same day: %q", len(ms), ms[0].Subject)
		}
	})
	t.Run("AgainTheNextDay", func(t *testing.T) {
		e.set(start.Add(25 * time.Hour))
		giveUp("Third", 3)
		if ms := e.smtp.Take(); len(ms) != 1 || !strings.Contains(ms[0].Text, "(Third)") {
			t.Errorf("mails the next day: %+v", ms)
		}
	})
}

func TestWebhookClockOverdueOncePerClockPerDay(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.ClockOverdue)
	rcv.SetSecret(secret)
	e.set(ny(2026, 11, 9, 10))
	id := e.createPack("Late", ny(2026, 11, 9, 0)) // pack and kickoff due Monday 2026-11-16
	e.createPack("OnTime", ny(2026, 11, 17, 0))

	sweep := func(at time.Time) {
		t.Helper()
		e.set(at)
		if _, err := e.runner.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sweep(ny(2026, 11, 18, 7)) // before the day's reminders: nothing yet
	if n := len(e.deliveries(ep.ID, 0, func(postgres.WebhookDelivery) bool { return true })); n != 0 {
		t.Fatalf("%d deliveries before 08:00", n)
	}
	sweep(ny(2026, 11, 18, 9))
	sweep(ny(2026, 11, 18, 9).Add(time.Minute))
	sweep(ny(2026, 11, 18, 17))
	ds := rcv.Wait(2, 10*time.Second)
	e.waitIdle()
	if n := len(rcv.Deliveries()); n != 2 {
		t.Fatalf("%d deliveries on one day, want one per overdue clock (pack, kickoff)", n)
	}
	var kinds []string
	for _, d := range ds {
		data := d.Payload["data"].(map[string]any)
		clock := data["clock"].(map[string]any)
		if d.Problem != "" || d.Type != "clock.overdue" || clock["state"] != "overdue" ||
			data["pack"].(map[string]any)["id"] != float64(id) {
			t.Errorf("delivery %s: %q %v", d.Type, d.Problem, clock)
		}
		kinds = append(kinds, clock["kind"].(string))
	}
	if slices.Sort(kinds); !slices.Equal(kinds, []string{"kickoff", "pack"}) {
		t.Errorf("clocks %v", kinds)
	}

	sweep(ny(2026, 11, 19, 9)) // the next business day: once more each
	rcv.Wait(4, 10*time.Second)
	e.waitIdle()
	if n := len(rcv.Deliveries()); n != 4 {
		t.Errorf("%d deliveries after two days, want 4", n)
	}
}

func TestWebhookSlackGetsBlockKit(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	slack := webhooktest.NewSlack(t)
	ep, secret := e.endpoint(slack.URL(), webhook.KindSlack, webhook.PackSubmitted)
	if secret != "" {
		t.Errorf("a Slack endpoint got a secret %q", secret)
	}
	id := e.createPack("Acme", ny(2026, 11, 16, 0))
	e.submit(id)
	m := slack.Wait(1, 10*time.Second)[0]
	if m.Problem != "" {
		t.Fatalf("fake Slack refused it: %s\n%s", m.Problem, m.Body)
	}
	if !strings.Contains(string(m.Body), "<"+baseURL+"/packs/"+itoa(id)+"|Acme — Acme platform>") {
		t.Errorf("no link to the pack:\n%s", m.Body)
	}
	d := e.deliveries(ep.ID, 1, attempted)[0]
	if d.State != "delivered" || d.Response != "ok" {
		t.Errorf("delivery %+v", d)
	}
}

func TestWebhookTestEventAndRedelivery(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.PackSubmitted)
	rcv.SetSecret(secret)

	did, err := e.hooks.SendTest(ctx, ep.ID, *e.now.Load())
	if err != nil {
		t.Fatal(err)
	}
	first := rcv.Wait(1, 10*time.Second)[0]
	if first.Problem != "" || first.Type != "webhook.test" {
		t.Fatalf("test event: %q %q", first.Type, first.Problem)
	}
	e.deliveries(ep.ID, 1, func(d postgres.WebhookDelivery) bool { return d.State == "delivered" })

	again, err := e.hooks.Redeliver(ctx, ep.ID, did, *e.now.Load())
	if err != nil {
		t.Fatal(err)
	}
	second := rcv.Wait(2, 10*time.Second)[1]
	if second.Problem != "" || second.Header.Get("webhook-id") != first.Header.Get("webhook-id") {
		t.Errorf("redelivery: %q, id %q vs %q", second.Problem, second.Header.Get("webhook-id"), first.Header.Get("webhook-id"))
	}
	ds := e.deliveries(ep.ID, 2, func(d postgres.WebhookDelivery) bool { return d.State == "delivered" })
	if ds[0].ID != again || ds[0].RedeliveryOf == nil || *ds[0].RedeliveryOf != did || ds[1].ID != did {
		t.Errorf("log %+v", ds)
	}

	t.Run("ErrEndpointDisabled", func(t *testing.T) {
		if _, err := e.db.DisableWebhookEndpoint(ctx, ep.ID, "Disabled by a test.", *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.hooks.SendTest(ctx, ep.ID, *e.now.Load()); handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Errorf("test to a disabled endpoint: %v", err)
		}
		if _, err := e.hooks.Redeliver(ctx, ep.ID, did, *e.now.Load()); handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Errorf("redeliver to a disabled endpoint: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A delivery still being sent is not redelivered: the copy would race its
// own retries to the receiver.
func TestWebhookRedeliverWaitsForTheDeliveryToFinish(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	rcv.Answer(http.StatusServiceUnavailable, "")
	ep, secret := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	rcv.SetSecret(secret)
	e.createPack("Acme", ny(2026, 11, 16, 0))
	d := e.deliveries(ep.ID, 1, attempted)[0]
	if d.State != "retrying" {
		t.Fatalf("delivery %+v", d)
	}
	_, err := e.hooks.Redeliver(ctx, ep.ID, d.ID, *e.now.Load())
	if handoff.ErrorCode(err) != handoff.ECONFLICT || !strings.Contains(handoff.ErrorMessage(err), "still being sent") {
		t.Fatalf("redeliver while retrying: %v", err)
	}
	e.retryNowAsLast(d.ID)
	e.deliveries(ep.ID, 1, func(d postgres.WebhookDelivery) bool { return d.State == "gave_up" })
	if _, err := e.hooks.Redeliver(ctx, ep.ID, d.ID, *e.now.Load()); err != nil {
		t.Errorf("redeliver once it gave up: %v", err)
	}
}

// After "Roll secret" each delivery is signed with the new secret and, for
// a day, the old one too, so a receiver holding either verifies it.
func TestWebhookRolledSecretSignsWithBothForADay(t *testing.T) {
	t.Parallel()
	e := newHookEnv(t, true)
	ctx := context.Background()
	rcv := webhooktest.NewReceiver(t)
	ep, old := e.endpoint(rcv.URL, webhook.KindStandard, webhook.DealCreated)
	now := *e.now.Load()
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.db.RollWebhookSecret(ctx, ep.ID, secret, now.Add(webhook.PreviousSecretFor))
	if err != nil || got.Secret != secret || got.PreviousSecretUntil == nil || !got.PreviousSecretUntil.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("rolled: %+v, %v", got, err)
	}
	send := func(receiverSecret string, n int) webhooktest.Delivery {
		t.Helper()
		rcv.SetSecret(receiverSecret)
		if _, err := e.hooks.SendTest(ctx, ep.ID, *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		return rcv.Wait(n, 10*time.Second)[n-1]
	}
	if d := send(old, 1); d.Problem != "" || len(strings.Fields(d.Header.Get("webhook-signature"))) != 2 {
		t.Errorf("a receiver with the old secret: %q, signatures %q", d.Problem, d.Header.Get("webhook-signature"))
	}
	if d := send(secret, 2); d.Problem != "" {
		t.Errorf("a receiver with the new secret: %q", d.Problem)
	}

	t.Run("OldSecretDroppedAfterADay", func(t *testing.T) {
		e.set(now.Add(24*time.Hour + time.Minute))
		if d := send(secret, 3); d.Problem != "" || len(strings.Fields(d.Header.Get("webhook-signature"))) != 1 {
			t.Errorf("a day later: %q, signatures %q", d.Problem, d.Header.Get("webhook-signature"))
		}
		if d := send(old, 4); d.Problem == "" {
			t.Error("the old secret still verifies a day later")
		}
	})
	t.Run("ErrSlackHasNoSecret", func(t *testing.T) {
		slack, _ := e.endpoint(webhooktest.NewSlack(t).URL(), webhook.KindSlack, webhook.DealCreated)
		if _, err := e.db.RollWebhookSecret(ctx, slack.ID, secret, now); handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Errorf("rolling a Slack endpoint's secret: %v", err)
		}
	})
}
