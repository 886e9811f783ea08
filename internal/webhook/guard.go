package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/handoff-app/handoff/internal/handoff"
)

// DefaultTimeout bounds one delivery: connecting, sending, and the whole
// answer. A receiver that needs longer should answer first and work after.
const DefaultTimeout = 10 * time.Second

// MaxURL is the longest endpoint address Handoff accepts.
const MaxURL = 2000

// Guard keeps webhook deliveries away from the networks Handoff itself sits
// in (server-side request forgery): the cloud metadata service, the
// database, anything on localhost or the office LAN. An admin's URL is
// checked when registered, and every address a delivery connects to is
// checked again at connect time, so a name that resolved to a public address
// then and to 10.0.0.5 now (DNS rebinding) is still refused.
type Guard struct {
	// AllowPrivate admits every address, and plain http
	// (HANDOFF_WEBHOOK_ALLOW_PRIVATE=1): an on-premise CRM, and tests.
	AllowPrivate bool
}

// RefusedError is a connection the guard refused.
type RefusedError struct {
	Addr   netip.Addr
	Reason string // "a private address"
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("webhook: %s is %s; set HANDOFF_WEBHOOK_ALLOW_PRIVATE=1 to allow it", e.Addr, e.Reason)
}

// Check refuses ip unless it is a public unicast address (or private ones
// are allowed).
func (g Guard) Check(ip netip.Addr) error {
	if g.AllowPrivate {
		return nil
	}
	if reason := nonPublic(ip); reason != "" {
		return &RefusedError{Addr: ip, Reason: reason}
	}
	return nil
}

// Ranges that are neither loopback, private nor link-local by the standard
// library's tests but are still not the public internet.
var (
	sharedRange   = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT, often a cloud's internal network
	thisNetwork   = netip.MustParsePrefix("0.0.0.0/8")
	ietfRange     = netip.MustParsePrefix("192.0.0.0/24")
	benchRange    = netip.MustParsePrefix("198.18.0.0/15")
	reservedRange = netip.MustParsePrefix("240.0.0.0/4") // and the broadcast address
	nat64Range    = netip.MustParsePrefix("64:ff9b::/96")
	localNAT64    = netip.MustParsePrefix("64:ff9b:1::/48") // RFC 8215, translated by a NAT64 inside some network
	sixToFour     = netip.MustParsePrefix("2002::/16")
	siteLocal     = netip.MustParsePrefix("fec0::/10")
	ipv4Compat    = netip.MustParsePrefix("::/96")     // IPv4-compatible, deprecated (RFC 4291): ::127.0.0.1
	teredo        = netip.MustParsePrefix("2001::/32") // tunnels to an IPv4 address Handoff cannot check
)

// rfc6052 are the places an IPv4 address sits in an IPv6 address under a
// translation prefix of each length a /48 can hold (RFC 6052 §2.2): the
// byte indexes of its four bytes, and where the zero suffix starts. Byte 8
// (bits 64–71) is always skipped.
var rfc6052 = []struct {
	bytes  [4]int
	suffix int
}{
	{[4]int{6, 7, 9, 10}, 11},   // a /48 prefix
	{[4]int{7, 9, 10, 11}, 12},  // a /56
	{[4]int{9, 10, 11, 12}, 13}, // a /64
}

