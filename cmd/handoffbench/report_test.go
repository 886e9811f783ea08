package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func TestShareOf(t *testing.T) {
	for _, c := range []struct {
		name         string
		rps, ceiling float64
		want         float64
		wantOK       bool
	}{
		{"OKFraction", 250, 10000, 0.025, true},
		{"OKAboveCeiling", 12000, 10000, 1.2, true},
		{"NotJudgedNoCeiling", 250, 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := shareOf(c.rps, c.ceiling)
			if ok != c.wantOK || got != c.want {
				t.Errorf("shareOf(%v, %v) = %v, %v; want %v, %v", c.rps, c.ceiling, got, ok, c.want, c.wantOK)
			}
		})
	}
}

func TestTargetJudge(t *testing.T) {
	overdue := target{minShare: 0.025, maxP99ms: 50}
	for _, c := range []struct {
		name    string
		t       target
		share   float64
		shareOK bool
		p99     time.Duration
		failed  bool
		want    string
		wantO   outcome
	}{
		{"Met", overdue, 0.03, true, 40 * time.Millisecond, false, "≥ 2.5% ✓, p99 ≤ 50 ms ✓", met},
		{"MetAtTheBounds", overdue, 0.025, true, 50 * time.Millisecond, false, "≥ 2.5% ✓, p99 ≤ 50 ms ✓", met},
		{"MissedP99", overdue, 0.03, true, 51 * time.Millisecond, false, "≥ 2.5% ✓, p99 ≤ 50 ms ✗", missed},
		{"MissedShare", target{minShare: 0.04, maxP99ms: 30}, 0.0399, true, 10 * time.Millisecond, false, "≥ 4% ✗, p99 ≤ 30 ms ✓", missed},
		{"NotJudgedWithoutHealthz", overdue, 0, false, 10 * time.Millisecond, false, "≥ 2.5% ? (no healthz), p99 ≤ 50 ms ✓", notJudged},
		{"MissedBeatsNotJudged", overdue, 0, false, 90 * time.Millisecond, false, "≥ 2.5% ? (no healthz), p99 ≤ 50 ms ✗", missed},
		{"MissedOnErrors", overdue, 0.5, true, time.Millisecond, true, "≥ 2.5% ✓, p99 ≤ 50 ms ✓, errors ≤ 1% ✗", missed},
		{"Ceiling", target{}, 1, true, time.Millisecond, false, "— (ceiling)", notJudged},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, o := c.t.judge(c.share, c.shareOK, c.p99, c.failed)
			if got != c.want || o != c.wantO {
				t.Errorf("judge = %q, %v; want %q, %v", got, o, c.want, c.wantO)
			}
		})
	}
}

func TestGrowth(t *testing.T) {
	for _, c := range []struct {
		name      string
		p99, base float64
		wantRatio float64
		want      outcome
	}{
		{"Met", 103, 72.1, 103 / 72.1, met},
		{"MissedAtTwice", 100, 50, 2, missed},
		{"MetJustUnder", 99.9, 50, 99.9 / 50, met},
		{"NotJudgedZeroBaseline", 10, 0, 0, notJudged},
	} {
		t.Run(c.name, func(t *testing.T) {
			ratio, o := growth(c.p99, c.base)
			if math.Abs(ratio-c.wantRatio) > 1e-9 || o != c.want {
				t.Errorf("growth(%v, %v) = %v, %v; want %v, %v", c.p99, c.base, ratio, o, c.wantRatio, c.want)
			}
		})
	}
}

// benchResults is a run: the ceiling, a page meeting its target, one missing it.
func benchResults() []result {
	return []result{
		{name: "healthz (ceiling)", ceiling: true, requests: 100000, rps: 10000, p99: 2 * time.Millisecond},
		{name: "Overdue page", target: targetOverdue, requests: 3000, rps: 300, p99: 40 * time.Millisecond},
		{name: "pack page", target: targetPack, requests: 3000, rps: 300, p99: 35 * time.Millisecond},
	}
}

