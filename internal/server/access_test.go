package server_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server"
	"github.com/handoff-app/handoff/internal/server/servertest"
	"github.com/handoff-app/handoff/web"
)

type route struct{ method, pattern string }

// walkRoutes lists every route registered on the router.
func walkRoutes(t *testing.T, r chi.Routes) []route {
	t.Helper()
	var out []route
	err := chi.Walk(r, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		out = append(out, route{method, pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// undeclared returns the routes that have no access rule.
func undeclared(routes []route, rules map[string]server.RouteRule) []string {
	var missing []string
	for _, rt := range routes {
		if _, ok := rules[rt.method+" "+rt.pattern]; !ok {
			missing = append(missing, rt.method+" "+rt.pattern)
		}
	}
	return missing
}

// The check itself must catch a route added without a rule.
func TestUndeclaredRouteIsCaught(t *testing.T) {
	t.Parallel()
	r := chi.NewRouter()
	r.Get("/declared", func(http.ResponseWriter, *http.Request) {})
	r.Post("/sneaky", func(http.ResponseWriter, *http.Request) {})
	got := undeclared(walkRoutes(t, r), map[string]server.RouteRule{"GET /declared": {Public: true}})
	if !slices.Equal(got, []string{"POST /sneaky"}) {
		t.Fatalf("undeclared = %v, want [POST /sneaky]", got)
	}
}

// TestRouteRoleMatrix walks every route on the real router against anonymous
// visitors and every role: each route must declare who reaches it, visitors
// are sent to log in, the wrong role sees a plain 404, and the right role
// gets through.
func TestRouteRoleMatrix(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	actors := map[handoff.Role]string{}
	for _, role := range handoff.Roles {
		email := string(role) + "@example.com"
		env.CreateUser("Person "+string(role), email, role)
		actors[role] = email
	}
	target := env.CreateUser("Target Person", "target@example.com", handoff.RoleSE)
	se, _, err := env.DB.UserByEmail(context.Background(), actors[handoff.RoleSE])
	if err != nil {
		t.Fatal(err)
	}
	sa, _, err := env.DB.UserByEmail(context.Background(), actors[handoff.RoleSA])
	if err != nil {
		t.Fatal(err)
	}
	packID := env.CreatePack("Matrix Corp", se, sa, "2026-11-02")
	// A frozen v1, so version pages exist.
	if _, err := env.DB.Pool.Exec(context.Background(), `
		INSERT INTO pack_versions (pack_id, number, documents, submitted_at, submitted_by) VALUES ($1, 1, '{}', now(), $2);
		`, packID, se.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Pool.Exec(context.Background(), `INSERT INTO company_days_off (day, name) VALUES ('2026-12-31', 'Shutdown')`); err != nil {
		t.Fatal(err)
	}
	var tokenID int64
	if err := env.DB.Pool.QueryRow(context.Background(), `
		INSERT INTO api_tokens (name, token_hash) VALUES ('matrix', sha256('x')) RETURNING id`).Scan(&tokenID); err != nil {
		t.Fatal(err)
	}
	// A webhook endpoint with one delivery, for their pages.
	var webhookID, deliveryID int64
	if err := env.DB.Pool.QueryRow(context.Background(), `
		WITH e AS (INSERT INTO webhook_endpoints (url, kind, events, created_at)
		           VALUES ('https://hooks.example.com/in', 'slack', '{pack.submitted}', now()) RETURNING id),
		     m AS (INSERT INTO webhook_messages (msg_id, type, body, created_at) VALUES ('msg_matrix', 'webhook.test', '{}', now()) RETURNING id)
		INSERT INTO webhook_deliveries (endpoint_id, message_id, created_at) SELECT e.id, m.id, now() FROM e, m
		RETURNING endpoint_id, id`).Scan(&webhookID, &deliveryID); err != nil {
		t.Fatal(err)
	}

	routes := walkRoutes(t, env.App.Routes())
	rules := env.App.RouteRules()
	if missing := undeclared(routes, rules); len(missing) > 0 {
		t.Fatalf("routes without an access rule (declare one in routes.go): %v", missing)
	}
	// The declared rules must match this independent, hand-written
	// statement of who reaches what (docs/design.md, "People and roles" and §8), so a route declared
	// too wide fails here even though it has a rule.
	for _, rt := range routes {
		key := rt.method + " " + rt.pattern
		want, ok := expectedAccess[key]
		if !ok {
			t.Errorf("%s is not in expectedAccess; add it with the roles that should reach it", key)
			continue
		}
		got := "public"
		if r := rules[key]; !r.Public {
			var names []string
			for _, role := range r.Roles {
				names = append(names, string(role))
			}
			got = strings.Join(names, ",")
		}
		if got != want {
			t.Errorf("%s is declared for %q, want %q", key, got, want)
		}
	}

	// A live set-password link, so its routes answer the same to every
	// visitor (a dead one would soon meet the guessing limit, 429). Its user
	// is not target, whom the admin routes deactivate and reset.
	invitee := env.CreateUser("Invited Person", "invitee@example.com", handoff.RoleSA)
	link, err := env.DB.CreatePasswordToken(context.Background(), invitee.ID, servertest.Today())
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	fillUser := strings.NewReplacer("{id}", strconv.FormatInt(target.ID, 10), "{token}", link, "/*", "/favicon.svg", "{day}", "2026-12-31")
	fillPack := strings.NewReplacer("{id}", strconv.FormatInt(packID, 10), "{kind}", "risks", "{n}", "1", "{qid}", "1", "{cid}", "no-such-commitment")
	for _, rt := range routes {
		rule := rules[rt.method+" "+rt.pattern]
		path := fillUser.Replace(rt.pattern)
		if strings.HasPrefix(rt.pattern, "/admin/tokens/") {
			path = strings.Replace(rt.pattern, "{id}", strconv.FormatInt(tokenID, 10), 1)
		}
		if strings.HasPrefix(rt.pattern, "/admin/webhooks/") {
			path = strings.NewReplacer("{id}", strconv.FormatInt(webhookID, 10), "{did}", strconv.FormatInt(deliveryID, 10)).Replace(rt.pattern)
		}
		if strings.HasPrefix(rt.pattern, "/packs/") {
			path = fillPack.Replace(rt.pattern)
		}
		if rt.pattern == "/static/*" {
			path = assets.URL("favicon.svg") // static files go by their content hash
		}
		send := func(c *servertest.Client) *servertest.Response {
			if rt.method == http.MethodGet {
				return c.Get(path)
			}
			// An empty form, sent with the route's own method.
			req, err := http.NewRequest(rt.method, env.Server.URL+path, strings.NewReader(""))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", env.Server.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			return c.Do(req)
		}
		public, ok := publicAnswers[rt.method+" "+rt.pattern]
		if rule.Public && !ok {
			t.Errorf("%s %s is public but not in publicAnswers; add the status it answers", rt.method, rt.pattern)
			continue
		}

		t.Run(rt.method+" "+rt.pattern+"/anonymous", func(t *testing.T) {
			res := send(env.Client())
			switch {
			case rule.Public:
				if res.StatusCode != public.anonymous {
					t.Errorf("public route answered %d, want %d", res.StatusCode, public.anonymous)
				}
			case res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login"):
				t.Errorf("anonymous got %d %s, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
			}
		})
		for _, role := range handoff.Roles {
			t.Run(rt.method+" "+rt.pattern+"/"+string(role), func(t *testing.T) {
				res := send(env.Login(actors[role]))
				allowed := rule.Public || slices.Contains(rule.Roles, role)
				switch {
				case rule.Public && res.StatusCode != public.loggedIn:
					t.Errorf("%s: public route answered %d, want %d", role, res.StatusCode, public.loggedIn)
				case !allowed && res.StatusCode != http.StatusNotFound:
					t.Errorf("%s reached a route not meant for them: %d", role, res.StatusCode)
				case allowed && (res.StatusCode == http.StatusNotFound && !rule.Public || res.StatusCode >= 500):
					t.Errorf("%s was refused a route meant for them: %d", role, res.StatusCode)
				case allowed && strings.HasPrefix(res.Header.Get("Location"), "/login") && rt.pattern != "/logout":
					t.Errorf("%s was sent to log in again", role)
				}
			})
		}
	}
}

// publicAnswers is what each public route answers the matrix's request (a
// GET, or an empty form with the route's method) from an anonymous visitor
// and from anyone logged in.
var publicAnswers = map[string]struct{ anonymous, loggedIn int }{
	"GET /healthz":               {http.StatusOK, http.StatusOK},
	"GET /readyz":                {http.StatusOK, http.StatusOK},
	"GET /static/*":              {http.StatusOK, http.StatusOK},             // the favicon, by its hashed name
	"GET /metrics":               {http.StatusOK, http.StatusOK},             // the test client is on loopback
	"GET /":                      {http.StatusSeeOther, http.StatusSeeOther}, // to /login, or to the role's home
	"GET /login":                 {http.StatusOK, http.StatusSeeOther},       // someone logged in goes home
	"POST /login":                {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity},
	"GET /set-password/{token}":  {http.StatusOK, http.StatusOK},
	"POST /set-password/{token}": {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity},
	// The CRM API: a form is not JSON (415); reading packs needs a token
	// (401); the contract is public; unknown paths are the API's 404.
	"POST /api/v1/deals":       {http.StatusUnsupportedMediaType, http.StatusUnsupportedMediaType},
	"GET /api/v1/packs":        {http.StatusUnauthorized, http.StatusUnauthorized},
	"GET /api/v1/packs/{id}":   {http.StatusUnauthorized, http.StatusUnauthorized},
	"GET /api/v1/openapi.json": {http.StatusOK, http.StatusOK},
	"GET /api/v1/*":            {http.StatusNotFound, http.StatusNotFound},
	"POST /api/v1/*":           {http.StatusUnsupportedMediaType, http.StatusUnsupportedMediaType},
	"PUT /api/v1/*":            {http.StatusUnsupportedMediaType, http.StatusUnsupportedMediaType},
	"PATCH /api/v1/*":          {http.StatusUnsupportedMediaType, http.StatusUnsupportedMediaType},
	"DELETE /api/v1/*":         {http.StatusNotFound, http.StatusNotFound},
	// Single sign-on (sso.go).
	// This server has no provider configured: both answer "not found"
	// (sso_test.go drives them with one).
	"GET /auth/oidc/login":    {http.StatusNotFound, http.StatusNotFound},
	"GET /auth/oidc/callback": {http.StatusNotFound, http.StatusNotFound},
}

// expectedAccess is who should reach each route: "public", or the roles.
var expectedAccess = map[string]string{
	"GET /healthz": "public",
	// The CRM API checks its own bearer tokens (internal/api tests cover 401).
	"POST /api/v1/deals":     "public",
	"GET /api/v1/packs":      "public",
	"GET /api/v1/packs/{id}": "public",
	"GET /api/v1/*":          "public",
	"POST /api/v1/*":         "public",
	"PUT /api/v1/*":          "public",
	"PATCH /api/v1/*":        "public",
	"DELETE /api/v1/*":       "public",
	// Single sign-on (sso.go).
	"GET /auth/oidc/login":           "public",
	"GET /auth/oidc/callback":        "public",
	"GET /api/v1/openapi.json":       "public",
	"GET /admin/tokens":              "admin",
	"POST /admin/tokens":             "admin",
	"POST /admin/tokens/{id}/revoke": "admin",
	"GET /metrics":                   "public", // its own rule: loopback, token or allowed address; else 404
	"GET /readyz":                    "public",
	"GET /static/*":                  "public",
	"GET /":                          "public",
	"GET /login":                     "public",
	"POST /login":                    "public",
	"POST /logout":                   "se,sa,manager,admin",

	"GET /set-password/{token}":  "public",
	"POST /set-password/{token}": "public",
	"GET /account":               "se,sa,manager,admin",
	"POST /account/password":     "se,sa,manager,admin",

	"GET /packs":       "se",
	"GET /inbox":       "sa",
	"GET /overdue":     "manager,admin",
	"GET /overdue.csv": "manager,admin",
	"GET /stats":       "manager,admin",
	"GET /strategic":   "manager,admin",
	"GET /admin":       "admin",
	"GET /search":      "se,sa,manager,admin",

	"GET /deals/new": "se,manager",
	"POST /deals":    "se,manager",

	"GET /packs/{id}":                           "se,sa,manager,admin",
	"POST /packs/{id}/submit":                   "se",
	"GET /packs/{id}/documents/{kind}":          "se,sa,manager,admin",
	"POST /packs/{id}/documents/{kind}":         "se",
	"GET /packs/{id}/versions/{n}":              "se,sa,manager,admin",
	"GET /packs/{id}/compare":                   "se,sa,manager,admin",
	"GET /packs/{id}/kickoff":                   "se,sa,manager,admin",
	"POST /packs/{id}/comments":                 "se,sa,manager,admin",
	"POST /packs/{id}/assign":                   "manager,admin",
	"GET /packs/{id}/deal":                      "se,manager,admin",
	"POST /packs/{id}/deal":                     "se,manager,admin",
	"POST /packs/{id}/questions/{qid}/answer":   "se",
	"POST /packs/{id}/documents/{kind}/review":  "sa",
	"POST /packs/{id}/commitments/{cid}/decide": "sa",
	"POST /packs/{id}/acknowledge":              "sa",
	"GET /packs/{id}/architecture":              "se,sa,manager,admin",
	"POST /packs/{id}/architecture":             "sa",
	"POST /packs/{id}/lock":                     "sa",
	"POST /packs/{id}/lock/confirm":             "sa",
	"GET /accuracy":                             "se,manager,admin",
	"GET /accuracy.csv":                         "se,manager,admin",
	"GET /packs/{id}/assessment":                "se,sa,manager,admin",
	"POST /packs/{id}/assessment":               "sa",
	"POST /packs/{id}/first-value":              "sa",
	// Pod reviews (podreview.go): the form answers whoever sees the pack,
	// with a 403 for all but its SA.
	"GET /packs/{id}/reviews":     "se,sa,manager,admin",
	"GET /packs/{id}/reviews/new": "se,sa,manager,admin",
	"POST /packs/{id}/reviews":    "se,sa,manager,admin",
	"POST /packs/{id}/strategic":  "manager,admin",
	// The kickoff meeting (meeting.go).
	"POST /packs/{id}/meeting":        "se,sa",
	"POST /packs/{id}/meeting/cancel": "se,sa",

	// Webhooks (admin_webhooks.go).
	"GET /admin/webhooks":                                  "admin",
	"POST /admin/webhooks":                                 "admin",
	"GET /admin/webhooks/{id}":                             "admin",
	"POST /admin/webhooks/{id}/test":                       "admin",
	"POST /admin/webhooks/{id}/deliveries/{did}/redeliver": "admin",
	"POST /admin/webhooks/{id}/disable":                    "admin",
	"POST /admin/webhooks/{id}/enable":                     "admin",
	"GET /admin/webhooks/{id}/remove":                      "admin",
	"POST /admin/webhooks/{id}/remove":                     "admin",

	"GET /admin/settings":                        "admin",
	"POST /admin/settings":                       "admin",
	"POST /admin/settings/days-off":              "admin",
	"POST /admin/settings/days-off/{day}/delete": "admin",
	"POST /admin/settings/crm":                   "admin",
	"GET /admin/users":                           "admin",
	"GET /admin/users/new":                       "admin",
	"POST /admin/users":                          "admin",
	"GET /admin/users/{id}":                      "admin",
	"POST /admin/users/{id}/role":                "admin",
	"POST /admin/users/{id}/deactivate":          "admin",
	"POST /admin/users/{id}/activate":            "admin",
	"POST /admin/users/{id}/password":            "admin",
	"POST /admin/users/{id}/unlink-sso":          "admin",
}
