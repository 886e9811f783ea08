package handoff

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// The quarterly pod review of a strategic account (aftercare.go): after the
// lock the pack's SA records each review of the AE, SE, SA and CSM. Its
// record types are in aftercare.go; this file reads a review as typed,
// checks it against the account and words it for the history.

// ChampionNew is the person choice of a Champion who is not among the
// account's people yet: the form names them.
const ChampionNew = "new"

// PodReviewForm is a pod review as the SA typed it, every field as sent, so a
// refused form comes back whole.
type PodReviewForm struct {
	HeldOn    string
	Attendees []string // of PodMembers
	Champion  ChampionForm
	Levers    []string
	Risks     []ReviewRiskForm
	Posture   string
	RenewalOn string
	NextSteps []NextStep
}

// ChampionForm is the Champion part of the form: whether the Champion
// changed ("yes", "no", or "" unanswered) and, if so, to whom: a person of
// the account (their id) or ChampionNew with the new person's name, title
// and email.
type ChampionForm struct {
	Changed                  string
	PersonID                 string
	Name, Title, Email, Note string
}

// ReviewRiskForm is one technical risk row as typed: a risk of the accepted
// risk log (RiskID), or a new one ("" with a description and severity).
type ReviewRiskForm struct {
	RiskID      string
	Description string
	Severity    string
	Note        string
}

// blank reports whether the row was left empty.
func (f ReviewRiskForm) blank() bool {
	return f.RiskID == "" && strings.TrimSpace(f.Description) == "" && f.Severity == "" && strings.TrimSpace(f.Note) == ""
}

// PodPerson is a member of the pod as the deal names them; Name is "" when
// the deal names nobody (an AE or CSM not filled in).
type PodPerson struct {
	Member string // of PodMembers
	Name   string
}

// PodAccount is what a review is checked against: the account as the lock,
// the accepted version and the reviews so far left it.
type PodAccount struct {
	LockedOn   time.Time // the lock day in the org's time zone, a civil date
	LastHeldOn time.Time // the latest review's day; zero before the first
	// People are the accepted stakeholder map and, after them, the people
	// named Champion at earlier reviews who were not on it.
	People []Stakeholder
	Risks  []Risk // the accepted risk log
	// Raised are the risks first raised at earlier reviews, oldest first,
	// as first raised: a later review picks them like the log's.
	Raised []ReviewRisk
	// ChampionID is who the Champion is now: the accepted MEDDPICC's, or
	// the latest review's that changed it ("" when nobody is named).
	ChampionID string
	Pod        []PodPerson // AE, SE, SA, CSM
}

// PodReviewRecord is a stored pod review with the names of the pod members
// who attended, as the deal named them when it was recorded: the deal's
// people may be corrected later, and the review keeps who was there.
type PodReviewRecord struct {
	PodReview
	AttendeeNames map[string]string `json:"attendee_names,omitempty"` // by member
}

// Attended lists who attended, in the pod's order: "AE Ann Exec".
func (r PodReviewRecord) Attended() []string {
	out := make([]string, len(r.Attendees))
	for i, m := range r.Attendees {
		out[i] = MemberLabel(m, r.AttendeeNames[m])
	}
	return out
}

// NewPodAccount is the account of pack p, locked on lockedOn (a civil date),
// with accepted the documents of its accepted version and reviews its pod
// reviews, newest first.
func NewPodAccount(p *Pack, lockedOn time.Time, accepted Documents, reviews []PodReviewRecord) PodAccount {
	a := PodAccount{LockedOn: lockedOn, Risks: accepted.Risks.Items,
		People:     append([]Stakeholder(nil), accepted.Stakeholders.People...),
		ChampionID: accepted.MEDDPICC.Row("champion").PersonID,
		Pod: []PodPerson{{PodAE, p.Deal.AE.Name}, {PodSE, p.Deal.SEName}, {PodSA, p.Deal.SAName},
			{PodCSM, p.Deal.CSM.Name}},
	}
	if len(reviews) > 0 {
		a.LastHeldOn = reviews[0].HeldOn
	}
	for _, r := range slices.Backward(reviews) { // oldest first: people and risks join in the order they were named
		for _, k := range r.Risks {
			if k.RaisedOn == "" {
				continue // the log's, or recorded before risks were kept
			}
			// Offered with the severity the latest review gave it.
			if i := slices.IndexFunc(a.Raised, func(x ReviewRisk) bool { return x.RiskID == k.RiskID }); i >= 0 {
				a.Raised[i].Severity = k.Severity
			} else if k.New {
				a.Raised = append(a.Raised, ReviewRisk{RiskID: k.RiskID, Description: k.Description, Severity: k.Severity, RaisedOn: k.RaisedOn})
			}
		}
		c := r.Champion
		if !c.Changed || c.PersonID == "" {
			continue
		}
		a.ChampionID = c.PersonID
		if _, known := (Stakeholders{People: a.People}).Person(c.PersonID); !known {
			a.People = append(a.People, Stakeholder{ID: c.PersonID, Name: c.Name, Title: c.Title, Email: c.Email, Role: "champion"})
		}
	}
	return a
}

