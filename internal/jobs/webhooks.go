package jobs

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/handoff-app/handoff/internal/api"
	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/webhook"
	"github.com/handoff-app/handoff/web"
)

// Webhook deliveries (docs/webhooks.md). Each message to each endpoint is a
// delivery row (the log admins read) and a River job that sends it, both
// written in the transaction of the event they report.

// retryWaits are the waits after each failed attempt: the schedule the
// Standard Webhooks scheme recommends. Eight attempts — at once, then after
// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h — span 27 h 35 min, so a
// receiver down for a day and a night still gets every event.
var retryWaits = [...]time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// webhookAttempts is the first attempt and one per wait.
const webhookAttempts = len(retryWaits) + 1

// retryWait is the wait after failed attempt n (1-based).
func retryWait(n int) time.Duration {
	return retryWaits[min(max(n, 1), len(retryWaits))-1]
}

// failingFor is how long an endpoint may fail every attempt, with no
// delivery in between, before it is disabled and the admins are mailed.
const failingFor = 72 * time.Hour

// streakGap is how long after an endpoint's latest failed attempt a failure
// still belongs to the same failing streak. The longest wait between two
// attempts of one delivery is 10 h, so while anything is being retried the
// failures come closer than that; a longer silence means nothing was being
// sent, and Handoff cannot say the receiver was down then. So a streak spans
// three days only when the endpoint was tried, and failed, all along: one
// delivery that gave up ten days ago does not make today's first 503 a
// three-day outage.
var streakGap = slices.Max(retryWaits[:]) + 2*time.Hour

// gaveUpMailEvery is how often, at most, the admins hear that deliveries to
// one endpoint gave up: the first of a day is news, the next ones are in
// the log.
const gaveUpMailEvery = 24 * time.Hour

// webhookRetention is how long a finished delivery stays in the log.
const webhookRetention = 90 * 24 * time.Hour

// deliveryArgs sends one delivery row.
type deliveryArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

func (deliveryArgs) Kind() string { return "handoff_webhook_delivery" }

func (deliveryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: webhookAttempts}
}

// endpointDisabledArgs mails the admins that an endpoint was disabled.
type endpointDisabledArgs struct {
	EndpointID int64 `json:"endpoint_id"`
}

func (endpointDisabledArgs) Kind() string { return "handoff_webhook_disabled_mail" }

// gaveUpArgs mails the admins that a delivery gave up after every attempt.
type gaveUpArgs struct {
	EndpointID int64 `json:"endpoint_id"`
	DeliveryID int64 `json:"delivery_id"`
}

func (gaveUpArgs) Kind() string { return "handoff_webhook_gave_up_mail" }

// webhookCleanupArgs deletes what the delivery log no longer keeps; unique
// per org day, so it runs once a day however often the sweep inserts it.
type webhookCleanupArgs struct {
	Day string `json:"day"`
}

func (webhookCleanupArgs) Kind() string { return "handoff_webhook_cleanup" }

// Webhooks turns events into deliveries. It enqueues only, so every process
// that records pack events (serve, worker, the CLI) holds one; the workers
// of any instance send.
type Webhooks struct {
	db     *postgres.DB
	client *river.Client[pgx.Tx]
	base   *url.URL
}

// NewWebhooks returns Webhooks with an insert-only River client on db;
// baseURL is HANDOFF_BASE_URL, for links to packs.
func NewWebhooks(db *postgres.DB, baseURL string) (*Webhooks, error) {
	base, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("jobs: webhooks base URL: %w", err)
	}
	// No workers and no queues: this client only inserts jobs.
	client, err := river.NewClient(riverpgxv5.New(db.Pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("jobs: webhooks river client: %w", err)
	}
	return &Webhooks{db: db, client: client, base: base}, nil
}

// webhooks is r's own Webhooks, on its River client.
func (r *Runner) webhooks() *Webhooks {
	base, _ := url.Parse(r.cfg.BaseURL) // validated by config
	return &Webhooks{db: r.cfg.DB, client: r.client, base: base}
}

