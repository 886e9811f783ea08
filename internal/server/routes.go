package server

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/handoff-app/handoff/internal/api"
	"github.com/handoff-app/handoff/internal/handoff"
)

// routes is the whole route table in one place. Every route names who may
// reach it: public, anyUser, or only(roles…).
func (s *Server) routes() http.Handler {
	cop, err := s.crossOriginProtection()
	if err != nil {
		panic(err) // the base URL was validated at start; this cannot fail
	}

	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(s.metrics.Middleware)
	r.Use(s.accessLog)
	r.Use(s.recoverer)
	r.Use(s.securityHeaders)
	r.Use(cop)
	r.Use(compressor().Handler)

	withSession := func(h http.Handler) http.Handler { return s.sessions.LoadAndSave(s.authenticate(h)) }
	r.NotFound(withSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, handoff.Errorf(handoff.ENOTFOUND, "not found"))
	})).ServeHTTP)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		heading, msg := errorWords(http.StatusMethodNotAllowed)
		s.renderError(w, r, http.StatusMethodNotAllowed, heading, msg)
	})

	// Probes and assets: no session, no database work beyond the ping.
	bare := router{r, s}
	bare.handleHTTP(http.MethodGet, "/healthz", public, http.HandlerFunc(s.healthz))
	bare.handleHTTP(http.MethodGet, "/readyz", public, http.HandlerFunc(s.readyz))
	bare.handleHTTP(http.MethodGet, "/static/*", public, http.StripPrefix("/static", s.assets))

	// The CRM API authenticates with bearer tokens, not sessions (internal/api);
	// each of its routes is declared here so the route test sees it.
	crm := api.New(api.Config{DB: s.db, Log: s.log, Now: s.now, Due: recalc, Calendar: s.calendar, BaseURL: s.cfg.BaseURL})
	crmHandler := queryHygiene(http.StripPrefix("/api/v1", ownRouteContext(crm)))
	_ = chi.Walk(crm, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		bare.handleHTTP(method, "/api/v1"+route, public, crmHandler)
		return nil
	})
	// Unknown API paths and methods get the API's own problem+json answers,
	// not the HTML pages.
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		bare.handleHTTP(m, "/api/v1/*", public, crmHandler)
	}
	// Public to the session layer: the handler admits loopback, the token or
	// an allowed address itself, and answers 404 to anyone else.
	bare.handleHTTP(http.MethodGet, "/metrics", public, s.metrics.Handler(s.cfg.MetricsToken, s.cfg.MetricsAllow))

	r.Group(func(r chi.Router) {
		r.Use(s.formHygiene, withVersionSlot, s.sessions.LoadAndSave, s.authenticate)
		rt := router{r, s}

		rt.handle(http.MethodGet, "/", public, s.home)
		rt.handle(http.MethodGet, "/login", public, s.loginPage)
		rt.handle(http.MethodPost, "/login", public, s.loginSubmit)
		rt.handle(http.MethodPost, "/logout", anyUser, s.logout)
		// Single sign-on (sso.go): public, for they are how people sign in.
		s.ssoRoutes(rt)
		rt.handle(http.MethodGet, "/set-password/{token}", public, s.setPasswordPage)
		rt.handle(http.MethodPost, "/set-password/{token}", public, s.setPasswordSubmit)

		rt.handle(http.MethodGet, "/account", anyUser, s.accountPage)
		rt.handle(http.MethodPost, "/account/password", anyUser, s.changePassword)

		// Role homes (docs/design.md, "People and roles").
		rt.handle(http.MethodGet, "/packs", only(handoff.RoleSE), s.myPacks)
		rt.handle(http.MethodGet, "/inbox", only(handoff.RoleSA), s.inbox)
		rt.handle(http.MethodGet, "/overdue", only(handoff.RoleManager, handoff.RoleAdmin), s.overdue)
		rt.handle(http.MethodGet, "/overdue.csv", only(handoff.RoleManager, handoff.RoleAdmin), s.overdueCSV)
		rt.handle(http.MethodGet, "/stats", only(handoff.RoleManager, handoff.RoleAdmin), s.statsPage)
		// Strategic accounts by the posture of their latest pod review (podreview.go).
		rt.handle(http.MethodGet, "/strategic", only(handoff.RoleManager, handoff.RoleAdmin), s.strategicPage)
		// Handoff accuracy: an SE their own, managers all (handoff.AccuracyScope, in the query).
		rt.handle(http.MethodGet, "/accuracy", only(handoff.RoleSE, handoff.RoleManager, handoff.RoleAdmin), s.accuracyPage)
		rt.handle(http.MethodGet, "/accuracy.csv", only(handoff.RoleSE, handoff.RoleManager, handoff.RoleAdmin), s.accuracyCSV)
		rt.handle(http.MethodGet, "/admin", only(handoff.RoleAdmin), s.adminHome)
		// Packs: everyone's list of the packs they may see (README.md); the
		// storage query filters to them (handoff.ScopeOf).
		rt.handle(http.MethodGet, "/search", anyUser, s.packsList)

		// Deals and their packs. Which pack a person may see is decided below
		// the handler (handoff.CanSeePack, mirrored in the SQL).
		// Deals by hand: an SE or a manager (handoff.DealRecorders).
		rt.handle(http.MethodGet, "/deals/new", only(handoff.DealRecorders...), s.newDeal)
		rt.handle(http.MethodPost, "/deals", only(handoff.DealRecorders...), s.createDeal)
		rt.handle(http.MethodGet, "/packs/{id}", anyUser, s.packPage)
		rt.handle(http.MethodPost, "/packs/{id}/submit", only(handoff.RoleSE), s.submitPack)
		rt.handle(http.MethodGet, "/packs/{id}/documents/{kind}", anyUser, s.documentPage)
		rt.handle(http.MethodPost, "/packs/{id}/documents/{kind}", only(handoff.RoleSE), s.saveDocument)
		rt.handle(http.MethodGet, "/packs/{id}/versions/{n}", anyUser, s.versionPage)
		rt.handle(http.MethodGet, "/packs/{id}/compare", anyUser, s.compare)
		rt.handle(http.MethodGet, "/packs/{id}/kickoff", anyUser, s.kickoffDocument)
		rt.handle(http.MethodPost, "/packs/{id}/comments", anyUser, s.addComment)
		rt.handle(http.MethodPost, "/packs/{id}/assign", only(handoff.RoleManager, handoff.RoleAdmin), s.assign)
		// Correcting the deal's facts: its SE before submission, a manager
		// or admin at any time (handoff.Decide, ActCorrectDeal).
		rt.handle(http.MethodGet, "/packs/{id}/deal", only(handoff.RoleSE, handoff.RoleManager, handoff.RoleAdmin), s.dealPage)
		rt.handle(http.MethodPost, "/packs/{id}/deal", only(handoff.RoleSE, handoff.RoleManager, handoff.RoleAdmin), s.correctDeal)
		rt.handle(http.MethodPost, "/packs/{id}/questions/{qid}/answer", only(handoff.RoleSE), s.answerQuestion)
		// The SA's side.
		rt.handle(http.MethodPost, "/packs/{id}/documents/{kind}/review", only(handoff.RoleSA), s.reviewDocument)
		rt.handle(http.MethodPost, "/packs/{id}/commitments/{cid}/decide", only(handoff.RoleSA), s.decideCommitment)
		rt.handle(http.MethodPost, "/packs/{id}/acknowledge", only(handoff.RoleSA), s.acknowledge)
		rt.handle(http.MethodGet, "/packs/{id}/architecture", anyUser, s.architecturePage)
		rt.handle(http.MethodPost, "/packs/{id}/architecture", only(handoff.RoleSA), s.saveArchitecture)
		rt.handle(http.MethodPost, "/packs/{id}/lock", only(handoff.RoleSA), s.lockArchitecture)
		rt.handle(http.MethodPost, "/packs/{id}/lock/confirm", only(handoff.RoleSA), s.lockConfirm)
		// Handoff accuracy: the SA assesses after the lock; whoever sees the
		// pack reads it.
		rt.handle(http.MethodGet, "/packs/{id}/assessment", anyUser, s.assessmentPage)
		rt.handle(http.MethodPost, "/packs/{id}/assessment", only(handoff.RoleSA), s.saveAssessment)
		// First value: the SA records it from the kickoff on, and corrects it
		// (firstvalue.go); whoever sees the pack reads it on the pack page.
		rt.handle(http.MethodPost, "/packs/{id}/first-value", only(handoff.RoleSA), s.recordFirstValue)
		// Pod reviews of strategic accounts (podreview.go): whoever sees the
		// pack reads them. The form answers whoever sees the pack too: its SA
		// gets it, the SE or a manager a 403 saying why (handoff.Decide,
		// ActPodReview), an outsider the 404 of a pack that does not exist.
		rt.handle(http.MethodGet, "/packs/{id}/reviews", anyUser, s.podReviewsPage)
		rt.handle(http.MethodGet, "/packs/{id}/reviews/new", anyUser, s.newPodReview)
		rt.handle(http.MethodPost, "/packs/{id}/reviews", anyUser, s.recordPodReview)
		rt.handle(http.MethodPost, "/packs/{id}/strategic", only(handoff.RoleManager, handoff.RoleAdmin), s.markStrategic)
		// The kickoff meeting and its calendar invite (meeting.go).
		s.meetingRoutes(rt)

		// Settings.
		rt.handle(http.MethodGet, "/admin/settings", only(handoff.RoleAdmin), s.settings)
		rt.handle(http.MethodPost, "/admin/settings", only(handoff.RoleAdmin), s.saveSettings)
		rt.handle(http.MethodPost, "/admin/settings/days-off", only(handoff.RoleAdmin), s.addDayOff)
		rt.handle(http.MethodPost, "/admin/settings/days-off/{day}/delete", only(handoff.RoleAdmin), s.deleteDayOff)
		rt.handle(http.MethodPost, "/admin/settings/crm", only(handoff.RoleAdmin), s.saveCRMLink)

		// People.
		admin := only(handoff.RoleAdmin)
		rt.handle(http.MethodGet, "/admin/users", admin, s.adminUsers)
		rt.handle(http.MethodGet, "/admin/users/new", admin, s.adminNewUser)
		rt.handle(http.MethodPost, "/admin/users", admin, s.adminCreateUser)
		rt.handle(http.MethodGet, "/admin/users/{id}", admin, s.adminUser)
		rt.handle(http.MethodPost, "/admin/users/{id}/role", admin, s.adminSetRole)
		rt.handle(http.MethodPost, "/admin/users/{id}/deactivate", admin, s.adminDeactivate)
		rt.handle(http.MethodPost, "/admin/users/{id}/activate", admin, s.adminActivate)
		rt.handle(http.MethodPost, "/admin/users/{id}/password", admin, s.adminResetPassword)
		rt.handle(http.MethodPost, "/admin/users/{id}/unlink-sso", admin, s.adminUnlinkSSO)
		rt.handle(http.MethodGet, "/admin/tokens", admin, s.adminTokens)
		rt.handle(http.MethodPost, "/admin/tokens", admin, s.adminCreateToken)
		rt.handle(http.MethodPost, "/admin/tokens/{id}/revoke", admin, s.adminRevokeToken)
		// Webhooks and Slack (admin_webhooks.go).
		s.webhookRoutes(rt, admin)
	})
	return r
}

// ownRouteContext serves h, a chi router of its own, with its own routing
// context. Sharing ours, h would append its pattern to the one this router
// matched ("/api/v1/deals" + "/deals"), and the access log and the metrics
// read the route from ours. Hiding ours behind a nil one makes h start afresh.
func ownRouteContext(h chi.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, (*chi.Context)(nil))))
	})
}
