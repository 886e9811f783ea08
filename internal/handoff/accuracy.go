package handoff

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Handoff accuracy (docs/design.md, "After the lock"): at the lock, and again
// when first value is reached, the SA marks every commitment and risk of the
// accepted version as held, under-scoped or wrong, and records what surfaced
// that the pack missed. It is the recorded, fair basis for any talk of SE
// comp clawback on under-scoped deals, so its arithmetic lives in one place:
// Accuracy.

// Assessment stages: when the SA looks back.
const (
	StageLock       = "lock"
	StageFirstValue = "first_value"
)

// Stages are the assessment stages in the order they happen.
var Stages = []string{StageLock, StageFirstValue}

// AssessmentStage is the stage at which pack p is assessed now: first value
// once it is recorded (before or after the lock: the assessment then knows
// everything the lock's would), else the lock.
func AssessmentStage(p *Pack) string {
	if p.FirstValue != nil {
		return StageFirstValue
	}
	return StageLock
}

// Verdicts on one item.
const (
	VerdictHeld        = "held"
	VerdictUnderScoped = "under_scoped"
	VerdictWrong       = "wrong"
)

// Verdicts are the marks an item can get, in menu order.
var Verdicts = []Option{
	{VerdictHeld, "Held as handed off"}, {VerdictUnderScoped, "Under-scoped"}, {VerdictWrong, "Wrong"},
}

// SurfacedKinds are the kinds of thing that surfaced after the handoff.
var SurfacedKinds = []Option{
	{"commitment", "Commitment nobody wrote down"}, {"risk", "Risk"}, {"stakeholder", "Stakeholder"},
	{"requirement", "Requirement"}, {"other", "Other"},
}

// MaxSurfaced bounds what one assessment records as surfaced.
const MaxSurfaced = 50

// Mark is the SA's verdict on one item, with a note saying what was off
// (required unless it held).
type Mark struct {
	Verdict string `json:"verdict"`
	Note    string `json:"note,omitempty"`
}

// Surfaced is something the pack missed that surfaced after the handoff.
type Surfaced struct {
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Severity    string `json:"severity"`
}

// AssessItem is one commitment or risk of the accepted version, to be marked.
type AssessItem struct {
	Key   string // ItemKey
	Kind  string // ItemCommitment or ItemRisk
	Title string
}

// AssessItems lists every commitment and every risk of the accepted
// documents, in the order the SE listed them: all of them are marked,
// whatever their status or the SA's decision.
func AssessItems(accepted Documents) []AssessItem {
	var out []AssessItem
	for _, c := range accepted.Commitments.Items {
		out = append(out, AssessItem{Key: ItemKey(ItemCommitment, c.ID), Kind: ItemCommitment, Title: commitmentTitle(c)})
	}
	for _, r := range accepted.Risks.Items {
		out = append(out, AssessItem{Key: ItemKey(ItemRisk, r.ID), Kind: ItemRisk, Title: riskTitle(r)})
	}
	return out
}

// Assessment is the SA's look back at one stage.
type Assessment struct {
	Stage    string          `json:"stage"`
	Marks    map[string]Mark `json:"marks"` // by AssessItem.Key
	Surfaced []Surfaced      `json:"surfaced"`
	// Who and when, filled by storage.
	By string    `json:"-"`
	At time.Time `json:"-"`
}

// AccuracyCounts are what an accuracy is computed from. They add up, so an
// SE's or a quarter's accuracy is that of the sum of its packs' counts: each
// item counts once, wherever it was.
type AccuracyCounts struct {
	Held, UnderScoped, Wrong, Surfaced int
}

// Add returns the sum of c and o.
func (c AccuracyCounts) Add(o AccuracyCounts) AccuracyCounts {
	return AccuracyCounts{c.Held + o.Held, c.UnderScoped + o.UnderScoped, c.Wrong + o.Wrong, c.Surfaced + o.Surfaced}
}

// Items is how many commitments and risks were marked.
func (c AccuracyCounts) Items() int { return c.Held + c.UnderScoped + c.Wrong }

// Measured is how many things the accuracy is a share of: the items marked
// and the surfaced ones, which count as missed.
func (c AccuracyCounts) Measured() int { return c.Items() + c.Surfaced }

// Accuracy is the share of items held as handed off, with each surfaced
// item counted as missed: Held / (items + surfaced), between 0 and 1. ok is
// false when there is nothing to measure (no item, nothing surfaced), which
// is no score rather than a perfect one.
func Accuracy(c AccuracyCounts) (share float64, ok bool) {
	n := c.Measured()
	if n <= 0 || c.Held < 0 {
		return 0, false
	}
	return float64(c.Held) / float64(n), true
}

// Counts are what the assessment says of items: marks of items not in the
// list are ignored.
func (a Assessment) Counts(items []AssessItem) AccuracyCounts {
	var c AccuracyCounts
	for _, it := range items {
		switch a.Marks[it.Key].Verdict {
		case VerdictHeld:
			c.Held++
		case VerdictUnderScoped:
			c.UnderScoped++
		case VerdictWrong:
			c.Wrong++
		}
	}
	c.Surfaced = len(a.Surfaced)
	return c
}

