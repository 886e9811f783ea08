package handoff

import (
	"math"
	"strings"
	"testing"
	"testing/quick"
)

func TestAccuracy(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		c     AccuracyCounts
		share float64
		ok    bool
		pct   string
	}{
		{"nothing to measure is no score", AccuracyCounts{}, 0, false, "—"},
		{"all held", AccuracyCounts{Held: 4}, 1, true, "100%"},
		{"one of four under-scoped", AccuracyCounts{Held: 3, UnderScoped: 1}, 0.75, true, "75%"},
		{"wrong counts like under-scoped", AccuracyCounts{Held: 3, Wrong: 1}, 0.75, true, "75%"},
		{"a surfaced item counts as missed", AccuracyCounts{Held: 3, Surfaced: 1}, 0.75, true, "75%"},
		{"only surfaced", AccuracyCounts{Surfaced: 2}, 0, true, "0%"},
		{"mixed", AccuracyCounts{Held: 7, UnderScoped: 1, Wrong: 1, Surfaced: 1}, 0.7, true, "70%"},
		{"rounds to whole percent", AccuracyCounts{Held: 2, Wrong: 1}, 2.0 / 3, true, "67%"},
		{"never 100% with a miss", AccuracyCounts{Held: 249, Wrong: 1}, 0.996, true, "99%"},
		{"never 0% with a hold", AccuracyCounts{Held: 1, Surfaced: 249}, 0.004, true, "1%"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			share, ok := Accuracy(tt.c)
			if ok != tt.ok || math.Abs(share-tt.share) > 1e-9 {
				t.Errorf("Accuracy(%+v) = %v, %v; want %v, %v", tt.c, share, ok, tt.share, tt.ok)
			}
			if got := Percent(tt.c); got != tt.pct {
				t.Errorf("Percent = %q, want %q", got, tt.pct)
			}
		})
	}
}

// smallCounts makes counts from random bytes, kept small so sums stay exact.
func smallCounts(a, b, c, d uint8) AccuracyCounts {
	return AccuracyCounts{int(a % 50), int(b % 50), int(c % 50), int(d % 50)}
}

func TestAccuracyProperties(t *testing.T) {
	t.Parallel()
	cfg := &quick.Config{MaxCount: 2000, Rand: nil}
	// Bounds: a share is between 0 and 1, and there is one exactly when
	// something was measured.
	bounds := func(a, b, c, d uint8) bool {
		counts := smallCounts(a, b, c, d)
		share, ok := Accuracy(counts)
		return ok == (counts.Measured() > 0) && share >= 0 && share <= 1
	}
	if err := quick.Check(bounds, cfg); err != nil {
		t.Error("bounds:", err)
	}
	// Monotonic in each item: an item marked better never lowers the
	// share, worse never raises it, and one more surfaced item never
	// raises it.
	monotonic := func(a, b, c, d uint8, which uint8) bool {
		counts := smallCounts(a, b, c, d)
		before, _ := Accuracy(counts)
		better := counts
		switch which % 3 {
		case 0: // an under-scoped item turns out held
			if better.UnderScoped == 0 {
				return true
			}
			better.UnderScoped--
			better.Held++
		case 1: // a wrong item turns out held
			if better.Wrong == 0 {
				return true
			}
			better.Wrong--
			better.Held++
		case 2: // one thing fewer surfaced
			if better.Surfaced == 0 {
				return true
			}
			better.Surfaced--
		}
		after, ok := Accuracy(better)
		if !ok {
			return better.Measured() == 0
		}
		return after >= before
	}
	if err := quick.Check(monotonic, cfg); err != nil {
		t.Error("monotonic:", err)
	}
	// Pooling: the accuracy of two packs together lies between theirs.
	pooled := func(a, b, c, d, e, f, g, h uint8) bool {
		x, y := smallCounts(a, b, c, d), smallCounts(e, f, g, h)
		sx, okx := Accuracy(x)
		sy, oky := Accuracy(y)
		s, ok := Accuracy(x.Add(y))
		if !okx || !oky {
			return ok == (okx || oky)
		}
		return s >= math.Min(sx, sy)-1e-12 && s <= math.Max(sx, sy)+1e-12
	}
	if err := quick.Check(pooled, cfg); err != nil {
		t.Error("pooled:", err)
	}
}

func TestScore(t *testing.T) {
	t.Parallel()
	for c, want := range map[AccuracyCounts]string{
		{}:            "No score: the accepted pack had no commitment or risk to mark, and nothing surfaced",
		{Held: 1}:     "100% held as handed off (1 of 1 item; 0 under-scoped, 0 wrong; 0 surfaced that the pack missed)",
		{Surfaced: 2}: "0% held as handed off (0 of 0 items; 0 under-scoped, 0 wrong; 2 surfaced that the pack missed)",
		{Held: 4, UnderScoped: 1, Wrong: 1, Surfaced: 1}: "57% held as handed off (4 of 6 items; 1 under-scoped, 1 wrong; 1 surfaced that the pack missed)",
	} {
		if got := Score(c); got != want {
			t.Errorf("Score(%+v) = %q, want %q", c, got, want)
		}
	}
}