// OnEvent is postgres.DB.OnEvent: inside the transaction recording e, it
// enqueues e's deliveries to every enabled endpoint subscribed to its type.
// A kind no webhook carries costs nothing; with no endpoint subscribed, one
// index lookup.
func (h *Webhooks) OnEvent(ctx context.Context, tx pgx.Tx, e postgres.StoredEvent) error {
	typ, ok := webhook.TypeOf(e.Kind)
	if !ok {
		return nil
	}
	endpoints, err := postgres.WebhookEndpointsFor(ctx, tx, string(typ))
	if err != nil || len(endpoints) == 0 {
		return err
	}
	ev, err := postgres.ReadEventForWebhook(ctx, tx, e)
	if err != nil {
		return err
	}
	cal, err := deadline.ForOrg(ev.Settings, ev.DaysOff)
	if err != nil {
		return fmt.Errorf("jobs: calendar for webhook: %w", err)
	}
	pk := api.NewEventPack(cal, ev.Settings, ev.Pack, e.At, h.base)
	p := webhook.Payload{Type: typ, Timestamp: e.At, Data: webhook.Data{Pack: &pk,
		Event: &webhook.Event{ID: e.ID, Kind: e.Kind, Summary: ev.Summary, Actor: ev.Actor}}}
	_, err = h.enqueue(ctx, tx, p, e.PackID, "", endpoints, e.At)
	return err
}

// enqueue stores p as a message with a delivery to each of endpoints, and
// their jobs, on tx. A message whose once key exists already adds nothing.
func (h *Webhooks) enqueue(ctx context.Context, tx pgx.Tx, p webhook.Payload, packID int64, once string,
	endpoints []int64, now time.Time) ([]int64, error) {
	body, err := p.Marshal()
	if err != nil {
		return nil, err
	}
	msgID, err := webhook.NewMessageID()
	if err != nil {
		return nil, err
	}
	ids, err := postgres.AddWebhookMessage(ctx, tx, postgres.WebhookMessage{MsgID: msgID, Type: string(p.Type), PackID: packID,
		Once: once, Body: body}, endpoints, now)
	if err != nil {
		return nil, err
	}
	return ids, h.send(ctx, tx, ids)
}

// send enqueues the jobs of deliveries ids on tx.
func (h *Webhooks) send(ctx context.Context, tx pgx.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: deliveryArgs{DeliveryID: id}}
	}
	if _, err := h.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("jobs: enqueue webhook deliveries: %w", err)
	}
	return nil
}

// Redeliver sends delivery id of endpoint endpointID's message again, as a
// new delivery with fresh attempts, and returns its id.
func (h *Webhooks) Redeliver(ctx context.Context, endpointID, id int64, now time.Time) (int64, error) {
	var newID int64
	err := h.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if newID, err = postgres.Redeliver(ctx, tx, endpointID, id, now); err != nil {
			return err
		}
		return h.send(ctx, tx, []int64{newID})
	})
	if err != nil {
		return 0, fmt.Errorf("jobs: redeliver webhook delivery %d: %w", id, err)
	}
	return newID, nil
}

// SendTest sends a webhook.test event to endpoint id and returns the
// delivery's id.
func (h *Webhooks) SendTest(ctx context.Context, id int64, now time.Time) (int64, error) {
	var ids []int64
	err := h.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := postgres.CheckEndpointEnabled(ctx, tx, id); err != nil {
			return err
		}
		var err error
		ids, err = h.enqueue(ctx, tx, webhook.TestPayload(now), 0, "", []int64{id}, now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("jobs: test event to webhook endpoint %d: %w", id, err)
	}
	return ids[0], nil
}

// sweepWebhooks is the sweep's webhook part, run once reminders and the
// digest are enqueued: clock.overdue for every overdue clock, and the daily
// cleanup of the delivery log. It never fails the sweep: what goes wrong is
// logged, with the pack it concerns, and the next sweep tries again.
func (r *Runner) sweepWebhooks(ctx context.Context, cal *deadline.Calendar, st handoff.Settings, packs []*openPack, now time.Time) {
	log := r.cfg.Logger
	day := cal.Today(now).String()
	if _, err := r.client.Insert(ctx, webhookCleanupArgs{Day: day}, unique); err != nil {
		log.WarnContext(ctx, "webhook log cleanup not enqueued", "day", day, "err", err)
	}
	if err := r.enqueueOverdueWebhooks(ctx, cal, st, packs, now); err != nil {
		log.ErrorContext(ctx, "clock.overdue webhooks not enqueued", "err", err)
	}
}

