package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// HANDOFF_TRUSTED_PROXIES reaches the server: from a trusted peer the client
// is read from X-Forwarded-For, and the access log names it.
func TestTrustedProxiesNameTheClient(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_TRUSTED_PROXIES": "127.0.0.1/32"})
	req, _ := http.NewRequest(http.MethodGet, r.URL+"/login", nil)
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.Stderr.String(), "remote=198.51.100.7") {
		if time.Now().After(deadline) {
			t.Fatalf("the access log does not name the client behind the proxy:\n%s", r.Stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A bad HANDOFF_TRUSTED_PROXIES stops the program with one line naming it.
func TestBadTrustedProxiesStopTheProgram(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"10.0.0.5", "proxy.internal", "0.0.0.0/0"} {
		var stderr bytes.Buffer
		p := &program{
			getenv: func(k string) string {
				return map[string]string{"DATABASE_URL": "postgres://u@localhost/x", "HANDOFF_TRUSTED_PROXIES": bad}[k]
			},
			stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &stderr,
		}
		err := p.run(context.Background(), []string{"serve"})
		if err == nil || !strings.Contains(err.Error(), "HANDOFF_TRUSTED_PROXIES") || strings.Contains(err.Error(), "\n") {
			t.Errorf("HANDOFF_TRUSTED_PROXIES=%s: err = %v, want one line naming the variable", bad, err)
		}
	}
}
