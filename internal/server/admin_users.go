package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/sso"
	"github.com/handoff-app/handoff/web"
)

// The admin's people pages. The route rule admits only admins; each handler
// also asks the policy, so the rule and the domain can never disagree.

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageUsers); err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	users, err := s.db.Users(r.Context(), postgres.UserFilter{Query: q})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.Users(web.UsersPage{Page: s.page(r, "People"), Query: q, Users: users}))
	return nil
}

func (s *Server) adminNewUser(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageUsers); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.NewUser(s.newUserProps(r)))
	return nil
}

// newUserProps is the empty form to add a person, which asks for a
// password only while Handoff uses them.
func (s *Server) newUserProps(r *http.Request) web.NewUserPage {
	return web.NewUserPage{Page: s.page(r, "Add a person"), PasswordLogin: !s.cfg.NoPasswordLogin, SSOName: ssoName(s.cfg.SSO)}
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageUsers); err != nil {
		return err
	}
	in := handoff.UserInput{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Role: r.PostFormValue("role")}
	pw := r.PostFormValue("password")
	again := func(fields map[string]string) error {
		p := s.newUserProps(r)
		p.Name, p.Email, p.Role, p.Errors = in.Name, in.Email, in.Role, fields
		s.render(w, r, http.StatusUnprocessableEntity, web.NewUser(p))
		return nil
	}
	if s.cfg.NoPasswordLogin && pw != "" {
		// The form offers no password field: a password posted anyway is
		// refused whole rather than dropped without a word.
		p := s.newUserProps(r)
		p.Name, p.Email, p.Role = in.Name, in.Email, in.Role
		p.Flashes = append(p.Flashes, web.Flash{Kind: web.FlashError, Message: passwordsOffForAdmins(s.cfg.SSO)})
		s.render(w, r, http.StatusConflict, web.NewUser(p))
		return nil
	}

	role, err := in.Validate()
	fe := handoff.FieldErrors(handoff.InvalidFields(err))
	if err != nil && fe == nil {
		return err
	}
	if fe == nil {
		fe = handoff.FieldErrors{}
	}
	if pw != "" {
		if err := handoff.ValidatePassword(pw, in.Email); err != nil {
			fe.Add("password", handoff.ErrorMessage(err))
		}
	}
	if len(fe) > 0 {
		return again(fe)
	}

	nu := postgres.NewUser{Email: in.Email, Name: in.Name, Role: role}
	if pw != "" {
		if nu.PasswordHash, err = s.hasher.Hash(pw); err != nil {
			return err
		}
	}
	u, err := s.db.CreateUser(ctx, nu)
	if fields := handoff.InvalidFields(err); fields != nil {
		return again(fields)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "user created", "user_id", u.ID, "role", u.Role, "by", currentUser(r).ID)
	if s.cfg.NoPasswordLogin {
		name := ssoName(s.cfg.SSO)
		s.flash(r, web.FlashSuccess, u.Name+" is added. They sign in with "+name+" as "+u.Email+"; from then on their "+name+" groups set their role.")
		redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10))
		return nil
	}
	if pw != "" {
		s.flash(r, web.FlashSuccess, u.Name+" can now log in as "+u.Email+".")
		redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10))
		return nil
	}
	return s.showSetPasswordLink(w, r, u, u.Name+" is added. They need the link below to choose a password.")
}

// showSetPasswordLink renders the user page with a fresh one-time link. It is
// rendered, not redirected, because the link must never be stored anywhere it
// could be shown twice.
func (s *Server) showSetPasswordLink(w http.ResponseWriter, r *http.Request, u *handoff.User, msg string) error {
	token, err := s.db.CreatePasswordToken(r.Context(), u.ID, s.now())
	if err != nil {
		return err
	}
	p, err := s.userPage(r, u)
	if err != nil {
		return err
	}
	p.Flashes = append(p.Flashes, web.Flash{Kind: web.FlashSuccess, Message: msg})
	p.Link = s.cfg.BaseURL.String() + "/set-password/" + token
	s.render(w, r, http.StatusOK, web.UserView(p))
	return nil
}

func (s *Server) userPage(r *http.Request, u *handoff.User) (web.UserPage, error) {
	p := web.UserPage{Page: s.page(r, u.Name), User: u, Role: string(u.Role), Self: currentUser(r).ID == u.ID,
		PasswordLogin: !s.cfg.NoPasswordLogin, SSOOn: s.cfg.SSO != nil, SSOName: ssoName(s.cfg.SSO)}
	linked, err := s.db.SSOLinked(r.Context(), u.ID)
	p.SSOLinked = linked
	return p, err
}

// adminTarget authorizes the admin and loads the user named in the URL.
func (s *Server) adminTarget(r *http.Request) (*handoff.User, error) {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageUsers); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	return s.db.User(r.Context(), id)
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.adminTarget(r)
	if err != nil {
		return err
	}
	p, err := s.userPage(r, u)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.UserView(p))
	return nil
}

