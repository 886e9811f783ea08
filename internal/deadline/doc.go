// Package deadline computes Handoff's clocks (docs/design.md, "Deadlines"): Pack due,
// Kickoff due, Architecture lock due, and after the lock First value due and
// Pod review due.
//
// It knows business days (weekends, public holidays of the organisation's
// countries from github.com/rickar/cal/v2, and company days off), the
// organisation's IANA time zone ("today" and end-of-day are there), the state of
// each clock (on track, at risk, overdue, done on time or late), the relative
// words shown beside a date, and a day-by-day explanation of every due date.
//
// The package is pure: no database, no HTTP, no clock of its own. Callers pass
// "now" in, so tests and the server agree on what today is. A *Calendar is
// immutable after NewCalendar apart from an internal per-year holiday cache, and
// is safe for concurrent use: build one when settings change and share it.
package deadline