// EarliestHeldOn is the first day a review recorded now may have been held:
// the lock day, or the latest review's day when there is one.
func (a PodAccount) EarliestHeldOn() time.Time {
	if a.LastHeldOn.After(a.LockedOn) {
		return a.LastHeldOn
	}
	return a.LockedOn
}

// Person is the account's person with id.
func (a PodAccount) Person(id string) (Stakeholder, bool) {
	return Stakeholders{People: a.People}.Person(id)
}

// Risk is the risk with id, of the accepted risk log or raised at an
// earlier review, as a review row without a note.
func (a PodAccount) Risk(id string) (ReviewRisk, bool) {
	if id == "" {
		return ReviewRisk{}, false
	}
	for _, r := range a.Risks {
		if r.ID == id {
			return ReviewRisk{RiskID: r.ID, Description: r.Description, Severity: r.Severity}, true
		}
	}
	for _, r := range a.Raised {
		if r.RiskID == id {
			return r, true
		}
	}
	return ReviewRisk{}, false
}

// AttendeeNames are the names of the pod members who attended, as the deal
// names them now: a review keeps them, so it reads the same after the deal's
// people are corrected.
func (a PodAccount) AttendeeNames(members []string) map[string]string {
	out := make(map[string]string, len(members))
	for _, pp := range a.Pod {
		if slices.Contains(members, pp.Member) && pp.Name != "" {
			out[pp.Member] = pp.Name
		}
	}
	return out
}

// ValidatePodReview checks a review as typed against the account, today
// being the org's today (a civil date). It returns the review to store
// (without its due day and who recorded it, which storage adds) or every
// problem at once, keyed by form field: "held_on", "attendees",
// "champion.changed", "champion.person", "champion.name", "champion.title",
// "champion.email", "champion.note", "levers.<i>", "levers",
// "risks.<i>.pick", "risks.<i>.description", "risks.<i>.severity",
// "risks.<i>.note", "risks", "posture", "renewal_on", "steps.<i>.what",
// "steps.<i>.owner" and "steps". Row errors name the row's place in the
// form, blank rows included, so they land beside the row typed; blank rows
// are then dropped.
func ValidatePodReview(f PodReviewForm, a PodAccount, today time.Time) (PodReview, error) {
	fe := FieldErrors{}
	var r PodReview

	held, err := ParseDate(f.HeldOn)
	switch {
	case err != nil:
		fe.Add("held_on", ErrorMessage(err))
	case held.After(today):
		fe.Add("held_on", "A pod review cannot be in the future: enter the day it was held, today ("+today.Format(time.DateOnly)+") at the latest.")
	case held.Before(a.LockedOn):
		fe.Add("held_on", "Pod reviews follow the architecture lock ("+a.LockedOn.Format(time.DateOnly)+"): enter a day on or after it.")
	case held.Before(a.EarliestHeldOn()):
		fe.Add("held_on", "The last pod review was held on "+a.LastHeldOn.Format(time.DateOnly)+": a review recorded now was held on or after that day.")
	}
	r.HeldOn = held

	for _, m := range f.Attendees {
		if !slices.Contains(PodMembers, m) {
			fe.Add("attendees", "Tick who attended from the people listed.")
		}
	}
	for _, m := range PodMembers { // in the pod's order, each once
		if slices.Contains(f.Attendees, m) {
			r.Attendees = append(r.Attendees, m)
		}
	}
	if len(r.Attendees) == 0 {
		fe.Add("attendees", "Tick who attended the review.")
	}

	r.Champion = checkChampion(fe, f.Champion, a)

	for i, l := range f.Levers {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		checkLen(fe, "levers."+itoa(i), l, MaxReviewText)
		r.Levers = append(r.Levers, l)
	}
	if len(r.Levers) > MaxReviewRows {
		fe.Add("levers", tooManyRows(len(r.Levers), "expansion levers"))
	}

	r.Risks = checkReviewRisks(fe, f.Risks, a, held)

	r.Posture = Posture(f.Posture)
	switch {
	case f.Posture == "":
		fe.Add("posture", "Choose the renewal posture: on track, at risk or in danger.")
	case !slices.Contains(Postures, r.Posture):
		fe.Add("posture", "Choose a renewal posture from the list.")
	}
	renewal, err := ParseDate(f.RenewalOn)
	switch {
	case strings.TrimSpace(f.RenewalOn) == "":
		fe.Add("renewal_on", "Enter the renewal date: when the contract is up for renewal.")
	case err != nil:
		fe.Add("renewal_on", ErrorMessage(err))
	case fe["held_on"] == "" && renewal.Before(held):
		fe.Add("renewal_on", "The renewal comes after the review ("+held.Format(time.DateOnly)+"): check the date.")
	}
	r.RenewalOn = renewal

	for i, s := range f.NextSteps {
		s = NextStep{What: strings.TrimSpace(s.What), Owner: strings.TrimSpace(s.Owner)}
		if s == (NextStep{}) {
			continue
		}
		p := "steps." + itoa(i) + "."
		if s.What == "" {
			fe.Add(p+"what", "Say what the next step is.")
		}
		if s.Owner == "" {
			fe.Add(p+"owner", "Name who owns this next step.")
		}
		checkLen(fe, p+"what", s.What, MaxReviewText)
		checkLen(fe, p+"owner", s.Owner, MaxShort)
		r.NextSteps = append(r.NextSteps, s)
	}
	switch {
	case len(r.NextSteps) == 0:
		fe.Add("steps", "Agree at least one next step, with who owns it.")
	case len(r.NextSteps) > MaxReviewRows:
		fe.Add("steps", tooManyRows(len(r.NextSteps), "next steps"))
	}
	return r, fe.Err()
}

