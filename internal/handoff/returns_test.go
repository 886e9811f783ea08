package handoff

import (
	"strings"
	"testing"
	"time"
)

func TestCheckResubmit(t *testing.T) {
	t.Parallel()
	returned := func(kinds ...DocKind) map[DocKind]Review {
		rs := reviewsAll(DecisionAccepted)
		for _, k := range kinds {
			rs[k] = Review{Kind: k, Version: 1, Decision: DecisionReturned, Reason: "Add the CISO."}
		}
		return rs
	}
	changedStakeholders := func() Documents {
		d := completeDocs()
		d.Stakeholders.People = append(d.Stakeholders.People, Stakeholder{ID: "p-ciso", Name: "Cleo", Role: "technical_buyer"})
		return d
	}
	unchangedMsg := "You haven't changed the Stakeholder map since the SA returned it. Change it, or reply to the SA's reason saying why it stands as it is."
	tests := []struct {
		name    string
		reviews map[DocKind]Review
		draft   Documents
		replies map[DocKind]string
		want    map[string]string // field errors; nil when allowed
		message string            // part of the overall message
	}{
		{"OKReturnedDocumentChanged", returned(DocStakeholders), changedStakeholders(), nil, nil, ""},
		{"OKUnchangedWithReply", returned(DocStakeholders), completeDocs(),
			map[DocKind]string{DocStakeholders: "The CISO is out of scope: security is signed off by the CIO, who is listed."}, nil, ""},
		{"OKChangedAndReplied", returned(DocStakeholders), changedStakeholders(), map[DocKind]string{DocStakeholders: "Added Cleo."}, nil, ""},
		{"OKNothingReturned", reviewsAll(DecisionAccepted), completeDocs(), nil, nil, ""},
		{"OKFirstSubmission", map[DocKind]Review{}, completeDocs(), nil, nil, ""},
		{"ErrUnchangedWithoutReply", returned(DocStakeholders), completeDocs(), nil,
			map[string]string{"reply.stakeholders": unchangedMsg}, "the Stakeholder map is unchanged since the SA returned it"},
		{"ErrUnchangedBlankReply", returned(DocStakeholders), completeDocs(), map[DocKind]string{DocStakeholders: "  \n "},
			map[string]string{"reply.stakeholders": unchangedMsg}, "is unchanged"},
		{"ErrReplyToAnotherDocumentDoesNotCount", returned(DocStakeholders), completeDocs(), map[DocKind]string{DocRisks: "Fine as is."},
			map[string]string{"reply.stakeholders": unchangedMsg}, "is unchanged"},
		{"ErrTwoUnchanged", returned(DocStakeholders, DocRisks), completeDocs(), nil,
			map[string]string{"reply.stakeholders": unchangedMsg, "reply.risks": "You haven't changed the Risk log"},
			"the Stakeholder map and the Risk log are unchanged"},
		{"ErrOneOfTwoUnchanged", returned(DocStakeholders, DocRisks), changedStakeholders(), nil,
			map[string]string{"reply.risks": "You haven't changed the Risk log"}, "the Risk log is unchanged"},
		{"ErrReplyTooLong", returned(DocStakeholders), changedStakeholders(), map[DocKind]string{DocStakeholders: strings.Repeat("x", MaxText+1)},
			map[string]string{"reply.stakeholders": "5000 characters or fewer"}, "need your attention"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckResubmit(tt.reviews, completeDocs(), tt.draft, tt.replies)
			wantFieldKeys(t, err, tt.want)
			if tt.message != "" && !strings.Contains(ErrorMessage(err), tt.message) {
				t.Errorf("message = %q, want it to contain %q", ErrorMessage(err), tt.message)
			}
		})
	}
}

func TestUnchanged(t *testing.T) {
	t.Parallel()
	reordered := completeDocs()
	p := reordered.Stakeholders.People
	p[0], p[1] = p[1], p[0]
	renamed := completeDocs()
	renamed.Risks.Items[0].Mitigation = "Pen test booked for week 2."
	for _, tt := range []struct {
		name  string
		kind  DocKind
		draft Documents
		want  bool
	}{
		{"Same", DocStakeholders, completeDocs(), true},
		{"RowsReorderedOnly", DocStakeholders, reordered, true},
		{"AnotherDocumentChanged", DocStakeholders, renamed, true},
		{"FieldChanged", DocRisks, renamed, false},
		{"UnknownKind", DocKind("minutes"), completeDocs(), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Unchanged(tt.kind, completeDocs(), tt.draft); got != tt.want {
				t.Errorf("Unchanged(%s) = %v, want %v", tt.kind, got, tt.want)
			}
		})
	}
}

func TestCheckOpenQuestions(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		open      int
		confirmed bool
		want      string // the field message; "" when allowed
	}{
		{"OKNoneOpen", 0, false, ""},
		{"OKOpenAndConfirmed", 2, true, ""},
		{"ErrOneOpenNotConfirmed", 1, false, "1 question is unanswered. Tick the box"},
		{"ErrTwoOpenNotConfirmed", 2, false, "2 questions are unanswered. Tick the box"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckOpenQuestions(tt.open, tt.confirmed)
			if tt.want == "" {
				wantFieldKeys(t, err, nil)
				return
			}
			wantFieldKeys(t, err, map[string]string{ConfirmOpenField: tt.want})
			if msg := ErrorMessage(err); !strings.HasSuffix(msg, "unanswered — acknowledge anyway?") {
				t.Errorf("message = %q", msg)
			}
		})
	}
}

func TestUnansweredQuestions(t *testing.T) {
	t.Parallel()
	qs := []Question{{Text: "Who signs?", Answer: "The CFO."}, {Text: "SSO?"}, {Text: "EU?", Answer: "  "}}
	if got := UnansweredQuestions(qs); got != 2 {
		t.Errorf("UnansweredQuestions = %d, want 2", got)
	}
	if got := UnansweredQuestions(nil); got != 0 {
		t.Errorf("UnansweredQuestions(nil) = %d, want 0", got)
	}
}

func TestAcknowledgedOpenEvent(t *testing.T) {
	t.Parallel()
	kickoff, due := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC)
	for open, want := range map[int]string{
		0: "Acknowledged v2 at the kickoff on 2026-11-25; architecture lock due 2026-12-25.",
		1: "Acknowledged v2 at the kickoff on 2026-11-25 with 1 unanswered question; architecture lock due 2026-12-25.",
		3: "Acknowledged v2 at the kickoff on 2026-11-25 with 3 unanswered questions; architecture lock due 2026-12-25.",
	} {
		e := AcknowledgedOpenEvent(2, kickoff, due, open)
		if e.Kind != EventAcknowledged || e.Summary != want {
			t.Errorf("AcknowledgedOpenEvent(%d) = %s %q, want %q", open, e.Kind, e.Summary, want)
		}
	}
}
