package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"text/tabwriter"
	"time"

	"github.com/handoff-app/handoff/internal/config"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/server"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module's VCS stamp is shown.
var version = ""

// program is one run of the handoff command with its environment passed in, so
// tests drive the real program without touching the process's own.
type program struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	// listening, when set, learns the bound address (tests serve on :0).
	listening func(addr net.Addr)
}

// usageError marks a wrong command line: exit code 2, like the flag package.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

const usage = `Usage: handoff <command> [arguments]

Commands:
  serve                      migrate the database, then serve HTTP on HANDOFF_ADDR
  migrate up|down|status     manage the embedded database migrations
  user add|list|set-password|deactivate
                             manage people (see handoff user --help)
  demo [--deals N]           fill an empty database with a demo org of N deals
  worker                     run only the job workers (reminders, digests) until stopped
  token create|list|revoke   manage API tokens for the CRM integration
  webhook add|list|remove    manage webhook and Slack endpoints (see handoff webhook --help)
  version                    print the version

Configuration is read from the environment; see README.md.`

func (p *program) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(p.stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "version", "--version":
		fmt.Fprintln(p.stdout, "handoff", buildVersion())
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(p.stdout, usage)
		return nil
	case "serve":
		return p.serve(ctx, rest)
	case "migrate":
		return p.migrate(ctx, rest)
	case "user":
		return p.user(ctx, rest)
	case "demo":
		return p.demoCmd(ctx, rest)
	case "worker":
		return p.worker(ctx, rest)
	case "token":
		return p.token(ctx, rest)
	case "webhook":
		return p.webhook(ctx, rest)
	default:
		fmt.Fprintln(p.stderr, usage)
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			if dirty {
				rev += "-dirty"
			}
			return "dev-" + rev
		}
	}
	return "dev"
}

// setup loads configuration, builds the logger and opens the database.
func (p *program) setup(ctx context.Context) (config.Config, *slog.Logger, *postgres.DB, error) {
	cfg, err := config.Load(p.getenv, true)
	if err != nil {
		return cfg, nil, nil, err
	}
	logger := newLogger(p.stderr, cfg)
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return cfg, nil, nil, err
	}
	return cfg, logger, db, nil
}

// openMigrated is setup followed by the migrations every command runs first;
// logMigrations says whether the migration count goes to the log (serve and
// worker) or stays quiet (the one-shot commands).
func (p *program) openMigrated(ctx context.Context, logMigrations bool) (config.Config, *slog.Logger, *postgres.DB, error) {
	cfg, logger, db, err := p.setup(ctx)
	if err != nil {
		return cfg, nil, nil, err
	}
	var ml *slog.Logger
	if logMigrations {
		ml = logger
	}
	if err := migrateUp(ctx, db, ml); err != nil {
		db.Close()
		return cfg, nil, nil, err
	}
	if err := hookEvents(cfg, db); err != nil {
		db.Close()
		return cfg, nil, nil, err
	}
	return cfg, logger, db, nil
}

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func (p *program) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(p.stderr)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cfg, logger, db, err := p.openMigrated(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()

	if cfg.Demo {
		if err := p.seedDemo(ctx, db, cfg.DemoDeals); err != nil {
			return err
		}
	}

	provider, err := ssoProvider(ctx, cfg, logger)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{BaseURL: cfg.BaseURL, MetricsToken: cfg.MetricsToken, MetricsAllow: cfg.MetricsAllow,
		TrustedProxies: cfg.TrustedProxies, SSO: provider, NoPasswordLogin: !cfg.PasswordLogin,
		WebhookAllowPrivate: cfg.WebhookAllowPrivate}, db, logger)
	if err != nil {
		return err
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go srv.SweepSessions(sweepCtx, 10*time.Minute)
	if cfg.Workers {
		// The workers get a pool of their own, so a burst of jobs never takes
		// the connections pages queue for (PoolSize), nor the reverse.
		jobsDB, err := openJobsDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer jobsDB.Close()
		stopWorkers, err := startWorkers(ctx, cfg, jobsDB, logger, srv.Metrics().JobDone)
		if err != nil {
			return err
		}
		defer stopWorkers()
	} else {
		logger.Info("job workers off (HANDOFF_WORKERS=off): run `handoff worker` elsewhere to send reminders")
	}
	if cfg.DebugAddr != "" {
		stopDebug, err := serveDebug(ctx, cfg.DebugAddr, logger)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on HANDOFF_ADDR %s: %w", cfg.Addr, err)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String(), "version", buildVersion())
	if p.listening != nil {
		p.listening(ln.Addr())
	}
	if err := server.Serve(ctx, ln, srv, logger); err != nil {
		return err
	}
	logger.Info("stopped cleanly")
	return nil
}

func migrateUp(ctx context.Context, db *postgres.DB, logger *slog.Logger) error {
	m, err := postgres.NewMigrator(db, logger)
	if err != nil {
		return err
	}
	defer m.Close()
	n, err := m.Up(ctx)
	if err != nil {
		return err
	}
	// The job queue's own tables, from River's embedded migrations.
	if err := jobs.Migrate(ctx, db.Pool); err != nil {
		return err
	}
	// Stored counts the present completeness rule did not make: after an
	// upgrade that changed it, or bulk-loaded packs.
	recounted, err := db.RecountMissing(ctx)
	if err != nil {
		return err
	}
	if logger != nil && recounted > 0 {
		logger.Info("recounted what open packs miss", "packs", recounted)
	}
	if logger != nil {
		logger.Info("database migrated", "applied", n)
	}
	return nil
}

func (p *program) migrate(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return usageError{"usage: handoff migrate up|down|status"}
	}
	_, logger, db, err := p.setup(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := postgres.NewMigrator(db, logger)
	if err != nil {
		return err
	}
	defer m.Close()

	switch args[0] {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(p.stdout, "applied %d migration(s)\n", n)
	case "down":
		if err := m.Down(ctx); err != nil {
			return err
		}
		fmt.Fprintln(p.stdout, "rolled back the latest migration")
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(p.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tSTATE\tFILE")
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\n", s.Version, state, s.Name)
		}
		return tw.Flush()
	default:
		return usageError{fmt.Sprintf("unknown migrate action %q; use up, down or status", args[0])}
	}
	return nil
}
