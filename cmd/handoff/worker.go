package main

import (
	"context"
	"flag"
	"log/slog"
	"time"

	"github.com/handoff-app/handoff/internal/config"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/postgres"
)

// mailSender is SMTP when HANDOFF_SMTP_URL is set, else the log: mails are
// never silently dropped.
func mailSender(cfg config.Config, logger *slog.Logger) (mail.Sender, error) {
	if cfg.SMTPURL == "" {
		logger.Warn("no SMTP configured (HANDOFF_SMTP_URL): reminder mails are written to the log in full")
		return mail.NewLog(logger), nil
	}
	return mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
}

// jobsPoolConns is the job workers' pool, whatever pool_max_conns says for
// the pages: River's listener, its producer and maintenance, and up to
// jobs.Config.MaxWorkers (4) jobs at once.
const jobsPoolConns = 6

// openJobsDB opens the job workers' own pool, with the same event hooks as
// the server's (a job that records a pack event queues its webhooks too).
func openJobsDB(ctx context.Context, cfg config.Config) (*postgres.DB, error) {
	db, err := postgres.OpenSized(ctx, cfg.DatabaseURL, jobsPoolConns)
	if err != nil {
		return nil, err
	}
	if err := hookEvents(cfg, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// startWorkers runs the job queue's workers in this process and returns the
// function that stops them, letting running jobs finish.
func startWorkers(ctx context.Context, cfg config.Config, db *postgres.DB, logger *slog.Logger, onDone func(kind, outcome string)) (func(), error) {
	sender, err := mailSender(cfg, logger)
	if err != nil {
		return nil, err
	}
	r, err := jobs.New(jobs.Config{DB: db, Mail: sender, BaseURL: cfg.BaseURL.String(), Logger: logger, OnDone: onDone,
		WebhookAllowPrivate: cfg.WebhookAllowPrivate})
	if err != nil {
		return nil, err
	}
	if err := r.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, err
	}
	logger.Info("job workers started")
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := r.Stop(sctx); err != nil {
			logger.Warn("stopping job workers", "err", err)
		}
	}, nil
}

// worker runs `handoff worker`: the job workers alone, for deployments that
// keep web instances (HANDOFF_WORKERS=off) apart from workers.
func (p *program) worker(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cfg, logger, db, err := p.openMigrated(ctx, true)
	if err != nil {
		return err
	}
	db.Close() // it migrated; the workers get their own pool, as in serve
	jobsDB, err := openJobsDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer jobsDB.Close()
	stop, err := startWorkers(ctx, cfg, jobsDB, logger, nil)
	if err != nil {
		return err
	}
	<-ctx.Done()
	stop()
	logger.Info("worker stopped cleanly")
	return nil
}