func TestAssessShares(t *testing.T) {
	rows := assess(benchResults(), nil)
	if !rows[1].shareOK || rows[1].share != 0.03 || rows[1].outcome != met {
		t.Errorf("Overdue: share %v (%v), %v; want 0.03, met", rows[1].share, rows[1].shareOK, rows[1].outcome)
	}
	if want := "≥ 4% ✗, p99 ≤ 30 ms ✗"; rows[2].goals != want || rows[2].outcome != missed {
		t.Errorf("pack page: %q, %v; want %q, missed", rows[2].goals, rows[2].outcome, want)
	}

	t.Run("NotJudgedWithoutHealthz", func(t *testing.T) {
		rows := assess(benchResults()[1:], nil)
		if rows[0].shareOK || rows[0].outcome != notJudged {
			t.Errorf("Overdue without healthz: shareOK %v, %v; want not judged", rows[0].shareOK, rows[0].outcome)
		}
		var out bytes.Buffer
		printResults(&out, rows, 16, false)
		if !strings.Contains(out.String(), "share of healthz: cannot be judged") {
			t.Errorf("table does not say the share cannot be judged:\n%s", out.String())
		}
	})

	t.Run("NotJudgedWhenHealthzFailed", func(t *testing.T) {
		rs := benchResults()
		rs[0].errors = rs[0].requests
		if rows := assess(rs, nil); rows[1].shareOK {
			t.Errorf("a failed healthz still judges shares")
		}
	})
}

func TestAssessBaseline(t *testing.T) {
	base := &benchFile{Scenarios: []fileScenario{
		{Scenario: "healthz (ceiling)", P99ms: 1},
		{Scenario: "Overdue page", P99ms: 25},
	}}
	rows := assess(benchResults(), base)
	if rows[0].baseNote != "2.00× of 1.0 ms" {
		t.Errorf("healthz baseline note %q: the ceiling has no target, so no mark", rows[0].baseNote)
	}
	// 40 ms against 25 ms is 1.6×: under 2×.
	if rows[1].vsBase != met || rows[1].baseNote != "1.60× of 25.0 ms ✓" {
		t.Errorf("Overdue vs baseline: %v %q; want met, \"1.60× of 25.0 ms ✓\"", rows[1].vsBase, rows[1].baseNote)
	}
	if rows[2].vsBase != notJudged || rows[2].baseNote != "— (not in baseline)" {
		t.Errorf("pack page vs baseline: %v %q; want not judged", rows[2].vsBase, rows[2].baseNote)
	}
	var out bytes.Buffer
	printResults(&out, rows, 16, true)
	if !strings.Contains(out.String(), "| p99 vs baseline |") {
		t.Errorf("no baseline column:\n%s", out.String())
	}
}

func TestTally(t *testing.T) {
	mem := memory{ok: true, hwm: 100 * 1024}
	t.Run("WithoutBaseline", func(t *testing.T) {
		got := tallyTargets(assess(benchResults(), nil), mem, false)
		if got.met != 2 || got.total != 3 {
			t.Errorf("tally %d of %d; want 2 of 3 (Overdue, RSS met; pack page missed)", got.met, got.total)
		}
		want := "targets: 2 of 3 met — missed: pack page (a missed target does not fail the run)"
		if got.String() != want {
			t.Errorf("verdict\n%q\nwant\n%q", got.String(), want)
		}
	})
	t.Run("WithBaseline", func(t *testing.T) {
		base := &benchFile{Scenarios: []fileScenario{{Scenario: "Overdue page", P99ms: 10}, {Scenario: "pack page", P99ms: 30}}}
		got := tallyTargets(assess(benchResults(), base), mem, true)
		// Overdue's 40 ms is 4× its 10 ms: the growth target misses.
		if got.met != 2 || got.total != 4 || len(got.missed) != 2 || !strings.Contains(got.missed[1], "baseline") {
			t.Errorf("tally %+v; want 2 of 4, pack page and the growth missed", got)
		}
	})
	t.Run("NotJudged", func(t *testing.T) {
		got := tallyTargets(assess(benchResults()[1:2], nil), memory{}, false).String()
		want := "targets: 0 of 2 met — not judged: Overdue page; server RSS ≤ 150 MB"
		if got != want {
			t.Errorf("verdict\n%q\nwant\n%q", got, want)
		}
	})
	t.Run("RSSMissed", func(t *testing.T) {
		if o := (memory{ok: true, hwm: 151 * 1024}).outcome(); o != missed {
			t.Errorf("151 MB: %v, want missed", o)
		}
	})
}
