package handoff

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Decision is the SA's verdict on one document of the submitted version.
type Decision string

// Review decisions. The zero value is "not reviewed yet".
const (
	DecisionPending       Decision = ""
	DecisionAccepted      Decision = "accepted"
	DecisionWithQuestions Decision = "accepted_with_questions"
	DecisionReturned      Decision = "returned"
)

// ParseDecision accepts a decision's form value.
func ParseDecision(s string) (Decision, bool) {
	switch d := Decision(s); d {
	case DecisionAccepted, DecisionWithQuestions, DecisionReturned:
		return d, true
	}
	return "", false
}

// Label is the decision in plain words.
func (d Decision) Label() string {
	switch d {
	case DecisionAccepted:
		return "Accepted"
	case DecisionWithQuestions:
		return "Accepted with questions"
	case DecisionReturned:
		return "Returned for changes"
	}
	return "Not reviewed yet"
}

// Accepted reports whether the decision lets the pack be acknowledged.
func (d Decision) Accepted() bool { return d == DecisionAccepted || d == DecisionWithQuestions }

// Review is the SA's decision on one document.
type Review struct {
	Kind      DocKind
	Version   int
	Decision  Decision
	Reason    string
	DecidedBy string
	DecidedAt time.Time
}

// Question is one question asked with "accepted with questions", and the
// SE's answer, kept with it.
type Question struct {
	ID         int64
	Kind       DocKind
	Version    int
	Text       string
	AskedBy    string
	AskedAt    time.Time
	Answer     string
	AnsweredBy string
	AnsweredAt *time.Time
}

// ReviewInput is what the SA sends for one document.
type ReviewInput struct {
	Decision  string
	Reason    string
	Questions string // one question per line
}

// Validate checks a review: returning needs a reason, accepting with
// questions needs at least one question. It returns the decision and the
// questions, one per non-empty line.
func (in ReviewInput) Validate() (Decision, []string, error) {
	fe := FieldErrors{}
	d, ok := ParseDecision(in.Decision)
	if !ok {
		fe.Add("decision", "Choose: accept, accept with questions, or return for changes.")
	}
	var qs []string
	for _, line := range strings.Split(in.Questions, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			qs = append(qs, line)
		}
	}
	reason := strings.TrimSpace(in.Reason)
	switch d {
	case DecisionReturned:
		if reason == "" {
			fe.Add("reason", "Say what the SE must change; they see exactly this.")
		}
	case DecisionWithQuestions:
		if len(qs) == 0 {
			fe.Add("questions", "Write at least one question, one per line.")
		}
	}
	checkLen(fe, "reason", reason, MaxText)
	switch {
	case len(qs) > MaxQuestions:
		fe.Add("questions", "Ask at most "+itoa(MaxQuestions)+" questions at once.")
	case utf8.RuneCountInString(in.Questions) > MaxText:
		fe.Add("questions", TooLong(MaxText))
	}
	return d, qs, fe.Err()
}

// CheckEditDocument says whether actor may change one document now: while the
// pack is returned for changes, only the returned documents open up.
func CheckEditDocument(actor *User, p *Pack, kind DocKind, r Review) error {
	if err := Decide(actor, p, ActEditDocuments); err != nil {
		return err
	}
	if p.Status == StatusChangesRequested && r.Decision != DecisionReturned {
		return Errorf(ECONFLICT, "The SA did not return the %s, so it stays as submitted. Edit the returned documents, then resubmit.", kind.Title())
	}
	return nil
}

// ---- commitment approval ----

// CommitmentDecision is the SA's approve or veto of a big commitment.
type CommitmentDecision struct {
	CommitmentID string
	Fingerprint  string
	Approved     bool
	Reason       string
	DecidedBy    string
	DecidedAt    time.Time
}

// Fingerprint identifies what was promised in a commitment; a decision holds
// only while the commitment still has this fingerprint.
func Fingerprint(c Commitment) string {
	return strings.Join([]string{c.Kind, c.Description, c.Evidence, c.Value.Currency, strconv.FormatInt(c.Value.Minor, 10), c.DueOn}, "\x1f")
}

