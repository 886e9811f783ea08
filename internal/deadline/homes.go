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
func SectionOf(cs [3]Clock, role handoff.Role) Section {
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

// SectionStatuses lists, in lifecycle order, the pack statuses that fall in
// section s for a person in role, for SQL that filters in the database: the
// statuses in which some clock waits on role (OwedStatuses), those in which
// clocks run for someone else, and those in which no clock runs.
func SectionStatuses(s Section, role handoff.Role) []handoff.Status {
	var out []handoff.Status
	for _, st := range handoff.Statuses {
		if sectionOfStatus(st, role) == s {
			out = append(out, st)
		}
	}
	return out
}

func sectionOfStatus(st handoff.Status, role handoff.Role) Section {
	open := false
	for _, k := range Kinds() {
		if slices.Contains(OwedStatuses(k, role), st) {
			return SectionNeedsYou
		}
		open = open || IsOpen(k, st)
	}
	if open {
		return SectionWaiting
	}
	return SectionDone
}

// RunningIn lists the clocks that run in status st, in page order. In every
// status they all wait on one role, so the soonest due among them is the
// soonest step owed on the pack — what a home sorts by.
func RunningIn(st handoff.Status) []Kind {
	var out []Kind
	for _, k := range Kinds() {
		if IsOpen(k, st) {
			out = append(out, k)
		}
	}
	return out
}
