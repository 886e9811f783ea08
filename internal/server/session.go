package server

import (
	"context"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// Session lifetimes: a working day of inactivity ends a session, and none
// lives longer than a week, whatever its activity. The idle clock is kept in
// the session itself and refreshed at most every sessionTouch, because scs's
// own IdleTimeout rewrites the session row on every request.
const (
	sessionIdleTimeout = 12 * time.Hour
	sessionLifetime    = 7 * 24 * time.Hour
	sessionTouch       = 5 * time.Minute
)

// Session keys.
const (
	keyUserID         = "user_id"
	keySessionVersion = "session_version"
	keyFlashKind      = "flash_kind"
	keyFlashMessage   = "flash_message"
	keyFlashAt        = "flash_at"
	keyLastSeen       = "last_seen" // unix seconds of the last request
)

func newSessionManager(store scs.Store, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = sessionLifetime
	sm.Cookie.Name = "handoff_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	return sm
}

type sessionStateKey struct{}

// sessionState marks a request that went through the session middleware, and
// carries its logged-in user (nil when anonymous).
type sessionState struct {
	user *handoff.User
	// version is the data version read with the user (memo.go), on requests
	// that only read; 0 makes dataVersion read it when asked.
	version int64
}

// currentUser is the logged-in user of r, or nil.
func currentUser(r *http.Request) *handoff.User {
	if st, ok := r.Context().Value(sessionStateKey{}).(*sessionState); ok {
		return st.user
	}
	return nil
}

func hasSession(r *http.Request) bool {
	_, ok := r.Context().Value(sessionStateKey{}).(*sessionState)
	return ok
}

// authenticate loads the session's user. A session whose user was deactivated,
// or whose password changed since, is destroyed here: that is how
// deactivation throws someone out at their next request.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &sessionState{}
		ctx := context.WithValue(r.Context(), sessionStateKey{}, st)
		r = r.WithContext(ctx)
		id := s.sessions.GetInt64(ctx, keyUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, version, err := s.sessionUser(ctx, id)
		if err != nil && handoff.ErrorCode(err) != handoff.ENOTFOUND {
			s.serveError(w, r, err)
			return
		}
		now := s.now()
		lastSeen := time.Unix(s.sessions.GetInt64(ctx, keyLastSeen), 0)
		if s.sessions.GetInt64(ctx, keyLastSeen) == 0 {
			lastSeen = now.Add(-sessionTouch - time.Second) // a session from before the idle clock: start it now
		}
		idle := now.Sub(lastSeen) > sessionIdleTimeout
		if u == nil || !u.Active || u.SessionVersion != s.sessions.GetInt(ctx, keySessionVersion) || idle {
			if err := s.sessions.Destroy(ctx); err != nil {
				s.serveError(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if now.Sub(lastSeen) > sessionTouch {
			s.sessions.Put(ctx, keyLastSeen, now.Unix())
		}
		if lf, ok := ctx.Value(logFieldsKey{}).(*logFields); ok {
			lf.userID = u.ID
		}
		st.user = u
		if readsOnly(r) {
			st.version = version
		}
		next.ServeHTTP(w, r)
	})
}

// withVersionSlot gives the request a slot for the data version its session
// lookup reads (postgres.SessionStore), before the session is loaded.
func withVersionSlot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _ := postgres.WithVersionSlot(r.Context())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// sessionUser is the signed-in person with id and the data version: from
// the version the session's lookup read and the people kept under it, or,
// when the memo has not seen them under that version, one round trip. A
// deactivation, role change or password change moves the version
// (migrations 00013 and 00020), so the person is never older than the
// request.
func (s *Server) sessionUser(ctx context.Context, id int64) (*handoff.User, int64, error) {
	if slot := postgres.VersionSlotOf(ctx); slot != nil && slot.N != 0 {
		if u, ok := s.memo.user(slot.N, id); ok {
			return u, slot.N, nil
		}
	}
	u, v, err := s.db.UserAndVersion(ctx, id)
	if err == nil {
		s.memo.putUser(v, u)
	}
	return u, v, err
}

// login starts a fresh session for u: a new token defeats session fixation.
func (s *Server) login(ctx context.Context, u *handoff.User) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, keyUserID, u.ID)
	s.sessions.Put(ctx, keySessionVersion, u.SessionVersion)
	s.sessions.Put(ctx, keyLastSeen, s.now().Unix())
	return nil
}

// flash queues a message for the next page this person sees.
func (s *Server) flash(r *http.Request, kind, msg string) { s.flashAt(r, kind, msg, "") }

// flashAt queues a message for the card with id at on the next page, the
// card the redirect lands on (web.Flash.At).
func (s *Server) flashAt(r *http.Request, kind, msg, at string) {
	s.sessions.Put(r.Context(), keyFlashKind, kind)
	s.sessions.Put(r.Context(), keyFlashMessage, msg)
	s.sessions.Put(r.Context(), keyFlashAt, at)
}

// popFlashes takes the queued message, if any. Requests without a session
// (health checks, assets) have none.
func (s *Server) popFlashes(r *http.Request) []web.Flash {
	if !hasSession(r) {
		return nil
	}
	msg := s.sessions.PopString(r.Context(), keyFlashMessage)
	if msg == "" {
		return nil
	}
	return []web.Flash{{Kind: s.sessions.PopString(r.Context(), keyFlashKind), Message: msg, At: s.sessions.PopString(r.Context(), keyFlashAt)}}
}
