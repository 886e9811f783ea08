package handoff

import (
	"strings"
	"time"
)

// After the lock (README.md, "After the lock"): the SA records the day the
// customer first got value, and strategic accounts hold a quarterly pod
// review of the AE, SE, SA and CSM. Both are clocks of the clock model
// (internal/deadline); this file holds their records and rules.

// Limits of what is typed after the lock.
const (
	MaxFirstValueWhat = 2000 // what the first value was
	MaxReviewText     = 2000 // a lever, a risk, a next step, a note
	MaxReviewRows     = 20   // levers, risks, next steps per review
	// DebtDays is how many calendar days from Closed-Won without first value
	// make an account deployment debt.
	DebtDays = 120
	// PodReviewDays is how long after the lock, and then after each review,
	// the next pod review is due: a quarter.
	PodReviewDays = 91
)

// FirstValue is the SA's record of the day the customer first got value
// from the deployment and what it was.
type FirstValue struct {
	On         time.Time // a civil date at 00:00 UTC
	What       string
	RecordedAt time.Time
	RecordedBy string // the SA's name
}

// Same reports whether fv, the stored record (nil: none yet), records the
// same day and words as other.
func (fv *FirstValue) Same(other FirstValue) bool {
	return fv != nil && fv.On.Equal(other.On) && fv.What == other.What
}

// ValidateFirstValue checks first value as the SA typed it: a day neither
// before the kickoff nor after today (the org's today, a civil date), and
// what the value was. Field errors are keyed "on" and "what".
func ValidateFirstValue(on, what string, kickoff *time.Time, today time.Time) (FirstValue, error) {
	fe := FieldErrors{}
	fv := FirstValue{What: strings.TrimSpace(what)}
	day, err := ParseDate(on)
	switch {
	case err != nil:
		fe.Add("on", ErrorMessage(err))
	case day.After(today):
		fe.Add("on", "First value cannot be in the future: enter the day the customer first got value, today at the latest.")
	case kickoff != nil && day.Before(*kickoff):
		fe.Add("on", "First value comes after the kickoff ("+kickoff.Format(time.DateOnly)+"): check the day.")
	}
	fv.On = day
	if fv.What == "" {
		fe.Add("what", "Say what the first value was, e.g. 'First 200 agents live on SSO; ticket deflection measured at 18%'.")
	}
	checkLen(fe, "what", fv.What, MaxFirstValueWhat)
	return fv, fe.Err()
}

// Posture is a strategic account's renewal posture at a pod review. The
// values are stable: they are stored.
type Posture string

// The renewal postures, best first.
const (
	PostureOnTrack  Posture = "on_track"
	PostureAtRisk   Posture = "at_risk"
	PostureInDanger Posture = "in_danger"
)

// Postures lists the postures, best first.
var Postures = []Posture{PostureOnTrack, PostureAtRisk, PostureInDanger}

// Label is the posture in words.
func (p Posture) Label() string {
	switch p {
	case PostureOnTrack:
		return "On track"
	case PostureAtRisk:
		return "At risk"
	case PostureInDanger:
		return "In danger"
	}
	return string(p)
}

// PodLatest is what the latest pod review says of an account, kept on the
// pack for the managers' list of strategic accounts by posture.
type PodLatest struct {
	HeldOn    time.Time
	Posture   Posture
	RenewalOn time.Time
}

// The pod members a review's attendance names.
const (
	PodAE  = "AE"
	PodSE  = "SE"
	PodSA  = "SA"
	PodCSM = "CSM"
)

// PodMembers lists the pod in the order a review names them.
var PodMembers = []string{PodAE, PodSE, PodSA, PodCSM}

