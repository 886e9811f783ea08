package server

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/web"
)

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.accountProps(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.AccountView(p))
	return nil
}

// accountProps is the account page with what this person will be reminded
// of by mail.
func (s *Server) accountProps(r *http.Request) (web.AccountPage, error) {
	p := web.AccountPage{Page: s.page(r, "Your account"), User: currentUser(r), PasswordLogin: !s.cfg.NoPasswordLogin}
	if s.cfg.SSO != nil {
		p.SSOName = s.cfg.SSO.Name()
		linked, err := s.db.SSOLinked(r.Context(), p.User.ID)
		if err != nil {
			return p, err
		}
		p.SSOLinked = linked
	}
	cal, st, err := s.calendar(r.Context())
	if err != nil {
		return p, err
	}
	p.Reminders, err = jobs.Upcoming(r.Context(), s.db, p.User, cal, st, s.now())
	return p, err
}

// changePassword lets a person change their own password; it needs the
// current one, so a borrowed unlocked laptop is not enough.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.NoPasswordLogin {
		return s.refusePasswords(w, r)
	}
	ctx := r.Context()
	u := currentUser(r)
	current, pw, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")

	fe := handoff.FieldErrors{}
	status := http.StatusUnprocessableEntity
	if current == "" {
		fe.Add("current", "Enter your current password.")
	} else {
		// The same guess limit as the login: whoever holds an unlocked
		// session must not get to try passwords at speed.
		now := s.now()
		limits := s.passwordLimits(r, u.Email)
		wait, err := s.db.ReserveLoginAttempt(ctx, limits, now)
		if err != nil {
			return err
		}
		if wait > 0 {
			s.log.WarnContext(ctx, "password change rate limited", "user_id", u.ID, "client", s.clientAddr(r).String())
			status = http.StatusTooManyRequests
			fe.Add("current", "Too many wrong passwords. For your account's safety, "+tryAgain(w, wait, now)+".")
		} else {
			ok, err := s.checkPassword(ctx, u.Email, current)
			if err != nil {
				return err
			}
			if !ok {
				fe.Add("current", "That is not your current password.") // the reserved attempt stands as a failure
			} else if err := s.db.ForgetLoginAttempt(ctx, limits, now, limits[0].Key); err != nil {
				return err
			}
		}
	}
	checkNewPassword(fe, pw, confirm, u.Email)
	if len(fe) > 0 {
		p, err := s.accountProps(r)
		if err != nil {
			return err
		}
		p.Errors = web.FieldErrors(fe)
		s.render(w, r, status, web.AccountView(p))
		return nil
	}

	newHash, err := s.hasher.Hash(pw)
	if err != nil {
		return err
	}
	updated, err := s.db.SetPasswordHash(ctx, u.ID, newHash)
	if err != nil {
		return err
	}
	// The new session version ends every other session; keep this one.
	if err := s.login(ctx, updated); err != nil {
		return err
	}
	s.flash(r, web.FlashSuccess, "Your password is changed. Other sessions have been logged out.")
	redirect(w, r, "/account")
	return nil
}

// checkPassword reports whether pw is the password of the account email.
func (s *Server) checkPassword(ctx context.Context, email, pw string) (bool, error) {
	_, hash, err := s.db.UserByEmail(ctx, email)
	if err != nil || hash == "" {
		return false, err
	}
	return password.Verify(pw, hash)
}

// checkNewPassword adds the problems of a new password and its confirmation.
func checkNewPassword(fe handoff.FieldErrors, pw, confirm, email string) {
	if pw == "" {
		fe.Add("password", "Choose a new password.")
		return
	}
	if err := handoff.ValidatePassword(pw, email); err != nil {
		fe.Add("password", handoff.ErrorMessage(err))
		return
	}
	if confirm != pw {
		fe.Add("confirm", "The two passwords differ. Type the same password in both boxes.")
	}
}

// passwordTokenUser is the user a set-password link's token belongs to.
// Unknown tokens count against the address, so links cannot be guessed at
// speed.
func (s *Server) passwordTokenUser(w http.ResponseWriter, r *http.Request, token string) (*handoff.User, error) {
	ctx := r.Context()
	now := s.now()
	limits := s.linkLimits(r)
	wait, err := s.db.ReserveLoginAttempt(ctx, limits, now)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		s.log.WarnContext(ctx, "set-password link rate limited", "client", s.clientAddr(r).String())
		return nil, handoff.Errorf(handoff.ERATELIMITED,
			"Too many set-password links that don't work were opened from your network. Check the link you were sent, %s, or ask your Handoff admin for a new link.",
			tryAgain(w, wait, now))
	}
	u, err := s.db.PasswordTokenUser(ctx, token, now)
	if err != nil {
		return nil, err // an unknown token stands as a failure
	}
	if err := s.db.ForgetLoginAttempt(ctx, limits, now); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.NoPasswordLogin {
		return s.refusePasswords(w, r)
	}
	token := chi.URLParam(r, "token")
	u, err := s.passwordTokenUser(w, r, token)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SetPassword(web.SetPasswordPage{
		Page: s.page(r, "Choose your password"), Name: u.Name, Email: u.Email, Token: token}))
	return nil
}

func (s *Server) setPasswordSubmit(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.NoPasswordLogin {
		return s.refusePasswords(w, r)
	}
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	u, err := s.passwordTokenUser(w, r, token)
	if err != nil {
		return err
	}
	pw, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	fe := handoff.FieldErrors{}
	checkNewPassword(fe, pw, confirm, u.Email)
	if len(fe) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, web.SetPassword(web.SetPasswordPage{
			Page: s.page(r, "Choose your password"), Name: u.Name, Email: u.Email, Token: token, Errors: web.FieldErrors(fe)}))
		return nil
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return err
	}
	updated, err := s.db.UsePasswordToken(ctx, token, hash, s.now())
	if err != nil {
		return err
	}
	if err := s.login(ctx, updated); err != nil {
		return err
	}
	s.flash(r, web.FlashSuccess, "Your password is set. Welcome to Handoff.")
	redirect(w, r, "/")
	return nil
}
