package web

import (
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// ClockView is one deadline as a page shows it.
type ClockView struct {
	Kind        string
	Label       string
	Due         string // YYYY-MM-DD, "" when the clock has not started
	State       deadline.State
	Relative    string // "due in 2 business days", "3 business days overdue"…
	WaitingOn   string // who owes the next step while it runs: "Sam Rivera (SE)"
	Explanation *ExplanationView
}

// Badge is the CSS class of the clock's state badge.
func (c ClockView) Badge() string {
	switch c.State {
	case deadline.StateOverdue, deadline.StateDoneLate:
		return "badge-bad"
	case deadline.StateAtRisk:
		return "badge-warn"
	case deadline.StateDoneOnTime:
		return "badge-ok"
	}
	return "badge-neutral"
}

// StateLabel is the state in a word or two, always shown beside the colour.
func (c ClockView) StateLabel() string { return c.State.Label() }

// ExplanationView shows how a due date comes about.
type ExplanationView struct {
	Rule     string
	Start    string
	Due      string
	Business bool   // business days are counted (else calendar days)
	Note     string // e.g. why the shown date differs from today's rules
	Steps    []StepView
}

// StepView is one day between start and due.
type StepView struct {
	Day     string
	Weekday string
	Counted bool
	N       int
	Reason  string
}

// PackHead is the deal summary shown atop every pack page.
type PackHead struct {
	ID               int64
	Account          string
	Opportunity      string
	Status           handoff.Status
	SEName           string
	SAName           string
	Segment          string
	ARR              string
	ClosedWonOn      string
	CRMOpportunityID string
	CRMURL           string // the opportunity in the CRM, where the page links it; "" for none
	AE               handoff.Contact
	CSM              handoff.Contact
	SubmittedVersion int
}

// DocStatus is one document's completeness and review on the pack page.
type DocStatus struct {
	Kind      handoff.DocKind
	Missing   []string
	UpdatedAt string
	UpdatedBy string
	Review    handoff.Review
	Questions []handoff.Question
	CanEdit   bool                 // this person may edit this document now
	Reply     *handoff.ReturnReply // the SE's reply to the SA's last return of it, if any
}

// PackPage is the pack overview.
type PackPage struct {
	Page
	Head         PackHead
	Clocks       []ClockView
	Docs         []DocStatus
	CanEdit      bool
	Version      int
	SubmitErrors []string
	Versions     []handoff.Version
	Events       []handoff.Event

	Reviewing  bool // the SA may review documents now
	CanAnswer  bool // the SE may answer questions now
	Ack        *AckView
	ShowArch   bool
	Assign     *AssignView
	Comment    CommentForm
	Answer     AnswerForm // a refused answer, back in its question's form
	Timeline   []TimelineItem
	Commitment []CommitmentRow // big commitments of the latest version and their decisions

	// Replies are the SE's replies to the documents the SA returned, in the
	// submit box; SubmitMessage says why a resubmit was refused.
	Replies       []ReplyForm
	SubmitMessage string
	CanCorrect    bool            // this person may correct the deal's facts now
	Corrections   []handoff.Event // corrections of the deal's facts since submission, newest first

	Closure  string        // how far the closure matrix is closed, once there is an architecture
	Accuracy *AccuracyLine // the handoff's accuracy, once locked
	Meeting  *MeetingCard  // the kickoff meeting, from submission to the acknowledgment
	// FirstValue is the SA's first value record or its due day, from the
	// kickoff on (firstvalue.templ).
	FirstValue *FirstValueCard
	// Pod is whether the account is strategic and its pod reviews, with a
	// manager's mark (podreview.templ); nil when there is nothing to say.
	Pod *PodCard
}

// AccuracyLine is a locked pack's handoff accuracy on its page.
type AccuracyLine struct {
	Assessed  bool
	Stage     string
	Counts    handoff.AccuracyCounts
	By        string
	CanAssess bool // this person (the SA) may assess or revise it
	// Again: first value is recorded since the latest assessment's stage, so
	// the SA assesses the handoff again.
	Again bool
}

// AckView is the kickoff acknowledgment box for the SA.
type AckView struct {
	Blockers []string
	Kickoff  string
	Today    string
	Error    string
	Version  int
	// Unanswered counts the questions still waiting for the SE; acknowledging
	// with any needs ConfirmOpen ticked.
	Unanswered   int
	ConfirmOpen  bool
	ConfirmError string
}

// AssignView lets a manager change the SE and SA.
type AssignView struct {
	SEs, SAs   *Options // the active SEs and SAs
	SEID, SAID string
}

// CommentForm is the comment box, with what was typed if it failed.
type CommentForm struct {
	Allowed bool
	Body    string
	Error   string
}

// AnswerForm is an answer to question QID that was refused, with what was
// typed and why.
type AnswerForm struct {
	QID   int64
	Body  string
	Error string
}

// TimelineItem is one line of the pack's timeline: an event or a comment.
type TimelineItem struct {
	At        time.Time
	Who       string
	Text      string
	IsComment bool
}

// CommitmentRow is a commitment at or above the approval threshold with the
// SA's standing decision.
type CommitmentRow struct {
	C        handoff.Commitment
	Decision *handoff.CommitmentDecision
	// Reason and Error carry a refused veto back into this row's form.
	Reason string
	Error  string
}

// ReviewForm is the SA's decision form on a document page.
type ReviewForm struct {
	Current   handoff.Review
	Decision  string
	Reason    string
	Questions string
	Errors    FieldErrors
	Version   int
}

// ArchitecturePage is the reference architecture, editable by the SA after
// kickoff, read-only once locked.
type ArchitecturePage struct {
	Page
	Head     PackHead
	Arch     handoff.Architecture
	Matrix   handoff.Matrix // the closure matrix, with the closures shown
	State    handoff.MatrixState
	Missing  []string
	Errors   FieldErrors
	Editable bool
	Locked   bool
	Version  int
	LockErr  string
	SavedBy  string
	SavedAt  string
	Conflict bool
	NotYet   bool // before kickoff there is no architecture yet
}

// ComparePage shows what changed between two versions.
type ComparePage struct {
	Page
	Head     PackHead
	Versions []handoff.Version
	From, To int
	Changes  []handoff.Change
}

// DocFormPage edits (or shows) one document.
type DocFormPage struct {
	Page
	Head     PackHead
	Kind     handoff.DocKind
	Docs     handoff.Documents // the values shown: saved, or what the person typed
	Errors   FieldErrors
	Version  int
	Editable bool
	Notice   string                // e.g. "Not saved yet" after adding a row
	Returned *handoff.Review       // the SA's return of this document, while the SE edits it
	Reply    *handoff.ReturnReply  // the SE's reply to the last return of it, for whoever reads it
	Conflict *ConflictView         // set when the save hit a newer version
	People   []handoff.Stakeholder // the saved stakeholder map, for MEDDPICC's person pickers

	ShowingVersion int         // >0 when a read-only page shows a frozen version
	Review         *ReviewForm // the SA's review form, when they may review
	Commitments    []CommitmentRow
	CanDecide      bool // the SA may approve or veto commitments now
	Threshold      string
}

// ConflictView shows the saved version beside the person's unsaved input.
type ConflictView struct {
	Current   handoff.Documents
	UpdatedBy string
	UpdatedAt string
}

// VersionPage shows a frozen submission.
type VersionPage struct {
	Page
	Head    PackHead
	Version handoff.Version
}

// MyPacksRow is one pack on a home (the SE's My packs, the SA's Inbox).
type MyPacksRow struct {
	Head     PackHead
	Clocks   []ClockView
	Missing  int
	Next     string           // what to do next, in words
	Returned []handoff.Review // documents the SA returned, with why
	Step     string           // the SA's next step on it: "Review", "Lock the architecture"…
}

// DealFormPage records a new Closed-Won deal.
type DealFormPage struct {
	Page
	In      handoff.DealInput
	Errors  FieldErrors
	SEs     []*handoff.User
	SAs     []*handoff.User
	FixedSE *handoff.User // set when an SE records their own deal
	Today   string
}

// OverduePage is the manager's overdue and at-risk lists.
type OverduePage struct {
	Page
	Clock, State, Segment, Sort string
	Owner                       string // "se", "sa" or "" for everyone
	SEID, SAID                  string
	SEs, SAs                    *Options // every SE and SA, active or not, to filter by
	Counts                      []OverdueCount
	Rows                        []OverdueRow
	NextURL                     string
	FirstPage                   bool
	Query                       string // the filters as URL parameters, for the CSV link
	Today                       string
}

// OverdueCount is one count card at the top of the lists.
type OverdueCount struct {
	Clock, Kind, State string
	Owner, OwnerLabel  string // the lane's role: "sa", "SA"
	N                  int
	Capped             bool
	URL                string
	Current            bool
}

// OverdueRow is one late or at-risk clock of a pack.
type OverdueRow struct {
	Head      PackHead
	Clock     string
	Due       string
	Late      int    // in the clock's own unit; 0 when not late
	Words     string // "3 business days overdue", "2 days overdue", "due today"
	WaitingOn string // "Sam Rivera (SE)"
}