// PodReview is one quarterly pod review of a strategic account. The columns
// of pod_reviews hold the day, the due day it answered, the posture and the
// renewal day; the rest is stored as JSON.
type PodReview struct {
	ID        int64     `json:"-"`
	HeldOn    time.Time `json:"-"` // a civil date
	DueOn     time.Time `json:"-"` // the pod review due day this review answered
	Posture   Posture   `json:"-"`
	RenewalOn time.Time `json:"-"` // a civil date

	Attendees []string       `json:"attendees"` // of PodMembers
	Champion  ChampionChange `json:"champion"`
	Levers    []string       `json:"levers"`
	Risks     []ReviewRisk   `json:"risks"`
	NextSteps []NextStep     `json:"next_steps"`

	RecordedAt time.Time `json:"-"`
	RecordedBy string    `json:"-"` // the SA's name
}

// OnTime reports whether the review was held by the day it was due.
func (r PodReview) OnTime() bool { return !r.HeldOn.After(r.DueOn) }

// ChampionChange says whether the account's Champion changed since the last
// review (or the handoff) and, if so, to whom: a person of the accepted
// stakeholder map (PersonID) or someone new, named here, who joins the
// account's people.
type ChampionChange struct {
	Changed  bool   `json:"changed"`
	PersonID string `json:"person_id,omitempty"`
	Name     string `json:"name,omitempty"`
	Title    string `json:"title,omitempty"`
	Email    string `json:"email,omitempty"`
	Note     string `json:"note,omitempty"`
}

// ReviewRisk is a technical risk discussed at a review: one of the risk log
// of the accepted version (RiskID, its description copied), or a new one.
type ReviewRisk struct {
	RiskID      string `json:"risk_id,omitempty"`
	Description string `json:"description"`
	Severity    string `json:"severity"`
	Note        string `json:"note,omitempty"`
	// RaisedOn is the day of the review that first raised a risk not in
	// the log (YYYY-MM-DD): later reviews offer it by its RiskID beside
	// the log's. Empty for the log's risks, and for new risks recorded
	// before risks were kept (their RiskID is empty too).
	RaisedOn string `json:"raised_on,omitempty"`
	// New marks the review that first raised it: a second review the same
	// day that picks it again names it as raised earlier.
	New bool `json:"new,omitempty"`
}

// Origin says where the risk of a review comes from, in words: "new" (first
// raised at this review), "from the risk log", or "raised at the review of
// 2026-03-02".
func (k ReviewRisk) Origin() string {
	switch {
	case k.RiskID == "" || k.New:
		return "new"
	case k.RaisedOn == "":
		return "from the risk log"
	}
	return "raised at the review of " + k.RaisedOn
}

// NextStep is an action agreed at a review, with who owns it.
type NextStep struct {
	What  string `json:"what"`
	Owner string `json:"owner"`
}

// Event kinds after the lock.
const (
	EventFirstValueRecorded = "first_value_recorded"
	EventPodReviewRecorded  = "pod_review_recorded"
	EventStrategicMarked    = "strategic_marked"
)

// FirstValueEvent is the history line of recording first value, or of
// correcting it (was is the record before).
func FirstValueEvent(was *FirstValue, fv FirstValue) Event {
	summary := "Recorded first value on " + fv.On.Format(time.DateOnly) + ": " + fv.What
	if was != nil {
		summary = "Corrected first value (was " + was.On.Format(time.DateOnly) + ") to " + fv.On.Format(time.DateOnly) + ": " + fv.What
	}
	return Event{Kind: EventFirstValueRecorded, Summary: summary}
}

// StrategicMarkedEvent is the history line of a manager marking the account
// strategic or taking the mark off.
func StrategicMarkedEvent(marked bool, segment Segment) Event {
	if marked {
		return Event{Kind: EventStrategicMarked, Summary: "Marked the account strategic: it gets quarterly pod reviews after the lock."}
	}
	if segment == SegmentStrategic {
		return Event{Kind: EventStrategicMarked, Summary: "Took off the strategic mark; the account stays strategic by its segment."}
	}
	return Event{Kind: EventStrategicMarked, Summary: "Took off the strategic mark: no more pod reviews are due."}
}