// enqueueOverdueWebhooks sends clock.overdue for every overdue clock of
// packs, at most once per pack, clock and org day (a message's once key),
// on the days and hours reminders go out. With no endpoint subscribed it is
// one index lookup; on later sweeps of the day, one more for the keys. The
// packs to send are read in one query; a pack that cannot be read or sent
// is logged and skipped, and the others still go.
func (r *Runner) enqueueOverdueWebhooks(ctx context.Context, cal *deadline.Calendar, st handoff.Settings,
	packs []*openPack, now time.Time) error {
	pool := r.cfg.DB.Pool
	endpoints, err := postgres.WebhookEndpointsFor(ctx, pool, string(webhook.ClockOverdue))
	if err != nil || len(endpoints) == 0 {
		return err
	}
	type overdue struct {
		packID int64
		kind   deadline.Kind
		key    string
	}
	today := cal.Today(now)
	var all []overdue
	var keys []string
	for _, p := range packs {
		for _, c := range openClocks(cal, st, p, now) {
			if c.State == deadline.StateOverdue {
				key := fmt.Sprintf("%s:%d:%s:%s", webhook.ClockOverdue, p.ID, c.Kind, today)
				all = append(all, overdue{p.ID, c.Kind, key})
				keys = append(keys, key)
			}
		}
	}
	if len(all) == 0 {
		return nil
	}
	sent, err := postgres.WebhookOnceKeys(ctx, pool, keys)
	if err != nil {
		return err
	}
	var todo []overdue
	var ids []int64
	for _, o := range all {
		if !sent[o.key] {
			todo = append(todo, o)
			if !slices.Contains(ids, o.packID) {
				ids = append(ids, o.packID)
			}
		}
	}
	if len(todo) == 0 {
		return nil
	}
	read, err := postgres.PacksForWebhook(ctx, pool, ids)
	if err != nil {
		return err
	}
	h := r.webhooks()
	log := r.cfg.Logger
	return r.cfg.DB.InTx(ctx, func(tx pgx.Tx) error {
		for _, o := range todo {
			p, ok := read[o.packID]
			if !ok {
				log.WarnContext(ctx, "clock.overdue webhook not sent: the pack is gone", "pack_id", o.packID, "clock", o.kind)
				continue
			}
			pk := api.NewEventPack(cal, st, p, now, h.base)
			var clock *api.Clock
			for i := range pk.Clocks {
				if pk.Clocks[i].Kind == string(o.kind) {
					clock = &pk.Clocks[i]
				}
			}
			msg := webhook.Payload{Type: webhook.ClockOverdue, Timestamp: now, Data: webhook.Data{Pack: &pk, Clock: clock}}
			// Each pack in a savepoint: one that fails is rolled back alone.
			err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
				_, err := h.enqueue(ctx, sp, msg, o.packID, o.key, endpoints, now)
				return err
			})
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				log.ErrorContext(ctx, "clock.overdue webhook not enqueued", "pack_id", o.packID, "clock", o.kind, "err", err)
			}
		}
		return nil
	})
}

// addWebhookWorkers registers the webhook delivery workers.
func (r *Runner) addWebhookWorkers(workers *river.Workers) {
	guard := webhook.Guard{AllowPrivate: r.cfg.WebhookAllowPrivate}
	river.AddWorker(workers, &deliveryWorker{r: r, sender: webhook.NewSender(guard.Client(webhook.DefaultTimeout))})
	river.AddWorker(workers, &endpointDisabledWorker{r: r})
	river.AddWorker(workers, &gaveUpWorker{r: r})
	river.AddWorker(workers, &webhookCleanupWorker{r: r})
}

type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	r      *Runner
	sender *webhook.Sender
}

