package handoff

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Segment is the deal's market segment; it sets the SA staffing guide.
type Segment string

// The segments of docs/design.md, "A pack's life".
const (
	SegmentCommercial Segment = "commercial"
	SegmentMidMarket  Segment = "mid-market"
	SegmentEnterprise Segment = "enterprise"
	SegmentStrategic  Segment = "strategic"
)

// Segments lists every segment in menu order.
var Segments = []Segment{SegmentCommercial, SegmentMidMarket, SegmentEnterprise, SegmentStrategic}

// Label is the segment as people write it.
func (s Segment) Label() string {
	switch s {
	case SegmentCommercial:
		return "Commercial"
	case SegmentMidMarket:
		return "Mid-market"
	case SegmentEnterprise:
		return "Enterprise"
	case SegmentStrategic:
		return "Strategic"
	}
	return string(s)
}

// Contact is a named person on a deal who does not log in (AE, CSM).
type Contact struct {
	Name  string
	Email string
}

// Deal is a Closed-Won opportunity.
type Deal struct {
	ID               int64
	AccountName      string
	OpportunityName  string
	CRMOpportunityID string
	Segment          Segment
	ARR              Money
	ClosedWonOn      time.Time // a civil date at 00:00 UTC
	AE               Contact
	CSM              Contact
	SEID             int64
	SAID             int64 // 0 until an SA is assigned
	SEName           string
	SAName           string
	// StrategicMarked is a manager's mark that an account of another
	// segment is strategic (Strategic).
	StrategicMarked bool
}

// Strategic reports whether the account gets quarterly pod reviews: the
// strategic segment, or marked strategic by a manager.
func (d Deal) Strategic() bool { return d.Segment == SegmentStrategic || d.StrategicMarked }

// Limits of a deal's free text. The deal form shows them as maxlength, and
// ValidateDeal enforces them for the form and the API alike.
const (
	MaxAccountName      = MaxShort
	MaxOpportunityName  = MaxShort
	MaxCRMOpportunityID = 100
	MaxContactName      = MaxShort
	MaxContactEmail     = MaxEmail
	// MaxSearchableBytes bounds the names a deal is searched by (account,
	// opportunity, CRM id, AE and CSM names) taken together, in bytes: they
	// are stored as one text that the Packs list's walk index holds
	// (migration 00025), and an index entry holds at most about 2,700 bytes.
	// Names in the Latin alphabet never come near it; five names near their
	// limits in a script of 3 or 4 bytes per letter would.
	MaxSearchableBytes = 2400
)

// DealInput is what a person types to record a deal, before validation.
type DealInput struct {
	AccountName      string
	OpportunityName  string
	CRMOpportunityID string
	Segment          string
	ARR              string // "120000" or "120,000.50", in major units
	Currency         string
	ClosedWonOn      string // YYYY-MM-DD
	AEName, AEEmail  string
	CSMName          string
	CSMEmail         string
	SEID             string
	SAID             string
}

// ValidateDeal checks a deal typed by a person, returning the deal (without
// SE and SA, which the caller resolves against real users) or per-field errors
// keyed by form field name. today bounds the Closed-Won date: a deal is not
// won in the future.
func ValidateDeal(in DealInput, today time.Time) (Deal, error) {
	fe := FieldErrors{}
	d := Deal{
		AccountName:      strings.TrimSpace(in.AccountName),
		OpportunityName:  strings.TrimSpace(in.OpportunityName),
		CRMOpportunityID: strings.TrimSpace(in.CRMOpportunityID),
		AE:               Contact{strings.TrimSpace(in.AEName), NormalizeEmail(in.AEEmail)},
		CSM:              Contact{strings.TrimSpace(in.CSMName), NormalizeEmail(in.CSMEmail)},
	}
	requireText(fe, "account_name", d.AccountName, "Enter the customer's account name.", MaxAccountName)
	requireText(fe, "opportunity_name", d.OpportunityName, "Enter the opportunity name as it is in the CRM.", MaxOpportunityName)
	checkLen(fe, "crm_opportunity_id", d.CRMOpportunityID, MaxCRMOpportunityID)
	seg := Segment(strings.TrimSpace(in.Segment))
	if !slices.Contains(Segments, seg) {
		fe.Add("segment", "Choose a segment.")
	}
	d.Segment = seg

	cur := in.Currency
	if strings.TrimSpace(cur) == "" {
		cur = "USD"
	}
	if strings.TrimSpace(in.ARR) == "" {
		fe.Add("arr", "Enter the ARR, e.g. 120000.")
		if _, err := ParseCurrency(cur); err != nil {
			fe.Add("currency", ErrorMessage(err))
		}
	} else {
		m, err := ParseMoney(in.ARR, cur)
		for k, v := range InvalidFields(err) {
			if k == "amount" {
				k = "arr"
			}
			fe.Add(k, v)
		}
		if err == nil {
			d.ARR = m
		}
	}

	if on, err := ParseDate(in.ClosedWonOn); err != nil {
		fe.Add("closed_won_on", ErrorMessage(err))
	} else if on.After(today) {
		fe.Add("closed_won_on", "The Closed-Won date can't be in the future.")
	} else if on.Before(today.AddDate(-3, 0, 0)) {
		fe.Add("closed_won_on", "That date is more than three years ago; check the year.")
	} else {
		d.ClosedWonOn = on
	}
	checkContact(fe, "ae", d.AE)
	checkContact(fe, "csm", d.CSM)
	checkSearchable(fe, d)
	return d, fe.Err()
}

// checkSearchable refuses names too long together to search by
// (MaxSearchableBytes), on the longest of them.
func checkSearchable(fe FieldErrors, d Deal) {
	fields := []struct{ name, v string }{
		{"account_name", d.AccountName}, {"opportunity_name", d.OpportunityName},
		{"crm_opportunity_id", d.CRMOpportunityID}, {"ae_name", d.AE.Name}, {"csm_name", d.CSM.Name},
	}
	total, longest := len(fields)-1, 0 // the spaces between them
	for i, f := range fields {
		total += len(f.v)
		if len(f.v) > len(fields[longest].v) {
			longest = i
		}
	}
	if total <= MaxSearchableBytes || fe[fields[longest].name] != "" {
		return
	}
	fe.Add(fields[longest].name, fmt.Sprintf("Together the account, opportunity, CRM id, AE and CSM names are too long to search by "+
		"(%d bytes of text, at most %d; a letter outside the Latin alphabet takes 2 to 4). Shorten this one, the longest.", total, MaxSearchableBytes))
}

func checkContact(fe FieldErrors, prefix string, c Contact) {
	checkLen(fe, prefix+"_name", c.Name, MaxContactName)
	checkLen(fe, prefix+"_email", c.Email, MaxContactEmail)
	if c.Email != "" {
		if err := ValidateEmail(c.Email); err != nil {
			fe.Add(prefix+"_email", ErrorMessage(err))
		}
	}
}

func requireText(fe FieldErrors, field, v, msg string, max int) {
	if v == "" {
		fe.Add(field, msg)
	}
	checkLen(fe, field, v, max)
}
