package server_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/server"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// postFrom submits form to path as a same-origin browser at client address
// from would, through a proxy the server trusts.
func postFrom(c *servertest.Client, env *servertest.Env, from, path string, form url.Values) *servertest.Response {
	env.T.Helper()
	req, err := http.NewRequest(http.MethodPost, env.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		env.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", env.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", from)
	return c.Do(req)
}

// getFrom fetches path as a browser at client address from.
func getFrom(c *servertest.Client, env *servertest.Env, from, path string) *servertest.Response {
	env.T.Helper()
	req, err := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
	if err != nil {
		env.T.Fatal(err)
	}
	req.Header.Set("X-Forwarded-For", from)
	return c.Do(req)
}

func loginFrom(env *servertest.Env, from, email, pw string) *servertest.Response {
	env.T.Helper()
	return postFrom(env.Client(), env, from, "/login", url.Values{"email": {email}, "password": {pw}})
}

// assertLimited checks a 429 says when to try again, in words and in
// Retry-After.
func assertLimited(t *testing.T, res *servertest.Response, sel string) {
	t.Helper()
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status = %d, want 429", res.StatusCode)
	}
	if ra, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Errorf("Retry-After = %q, want 1–60 seconds", res.Header.Get("Retry-After"))
	}
	if msg := res.Text(sel); !strings.Contains(msg, "wait") || !strings.Contains(msg, "second") || !strings.Contains(msg, "UTC") {
		t.Errorf("the 429 page does not say when to try again: %q", msg)
	}
}

// The probe's finding: ten bad passwords locked the owner out. Now guesses
// from one address lock out that address, not the owner elsewhere.
func TestOneAddressCannotLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, servertest.WithTrustedProxies("127.0.0.0/8"))
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	const attacker, owner = "203.0.113.66", "198.51.100.20"

	for i := range server.GuessAccountAddr {
		if res := loginFrom(env, attacker, "sam@example.com", "guess "+strconv.Itoa(i)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	t.Run("AttackerIsLimited", func(t *testing.T) {
		res := loginFrom(env, attacker, "sam@example.com", servertest.Password)
		assertLimited(t, res, "#login-error")
		if v, _ := res.Doc().Find("#f-email").Attr("value"); v != "sam@example.com" {
			t.Errorf("email lost on the 429 page: %q", v)
		}
	})
	t.Run("OwnerElsewhereLogsIn", func(t *testing.T) {
		if res := loginFrom(env, owner, "sam@example.com", "a typo of the owner"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("owner's typo = %d, want a plain 401", res.StatusCode)
		}
		if res := loginFrom(env, owner, "sam@example.com", servertest.Password); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("owner from another address = %d, want 303 (logged in)\n%s", res.StatusCode, res.Text("#login-error"))
		}
	})
	t.Run("AttackerTriesOtherAccountsWithinTheAddressLimit", func(t *testing.T) {
		if res := loginFrom(env, attacker, "someone@example.com", "guess"); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("status = %d, want 401: the address is not yet at its own limit", res.StatusCode)
		}
	})
	t.Run("ForgedForwardedForFromUntrustedPeerIsIgnored", func(t *testing.T) {
		// Without a trusted proxy, X-Forwarded-For is the client's own
		// word: rotating it does not buy more guesses.
		plain := servertest.New(t)
		plain.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
		for i := range server.GuessAccountAddr {
			loginFrom(plain, "192.0.2."+strconv.Itoa(i+1), "sam@example.com", "guess")
		}
		assertLimited(t, loginFrom(plain, "192.0.2.200", "sam@example.com", servertest.Password), "#login-error")
	})
}

// Guessing one account from many addresses is still bounded: past the
// account's ceiling every address waits, until the guessing stops.
func TestGuessingFromManyAddressesIsBounded(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, servertest.WithTrustedProxies("127.0.0.0/8"))
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	checked := 0
	for a := 0; checked < server.GuessAccount; a++ {
		from := "203.0.113." + strconv.Itoa(a+1)
		for range server.GuessAccountAddr {
			if res := loginFrom(env, from, "sam@example.com", "guess"); res.StatusCode == http.StatusUnauthorized {
				checked++
			}
		}
	}
	if checked != server.GuessAccount {
		t.Fatalf("%d guesses were checked, want the ceiling of %d", checked, server.GuessAccount)
	}
	assertLimited(t, loginFrom(env, "198.51.100.99", "sam@example.com", "one more guess"), "#login-error")
	// The ceiling is a short wait, not a lock-out: a window later the owner
	// is in.
	env.Advance(server.GuessWindow)
	if res := loginFrom(env, "198.51.100.20", "sam@example.com", servertest.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner a minute later = %d, want 303", res.StatusCode)
	}
}

// An address guessing across accounts is stopped at its own limit: one
// password sprayed over many accounts gets a few tries a minute.
func TestSprayingFromOneAddressIsLimited(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, servertest.WithTrustedProxies("127.0.0.0/8"))
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	for i := range server.GuessAddr {
		loginFrom(env, "2001:db8:1:2::"+strconv.FormatInt(int64(i+1), 16), "person"+strconv.Itoa(i)+"@example.com", "Spring2026!")
	}
	// The whole /64 is one address.
	assertLimited(t, loginFrom(env, "2001:db8:1:2::ffff", "sam@example.com", servertest.Password), "#login-error")
	if res := loginFrom(env, "2001:db8:1:3::1", "sam@example.com", servertest.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another /64 = %d, want 303", res.StatusCode)
	}
}

