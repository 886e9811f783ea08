package handoff

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// MinPasswordLength follows NIST SP 800-63B: length beats composition rules.
const MinPasswordLength = 12

// maxPasswordLength bounds the work a login request can ask of argon2.
const maxPasswordLength = 256

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is a short list of passwords attackers try first; NIST asks
// that new passwords be checked against such a list.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// ValidatePassword says why a new password is not good enough, in words a
// person acts on, or returns nil.
func ValidatePassword(pw, email string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return Errorf(EINVALID, "Use at least %d characters; a short sentence is easy to remember.", MinPasswordLength)
	}
	if n > maxPasswordLength {
		return Errorf(EINVALID, "Use at most %d characters.", maxPasswordLength)
	}
	lower := strings.ToLower(pw)
	email = NormalizeEmail(email)
	if email != "" {
		local, _, _ := strings.Cut(email, "@")
		if strings.Contains(lower, email) || (len(local) >= 4 && strings.Contains(lower, local)) {
			return Errorf(EINVALID, "Don't use your email address in your password.")
		}
	}
	if commonPasswords[lower] {
		return Errorf(EINVALID, "That password is on the list attackers try first; choose another.")
	}
	if first, _ := utf8.DecodeRuneInString(lower); strings.Count(lower, string(first)) == utf8.RuneCountInString(lower) {
		return Errorf(EINVALID, "Don't repeat one character; choose something harder to guess.")
	}
	return nil
}
