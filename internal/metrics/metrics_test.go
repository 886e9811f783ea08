package metrics_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/handoff-app/handoff/internal/metrics"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// scrape fetches the exposition text as a loopback client.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	m.Handler("", nil).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: status %d, body %q", rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

func assertHas(t *testing.T, body string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(body, l) {
			t.Errorf("scrape lacks %q", l)
		}
	}
}

func assertLacks(t *testing.T, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(body, s) {
			t.Errorf("scrape holds %q", s)
		}
	}
}

func TestFamilies(t *testing.T) {
	t.Parallel()
	db := postgrestest.New(t)
	if err := db.Pool.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	overdue := func(ctx context.Context) (map[deadline.Lane]int, error) {
		return map[deadline.Lane]int{{Kind: deadline.KindPack, Owner: handoff.RoleSE}: 3, {Kind: deadline.KindKickoff, Owner: handoff.RoleSA}: 1,
			{Kind: deadline.KindLock, Owner: handoff.RoleSA}: 0}, nil
	}
	m := metrics.New(db.Pool, overdue)

	r := chi.NewRouter()
	r.Use(m.Middleware)
	r.Get("/packs/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "pack") })
	r.Post("/packs/{id}/submit", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/packs/"+chi.URLParam(r, "id"), http.StatusSeeOther)
	})
	r.Get("/set-password/{token}", func(w http.ResponseWriter, r *http.Request) {})
	r.Route("/admin", func(r chi.Router) {
		r.Get("/users/{id}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) })
	})
	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/packs/41", nil),
		httptest.NewRequest(http.MethodGet, "/packs/42", nil),
		httptest.NewRequest(http.MethodPost, "/packs/42/submit", nil),
		httptest.NewRequest(http.MethodGet, "/set-password/s3cr3t-t0ken", nil),
		httptest.NewRequest(http.MethodGet, "/admin/users/7", nil),
		httptest.NewRequest(http.MethodGet, "/no/such/page/99", nil),
		httptest.NewRequest("BREW", "/packs/43", nil),
	} {
		r.ServeHTTP(httptest.NewRecorder(), req)
	}
	m.JobDone("reminder", "ok")
	m.JobDone("reminder", "ok")
	m.JobDone("digest", "error")

	body := scrape(t, m)
	assertHas(t, body,
		`handoff_http_requests_total{method="GET",route="/packs/{id}",status="200"} 2`,
		`handoff_http_requests_total{method="POST",route="/packs/{id}/submit",status="303"} 1`,
		`handoff_http_requests_total{method="GET",route="/set-password/{token}",status="200"} 1`,
		`handoff_http_requests_total{method="GET",route="/admin/users/{id}",status="403"} 1`,
		`handoff_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`handoff_http_requests_total{method="OTHER",route="unmatched",status="405"} 1`, // chi resolves no pattern for a 405
		`handoff_http_request_duration_seconds_bucket{method="GET",route="/packs/{id}",le="+Inf"} 2`,
		`handoff_http_request_duration_seconds_count{method="POST",route="/packs/{id}/submit"} 1`,
		`handoff_db_pool_max_conns `,
		`handoff_db_pool_total_conns `,
		`handoff_db_pool_idle_conns `,
		`handoff_db_pool_acquired_conns 0`,
		`handoff_db_pool_acquires_total `,
		`handoff_db_pool_acquire_duration_seconds_total `,
		`handoff_db_pool_empty_acquires_total `,
		`handoff_overdue_packs{clock="pack",waiting_on="se"} 3`,
		`handoff_overdue_packs{clock="kickoff",waiting_on="sa"} 1`,
		`handoff_overdue_packs{clock="lock",waiting_on="sa"} 0`,
		`handoff_jobs_total{kind="reminder",outcome="ok"} 2`,
		`handoff_jobs_total{kind="digest",outcome="error"} 1`,
		`go_goroutines `,
		`process_`, // absent on platforms without procfs; CI runs Linux
	)
	// Ids, tokens and invented paths never become labels.
	assertLacks(t, body, "s3cr3t", `/packs/41"`, `/packs/42"`, "/no/such", "BREW")
	if strings.Contains(body, "handoff_db_pool_acquires_total 0\n") {
		t.Error("pool acquire count is 0 after a ping")
	}
}

func TestOverdueFailureReportsNothing(t *testing.T) {
	t.Parallel()
	quiet := metrics.WithLogger(slog.New(slog.DiscardHandler))

	t.Run("Error", func(t *testing.T) {
		t.Parallel()
		var logs bytes.Buffer
		m := metrics.New(nil, func(context.Context) (map[deadline.Lane]int, error) {
			return nil, errors.New("database down")
		}, metrics.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		m.JobDone("reminder", "ok")
		body := scrape(t, m)
		assertLacks(t, body, "handoff_overdue_packs{")
		if !strings.Contains(logs.String(), "database down") {
			t.Errorf("the failure was not logged: %q", logs.String())
		}
		assertHas(t, body, `handoff_jobs_total{kind="reminder",outcome="ok"} 1`)
	})
	t.Run("Timeout", func(t *testing.T) {
		t.Parallel()
		m := metrics.New(nil, func(ctx context.Context) (map[deadline.Lane]int, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, quiet, metrics.WithOverdueTimeout(20*time.Millisecond))
		start := time.Now()
		body := scrape(t, m)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("scrape took %v despite the timeout", d)
		}
		assertLacks(t, body, "handoff_overdue_packs{")
		assertHas(t, body, "go_goroutines ")
	})
}

func TestHandlerAccess(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil, nil)
	allow := []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16"), netip.MustParsePrefix("fd00::/8")}
	h := m.Handler("scrape-token", allow)
	noToken := m.Handler("", nil)

	for _, tc := range []struct {
		name    string
		h       http.Handler
		remote  string
		headers map[string]string
		want    int
	}{
		{"LoopbackV4", h, "127.0.0.1:5000", nil, http.StatusOK},
		{"LoopbackV6", h, "[::1]:5000", nil, http.StatusOK},
		{"LoopbackWithoutTokenConfigured", noToken, "127.0.0.1:5000", nil, http.StatusOK},
		{"RemoteWithoutToken", h, "203.0.113.9:5000", nil, http.StatusNotFound},
		{"RemoteWithToken", h, "203.0.113.9:5000", map[string]string{"Authorization": "Bearer scrape-token"}, http.StatusOK},
		{"RemoteWithTokenLowercaseScheme", h, "203.0.113.9:5000", map[string]string{"Authorization": "bearer scrape-token"}, http.StatusOK},
		{"RemoteWithWrongToken", h, "203.0.113.9:5000", map[string]string{"Authorization": "Bearer nope"}, http.StatusNotFound},
		{"RemoteWithTokenPrefix", h, "203.0.113.9:5000", map[string]string{"Authorization": "Bearer scrape"}, http.StatusNotFound},
		{"RemoteWithBasicAuth", h, "203.0.113.9:5000", map[string]string{"Authorization": "Basic c2NyYXBlLXRva2Vu"}, http.StatusNotFound},
		{"EmptyTokenNeverMatches", noToken, "203.0.113.9:5000", map[string]string{"Authorization": "Bearer "}, http.StatusNotFound},
		{"AllowedCIDR", h, "10.20.3.4:5000", nil, http.StatusOK},
		{"AllowedCIDRv6", h, "[fd12::7]:5000", nil, http.StatusOK},
		{"AllowedCIDRv4MappedV6", h, "[::ffff:10.20.3.4]:5000", nil, http.StatusOK},
		{"OutsideCIDR", h, "10.21.3.4:5000", nil, http.StatusNotFound},
		{"ForwardedThroughLocalProxy", h, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusNotFound},
		{"ForwardedThroughLocalProxyWithToken", h, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer scrape-token"}, http.StatusOK},
		{"UnparsableRemote", h, "garbage", nil, http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.RemoteAddr = tc.remote
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			tc.h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
			if tc.want == http.StatusOK {
				if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
					t.Errorf("Content-Type %q, want the text format", ct)
				}
				if !strings.Contains(rec.Body.String(), "# TYPE go_goroutines gauge") {
					t.Error("body is not the exposition format")
				}
			} else if strings.Contains(rec.Body.String(), "go_goroutines") {
				t.Error("a refused client saw metrics")
			}
		})
	}
}

// Two Metrics in one process must not collide: each has its own registry.
func TestIndependentRegistries(t *testing.T) {
	t.Parallel()
	a, b := metrics.New(nil, nil), metrics.New(nil, nil)
	a.JobDone("reminder", "ok")
	assertHas(t, scrape(t, a), `handoff_jobs_total{kind="reminder",outcome="ok"} 1`)
	assertLacks(t, scrape(t, b), `handoff_jobs_total{`)
}

func TestJobDoneOnNil(t *testing.T) {
	t.Parallel()
	var m *metrics.Metrics
	m.JobDone("reminder", "ok") // must not panic
}
