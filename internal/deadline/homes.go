package deadline

import (
	"slices"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Homes are action-first (README.md): a person's packs fall in three
// sections, decided by who owes the running clocks — the clock model's owner,
// not a rule of its own.

// Section is where a pack stands on the home of the SE or SA working on it.
type Section string

// The sections of a home, in the order the page shows them.
const (
	// SectionNeedsYou: a running clock waits on this person's role.
	SectionNeedsYou Section = "needs"
	// SectionWaiting: clocks run, but none waits on this person's role.
	SectionWaiting Section = "waiting"
	// SectionDone: no clock runs any more.
	SectionDone Section = "done"
)

// Sections lists the sections in page order.
func Sections() []Section { return []Section{SectionNeedsYou, SectionWaiting, SectionDone} }

// SectionOf says where a pack whose clocks are cs (as PackClocks evaluates
// them) stands for a person in role.
func SectionOf(cs Clocks, role handoff.Role) Section {
	open := false
	for _, c := range cs {
		if c.Owner == role {
			return SectionNeedsYou
		}
		open = open || c.Owner != ""
	}
	if open {
		return SectionWaiting
	}
	return SectionDone
}

// SectionTerm is one status's share of a section, for SQL that filters in
// the database: packs in Status, and, when Any is set, only those where at
// least one of those Conditional clocks runs; when None is set, only those
// where none of them runs.
type SectionTerm struct {
	Status    handoff.Status
	Any, None []Kind
}

// Plain reports whether the status alone decides the term.
func (t SectionTerm) Plain() bool { return len(t.Any) == 0 && len(t.None) == 0 }

// SectionTerms lists, in lifecycle order, what falls in section s for a
// person in role, as SectionOf decides it from the clocks: by status, and
// where a Conditional clock decides, by whether it runs.
func SectionTerms(s Section, role handoff.Role) []SectionTerm {
	var out []SectionTerm
	for _, st := range handoff.Statuses {
		var owedPlain, runPlain bool
		var owedCond, runCond []Kind // Conditional clocks owed by role; running for someone else
		for _, k := range Kinds() {
			owed := slices.Contains(OwedStatuses(k, role), st)
			switch {
			case !IsOpen(k, st):
			case !Conditional(k) && owed:
				owedPlain = true
			case !Conditional(k):
				runPlain = true
			case owed:
				owedCond = append(owedCond, k)
			default:
				runCond = append(runCond, k)
			}
		}
		t := SectionTerm{Status: st}
		switch s {
		case SectionNeedsYou:
			switch {
			case owedPlain:
			case len(owedCond) > 0:
				t.Any = owedCond
			default:
				continue
			}
		case SectionWaiting:
			switch {
			case owedPlain:
				continue
			case runPlain:
				t.None = owedCond
			case len(runCond) > 0:
				t.Any, t.None = runCond, owedCond
			default:
				continue
			}
		case SectionDone:
			if owedPlain || runPlain {
				continue
			}
			t.None = append(owedCond, runCond...)
		}
		out = append(out, t)
	}
	return out
}

// RunningIn lists the clocks that may run in status st, in page order. In
// every status they all wait on one role, so the soonest due among those
// running is the soonest step owed on the pack — what a home sorts by.
func RunningIn(st handoff.Status) []Kind {
	var out []Kind
	for _, k := range Kinds() {
		if IsOpen(k, st) {
			out = append(out, k)
		}
	}
	return out
}
