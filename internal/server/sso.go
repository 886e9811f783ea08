package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/sso"
	"github.com/handoff-app/handoff/web"
)

// OIDCCallbackPath is where the identity provider sends people back; admins
// register HANDOFF_BASE_URL followed by it at the provider (docs/sso.md).
const OIDCCallbackPath = "/auth/oidc/callback"

// ssoStartPath sends a person to the identity provider to sign in.
const ssoStartPath = "/auth/oidc/login"

// keySSOPending holds the sign-ins this browser has sent to the provider and
// not yet seen back, as JSON (scs stores strings without registering types).
const keySSOPending = "sso_pending"

// A sign-in must come back within ssoAttemptTTL, and a browser keeps at most
// ssoMaxPending under way: one per tab someone started a sign-in in.
const (
	ssoAttemptTTL = 10 * time.Minute
	ssoMaxPending = 5
)

// pendingSignIn is one sign-in sent to the provider, with the page the
// person was going to.
type pendingSignIn struct {
	sso.Attempt
	Next    string `json:"next"`
	Started int64  `json:"started"` // unix seconds, on the server's clock
}

// ssoRoutes declares the single sign-on routes. They exist whether or not a
// provider is configured, and answer "not found" when none is.
func (s *Server) ssoRoutes(rt router) {
	rt.handle(http.MethodGet, ssoStartPath, public, s.ssoStart)
	rt.handle(http.MethodGet, OIDCCallbackPath, public, s.ssoCallback)
}

// ssoStart sends the person to the provider's sign-in page with a fresh
// state, nonce and PKCE verifier, kept in their session for the callback.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	p := s.cfg.SSO
	if p == nil {
		return handoff.Errorf(handoff.ENOTFOUND, "single sign-on is not configured")
	}
	next := safeNext(r.URL.Query().Get("next"), "")
	if u := currentUser(r); u != nil {
		redirect(w, r, safeNext(next, homePath(u.Role)))
		return nil
	}
	a := sso.NewAttempt()
	pending := append(s.pendingSignIns(r), pendingSignIn{Attempt: a, Next: next, Started: s.now().Unix()})
	if len(pending) > ssoMaxPending {
		pending = pending[len(pending)-ssoMaxPending:]
	}
	if err := s.putPendingSignIns(r, pending); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	// Not redirect(): the provider is another site, named by configuration.
	http.Redirect(w, r, p.AuthCodeURL(a), http.StatusSeeOther)
	return nil
}

// pendingSignIns are this session's sign-ins still under way, the stale ones
// left out.
func (s *Server) pendingSignIns(r *http.Request) []pendingSignIn {
	raw := s.sessions.GetString(r.Context(), keySSOPending)
	if raw == "" {
		return nil
	}
	var all []pendingSignIn
	if err := json.Unmarshal([]byte(raw), &all); err != nil {
		return nil // not ours to repair: the person starts again
	}
	cutoff := s.now().Add(-ssoAttemptTTL).Unix()
	return slices.DeleteFunc(all, func(p pendingSignIn) bool { return p.Started < cutoff })
}

func (s *Server) putPendingSignIns(r *http.Request, pending []pendingSignIn) error {
	if len(pending) == 0 {
		s.sessions.Remove(r.Context(), keySSOPending)
		return nil
	}
	b, err := json.Marshal(pending)
	if err != nil {
		return err
	}
	s.sessions.Put(r.Context(), keySSOPending, string(b))
	return nil
}

// takePendingSignIn removes the sign-in with state from the session and
// returns it. It is gone before anything else is checked, so a callback
// replayed, or tried again after a failure, finds nothing.
func (s *Server) takePendingSignIn(r *http.Request, state string) (pendingSignIn, bool, error) {
	pending := s.pendingSignIns(r)
	i := slices.IndexFunc(pending, func(p pendingSignIn) bool { return state != "" && p.State == state })
	if i < 0 {
		return pendingSignIn{}, false, s.putPendingSignIns(r, pending)
	}
	found := pending[i]
	return found, true, s.putPendingSignIns(r, slices.Delete(pending, i, i+1))
}

