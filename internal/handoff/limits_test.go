package handoff

import (
	"strings"
	"testing"
	"time"
)

func TestValidRowID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{NewRowID(), true},
		{"abcdefghij27", true},
		{"", false},
		{"abcdefghij2", false},
		{"abcdefghij278", false},
		{"ABCDEFGHIJ27", false},
		{"abcdefghij18", false}, // 0, 1, 8, 9 are not base32
		{"../../48/lock?", false},
		{"abcdefghij2/", false},
		{"abcdefghijk\n", false},
	} {
		if got := ValidRowID(tc.id); got != tc.want {
			t.Errorf("ValidRowID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

func TestDocumentLimits(t *testing.T) {
	t.Parallel()
	many := func(n int) []Commitment {
		out := make([]Commitment, n)
		for i := range out {
			out[i] = Commitment{Kind: "other", Description: "d", Evidence: "roadmap"}
		}
		return out
	}
	long := strings.Repeat("x", MaxText+1)
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		err   error
		field string // "" means no error
	}{
		{"MaxRowsCommitmentsOK", Commitments{Items: many(MaxRows)}.Validate(), ""},
		{"ErrTooManyCommitments", Commitments{Items: many(MaxRows + 1)}.Validate(), "items"},
		{"ErrTooManyCriteria", POC{Criteria: make([]Criterion, MaxRows+1)}.Validate(), "criteria"},
		{"ErrTooManyPeople", Stakeholders{People: make([]Stakeholder, MaxRows+1)}.Validate(), "people"},
		{"ErrTooManyRisks", Risks{Items: make([]Risk, MaxRows+1)}.Validate(), "items"},
		{"ErrRepeatedRowID", Risks{Items: []Risk{
			{ID: "abcdefghijkl", Category: "other", Description: "a", Severity: "low"},
			{ID: "abcdefghijkl", Category: "other", Description: "b", Severity: "low"}}}.Validate(), "items.1.id"},
		{"ErrLongMitigation", Risks{Items: []Risk{{Category: "other", Description: "a", Severity: "low", Mitigation: long}}}.Validate(), "items.0.mitigation"},
		{"ErrLongLink", (&Architecture{DocLink: "https://x.example/" + strings.Repeat("a", MaxLink)}).Validate(day, day), "doc_link"},
		{"ErrLongPartLink", (&Architecture{Scale: ArchPart{Link: "https://x.example/" + strings.Repeat("a", MaxLink)}}).Validate(day, day), "scale.link"},
		{"ErrLongReturnReason", func() error { _, _, err := (ReviewInput{Decision: "returned", Reason: long}).Validate(); return err }(), "reason"},
		{"ErrLongQuestions", func() error {
			_, _, err := (ReviewInput{Decision: "accepted_with_questions", Questions: long}).Validate()
			return err
		}(), "questions"},
		{"ErrVetoWithoutReason", func() error { _, err := CheckVerdict("veto", "  "); return err }(), "reason"},
		{"ErrLongVetoReason", func() error { _, err := CheckVerdict("veto", long); return err }(), "reason"},
		{"ErrNoVerdict", func() error { _, err := CheckVerdict("maybe", ""); return err }(), "decision"},
		{"ApproveOK", func() error { _, err := CheckVerdict("approve", ""); return err }(), ""},
		{"ErrLongAnswer", CheckAnswer(long), "answer"},
		{"ErrEmptyAnswer", CheckAnswer(" "), "answer"},
		{"AnswerAtLimitOK", CheckAnswer(strings.Repeat("é", MaxText)), ""},
		{"ErrLongComment", CheckComment(long), "body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := InvalidFields(tc.err)
			if tc.field == "" {
				if tc.err != nil {
					t.Fatalf("unexpected error: %v", tc.err)
				}
				return
			}
			if fields[tc.field] == "" {
				t.Fatalf("no message on %q; got %v", tc.field, fields)
			}
		})
	}
}
