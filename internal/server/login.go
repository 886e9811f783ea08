package server

import (
	"net/http"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/web"
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
	if len(email) > handoff.MaxEmail {
		// No account has it (ValidateEmail refuses longer ones), and it is not
		// worth a row in the limit.
		return again(http.StatusUnauthorized, loginFailed)
	}
	now := s.now()
	limits := s.passwordLimits(r, email)
	wait, err := s.db.ReserveLoginAttempt(ctx, limits, now)
	if err != nil {
		return err
	}
	if wait > 0 {
		s.log.WarnContext(ctx, "login rate limited", "client", s.clientAddr(r).String())
		return again(http.StatusTooManyRequests,
			"Too many failed logins. For your account's safety, "+tryAgain(w, wait, now)+".")
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

	// This attempt was no failure, and neither were this address's typos
	// for the account; guesses from elsewhere still count.
	if err := s.db.ForgetLoginAttempt(ctx, limits, now, limits[0].Key); err != nil {
		return err
	}
	if err := s.db.RecordLogin(ctx, u.ID, now); err != nil {
		return err
	}
	if err := s.login(ctx, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "login", "user_id", u.ID)
	redirect(w, r, safeNext(next, homePath(u.Role)))
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