// ssoCallback is where the provider sends the person back: the state must
// be one this browser started, the code must exchange for a verified ID
// token, a mapped group must give a role, and the account must be active.
// Only then does a session start, exactly as a password login's does.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := s.cfg.SSO
	if p == nil {
		return handoff.Errorf(handoff.ENOTFOUND, "single sign-on is not configured")
	}
	q := r.URL.Query()
	if q.Get("state") == "" && currentUser(r) != nil {
		// Someone already signed in clicked the tile again: nothing to
		// sign in, only a page to show.
		redirect(w, r, homePath(currentUser(r).Role))
		return nil
	}
	if q.Get("state") == "" {
		// Not a sign-in Handoff started: most often a tile on the
		// provider's dashboard (IdP-initiated sign-in), which cannot be
		// told apart from a login CSRF and is never let in as it stands.
		// One click starts a proper sign-in, which the provider, already
		// signed in, answers at once.
		s.log.InfoContext(ctx, "sso: callback without state (an IdP-initiated sign-in?)", "client", s.clientAddr(r).String(),
			"code_sent", q.Get("code") != "", "hint", "set the app's initiate login URI to HANDOFF_BASE_URL"+ssoStartPath)
		return s.ssoStartAgain(w, r, "", "Continue to Handoff",
			"You came from "+p.Name()+" without starting a sign-in here, so Handoff cannot be sure the sign-in is yours. Sign in with "+p.Name()+" to continue: if you are still signed in there, it takes one click.")
	}
	attempt, ok, err := s.takePendingSignIn(r, q.Get("state"))
	if err != nil {
		return err
	}
	if !ok {
		s.log.InfoContext(ctx, "sso: callback with an unknown, used or expired state", "client", s.clientAddr(r).String())
		return s.ssoStartAgain(w, r, "", "Sign-in link expired", "That sign-in link expired or was already used. Start again.")
	}
	next := attempt.Next
	if e := q.Get("error"); e != "" {
		// The provider's own description is not shown: it is text from the
		// query string, and the log is where an admin reads it.
		s.log.WarnContext(ctx, "sso: the provider refused the sign-in", "error", e, "description", q.Get("error_description"))
		if e == "access_denied" {
			return s.ssoProblem(w, r, http.StatusForbidden, next, "Not signed in",
				p.Name()+" did not sign you in to Handoff: you may have cancelled, or Handoff is not one of your apps there. Ask your "+p.Name()+" admin to give you access to Handoff, then start again.", nil)
		}
		return s.ssoProblem(w, r, http.StatusBadGateway, next, "Not signed in",
			p.Name()+" could not sign you in just now. Start again in a moment; if it keeps happening, tell your Handoff admin.", nil)
	}
	code := q.Get("code")
	if code == "" {
		return s.ssoStartAgain(w, r, next, "Sign-in link expired", "That sign-in link expired or was already used. Start again.")
	}

	id, err := p.Exchange(ctx, code, attempt.Attempt)
	if err != nil {
		return s.ssoFailed(w, r, next, err)
	}
	role, ok := p.Role(id.Groups)
	if !ok {
		// No account is made, nor any changed: the person is simply not let in.
		s.log.WarnContext(ctx, "sso: no mapped group", "email", id.Email, "subject", id.Subject,
			"groups", id.Groups, "groups_claim_sent", id.GroupsSent)
		return s.ssoProblem(w, r, http.StatusForbidden, next, "No access to Handoff",
			"Your account at "+p.Name()+" is not in a group that has access to Handoff. Ask your Handoff admin to add you to one of:",
			p.Groups())
	}
	res, err := s.db.SignInSSO(ctx, postgres.SSOIdentity{Issuer: id.Issuer, Subject: id.Subject, Email: id.Email, Name: id.Name, Role: role, Provider: p.Name()})
	if err != nil {
		switch code := handoff.ErrorCode(err); code {
		case handoff.EFORBIDDEN, handoff.ECONFLICT:
			s.log.WarnContext(ctx, "sso: sign-in refused", "email", id.Email, "err", err)
			return s.ssoProblem(w, r, statusOf(code), next, "Not signed in", handoff.ErrorMessage(err), nil)
		}
		return err
	}
	u := res.User
	if err := s.signIn(ctx, u, "sso"); err != nil {
		return err
	}
	switch {
	case res.Created:
		s.log.InfoContext(ctx, "sso: account created", "user_id", u.ID, "role", u.Role)
		s.flash(r, web.FlashSuccess, "Welcome to Handoff, "+u.Name+". You are signed in as "+article(u.Role.Label())+" "+u.Role.Label()+".")
	case res.Relinked:
		s.log.WarnContext(ctx, "sso: account moved from another issuer by its verified email", "user_id", u.ID, "issuer", id.Issuer, "subject", id.Subject)
	case res.Linked:
		s.log.InfoContext(ctx, "sso: account linked by its verified email", "user_id", u.ID, "issuer", id.Issuer)
	}
	if res.HeldRole != "" {
		s.log.WarnContext(ctx, "sso: role from groups held back", "user_id", u.ID, "role", u.Role, "groups_give", res.HeldRole, "open_packs", res.HeldOpenPacks)
		s.flash(r, web.FlashInfo, heldRoleWords(p.Name(), u.Role, res.HeldRole, res.HeldOpenPacks))
	}
	redirect(w, r, safeNext(next, homePath(u.Role)))
	return nil
}

