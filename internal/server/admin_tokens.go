package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// The CRM API's tokens (README.md): an admin lists, creates and revokes them.
// Routes (admin only): GET /admin/tokens, POST /admin/tokens,
// POST /admin/tokens/{id}/revoke.

// tokensPage renders the token list with p's form state.
func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, status int, p web.TokensPage) error {
	ts, err := s.db.Tokens(r.Context())
	if err != nil {
		return err
	}
	p.Page = s.page(r, "API tokens")
	for _, t := range ts {
		p.Tokens = append(p.Tokens, web.TokenRow{ID: t.ID, Name: t.Name, CreatedBy: t.CreatedByName,
			CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt})
	}
	s.render(w, r, status, web.Tokens(p))
	return nil
}

func (s *Server) adminTokens(w http.ResponseWriter, r *http.Request) error {
	if err := handoff.Authorize(currentUser(r), handoff.ActionManageSettings); err != nil {
		return err
	}
	return s.tokensPage(w, r, http.StatusOK, web.TokensPage{})
}

// adminCreateToken makes a token and shows it on this response only: it is
// not redirected (post/redirect/get would have to carry the secret in the
// session or URL), and the page is marked no-store.
func (s *Server) adminCreateToken(w http.ResponseWriter, r *http.Request) error {
	actor := currentUser(r)
	if err := handoff.Authorize(actor, handoff.ActionManageSettings); err != nil {
		return err
	}
	name := r.PostFormValue("name")
	t, value, err := s.db.CreateToken(r.Context(), name, actor.ID, s.now())
	if fields := handoff.InvalidFields(err); fields != nil {
		return s.tokensPage(w, r, http.StatusUnprocessableEntity, web.TokensPage{Name: name, Errors: fields})
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "api token created", "token", t.Name, "by", actor.ID)
	w.Header().Set("Cache-Control", "no-store")
	return s.tokensPage(w, r, http.StatusOK, web.TokensPage{Created: t.Name, Token: value})
}

func (s *Server) adminRevokeToken(w http.ResponseWriter, r *http.Request) error {
	actor := currentUser(r)
	if err := handoff.Authorize(actor, handoff.ActionManageSettings); err != nil {
		return err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	t, err := s.db.RevokeTokenID(r.Context(), id, s.now())
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "api token revoked", "token", t.Name, "by", actor.ID)
	s.flash(r, web.FlashSuccess, "Revoked the token “"+t.Name+"”: calls with it now get 401.")
	redirect(w, r, "/admin/tokens")
	return nil
}
