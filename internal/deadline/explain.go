package deadline

import (
	"strconv"
	"strings"
)

// Explanation shows how a due day follows from its start day, day by day.
// Calendar bugs are the top complaint about SLA tools; this is the proof.
type Explanation struct {
	Kind  Kind
	Start Day
	// Rule is the rule in words: "5 business days after Closed-Won, skipping
	// weekends, US public holidays and company days off" or "30 calendar days
	// after kickoff".
	Rule  string
	Steps []Step // every day from the day after Start through Due, in order
	Due   Day
	// Note remarks on anything a reader might doubt, such as a calendar-day
	// rule ending on a weekend; empty when there is nothing to add.
	Note string
}

// Step is one day of an Explanation: either counted (business day N of the
// rule's Days, or calendar day N) or skipped, with the reason.
type Step struct {
	Day     Day
	Counted bool
	N       int    // 1-based count when Counted, else 0
	Reason  string // why the day was skipped: "Saturday", "Thanksgiving Day (US public holiday)"
}

// Explain returns the explanation of rule r started on start. A zero start
// gives the rule in words and no steps, for clocks not started yet.
//
// Calendar-day rules count every day and end where they end, even on a weekend
// or holiday; the explanation then says so in Note rather than moving the day.
func (c *Calendar) Explain(r Rule, start Day) Explanation {
	e := Explanation{Kind: r.Kind, Start: start, Rule: c.ruleText(r)}
	if start.IsZero() {
		return e
	}
	e.Due = c.Due(r, start)
	if e.Due.After(start) {
		e.Steps = make([]Step, 0, start.DaysUntil(e.Due))
	}
	n := 0
	for d := start.AddDays(1); !d.After(e.Due); d = d.AddDays(1) {
		ok, reason := c.IsBusinessDay(d)
		if r.Business && !ok {
			e.Steps = append(e.Steps, Step{Day: d, Reason: reason})
			continue
		}
		n++
		e.Steps = append(e.Steps, Step{Day: d, Counted: true, N: n})
	}
	if !r.Business {
		if ok, reason := c.IsBusinessDay(e.Due); !ok {
			e.Note = "The due day " + e.Due.String() + " is not a business day (" + reason +
				"); calendar days count every day, so it stays the due day."
		}
	}
	return e
}

// ruleText puts r in words, naming exactly what this calendar skips.
func (c *Calendar) ruleText(r Rule) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(r.Days))
	if r.Business {
		b.WriteString(" business day")
	} else {
		b.WriteString(" calendar day")
	}
	if r.Days != 1 {
		b.WriteString("s")
	}
	b.WriteString(" after ")
	b.WriteString(r.Kind.startName())
	if !r.Business {
		return b.String()
	}
	skipped := []string{"weekends"}
	for _, s := range c.countries {
		skipped = append(skipped, s.Code+" "+s.noun+"s")
	}
	if len(c.daysOff) > 0 {
		skipped = append(skipped, "company days off")
	}
	b.WriteString(", skipping ")
	for i, s := range skipped {
		switch {
		case i == 0:
		case i == len(skipped)-1:
			b.WriteString(" and ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	return b.String()
}