// checkChampion reads the Champion part of the form: unchanged, a person of
// the account (copied, so the record reads the same later), or someone new,
// who gets an id and joins the account's people.
func checkChampion(fe FieldErrors, f ChampionForm, a PodAccount) ChampionChange {
	name, title, email := strings.TrimSpace(f.Name), strings.TrimSpace(f.Title), NormalizeEmail(f.Email)
	note := strings.TrimSpace(f.Note)
	checkLen(fe, "champion.note", note, MaxReviewText)
	typed := f.PersonID != "" || name != "" || title != "" || email != ""
	switch f.Changed {
	case "no":
		if typed {
			fe.Add("champion.changed", "You named a new Champion below: answer Yes, or clear who you named.")
		}
		return ChampionChange{Note: note}
	case "yes":
	case "":
		fe.Add("champion.changed", "Say whether the Champion changed since the last review.")
		return ChampionChange{}
	default:
		fe.Add("champion.changed", "Answer Yes or No.")
		return ChampionChange{}
	}
	c := ChampionChange{Changed: true, Note: note}
	switch f.PersonID {
	case "":
		fe.Add("champion.person", "Choose who the Champion is now, or someone new.")
	case ChampionNew:
		if name == "" {
			fe.Add("champion.name", "Enter the new Champion's name.")
		}
		checkLen(fe, "champion.name", name, MaxShort)
		checkLen(fe, "champion.title", title, MaxShort)
		if email != "" {
			if err := ValidateEmail(email); err != nil {
				fe.Add("champion.email", ErrorMessage(err))
			}
		}
		c.PersonID, c.Name, c.Title, c.Email = NewRowID(), name, title, email
	default:
		p, ok := a.Person(f.PersonID)
		switch {
		case !ok:
			fe.Add("champion.person", "Choose the Champion from the list, or someone new.")
		case p.ID == a.ChampionID:
			fe.Add("champion.person", p.Name+" is already the Champion: choose who took over, or answer No.")
		case name != "" || title != "" || email != "":
			fe.Add("champion.name", "You chose "+p.Name+" from the list: clear the new person's details, or choose Someone new.")
		}
		c.PersonID, c.Name, c.Title, c.Email = p.ID, p.Name, p.Title, p.Email
	}
	return c
}

