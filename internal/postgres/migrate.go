package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/handoff-app/handoff/migrations"
)

// Migrator runs the embedded goose migrations. A Postgres session advisory lock
// serialises concurrent runs, so several instances starting at the same moment
// on one empty database all come up: one migrates, the others wait and find
// nothing left to do.
type Migrator struct {
	provider *goose.Provider
	sqlDB    *sql.DB
}

// NewMigrator prepares migrations against db. Close it when done.
func NewMigrator(db *DB, logger *slog.Logger) (*Migrator, error) {
	sqlDB := stdlib.OpenDBFromPool(db.Pool)
	m, err := newMigrator(sqlDB, logger)
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	return m, nil
}

func newMigrator(sqlDB *sql.DB, logger *slog.Logger) (*Migrator, error) {
	locker, err := lock.NewPostgresSessionLocker(
		// Wait up to 5 minutes (300 tries a second apart) for another instance's
		// migration to finish rather than fail the start.
		lock.WithLockTimeout(1, 300),
	)
	if err != nil {
		return nil, fmt.Errorf("postgres: migration locker: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS,
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(logger),
	)
	if err != nil {
		return nil, fmt.Errorf("postgres: migration provider: %w", err)
	}
	return &Migrator{provider: p, sqlDB: sqlDB}, nil
}

// MigrateSQL applies every pending migration on a database/sql handle. The test
// helper uses it to build template databases.
func MigrateSQL(ctx context.Context, sqlDB *sql.DB) error {
	m, err := newMigrator(sqlDB, nil)
	if err != nil {
		return err
	}
	_, err = m.Up(ctx)
	return err
}

// Up applies every pending migration and returns how many ran.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.provider.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("postgres: migrate up: %w", err)
	}
	return len(res), nil
}

// Down rolls back the most recent migration.
func (m *Migrator) Down(ctx context.Context) error {
	if _, err := m.provider.Down(ctx); err != nil {
		return fmt.Errorf("postgres: migrate down: %w", err)
	}
	return nil
}

// MigrationStatus is one migration's state.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

// Status lists every embedded migration and whether it is applied.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{
			Version: s.Source.Version,
			Name:    s.Source.Path,
			Applied: s.State == goose.StateApplied,
		})
	}
	return out, nil
}

// Close releases the database/sql handle (not the pool it borrows from).
func (m *Migrator) Close() error { return m.sqlDB.Close() }
