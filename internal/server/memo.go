package server

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/handoff-app/handoff/internal/handoff"
)

// What pages keep in memory between requests. Settings, the calendar, the
// people lists and the manager's lists change rarely and are read on almost
// every page, so a server keeps what it read under the database's data
// version (migration 00013) and throws it all away when the number moves.
//
// Why this never shows stale data, on one instance or many: every signed-in
// request reads the number with its session (postgres.SessionStore) before it
// reads anything else, and a value read after that is at least as new as the
// number it is kept under.
// A write commits and moves the number in one transaction, so the next request
// anywhere reads the new number and misses. Requests that change data (not
// GET or HEAD) read the number again when they ask, because they may just
// have moved it.

// memoEntries bounds the kept lists (filters people bookmark are few; a
// crawler walking every filter empties the memo rather than growing it).
const memoEntries = 256

// memoUsers bounds the kept signed-in people: one small row each, so many.
const memoUsers = 10000

type memo struct {
	mu      sync.Mutex
	version int64
	items   map[string]any
	users   map[int64]*handoff.User // the people whose requests came in under version
	flight  singleflight.Group
	loc     atomic.Pointer[time.Location] // the org's zone as last read, for showing moments
}

// moveTo starts the memo afresh at version v; the caller holds mu.
func (m *memo) moveTo(v int64) {
	m.version, m.items, m.users = v, map[string]any{}, map[int64]*handoff.User{}
}

// user returns the person with id as read under version v, and whether the
// memo had them.
func (m *memo) user(v, id int64) (*handoff.User, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v != m.version {
		return nil, false
	}
	u, ok := m.users[id]
	return u, ok
}

// putUser keeps u as read under version v.
func (m *memo) putUser(v int64, u *handoff.User) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v < m.version {
		return
	}
	if v > m.version {
		m.moveTo(v)
	} else if len(m.users) >= memoUsers {
		m.users = map[int64]*handoff.User{}
	}
	m.users[u.ID] = u
}

// get returns what is kept under key for version v.
func (m *memo) get(v int64, key string) (any, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v != m.version {
		return nil, false
	}
	x, ok := m.items[key]
	return x, ok
}

// put keeps x under key for version v; a value read under an older number
// than the memo already holds is not kept.
func (m *memo) put(v int64, key string, x any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v < m.version {
		return
	}
	if v > m.version {
		m.moveTo(v)
	} else if len(m.items) >= memoEntries {
		m.items = map[string]any{}
	}
	m.items[key] = x
}

// dataVersion is the data version this request reads under.
func (s *Server) dataVersion(ctx context.Context) (int64, error) {
	if st, ok := ctx.Value(sessionStateKey{}).(*sessionState); ok && st.version != 0 {
		return st.version, nil
	}
	return s.db.DataVersion(ctx)
}

// readsOnly reports whether r only reads, so the data version read with its
// user holds for the whole request.
func readsOnly(r *http.Request) bool {
	return r.Method == http.MethodGet || r.Method == http.MethodHead
}

// remember returns the value kept under key for the request's data version,
// loading it (once, however many requests ask at the same moment) when none
// is kept. What load returns is shared between requests: callers must not
// change it.
func remember[T any](ctx context.Context, s *Server, key string, load func(context.Context) (T, error)) (T, error) {
	v, err := s.dataVersion(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	if x, ok := s.memo.get(v, key); ok {
		return x.(T), nil
	}
	x, err, _ := s.memo.flight.Do(strconv.FormatInt(v, 10)+"\x00"+key, func() (any, error) {
		// A request that gave up must not fail the others waiting on it.
		x, err := load(context.WithoutCancel(ctx))
		if err == nil {
			s.memo.put(v, key, x)
		}
		return x, err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return x.(T), nil
}
