package server_test

import (
	"net/http"
	"strings"
	"testing"
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
		`handoff_overdue_packs{clock="kickoff"}`,
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
