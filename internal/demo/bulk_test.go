package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
			       (SELECT coalesce(json_agg(json_build_object('id', c.commitment_id, 'fp', c.fingerprint)), '[]') FROM commitment_decisions c WHERE c.pack_id = p.id),
			       coalesce((SELECT a.data FROM reference_architectures a WHERE a.pack_id = p.id), '{}'), p.status, p.kickoff_on
			FROM packs p JOIN pack_versions v ON v.pack_id = p.id AND v.number = p.submitted_version
			WHERE p.status IN ('acknowledged', 'locked')`)
		if err != nil {
			t.Fatal(err)
		}
		checked, decided := 0, 0
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
			var ds []struct{ ID, FP string }
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
				decisions[d.ID] = handoff.CommitmentDecision{CommitmentID: d.ID, Fingerprint: d.FP}
			}
			decided += len(ds)
			if b := handoff.AckBlockers(reviews, docs, decisions, settings.ApprovalThresholds); len(b) > 0 {
				t.Fatalf("pack %d is %s but the domain would not acknowledge it: %v", id, status, b)
			}
			if status == "locked" {
				if err := arch.CheckLock(); err != nil {
					t.Fatalf("pack %d: %v", id, err)
				}
				if err := arch.Validate(kickoff, today.Time()); err != nil {
					t.Fatalf("pack %d: architecture: %v", id, err)
				}
			}
			checked++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if checked == 0 || decided == 0 {
			t.Errorf("checked %d acknowledged packs with %d commitment decisions; want some of each", checked, decided)
		}
	})

	t.Run("DueDatesFollowTheCalendar", func(t *testing.T) {
		rows, err := db.Pool.Query(ctx, `SELECT p.id, d.closed_won_on, p.pack_due_on, p.kickoff_due_on, p.kickoff_on, p.lock_due_on
			FROM packs p JOIN deals d ON d.id = p.deal_id WHERE p.id % 7 = 0 OR p.id <= 20`)
		if err != nil {
			t.Fatal(err)
		}
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
