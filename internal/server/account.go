package server

import (
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
	p := web.AccountPage{Page: s.page(r, "Your account"), User: currentUser(r)}
	cal, _, err := s.calendar(r.Context())
	if err != nil {
		return p, err
	}
	p.Reminders, err = jobs.Upcoming(r.Context(), s.db, p.User, cal, s.now())
	return p, err
}

// changePassword lets a person change their own password; it needs the
// current one, so a borrowed unlocked laptop is not enough.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	current, pw, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")

	fe := handoff.FieldErrors{}
	_, hash, err := s.db.UserByEmail(ctx, u.Email)
	if err != nil {
		return err
	}
	if current == "" {
		fe.Add("current", "Enter your current password.")
	} else {
		ok := false
		if hash != "" {
			if ok, err = password.Verify(current, hash); err != nil {
				return err
			}
		}
		if !ok {
			fe.Add("current", "That is not your current password.")
		}
	}
	checkNewPassword(fe, pw, confirm, u.Email)
	if len(fe) > 0 {
		p, err := s.accountProps(r)
		if err != nil {
			return err
		}
		p.Errors = web.FieldErrors(fe)
		s.render(w, r, http.StatusUnprocessableEntity, web.AccountView(p))
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

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	u, err := s.db.PasswordTokenUser(r.Context(), token, s.now())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SetPassword(web.SetPasswordPage{
		Page: s.page(r, "Choose your password"), Name: u.Name, Email: u.Email, Token: token}))
	return nil
}

func (s *Server) setPasswordSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	u, err := s.db.PasswordTokenUser(ctx, token, s.now())
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
