package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/web"
)

// The recoverer is tested on its own because no real route may panic on
// purpose; it is the same middleware the router installs.
func TestPanicGivesStyled500AndLogsStack(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil)), assets: assets}
	h := s.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret internal detail")
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))

	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "Something went wrong") || !strings.Contains(body, `rel="stylesheet"`) {
		t.Errorf("500 page is not the styled error page:\n%s", body)
	}
	if strings.Contains(body, "secret internal detail") {
		t.Error("500 page leaks the panic value")
	}
	if !strings.Contains(logs.String(), "secret internal detail") || !strings.Contains(logs.String(), "recoverer_test.go") {
		t.Errorf("log lacks the panic and its stack:\n%s", logs.String())
	}
}
