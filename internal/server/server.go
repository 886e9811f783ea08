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
	"net/url"
	"time"

	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// Config is what the server needs to know about its deployment.
type Config struct {
	BaseURL *url.URL // the public URL; https turns on Secure cookies and HSTS
}

// Server holds the dependencies every handler shares. It has no package-level
// state: tests build as many as they like.
type Server struct {
	cfg    Config
	db     *postgres.DB
	log    *slog.Logger
	assets *web.Assets
	now    func() time.Time

	router http.Handler
}

// New builds a Server and its routes.
func New(cfg Config, db *postgres.DB, logger *slog.Logger, now func() time.Time) (*Server, error) {
	assets, err := web.NewAssets()
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	s := &Server{cfg: cfg, db: db, log: logger, assets: assets, now: now}
	s.router = s.routes()
	return s, nil
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
