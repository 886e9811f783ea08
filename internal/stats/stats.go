// Package stats turns a window of packs into the manager's numbers: on-time
// submission, median business days per step, per SE and per SA, SA load
// against the staffing guide, and the weekly trend. It is pure: storage reads
// the rows, the deadline calendar counts the days.
package stats

import (
	"slices"
	"sort"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Median is a median of business days, with how many values it is over.
type Median struct {
	Value float64
	N     int
}

func median(xs []int) Median {
	if len(xs) == 0 {
		return Median{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := float64(s[len(s)/2])
	if len(s)%2 == 0 {
		m = float64(s[len(s)/2-1]+s[len(s)/2]) / 2
	}
	return Median{Value: m, N: len(s)}
}

// Group is the numbers of one group of packs (everyone, an SE, an SA).
type Group struct {
	Name          string
	Packs         int
	Decided       int // packs whose pack clock is decided: submitted, or past due unsubmitted
	OnTime        int
	Late          int
	ToSubmit      Median // Closed-Won → first submission
	ToKickoff     Median // Closed-Won → kickoff (acknowledged)
	KickoffToLock Median // kickoff → architecture lock
}

// OnTimePct is the on-time submission rate, or -1 when nothing is decided.
func (g Group) OnTimePct() float64 {
	if g.Decided == 0 {
		return -1
	}
	return 100 * float64(g.OnTime) / float64(g.Decided)
}

// Week is one week of the on-time trend (by Closed-Won week, Monday first).
type Week struct {
	Start   deadline.Day
	Decided int
	OnTime  int
}

// Load is one SA's open accounts against the staffing guide.
type Load struct {
	Name      string
	Strategic int // strategic and enterprise accounts: guide 1:8–15
	Volume    int // commercial and mid-market accounts: guide 1:20–30
	Share     float64
	Over      bool
}

// Report is everything the stats page shows.
type Report struct {
	Since   deadline.Day
	Today   deadline.Day
	All     Group
	BySE    []Group
	BySA    []Group
	Weeks   []Week
	Loads   []Load
	Pending int // packs in the window whose pack clock is not due yet and unsubmitted
}

// Build computes the report over rows (packs won since since) at now.
func Build(cal *deadline.Calendar, rows []postgres.StatsPack, loads []postgres.SALoad, since deadline.Day, now time.Time) Report {
	today := cal.Today(now)
	rep := Report{Since: since, Today: today, All: Group{Name: "Everyone"}}
	type acc struct {
		g                   Group
		sub, kick, lockDays []int
	}
	all := &acc{g: rep.All}
	bySE, bySA := map[int64]*acc{}, map[int64]*acc{}
	weeks := map[deadline.Day]*Week{}
	loc := cal.Location()

	for _, r := range rows {
		cw := deadline.DayOf(r.ClosedWonOn, time.UTC)
		due := deadline.DayOf(r.PackDueOn, time.UTC)
		se := bySE[r.SEID]
		if se == nil {
			se = &acc{g: Group{Name: r.SEName}}
			bySE[r.SEID] = se
		}
		groups := []*acc{all, se}
		if r.SAID != 0 {
			sa := bySA[r.SAID]
			if sa == nil {
				sa = &acc{g: Group{Name: r.SAName}}
				bySA[r.SAID] = sa
			}
			groups = append(groups, sa)
		}
		week := cw.AddDays(-((int(cw.Weekday()) + 6) % 7))
		w := weeks[week]
		if w == nil {
			w = &Week{Start: week}
			weeks[week] = w
		}

		// The pack clock as the clock model judges it: done on time, done
		// late, or still open; an open clock past its due day is late already.
		// The due day is the stored one, so the rule only names the clock.
		var sub deadline.Day
		if r.FirstSubmittedAt != nil {
			sub = deadline.DayOf(*r.FirstSubmittedAt, loc)
		}
		state := cal.EvaluateDue(deadline.PackRule(0), cw, due, sub, now).State
		decided := state.IsDone() || state == deadline.StateOverdue
		onTime := state == deadline.StateDoneOnTime
		if !decided {
			rep.Pending++
		}
		var subDays, kickDays, lockDays = -1, -1, -1
		if !sub.IsZero() {
			subDays = max(0, cal.BusinessDaysBetween(cw, sub))
		}
		if r.KickoffOn != nil {
			k := deadline.DayOf(*r.KickoffOn, time.UTC)
			kickDays = max(0, cal.BusinessDaysBetween(cw, k))
			if r.LockedAt != nil {
				lockDays = max(0, cal.BusinessDaysBetween(k, deadline.DayOf(*r.LockedAt, loc)))
			}
		}
		for _, a := range groups {
			a.g.Packs++
			if decided {
				a.g.Decided++
				if onTime {
					a.g.OnTime++
				} else {
					a.g.Late++
				}
			}
			if subDays >= 0 {
				a.sub = append(a.sub, subDays)
			}
			if kickDays >= 0 {
				a.kick = append(a.kick, kickDays)
			}
			if lockDays >= 0 {
				a.lockDays = append(a.lockDays, lockDays)
			}
		}
		if decided {
			w.Decided++
			if onTime {
				w.OnTime++
			}
		}
	}
	finish := func(a *acc) Group {
		a.g.ToSubmit, a.g.ToKickoff, a.g.KickoffToLock = median(a.sub), median(a.kick), median(a.lockDays)
		return a.g
	}
	rep.All = finish(all)
	for _, a := range bySE {
		rep.BySE = append(rep.BySE, finish(a))
	}
	for _, a := range bySA {
		rep.BySA = append(rep.BySA, finish(a))
	}
	byName := func(gs []Group) { sort.Slice(gs, func(i, j int) bool { return gs[i].Name < gs[j].Name }) }
	byName(rep.BySE)
	byName(rep.BySA)
	for _, w := range weeks {
		rep.Weeks = append(rep.Weeks, *w)
	}
	sort.Slice(rep.Weeks, func(i, j int) bool { return rep.Weeks[i].Start.Before(rep.Weeks[j].Start) })

	perSA := map[int64]*Load{} // by id: two SAs may share a name
	var ids []int64
	for _, l := range loads {
		ld := perSA[l.SAID]
		if ld == nil {
			ld = &Load{Name: l.SAName}
			perSA[l.SAID] = ld
			ids = append(ids, l.SAID)
		}
		if l.Segment == "strategic" || l.Segment == "enterprise" {
			ld.Strategic += l.Open
		} else {
			ld.Volume += l.Open
		}
	}
	for _, id := range ids {
		ld := perSA[id]
		// A full SA book is 15 strategic accounts or 30 volume ones (the top
		// of the staffing guide); a mix counts each at its share.
		ld.Share = float64(ld.Strategic)/15 + float64(ld.Volume)/30
		ld.Over = ld.Share > 1
		rep.Loads = append(rep.Loads, *ld)
	}
	return rep
}
