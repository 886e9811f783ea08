// Package stats turns a window of packs into the manager's numbers: on-time
// submission and kickoff, the median days per step (each in the unit of the
// clock that times it), per SE and per SA, SA load against the staffing
// guide, and the weekly trend. It is pure: storage reads the rows, the clock
// model judges the clocks and counts the days, the domain places a book
// against the staffing guide.
package stats

import (
	"slices"
	"sort"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// Median is a median of days, with how many values it is over.
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
	Kickoff       Rate   // the kickoff clock: held on time, or held late or overdue
	ToSubmit      Median // Closed-Won → first submission, in the pack clock's unit
	ToKickoff     Median // Closed-Won → kickoff (acknowledged), in the kickoff clock's unit
	KickoffToLock Median // kickoff → architecture lock, in the lock clock's unit
}

// Rate counts the decided clocks of one kind: done on time, or done late or
// still open past their due day.
type Rate struct {
	Decided int
	OnTime  int
}

// Pct is the on-time share in percent, or -1 when nothing is decided.
func (r Rate) Pct() float64 {
	if r.Decided == 0 {
		return -1
	}
	return 100 * float64(r.OnTime) / float64(r.Decided)
}

// count adds a clock in state st to the rate, reporting whether it was
// decided (a clock on track or at risk is not yet).
func (r *Rate) count(st deadline.State) bool {
	if !st.IsDone() && st != deadline.StateOverdue {
		return false
	}
	r.Decided++
	if st == deadline.StateDoneOnTime {
		r.OnTime++
	}
	return true
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
	Strategic int     // strategic and enterprise accounts: guide 1:8–15
	Volume    int     // commercial and mid-market accounts: guide 1:20–30
	Share     float64 // the book as a share of a full one at the top of the guide
	Staffing  handoff.Staffing
}

// Report is everything the stats page shows.
type Report struct {
	Since   deadline.Day
	Today   deadline.Day
	Rules   deadline.Rules // the clocks whose units the medians count in
	All     Group
	BySE    []Group
	BySA    []Group
	Weeks   []Week
	Loads   []Load
	Pending int // packs in the window whose pack clock is not due yet and unsubmitted
}

// Build computes the report over rows (packs won since since) at now, with
// the org's clock rules.
func Build(cal *deadline.Calendar, rules deadline.Rules, rows []postgres.StatsPack, loads []postgres.SALoad, since deadline.Day, now time.Time) Report {
	today := cal.Today(now)
	rep := Report{Since: since, Today: today, Rules: rules, All: Group{Name: "Everyone"}}
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

		// The pack and kickoff clocks as the clock model judges them (as
		// deadline.PackClocks does): done on time, done late, or still open;
		// an open clock past its due day is late already. The due days are
		// the stored ones.
		var sub, kick deadline.Day
		if r.FirstSubmittedAt != nil {
			sub = deadline.DayOf(*r.FirstSubmittedAt, loc)
		}
		if r.KickoffOn != nil {
			kick = deadline.DayOf(*r.KickoffOn, time.UTC)
		}
		state := cal.EvaluateDue(rules.Pack, cw, due, sub, now).State
		kickState := cal.EvaluateDue(rules.Kickoff, cw, deadline.DayOf(r.KickoffDueOn, time.UTC), kick, now).State
		decided := state.IsDone() || state == deadline.StateOverdue
		onTime := state == deadline.StateDoneOnTime
		if !decided {
			rep.Pending++
		}
		// Each step counts in the unit of the clock that times it: business
		// days to submit and to kickoff, calendar days from kickoff to lock.
		var subDays, kickDays, lockDays = -1, -1, -1
		if !sub.IsZero() {
			subDays = cal.Elapsed(rules.Pack, cw, sub)
		}
		if !kick.IsZero() {
			kickDays = cal.Elapsed(rules.Kickoff, cw, kick)
			if r.LockedAt != nil {
				lockDays = cal.Elapsed(rules.Lock, kick, deadline.DayOf(*r.LockedAt, loc))
			}
		}
		for _, a := range groups {
			a.g.Packs++
			a.g.Kickoff.count(kickState)
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
		if handoff.Segment(l.Segment).IsStrategic() {
			ld.Strategic += l.Open
		} else {
			ld.Volume += l.Open
		}
	}
	for _, id := range ids {
		ld := perSA[id]
		ld.Share = handoff.StaffingLoad(ld.Strategic, ld.Volume)
		ld.Staffing = handoff.StaffingOf(ld.Strategic, ld.Volume)
		rep.Loads = append(rep.Loads, *ld)
	}
	return rep
}
