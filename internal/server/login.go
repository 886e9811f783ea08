package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/sso"
	"github.com/handoff-app/handoff/web"
)

// loginFailed is the one message for any failed login: it never says which of
// email or password was wrong, so it cannot confirm who has an account.
const loginFailed = "That email and password don't match an active account. Check both and try again."

// loginProps is the login page as this deployment offers it: single
// sign-on when configured, the password form unless turned off.
func (s *Server) loginProps(r *http.Request, next string) web.LoginPage {
	p := web.LoginPage{Page: s.page(r, "Log in"), Next: next, PasswordLogin: !s.cfg.NoPasswordLogin}
	if s.cfg.SSO != nil {
		p.SSOName = s.cfg.SSO.Name()
		p.SSOURL = ssoStartURL(next)
	}
	return p
}

// ssoStartURL starts a sign-in through the identity provider that comes
// back to next (a path safeNext accepted).
func ssoStartURL(next string) templ.SafeURL {
	if next == "" {
		return ssoStartPath
	}
	return templ.SafeURL(ssoStartPath + "?next=" + url.QueryEscape(next))
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		redirect(w, r, safeNext(r.URL.Query().Get("next"), homePath(u.Role)))
		return nil
	}
	s.render(w, r, http.StatusOK, web.Login(s.loginProps(r, safeNext(r.URL.Query().Get("next"), ""))))
	return nil
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"), "")
	again := func(status int, msg string) error {
		p := s.loginProps(r, next)
		p.Email, p.Error = email, msg
		s.render(w, r, status, web.Login(p))
		return nil
	}

	if s.cfg.NoPasswordLogin {
		// Not even a wrong-password answer: no password is checked here.
		return again(http.StatusForbidden, passwordLoginOff(s.cfg.SSO))
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
	if err := s.signIn(ctx, u, "password"); err != nil {
		return err
	}
	redirect(w, r, safeNext(next, homePath(u.Role)))
	return nil
}

// signIn lets u in after they proved who they are, by password or through
// the identity provider alike: the login is recorded and a fresh session
// starts (login).
func (s *Server) signIn(ctx context.Context, u *handoff.User, method string) error {
	if err := s.db.RecordLogin(ctx, u.ID, s.now()); err != nil {
		return err
	}
	if err := s.login(ctx, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "login", "user_id", u.ID, "method", method)
	return nil
}

// passwordLoginOff is what anyone reaching for a password is told when
// password sign-in is off (HANDOFF_PASSWORD_LOGIN=off, which config allows
// only with single sign-on).
func passwordLoginOff(p *sso.Provider) string {
	return "Handoff does not use passwords here: sign in with " + ssoName(p) + " instead."
}

// ssoName is the identity provider as people know it, for a sentence that
// may be read while none is configured.
func ssoName(p *sso.Provider) string {
	if p == nil {
		return "single sign-on"
	}
	return p.Name()
}

// refusePasswords answers a set-password link or password change when
// password sign-in is off. The link is left as it is: it works again if
// password sign-in is turned back on.
func (s *Server) refusePasswords(w http.ResponseWriter, r *http.Request) error {
	s.flash(r, web.FlashInfo, passwordLoginOff(s.cfg.SSO))
	if currentUser(r) != nil {
		redirect(w, r, "/account")
		return nil
	}
	redirect(w, r, "/login")
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
