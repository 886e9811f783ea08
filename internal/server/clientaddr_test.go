package server

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, tc := range []struct {
		name    string
		remote  string
		xff     []string // one X-Forwarded-For header per item
		trusted []netip.Prefix
		want    string
	}{
		{"NoProxyConfiguredIgnoresHeader", "203.0.113.7:5000", []string{"198.51.100.1"}, nil, "203.0.113.7"},
		{"UntrustedPeerIgnoresHeader", "203.0.113.7:5000", []string{"198.51.100.1"}, proxies, "203.0.113.7"},
		{"TrustedPeerWithoutHeaderIsItself", "10.0.0.5:5000", nil, proxies, "10.0.0.5"},
		{"TrustedPeerNamesClient", "10.0.0.5:5000", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"ClientForgedEntriesLeftAreIgnored", "10.0.0.5:5000", []string{"1.2.3.4, 5.6.7.8, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"ProxyChainIsSkipped", "10.0.0.5:5000", []string{"1.2.3.4, 198.51.100.1, 10.0.0.9, 10.1.2.3"}, proxies, "198.51.100.1"},
		{"SeveralHeadersReadAsOneList", "10.0.0.5:5000", []string{"1.2.3.4", "198.51.100.1, 10.0.0.9"}, proxies, "198.51.100.1"},
		{"ForgedTrustedAddressLeftOfClientIgnored", "10.0.0.5:5000", []string{"10.9.9.9, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"GarbageStopsAtLastTrustedHop", "10.0.0.5:5000", []string{"198.51.100.1, not-an-address, 10.0.0.9"}, proxies, "10.0.0.9"},
		{"GarbageOnlyIsThePeer", "10.0.0.5:5000", []string{"unknown"}, proxies, "10.0.0.5"},
		{"EmptyHeaderIsThePeer", "10.0.0.5:5000", []string{""}, proxies, "10.0.0.5"},
		{"AllTrustedIsTheLeftMost", "10.0.0.5:5000", []string{"10.0.0.7, 10.0.0.9"}, proxies, "10.0.0.7"},
		{"HopWithPort", "10.0.0.5:5000", []string{"198.51.100.1:4711"}, proxies, "198.51.100.1"},
		{"IPv6Hop", "[fd00::1]:443", []string{"2001:db8::7"}, proxies, "2001:db8::7"},
		{"IPv6HopWithPort", "[fd00::1]:443", []string{"[2001:db8::7]:4711"}, proxies, "2001:db8::7"},
		{"IPv4MappedPeerIsTrusted", "[::ffff:10.0.0.5]:443", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"IPv4MappedHopIsUnmapped", "10.0.0.5:443", []string{"::ffff:198.51.100.1"}, proxies, "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/login", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, tc.trusted).String(); got != tc.want {
				t.Errorf("clientAddr = %s, want %s", got, tc.want)
			}
		})
	}
}

// An IPv6 client holds a /64: every address in it is one address to the
// guess limit.
func TestLimitAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.7":          "203.0.113.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::ffff":   "2001:db8:1:2::/64",
	} {
		if got := limitAddr(netip.MustParseAddr(in)); got != want {
			t.Errorf("limitAddr(%s) = %s, want %s", in, got, want)
		}
	}
	if got := limitAddr(netip.Addr{}); got != "unknown" {
		t.Errorf("limitAddr(zero) = %s", got)
	}
}
