package handoff

import (
	"regexp"
	"unicode/utf8"
)

// Limits on what people may type. The domain checks them on every save, and
// the forms show the same numbers as maxlength, so nothing a client sends can
// grow a page or a row without bound (docs/design.md, "Security rules").
const (
	// MaxText bounds long free text: notes, descriptions, reasons, answers,
	// comments, summaries.
	MaxText = 5000
	// MaxShort bounds one-line text: names, titles, owners.
	MaxShort = 200
	// MaxEmail bounds an email address (RFC 5321's path limit).
	MaxEmail = 254
	// MaxLink bounds a web address.
	MaxLink = 2000
	// MaxRows bounds the rows of one document list (criteria, commitments,
	// people, risks).
	MaxRows = 200
	// MaxQuestions bounds the questions asked at once with one review.
	MaxQuestions = 20
)

// maxText is the long-text limit under its older, package-private name.
const maxText = MaxText

func checkLen(fe FieldErrors, field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		fe.Add(field, TooLong(max))
	}
}

// TooLong is the message for text over a limit of max characters.
func TooLong(max int) string {
	return "Keep this to " + itoa(max) + " characters or fewer; it is longer now."
}

// rowIDPattern is the shape NewRowID makes: 12 characters of lower-case
// base32. Row ids end up in the URLs of the SA's forms, so nothing else is
// ever accepted as one.
var rowIDPattern = regexp.MustCompile(`^[a-z2-7]{12}$`)

// ValidRowID reports whether id has the shape of a row id the server made.
func ValidRowID(id string) bool { return rowIDPattern.MatchString(id) }

// checkRows refuses a list longer than MaxRows, naming how many were sent, so
// no row is ever dropped silently.
func checkRows(fe FieldErrors, field string, n int, what string) {
	if n > MaxRows {
		fe.Add(field, "A document holds at most "+itoa(MaxRows)+" "+what+"; this one has "+itoa(n)+". Remove "+itoa(n-MaxRows)+" before saving.")
	}
}

// checkRowIDs refuses an id repeated within one list: decisions and reviews
// point at rows by id. Which ids are accepted at all is the server's business
// (it keeps only its own), and every page escapes them in URLs.
func checkRowIDs(fe FieldErrors, list string, ids []string) {
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if id == "" {
			continue
		}
		if seen[id] {
			fe.Add(list+"."+itoa(i)+".id", "This row's identity is not valid. Reload the page and enter it again.")
		}
		seen[id] = true
	}
}