// adminFailure re-renders the user page with err beside the field it concerns
// (or as a message at the top), keeping what the admin chose.
func (s *Server) adminFailure(w http.ResponseWriter, r *http.Request, u *handoff.User, field string, err error) error {
	code := handoff.ErrorCode(err)
	if code != handoff.EINVALID && code != handoff.ECONFLICT {
		return err
	}
	p, perr := s.userPage(r, u)
	if perr != nil {
		return perr
	}
	if role := r.PostFormValue("role"); role != "" {
		p.Role = role
	}
	if fields := handoff.InvalidFields(err); fields != nil {
		p.Errors = fields
	} else if field != "" {
		p.Errors = web.FieldErrors{field: handoff.ErrorMessage(err)}
	} else {
		p.Flashes = append(p.Flashes, web.Flash{Kind: web.FlashError, Message: handoff.ErrorMessage(err)})
	}
	s.render(w, r, statusOf(code), web.UserView(p))
	return nil
}

func (s *Server) adminSetRole(w http.ResponseWriter, r *http.Request) error {
	u, err := s.adminTarget(r)
	if err != nil {
		return err
	}
	role, ok := handoff.ParseRole(r.PostFormValue("role"))
	if !ok {
		return s.adminFailure(w, r, u, "role", handoff.Errorf(handoff.EINVALID, "Choose a role from the list."))
	}
	updated, err := s.db.SetUserRole(r.Context(), u.ID, role)
	if err != nil {
		return s.adminFailure(w, r, u, "role", err)
	}
	s.log.InfoContext(r.Context(), "user role changed", "user_id", u.ID, "from", u.Role, "to", role, "by", currentUser(r).ID)
	s.flash(r, web.FlashSuccess, updated.Name+" is now "+article(role.Label())+" "+role.Label()+".")
	redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10))
	return nil
}

func (s *Server) adminDeactivate(w http.ResponseWriter, r *http.Request) error {
	return s.adminSetActive(w, r, false)
}

func (s *Server) adminActivate(w http.ResponseWriter, r *http.Request) error {
	return s.adminSetActive(w, r, true)
}

func (s *Server) adminSetActive(w http.ResponseWriter, r *http.Request, active bool) error {
	u, err := s.adminTarget(r)
	if err != nil {
		return err
	}
	updated, err := s.db.SetUserActive(r.Context(), currentUser(r), u.ID, active)
	if err != nil {
		return s.adminFailure(w, r, u, "", err)
	}
	s.log.InfoContext(r.Context(), "user active changed", "user_id", u.ID, "active", active, "by", currentUser(r).ID)
	msg := updated.Name + " is deactivated and has been logged out everywhere."
	if active {
		msg = updated.Name + " is active again and can log in."
	}
	s.flash(r, web.FlashSuccess, msg)
	redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10))
	return nil
}

func (s *Server) adminResetPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.adminTarget(r)
	if err != nil {
		return err
	}
	if s.cfg.NoPasswordLogin {
		// The page offers neither: a link or password would only be refused
		// when used.
		return s.adminFailure(w, r, u, "", handoff.Errorf(handoff.ECONFLICT, "%s", passwordsOffForAdmins(s.cfg.SSO)))
	}
	pw := r.PostFormValue("password")
	if pw == "" {
		return s.showSetPasswordLink(w, r, u, "Here is a new set-password link for "+u.Name+". Their old password still works until they use it.")
	}
	if err := handoff.ValidatePassword(pw, u.Email); err != nil {
		return s.adminFailure(w, r, u, "password", err)
	}
	hash, err := s.hasher.Hash(pw)
	if err != nil {
		return err
	}
	if _, err := s.db.SetPasswordHash(r.Context(), u.ID, hash); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "user password reset", "user_id", u.ID, "by", currentUser(r).ID)
	s.flash(r, web.FlashSuccess, "The password of "+u.Name+" is changed and their sessions have ended. Tell them the new password in person or over a secure channel.")
	redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10))
	return nil
}

// adminUnlinkSSO removes the link between an account and its identity at
// the provider, for the day the provider made the same person anew and the
// sign-in is refused as another identity (docs/sso.md).
func (s *Server) adminUnlinkSSO(w http.ResponseWriter, r *http.Request) error {
	u, err := s.adminTarget(r)
	if err != nil {
		return err
	}
	if currentUser(r).ID == u.ID {
		// It would end the admin's own session, and a signed-in admin's
		// link works.
		return s.adminFailure(w, r, u, "", handoff.Errorf(handoff.ECONFLICT, "You can't unlink your own account from single sign-on. Ask another admin."))
	}
	updated, removed, err := s.db.UnlinkSSO(r.Context(), u.ID)
	if err != nil {
		return err
	}
	name := ssoName(s.cfg.SSO)
	if !removed {
		s.flash(r, web.FlashInfo, updated.Name+" is not linked to "+name+": there is nothing to unlink.")
	} else {
		s.log.WarnContext(r.Context(), "user unlinked from single sign-on", "user_id", u.ID, "by", currentUser(r).ID)
		s.flash(r, web.FlashSuccess, updated.Name+" is no longer linked to "+name+", and their sessions have ended. The next person to sign in with "+
			name+" as "+updated.Email+" gets this account.")
	}
	redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10))
	return nil
}

// passwordsOffForAdmins is what an admin reaching for someone's password is
// told when password sign-in is off.
func passwordsOffForAdmins(p *sso.Provider) string {
	return "Password login is off, so Handoff passwords and set-password links are not used: people sign in with " + ssoName(p) + "."
}

func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOU", rune(word[0])) {
		return "an"
	}
	return "a"
}
