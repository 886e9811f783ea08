package web

import "github.com/handoff-app/handoff/internal/handoff"

// DealCorrectPage corrects a deal's facts (README.md): every field
// prefilled with the facts as stored, or with what was typed when it comes
// back with field errors.
type DealCorrectPage struct {
	Page
	Head        PackHead
	In          handoff.DealInput
	Errors      FieldErrors
	Fingerprint string // handoff.DealFingerprint of the facts the form shows
	Today       string
	Submitted   bool // the SA has the pack: they will see the correction
	Conflict    bool // someone corrected the deal since the form was opened
}

// LockConfirmPage asks the SA to confirm locking the reference architecture:
// it shows what will be frozen, by whom and when.
type LockConfirmPage struct {
	Page
	Head    PackHead
	Arch    handoff.Architecture
	Matrix  handoff.Matrix // the closure matrix the lock freezes
	Version int            // the pack version whose architecture is shown
	By      string         // who locks
	On      string         // the org's today
}

// ReplyForm is the SE's reply to the reason the SA returned one document,
// in the submit box of a returned pack.
type ReplyForm struct {
	Kind    handoff.DocKind
	Reason  string // the SA's reason
	By      string // the SA who returned it
	Version int    // the version they returned
	Changed bool   // the document differs from that version
	Value   string // the reply as typed
	Error   string
}

// replyName is the name of the reply field for r's document.
func replyName(r ReplyForm) string { return handoff.ReplyField(r.Kind) }
