// Package postgrestest gives each test its own freshly migrated PostgreSQL
// database. pgtestdb migrates a template database once per schema version and
// clones it per test (a file copy inside PostgreSQL, a few milliseconds), so
// tests run in parallel with no shared mutable state.
//
// The server is TEST_DATABASE_URL, or the local default
// postgres://postgres@127.0.0.1:5432/postgres.
package postgrestest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver pgtestdb connects with
	"github.com/peterldowns/pgtestdb"

	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/migrations"
)

// DefaultURL is the server tests use when TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// URL returns a connection URL to a new, migrated database that is dropped when
// the test passes (kept for inspection when it fails).
func URL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, serverConfig(t), migrator{}).URL()
}

// EmptyURL returns a connection URL to a new database with no schema at all,
// for tests of migration itself.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, serverConfig(t), pgtestdb.NoopMigrator{}).URL()
}

// New returns an open *postgres.DB on a new, migrated database, closed at the
// end of the test.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("postgrestest: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

func serverConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		raw = DefaultURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("postgrestest: TEST_DATABASE_URL is not a URL: %v", err)
	}
	pass, _ := u.User.Password()
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	opts := u.RawQuery
	if opts == "" {
		opts = "sslmode=disable"
	}
	db := u.Path
	if len(db) > 0 && db[0] == '/' {
		db = db[1:]
	}
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       u.Hostname(),
		Port:       port,
		User:       u.User.Username(),
		Password:   pass,
		Database:   db,
		Options:    opts,
	}
}

// migrator builds templates with the app's own embedded goose migrations; its
// hash changes whenever a migration file does, so a new schema gets a new
// template automatically.
type migrator struct{}

func (migrator) Hash() (string, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	h.Write([]byte(jobs.SchemaVersion)) // a River upgrade makes a new template
	for _, n := range names {
		b, err := fs.ReadFile(migrations.FS, n)
		if err != nil {
			return "", err
		}
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func (migrator) Migrate(ctx context.Context, db *sql.DB, conf pgtestdb.Config) error {
	if err := postgres.MigrateSQL(ctx, db); err != nil {
		return err
	}
	// The job queue's tables too, as handoff serve migrates them.
	pool, err := pgxpool.New(ctx, conf.URL())
	if err != nil {
		return err
	}
	defer pool.Close()
	return jobs.Migrate(ctx, pool)
}
