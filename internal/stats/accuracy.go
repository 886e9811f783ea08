package stats

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Handoff accuracy per SE and per calendar quarter. The arithmetic is
// handoff.Accuracy on summed counts: an SE's or a quarter's figure is that of
// all its packs' items together, never an average of per-pack percentages,
// so a pack with forty commitments weighs forty times one with one.

// Quarter is a calendar quarter, such as 2026-Q4.
type Quarter struct {
	Year int
	Q    int // 1 to 4
}

// QuarterOf is the quarter day d falls in. d is the org's day (assessed_on),
// so quarters turn at midnight in the org's time zone, not in UTC.
func QuarterOf(d deadline.Day) Quarter {
	y, m, _ := d.Date()
	return Quarter{Year: y, Q: (int(m)-1)/3 + 1}
}

// Add is the quarter n quarters after q (before it when n is negative).
func (q Quarter) Add(n int) Quarter {
	i := q.Year*4 + q.Q - 1 + n
	y, r := i/4, i%4
	if r < 0 { // Go truncates toward zero; quarters before year 0 need the floor
		y, r = y-1, r+4
	}
	return Quarter{Year: y, Q: r + 1}
}

// Start is the quarter's first day.
func (q Quarter) Start() deadline.Day {
	return deadline.NewDay(q.Year, time.Month(3*(q.Q-1)+1), 1)
}

// End is the quarter's last day.
func (q Quarter) End() deadline.Day { return q.Add(1).Start().AddDays(-1) }

// String is the quarter as pages and the CSV write it: "2026-Q4".
func (q Quarter) String() string {
	return strconv.Itoa(q.Year) + "-Q" + strconv.Itoa(q.Q)
}

const (
	// DefaultAccuracyQuarters is the period shown when none is chosen: a
	// year, long enough for a fair figure per SE.
	DefaultAccuracyQuarters = 4
	// TrendQuarters is how far back the trend reaches, whatever the period:
	// two years, so a quarter is seen against the same one a year before.
	TrendQuarters = 8
)

// AccuracyPeriods are the periods a person may choose: this quarter, the
// last four, the last eight.
var AccuracyPeriods = []int{1, 4, 8}

// ValidAccuracyQuarters reports whether n is one of AccuracyPeriods.
func ValidAccuracyQuarters(n int) bool { return slices.Contains(AccuracyPeriods, n) }

// Period is the last N calendar quarters, today's included.
type Period struct {
	Quarters    int
	First, Last Quarter
}

// PeriodOf is the n quarters ending with today's (n < 1 counts as 1).
// Today's quarter is whole in the bounds: nothing is assessed in the future,
// and a quarter that is still running is still "this quarter".
func PeriodOf(today deadline.Day, n int) Period {
	n = max(n, 1)
	last := QuarterOf(today)
	return Period{Quarters: n, First: last.Add(1 - n), Last: last}
}

// Since is the period's first day.
func (p Period) Since() deadline.Day { return p.First.Start() }

// Until is the first day after the period: bounds are [Since, Until).
func (p Period) Until() deadline.Day { return p.Last.Add(1).Start() }

// Contains reports whether day d is in the period.
func (p Period) Contains(d deadline.Day) bool {
	return !d.Before(p.Since()) && d.Before(p.Until())
}

// List is the period's quarters, oldest first.
func (p Period) List() []Quarter {
	out := make([]Quarter, 0, p.Quarters)
	for i := range p.Quarters {
		out = append(out, p.First.Add(i))
	}
	return out
}

// String names the period for people: "2026-Q4", or "2026-Q1 to 2026-Q4".
func (p Period) String() string {
	if p.First == p.Last {
		return p.First.String()
	}
	return p.First.String() + " to " + p.Last.String()
}

// AccuracyGroup is the accuracy of a set of packs: their latest
// assessments' counts, summed.
type AccuracyGroup struct {
	SEID   int64 // for an SE's row; 0 for everyone or a quarter
	Name   string
	Packs  int
	Counts handoff.AccuracyCounts
}

// Items is how many commitments and risks were marked.
func (g AccuracyGroup) Items() int { return g.Counts.Items() }

// Accuracy is the group's share held as handed off; ok is false when there
// is nothing to measure (handoff.Accuracy).
func (g AccuracyGroup) Accuracy() (share float64, ok bool) { return handoff.Accuracy(g.Counts) }

func (g *AccuracyGroup) add(r postgres.AssessedPack) {
	g.Packs++
	g.Counts = g.Counts.Add(r.Counts())
}

// QuarterAccuracy is one quarter of the trend. A quarter whose Accuracy is
// not ok is a gap, nothing measured, and never drawn as 0%.
type QuarterAccuracy struct {
	Quarter Quarter
	AccuracyGroup
}

// AccuracyReport is everything the accuracy page shows.
type AccuracyReport struct {
	Period Period
	All    AccuracyGroup     // every pack of the period
	BySE   []AccuracyGroup   // per SE, by name
	Trend  []QuarterAccuracy // the last TrendQuarters quarters, oldest first, gaps included
}

// BuildAccuracy computes the report for the period of quarters quarters
// ending today from rows, each pack's latest assessment (as storage picks
// it, handoff.LatestAssessment). Rows older than the trend reaches, or after
// today's quarter, count nowhere.
func BuildAccuracy(rows []postgres.AssessedPack, today deadline.Day, quarters int) AccuracyReport {
	period := PeriodOf(today, quarters)
	trend := PeriodOf(today, TrendQuarters)
	rep := AccuracyReport{Period: period, All: AccuracyGroup{Name: "Everyone"}}
	byQuarter := map[Quarter]*QuarterAccuracy{}
	for _, q := range trend.List() {
		byQuarter[q] = &QuarterAccuracy{Quarter: q, AccuracyGroup: AccuracyGroup{Name: q.String()}}
	}
	bySE := map[int64]*AccuracyGroup{} // by id: two SEs may share a name
	for _, r := range rows {
		day := deadline.DayOf(r.AssessedOn, time.UTC)
		if qa := byQuarter[QuarterOf(day)]; qa != nil {
			qa.add(r)
		}
		if !period.Contains(day) {
			continue
		}
		rep.All.add(r)
		// The SE who handed off (stored with the assessment), whoever holds
		// the deal now.
		se := bySE[r.SEID]
		if se == nil {
			se = &AccuracyGroup{SEID: r.SEID, Name: r.SEName}
			bySE[r.SEID] = se
		}
		se.add(r)
	}
	for _, q := range trend.List() {
		rep.Trend = append(rep.Trend, *byQuarter[q])
	}
	for _, g := range bySE {
		rep.BySE = append(rep.BySE, *g)
	}
	sort.Slice(rep.BySE, func(i, j int) bool {
		a, b := rep.BySE[i], rep.BySE[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.SEID < b.SEID
	})
	return rep
}

// HasTrend reports whether any quarter of the trend has an assessed pack.
func (r AccuracyReport) HasTrend() bool {
	for _, q := range r.Trend {
		if q.Packs > 0 {
			return true
		}
	}
	return false
}
