package handoff

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The return loop (docs/design.md, "A pack's life"): a document the SA returned goes back to them
// changed, or with the SE's reply saying why it stands as it is; and open
// questions at kickoff are acknowledged knowingly.

// EventReplied is the SE's reply to the SA's reason for returning a document.
const EventReplied = "replied"

// ReturnReply is the SE's reply to the reason the SA returned one document
// of a submitted version, sent with the next submission.
type ReturnReply struct {
	Kind      DocKind
	Version   int    // the version the SA returned
	Reason    string // the SA's reason, as it was when they replied
	Reply     string
	RepliedBy string
	RepliedAt time.Time
}

// ReplyField is the form field of the reply to the return of kind.
func ReplyField(kind DocKind) string { return "reply." + string(kind) }

// Unchanged reports whether document kind of draft is what was submitted:
// nothing Diff would show the SA differs.
func Unchanged(kind DocKind, submitted, draft Documents) bool {
	spec, ok := kind.Spec()
	return ok && len(spec.Diff(submitted, draft)) == 0
}

// CheckResubmit says whether a pack may go back to the SA with draft, after
// the SA returned documents of the submitted version (reviews as they
// stand): each returned document changed, or replied to (replies, by kind,
// as typed). Errors are EINVALID, keyed by ReplyField: a reply too long, or
// an unchanged document without one.
func CheckResubmit(reviews map[DocKind]Review, submitted, draft Documents, replies map[DocKind]string) error {
	fe := FieldErrors{}
	var unchanged []string
	for _, k := range DocKinds {
		if reviews[k].Decision != DecisionReturned {
			continue
		}
		reply := strings.TrimSpace(replies[k])
		checkLen(fe, ReplyField(k), reply, MaxText)
		if reply == "" && Unchanged(k, submitted, draft) {
			unchanged = append(unchanged, "the "+k.Title())
			fe.Add(ReplyField(k), "You haven't changed the "+k.Title()+" since the SA returned it. Change it, or reply to the SA's reason saying why it stands as it is.")
		}
	}
	if len(fe) == 0 {
		return nil
	}
	msg := "Some replies need your attention."
	if len(unchanged) > 0 {
		msg = "Not submitted: " + joinAnd(unchanged) + " is unchanged since the SA returned it. Change it, or reply to the SA's reason saying why it stands as it is."
		if len(unchanged) > 1 {
			msg = strings.Replace(msg, " is unchanged", " are unchanged", 1)
		}
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fe}
}

// RepliedEvent is the SE replying to the SA's reason for returning kind.
func RepliedEvent(kind DocKind, reply string) Event {
	return Event{Kind: EventReplied, Summary: "Replied to the return of the " + kind.Title() + ": " + reply}
}

// ---- open questions at kickoff ----

// UnansweredQuestions counts the questions of qs the SE has not answered.
func UnansweredQuestions(qs []Question) int {
	n := 0
	for _, q := range qs {
		if strings.TrimSpace(q.Answer) == "" {
			n++
		}
	}
	return n
}

// QuestionsWords says how many questions are unanswered: "1 question is
// unanswered", "2 questions are unanswered".
func QuestionsWords(n int) string {
	if n == 1 {
		return "1 question is unanswered"
	}
	return strconv.Itoa(n) + " questions are unanswered"
}

// ConfirmOpenField is the acknowledge form's tick box that says "yes, with
// the questions still open".
const ConfirmOpenField = "confirm_open"

// CheckOpenQuestions says whether a pack with unanswered questions (n) may
// be acknowledged: only when the SA confirmed they acknowledge anyway. The
// error is EINVALID, keyed ConfirmOpenField.
func CheckOpenQuestions(n int, confirmed bool) error {
	if n == 0 || confirmed {
		return nil
	}
	return &Error{Code: EINVALID, Message: QuestionsWords(n) + " — acknowledge anyway?",
		Fields: FieldErrors{ConfirmOpenField: QuestionsWords(n) + ". Tick the box to acknowledge anyway, or wait for the SE's answers."}}
}

// AcknowledgedOpenEvent is AcknowledgedEvent for a pack acknowledged with
// open questions (unanswered) still waiting for the SE.
func AcknowledgedOpenEvent(n int, kickoff, lockDue time.Time, unanswered int) Event {
	if unanswered == 0 {
		return AcknowledgedEvent(n, kickoff, lockDue)
	}
	word := "questions"
	if unanswered == 1 {
		word = "question"
	}
	return Event{Kind: EventAcknowledged, Summary: fmt.Sprintf("Acknowledged v%d at the kickoff on %s with %d unanswered %s; architecture lock due %s.",
		n, eventDay(kickoff), unanswered, word, eventDay(lockDue))}
}
