package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// A provider Handoff cannot use stops serve at start with one line naming
// HANDOFF_OIDC_ISSUER, what went wrong and what to check, and a non-zero
// exit, rather than a login button that fails later.
func TestServeRefusesAnUnusableIssuer(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	var other *httptest.Server
	other = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": "https://idp.example.com", "authorization_endpoint": other.URL + "/a",
			"token_endpoint": other.URL + "/t", "jwks_uri": other.URL + "/k"})
	}))
	t.Cleanup(other.Close)
	db := postgrestest.URL(t)

	tests := []struct {
		name   string
		issuer string
		want   string
	}{
		{"Unreachable", closed.URL, "configuration: HANDOFF_OIDC_ISSUER " + closed.URL + ": could not read its discovery document ("},
		{"AnotherIssuer", other.URL, `configuration: HANDOFF_OIDC_ISSUER ` + other.URL + `: is not the issuer its discovery document names ("https://idp.example.com"); set HANDOFF_OIDC_ISSUER to exactly that`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{
				"DATABASE_URL": db, "HANDOFF_ADDR": "127.0.0.1:0",
				"HANDOFF_OIDC_ISSUER": tt.issuer, "HANDOFF_OIDC_CLIENT_ID": "handoff", "HANDOFF_OIDC_CLIENT_SECRET": "s3cret",
				"HANDOFF_OIDC_ROLE_GROUPS": "se=handoff-se",
			}
			var stderr bytes.Buffer
			p := &program{getenv: func(k string) string { return env[k] }, stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &stderr,
				listening: func(a net.Addr) { t.Errorf("served on %v with an unusable provider", a) }}
			err := p.run(context.Background(), []string{"serve"})
			if err == nil || exitCode(err) == 0 {
				t.Fatalf("serve = %v, want it to stop", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error line = %q\nwant it to start %q, on one line", msg, tt.want)
			}
			if tt.name == "Unreachable" && !strings.HasSuffix(err.Error(), "); check the URL and that this server can reach it") {
				t.Errorf("error line %q does not say what to check", err)
			}
		})
	}
}