// checkReviewRisks reads the technical risk rows of a review held on held:
// a risk of the log or of an earlier review (its description copied, its
// severity the known one unless another is chosen), or a new one with a
// description and severity, which gets an id so later reviews offer it.
func checkReviewRisks(fe FieldErrors, rows []ReviewRiskForm, a PodAccount, held time.Time) []ReviewRisk {
	var out []ReviewRisk
	picked := map[string]int{}
	for i, f := range rows {
		if f.blank() {
			continue
		}
		p := "risks." + itoa(i) + "."
		rr := ReviewRisk{Description: strings.TrimSpace(f.Description), Severity: f.Severity, Note: strings.TrimSpace(f.Note)}
		checkOption(fe, p+"severity", Severities, f.Severity, "a severity")
		checkLen(fe, p+"note", rr.Note, MaxReviewText)
		if f.RiskID != "" {
			logged, ok := a.Risk(f.RiskID)
			switch {
			case !ok:
				fe.Add(p+"pick", "Choose a risk from the list, or A new risk.")
			case picked[f.RiskID] > 0:
				fe.Add(p+"pick", "This risk is already on the review (row "+strconv.Itoa(picked[f.RiskID])+"); put everything said about it there.")
			case rr.Description != "":
				fe.Add(p+"description", "This row is a risk from the list, which has its description: put what was said in the note, or choose A new risk.")
			}
			picked[f.RiskID] = i + 1
			rr.RiskID, rr.Description, rr.RaisedOn = logged.RiskID, logged.Description, logged.RaisedOn
			if rr.Severity == "" {
				rr.Severity = logged.Severity
			}
		} else {
			if rr.Description == "" {
				fe.Add(p+"description", "Describe the new risk, or choose one from the list.")
			}
			if rr.Severity == "" {
				fe.Add(p+"severity", "Choose how severe the risk is: low, medium or high.")
			}
			checkLen(fe, p+"description", rr.Description, MaxReviewText)
			rr.RiskID, rr.RaisedOn, rr.New = NewRowID(), held.Format(time.DateOnly), true
		}
		out = append(out, rr)
	}
	if len(out) > MaxReviewRows {
		fe.Add("risks", tooManyRows(len(out), "technical risks"))
	}
	return out
}

// tooManyRows refuses a list over MaxReviewRows, naming how many to remove.
func tooManyRows(n int, what string) string {
	return "A review records at most " + itoa(MaxReviewRows) + " " + what + "; this one has " + itoa(n) + ". Remove " + itoa(n-MaxReviewRows) + "."
}

// DaysLate is how many calendar days after its due day the review was held;
// 0 when on time.
func (r PodReview) DaysLate() int {
	if r.OnTime() {
		return 0
	}
	return int(r.HeldOn.Sub(r.DueOn).Hours()/24 + 0.5)
}

// Timeliness words a review against its due day: "On time (due 2027-02-24)",
// "3 days late (due 2027-02-24)".
func (r PodReview) Timeliness() string {
	due := " (due " + r.DueOn.Format(time.DateOnly) + ")"
	if n := r.DaysLate(); n > 0 {
		return itoa(n) + " " + plural(n, "day", "days") + " late" + due
	}
	return "On time" + due
}

// Words is the posture in lower-case words, for a sentence: "at risk".
func (p Posture) Words() string { return strings.ToLower(p.Label()) }

// PodReviewEvent is the history line of recording review r, which the
// summary mail to the pod repeats: "Recorded the pod review of 2027-03-01:
// renewal at risk (renews 2027-09-30), 3 next steps."
func PodReviewEvent(r PodReview) Event {
	n := len(r.NextSteps)
	return Event{Kind: EventPodReviewRecorded, Summary: "Recorded the pod review of " + r.HeldOn.Format(time.DateOnly) +
		": renewal " + r.Posture.Words() + " (renews " + r.RenewalOn.Format(time.DateOnly) + "), " +
		itoa(n) + " " + plural(n, "next step", "next steps") + "."}
}

// Words says what a review recorded of the Champion: "Unchanged", or
// "Changed to Nadia New (CIO), nadia@acme.example", with the note after a
// dash.
func (c ChampionChange) Words() string {
	s := "Unchanged"
	if c.Changed {
		s = "Changed to " + c.Name
		if c.Title != "" {
			s += " (" + c.Title + ")"
		}
		if c.Email != "" {
			s += ", " + c.Email
		}
	}
	if c.Note != "" {
		s += " — " + c.Note
	}
	return s
}

// Words is a technical risk of a review in a line: "High: Workday API
// quotas unknown (from the risk log) — Quota raised".
func (k ReviewRisk) Words() string {
	s := OptionLabel(Severities, k.Severity) + ": " + k.Description + " (" + k.Origin() + ")"
	if k.Note != "" {
		s += " — " + k.Note
	}
	return s
}

// MemberLabel names a pod member for people: "AE Ann Exec", or "AE (not
// named on the deal)" when name is "".
func MemberLabel(member, name string) string {
	if name == "" {
		return member + " (not named on the deal)"
	}
	return member + " " + name
}
