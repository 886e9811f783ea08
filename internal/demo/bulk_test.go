package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// now is the Wednesday before Thanksgiving 2026, late afternoon in New York:
// the next business day is Friday, so "at risk" must skip the holiday.
var now = time.Date(2026, 11, 25, 21, 30, 0, 0, time.UTC)

func orgCalendar(t *testing.T, db *postgres.DB) (*deadline.Calendar, handoff.Settings) {
	t.Helper()
	ctx := context.Background()
	s, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := deadline.NewCalendar(s.TimeZone, s.HolidayCountries, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal, s
}

func count(t *testing.T, db *postgres.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := postgrestest.New(t)
	const deals = 2000

	sum, err := demo.Generate(ctx, db, demo.Options{Deals: deals, Now: now, Seed: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cal, settings := orgCalendar(t, db)
	today := cal.Today(now)

	t.Run("Counts", func(t *testing.T) {
		if n := count(t, db, `SELECT count(*) FROM deals`); n != deals || sum.Deals != deals {
			t.Errorf("deals = %d (summary %d), want %d", n, sum.Deals, deals)
		}
		if n := count(t, db, `SELECT count(*) FROM packs`); n != deals {
			t.Errorf("packs = %d, want %d", n, deals)
		}
		if n := count(t, db, `SELECT count(*) FROM (SELECT p.id FROM packs p LEFT JOIN pack_documents d ON d.pack_id = p.id
			GROUP BY p.id HAVING count(d.kind) <> 5) x`); n != 0 {
			t.Errorf("%d packs without exactly 5 documents", n)
		}
		if n := count(t, db, `SELECT count(*) FROM pack_events`); n != sum.Events {
			t.Errorf("events = %d, summary says %d", n, sum.Events)
		}
		total := 0
		for st, n := range sum.ByStatus {
			if got := count(t, db, `SELECT count(*) FROM packs WHERE status = $1`, string(st)); got != n {
				t.Errorf("%s packs = %d, summary says %d", st, got, n)
			}
			total += n
		}
		if total != deals {
			t.Errorf("summary statuses add up to %d", total)
		}
	})

	t.Run("DocumentsDecodeAndValidate", func(t *testing.T) {
		rows, err := db.Pool.Query(ctx, `SELECT pack_id, kind, data FROM pack_documents ORDER BY pack_id, kind`)
		if err != nil {
			t.Fatal(err)
		}
		// A failed check leaves the loop early: closing the rows gives the
		// connection back, so the test's database can still be dropped.
		defer rows.Close()
		docs := map[int64]*handoff.Documents{}
		for rows.Next() {
			var id int64
			var kind string
			var data []byte
			if err := rows.Scan(&id, &kind, &data); err != nil {
				t.Fatal(err)
			}
			d := docs[id]
			if d == nil {
				d = &handoff.Documents{}
				docs[id] = d
			}
			var target any
			switch handoff.DocKind(kind) {
			case handoff.DocMEDDPICC:
				target = &d.MEDDPICC
			case handoff.DocPOC:
				target = &d.POC
			case handoff.DocCommitments:
				target = &d.Commitments
			case handoff.DocStakeholders:
				target = &d.Stakeholders
			case handoff.DocRisks:
				target = &d.Risks
			}
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(target); err != nil {
				t.Fatalf("pack %d %s: %v", id, kind, err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		missing := map[int]bool{}
		for id, d := range docs {
			for _, err := range []error{d.MEDDPICC.Validate(d.Stakeholders), d.POC.Validate(), d.Commitments.Validate(), d.Stakeholders.Validate(), d.Risks.Validate()} {
				if err != nil {
					t.Fatalf("pack %d: saved documents do not validate: %v", id, err)
				}
			}
			missing[d.MissingCount()] = true
		}
		if len(missing) < 3 {
			t.Errorf("drafts should be missing different amounts; saw only %v", missing)
		}
	})

	t.Run("SubmittedPacksHaveCompleteVersions", func(t *testing.T) {
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE p.submitted_version <>
			(SELECT count(*) FROM pack_versions v WHERE v.pack_id = p.id AND v.number <= p.submitted_version)
			OR EXISTS (SELECT 1 FROM pack_versions v WHERE v.pack_id = p.id AND v.number > p.submitted_version)`); n != 0 {
			t.Errorf("%d packs whose versions do not match submitted_version", n)
		}
		if n := count(t, db, `SELECT count(*) FROM pack_versions WHERE number = 2`); n == 0 {
			t.Error("no pack went through a second version")
		}
		rows, err := db.Pool.Query(ctx, `SELECT pack_id, number, documents FROM pack_versions`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			var data []byte
			if err := rows.Scan(&id, &n, &data); err != nil {
				t.Fatal(err)
			}
			var d handoff.Documents
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&d); err != nil {
				t.Fatalf("pack %d v%d: %v", id, n, err)
			}
			if !d.Complete() {
				t.Fatalf("pack %d v%d was submitted incomplete: %v", id, n, d.Missing())
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("StatusAndTimesAreConsistent", func(t *testing.T) {
		checks := map[string]string{
			"draft iff never submitted":   `(status = 'draft') <> (submitted_version = 0) OR (status = 'draft') <> (first_submitted_at IS NULL)`,
			"version at least 1":          `version < 1`,
			"lock due without kickoff":    `lock_due_on IS NOT NULL AND kickoff_on IS NULL`,
			"kickoff iff acknowledged":    `(kickoff_on IS NOT NULL) <> (status IN ('acknowledged', 'locked'))`,
			"locked_at iff locked":        `(locked_at IS NOT NULL) <> (status = 'locked')`,
			"submitted before Closed-Won": `(first_submitted_at AT TIME ZONE $1)::date < d.closed_won_on`,
			"resubmitted before first":    `submitted_at < first_submitted_at`,
			"kickoff out of range":        `kickoff_on < d.closed_won_on OR kickoff_on > $2`,
			"acknowledged off kickoff":    `(acknowledged_at AT TIME ZONE $1)::date <> kickoff_on`,
			"acknowledged before submit":  `acknowledged_at < submitted_at`,
			"locked before acknowledged":  `locked_at < acknowledged_at`,
			"in the future":               `greatest(p.created_at, p.updated_at, submitted_at, acknowledged_at, locked_at) > $3`,
			"Closed-Won in the future":    `d.closed_won_on > $2`,
			"created before Closed-Won":   `(p.created_at AT TIME ZONE $1)::date < d.closed_won_on`,
			"SA missing after submission": `d.sa_id IS NULL AND status NOT IN ('draft', 'submitted')`,
		}
		for name, cond := range checks {
			n := count(t, db, `SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id WHERE `+cond+` AND $1::text IS NOT NULL AND $2::date IS NOT NULL AND $3::timestamptz IS NOT NULL`,
				settings.TimeZone, today.Time(), now)
			if n != 0 {
				t.Errorf("%s: %d packs", name, n)
			}
		}
	})

	t.Run("ReviewsDecisionsArchitectures", func(t *testing.T) {
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE status IN ('acknowledged', 'locked') AND
			(SELECT count(*) FROM document_reviews r WHERE r.pack_id = p.id AND r.decision IN ('accepted', 'accepted_with_questions')
			 AND r.version = p.submitted_version) <> 5`); n != 0 {
			t.Errorf("%d acknowledged packs without 5 accepted reviews of the submitted version", n)
		}
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE status = 'changes_requested' AND
			(SELECT count(*) FROM document_reviews r WHERE r.pack_id = p.id AND r.decision = 'returned' AND r.reason <> '') <> 1`); n != 0 {
			t.Errorf("%d returned packs without exactly one returned document", n)
		}
		if n := count(t, db, `SELECT count(*) FROM document_reviews r JOIN packs p ON p.id = r.pack_id WHERE r.decision = 'returned' AND p.status <> 'changes_requested'`); n != 0 {
			t.Errorf("%d returned reviews on packs not returned", n)
		}
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE (status = 'locked') <> EXISTS (SELECT 1 FROM reference_architectures a WHERE a.pack_id = p.id AND a.data->>'sign_off_on' <> '')`); n != 0 {
			t.Errorf("%d packs whose signed-off architecture does not match being locked", n)
		}
		// Every acknowledged pack passes the domain's own acknowledgment
		// check against what is stored.
		rows, err := db.Pool.Query(ctx, `
			SELECT p.id, v.documents,
			       (SELECT coalesce(json_agg(json_build_object('k', r.kind, 'd', r.decision)), '[]') FROM document_reviews r WHERE r.pack_id = p.id),
			       (SELECT coalesce(json_agg(json_build_object('id', c.commitment_id, 'fp', c.fingerprint, 'ok', c.approved, 'why', c.reason)), '[]')
			        FROM commitment_decisions c WHERE c.pack_id = p.id),
			       coalesce((SELECT a.data FROM reference_architectures a WHERE a.pack_id = p.id), '{}'), p.status, p.kickoff_on
			FROM packs p JOIN pack_versions v ON v.pack_id = p.id AND v.number = p.submitted_version
			WHERE p.status IN ('acknowledged', 'locked')`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		checked, decided, openRows, drafts, draftClosed := 0, 0, 0, 0, 0
		closedBy := map[string]int{} // locked rows by the part that closes them
		for rows.Next() {
			var (
				id                   int64
				docsJSON, archJSON   []byte
				reviewsJSON, decJSON []byte
				status               string
				kickoff              time.Time
			)
			if err := rows.Scan(&id, &docsJSON, &reviewsJSON, &decJSON, &archJSON, &status, &kickoff); err != nil {
				t.Fatal(err)
			}
			var docs handoff.Documents
			var rs []struct{ K, D string }
			var ds []struct {
				ID, FP, Why string
				OK          bool
			}
			var arch handoff.Architecture
			for _, x := range []struct {
				b []byte
				v any
			}{{docsJSON, &docs}, {reviewsJSON, &rs}, {decJSON, &ds}, {archJSON, &arch}} {
				if err := json.Unmarshal(x.b, x.v); err != nil {
					t.Fatal(err)
				}
			}
			reviews := map[handoff.DocKind]handoff.Review{}
			for _, r := range rs {
				reviews[handoff.DocKind(r.K)] = handoff.Review{Kind: handoff.DocKind(r.K), Decision: handoff.Decision(r.D)}
			}
			decisions := map[string]handoff.CommitmentDecision{}
			for _, d := range ds {
				decisions[d.ID] = handoff.CommitmentDecision{CommitmentID: d.ID, Fingerprint: d.FP, Approved: d.OK, Reason: d.Why}
			}
			decided += len(ds)
			if b := handoff.AckBlockers(reviews, docs, decisions, settings.ApprovalThresholds); len(b) > 0 {
				t.Fatalf("pack %d is %s but the domain would not acknowledge it: %v", id, status, b)
			}
			// What the architecture form would accept, closures included.
			if err := arch.Validate(kickoff, today.Time()); err != nil {
				t.Fatalf("pack %d: architecture: %v", id, err)
			}
			m := arch.Matrix(docs, decisions)
			switch {
			case status == "locked":
				// The lock the app would allow, and the matrix its lock
				// would have frozen.
				if err := arch.CheckLock(m); err != nil {
					t.Fatalf("pack %d: %v", id, err)
				}
				if state := arch.MatrixState(handoff.StatusLocked); state != handoff.MatrixFrozen {
					t.Fatalf("pack %d: locked, its matrix reads %q, want frozen", id, state)
				}
				if want := handoff.ClosureMatrix(docs, decisions, arch.Closures); !sameMatrix(arch.Locked, want) {
					t.Fatalf("pack %d: locked matrix\n%+v\nwant the matrix of its closures\n%+v", id, arch.Locked, want)
				}
				for _, r := range m {
					if r.Vetoed {
						closedBy["vetoed"]++
					} else {
						closedBy[r.Closure.Part]++
					}
				}
			case arch.Locked != nil:
				t.Fatalf("pack %d is %s with a locked matrix", id, status)
			case len(archJSON) > 2:
				drafts++
				openRows += len(m.OpenRows())
				draftClosed += len(m) - len(m.OpenRows())
			}
			// The showcase (the first ten deals, the demo logins') always
			// shows an acknowledged pack's matrix in progress.
			if id <= 10 && status == "acknowledged" && len(m.OpenRows()) == 0 {
				t.Errorf("showcase pack %d is acknowledged with no open row in its closure matrix (architecture %s)", id, archJSON)
			}
			checked++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if checked == 0 || decided == 0 {
			t.Errorf("checked %d acknowledged packs with %d commitment decisions; want some of each", checked, decided)
		}
		if drafts == 0 || openRows == 0 || draftClosed == 0 {
			t.Errorf("%d acknowledged packs with a draft architecture, %d open and %d closed rows in their matrices; want matrices in progress",
				drafts, openRows, draftClosed)
		}
		// Most rows land on a part, a few are out of scope, and every part
		// closes something.
		total := 0
		for _, n := range closedBy {
			total += n
		}
		for _, part := range handoff.ClosureChoices() {
			if closedBy[part.Value] == 0 {
				t.Errorf("no locked row closed by %q: %v", part.Value, closedBy)
			}
		}
		if out := closedBy[handoff.OutOfScope]; out*4 > total {
			t.Errorf("%d of %d locked rows out of scope; want a few", out, total)
		}
	})

	t.Run("AssessmentsAreTheAppsOwn", func(t *testing.T) {
		rows, err := db.Pool.Query(ctx, `
			SELECT a.pack_id, a.stage, a.data, a.held, a.under_scoped, a.wrong, a.surfaced, a.assessed_on, a.assessed_at,
			       a.assessed_by = d.sa_id, d.se_id, p.status, (p.locked_at AT TIME ZONE $1)::date, p.locked_at, v.documents
			FROM handoff_assessments a JOIN packs p ON p.id = a.pack_id JOIN deals d ON d.id = p.deal_id
			JOIN pack_versions v ON v.pack_id = p.id AND v.number = p.submitted_version`, settings.TimeZone)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var (
			n, surfacedPacks int
			verdicts         = map[string]int{}
			kinds, severity  = map[string]bool{}, map[string]bool{}
			quarters         = map[string]bool{}
			bySE             = map[int64]handoff.AccuracyCounts{}
		)
		for rows.Next() {
			var (
				id, se         int64
				stage, status  string
				data, docsJSON []byte
				stored         handoff.AccuracyCounts
				on, lockDay    time.Time
				at, lockedAt   time.Time
				bySA           bool
			)
			if err := rows.Scan(&id, &stage, &data, &stored.Held, &stored.UnderScoped, &stored.Wrong, &stored.Surfaced,
				&on, &at, &bySA, &se, &status, &lockDay, &lockedAt, &docsJSON); err != nil {
				t.Fatal(err)
			}
			var docs handoff.Documents
			if err := json.Unmarshal(docsJSON, &docs); err != nil {
				t.Fatal(err)
			}
			var a handoff.Assessment
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&a); err != nil {
				t.Fatalf("pack %d: %v", id, err)
			}
			items := handoff.AssessItems(docs)
			if err := handoff.CheckAssessment(&a, items); err != nil {
				t.Fatalf("pack %d: the app would not save this assessment: %v", id, err)
			}
			if c := a.Counts(items); c != stored {
				t.Fatalf("pack %d: stored counts %+v, the assessment says %+v", id, stored, c)
			}
			if stage != handoff.StageLock || a.Stage != stage || status != "locked" || !bySA {
				t.Fatalf("pack %d: a %s assessment (data says %s) of a %s pack, by its SA: %v", id, stage, a.Stage, status, bySA)
			}
			day, lock := deadline.DayOf(on, time.UTC), deadline.DayOf(lockDay, time.UTC)
			if day.Before(lock) || day.After(lock.AddDays(5)) || day.After(today) || deadline.DayOf(at, cal.Location()) != day ||
				!at.After(lockedAt) || at.After(now) {
				t.Fatalf("pack %d: assessed at %s (day %s), locked at %s (day %s), today %s", id, at, day, lockedAt, lock, today)
			}
			n++
			bySE[se] = bySE[se].Add(stored)
			for _, m := range a.Marks {
				verdicts[m.Verdict]++
			}
			if len(a.Surfaced) > 0 {
				surfacedPacks++
			}
			if len(a.Surfaced) > 2 {
				t.Errorf("pack %d: %d surfaced, want 1 or 2", id, len(a.Surfaced))
			}
			for _, x := range a.Surfaced {
				kinds[x.Kind], severity[x.Severity] = true, true
			}
			y, m, _ := day.Date()
			quarters[fmt.Sprintf("%d-Q%d", y, (m+2)/3)] = true
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}

		locked := count(t, db, `SELECT count(*) FROM packs WHERE status = 'locked'`)
		if n < locked*3/4 || n == locked {
			t.Errorf("%d of %d locked packs assessed; want most, not all", n, locked)
		}
		if n != sum.Assessed {
			t.Errorf("%d assessments, summary says %d", n, sum.Assessed)
		}
		if surfacedPacks < n/5 || surfacedPacks > n/2 {
			t.Errorf("%d of %d assessments with something surfaced; want about a third", surfacedPacks, n)
		}
		if verdicts[handoff.VerdictHeld] < 2*(verdicts[handoff.VerdictUnderScoped]+verdicts[handoff.VerdictWrong]) ||
			verdicts[handoff.VerdictUnderScoped] <= verdicts[handoff.VerdictWrong] || verdicts[handoff.VerdictWrong] == 0 {
			t.Errorf("verdicts %v: want mostly held, some under-scoped, a few wrong", verdicts)
		}
		if len(kinds) < 4 || len(severity) != 3 {
			t.Errorf("surfaced kinds %v, severities %v; want them varied", kinds, severity)
		}
		if len(quarters) < 6 {
			t.Errorf("assessments in %d quarters (%v); want a trend over several", len(quarters), quarters)
		}
		// One SE noticeably less accurate than every other.
		var shares []float64
		for _, c := range bySE {
			if share, ok := handoff.Accuracy(c); ok {
				shares = append(shares, share)
			}
		}
		slices.Sort(shares)
		if len(shares) < 3 || shares[1]-shares[0] < 0.08 || shares[len(shares)-1]-shares[1] > 0.2 {
			t.Errorf("accuracy by SE %v: want one noticeably lower, the others close", shares)
		}
	})

	t.Run("DueDatesFollowTheCalendar", func(t *testing.T) {
		rows, err := db.Pool.Query(ctx, `SELECT p.id, d.closed_won_on, p.pack_due_on, p.kickoff_due_on, p.kickoff_on, p.lock_due_on
			FROM packs p JOIN deals d ON d.id = p.deal_id WHERE p.id % 7 = 0 OR p.id <= 20`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		type row struct {
			ID                     int64
			ClosedWonOn, PackDueOn time.Time
			KickoffDueOn           time.Time
			KickoffOn, LockDueOn   *time.Time
		}
		got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
		if err != nil {
			t.Fatal(err)
		}
		day := func(tm time.Time) deadline.Day { return deadline.DayOf(tm, time.UTC) }
		for _, r := range got {
			cw := day(r.ClosedWonOn)
			if want := cal.Due(deadline.PackRule(settings.PackDueBusinessDays), cw); day(r.PackDueOn) != want {
				t.Errorf("pack %d: pack due %s, want %s", r.ID, day(r.PackDueOn), want)
			}
			if want := cal.Due(deadline.KickoffRule(settings.KickoffDueBusinessDays), cw); day(r.KickoffDueOn) != want {
				t.Errorf("pack %d: kickoff due %s, want %s", r.ID, day(r.KickoffDueOn), want)
			}
			if r.KickoffOn != nil {
				if want := cal.Due(deadline.LockRule(settings.LockDueCalendarDays), day(*r.KickoffOn)); r.LockDueOn == nil || day(*r.LockDueOn) != want {
					t.Errorf("pack %d: lock due %v, want %s", r.ID, r.LockDueOn, want)
				}
			}
		}
	})

	t.Run("MixHasEveryStateAndClock", func(t *testing.T) {
		for _, st := range []handoff.Status{handoff.StatusDraft, handoff.StatusSubmitted, handoff.StatusChangesRequested, handoff.StatusAcknowledged, handoff.StatusLocked} {
			if n := count(t, db, `SELECT count(*) FROM packs WHERE status = $1`, string(st)); n == 0 {
				t.Errorf("no %s pack", st)
			}
		}
		riskUntil := cal.AddBusinessDays(today, 1)
		if riskUntil != deadline.NewDay(2026, 11, 27) {
			t.Fatalf("next business day after %s is %s; the holiday was not skipped", today, riskUntil)
		}
		if n := count(t, db, `SELECT count(*) FROM packs WHERE status = 'draft' AND pack_due_on < $1`, today.Time()); n == 0 {
			t.Error("no overdue draft")
		}
		if n := count(t, db, `SELECT count(*) FROM packs WHERE status = 'draft' AND pack_due_on BETWEEN $1 AND $2`, today.Time(), riskUntil.Time()); n == 0 {
			t.Error("no draft at risk")
		}
		if n := count(t, db, `SELECT count(*) FROM packs WHERE status = 'acknowledged' AND lock_due_on < $1`, today.Time()); n == 0 {
			t.Error("no overdue architecture lock")
		}
		if n := count(t, db, `SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id
			WHERE (p.first_submitted_at AT TIME ZONE $1)::date > p.pack_due_on`, settings.TimeZone); n == 0 {
			t.Error("no late submission")
		}
		if sum.Overdue == 0 || sum.AtRisk == 0 {
			t.Errorf("summary: %d overdue, %d at risk", sum.Overdue, sum.AtRisk)
		}
	})

	t.Run("EventsReadAsHistory", func(t *testing.T) {
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE (SELECT kind FROM pack_events e WHERE e.pack_id = p.id ORDER BY id LIMIT 1) IS DISTINCT FROM 'created'`); n != 0 {
			t.Errorf("%d packs whose history does not start with created", n)
		}
		if n := count(t, db, `SELECT count(*) FROM (SELECT at < lag(at) OVER (PARTITION BY pack_id ORDER BY id) AS back FROM pack_events) x WHERE back`); n != 0 {
			t.Errorf("%d events out of time order", n)
		}
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE status = 'locked' AND NOT EXISTS (SELECT 1 FROM pack_events e WHERE e.pack_id = p.id AND e.kind = 'locked' AND e.at = p.locked_at)`); n != 0 {
			t.Errorf("%d locked packs without their locked event", n)
		}
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE
			(SELECT count(*) FROM pack_events e WHERE e.pack_id = p.id AND e.kind = 'assessed') <>
			(SELECT count(*) FROM handoff_assessments a JOIN pack_events e ON e.pack_id = a.pack_id AND e.kind = 'assessed' AND e.at = a.assessed_at
			 WHERE a.pack_id = p.id AND e.id > (SELECT max(l.id) FROM pack_events l WHERE l.pack_id = p.id AND l.kind = 'locked'))
			OR (SELECT count(*) FROM handoff_assessments a WHERE a.pack_id = p.id) <> (SELECT count(*) FROM pack_events e WHERE e.pack_id = p.id AND e.kind = 'assessed')`); n != 0 {
			t.Errorf("%d packs whose assessments and their history lines after the lock do not match", n)
		}
		if n := count(t, db, `SELECT count(*) FROM pack_events e WHERE NOT EXISTS (SELECT 1 FROM notified_events n WHERE n.event_id = e.id)`); n != 0 {
			t.Errorf("%d events of the made-up history would mail someone", n)
		}
	})

	t.Run("PeopleCanLogIn", func(t *testing.T) {
		if n := count(t, db, `SELECT count(*) FROM users WHERE role = 'se'`); n < 4+2 {
			t.Errorf("%d SEs", n)
		}
		for _, email := range []string{"sam.se@example.com", sum.Logins[len(sum.Logins)-1].Email} {
			var hash string
			if err := db.Pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE email = $1`, email).Scan(&hash); err != nil {
				t.Fatalf("%s: %v", email, err)
			}
			if ok, err := password.Verify(demo.Password, hash); err != nil || !ok {
				t.Errorf("%s cannot log in with the demo password (%v)", email, err)
			}
		}
	})

	t.Run("RefusesADatabaseWithDeals", func(t *testing.T) {
		_, err := demo.Generate(ctx, db, demo.Options{Deals: 10, Now: now}, nil)
		if !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second run: %v, want ErrNotEmpty", err)
		}
		if n := count(t, db, `SELECT count(*) FROM deals`); n != deals {
			t.Errorf("deals = %d after the refused run", n)
		}
	})

	t.Run("SequencesContinueAfterTheLoad", func(t *testing.T) {
		u, _, err := db.UserByEmail(ctx, "sam.se@example.com")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateDeal(ctx, u, handoff.Deal{AccountName: "After", OpportunityName: "Load", Segment: handoff.SegmentCommercial,
			ARR: handoff.Money{Minor: 100, Currency: "USD"}, ClosedWonOn: today.Time(), SEID: u.ID},
			func(context.Context, pgx.Tx) (postgres.DueFunc, error) {
				return func(time.Time, *time.Time) postgres.Dues {
					return postgres.Dues{PackDueOn: today.Time(), KickoffDueOn: today.Time()}
				}, nil
			}, now)
		if err != nil {
			t.Fatalf("a deal created after the load: %v", err)
		}
	})
}

// sameMatrix reports whether a and b hold the same rows; no rows, nil or
// not, are the same.
func sameMatrix(a, b handoff.Matrix) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	return reflect.DeepEqual(a, b)
}

func TestGenerateOneDeal(t *testing.T) {
	t.Parallel()
	db := postgrestest.New(t)
	sum, err := demo.Generate(context.Background(), db, demo.Options{Deals: 1, Now: now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Deals != 1 || count(t, db, `SELECT count(*) FROM pack_documents`) != 5 {
		t.Errorf("summary %+v", sum)
	}
}

func TestGenerateRejectsBadCounts(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, -1, demo.MaxDeals + 1} {
		if _, err := demo.Generate(context.Background(), nil, demo.Options{Deals: n}, nil); err == nil {
			t.Errorf("Generate(%d deals) succeeded", n)
		}
	}
}
