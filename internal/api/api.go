// Package api is Handoff's JSON API for CRMs (README.md), under /api/v1:
// the Closed-Won trigger (POST /deals, idempotent on the CRM opportunity id)
// and read access to packs. Callers authenticate with bearer API tokens;
// errors are RFC 9457 problem details. The contract is openapi.json, kept in
// the repository and served at /api/v1/openapi.json.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Config is what the API needs from the program.
type Config struct {
	DB  *postgres.DB
	Log *slog.Logger
	Now func() time.Time // nil: time.Now
	// Due computes due dates inside CreateDeal's transaction: pass the
	// server's, (*server.Server).DueSource(), so both doors agree.
	Due postgres.DueSource
	// Calendar returns the org's calendar and settings; nil builds them from
	// the database on each request (the server's cached one is better).
	Calendar func(ctx context.Context) (*deadline.Calendar, handoff.Settings, error)
	BaseURL  *url.URL // the public URL, for links to pack pages; nil: no links
	// RatePerMinute is how many requests one token may make per minute
	// (0: 120).
	RatePerMinute int
}

//go:embed openapi.json
var openAPI []byte

// api holds the handlers' shared dependencies.
type api struct {
	Config
}

// New returns the API's router. Its routes are relative to /api/v1: serve it
// under that prefix (chi's Mount, or http.StripPrefix per route so that each
// route gets an access rule in the server's table).
func New(cfg Config) chi.Router {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.RatePerMinute <= 0 {
		cfg.RatePerMinute = 120
	}
	a := &api{Config: cfg}
	if a.Calendar == nil {
		a.Calendar = a.calendarFromDB
	}
	return a.routes()
}

// routes is the API's whole route table; openapi.json must describe each
// (TestOpenAPIDescribesEveryRoute).
func (a *api) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(requireJSON)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problem{Status: http.StatusNotFound, Detail: "There is no such API route."})
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problem{Status: http.StatusMethodNotAllowed, Detail: "This route does not take that method."})
	})
	// The contract is public: integrators read it before they hold a token.
	r.Get("/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openAPI)
	})
	r.Group(func(r chi.Router) {
		r.Use(a.authenticate)
		r.Use(httprate.Limit(a.RatePerMinute, time.Minute,
			httprate.WithKeyFuncs(func(r *http.Request) (string, error) {
				return "token:" + tokenOf(r).Name, nil
			}),
			httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
				writeProblem(w, problem{Status: http.StatusTooManyRequests,
					Detail: "This token made too many requests; wait for the time in Retry-After."})
			})))
		r.Post("/deals", a.handle(a.createDeal))
		r.Get("/packs", a.handle(a.listPacks))
		r.Get("/packs/{id}", a.handle(a.getPack))
	})
	return r
}

type tokenKey struct{}

func tokenOf(r *http.Request) postgres.Token {
	t, _ := r.Context().Value(tokenKey{}).(postgres.Token)
	return t
}

// authenticate admits requests bearing a live API token. Missing, unknown and
// revoked tokens all get the same 401.
func (a *api) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, value, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(value) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="handoff"`)
			writeProblem(w, problem{Status: http.StatusUnauthorized, Detail: "Send an API token as Authorization: Bearer <token>."})
			return
		}
		t, err := a.DB.TokenByValue(r.Context(), strings.TrimSpace(value), a.Now())
		if err != nil {
			a.serveError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, t)))
	})
}

// handle adapts a handler that returns an error, which serveError maps.
func (a *api) handle(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			a.serveError(w, r, err)
		}
	}
}

// problem is an RFC 9457 problem details object.
type problem struct {
	Type    string         `json:"type"`
	Title   string         `json:"title"`
	Status  int            `json:"status"`
	Detail  string         `json:"detail,omitempty"`
	Errors  []fieldProblem `json:"errors,omitempty"`
	Request string         `json:"request_id,omitempty"`
}

// fieldProblem is one bad field of a 422, named by its JSON path ("arr.amount").
type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// invalidType is the problem type of a 422; other statuses use about:blank,
// their meaning being the status itself.
const invalidType = "urn:handoff:problem:invalid"

func writeProblem(w http.ResponseWriter, p problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// invalid returns the 422 problem for field errors, sorted by field.
func invalid(fields map[string]string) problem {
	p := problem{Type: invalidType, Title: "Your request has invalid fields", Status: http.StatusUnprocessableEntity,
		Detail: "Fix the fields listed in errors and send the request again."}
	for f, m := range fields {
		p.Errors = append(p.Errors, fieldProblem{Field: f, Message: m})
	}
	sort.Slice(p.Errors, func(i, j int) bool { return p.Errors[i].Field < p.Errors[j].Field })
	return p
}

// problemError carries a ready problem through a handler's error return.
type problemError struct{ p problem }

func (e *problemError) Error() string { return "api: " + e.p.Title + ": " + e.p.Detail }

// serveError is the API's one mapping from errors to responses. Internal
// errors are logged, never shown.
func (a *api) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if pe, ok := err.(*problemError); ok {
		writeProblem(w, pe.p)
		return
	}
	p := problem{Detail: handoff.ErrorMessage(err)}
	switch handoff.ErrorCode(err) {
	case handoff.EINVALID:
		if fields := handoff.InvalidFields(err); fields != nil {
			writeProblem(w, invalid(fields))
			return
		}
		p.Status = http.StatusUnprocessableEntity
	case handoff.ENOTFOUND:
		p.Status, p.Detail = http.StatusNotFound, "Not found."
	case handoff.EUNAUTHORIZED:
		w.Header().Set("WWW-Authenticate", `Bearer realm="handoff", error="invalid_token"`)
		p.Status = http.StatusUnauthorized
	case handoff.EFORBIDDEN:
		p.Status = http.StatusForbidden
	case handoff.ECONFLICT:
		p.Status = http.StatusConflict
	case handoff.ERATELIMITED:
		p.Status = http.StatusTooManyRequests
	default:
		p.Status = http.StatusInternalServerError
		p.Request = middleware.GetReqID(r.Context())
		a.Log.ErrorContext(r.Context(), "api request failed", "err", err, "method", r.Method, "path", r.URL.Path,
			"token", tokenOf(r).Name, "request_id", p.Request)
	}
	writeProblem(w, p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// integration is who a token acts as when reading: the org as a whole, like a
// manager, so every pack is visible.
var integration = &handoff.User{Name: "API", Role: handoff.RoleManager, Active: true}
