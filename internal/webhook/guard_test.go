package webhook_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/webhook"
)

// IPv6 addresses that reach an IPv4 one through a translator or a tunnel
// are judged by where they lead, or refused when that cannot be told.
func TestGuardJudgesTranslatedAndTunnelledAddresses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, addr, want string // want: a word of the reason; "" for admitted
	}{
		// Local-use NAT64 (RFC 8215), the IPv4 address in the last four bytes.
		{"LocalNAT64Loopback", "64:ff9b:1::7f00:1", "loopback"},
		{"LocalNAT64Private", "64:ff9b:1::10.0.0.1", "private"},
		{"LocalNAT64Metadata", "64:ff9b:1:ab::169.254.169.254", "link-local"},
		{"LocalNAT64Public", "64:ff9b:1::8.8.8.8", ""},
		// The same prefix with a /48 or /64 translator (RFC 6052 layouts).
		{"LocalNAT64Slash48Loopback", "64:ff9b:1:7f00:0:100::", "loopback"},
		{"LocalNAT64Slash64Private", "64:ff9b:1:0:a:0:100:0", "private"},
		// IPv4-compatible (deprecated) and Teredo: refused whatever they carry.
		{"IPv4CompatibleLoopback", "::127.0.0.1", "IPv4-compatible"},
		{"IPv4CompatiblePublic", "::8.8.8.8", "IPv4-compatible"},
		{"Teredo", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"},
		// Unchanged neighbours.
		{"Loopback", "::1", "loopback"},
		{"Unspecified", "::", "unspecified"},
		{"DocumentationIsNotTeredo", "2001:4860:4860::8888", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := webhook.Guard{}.Check(netip.MustParseAddr(tc.addr))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s refused: %v", tc.addr, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s: %v, want refused as %s", tc.addr, err, tc.want)
			}
		})
	}
}
