package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// The homes of the SE and the SA (README.md): "Needs you", "Waiting on
// others" and "Done", each read a page at a time from an index holding one
// person's packs in that section (migration 00010), so a page costs the same
// for someone with ten packs as for someone with ten thousand.

// HomeFilter selects one page of one section of a person's home.
type HomeFilter struct {
	Person  *handoff.User // an active SE or SA; anyone else has an empty home
	Section deadline.Section
	After   *HomeCursor // keyset: rows after this one
	Limit   int
}

// HomeCursor marks the last row of a page: its next due day (zero in Done,
// which runs newest pack first) and its pack id.
type HomeCursor struct {
	Due    time.Time
	PackID int64
}

// HomeRow is one pack on a home with what its row says beyond the pack:
// for the SE, the working documents while they edit them (what is still
// missing) and the documents the SA returned; for the SA, while the pack is
// submitted, the submitted version's documents, the reviews and the
// commitment decisions (handoff.NextSAStep).
type HomeRow struct {
	Pack      *handoff.Pack
	NextDue   time.Time // the due day of the soonest running clock; zero when none runs
	Documents handoff.Documents
	Returned  []handoff.Review
	Reviews   map[handoff.DocKind]handoff.Review
	Decisions map[string]handoff.CommitmentDecision
}

// homePerson is the pack column naming the person whose home it is: the
// copies of the deal's SE and SA that migration 00010 keeps on packs.
func homePerson(u *handoff.User) (string, bool) {
	if u == nil || !u.Active {
		return "", false
	}
	switch u.Role {
	case handoff.RoleSE:
		return "p.se_id", true
	case handoff.RoleSA:
		return "p.sa_id", true
	}
	return "", false
}

// dueColumn is the stored due day of each clock.
var dueColumn = map[deadline.Kind]string{
	deadline.KindPack: "pack_due_on", deadline.KindKickoff: "kickoff_due_on", deadline.KindLock: "lock_due_on",
}

