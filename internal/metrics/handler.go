package metrics

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler serves the registry in the Prometheus exposition format to clients
// it trusts: loopback, a bearer token equal to token (ignored when empty), or
// a remote address inside one of allow. Anyone else gets 404, so the endpoint
// is not advertised.
//
// The decision uses r.RemoteAddr, the direct peer: do not put chi's RealIP
// middleware in front of it, or a forged X-Forwarded-For would pass.
func (m *Metrics) Handler(token string, allow []netip.Prefix) http.Handler {
	prom := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:      m.reg, // counts its own errors in promhttp_metric_handler_errors_total
		ErrorHandling: promhttp.ContinueOnError,
		// The router's Compress middleware gzips text/plain already;
		// compressing here too would be wasted work.
		DisableCompression: true,
	})
	var want [32]byte
	if token != "" {
		want = sha256.Sum256([]byte(token))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(r, token != "", want, allow) {
			http.NotFound(w, r)
			return
		}
		prom.ServeHTTP(w, r)
	})
}

func allowed(r *http.Request, hasToken bool, want [32]byte, allow []netip.Prefix) bool {
	if hasToken {
		if got, ok := bearer(r); ok {
			// Hashing both sides makes the comparison constant-time in the
			// length too.
			sum := sha256.Sum256([]byte(got))
			if subtle.ConstantTimeCompare(sum[:], want[:]) == 1 {
				return true
			}
		}
	}
	addr, ok := remoteAddr(r)
	if !ok {
		return false
	}
	// A reverse proxy on the same host makes every client look like
	// loopback; proxies announce themselves with forwarding headers, so a
	// forwarded request is not trusted as local.
	if addr.IsLoopback() && !forwarded(r) {
		return true
	}
	for _, p := range allow {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

func remoteAddr(r *http.Request) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

func forwarded(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	return false
}
