package server

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// The guess limit (docs/design.md, "Security rules": every password check is rate-limited). Each
// failed check counts against three counters at once:
//
//   - one address guessing one account: the tight limit. It stops an attacker
//     without touching the owner, who logs in from another address;
//   - one address across all accounts, which stops spraying one password over
//     many accounts (set above the tight one: an office behind one NAT shares it);
//   - one account from every address together: a ceiling above what a single
//     address can reach (guessAccountAddr), so one attacker cannot lock the
//     owner out, while guessing spread over many addresses stays bounded. It
//     blocks for at most guessWindow after the guessing stops.
const (
	guessWindow      = time.Minute
	guessAccountAddr = 10
	guessAddr        = 30
	guessAccount     = 50
	// A wrong set-password link is rare for a real person; the links are
	// random, but guessing them is still not free.
	guessLinkAddr = 10
)

// passwordLimits are the counters a check of account's password from r is
// charged to. The first is the one the owner's own typos are cleared from.
func (s *Server) passwordLimits(r *http.Request, account string) []postgres.LoginLimit {
	addr := limitAddr(s.clientAddr(r))
	email := handoff.NormalizeEmail(account)
	return []postgres.LoginLimit{
		{Key: "ip+email:" + addr + " " + email, Max: guessAccountAddr, Window: guessWindow},
		{Key: "ip:" + addr, Max: guessAddr, Window: guessWindow},
		{Key: "email:" + email, Max: guessAccount, Window: guessWindow},
	}
}

// linkLimits are the counters an attempt to open a set-password link is
// charged to.
func (s *Server) linkLimits(r *http.Request) []postgres.LoginLimit {
	return []postgres.LoginLimit{{Key: "link-ip:" + limitAddr(s.clientAddr(r)), Max: guessLinkAddr, Window: guessWindow}}
}

// tryAgain sets Retry-After for a limited attempt and returns the words that
// say when to try again, such as "wait 42 seconds and try again (after
// 17:03:12 UTC)".
func tryAgain(w http.ResponseWriter, wait time.Duration, now time.Time) string {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return fmt.Sprintf("wait %s and try again (after %s UTC)",
		seconds(secs), now.Add(time.Duration(secs)*time.Second).UTC().Format("15:04:05"))
}

func seconds(n int) string {
	if n == 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}
