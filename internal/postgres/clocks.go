package postgres

import (
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// The clock model written as SQL, for the lists that filter and sort in the
// database. Which clock runs in which status and who owes it is the model's
// (deadline.OpenStatuses, OwedStatuses, SectionTerms); this file only names
// the columns that hold each clock and, for the Conditional clocks, the
// fact of their own. The partial indexes of migrations 00005, 00019 and
// 00027 are on exactly these expressions.

// dueColumn is the stored due day of each clock.
var dueColumn = map[deadline.Kind]string{
	deadline.KindPack: "pack_due_on", deadline.KindKickoff: "kickoff_due_on", deadline.KindLock: "lock_due_on",
	deadline.KindFirstValue: "first_value_due_on", deadline.KindPodReview: "pod_review_due_on",
}

// runsCond is, for a Conditional clock, the condition on its own columns
// under which it runs in a status the model lists for it: first value until
// it is recorded, a pod review while its due day is set (a strategic
// account, locked).
var runsCond = map[deadline.Kind][2]string{ // runs, does not run
	deadline.KindFirstValue: {"p.first_value_on IS NULL", "p.first_value_on IS NOT NULL"},
	deadline.KindPodReview:  {"p.pod_review_due_on IS NOT NULL", "p.pod_review_due_on IS NULL"},
}

// clockRuns is the SQL condition that clock k runs on a pack, optionally
// only where its step waits on role.
func clockRuns(k deadline.Kind, role handoff.Role) string {
	cond := statusIn(deadline.OwedStatuses(k, role))
	if deadline.Conditional(k) {
		cond += " AND " + runsCond[k][0]
	}
	return cond
}

// AnyClockRunsSQL is the SQL condition that some clock still runs on pack p:
// what the jobs sweep reads to remind and digest.
func AnyClockRunsSQL() string {
	var runs []string
	for _, k := range deadline.Kinds() {
		runs = append(runs, "("+clockRuns(k, "")+")")
	}
	return "(" + strings.Join(runs, " OR ") + ")"
}

// runningDue is the due day of clock k where it runs and NULL where a
// Conditional clock stopped on its own fact (a recorded first value keeps
// its due day, for stats, but no longer sorts a home).
func runningDue(prefix string, k deadline.Kind) string {
	if k == deadline.KindFirstValue {
		return "CASE WHEN " + prefix + "first_value_on IS NULL THEN " + prefix + dueColumn[k] + " END"
	}
	return prefix + dueColumn[k]
}

// statusIn is an SQL condition on a pack's status. The statuses are the
// model's own constants, never input, so they may be literals (which a
// partial index can match, and a parameter could not).
func statusIn(ss []handoff.Status) string {
	if len(ss) == 0 {
		return "false"
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + string(s) + "'"
	}
	return "p.status IN (" + strings.Join(q, ", ") + ")"
}

// sectionSQL is the condition that a pack falls in section s of the home of
// a person in role, from the model's SectionTerms: the statuses that decide
// alone in one IN list, each other status with its clocks' own facts.
func sectionSQL(s deadline.Section, role handoff.Role) string {
	var plain []handoff.Status
	var parts []string
	for _, t := range deadline.SectionTerms(s, role) {
		if t.Plain() {
			plain = append(plain, t.Status)
			continue
		}
		conds := []string{"p.status = '" + string(t.Status) + "'"}
		if len(t.Any) > 0 {
			var anyOf []string
			for _, k := range t.Any {
				anyOf = append(anyOf, runsCond[k][0])
			}
			conds = append(conds, "("+strings.Join(anyOf, " OR ")+")")
		}
		for _, k := range t.None {
			conds = append(conds, runsCond[k][1])
		}
		parts = append(parts, strings.Join(conds, " AND "))
	}
	if len(plain) > 0 {
		parts = append([]string{statusIn(plain)}, parts...)
	}
	switch len(parts) {
	case 0:
		return "false"
	case 1:
		return parts[0]
	}
	for i, p := range parts[1:] {
		parts[i+1] = "(" + p + ")"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// NextDueSQL is the due day of a pack's soonest running clock, by status, as
// the clock model says which clocks run in which status (deadline.RunningIn);
// columns are prefixed with prefix ("p."). The home indexes of migration
// 00027 are on this very expression, which the planner matches only if it is
// written the same way: TestHomeQueriesReadTheirIndexes checks that it is.
func NextDueSQL(prefix string) string {
	var whens []string
	for _, st := range handoff.Statuses {
		var dues []string
		for _, k := range deadline.RunningIn(st) {
			dues = append(dues, runningDue(prefix, k))
		}
		switch len(dues) {
		case 0:
			continue
		case 1:
			whens = append(whens, "WHEN '"+string(st)+"' THEN "+dues[0])
		default:
			whens = append(whens, "WHEN '"+string(st)+"' THEN LEAST("+strings.Join(dues, ", ")+")")
		}
	}
	return "(CASE " + prefix + "status " + strings.Join(whens, " ") + " END)"
}

// dayOrNil is a due day to store: NULL when the clock has none.
func dayOrNil(d deadline.Day) *time.Time {
	if d.IsZero() {
		return nil
	}
	t := d.Time()
	return &t
}
