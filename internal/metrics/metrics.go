// Package metrics exposes Handoff's Prometheus metrics: HTTP traffic by chi
// route pattern, the pgx pool, background jobs and overdue packs per clock.
//
// Every Metrics owns its registry, so two servers in one process (or two
// tests) never share or collide on global state.
package metrics

import (
	"context"
	"github.com/handoff-app/handoff/internal/deadline"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// OverdueFunc counts the overdue clocks of each lane of the clock model (a
// clock and the role it waits on). It is called at scrape time.
type OverdueFunc func(ctx context.Context) (map[deadline.Lane]int, error)

// Metrics holds the registry and the instruments the app updates.
type Metrics struct {
	reg      *prometheus.Registry
	log      *slog.Logger
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	jobs     *prometheus.CounterVec
}

// Option adjusts New.
type Option func(*options)

type options struct {
	log            *slog.Logger
	overdueTimeout time.Duration
}

// WithLogger sets where scrape-time failures are logged (default
// slog.Default(); nil discards them).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// WithOverdueTimeout bounds how long a scrape waits for the overdue counts
// (default 2s), so a slow database cannot stall Prometheus.
func WithOverdueTimeout(d time.Duration) Option {
	return func(o *options) { o.overdueTimeout = d }
}

// New builds the metrics on a fresh registry. pool and overdue may be nil
// (their families are then absent), which keeps web-only tests simple.
func New(pool *pgxpool.Pool, overdue OverdueFunc, opts ...Option) *Metrics {
	o := options{log: slog.Default(), overdueTimeout: 2 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}

	m := &Metrics{
		reg: prometheus.NewRegistry(),
		log: o.log,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "handoff_http_requests_total",
			Help: "HTTP requests served, by method, chi route pattern and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "handoff_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by method and chi route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "handoff_jobs_total",
			Help: "Background jobs finished, by kind and outcome.",
		}, []string{"kind", "outcome"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests,
		m.duration,
		m.jobs,
	)
	if pool != nil {
		m.reg.MustRegister(poolCollector{pool: pool})
	}
	if overdue != nil {
		m.reg.MustRegister(&overdueCollector{fn: overdue, timeout: o.overdueTimeout, log: o.log})
	}
	return m
}

// JobDone counts one finished job. kind is the job kind (e.g. "reminder"),
// outcome a small fixed word such as "ok", "error", "cancelled" or "snoozed";
// never pass ids or error text, each distinct value is a new series.
// A nil *Metrics counts nothing, so job code runs unchanged in tests and in
// `handoff worker`, which serves no /metrics.
func (m *Metrics) JobDone(kind, outcome string) {
	if m == nil {
		return
	}
	m.jobs.WithLabelValues(kind, outcome).Inc()
}
