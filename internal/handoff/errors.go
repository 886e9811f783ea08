package handoff

import (
	"errors"
	"fmt"
)

// Error codes form the small vocabulary every layer speaks. The server maps each
// to one HTTP status and page; storage maps SQLSTATEs onto them.
const (
	ENOTFOUND     = "not_found"    // absent, or present but not the caller's to see
	EINVALID      = "invalid"      // the input breaks a rule; Fields says where
	ECONFLICT     = "conflict"     // the state moved on since the caller last looked
	EFORBIDDEN    = "forbidden"    // the caller may see it but not do this
	EUNAUTHORIZED = "unauthorized" // no valid login
	ERATELIMITED  = "rate_limited" // too many attempts; try later
	EINTERNAL     = "internal"     // our fault; details go to the log only
)

// Error is a domain error with a message safe to show a person. Anything that is
// not an *Error is treated as internal, and its text never reaches a page.
type Error struct {
	Code    string
	Message string
	// Fields holds per-field messages for EINVALID, keyed by form field name.
	Fields map[string]string
}

func (e *Error) Error() string {
	return fmt.Sprintf("handoff: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted, person-readable message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err, or a generic one for
// internal errors so their details never leak.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. It has been logged; please try again."
}

// FieldErrors collects per-field messages while validating a form, so a person
// sees every problem at once rather than one per submit.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message: the first
// problem found is usually the one to fix first.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when no field failed, else an EINVALID *Error carrying them.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some fields need your attention.", Fields: f}
}

// InvalidFields returns the per-field messages carried by err, if any.
func InvalidFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && e.Code == EINVALID {
		return e.Fields
	}
	return nil
}
