package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/alexedwards/scs/pgxstore"
)

// DeleteExpiredSessions removes sessions past their expiry and says how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// SessionStore is scs's PostgreSQL store (pgxstore) with one change: finding
// a session also reads the data version (migration 00013), in the same round
// trip, into the VersionSlot its request carries. A signed-in request thus
// learns both with one query, and finds its user in the server's memory
// under that version instead of asking the database again.
type SessionStore struct {
	*pgxstore.PostgresStore
	db *DB
}

// NewSessionStore returns the session store on db. Expired sessions are
// swept by DeleteExpiredSessions, not by a goroutine of the store's.
func NewSessionStore(db *DB) *SessionStore {
	return &SessionStore{PostgresStore: pgxstore.NewWithCleanupInterval(db.Pool, 0), db: db}
}

// VersionSlot receives the data version read with a request's session.
type VersionSlot struct{ N int64 }

type versionSlotKey struct{}

// WithVersionSlot returns ctx carrying an empty slot for the version the
// session's lookup reads.
func WithVersionSlot(ctx context.Context) (context.Context, *VersionSlot) {
	slot := &VersionSlot{}
	return context.WithValue(ctx, versionSlotKey{}, slot), slot
}

// VersionSlotOf returns ctx's slot, or nil.
func VersionSlotOf(ctx context.Context) *VersionSlot {
	slot, _ := ctx.Value(versionSlotKey{}).(*VersionSlot)
	return slot
}

// FindCtx returns the unexpired session with token, and fills ctx's
// VersionSlot, if any, with the data version.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var (
		data []byte
		n    int64
	)
	err := s.db.Pool.QueryRow(ctx, `
		SELECT v.n, s.data FROM data_version v
		LEFT JOIN sessions s ON s.token = $1 AND current_timestamp < s.expiry`, token).Scan(&n, &data)
	if err != nil {
		return nil, false, fmt.Errorf("postgres: find session: %w", err)
	}
	if slot := VersionSlotOf(ctx); slot != nil {
		slot.N = n
	}
	return data, data != nil, nil
}

// CommitCtx stores a session (pgxstore's Commit).
func (s *SessionStore) CommitCtx(_ context.Context, token string, b []byte, expiry time.Time) error {
	return s.Commit(token, b, expiry)
}

// DeleteCtx deletes a session (pgxstore's Delete).
func (s *SessionStore) DeleteCtx(_ context.Context, token string) error {
	return s.Delete(token)
}
