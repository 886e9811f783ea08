package handoff

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Correcting a deal's facts (README.md): its SE before submission, a manager
// at any time (Decide, ActCorrectDeal). Each correction is an event listing
// what changed; the SA of a submitted pack sees the corrections made since
// submission on the pack page.

// EventDealCorrected is a correction of the deal's facts.
const EventDealCorrected = "deal_corrected"

// DealInputOf is d as its correction form shows it, every field prefilled.
func DealInputOf(d Deal) DealInput {
	return DealInput{
		AccountName: d.AccountName, OpportunityName: d.OpportunityName, CRMOpportunityID: d.CRMOpportunityID,
		Segment: string(d.Segment), ARR: FormatAmount(d.ARR.Minor), Currency: d.ARR.Currency,
		ClosedWonOn: d.ClosedWonOn.Format(time.DateOnly),
		AEName:      d.AE.Name, AEEmail: d.AE.Email, CSMName: d.CSM.Name, CSMEmail: d.CSM.Email,
	}
}

// ValidateCorrection checks the facts typed to correct p's deal, with today
// the org's today: the rules of a new deal (ValidateDeal), except that a
// Closed-Won date left as it was stands however long ago it was, and that
// Closed-Won can't move after a kickoff already held. It returns p's deal
// with the corrected facts; its people (SE, SA) are not facts and stay.
func ValidateCorrection(in DealInput, p *Pack, today time.Time) (Deal, error) {
	d, err := ValidateDeal(in, today)
	fe := FieldErrors{}
	for k, v := range InvalidFields(err) {
		fe[k] = v
	}
	if err != nil && len(fe) == 0 {
		return Deal{}, err
	}
	if on, perr := ParseDate(in.ClosedWonOn); perr == nil && on.Equal(p.Deal.ClosedWonOn) {
		delete(fe, "closed_won_on")
		d.ClosedWonOn = on
	}
	if _, bad := fe["closed_won_on"]; !bad {
		for k, v := range InvalidFields(CheckCorrection(p, d)) {
			fe.Add(k, v)
		}
	}
	kept := p.Deal
	kept.AccountName, kept.OpportunityName, kept.CRMOpportunityID = d.AccountName, d.OpportunityName, d.CRMOpportunityID
	kept.Segment, kept.ARR, kept.ClosedWonOn, kept.AE, kept.CSM = d.Segment, d.ARR, d.ClosedWonOn, d.AE, d.CSM
	return kept, fe.Err()
}

// CheckCorrection checks corrected facts d against what has happened to p
// since: Closed-Won can't move after a kickoff already held. Storage checks
// it again on the row it locked. The error is EINVALID, keyed
// "closed_won_on".
func CheckCorrection(p *Pack, d Deal) error {
	if p.KickoffOn != nil && d.ClosedWonOn.After(*p.KickoffOn) {
		return FieldErrors{"closed_won_on": "The kickoff was on " + p.KickoffOn.Format(time.DateOnly) + "; Closed-Won can't be after it."}.Err()
	}
	return nil
}

// DealChanges lists what a correction changes from was to now, one fact
// each, in words: "ARR USD 180,000.00 → USD 200,000.00". None when nothing
// changed.
func DealChanges(was, now Deal) []string {
	var out []string
	add := func(what, a, b string) {
		if a != b {
			out = append(out, what+" "+orNone(a)+" → "+orNone(b))
		}
	}
	add("account", was.AccountName, now.AccountName)
	add("opportunity", was.OpportunityName, now.OpportunityName)
	add("CRM opportunity id", was.CRMOpportunityID, now.CRMOpportunityID)
	add("segment", was.Segment.Label(), now.Segment.Label())
	add("ARR", diffMoney(was.ARR), diffMoney(now.ARR))
	add("Closed-Won", was.ClosedWonOn.Format(time.DateOnly), now.ClosedWonOn.Format(time.DateOnly))
	add("AE", contactWords(was.AE), contactWords(now.AE))
	add("CSM", contactWords(was.CSM), contactWords(now.CSM))
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func contactWords(c Contact) string {
	switch {
	case c.Email == "":
		return c.Name
	case c.Name == "":
		return c.Email
	}
	return c.Name + " <" + c.Email + ">"
}

// DealFingerprint identifies the facts of d a correction form was based on:
// a correction from a form that another correction overtook is refused,
// rather than silently undoing the other.
func DealFingerprint(d Deal) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{d.AccountName, d.OpportunityName, d.CRMOpportunityID,
		string(d.Segment), diffMoney(d.ARR), d.ClosedWonOn.Format(time.DateOnly),
		d.AE.Name, d.AE.Email, d.CSM.Name, d.CSM.Email}, "\x1f")))
	return hex.EncodeToString(sum[:12])
}

// DealCorrectedEvent is a correction of the deal's facts (changes, from
// DealChanges) and the due dates it moved ("pack due 2026-12-03 →
// 2026-12-01"), if any.
func DealCorrectedEvent(changes, moved []string) Event {
	s := "Corrected the deal: " + strings.Join(changes, "; ") + "."
	if len(moved) > 0 {
		s += " Due dates moved: " + strings.Join(moved, "; ") + "."
	}
	return Event{Kind: EventDealCorrected, Summary: s}
}

// CorrectionsSince are the corrections of the deal's facts among events
// (newest first, as a pack's history lists them) made after since, the
// pack's first submission: what its SA has not seen in the pack they were
// handed. None before the first submission.
func CorrectionsSince(events []Event, since *time.Time) []Event {
	if since == nil {
		return nil
	}
	var out []Event
	for _, e := range events {
		if e.Kind == EventDealCorrected && e.At.After(*since) {
			out = append(out, e)
		}
	}
	return out
}
