package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/server/servertest"
)

// The real router exposes Prometheus metrics to a loopback scraper, labelled
// by route pattern (never by raw path).
func TestMetricsAfterSomeRequests(t *testing.T) {
	t.Parallel()
	env := newPackEnv(t)
	c := env.Login("morgan@example.com")
	c.Get(env.path(""))
	c.Get("/overdue")
	env.Client().Get("/no/such/page")
	res := env.Client().Get("/metrics")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics = %d", res.StatusCode)
	}
	for _, want := range []string{
		`handoff_http_requests_total{method="GET",route="/packs/{id}",status="200"}`,
		`handoff_http_request_duration_seconds_bucket{method="GET",route="/overdue"`,
		`route="unmatched"`,
		"handoff_db_pool_total_conns",
		`handoff_overdue_packs{clock="kickoff",waiting_on="sa"}`,
		"go_goroutines",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(res.Body, env.path("")+`"`) {
		t.Error("a raw pack path became a label")
	}
}

// API routes are labelled by their one real pattern. The API is its own chi
// router behind StripPrefix; sharing the root's routing context, it used to
// append its pattern to the root's: route="/api/v1/deals/deals".
func TestMetricsLabelAPIRoutesOnce(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	c := env.Client()
	c.Get("/api/v1/packs")    // 401: no token
	c.Get("/api/v1/packs/12") // 401
	c.Get("/api/v1/no/such/route")
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/deals", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	c.Do(req)

	body := c.Get("/metrics").Body
	for _, want := range []string{
		`handoff_http_requests_total{method="POST",route="/api/v1/deals",status="401"}`,
		`handoff_http_requests_total{method="GET",route="/api/v1/packs",status="401"}`,
		`handoff_http_requests_total{method="GET",route="/api/v1/packs/{id}",status="401"}`,
		`handoff_http_requests_total{method="GET",route="/api/v1/*",status="404"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	patterns := map[string]bool{"/api/v1/deals": true, "/api/v1/packs": true, "/api/v1/packs/{id}": true, "/api/v1/*": true}
	for _, line := range strings.Split(body, "\n") {
		_, route, ok := strings.Cut(line, `route="/api/`)
		route, _, _ = strings.Cut(route, `"`)
		if ok && !patterns["/api/"+route] {
			t.Errorf("an API route label that is no route: %s", line)
		}
	}
	if logs := env.Logs(); !strings.Contains(logs, "route=/api/v1/deals ") {
		t.Errorf("the access log lacks route=/api/v1/deals:\n%s", logs)
	}
}
