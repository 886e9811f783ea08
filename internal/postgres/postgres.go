// Package postgres stores Handoff's data in PostgreSQL with pgx. Each file holds
// the SQL of one entity next to the Go that runs it; SQLSTATEs become domain
// errors here so callers never see driver types.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Querier is what both a pool and a transaction offer, so the lowercase helpers
// in this package compose inside InTx or run alone.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is Handoff's handle on PostgreSQL.
type DB struct {
	Pool *pgxpool.Pool

	// OnEvent, when set, runs inside the transaction that records each pack
	// event, so what it stores or enqueues (webhook deliveries) exists
	// exactly when the event does: a failed change leaves neither.
	OnEvent func(ctx context.Context, tx pgx.Tx, e StoredEvent) error
}

// StoredEvent is a pack event as just recorded.
type StoredEvent struct {
	ID     int64
	PackID int64
	Kind   string // handoff.Event* kinds
	At     time.Time
}

// PoolSize is how many connections a server's pool holds unless the URL sets
// pool_max_conns: two per CPU it may use (GOMAXPROCS, which follows a
// container's CPU limit), four at least and 32 at most, as PostgreSQL's own
// guidance sizes a pool. More connections than the CPUs can serve do not
// add throughput, they add waiting: with 16 connections on 2 cores, 16
// requests ran their queries side by side and the slowest waited out
// everyone's time slices (p99 three to five times the median); with 4,
// requests queue for a connection in order and the p99 of every page fell
// by about half at the same throughput (docs/performance.md). The ceiling
// keeps a few instances on big machines within PostgreSQL's default of 100
// connections.
func PoolSize(cpus int) int32 {
	return int32(min(32, max(4, 2*cpus)))
}

// Open connects a pool of PoolSize(GOMAXPROCS) connections to url, or as
// many as its pool_max_conns says. It does not fail when the database is
// down: the pool connects lazily, /readyz reports the outage, and the app
// recovers by itself when the database is back.
func Open(ctx context.Context, url string) (*DB, error) {
	return open(ctx, url, PoolSize(runtime.GOMAXPROCS(0)), true)
}

// OpenSized is Open with a pool of exactly conns connections, whatever the
// URL says: for the job workers, whose need does not grow with the web
// pages' pool_max_conns.
func OpenSized(ctx context.Context, url string, conns int32) (*DB, error) {
	return open(ctx, url, conns, false)
}

func open(ctx context.Context, url string, conns int32, urlMaySize bool) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse database url: %w", err)
	}
	if !urlMaySize || !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = conns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.HealthCheckPeriod = 15 * time.Second
	cfg.ConnConfig.RuntimeParams["application_name"] = "handoff"
	// JIT compiling a query costs tens of milliseconds, more than any query
	// of this app runs; PostgreSQL turns it on for queries its estimates call
	// expensive, such as a capped count over a large table (docs/performance.md).
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open pool: %w", err)
	}
	return &DB{Pool: pool}, nil
}

// Close releases every connection.
func (db *DB) Close() { db.Pool.Close() }

// Ping reports whether the database answers a round trip.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.Pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// InTx runs fn in one transaction: committed when fn returns nil, rolled back
// otherwise. A state change and its event line always go through here together.
func (db *DB) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation on the
// named constraint (any constraint when name is empty).
func isUniqueViolation(err error, name string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (name == "" || pgErr.ConstraintName == name)
}