// Timeout leaves the HTTP client's own limit room to fire first, so the
// log says "no answer within 10s" rather than a cancelled job.
func (w *deliveryWorker) Timeout(*river.Job[deliveryArgs]) time.Duration {
	return webhook.DefaultTimeout + 20*time.Second
}

// NextRetry follows retryWaits. River schedules on the wall clock.
func (w *deliveryWorker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	return time.Now().Add(retryWait(job.Attempt))
}

func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	db, id := w.r.cfg.DB, job.Args.DeliveryID
	now := w.r.cfg.Now()
	o, err := db.OutgoingWebhookByID(ctx, id, now)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		return nil // removed with its endpoint
	}
	if err != nil {
		return err
	}
	if o.State != "pending" && o.State != "retrying" { // finished: delivered, failed or gave up
		return nil
	}
	if !o.Enabled {
		return db.SkipWebhookDelivery(ctx, id, "Not sent: the endpoint was disabled before this attempt.", now)
	}
	// The signature's timestamp is the wall clock's: the receiver checks
	// it against its own, to refuse replays.
	res := w.sender.Send(ctx, webhook.Request{URL: o.URL, Kind: webhook.Kind(o.Kind), Secret: o.Secret,
		PreviousSecret: o.PreviousSecret, MsgID: o.MsgID, Body: []byte(o.Body), At: time.Now()})
	gaveUp := !res.Delivered() && !res.Gone() && job.Attempt >= job.MaxAttempts
	a := postgres.WebhookAttempt{At: now, Delivered: res.Delivered(), StatusCode: res.Status, Latency: res.Latency,
		Response: res.Response, Problem: res.Problem(), GaveUp: gaveUp, StreakGap: streakGap}
	if gaveUp {
		a.Problem += fmt.Sprintf(" Gave up after %d attempts; redeliver it once the receiver works.", job.Attempt)
	}
	if !res.Delivered() && !res.Gone() && !gaveUp {
		next := now.Add(retryWait(job.Attempt))
		a.NextAt = &next
	}
	var cancel bool
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		endpointID, since, err := postgres.RecordWebhookAttempt(ctx, tx, id, a)
		if err != nil || endpointID == 0 {
			return err
		}
		var reason string
		switch {
		case res.Gone():
			reason = fmt.Sprintf("The receiver answered 410 Gone on %s: it asked for no more events.", web.DateTime(now))
		case since != nil && now.Sub(*since) >= failingFor:
			reason = fmt.Sprintf("Every attempt failed for 3 days, since %s. The last one: %s",
				web.DateTime(*since), res.Problem())
		case gaveUp:
			// Not disabled (yet), but this event will not arrive unless
			// someone acts: the admins hear of it, once a day at most.
			tell, err := postgres.ClaimGaveUpMail(ctx, tx, endpointID, now, gaveUpMailEvery)
			if err != nil || !tell {
				return err
			}
			_, err = w.r.client.InsertTx(ctx, tx, gaveUpArgs{EndpointID: endpointID, DeliveryID: id}, nil)
			return err
		default:
			return nil
		}
		disabled, err := postgres.DisableWebhookEndpointTx(ctx, tx, endpointID, reason, now)
		if err != nil || !disabled {
			return err
		}
		cancel = true
		if a.NextAt != nil { // no retry to a disabled endpoint
			if err := postgres.EndWebhookDelivery(ctx, tx, id, now); err != nil {
				return err
			}
		}
		_, err = w.r.client.InsertTx(ctx, tx, endpointDisabledArgs{EndpointID: endpointID}, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: record webhook delivery %d: %w", id, err)
	}
	switch {
	case res.Delivered():
		return nil
	case cancel || res.Gone():
		return river.JobCancel(errors.New(res.Problem()))
	}
	// River retries (after NextRetry) until the attempts run out.
	return fmt.Errorf("webhook delivery %d, attempt %d of %d: %s", id, job.Attempt, job.MaxAttempts, res.Problem())
}

type endpointDisabledWorker struct {
	river.WorkerDefaults[endpointDisabledArgs]
	r *Runner
}

