package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
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
			"in the future":               `greatest(p.created_at, p.updated_at, submitted_at, acknowledged_at, locked_at, first_value_recorded_at) > $3`,
			"updated before last event":   `p.updated_at < (SELECT max(e.at) FROM pack_events e WHERE e.pack_id = p.id)`,
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
		rows, err := db.Pool.Query(ctx, `SELECT p.id, d.closed_won_on, p.pack_due_on, p.kickoff_due_on, p.kickoff_on, p.lock_due_on,
			p.first_value_due_on
			FROM packs p JOIN deals d ON d.id = p.deal_id WHERE p.id % 7 = 0 OR p.id <= 50`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		type row struct {
			ID                     int64
			ClosedWonOn, PackDueOn time.Time
			KickoffDueOn           time.Time
			KickoffOn, LockDueOn   *time.Time
			FirstValueDueOn        *time.Time
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
			// The first value due day is the clock model's, set with the
			// kickoff and only then.
			var kickoff deadline.Day
			if r.KickoffOn != nil {
				kickoff = day(*r.KickoffOn)
			}
			want := cal.DueDates(deadline.RulesOf(settings), cw, kickoff).FirstValue
			switch {
			case r.FirstValueDueOn == nil && !want.IsZero():
				t.Errorf("pack %d: no first value due day, want %s", r.ID, want)
			case r.FirstValueDueOn != nil && day(*r.FirstValueDueOn) != want:
				t.Errorf("pack %d: first value due %s, want %s", r.ID, day(*r.FirstValueDueOn), want)
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
		// Nobody is mailed about the made-up history: every event of a
		// kind the jobs sweep claims (the notify index names them) is
		// marked notified, and every event of the last week whatever its
		// kind; the sweep retires older ones of other kinds unmailed.
		kinds := notifyKinds(t, db)
		if !slices.Contains(kinds, handoff.EventSubmitted) || !slices.Contains(kinds, handoff.EventPodReviewRecorded) {
			t.Fatalf("notify index kinds %v: want submitted and pod_review_recorded among them", kinds)
		}
		if n := count(t, db, `SELECT count(*) FROM pack_events e WHERE (e.kind = ANY($1) OR e.at >= $2)
			AND NOT EXISTS (SELECT 1 FROM notified_events n WHERE n.event_id = e.id)`, kinds, now.Add(-7*24*time.Hour)); n != 0 {
			t.Errorf("%d events of the made-up history would mail someone", n)
		}
		if n := count(t, db, `SELECT count(*) FROM pack_events WHERE kind = ANY($1)`, kinds); n == 0 {
			t.Error("no event of a notifying kind to check")
		}
		for _, kind := range []string{handoff.EventFirstValueRecorded, handoff.EventPodReviewRecorded, handoff.EventStrategicMarked} {
			if n := count(t, db, `SELECT count(*) FROM pack_events WHERE kind = $1`, kind); n == 0 {
				t.Errorf("no %s event", kind)
			}
		}
	})

	t.Run("FirstValue", func(t *testing.T) {
		checkFirstValue(t, db, settings, today)
		checks := map[string]string{
			"first value due without kickoff": `(p.first_value_due_on IS NULL) <> (p.kickoff_on IS NULL)`,
			"first value before acknowledged": `p.first_value_on IS NOT NULL AND p.status NOT IN ('acknowledged', 'locked')`,
			"first value before kickoff":      `p.first_value_on < p.kickoff_on`,
			"first value in the future":       `p.first_value_on > $2`,
			"recorded before it happened":     `(p.first_value_recorded_at AT TIME ZONE $1)::date < p.first_value_on OR p.first_value_recorded_at < p.acknowledged_at`,
			"recorded in the future":          `p.first_value_recorded_at > $3`,
			"recorded by someone else":        `p.first_value_on IS NOT NULL AND p.first_value_recorded_by IS DISTINCT FROM d.sa_id`,
			"record without its history line": `(p.first_value_on IS NOT NULL) <> EXISTS (SELECT 1 FROM pack_events e WHERE e.pack_id = p.id
				AND e.kind = 'first_value_recorded' AND e.at = p.first_value_recorded_at AND e.actor_id = p.first_value_recorded_by
				AND e.summary LIKE 'Recorded first value on ' || p.first_value_on || ': %')`,
			"recorded twice": `(SELECT count(*) FROM pack_events e WHERE e.pack_id = p.id AND e.kind = 'first_value_recorded') > 1`,
		}
		for name, cond := range checks {
			n := count(t, db, `SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id WHERE (`+cond+`) AND $1::text IS NOT NULL AND $2::date IS NOT NULL AND $3::timestamptz IS NOT NULL`,
				settings.TimeZone, today.Time(), now)
			if n != 0 {
				t.Errorf("%s: %d packs", name, n)
			}
		}
		// Most accounts past the kickoff reached first value, not all; some
		// clocks ran out, and some accounts are deployment debt.
		after := count(t, db, `SELECT count(*) FROM packs WHERE status IN ('acknowledged', 'locked')`)
		reached := count(t, db, `SELECT count(*) FROM packs WHERE first_value_on IS NOT NULL`)
		if reached < after*6/10 || reached > after*95/100 || reached != sum.FirstValue {
			t.Errorf("first value recorded on %d of %d packs past the kickoff (summary %d); want most, not all", reached, after, sum.FirstValue)
		}
		if n := count(t, db, `SELECT count(*) FROM packs WHERE first_value_on IS NULL AND first_value_due_on < $1`, today.Time()); n == 0 {
			t.Error("no first value clock overdue")
		}
		if n := count(t, db, `SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id
			WHERE p.status IN ('acknowledged', 'locked') AND p.first_value_on IS NULL AND d.closed_won_on < $1`,
			today.AddDays(-handoff.DebtDays).Time()); n == 0 {
			t.Error("no account past the kickoff is deployment debt")
		}
		// The seed's claim, over the whole history: handed off on time
		// reaches first value about a fifth sooner than late; locked in
		// time, 45–60 days sooner than late.
		h, l := firstValueMedians(t, db, settings.TimeZone, today, deadline.Day{})
		t.Logf("handoffs on time %+v, late %+v; locks in time %+v, late %+v", h.in, h.late, l.in, l.late)
		if h.in.n < 50 || h.late.n < 50 || h.in.days > 0.88*h.late.days || h.in.days < 0.65*h.late.days {
			t.Errorf("median days to first value: on-time handoffs %+v, late %+v; want about a fifth fewer", h.in, h.late)
		}
		if l.in.n < 50 || l.late.n < 50 || l.late.days-l.in.days < 35 || l.late.days-l.in.days > 70 {
			t.Errorf("median days to first value: locked in time %+v, late %+v; want 45–60 days fewer", l.in, l.late)
		}
	})

	t.Run("PodReviews", func(t *testing.T) {
		accounts := checkPodReviews(t, db, cal, today)
		var postures = map[handoff.Posture]int{}
		var onTime, late, fromLog, again, marked, overdue, reviewed int
		for _, a := range accounts {
			if a.marked && a.segment != handoff.SegmentStrategic {
				marked++
			}
			if a.latest != nil {
				postures[a.latest.posture]++
			}
			if a.due.Before(today) {
				overdue++
			}
			if len(a.reviews) > 0 {
				reviewed++
			}
			for _, r := range a.reviews {
				if r.held.After(r.due) {
					late++
				} else {
					onTime++
				}
				for _, risk := range r.data.Risks {
					switch {
					case risk.RaisedOn == "":
						fromLog++
					case !risk.New:
						again++
					}
				}
			}
		}
		if len(accounts) == 0 || reviewed < len(accounts)/2 || marked == 0 || overdue == 0 || overdue > len(accounts)/5 {
			t.Errorf("%d locked strategic accounts, %d reviewed, %d marked strategic by a manager, %d pod reviews overdue",
				len(accounts), reviewed, marked, overdue)
		}
		if onTime < 2*late || late == 0 {
			t.Errorf("%d pod reviews on time, %d late; want mostly on time, some late", onTime, late)
		}
		if fromLog == 0 || again == 0 {
			t.Errorf("pod reviews discuss %d risks of the handoff's risk log and %d raised at an earlier review; want some of each", fromLog, again)
		}
		if postures[handoff.PostureOnTrack] < postures[handoff.PostureAtRisk] || postures[handoff.PostureAtRisk] < postures[handoff.PostureInDanger] ||
			postures[handoff.PostureInDanger] == 0 {
			t.Errorf("latest postures %v: want mostly on track, some at risk, a few in danger", postures)
		}
		if n := count(t, db, `SELECT count(*) FROM pod_reviews`); n != sum.PodReviews {
			t.Errorf("%d pod reviews, summary says %d", n, sum.PodReviews)
		}
		if n := count(t, db, `SELECT count(*) FROM deals WHERE segment = 'strategic' OR strategic_marked`); n != sum.Strategic {
			t.Errorf("%d strategic accounts, summary says %d", n, sum.Strategic)
		}
		// A manager's mark is in the history once, a review each time.
		if n := count(t, db, `SELECT count(*) FROM deals d JOIN packs p ON p.deal_id = d.id WHERE
			(SELECT count(*) FROM pack_events e JOIN users u ON u.id = e.actor_id WHERE e.pack_id = p.id AND e.kind = 'strategic_marked' AND u.role = 'manager')
			<> d.strategic_marked::int OR d.strategic_marked AND d.segment = 'strategic'`); n != 0 {
			t.Errorf("%d accounts whose strategic mark and its history line do not match", n)
		}
		if n := count(t, db, `SELECT count(*) FROM packs p WHERE (SELECT count(*) FROM pod_reviews r WHERE r.pack_id = p.id) <>
			(SELECT count(*) FROM pack_events e JOIN pod_reviews r ON r.pack_id = e.pack_id AND r.recorded_at = e.at AND r.recorded_by = e.actor_id
			 WHERE e.pack_id = p.id AND e.kind = 'pod_review_recorded' AND e.summary LIKE '%' || r.held_on || '%')
			OR (SELECT count(*) FROM pod_reviews r WHERE r.pack_id = p.id) <> (SELECT count(*) FROM pack_events e WHERE e.pack_id = p.id AND e.kind = 'pod_review_recorded')`); n != 0 {
			t.Errorf("%d packs whose pod reviews and their history lines do not match", n)
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

// The small demo `make run` seeds (HANDOFF_DEMO_DEALS=120), whatever the
// day: the named SAs see life after the lock on their own accounts (a
// strategic account with its pod reviews, first value due soon and
// recorded), and the stats page's default window (90 days) has enough
// accounts that reached first value to compare, saying what the seed
// claims.
func TestSmallDemo(t *testing.T) {
	t.Parallel()
	for _, at := range []time.Time{now, time.Now(), time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 3, 18, 0, 0, 0, time.UTC), time.Date(2027, 1, 15, 23, 30, 0, 0, time.UTC)} {
		t.Run(at.Format(time.DateOnly), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := postgrestest.New(t)
			if _, err := demo.SeedOrg(ctx, db, password.Default()); err != nil {
				t.Fatal(err)
			}
			sum, err := demo.Generate(ctx, db, demo.Options{Deals: 120, Now: at, Seed: 1}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sum.FirstValue == 0 || sum.Strategic == 0 || sum.PodReviews == 0 {
				t.Errorf("summary %s: want first values, strategic accounts and pod reviews", sum)
			}
			cal, settings := orgCalendar(t, db)
			today := cal.Today(at)
			checkFirstValue(t, db, settings, today)
			accounts := checkPodReviewsAt(t, db, cal, today, at)

			for _, email := range []string{"alex.sa@example.com", "jordan.sa@example.com"} {
				var sa int64
				if err := db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&sa); err != nil {
					t.Fatal(err)
				}
				reviewed := 0
				for _, a := range accounts {
					if a.sa == sa && len(a.reviews) >= 2 {
						reviewed++
					}
				}
				if reviewed == 0 {
					t.Errorf("%s has no strategic account with pod reviews", email)
				}
				if n := count(t, db, `SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id WHERE d.sa_id = $1
					AND p.status IN ('acknowledged', 'locked') AND p.first_value_on IS NULL AND p.first_value_due_on BETWEEN $2 AND $3`,
					sa, today.Time(), today.AddDays(14).Time()); n == 0 {
					t.Errorf("%s has no first value due in the next two weeks", email)
				}
				if n := count(t, db, `SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id WHERE d.sa_id = $1
					AND p.first_value_on IS NOT NULL`, sa); n == 0 {
					t.Errorf("%s has recorded no first value", email)
				}
			}

			// The stats page's comparisons over its default window; each
			// group needs stats.MinGroup (5) accounts to be shown.
			h, l := firstValueMedians(t, db, settings.TimeZone, today, today.AddDays(-90))
			t.Logf("90 days to %s: handoffs on time %+v, late %+v; locks in time %+v, late %+v", today, h.in, h.late, l.in, l.late)
			if h.in.n < 5 || h.late.n < 5 || h.in.days > 0.9*h.late.days {
				t.Errorf("median days to first value in 90 days: on-time handoffs %+v, late %+v; want on time sooner", h.in, h.late)
			}
			if l.in.n < 5 || l.late.n < 5 || l.late.days-l.in.days < 30 {
				t.Errorf("median days to first value in 90 days: locked in time %+v, late %+v; want in time much sooner", l.in, l.late)
			}
			if n := count(t, db, `SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id
				WHERE p.first_value_on IS NULL AND d.closed_won_on < $1`, today.AddDays(-handoff.DebtDays).Time()); n == 0 {
				t.Error("no deployment debt")
			}
		})
	}
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

// notifyKinds are the event kinds the jobs sweep mails about, as the
// partial index it reads names them (migration 00027).
func notifyKinds(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	var def string
	if err := db.Pool.QueryRow(context.Background(), `SELECT pg_get_indexdef('pack_events_notify_idx'::regclass)`).Scan(&def); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range regexp.MustCompile(`'([a-z_]+)'::text`).FindAllStringSubmatch(def, -1) {
		kinds = append(kinds, m[1])
	}
	return kinds
}

// checkFirstValue holds every pack's first value due day to the clock
// model's: set with the kickoff, DueDates' from Closed-Won and the kickoff.
func checkFirstValue(t *testing.T, db *postgres.DB, s handoff.Settings, today deadline.Day) {
	t.Helper()
	cal, err := deadline.NewCalendar(s.TimeZone, s.HolidayCountries, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool.Query(context.Background(), `SELECT p.id, d.closed_won_on, p.kickoff_on, p.first_value_due_on,
		p.first_value_on, coalesce(p.first_value_what, '')
		FROM packs p JOIN deals d ON d.id = p.deal_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rules := deadline.RulesOf(s)
	for rows.Next() {
		var id int64
		var cw time.Time
		var kickoff, due, on *time.Time
		var what string
		if err := rows.Scan(&id, &cw, &kickoff, &due, &on, &what); err != nil {
			t.Fatal(err)
		}
		want := cal.DueDates(rules, deadline.DayOf(cw, time.UTC), civil(kickoff)).FirstValue
		if got := civil(due); got != want {
			t.Fatalf("pack %d: first value due %s, want %s (kickoff %v)", id, got, want, kickoff)
		}
		// What the SA's form would accept.
		if on != nil {
			if _, err := handoff.ValidateFirstValue(on.Format(time.DateOnly), what, kickoff, today.Time()); err != nil {
				t.Fatalf("pack %d: first value %s %q: %v", id, on.Format(time.DateOnly), what, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// civil is a scanned date as a Day; zero for NULL.
func civil(t *time.Time) deadline.Day {
	if t == nil {
		return deadline.Day{}
	}
	return deadline.DayOf(*t, time.UTC)
}

type median struct {
	days float64
	n    int
}

type comparison struct{ in, late median }

// firstValueMedians are the median calendar days from Closed-Won to first
// value of the accounts whose first value fell from since (zero: ever) to
// today, handed off on time against late and locked in time against late,
// judged as the stats page judges the clocks.
func firstValueMedians(t *testing.T, db *postgres.DB, zone string, today, since deadline.Day) (handoffs, locks comparison) {
	t.Helper()
	var h, l [2]struct {
		Days *float64
		N    int
	}
	err := db.Pool.QueryRow(context.Background(), `
		WITH t AS (
			SELECT p.first_value_on - d.closed_won_on AS days,
			       (p.first_submitted_at AT TIME ZONE $1)::date <= p.pack_due_on AS handoff_in,
			       CASE WHEN p.locked_at IS NOT NULL THEN (p.locked_at AT TIME ZONE $1)::date <= p.lock_due_on
			            WHEN p.lock_due_on < $2 THEN false END AS lock_in
			FROM packs p JOIN deals d ON d.id = p.deal_id
			WHERE p.first_value_on BETWEEN $3 AND $2)
		SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE handoff_in), count(*) FILTER (WHERE handoff_in),
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE NOT handoff_in), count(*) FILTER (WHERE NOT handoff_in),
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE lock_in), count(*) FILTER (WHERE lock_in),
		       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE NOT lock_in), count(*) FILTER (WHERE NOT lock_in)
		FROM t`, zone, today.Time(), since.Time()).Scan(&h[0].Days, &h[0].N, &h[1].Days, &h[1].N, &l[0].Days, &l[0].N, &l[1].Days, &l[1].N)
	if err != nil {
		t.Fatal(err)
	}
	m := func(x struct {
		Days *float64
		N    int
	}) median {
		if x.Days == nil {
			return median{n: x.N}
		}
		return median{*x.Days, x.N}
	}
	return comparison{m(h[0]), m(h[1])}, comparison{m(l[0]), m(l[1])}
}

type podReview struct {
	held, due, renewal deadline.Day
	posture            handoff.Posture
	data               handoff.PodReviewRecord
	byID               int64
	at                 time.Time
}

type podAccount struct {
	id             int64
	sa             int64
	segment        handoff.Segment
	marked         bool
	locked         deadline.Day
	due            deadline.Day
	latest         *podReview // the copy on the pack
	reviews        []podReview
	risks          map[string]handoff.Risk
	people         map[string]bool
	docs           handoff.Documents // the accepted version's
	kickoff, fvDue deadline.Day
	firstValue     deadline.Day
	closedWon      deadline.Day
}

// checkPodReviews holds every pack's pod review clock and reviews to the
// clock model and the app's rules, and returns the locked strategic
// accounts with their reviews: the clock runs on those only, at
// deadline.NextPodReview of the lock and the latest review; each review
// answered the due day before it and is held after the lock, by today,
// recorded by the SA; the pack carries the latest one's posture and
// renewal; the review's JSON is handoff.PodReview, its risks of the
// accepted risk log by id and its Champion of the accepted map.
func checkPodReviews(t *testing.T, db *postgres.DB, cal *deadline.Calendar, today deadline.Day) []*podAccount {
	t.Helper()
	return checkPodReviewsAt(t, db, cal, today, now)
}

// podFormOf is stored review r as its SA would have typed it into the form,
// against the account a as it stood: a Champion who was not among its people
// is "Someone new", a risk first raised at r is a new row.
func podFormOf(r handoff.PodReviewRecord, a handoff.PodAccount) handoff.PodReviewForm {
	f := handoff.PodReviewForm{HeldOn: r.HeldOn.Format(time.DateOnly), Attendees: r.Attendees, Levers: r.Levers,
		Posture: string(r.Posture), RenewalOn: r.RenewalOn.Format(time.DateOnly), NextSteps: r.NextSteps,
		Champion: handoff.ChampionForm{Changed: "no", Note: r.Champion.Note}}
	if c := r.Champion; c.Changed {
		f.Champion = handoff.ChampionForm{Changed: "yes", PersonID: c.PersonID, Note: c.Note}
		if _, known := a.Person(c.PersonID); !known {
			f.Champion.PersonID, f.Champion.Name, f.Champion.Title, f.Champion.Email = handoff.ChampionNew, c.Name, c.Title, c.Email
		}
	}
	for _, k := range r.Risks {
		row := handoff.ReviewRiskForm{RiskID: k.RiskID, Severity: k.Severity, Note: k.Note}
		if k.New || k.RiskID == "" {
			row = handoff.ReviewRiskForm{Description: k.Description, Severity: k.Severity, Note: k.Note}
		}
		f.Risks = append(f.Risks, row)
	}
	return f
}

func checkPodReviewsAt(t *testing.T, db *postgres.DB, cal *deadline.Calendar, today deadline.Day, now time.Time) []*podAccount {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Pool.Query(ctx, `
		SELECT p.id, coalesce(d.sa_id, 0), d.segment, d.strategic_marked, p.status, p.locked_at, p.pod_review_due_on,
		       p.pod_reviewed_on, p.pod_posture, p.pod_renewal_on, d.closed_won_on, p.kickoff_on, p.first_value_due_on, p.first_value_on,
		       coalesce(v.documents, '{}')
		FROM packs p JOIN deals d ON d.id = p.deal_id
		LEFT JOIN pack_versions v ON v.pack_id = p.id AND v.number = p.submitted_version
		WHERE p.status = 'locked' AND (d.segment = 'strategic' OR d.strategic_marked)
		   OR p.pod_review_due_on IS NOT NULL OR p.pod_reviewed_on IS NOT NULL OR p.pod_posture IS NOT NULL OR p.pod_renewal_on IS NOT NULL
		   OR EXISTS (SELECT 1 FROM pod_reviews r WHERE r.pack_id = p.id)
		ORDER BY p.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byID := map[int64]*podAccount{}
	var out []*podAccount
	for rows.Next() {
		var (
			a                      podAccount
			status, segment        string
			lockedAt               *time.Time
			due, reviewed, renewal *time.Time
			posture                *string
			cw                     time.Time
			kickoff, fvDue, fv     *time.Time
			docsJSON               []byte
		)
		if err := rows.Scan(&a.id, &a.sa, &segment, &a.marked, &status, &lockedAt, &due, &reviewed, &posture, &renewal,
			&cw, &kickoff, &fvDue, &fv, &docsJSON); err != nil {
			t.Fatal(err)
		}
		a.segment = handoff.Segment(segment)
		strategic := a.marked || a.segment == handoff.SegmentStrategic
		if status != string(handoff.StatusLocked) || !strategic {
			t.Fatalf("pack %d is %s (strategic: %v) with a pod review clock %v, review %v, posture %v, renewal %v, or reviews",
				a.id, status, strategic, due, reviewed, posture, renewal)
		}
		a.locked, a.due = deadline.DayOf(*lockedAt, cal.Location()), civil(due)
		a.closedWon, a.kickoff, a.fvDue, a.firstValue = deadline.DayOf(cw, time.UTC), civil(kickoff), civil(fvDue), civil(fv)
		if reviewed != nil || posture != nil || renewal != nil {
			if reviewed == nil || posture == nil || renewal == nil {
				t.Fatalf("pack %d: latest review copied in part: %v %v %v", a.id, reviewed, posture, renewal)
			}
			a.latest = &podReview{held: civil(reviewed), posture: handoff.Posture(*posture), renewal: civil(renewal)}
		}
		var docs handoff.Documents
		if err := json.Unmarshal(docsJSON, &docs); err != nil {
			t.Fatal(err)
		}
		a.docs = docs
		a.risks, a.people = map[string]handoff.Risk{}, map[string]bool{}
		for _, r := range docs.Risks.Items {
			a.risks[r.ID] = r
		}
		for _, p := range docs.Stakeholders.People {
			a.people[p.ID] = true
		}
		byID[a.id] = &a
		out = append(out, &a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()

	rows, err = db.Pool.Query(ctx, `SELECT pack_id, held_on, due_on, posture, renewal_on, data, recorded_by, recorded_at
		FROM pod_reviews ORDER BY pack_id, held_on, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			packID, by         int64
			held, due, renewal time.Time
			posture            string
			data               []byte
			at                 time.Time
		)
		if err := rows.Scan(&packID, &held, &due, &posture, &renewal, &data, &by, &at); err != nil {
			t.Fatal(err)
		}
		a := byID[packID]
		if a == nil {
			t.Fatalf("pack %d has pod reviews but is not a locked strategic account", packID)
		}
		r := podReview{held: civil(&held), due: civil(&due), renewal: civil(&renewal), posture: handoff.Posture(posture), byID: by, at: at}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r.data); err != nil {
			t.Fatalf("pack %d: pod review %s: %v", packID, r.held, err)
		}
		a.reviews = append(a.reviews, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	members := map[string]bool{}
	for _, m := range handoff.PodMembers {
		members[m] = true
	}
	for _, a := range out {
		var last deadline.Day
		raised := map[string]handoff.ReviewRisk{} // risks new at the account's reviews so far
		var earlier []handoff.PodReviewRecord     // newest first, as postgres reads them
		for i, r := range a.reviews {
			// Each review is one the app's own form would have taken, on its
			// day, from the account as the reviews before it left it.
			rec := r.data
			rec.HeldOn, rec.DueOn, rec.Posture, rec.RenewalOn = r.held.Time(), r.due.Time(), r.posture, r.renewal.Time()
			acct := handoff.NewPodAccount(&handoff.Pack{}, a.locked.Time(), a.docs, earlier)
			if _, err := handoff.ValidatePodReview(podFormOf(rec, acct), acct, r.held.Time()); err != nil {
				t.Fatalf("pack %d: review %d (%s) is one the app would refuse: %v\n%+v", a.id, i+1, r.held, err, handoff.InvalidFields(err))
			}
			earlier = append([]handoff.PodReviewRecord{rec}, earlier...)
			if want := deadline.NextPodReview(true, handoff.StatusLocked, a.locked, last); r.due != want {
				t.Fatalf("pack %d: review %d answered the due day %s, want %s", a.id, i+1, r.due, want)
			}
			if !r.held.After(a.locked) || !r.held.After(last) || r.held.After(today) || deadline.DayOf(r.at, cal.Location()).Before(r.held) ||
				r.at.After(now) || r.byID != a.sa {
				t.Fatalf("pack %d: review %d held %s, recorded at %s by %d (SA %d); locked %s, previous %s, today %s",
					a.id, i+1, r.held, r.at, r.byID, a.sa, a.locked, last, today)
			}
			if !slices.Contains(handoff.Postures, r.posture) || !r.renewal.After(r.held) {
				t.Fatalf("pack %d: review %d posture %q, renewal %s", a.id, i+1, r.posture, r.renewal)
			}
			d := r.data
			if !slices.Contains(d.Attendees, handoff.PodSA) || len(d.NextSteps) == 0 {
				t.Fatalf("pack %d: review %d attendees %v, next steps %v", a.id, i+1, d.Attendees, d.NextSteps)
			}
			for _, m := range d.Attendees {
				if !members[m] || d.AttendeeNames[m] == "" {
					t.Fatalf("pack %d: attendee %q, named %q (the review keeps who was there)", a.id, m, d.AttendeeNames[m])
				}
			}
			for _, s := range d.NextSteps {
				if s.What == "" || !members[s.Owner] {
					t.Fatalf("pack %d: next step %+v", a.id, s)
				}
			}
			for _, x := range d.Risks {
				if x.Description == "" || x.Severity == "" {
					t.Fatalf("pack %d: risk %+v", a.id, x)
				}
				switch {
				case x.RiskID == "":
					t.Fatalf("pack %d: review risk %+v has no id, so no later review could pick it", a.id, x)
				case x.New:
					if x.RaisedOn != r.held.String() {
						t.Fatalf("pack %d: review risk %+v is marked new at the review of %s, another day", a.id, x, r.held)
					}
					// New at this review: a later one may pick it.
					if _, known := raised[x.RiskID]; known {
						t.Fatalf("pack %d: review risk %+v raised twice", a.id, x)
					}
					raised[x.RiskID] = handoff.ReviewRisk{RiskID: x.RiskID, Description: x.Description, Severity: x.Severity, RaisedOn: x.RaisedOn}
				case x.RaisedOn != "":
					if k, ok := raised[x.RiskID]; !ok || k.Description != x.Description || k.RaisedOn != x.RaisedOn {
						t.Fatalf("pack %d: review risk %+v is not one raised at an earlier review (%+v)", a.id, x, k)
					}
				default:
					if log, ok := a.risks[x.RiskID]; !ok || log.Description != x.Description {
						t.Fatalf("pack %d: review risk %+v is not the risk log's %+v", a.id, x, log)
					}
				}
			}
			if c := d.Champion; c.Changed && (c.Name == "" || c.PersonID == "") || !c.Changed && c != (handoff.ChampionChange{}) {
				t.Fatalf("pack %d: champion change %+v", a.id, c)
			}
			last = r.held
		}
		if want := deadline.NextPodReview(true, handoff.StatusLocked, a.locked, last); a.due != want {
			t.Fatalf("pack %d: pod review due %s, want %s (locked %s, last review %s)", a.id, a.due, want, a.locked, last)
		}
		switch n := len(a.reviews); {
		case n == 0 && a.latest != nil:
			t.Fatalf("pack %d: no review, yet the pack says %+v", a.id, *a.latest)
		case n > 0 && (a.latest == nil || a.latest.held != a.reviews[n-1].held || a.latest.posture != a.reviews[n-1].posture ||
			a.latest.renewal != a.reviews[n-1].renewal):
			t.Fatalf("pack %d: the pack says %+v, the latest review %+v", a.id, a.latest, a.reviews[n-1])
		}
	}
	return out
}
