package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
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
	// Thresholds are the org's approval thresholds, which say whether a
	// submitted pack still waits on the SA's commitment decisions (HomeRow.Step).
	Thresholds handoff.Thresholds
}

// HomeCursor marks the last row of a page: its next due day (zero in Done,
// which runs newest pack first) and its pack id.
type HomeCursor struct {
	Due    time.Time
	PackID int64
}

// HomeRow is one pack on a home with what its row says beyond the pack,
// summarised here so a page reads a few values per pack rather than its
// documents: for the SE, what is still missing while they edit it and the
// documents the SA returned; for the SA, their next step.
type HomeRow struct {
	Pack    *handoff.Pack
	NextDue time.Time // the due day of the soonest running clock; zero when none runs
	// Missing is, on an SE's home while the pack's status lets them edit it,
	// how many things its working documents still miss
	// (handoff.Documents.MissingCount); 0 otherwise.
	Missing  int
	Returned []handoff.Review // on an SE's home
	// Step is, on an SA's home, what the pack waits on from them
	// (handoff.NextSAStep).
	Step handoff.SAStep
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

// homeExtras are the columns a home row needs beyond the pack, by role;
// scanHome reads them.
func homeExtras(role handoff.Role) string {
	if role == handoff.RoleSE {
		// Only a pack returned for changes has returned documents: a
		// resubmission deletes them, and nothing else moves on from there
		// while one is returned. The other rows skip the lookup.
		return `
		CASE WHEN ` + statusIn(editableStatuses()) + ` THEN p.missing END AS missing,
		CASE WHEN ` + statusIn([]handoff.Status{handoff.StatusChangesRequested}) + ` THEN
			(SELECT jsonb_agg(jsonb_build_array(r.kind, r.reason) ORDER BY r.kind)
				FROM document_reviews r WHERE r.pack_id = p.id AND r.decision = 'returned')
		END AS returned`
	}
	// Only a submitted pack's next step depends on these (NextSAStep), and
	// of its documents only the commitments (UndecidedCommitments).
	submitted := statusIn([]handoff.Status{handoff.StatusSubmitted})
	return `
		CASE WHEN ` + submitted + ` THEN
			(SELECT v.documents->'commitments' FROM pack_versions v WHERE v.pack_id = p.id AND v.number = p.submitted_version)
		END AS commitments,
		CASE WHEN ` + submitted + ` THEN
			(SELECT jsonb_object_agg(r.kind, r.decision) FROM document_reviews r WHERE r.pack_id = p.id)
		END AS reviews,
		CASE WHEN ` + submitted + ` THEN
			(SELECT jsonb_object_agg(cd.commitment_id, cd.fingerprint) FROM commitment_decisions cd WHERE cd.pack_id = p.id)
		END AS decisions`
}

// HomeSQL builds the query of one page of f; ok is false when f.Person has
// no home (the page is then empty). It is exported so the benchmark and the
// tests EXPLAIN exactly what the page runs.
//
// The LIMIT is written into the text (an int, never user input): with a
// parameter the planner prices a generic plan as if it fetched a tenth of
// the table, so PostgreSQL would plan every execution anew, which costs more
// than running it.
func HomeSQL(f HomeFilter) (sql string, args []any, ok bool) {
	person, ok := homePerson(f.Person)
	if !ok {
		return "", nil, false
	}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := []string{person + " = " + arg(f.Person.ID), sectionSQL(f.Section, f.Person.Role)}
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
	sel := homeSelect[f.Person.Role]
	return `SELECT ` + sel.columns + `, ` + key + ` AS next_due, ` + homeExtras(f.Person.Role) + sel.from + `
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(max(f.Limit, 0)), args, true
}

// homeSelect is packColumns and packFrom for the home of an SE or an SA,
// who is $1 of HomeSQL: the pack rows' copy of the deal's SE (SA) is that
// person, so their name is read once, not joined to every row.
var homeSelect = map[handoff.Role]struct{ columns, from string }{
	handoff.RoleSE: {
		columns: mustReplace(packColumns, "se.name AS se_name", "(SELECT u.name FROM users u WHERE u.id = $1) AS se_name"),
		from:    mustReplace(packFrom, "JOIN users se ON se.id = d.se_id", ""),
	},
	handoff.RoleSA: {
		columns: mustReplace(packColumns, "coalesce(sa.name, '') AS sa_name", "(SELECT u.name FROM users u WHERE u.id = $1) AS sa_name"),
		from:    mustReplace(packFrom, "LEFT JOIN users sa ON sa.id = d.sa_id", ""),
	},
}

// mustReplace replaces old in s, which must hold it.
func mustReplace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("postgres: " + old + " is no longer in " + s)
	}
	return strings.Replace(s, old, new, 1)
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
	out, err := scanHome(rows, f)
	if err != nil {
		return nil, fmt.Errorf("postgres: home %s of user %d: %w", f.Section, f.Person.ID, err)
	}
	return out, nil
}

// HomePage reads one page of each section fs names, all of one person's home,
// and the counts of every section (HomeCounts), in one round trip; rows[i]
// is the page of fs[i].
func (db *DB) HomePage(ctx context.Context, fs []HomeFilter) (rows [][]HomeRow, counts map[deadline.Section]int, err error) {
	rows, counts = make([][]HomeRow, len(fs)), map[deadline.Section]int{}
	if len(fs) == 0 {
		return rows, counts, nil
	}
	person := fs[0].Person
	b := &pgx.Batch{}
	if sql, ok := homeCountsSQL(person); ok {
		b.Queue(sql, person.ID).QueryRow(func(row pgx.Row) (err error) {
			counts, err = scanHomeCounts(row)
			return err
		})
	}
	for i, f := range fs {
		sql, args, ok := HomeSQL(f)
		if !ok {
			continue
		}
		if f.Person.ID != person.ID {
			return nil, nil, fmt.Errorf("postgres: home page of user %d mixes in user %d's", person.ID, f.Person.ID)
		}
		b.Queue(sql, args...).Query(func(rs pgx.Rows) (err error) {
			rows[i], err = scanHome(rs, f)
			return err
		})
	}
	if b.Len() == 0 {
		return rows, counts, nil
	}
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return nil, nil, fmt.Errorf("postgres: home page of user %d: %w", person.ID, err)
	}
	return rows, counts, nil
}

// scanTargets are the destinations of packColumns, in their order, so a list
// that reads many packs scans them without matching names by reflection.
func (r *packRow) scanTargets() []any {
	return []any{
		&r.ID, &r.Status, &r.Version, &r.SubmittedVersion, &r.PackDueOn, &r.KickoffDueOn, &r.LockDueOn,
		&r.FirstSubmittedAt, &r.SubmittedAt, &r.KickoffOn, &r.AcknowledgedAt, &r.LockedAt,
		&r.CreatedAt, &r.UpdatedAt,
		&r.DealID, &r.AccountName, &r.OpportunityName, &r.CRMOpportunityID,
		&r.Segment, &r.ARRMinor, &r.ARRCurrency, &r.ClosedWonOn, &r.AEName, &r.AEEmail, &r.CSMName, &r.CSMEmail,
		&r.SEID, &r.SAID, &r.SEName, &r.SAName,
		&r.StrategicMarked, &r.FirstValueDueOn, &r.FirstValueOn, &r.FirstValueWhat, &r.FirstValueRecordedAt,
		&r.PodReviewDueOn, &r.PodReviewedOn, &r.PodPosture, &r.PodRenewalOn,
	}
}

// scanHome reads the rows of HomeSQL(f) and summarises each by f.Person's
// role.
func scanHome(rows pgx.Rows, f HomeFilter) ([]HomeRow, error) {
	defer rows.Close()
	var (
		r       packRow
		nextDue *time.Time
		missing *int32
		x, y, z []byte // homeExtras, by role
	)
	dest := append(r.scanTargets(), &nextDue)
	if f.Person.Role == handoff.RoleSA {
		dest = append(dest, &x, &y, &z)
	} else {
		dest = append(dest, &missing, &y)
	}
	var out []HomeRow
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		h := HomeRow{Pack: r.pack()}
		if nextDue != nil {
			h.NextDue = *nextDue
		}
		var err error
		if f.Person.Role == handoff.RoleSA {
			h.Step, err = saStep(h.Pack.Status, x, y, z, f.Thresholds)
		} else {
			h.Missing, h.Returned, err = seSummary(missing, y)
		}
		if err != nil {
			return nil, fmt.Errorf("pack %d: %w", h.Pack.ID, err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// seSummary is what an SE's row says: what is still missing while they edit
// the pack, and what the SA returned.
func seSummary(stored *int32, returnedData []byte) (missing int, returned []handoff.Review, err error) {
	if stored != nil { // homeExtras reads it only while the SE may edit
		missing = int(*stored)
	}
	if returnedData != nil {
		var rs [][2]string // kind, reason
		if err := json.Unmarshal(returnedData, &rs); err != nil {
			return 0, nil, fmt.Errorf("decode returned documents: %w", err)
		}
		for _, rv := range rs {
			returned = append(returned, handoff.Review{Kind: handoff.DocKind(rv[0]), Decision: handoff.DecisionReturned, Reason: rv[1]})
		}
	}
	return missing, returned, nil
}

// saStep is the SA's next step on a pack, from the submitted version's
// commitments, the reviews and the commitment decisions (all nil unless the
// pack is submitted).
func saStep(status handoff.Status, commitmentsData, reviewsData, decisionsData []byte, thresholds handoff.Thresholds) (handoff.SAStep, error) {
	var docs handoff.Documents
	if commitmentsData != nil {
		spec, _ := handoff.DocCommitments.Spec()
		if err := spec.Decode(&docs, commitmentsData); err != nil {
			return 0, fmt.Errorf("decode commitments: %w", err)
		}
	}
	var revs, decs map[string]string
	if reviewsData != nil {
		if err := json.Unmarshal(reviewsData, &revs); err != nil {
			return 0, fmt.Errorf("decode reviews: %w", err)
		}
	}
	if decisionsData != nil {
		if err := json.Unmarshal(decisionsData, &decs); err != nil {
			return 0, fmt.Errorf("decode commitment decisions: %w", err)
		}
	}
	reviews := make(map[handoff.DocKind]handoff.Review, len(revs))
	for k, d := range revs {
		reviews[handoff.DocKind(k)] = handoff.Review{Kind: handoff.DocKind(k), Decision: handoff.Decision(d)}
	}
	decisions := make(map[string]handoff.CommitmentDecision, len(decs))
	for id, fp := range decs {
		decisions[id] = handoff.CommitmentDecision{CommitmentID: id, Fingerprint: fp}
	}
	return handoff.NextSAStep(status, reviews, docs, decisions, thresholds), nil
}

// HomeCounts returns how many packs each section of person's home holds, at
// most CountCap+1 each, in one round trip.
func (db *DB) HomeCounts(ctx context.Context, person *handoff.User) (map[deadline.Section]int, error) {
	sql, ok := homeCountsSQL(person)
	if !ok {
		return map[deadline.Section]int{}, nil
	}
	out, err := scanHomeCounts(db.Pool.QueryRow(ctx, sql, person.ID))
	if err != nil {
		return nil, fmt.Errorf("postgres: home counts of user %d: %w", person.ID, err)
	}
	return out, nil
}

// homeCountsSQL counts each section of person's home ($1), in the order of
// deadline.Sections, with the cap written in (see HomeSQL).
func homeCountsSQL(person *handoff.User) (string, bool) {
	col, ok := homePerson(person)
	if !ok {
		return "", false
	}
	sections := deadline.Sections()
	exprs := make([]string, len(sections))
	for i, s := range sections {
		exprs[i] = `(SELECT count(*) FROM (SELECT 1 FROM packs p WHERE ` + col + ` = $1 AND ` +
			sectionSQL(s, person.Role) + ` LIMIT ` + strconv.Itoa(CountCap+1) + `) capped)`
	}
	return `SELECT ` + strings.Join(exprs, ", "), true
}

func scanHomeCounts(row pgx.Row) (map[deadline.Section]int, error) {
	sections := deadline.Sections()
	n := make([]int, len(sections))
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	out := make(map[deadline.Section]int, len(sections))
	for i, s := range sections {
		out[s] = n[i]
	}
	return out, nil
}
