package server_test

import (
	"compress/flate"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/server/servertest"
)

// Pages go out compressed in a format any browser reads: the standard
// library's readers decode what the server's encoders wrote.
func TestPagesAreCompressedForBrowsers(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	for _, tc := range []struct {
		accept, want string
		reader       func(io.Reader) (io.Reader, error)
	}{
		{"gzip, deflate, br", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"deflate", "deflate", func(r io.Reader) (io.Reader, error) { return flate.NewReader(r), nil }},
	} {
		req, err := http.NewRequest(http.MethodGet, env.Server.URL+"/login", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", tc.accept)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if got := res.Header.Get("Content-Encoding"); got != tc.want {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.want)
		}
		body, err := tc.reader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		html, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("%s body does not decode: %v", tc.want, err)
		}
		if !strings.Contains(string(html), "</html>") {
			t.Fatalf("%s body decodes to %d bytes without the page's end", tc.want, len(html))
		}
	}
}