// ssoFailed answers a code that did not become a verified person.
func (s *Server) ssoFailed(w http.ResponseWriter, r *http.Request, next string, err error) error {
	name := s.cfg.SSO.Name()
	switch {
	case errors.Is(err, sso.ErrNoEmail), errors.Is(err, sso.ErrEmailNotVerified):
		s.log.WarnContext(r.Context(), "sso: no verified email", "err", err)
		return s.ssoProblem(w, r, http.StatusForbidden, next, "Email address not verified",
			name+" did not confirm a verified email address for your account, and Handoff needs one to know who you are. Ask your "+name+" admin to verify your email address there, then start again.", nil)
	case errors.Is(err, sso.ErrInvalidToken):
		// A forged, misdirected or stale token: the detail is for the log.
		s.log.WarnContext(r.Context(), "sso: ID token refused", "err", err)
		return s.ssoProblem(w, r, http.StatusUnauthorized, next, "Not signed in",
			"Handoff could not verify the sign-in that came back from "+name+", so it did not sign you in. Start again; if it keeps happening, tell your Handoff admin.", nil)
	default:
		s.log.ErrorContext(r.Context(), "sso: sign-in failed", "err", err)
		return s.ssoProblem(w, r, http.StatusBadGateway, next, "Not signed in",
			"Handoff could not finish signing you in with "+name+". Start again in a moment; if it keeps happening, tell your Handoff admin.", nil)
	}
}

// ssoProblem renders a sign-in that did not let the person in, with the way
// back to the login page (and on to next).
func (s *Server) ssoProblem(w http.ResponseWriter, r *http.Request, status int, next, heading, msg string, groups []string) error {
	s.render(w, r, status, web.SignInProblem(s.ssoProblemProps(r, next, heading, msg, groups)))
	return nil
}

// ssoStartAgain renders a sign-in that came back without one this browser
// has under way, where starting a new one is all it takes: the page leads
// with "Sign in with <Name>", the login page second.
func (s *Server) ssoStartAgain(w http.ResponseWriter, r *http.Request, next, heading, msg string) error {
	p := s.ssoProblemProps(r, next, heading, msg, nil)
	p.SSOName, p.SSOURL = s.cfg.SSO.Name(), ssoStartURL(next)
	s.render(w, r, http.StatusBadRequest, web.SignInProblem(p))
	return nil
}

func (s *Server) ssoProblemProps(r *http.Request, next, heading, msg string, groups []string) web.SignInProblemPage {
	back := templ.SafeURL("/login")
	if next != "" {
		back = templ.SafeURL("/login?next=" + url.QueryEscape(next))
	}
	return web.SignInProblemPage{
		Page: s.page(r, heading), Heading: heading, Message: msg, Groups: groups,
		StartAgain: back, RequestID: middleware.GetReqID(r.Context()),
	}
}

// heldRoleWords tells a person why the role their groups now give is not
// theirs yet.
func heldRoleWords(provider string, kept, wanted handoff.Role, openPacks int) string {
	if openPacks > 0 {
		what := "open packs"
		if openPacks == 1 {
			what = "an open pack"
		}
		return "Your groups at " + provider + " now make you " + article(wanted.Label()) + " " + wanted.Label() +
			", but you are still the " + kept.Short() + " on " + what + ". You stay " + article(kept.Label()) + " " + kept.Label() +
			" until a manager reassigns them; the new role applies at your next sign-in after that."
	}
	return "Your groups at " + provider + " no longer make you an Admin, but you are Handoff's last active admin, so you stay one until someone else is made an admin."
}