// NextDueSQL is the due day of a pack's soonest running clock, by status, as
// the clock model says which clocks run in which status (deadline.RunningIn);
// columns are prefixed with prefix ("p."). The home indexes of migration
// 00010 are on this very expression, which the planner matches only if it is
// written the same way: TestHomeQueriesReadTheirIndexes checks that it is.
func NextDueSQL(prefix string) string {
	var whens []string
	for _, st := range handoff.Statuses {
		var dues []string
		for _, k := range deadline.RunningIn(st) {
			dues = append(dues, prefix+dueColumn[k])
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

// homeExtras are the columns a home row needs beyond the pack, by role.
func homeExtras(role handoff.Role) string {
	if role == handoff.RoleSE {
		var editable []handoff.Status
		for _, st := range handoff.Statuses {
			if st.Editable() {
				editable = append(editable, st)
			}
		}
		return `
		CASE WHEN ` + statusIn(editable) + ` THEN
			coalesce((SELECT jsonb_object_agg(pd.kind, pd.data) FROM pack_documents pd WHERE pd.pack_id = p.id), '{}')
		ELSE '{}' END AS documents,
		coalesce((SELECT jsonb_agg(jsonb_build_object('kind', r.kind, 'reason', r.reason) ORDER BY r.kind)
			FROM document_reviews r WHERE r.pack_id = p.id AND r.decision = 'returned'), '[]') AS returned,
		'{}'::jsonb AS reviews, '{}'::jsonb AS decisions`
	}
	// Only a submitted pack's next step depends on these (NextSAStep).
	submitted := statusIn([]handoff.Status{handoff.StatusSubmitted})
	return `
		CASE WHEN ` + submitted + ` THEN
			coalesce((SELECT v.documents FROM pack_versions v WHERE v.pack_id = p.id AND v.number = p.submitted_version), '{}')
		ELSE '{}' END AS documents,
		'[]'::jsonb AS returned,
		CASE WHEN ` + submitted + ` THEN
			coalesce((SELECT jsonb_object_agg(r.kind, r.decision) FROM document_reviews r WHERE r.pack_id = p.id), '{}')
		ELSE '{}' END AS reviews,
		CASE WHEN ` + submitted + ` THEN
			coalesce((SELECT jsonb_object_agg(cd.commitment_id, cd.fingerprint) FROM commitment_decisions cd WHERE cd.pack_id = p.id), '{}')
		ELSE '{}' END AS decisions`
}

// HomeSQL builds the query of one page of f; ok is false when f.Person has
// no home (the page is then empty). It is exported so the benchmark and the
// tests EXPLAIN exactly what the page runs.
func HomeSQL(f HomeFilter) (sql string, args []any, ok bool) {
	person, ok := homePerson(f.Person)
	if !ok {
		return "", nil, false
	}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := []string{person + " = " + arg(f.Person.ID), statusIn(deadline.SectionStatuses(f.Section, f.Person.Role))}
	key, order := NextDueSQL("p."), ""
	if f.Section == deadline.SectionDone {
		// Nothing runs: newest first, by the index on (person, id).
		key, order = "NULL::date", "p.id DESC"
		if f.After != nil {
			where = append(where, "p.id < "+arg(f.After.PackID))
		}
	} else {
		order = key + ", p.id"
		if f.After != nil {
			where = append(where, "("+key+", p.id) > ("+arg(f.After.Due)+"::date, "+arg(f.After.PackID)+"::bigint)")
		}
	}
	return `SELECT ` + packColumns + `, ` + key + ` AS next_due, ` + homeExtras(f.Person.Role) + packFrom + `
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ` + arg(f.Limit), args, true
}

// Home returns one page of one section of f.Person's home.
func (db *DB) Home(ctx context.Context, f HomeFilter) ([]HomeRow, error) {
	sql, args, ok := HomeSQL(f)
	if !ok {
		return nil, nil
	}
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: home %s of user %d: %w", f.Section, f.Person.ID, err)
	}
	type row struct {
		packRow
		NextDue   *time.Time
		Documents []byte
		Returned  []byte
		Reviews   []byte
		Decisions []byte
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, fmt.Errorf("postgres: home %s of user %d: %w", f.Section, f.Person.ID, err)
	}
	out := make([]HomeRow, len(rs))
	for i, r := range rs {
		h := HomeRow{Pack: r.pack(), Reviews: map[handoff.DocKind]handoff.Review{}, Decisions: map[string]handoff.CommitmentDecision{}}
		if r.NextDue != nil {
			h.NextDue = *r.NextDue
		}
		var returned []struct{ Kind, Reason string }
		var revs, decs map[string]string
		if err := errors.Join(json.Unmarshal(r.Documents, &h.Documents), json.Unmarshal(r.Returned, &returned),
			json.Unmarshal(r.Reviews, &revs), json.Unmarshal(r.Decisions, &decs)); err != nil {
			return nil, fmt.Errorf("postgres: home %s of user %d: decode: %w", f.Section, f.Person.ID, err)
		}
		for _, rv := range returned {
			h.Returned = append(h.Returned, handoff.Review{Kind: handoff.DocKind(rv.Kind), Decision: handoff.DecisionReturned, Reason: rv.Reason})
		}
		for k, d := range revs {
			h.Reviews[handoff.DocKind(k)] = handoff.Review{Kind: handoff.DocKind(k), Decision: handoff.Decision(d)}
		}
		for id, fp := range decs {
			h.Decisions[id] = handoff.CommitmentDecision{CommitmentID: id, Fingerprint: fp}
		}
		out[i] = h
	}
	return out, nil
}

// HomeCounts returns how many packs each section of person's home holds, at
// most CountCap+1 each, in one round trip.
func (db *DB) HomeCounts(ctx context.Context, person *handoff.User) (map[deadline.Section]int, error) {
	out := map[deadline.Section]int{}
	col, ok := homePerson(person)
	if !ok {
		return out, nil
	}
	sections := deadline.Sections()
	exprs := make([]string, len(sections))
	for i, s := range sections {
		exprs[i] = `(SELECT count(*) FROM (SELECT 1 FROM packs p WHERE ` + col + ` = $1 AND ` +
			statusIn(deadline.SectionStatuses(s, person.Role)) + ` LIMIT $2) capped)`
	}
	n := make([]int, len(sections))
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := db.Pool.QueryRow(ctx, `SELECT `+strings.Join(exprs, ", "), person.ID, CountCap+1).Scan(dest...); err != nil {
		return nil, fmt.Errorf("postgres: home counts of user %d: %w", person.ID, err)
	}
	for i, s := range sections {
		out[s] = n[i]
	}
	return out, nil
}