// Percent formats an accuracy for people: "78%", or "—" with nothing
// measured. It never rounds to 100% when something was missed, nor to 0%
// when something held.
func Percent(c AccuracyCounts) string {
	share, ok := Accuracy(c)
	if !ok {
		return "—"
	}
	pct := math.Round(share * 100)
	switch {
	case pct == 100 && share < 1:
		pct = 99
	case pct == 0 && share > 0:
		pct = 1
	}
	return strconv.Itoa(int(pct)) + "%"
}

// Score words an accuracy for people, the same on every page, mail and
// history line: "67% held as handed off (4 of 6 items; 1 under-scoped,
// 1 wrong; 1 surfaced that the pack missed)", or "No score" when there was
// nothing to measure.
func Score(c AccuracyCounts) string {
	if _, ok := Accuracy(c); !ok {
		return "No score: the accepted pack had no commitment or risk to mark, and nothing surfaced"
	}
	return fmt.Sprintf("%s held as handed off (%d of %d %s; %d under-scoped, %d wrong; %d surfaced that the pack missed)",
		Percent(c), c.Held, c.Items(), plural(c.Items(), "item", "items"), c.UnderScoped, c.Wrong, c.Surfaced)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CheckAssessment checks an assessment as typed against the items it marks:
// every item marked, a note for each under-scoped or wrong one, each
// surfaced row complete. Blank surfaced rows are dropped first. Errors are
// keyed "mark.<key>.verdict", "mark.<key>.note", "surfaced.<i>.<field>" and
// "surfaced".
func CheckAssessment(a *Assessment, items []AssessItem) error {
	fe := FieldErrors{}
	if a.Stage != StageLock && a.Stage != StageFirstValue {
		fe.Add("stage", "Assess at the lock or at first value.")
	}
	marks := make(map[string]Mark, len(items))
	for _, it := range items {
		m := a.Marks[it.Key]
		m.Note = strings.TrimSpace(m.Note)
		f := "mark." + it.Key + "."
		switch m.Verdict {
		case "":
			fe.Add(f+"verdict", "Mark this "+it.Kind+": held as handed off, under-scoped or wrong.")
		case VerdictHeld:
		case VerdictUnderScoped, VerdictWrong:
			if m.Note == "" {
				fe.Add(f+"note", "Say what was "+strings.ToLower(OptionLabel(Verdicts, m.Verdict))+": the SE reads it.")
			}
		default:
			fe.Add(f+"verdict", "Choose held as handed off, under-scoped or wrong.")
		}
		checkLen(fe, f+"note", m.Note, MaxText)
		marks[it.Key] = m
	}
	a.Marks = marks
	// Errors name each row by its place in the form, blank rows included,
	// so they land beside the row typed; blank rows are dropped after.
	kept := a.Surfaced[:0:0]
	for i, s := range a.Surfaced {
		s.Description = strings.TrimSpace(s.Description)
		if s == (Surfaced{}) {
			continue
		}
		kept = append(kept, s)
		f := "surfaced." + itoa(i) + "."
		if s.Kind == "" {
			fe.Add(f+"kind", "Choose what kind of thing surfaced.")
		}
		checkOption(fe, f+"kind", SurfacedKinds, s.Kind, "a kind")
		if s.Description == "" {
			fe.Add(f+"description", "Describe what surfaced.")
		}
		checkLen(fe, f+"description", s.Description, MaxText)
		if s.Severity == "" {
			fe.Add(f+"severity", "Choose how severe it is.")
		}
		checkOption(fe, f+"severity", Severities, s.Severity, "a severity")
	}
	a.Surfaced = kept
	if len(kept) > MaxSurfaced {
		fe.Add("surfaced", "Record at most "+itoa(MaxSurfaced)+" things that surfaced; this has "+itoa(len(kept))+".")
	}
	return fe.Err()
}

// StageLabel names a stage for people.
func StageLabel(stage string) string {
	if stage == StageFirstValue {
		return "at first value"
	}
	return "at the lock"
}

// AssessedEvent is the SA recording (or revising) the assessment at a stage.
func AssessedEvent(stage string, c AccuracyCounts, revised bool) Event {
	verb := "Assessed"
	if revised {
		verb = "Revised the assessment of"
	}
	return Event{Kind: EventAssessed, Summary: verb + " the handoff " + StageLabel(stage) + ": " + Score(c) + "."}
}

// EventAssessed is an accuracy assessment recorded.
const EventAssessed = "assessed"

// AccuracyScope is whose handoff accuracy actor may read: an SE their own,
// managers and admins everyone's; nobody else any (an SA assesses packs but
// does not read SEs' scores).
func AccuracyScope(actor *User) PackScope {
	if s := ScopeOf(actor); s.SAID == 0 {
		return s
	}
	return PackScope{}
}

// LatestAssessment is the assessment that speaks for a pack: the one of the
// latest stage in Stages that has one (at first value, once the account is
// live, over the one at the lock). ok is false when the pack has none. SQL
// that must pick it in the database orders by the position in Stages too
// (postgres.latestAssessments).
func LatestAssessment(byStage map[string]Assessment) (a Assessment, ok bool) {
	for i := len(Stages) - 1; i >= 0; i-- {
		if a, ok := byStage[Stages[i]]; ok {
			return a, true
		}
	}
	return Assessment{}, false
}