// An email no account can have is a plain failed login, not a 500 from a
// key too long to index.
func TestHugeEmailIsAPlainFailedLogin(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	// Random text, which PostgreSQL cannot compress below its index limit.
	long := strings.ToLower(rand.Text()+rand.Text()) + "@example.com"
	for len(long) < 16<<10 {
		long = rand.Text() + long
	}
	res := env.Client().PostForm("/login", url.Values{"email": {long}, "password": {"whatever"}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", res.StatusCode)
	}
}

// The probe's finding: POST /account/password checked the current password
// with no limit. Now a wrong one counts like a failed login.
func TestChangePasswordGuessesAreLimited(t *testing.T) {
	t.Parallel()
	env := servertest.New(t)
	env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	c := env.Login("sam@example.com")
	change := func(current string) *servertest.Response {
		return c.PostForm("/account/password", url.Values{"current": {current}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}})
	}
	// The owner's own typo is forgiven once the right password is given
	// (here with a new password that does not match its confirmation).
	if res := change("typo"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong current = %d, want 422", res.StatusCode)
	}
	res := c.PostForm("/account/password", url.Values{"current": {servertest.Password}, "password": {"a brand new passphrase"}, "confirm": {"another one"}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.Text("#f-current-error") != "" || res.Text("#f-confirm-error") == "" {
		t.Fatalf("right current, bad confirm = %d, current error %q", res.StatusCode, res.Text("#f-current-error"))
	}
	for i := range server.GuessAccountAddr {
		res := change("guess " + strconv.Itoa(i))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Text("#f-current-error"), "not your current password") {
			t.Fatalf("guess %d = %d %q, want 422 saying so", i+1, res.StatusCode, res.Text("#f-current-error"))
		}
	}
	res = change(servertest.Password)
	assertLimited(t, res, "#f-current-error")
	if res.Doc().Find(`form[action="/account/password"]`).Length() != 1 {
		t.Error("the account page with its form did not come back")
	}
	if v, _ := res.Doc().Find("#f-password").Attr("value"); v != "" {
		t.Error("a password was echoed back")
	}
	// The same counters as the login: this address can't log in either…
	if res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login from the same address = %d, want 429", res.StatusCode)
	}
	// …and the password is unchanged.
	env.Advance(server.GuessWindow)
	if res := env.Client().PostForm("/login", url.Values{"email": {"sam@example.com"}, "password": {servertest.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("old password a minute later = %d, want 303", res.StatusCode)
	}
	if res := change(servertest.Password); res.StatusCode != http.StatusSeeOther {
		t.Errorf("right current password a minute later = %d, want 303", res.StatusCode)
	}
}

// Set-password links are random, but opening wrong ones is still limited per
// address.
func TestSetPasswordLinkGuessesAreLimited(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, servertest.WithTrustedProxies("127.0.0.0/8"))
	u := env.CreateUser("Sam Rivera", "sam@example.com", handoff.RoleSE)
	token, err := env.DB.CreatePasswordToken(context.Background(), u.ID, servertest.Today().Add(-1))
	if err != nil {
		t.Fatal(err)
	}
	const guesser, owner = "203.0.113.66", "198.51.100.20"
	for i := range server.GuessLinkAddr {
		if res := getFrom(env.Client(), env, guesser, "/set-password/GUESS"+strconv.Itoa(i)); res.StatusCode != http.StatusNotFound {
			t.Fatalf("guess %d = %d, want 404", i+1, res.StatusCode)
		}
	}
	assertLimited(t, getFrom(env.Client(), env, guesser, "/set-password/"+token), "main")
	assertLimited(t, postFrom(env.Client(), env, guesser, "/set-password/"+token,
		url.Values{"password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}), "main")
	if res := getFrom(env.Client(), env, owner, "/set-password/"+token); res.StatusCode != http.StatusOK {
		t.Fatalf("the owner's link from another address = %d, want 200", res.StatusCode)
	}
	// Opening a good link costs nothing.
	for range server.GuessLinkAddr + 1 {
		if res := getFrom(env.Client(), env, owner, "/set-password/"+token); res.StatusCode != http.StatusOK {
			t.Fatalf("the owner's link again = %d, want 200", res.StatusCode)
		}
	}
}

// The access log names the client behind a trusted proxy, and the proxy.
func TestAccessLogNamesTheClient(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, servertest.WithTrustedProxies("127.0.0.0/8"))
	getFrom(env.Client(), env, "1.2.3.4, 198.51.100.20", "/login")
	logs := env.Logs()
	if !strings.Contains(logs, "remote=198.51.100.20") || !strings.Contains(logs, "peer=127.0.0.1:") {
		t.Errorf("access log lacks the client and the proxy:\n%s", logs)
	}
	if strings.Contains(logs, "1.2.3.4") {
		t.Error("the access log believed an address the client wrote itself")
	}
}
