package server

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/web"
)

// Failed logins allowed per client address and per account in loginWindow.
const (
	loginLimit  = 10
	loginWindow = time.Minute
)

// loginFailed is the one message for any failed login: it never says which of
// email or password was wrong, so it cannot confirm who has an account.
const loginFailed = "That email and password don't match an active account. Check both and try again."

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		redirect(w, r, safeNext(r.URL.Query().Get("next"), homePath(u.Role)))
		return nil
	}
	s.render(w, r, http.StatusOK, web.Login(web.LoginPage{Page: s.page(r, "Log in"), Next: safeNext(r.URL.Query().Get("next"), "")}))
	return nil
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"), "")
	again := func(status int, msg string) error {
		s.render(w, r, status, web.Login(web.LoginPage{Page: s.page(r, "Log in"), Email: email, Next: next, Error: msg}))
		return nil
	}

	if email == "" || pw == "" {
		return again(http.StatusUnprocessableEntity, "Enter your email and your password.")
	}
	now := s.now()
	keys := []string{"ip:" + clientIP(r), "email:" + handoff.NormalizeEmail(email)}
	wait, err := s.db.ReserveLoginAttempt(ctx, keys, now, loginLimit, loginWindow)
	if err != nil {
		return err
	}
	if wait > 0 {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.log.WarnContext(ctx, "login rate limited", "keys", len(keys))
		return again(http.StatusTooManyRequests, fmt.Sprintf(
			"Too many failed logins. For your account's safety, wait %s and try again (after %s UTC).",
			seconds(secs), now.Add(time.Duration(secs)*time.Second).UTC().Format("15:04:05")))
	}

	u, hash, err := s.db.UserByEmail(ctx, email)
	if err != nil && handoff.ErrorCode(err) != handoff.ENOTFOUND {
		return err
	}
	ok := false
	if hash != "" {
		if ok, err = password.Verify(pw, hash); err != nil {
			return err
		}
	} else {
		s.hasher.Waste(pw) // same cost as a real check: no timing hint that the email is unknown
	}
	if !ok || u == nil || !u.Active {
		return again(http.StatusUnauthorized, loginFailed) // the reserved attempt stands as a failure
	}

	if err := s.db.ForgetLoginAttempt(ctx, keys, "email:"+u.Email, now); err != nil {
		return err
	}
	if err := s.db.RecordLogin(ctx, u.ID, now); err != nil {
		return err
	}
	if err := s.login(ctx, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "login", "user_id", u.ID)
	redirect(w, r, safeNext(next, "/"))
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	s.flash(r, web.FlashSuccess, "You have logged out.")
	redirect(w, r, "/login")
	return nil
}

// safeNext returns next when it is a path on this site, else fallback: the
// login form must never become an open redirect.
func safeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n\t") {
		return fallback
	}
	return next
}

// clientIP is the address the connection came from. Behind a proxy that is the
// proxy's address; the per-account limit still holds there.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func seconds(n int) string {
	if n == 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}
