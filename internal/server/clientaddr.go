package server

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr is the address of whoever sent r: the connection's peer, unless
// that peer is one of trusted, the reverse proxies of HANDOFF_TRUSTED_PROXIES.
// Then X-Forwarded-For is read from the right, where each proxy appends the
// address it was reached from: trusted hops are skipped, and the first address
// that is not a trusted proxy is the client. What lies left of it was written
// by the client itself and is never believed. The zero Addr means the peer's
// address could not be read.
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	addr, ok := parseHop(r.RemoteAddr)
	if !ok || !isTrusted(addr, trusted) {
		return addr
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			// Garbage no trusted proxy would write: the last hop we
			// trust is as far as we can see.
			break
		}
		addr = hop
		if !isTrusted(hop, trusted) {
			break
		}
	}
	return addr
}

// parseHop reads one address as proxies write it: 203.0.113.7, 2001:db8::1,
// or either with a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the client's address as the logs and the guess limit use it.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	return clientAddr(r, s.cfg.TrustedProxies)
}

// limitAddr is the address key of the guess limit. An IPv6 client usually
// holds a whole /64, so the /64 is one address here; otherwise each of its
// addresses would get its own allowance.
func limitAddr(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "unknown"
	case a.Is6():
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}
