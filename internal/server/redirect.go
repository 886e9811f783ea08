package server

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// maxSitePath bounds a path we redirect to; a longer one is not one of ours.
const maxSitePath = 2048

// redirect answers with 303 See Other (post/redirect/get) to to, a path on
// this site. It writes Location itself, byte for byte as checked:
// http.Redirect cleans the path afterwards, which turns "/./\x" into "/\x",
// and browsers follow that to the host x. A target that is not a plain path
// on this site goes to "/" instead.
func redirect(w http.ResponseWriter, _ *http.Request, to string) {
	if !isSitePath(to) {
		to = "/"
	}
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusSeeOther)
}

// safeNext returns next when it is a path on this site, else fallback: the
// login form must never become an open redirect.
func safeNext(next, fallback string) string {
	if isSitePath(next) {
		return next
	}
	return fallback
}

// isSitePath reports whether s is a plain absolute path on this site (with
// an optional query and fragment) that every browser reads the same way. It
// refuses rather than repairs: what passes is sent unchanged.
func isSitePath(s string) bool {
	if s == "" || len(s) > maxSitePath || s[0] != '/' || strings.HasPrefix(s, "//") {
		return false
	}
	for i := range len(s) {
		// Printable ASCII only. Browsers read a backslash as a slash, and drop
		// tabs and newlines: "/\x" and "/\t/x" both become "//x", another host.
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return false
	}
	raw, _, _ := strings.Cut(s, "#")
	raw, _, _ = strings.Cut(raw, "?")
	// The path must be read exactly as written ("///x" parses as "/x")…
	if u.EscapedPath() != raw {
		return false
	}
	// …hold no encoded slash or backslash, which a proxy or a later decode
	// could turn into a second slash…
	if lower := strings.ToLower(raw); strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") {
		return false
	}
	// …and be clean once decoded: no control characters, no empty, "." or ".."
	// segments ("/%2e%2e//x", "/.//x").
	if strings.ContainsFunc(u.Path, func(r rune) bool { return r < ' ' || r == 0x7f || r == '\\' }) {
		return false
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	return clean == u.Path
}