// nonPublic says what kind of non-public address ip is, in words, or "" for
// a public unicast address. An IPv6 address that carries an IPv4 one
// (::ffff:10.0.0.1, NAT64, 6to4) is judged by the IPv4 address it reaches.
func nonPublic(ip netip.Addr) string {
	ip = ip.Unmap()
	if ip.Is6() {
		b := ip.As16()
		switch {
		case ip.IsUnspecified() || ip.IsLoopback():
			// :: and ::1 are in ::/96 too; say what they are.
		case ipv4Compat.Contains(ip):
			return "a deprecated IPv4-compatible address"
		case teredo.Contains(ip):
			return "a Teredo tunnel address"
		case nat64Range.Contains(ip):
			return nonPublic(netip.AddrFrom4([4]byte(b[12:16])))
		case localNAT64.Contains(ip):
			return localNAT64Reaches(b)
		case sixToFour.Contains(ip):
			return nonPublic(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	switch {
	case !ip.IsValid():
		return "not an address"
	case ip.IsUnspecified() || thisNetwork.Contains(ip):
		return "the unspecified address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate() || siteLocal.Contains(ip):
		return "a private address"
	case ip.IsLinkLocalUnicast():
		return "a link-local address (such as a cloud metadata service)"
	case ip.IsMulticast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	case sharedRange.Contains(ip):
		return "a shared (carrier-grade NAT) address"
	case ietfRange.Contains(ip) || benchRange.Contains(ip) || reservedRange.Contains(ip):
		return "a reserved address"
	}
	return ""
}

// localNAT64Reaches judges an address under the local-use NAT64 prefix
// 64:ff9b:1::/48 by the IPv4 address it is translated to. Which of the
// RFC 6052 layouts the network's translator uses is not knowable from here,
// so the address is refused when any layout it is well formed for (a zero
// byte 8 and a zero suffix) carries a non-public IPv4 address; the /96 layout
// (the last four bytes), the usual one, always counts.
func localNAT64Reaches(b [16]byte) string {
	for _, l := range rfc6052 {
		if b[8] != 0 || !allZero(b[l.suffix:]) {
			continue
		}
		v4 := netip.AddrFrom4([4]byte{b[l.bytes[0]], b[l.bytes[1]], b[l.bytes[2]], b[l.bytes[3]]})
		if reason := nonPublic(v4); reason != "" {
			return reason
		}
	}
	return nonPublic(netip.AddrFrom4([4]byte(b[12:16])))
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// Client is the HTTP client deliveries use: every connection checked by the
// guard as it is made, no proxy (the guard must see the real destination),
// redirects returned rather than followed (a 3xx could point anywhere), and
// timeout over the whole exchange (DefaultTimeout when 0).
func (g Guard) Client(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	dialer := &net.Dialer{
		Timeout: timeout,
		// Control runs for each address the name resolved to, after the
		// lookup and before the connection: the only place where the
		// address checked is the address used.
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("webhook: connect to %q: %w", address, err)
			}
			return g.Check(ap.Addr())
		},
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          20,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Resolver looks up a host name's addresses; net.DefaultResolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// CheckURL validates an endpoint address an admin registers and returns it
// cleaned: absolute http(s) (https only, unless private addresses are
// allowed), no user name or password, no fragment, at most MaxURL
// characters, and a host whose every address the guard admits today. It
// answers an EINVALID error whose message says what to change.
func (g Guard) CheckURL(ctx context.Context, r Resolver, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	bad := func(format string, args ...any) (string, error) {
		return "", handoff.Errorf(handoff.EINVALID, format, args...)
	}
	if raw == "" {
		return bad("Enter the address Handoff should POST events to, starting with https://.")
	}
	if utf8.RuneCountInString(raw) > MaxURL {
		return bad("Keep the address under %d characters.", MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return bad("Enter a full address starting with https://, such as https://crm.example.com/hooks/handoff.")
	}
	if u.Scheme == "http" && !g.AllowPrivate {
		return bad("Use an https:// address: events carry deal data. Plain http is only accepted when HANDOFF_WEBHOOK_ALLOW_PRIVATE=1 is set.")
	}
	if u.User != nil {
		return bad("Remove the user name and password from the address: each delivery is signed instead, and a password in the address would show in logs.")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return bad("Remove the # part of the address: it is never sent to the receiver.")
	}
	host := u.Hostname()
	if p := u.Port(); p != "" {
		if n, err := netipPort(p); err != nil || n == 0 {
			return bad("The port %q is not a port number; use one from 1 to 65535, or none.", p)
		}
	}
	addrs := []netip.Addr{}
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = append(addrs, ip)
	} else {
		if r == nil {
			r = net.DefaultResolver
		}
		found, err := r.LookupNetIP(ctx, "ip", host)
		if err != nil || len(found) == 0 {
			return bad("Handoff could not find the host %s. Check the address for typos, and that this server can resolve it.", host)
		}
		addrs = found
	}
	for _, ip := range addrs {
		if err := g.Check(ip); err != nil {
			var re *RefusedError
			if errors.As(err, &re) {
				return bad("%s points to %s, %s. Handoff sends webhooks only to public addresses unless HANDOFF_WEBHOOK_ALLOW_PRIVATE=1 is set.",
					host, re.Addr.Unmap(), re.Reason)
			}
			return "", err
		}
	}
	return u.String(), nil
}

func netipPort(p string) (uint16, error) {
	ap, err := netip.ParseAddrPort("0.0.0.0:" + p)
	if err != nil {
		return 0, err
	}
	return ap.Port(), nil
}