// DecisionFor returns the standing decision on c, if any.
func DecisionFor(c Commitment, decisions map[string]CommitmentDecision) (CommitmentDecision, bool) {
	d, ok := decisions[c.ID]
	if !ok || d.Fingerprint != Fingerprint(c) {
		return CommitmentDecision{}, false
	}
	return d, true
}

// UndecidedCommitments lists the big commitments of docs still awaiting the
// SA's decision.
func UndecidedCommitments(docs Documents, decisions map[string]CommitmentDecision, thresholds Thresholds) []Commitment {
	var out []Commitment
	for _, c := range docs.Commitments.Items {
		if NeedsDecision(c, thresholds) {
			if _, ok := DecisionFor(c, decisions); !ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// AckBlockers lists, in words, what stands between a submitted pack and its
// acknowledgment: documents not accepted, big commitments undecided.
func AckBlockers(reviews map[DocKind]Review, docs Documents, decisions map[string]CommitmentDecision, thresholds Thresholds) []string {
	var out []string
	for _, k := range DocKinds {
		switch r := reviews[k]; r.Decision {
		case DecisionPending:
			out = append(out, "Review the "+k.Title()+".")
		case DecisionReturned:
			out = append(out, "The "+k.Title()+" is returned; wait for the SE to resubmit.")
		}
	}
	for _, c := range UndecidedCommitments(docs, decisions, thresholds) {
		out = append(out, "Approve or veto the commitment \""+c.Description+"\".")
	}
	return out
}

// CheckKickoffDate checks the kickoff date: not in the future (in the org's
// today), not before Closed-Won.
func CheckKickoffDate(kickoff, closedWon, today time.Time) error {
	if kickoff.After(today) {
		return Errorf(EINVALID, "The kickoff date can't be in the future; acknowledge on or after the call.")
	}
	if kickoff.Before(closedWon) {
		return Errorf(EINVALID, "The kickoff can't be before Closed-Won (%s).", closedWon.Format("2006-01-02"))
	}
	return nil
}

// ParseKickoff reads the kickoff date the SA typed to acknowledge a pack won
// on closedWon, with today the org's today: a real date (ParseDate) that
// passes CheckKickoffDate. The error is keyed "kickoff_on".
func ParseKickoff(raw string, closedWon, today time.Time) (time.Time, error) {
	if strings.TrimSpace(raw) == "" {
		return time.Time{}, kickoffError(Errorf(EINVALID, "Enter the date of the kickoff call."))
	}
	kickoff, err := ParseDate(raw)
	if err == nil {
		err = CheckKickoffDate(kickoff, closedWon, today)
	}
	if err != nil {
		return time.Time{}, kickoffError(err)
	}
	return kickoff, nil
}

func kickoffError(err error) error {
	return FieldErrors{"kickoff_on": ErrorMessage(err)}.Err()
}

// CheckVerdict reads the SA's decision on a big commitment: approve, or veto
// with a reason the SE and managers will read. It reports whether it is an
// approval; errors are keyed "decision" and "reason".
func CheckVerdict(decision, reason string) (approve bool, err error) {
	fe := FieldErrors{}
	switch decision {
	case "approve":
		approve = true
	case "veto":
		if strings.TrimSpace(reason) == "" {
			fe.Add("reason", "Give a reason for the veto: the SE and managers read it.")
		}
	default:
		fe.Add("decision", "Choose approve or veto.")
	}
	checkLen(fe, "reason", strings.TrimSpace(reason), MaxText)
	return approve, fe.Err()
}

// CheckAnswer checks the SE's answer to one of the SA's questions; errors are
// keyed "answer".
func CheckAnswer(answer string) error {
	fe := FieldErrors{}
	if strings.TrimSpace(answer) == "" {
		fe.Add("answer", "Write an answer before saving it.")
	}
	checkLen(fe, "answer", strings.TrimSpace(answer), MaxText)
	return fe.Err()
}

// CheckComment checks a comment on a pack; errors are keyed "body".
func CheckComment(body string) error {
	fe := FieldErrors{}
	if strings.TrimSpace(body) == "" {
		fe.Add("body", "Write a comment before posting it.")
	}
	checkLen(fe, "body", strings.TrimSpace(body), MaxText)
	return fe.Err()
}
