package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// hostileNext are targets that must never leave the login as they are: each
// is, or becomes in some browser or after http.Redirect's cleaning, a link to
// another host, a script, or a header split.
var hostileNext = []string{
	"//x",
	"/\\x",
	"/./\\x",
	"/%2F/x",
	"%2F%2Fx",
	"\\\\x",
	"/%09/x",
	"/\t/x",
	"/\n/x",
	"/\r\nSet-Cookie: a=b",
	"/x\ty",
	"https:x",
	"javascript:x",
	"javascript:alert(1)",
	"http://127.0.0.1/packs",
	"https://handoff.example.com/packs",
	"https://evil.example/",
	"//evil.example/",
	"/%5Cx",
	"/%5cevil.example",
	"/.//x",
	"///x",
	"////x",
	"/%2e%2e//x",
	"/%2E/%2Fx",
	"/a/../..//x",
	"/.",
	"/..",
	"/x/./y",
	"/x//y",
	"/%00x",
	"/%0d%0aSet-Cookie:a=b",
	"/ x",
	"/é",
	"/x\x7f",
	"/%zz",
	"",
	"x",
	"?next=/x",
	"#x",
	" /x",
	"/" + strings.Repeat("a", maxSitePath),
}

func TestIsSitePath(t *testing.T) {
	t.Parallel()
	for _, s := range hostileNext {
		if isSitePath(s) {
			t.Errorf("isSitePath(%q) = true, want false", s)
		}
		if got := safeNext(s, "/packs"); got != "/packs" {
			t.Errorf("safeNext(%q) = %q, want the fallback", s, got)
		}
	}
	for _, s := range []string{
		"/",
		"/inbox",
		"/inbox?x=1",
		"/packs/12",
		"/packs/12/",
		"/packs/12#doc-business",
		"/packs/12/documents/commitments",
		"/admin/users?q=sam.se&page=2",
		"/login?next=%2Finbox",
		"/overdue.csv",
		"/packs/12?v=%2F%2Fnot-a-path",
		"/a:b",
		"/@x",
		"/...",
	} {
		if !isSitePath(s) {
			t.Errorf("isSitePath(%q) = false, want true", s)
		}
		if got := safeNext(s, "/packs"); got != s {
			t.Errorf("safeNext(%q) = %q, want it unchanged", s, got)
		}
	}
}

// Whatever passes isSitePath stays on this host in a browser's reading, and
// redirect sends it byte for byte.
func TestRedirectSendsExactlyWhatWasChecked(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://handoff.example.com/login")
	for _, s := range append(hostileNext, "/inbox?x=1", "/packs/12#doc-business", "/packs/12/") {
		w := httptest.NewRecorder()
		redirect(w, httptest.NewRequest(http.MethodPost, "/login", nil), s)
		loc := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther {
			t.Errorf("redirect(%q) status = %d, want 303", s, w.Code)
		}
		if isSitePath(s) && loc != s {
			t.Errorf("redirect(%q) sent %q: it must not alter a checked path", s, loc)
		}
		if !isSitePath(s) && loc != "/" {
			t.Errorf("redirect(%q) sent %q, want /", s, loc)
		}
		// How a browser reads it: backslashes are slashes, tabs and
		// newlines vanish.
		browser := strings.NewReplacer("\\", "/", "\t", "", "\n", "", "\r", "").Replace(loc)
		u, err := base.Parse(browser)
		if err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
			t.Errorf("redirect(%q) sent %q, which a browser follows to %v", s, loc, u)
		}
	}
}
