// Package jobs runs Handoff's background work on River, a job queue in the
// app's own PostgreSQL: reminder and notification e-mails that survive
// restarts and are sent once even when several app instances run workers.
//
// A periodic sweep (every minute) turns what happened and what is due into
// jobs; unique jobs (per pack, clock, kind and org day) and the
// notified_events table make the sweep safe to run anywhere, any number of
// times. Each job checks the pack again when it runs, so nagging stops the
// moment the step is done.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/postgres"
)

// SchemaVersion names the River release whose migrations Migrate applies;
// test templates hash it so an upgrade rebuilds them.
const SchemaVersion = "river v0.51.2"

// Migrate applies River's own migrations (its river_job, river_leader… tables)
// to the database. Run it with the app's migrations: handoff migrate, serve
// and worker, and the test template migrator.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	// Instances starting together must not run River's DDL at the same time:
	// one migrates while the others wait on this session lock, then find
	// nothing left to do (as goose does for our own migrations).
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: river migrate lock: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext('handoff:river-migrate'))`); err != nil {
		return fmt.Errorf("jobs: river migrate lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext('handoff:river-migrate'))`)
	}()
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("jobs: river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: river migrate: %w", err)
	}
	return nil
}

// Config is what the workers need; cmd/handoff builds it from the environment.
type Config struct {
	DB      *postgres.DB
	Mail    mail.Sender
	BaseURL string           // HANDOFF_BASE_URL; mails link to BaseURL + /packs/{id}
	Now     func() time.Time // defaults to time.Now; tests walk days with it
	Logger  *slog.Logger     // defaults to slog.Default()

	// ID names this instance among River clients (default: River's own).
	ID string
	// OnDone, when set, hears each finished job's kind and outcome
	// ("completed", "failed", "cancelled", "snoozed"), e.g. for metrics.
	OnDone func(kind, outcome string)
	// SweepEvery is how often the periodic sweep runs (default 1 minute);
	// negative disables the periodic job (tests call Sweep themselves).
	SweepEvery time.Duration
	// FetchPollInterval is how often idle workers look for jobs (default
	// River's, 1s); tests shorten it.
	FetchPollInterval time.Duration
	// MaxWorkers bounds concurrent jobs in this instance (default 4).
	MaxWorkers int
	// WebhookAllowPrivate admits webhook endpoints on loopback, link-local
	// and private addresses at delivery (HANDOFF_WEBHOOK_ALLOW_PRIVATE=1).
	WebhookAllowPrivate bool
}

// Runner is one instance's River client with Handoff's workers.
type Runner struct {
	cfg    Config
	client *river.Client[pgx.Tx]
}

// The digest and reminders go out from this hour of the org's day on
// business days, not at midnight.
const sendHour = 8

// New builds a Runner; Start starts its workers.
func New(cfg Config) (*Runner, error) {
	if cfg.DB == nil || cfg.Mail == nil {
		return nil, errors.New("jobs: DB and Mail are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = time.Minute
	}
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 4
	}
	r := &Runner{cfg: cfg}
	workers := river.NewWorkers()
	river.AddWorker(workers, &sweepWorker{r: r})
	river.AddWorker(workers, &eventWorker{r: r})
	river.AddWorker(workers, &reminderWorker{r: r})
	river.AddWorker(workers, &digestWorker{r: r})
	r.addWebhookWorkers(workers)

	rc := &river.Config{
		ID:                cfg.ID,
		Logger:            cfg.Logger.With("component", "river"),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}},
		Workers:           workers,
		FetchPollInterval: cfg.FetchPollInterval,
	}
	if cfg.FetchPollInterval > 0 && cfg.FetchPollInterval < river.FetchCooldownDefault {
		rc.FetchCooldown = cfg.FetchPollInterval
	}
	if cfg.SweepEvery > 0 {
		every := cfg.SweepEvery
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) {
				return sweepArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
			}, &river.PeriodicJobOpts{ID: "sweep", RunOnStart: true})}
	}
	client, err := river.NewClient(riverpgxv5.New(cfg.DB.Pool), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: river client: %w", err)
	}
	r.client = client
	return r, nil
}

// Start runs the workers until Stop or ctx ends.
func (r *Runner) Start(ctx context.Context) error {
	if r.cfg.OnDone != nil {
		events, cancel := r.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed,
			river.EventKindJobCancelled, river.EventKindJobSnoozed)
		go func() {
			defer cancel()
			for ev := range events {
				if ev != nil && ev.Job != nil {
					r.cfg.OnDone(ev.Job.Kind, outcomeWord(ev.Kind))
				}
			}
		}()
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// outcomeWord is a job event as a metrics label.
func outcomeWord(k river.EventKind) string {
	switch k {
	case river.EventKindJobCompleted:
		return "completed"
	case river.EventKindJobFailed:
		return "failed"
	case river.EventKindJobCancelled:
		return "cancelled"
	case river.EventKindJobSnoozed:
		return "snoozed"
	}
	return "other"
}

// Stop waits for running jobs to finish (bounded by ctx) and stops.
func (r *Runner) Stop(ctx context.Context) error {
	if err := r.client.Stop(ctx); err != nil {
		// Jobs still running at the deadline are cancelled, so shutdown
		// (and the pool's close after it) cannot hang on a slow SMTP server.
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if cerr := r.client.StopAndCancel(cctx); cerr != nil {
			return fmt.Errorf("jobs: stop: %w (and cancelling: %w)", err, cerr)
		}
		return fmt.Errorf("jobs: stop: running jobs were cancelled: %w", err)
	}
	return nil
}

func (r *Runner) packURL(id int64) string { return fmt.Sprintf("%s/packs/%d", r.cfg.BaseURL, id) }

// sweepArgs is the periodic job that enqueues notifications and reminders.
type sweepArgs struct{}

func (sweepArgs) Kind() string { return "handoff_sweep" }

type sweepWorker struct {
	river.WorkerDefaults[sweepArgs]
	r *Runner
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[sweepArgs]) error {
	_, err := w.r.Sweep(ctx)
	return err
}
