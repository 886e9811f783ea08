// Package server is Handoff's HTTP layer: the chi router (routes.go lists every
// route), middleware, one file per resource, form parsing, and the single
// mapping from domain errors to HTTP answers. Handlers stay thin: they parse,
// call the domain and storage, and render.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/metrics"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/sso"
	"github.com/handoff-app/handoff/web"
)

// Config is what the server needs to know about its deployment.
type Config struct {
	BaseURL *url.URL        // the public URL; https turns on Secure cookies and HSTS
	Hasher  password.Hasher // argon2id cost; zero means password.Default()
	Now     func() time.Time

	MetricsToken string         // bearer token for non-loopback scrapers of /metrics; empty: none
	MetricsAllow []netip.Prefix // addresses that may scrape /metrics without a token

	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (clientAddr); empty: the connection's peer is the client.
	TrustedProxies []netip.Prefix

	// SSO is the organisation's identity provider; nil: no single sign-on.
	SSO *sso.Provider
	// NoPasswordLogin hides and refuses email and password sign-in
	// (HANDOFF_PASSWORD_LOGIN=off); SSO and the CLI remain.
	NoPasswordLogin bool
	// WebhookAllowPrivate admits webhook endpoints on loopback, link-local
	// and private addresses (HANDOFF_WEBHOOK_ALLOW_PRIVATE=1).
	WebhookAllowPrivate bool
}

// secure reports whether people reach the server over https, which turns on
// Secure cookies and HSTS.
func (c Config) secure() bool { return c.BaseURL.Scheme == "https" }

// Server holds the dependencies every handler shares. It has no package-level
// state: tests build as many as they like.
type Server struct {
	cfg      Config
	db       *postgres.DB
	log      *slog.Logger
	assets   *web.Assets
	sessions *scs.SessionManager
	hasher   password.Hasher
	now      func() time.Time
	metrics  *metrics.Metrics

	memo memo // what pages keep between requests (memo.go)
	// buffers are the page buffers render reuses: growing a fresh one to a
	// page's 30–60 KB was a tenth of a list page's allocations.
	buffers sync.Pool
	rules   map[string]rule // "GET /admin/users" → who may reach it
	router  http.Handler
}

// New builds a Server and its routes.
func New(cfg Config, db *postgres.DB, logger *slog.Logger) (*Server, error) {
	assets, err := web.NewAssets()
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	s := &Server{cfg: cfg, db: db, log: logger, assets: assets, hasher: cfg.Hasher, now: cfg.Now, rules: map[string]rule{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.hasher == (password.Hasher{}) {
		s.hasher = password.Default()
	}
	s.metrics = metrics.New(db.Pool, s.overdueByClock, metrics.WithLogger(logger))
	// Interval 0: pgxstore's own sweeper goroutine races on shutdown, so
	// expired sessions are swept by SweepSessions, which the caller runs.
	s.sessions = newSessionManager(postgres.NewSessionStore(db), cfg.secure())
	s.router = s.routes()
	return s, nil
}

// SweepSessions deletes expired sessions every interval until ctx ends. Every
// instance may run it; the DELETE is idempotent.
func (s *Server) SweepSessions(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.db.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("sweeping expired sessions failed", "err", err)
			} else if n > 0 {
				s.log.Debug("swept expired sessions", "count", n)
			}
		}
	}
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// ShutdownTimeout bounds how long in-flight requests may run after a stop
// signal before the process gives up on them.
const ShutdownTimeout = 25 * time.Second

// Serve answers HTTP on ln until ctx is cancelled, then stops accepting, lets
// in-flight requests finish (up to ShutdownTimeout) and returns nil.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler: h,
		// Timeouts keep slow or idle clients from holding connections forever.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("server: serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing in-flight requests", "timeout", ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: serve: %w", err)
	}
	return nil
}

// Metrics is the server's metrics, for the job workers' JobDone.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// overdueByClock counts the overdue packs of each clock for the
// handoff_overdue_packs gauge, in the org's calendar.
func (s *Server) overdueByClock(ctx context.Context) (map[deadline.Lane]int, error) {
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	today := cal.Today(s.now())
	counts, err := s.db.OverdueCounts(ctx, postgres.OverdueFilter{Today: today.Time(), RiskUntil: cal.RiskUntil(today).Time()})
	if err != nil {
		return nil, err
	}
	out := map[deadline.Lane]int{}
	for _, l := range deadline.Lanes() {
		out[l] = counts["overdue"][l.Key()]
	}
	return out, nil
}