func (w *endpointDisabledWorker) Work(ctx context.Context, job *river.Job[endpointDisabledArgs]) error {
	db := w.r.cfg.DB
	e, err := db.WebhookEndpoint(ctx, job.Args.EndpointID)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if e.Enabled {
		return nil // an admin turned it back on already
	}
	where := endpointWords(e)
	return w.r.mailAdmins(ctx, "webhook endpoint disabled", "Webhook endpoint disabled: "+where, web.MailView{
		Title: "A webhook endpoint was disabled",
		Lines: []string{
			"Handoff stopped sending events to " + where + ".",
			e.DisabledReason,
			"Events that happen while it is disabled are not sent. Once the receiver works, enable the endpoint and redeliver the failed deliveries from its log.",
		},
		Link:     w.r.cfg.BaseURL + "/admin/webhooks/" + strconv.FormatInt(e.ID, 10),
		LinkText: "Open the endpoint",
	}, "endpoint_id", e.ID)
}

// mailAdmins sends one mail about a webhook endpoint to every active admin;
// with none, the log is where it goes (what names it there).
func (r *Runner) mailAdmins(ctx context.Context, what, subject string, view web.MailView, logArgs ...any) error {
	to, err := postgres.ActiveAdminEmails(ctx, r.cfg.DB.Pool)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		r.cfg.Logger.WarnContext(ctx, what+"; no active admin to tell", logArgs...)
		return nil
	}
	msg, err := render(ctx, to, subject, view)
	if err != nil {
		return err
	}
	return r.cfg.Mail.Send(ctx, msg)
}

type gaveUpWorker struct {
	river.WorkerDefaults[gaveUpArgs]
	r *Runner
}

func (w *gaveUpWorker) Work(ctx context.Context, job *river.Job[gaveUpArgs]) error {
	db := w.r.cfg.DB
	e, err := db.WebhookEndpoint(ctx, job.Args.EndpointID)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if !e.Enabled {
		return nil // disabled since: that mail, or the admin who did it, says more
	}
	d, err := db.WebhookDelivery(ctx, job.Args.DeliveryID)
	if handoff.ErrorCode(err) == handoff.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	where := endpointWords(e)
	what := webhook.Type(d.Type).Label()
	if d.Account != "" {
		what += " (" + d.Account + ")"
	}
	return w.r.mailAdmins(ctx, "webhook delivery gave up", "Webhook delivery gave up: "+where, web.MailView{
		Title: "A webhook delivery gave up",
		Lines: []string{
			fmt.Sprintf("Handoff gave up sending %s to %s after %d attempts over about 27 hours.", what, where, d.Attempts),
			"The last attempt: " + d.Problem,
			"The endpoint is still enabled. Once the receiver works, redeliver this delivery, and any other that gave up, from the endpoint's log. " +
				"Handoff mails about this at most once a day per endpoint; the log shows every delivery that gave up.",
		},
		Link:     w.r.cfg.BaseURL + "/admin/webhooks/" + strconv.FormatInt(e.ID, 10),
		LinkText: "Open the endpoint's log",
	}, "endpoint_id", e.ID, "delivery_id", d.ID)
}

// endpointWords names an endpoint in a mail: its description and address.
func endpointWords(e postgres.WebhookEndpoint) string {
	where := webhook.DisplayURL(webhook.Kind(e.Kind), e.URL)
	if e.Description != "" {
		where = e.Description + " (" + where + ")"
	}
	return where
}

type webhookCleanupWorker struct {
	river.WorkerDefaults[webhookCleanupArgs]
	r *Runner
}

// cleanupBatch is how many rows one cleanup statement deletes.
const cleanupBatch = 5000

func (w *webhookCleanupWorker) Work(ctx context.Context, job *river.Job[webhookCleanupArgs]) error {
	before := w.r.cfg.Now().Add(-webhookRetention)
	deliveries, messages, err := w.r.cfg.DB.DeleteOldWebhookDeliveries(ctx, before, cleanupBatch)
	if err != nil {
		return err
	}
	if deliveries+messages > 0 {
		w.r.cfg.Logger.InfoContext(ctx, "webhook log cleaned", "deliveries", deliveries, "messages", messages,
			"finished_before", before)
	}
	return nil
}