func TestAssessmentCounts(t *testing.T) {
	t.Parallel()
	docs, _ := matrixDocs()
	items := AssessItems(docs)
	// Every commitment and every risk, whatever its status or decision.
	if len(items) != 5 || items[0].Key != "c-k1" || items[4].Key != "r-r3" {
		t.Fatalf("AssessItems = %+v", items)
	}
	a := Assessment{Stage: StageLock, Marks: map[string]Mark{
		"c-k1": {Verdict: VerdictHeld}, "c-k2": {Verdict: VerdictWrong, Note: "It was a connector after all."},
		"r-r1": {Verdict: VerdictUnderScoped, Note: "Two SAP systems."}, "r-r2": {Verdict: VerdictHeld}, "r-r3": {Verdict: VerdictHeld},
		"c-gone": {Verdict: VerdictWrong, Note: "not an item"},
	}, Surfaced: []Surfaced{{Kind: "stakeholder", Description: "A new CISO", Severity: "high"}}}
	want := AccuracyCounts{Held: 3, UnderScoped: 1, Wrong: 1, Surfaced: 1}
	if got := a.Counts(items); got != want {
		t.Errorf("Counts = %+v, want %+v", got, want)
	}
}

func TestCheckAssessment(t *testing.T) {
	t.Parallel()
	docs, _ := matrixDocs()
	items := AssessItems(docs)[:2]
	held := func() map[string]Mark {
		return map[string]Mark{"c-k1": {Verdict: VerdictHeld}, "c-k2": {Verdict: VerdictHeld}}
	}
	for _, tt := range []struct {
		name   string
		a      Assessment
		fields []string
	}{
		{"all held, nothing surfaced", Assessment{Stage: StageLock, Marks: held()}, nil},
		{"blank surfaced rows are dropped", Assessment{Stage: StageLock, Marks: held(), Surfaced: []Surfaced{{}, {Description: "  "}}}, nil},
		{"an item unmarked", Assessment{Stage: StageLock, Marks: map[string]Mark{"c-k1": {Verdict: VerdictHeld}}}, []string{"mark.c-k2.verdict"}},
		{"under-scoped needs a note", Assessment{Stage: StageLock, Marks: map[string]Mark{"c-k1": {Verdict: VerdictHeld}, "c-k2": {Verdict: VerdictUnderScoped, Note: " "}}}, []string{"mark.c-k2.note"}},
		{"a made-up verdict", Assessment{Stage: StageLock, Marks: map[string]Mark{"c-k1": {Verdict: "great"}, "c-k2": {Verdict: VerdictHeld}}}, []string{"mark.c-k1.verdict"}},
		{"a surfaced row half done keeps its place", Assessment{Stage: StageLock, Marks: held(), Surfaced: []Surfaced{{}, {Description: "New CISO"}}},
			[]string{"surfaced.1.kind", "surfaced.1.severity"}},
		{"a surfaced kind off the list", Assessment{Stage: StageLock, Marks: held(), Surfaced: []Surfaced{{Kind: "gossip", Description: "x", Severity: "low"}}},
			[]string{"surfaced.0.kind"}},
		{"an unknown stage", Assessment{Stage: "whenever", Marks: held()}, []string{"stage"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			wantInvalidFieldSet(t, CheckAssessment(&a, items), tt.fields...)
			if tt.fields == nil && len(a.Surfaced) != 0 {
				t.Errorf("blank surfaced rows kept: %+v", a.Surfaced)
			}
		})
	}
	t.Run("too many surfaced", func(t *testing.T) {
		a := Assessment{Stage: StageLock, Marks: held()}
		for range MaxSurfaced + 1 {
			a.Surfaced = append(a.Surfaced, Surfaced{Kind: "risk", Description: "x", Severity: "low"})
		}
		err := CheckAssessment(&a, items)
		if msg := InvalidFields(err)["surfaced"]; !strings.Contains(msg, "at most 50") {
			t.Errorf("error = %q", msg)
		}
	})
}

func TestAccuracyScope(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		u    *User
		want PackScope
	}{
		{&User{ID: 7, Role: RoleSE, Active: true}, PackScope{SEID: 7}},
		{&User{ID: 8, Role: RoleManager, Active: true}, PackScope{All: true}},
		{&User{ID: 9, Role: RoleAdmin, Active: true}, PackScope{All: true}},
		{&User{ID: 10, Role: RoleSA, Active: true}, PackScope{}},
		{&User{ID: 7, Role: RoleSE, Active: false}, PackScope{}},
		{nil, PackScope{}},
	} {
		if got := AccuracyScope(tt.u); got != tt.want {
			t.Errorf("AccuracyScope(%+v) = %+v, want %+v", tt.u, got, tt.want)
		}
	}
}

func TestLatestAssessment(t *testing.T) {
	t.Parallel()
	lock, fv := Assessment{Stage: StageLock}, Assessment{Stage: StageFirstValue}
	for _, tt := range []struct {
		by   map[string]Assessment
		want string
		ok   bool
	}{
		{nil, "", false},
		{map[string]Assessment{StageLock: lock}, StageLock, true},
		{map[string]Assessment{StageLock: lock, StageFirstValue: fv}, StageFirstValue, true},
		{map[string]Assessment{StageFirstValue: fv}, StageFirstValue, true},
	} {
		if a, ok := LatestAssessment(tt.by); ok != tt.ok || a.Stage != tt.want {
			t.Errorf("LatestAssessment(%v) = %q, %v; want %q, %v", tt.by, a.Stage, ok, tt.want, tt.ok)
		}
	}
}

func TestAssessmentStage(t *testing.T) {
	t.Parallel()
	locked := &Pack{Status: StatusLocked}
	if got := AssessmentStage(locked); got != StageLock {
		t.Errorf("locked, no first value: %q", got)
	}
	for _, st := range []Status{StatusAcknowledged, StatusLocked} {
		p := &Pack{Status: st, FirstValue: &FirstValue{What: "Live"}}
		if got := AssessmentStage(p); got != StageFirstValue {
			t.Errorf("%s with first value: %q, want first value", st, got)
		}
	}
}
