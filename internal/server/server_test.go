package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/server/servertest"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	c := env.Client()

	for _, path := range []string{"/healthz", "/readyz"} {
		res := c.Get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s = %d, want 200", path, res.StatusCode)
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s must not be cached", path)
		}
	}
}

func TestNotFoundIsStyled(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	res := env.Client().Get("/no/such/page")
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", res.StatusCode)
	}
	if got := res.Text("h1"); got != "Page not found" {
		t.Errorf("h1 = %q", got)
	}
	if res.Doc().Find(`link[rel="stylesheet"]`).Length() != 1 {
		t.Error("404 page is not styled: no stylesheet link")
	}
	if res.Text(".ref") == "" {
		t.Error("404 page shows no request reference")
	}
}

func TestStaticAssetsAreHashedAndCachedForever(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	c := env.Client()
	href, ok := c.Get("/no/such/page").Doc().Find(`link[rel="stylesheet"]`).Attr("href")
	if !ok || !strings.HasPrefix(href, "/static/app.") || href == "/static/app.css" {
		t.Fatalf("stylesheet href = %q, want a content-hashed name", href)
	}
	res := c.Get(href)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("GET %s = %d %s", href, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("hashed asset Cache-Control = %q", res.Header.Get("Cache-Control"))
	}
	if res := c.Get("/static/app.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unhashed name served with %d; old pages must not get an unversioned file", res.StatusCode)
	}
}
