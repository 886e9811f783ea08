package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
)

// MaxDeals is the most deals one Generate run makes.
const MaxDeals = 1_000_000

// ErrNotEmpty is returned when the database already holds deals: the bulk
// demo makes a whole org's history and never mixes it with real data.
var ErrNotEmpty = errors.New("demo: the database already has deals; handoff demo fills an empty database only (create a new database, or drop and recreate this one)")

// Options say how big a demo org to make.
type Options struct {
	Deals int       // 1..MaxDeals
	Now   time.Time // the instant the history ends; zero means time.Now()
	Seed  int64     // the same seed and Now give the same org
}

// Summary is what Generate made.
type Summary struct {
	Deals    int
	People   int // people added (the demo logins when absent, and the generated staff)
	Events   int
	ByStatus map[handoff.Status]int
	Overdue  int // packs with at least one overdue clock
	AtRisk   int // packs with an at-risk clock and none overdue
	Assessed int // locked packs whose SA assessed the handoff's accuracy
	// After the lock: packs whose SA recorded first value, strategic
	// accounts (by segment or a manager's mark) and the pod reviews of the
	// locked ones.
	FirstValue, Strategic, PodReviews int
	Elapsed                           time.Duration
	Logins                            []Person // people to log in as, all with Password
}

// String is the one-line account of the run.
func (s Summary) String() string {
	var parts []string
	for _, st := range []handoff.Status{handoff.StatusDraft, handoff.StatusSubmitted, handoff.StatusChangesRequested, handoff.StatusAcknowledged, handoff.StatusLocked} {
		parts = append(parts, fmt.Sprintf("%s %d", strings.ToLower(st.Label()), s.ByStatus[st]))
	}
	return fmt.Sprintf("%d deals (%s), %d people added, %d events; %d packs overdue, %d at risk; %d handoffs assessed; "+
		"%d first values recorded; %d strategic accounts, %d pod reviews; %.1fs",
		s.Deals, strings.Join(parts, ", "), s.People, s.Events, s.Overdue, s.AtRisk, s.Assessed,
		s.FirstValue, s.Strategic, s.PodReviews, s.Elapsed.Seconds())
}

// notifyingKinds are the kinds of events whose lines mail someone: those
// the jobs sweep claims (migration 00027's pack_events_notify_idx names
// them). The demo marks its events of these kinds notified.
var notifyingKinds = []string{handoff.EventSubmitted, handoff.EventReturned, handoff.EventCommitmentVetoed,
	handoff.EventKickoffScheduled, handoff.EventKickoffRescheduled, handoff.EventKickoffCancelled,
	handoff.EventKickoffInviteesChanged, handoff.EventPodReviewRecorded}

// recentEvents is how far back the demo marks every event notified, of
// whatever kind: far more than the two days in which the jobs sweep still
// mails about an event.
const recentEvents = 7 * 24 * time.Hour

// batchDeals is how many deals go to the database in one batch: each
// table's COPY then carries about 1,000–11,000 rows, and memory stays
// bounded whatever the total.
const batchDeals = 1000

// writers is how many connections COPY at once: PostgreSQL parses JSON and
// maintains indexes on one core per connection.
const writers = 2

// Generate fills an empty database with a believable org: the demo logins,
// managers, SEs and SAs, and opts.Deals Closed-Won deals over the last two
// years whose packs are in every state of their lifecycle, with full
// documents, versions, reviews, commitment decisions, architectures with
// their closure matrices, accuracy assessments, first value, strategic
// accounts with their pod reviews (aftercare.go) and events, all consistent
// with the org's calendar. It streams batches through COPY and writes a
// progress line to progress (nil: none). It refuses a database that already
// has deals (ErrNotEmpty); if it fails part way it empties the deal tables
// again, so it can simply be rerun.
func Generate(ctx context.Context, db *postgres.DB, opts Options, progress io.Writer) (Summary, error) {
	start := time.Now()
	sum := Summary{ByStatus: map[handoff.Status]int{}}
	if opts.Deals < 1 || opts.Deals > MaxDeals {
		return sum, fmt.Errorf("demo: the number of deals must be between 1 and %d, not %d", MaxDeals, opts.Deals)
	}
	if progress == nil {
		progress = io.Discard
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}

	// One run at a time: the lock is held on a connection of its own until
	// the load ends.
	lock, err := db.Pool.Acquire(ctx)
	if err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	defer lock.Release()
	var locked bool
	if err := lock.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext('handoff:demo'))`).Scan(&locked); err != nil {
		return sum, fmt.Errorf("demo: lock: %w", err)
	}
	if !locked {
		return sum, errors.New("demo: another handoff demo is loading this database")
	}
	defer func() {
		_, _ = lock.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext('handoff:demo'))`)
	}()

	var exists bool
	if err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deals)`).Scan(&exists); err != nil {
		return sum, fmt.Errorf("demo: count deals: %w", err)
	}
	if exists {
		return sum, ErrNotEmpty
	}

	settings, err := db.Settings(ctx)
	if err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	off, err := db.DaysOff(ctx)
	if err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	days := make([]deadline.DayOff, len(off))
	for i, d := range off {
		days[i] = deadline.DayOff{Day: deadline.DayOf(d.Day, time.UTC), Name: d.Name}
	}
	cal, err := deadline.NewCalendar(settings.TimeZone, settings.HolidayCountries, days)
	if err != nil {
		return sum, fmt.Errorf("demo: calendar: %w", err)
	}

	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15))
	// Every person gets the same hash: hashing is deliberately slow, and the
	// password is public anyway.
	hash, err := password.Default().Hash(Password)
	if err != nil {
		return sum, fmt.Errorf("demo: %w", err)
	}
	st, err := addPeople(ctx, db, opts.Deals, hash, rng)
	if err != nil {
		return sum, err
	}
	sum.People, sum.Logins = st.added, st.logins

	// LZ4 compresses the frozen versions far faster than the default pglz;
	// reading them back does not care which was used.
	var lz4 bool
	if err := db.Pool.QueryRow(ctx, `SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'`).Scan(&lz4); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return sum, fmt.Errorf("demo: %w", err)
	}

	g := newGenerator(rng, cal, settings, now, st, opts.Deals, &sum)
	if err := load(ctx, db, g, opts.Deals, lz4, progress, start); err != nil {
		// Leave the database as it was found: without deals.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		if _, terr := db.Pool.Exec(cctx, `TRUNCATE deals CASCADE`); terr != nil {
			err = errors.Join(err, fmt.Errorf("demo: empty the deal tables after the failure: %w", terr))
		}
		return sum, err
	}
	sum.Deals = opts.Deals
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// ---- people ----

// person is a login the generator assigns deals to.
type person struct {
	id   int64
	name string
}

// staff is the org's people as stored.
type staff struct {
	ses, sas         []person
	demoSEs, demoSAs []person // the demo logins, who get the showcase packs
	managers         []person // who mark accounts strategic, the demo manager first
	logins           []Person
	added            int
}

var firstNames = []string{
	"Aisha", "Ben", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
	"Kavya", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara",
	"Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Anders", "Bianca", "Chidi", "Dana",
	"Emeka", "Fiona", "Gustavo", "Hana", "Ivan", "Julia", "Kenji", "Leila", "Marco", "Nadia",
	"Oscar", "Paula", "Rahul", "Sofia", "Tomas", "Uma", "Victor", "Yara",
}

var lastNames = []string{
	"Abbott", "Baptiste", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jansen",
	"Kowalski", "Larsen", "Mensah", "Nakamura", "Okafor", "Petrov", "Quiroga", "Rossi", "Schmidt", "Tanaka",
	"Uddin", "Varga", "Walsh", "Xu", "Yilmaz", "Zhang", "Andersson", "Becker", "Costa", "Duarte",
	"Evans", "Ferreira", "Gupta", "Horvat", "Iyer", "Jovanovic", "Kim", "Lopez", "Moreau", "Novak",
	"Oliveira", "Patel", "Reyes", "Silva", "Torres", "Vogel", "Weber", "Young",
}

func clamp(v, lo, hi int) int { return max(lo, min(hi, v)) }

// addPeople makes the demo logins when absent and the generated managers, SEs
// and SAs, and returns the SEs and SAs deals go to.
func addPeople(ctx context.Context, db *postgres.DB, deals int, hash string, rng *rand.Rand) (staff, error) {
	var emails, names, roles []string
	add := func(name, email string, role handoff.Role) {
		emails, names, roles = append(emails, email), append(names, name), append(roles, string(role))
	}
	for _, p := range People {
		add(p.Name, p.Email, p.Role)
	}
	n := len(People)
	// Distinct names, so the people filters never show the same name twice.
	pool := rng.Perm(len(firstNames) * len(lastNames))
	counts := []struct {
		role handoff.Role
		n    int
	}{
		{handoff.RoleManager, 3},
		{handoff.RoleSE, clamp(deals/500, 4, 400)},
		{handoff.RoleSA, clamp(deals/400, 3, 500)},
	}
	for _, c := range counts {
		for range c.n {
			x := pool[(len(emails)-n)%len(pool)]
			first, last := firstNames[x%len(firstNames)], lastNames[x/len(firstNames)]
			add(first+" "+last, strings.ToLower(fmt.Sprintf("%s.%s.%d@example.com", first, last, len(emails)-n+1)), c.role)
		}
	}
	tag, err := db.Pool.Exec(ctx, `
		INSERT INTO users (email, name, role, password_hash)
		SELECT e, n, r, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u (e, n, r)
		ON CONFLICT (email) DO NOTHING`, emails, names, roles, hash)
	if err != nil {
		return staff{}, fmt.Errorf("demo: add people: %w", err)
	}
	st := staff{added: int(tag.RowsAffected())}

	rows, err := db.Pool.Query(ctx, `
		SELECT id, name, email, role FROM users WHERE active AND email = ANY($1) ORDER BY id`, emails)
	if err != nil {
		return st, fmt.Errorf("demo: read people: %w", err)
	}
	type row struct {
		id                int64
		name, email, role string
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.name, &x.email, &x.role)
		return x, err
	})
	if err != nil {
		return st, fmt.Errorf("demo: read people: %w", err)
	}
	isDemo := map[string]bool{}
	for _, p := range People {
		isDemo[p.Email] = true
	}
	firstOf := map[string]bool{}
	for _, r := range found {
		p := person{r.id, r.name}
		switch handoff.Role(r.role) {
		case handoff.RoleSE:
			st.ses = append(st.ses, p)
			if isDemo[r.email] {
				st.demoSEs = append(st.demoSEs, p)
			}
		case handoff.RoleSA:
			st.sas = append(st.sas, p)
			if isDemo[r.email] {
				st.demoSAs = append(st.demoSAs, p)
			}
		case handoff.RoleManager:
			if isDemo[r.email] {
				st.managers = append([]person{p}, st.managers...)
			} else {
				st.managers = append(st.managers, p)
			}
		}
		if isDemo[r.email] || !firstOf[r.role] {
			st.logins = append(st.logins, Person{Name: r.name, Email: r.email, Role: handoff.Role(r.role)})
		}
		if !isDemo[r.email] {
			firstOf[r.role] = true
		}
	}
	if len(st.ses) == 0 || len(st.sas) == 0 {
		return st, errors.New("demo: no active SE or SA to give deals to")
	}
	return st, nil
}

// ---- loading ----

// load generates the deals batch by batch on this goroutine while the
// writers COPY earlier batches, each in its own transaction.
func load(ctx context.Context, db *postgres.DB, g *generator, n int, lz4 bool, progress io.Writer, start time.Time) error {
	lctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan *batch, writers)
	free := make(chan *batch, writers+2)
	for range writers + 2 {
		free <- &batch{}
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				if lctx.Err() != nil {
					continue
				}
				if err := b.write(lctx, db, lz4, g.now.Add(-recentEvents)); err != nil {
					cancel(err)
					continue
				}
				mu.Lock()
				done += len(b.deals)
				fmt.Fprintf(progress, "\rdeals %d/%d (%d%%) %.1fs", done, n, done*100/n, time.Since(start).Seconds())
				mu.Unlock()
				free <- b
			}
		}()
	}
generate:
	for first := 0; first < n; first += batchDeals {
		var b *batch
		select {
		case b = <-free:
		case <-lctx.Done():
			break generate
		}
		b.reset()
		for i := first; i < min(n, first+batchDeals); i++ {
			g.deal(b, i)
		}
		select {
		case work <- b:
		case <-lctx.Done():
			break generate
		}
	}
	close(work)
	wg.Wait()
	if err := context.Cause(lctx); err != nil {
		fmt.Fprintln(progress)
		return fmt.Errorf("demo: load deals: %w", err)
	}
	// Ids were given explicitly; ordinary inserts continue after them.
	for _, sql := range []string{
		`SELECT setval(pg_get_serial_sequence('deals', 'id'), (SELECT max(id) FROM deals))`,
		`SELECT setval(pg_get_serial_sequence('packs', 'id'), (SELECT max(id) FROM packs))`,
	} {
		if _, err := db.Pool.Exec(ctx, sql); err != nil {
			fmt.Fprintln(progress)
			return fmt.Errorf("demo: finish load: %w", err)
		}
	}
	// Fresh statistics let the first page views plan well, and each open
	// pack needs the count of what it misses, by the domain's own rule (the
	// COPY above wrote documents, not counts): side by side, on connections
	// of their own.
	finish := []func() error{
		func() error {
			_, err := db.Pool.Exec(ctx, `ANALYZE users, deals, packs, handoff_assessments, pod_reviews`)
			return err
		},
		func() error {
			_, err := db.Pool.Exec(ctx, `ANALYZE pack_events, pack_documents, pack_versions, document_reviews, review_questions,
				commitment_decisions, reference_architectures`)
			return err
		},
		func() error { _, err := db.RecountMissing(ctx); return err },
	}
	errs := make([]error, len(finish))
	var fwg sync.WaitGroup
	for i, f := range finish {
		fwg.Go(func() { errs[i] = f() })
	}
	fwg.Wait()
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(progress)
		return fmt.Errorf("demo: finish load: %w", err)
	}
	fmt.Fprintf(progress, "\rdeals %d/%d (100%%) %.1fs\n", n, n, time.Since(start).Seconds())
	return nil
}

// Rows of one batch, in the columns COPY sends. Zero ids and times are NULL.
type (
	dealRow struct {
		id                                 int64
		account, opportunity, crm, segment string
		arr                                int64
		closedWon                          deadline.Day
		aeName, aeEmail, csmName, csmEmail string
		seID, saID                         int64
		createdAt                          time.Time
		strategicMarked                    bool
	}
	packRow struct {
		id                                    int64
		status                                handoff.Status
		version, submittedVersion             int32
		packDue, kickoffDue, lockDue, kickoff deadline.Day
		firstSubmittedAt, submittedAt         time.Time
		acknowledgedAt, lockedAt              time.Time
		createdAt, updatedAt                  time.Time
		// After the lock: the first value clock and record, the pod
		// review clock and the latest review's copy.
		firstValueDue, firstValueOn deadline.Day
		firstValueWhat              string
		firstValueAt                time.Time
		firstValueBy                int64
		podDue, podReviewed         deadline.Day
		podPosture                  handoff.Posture
		podRenewal                  deadline.Day
	}
	docRow struct {
		packID    int64
		kind      handoff.DocKind
		data      []byte
		updatedAt time.Time
		updatedBy int64
	}
	versionRow struct {
		packID      int64
		number      int32
		documents   []byte
		submittedAt time.Time
		submittedBy int64
	}
	reviewRow struct {
		packID    int64
		kind      handoff.DocKind
		version   int32
		decision  handoff.Decision
		reason    string
		decidedBy int64
		decidedAt time.Time
	}
	questionRow struct {
		packID     int64
		kind       handoff.DocKind
		version    int32
		question   string
		askedBy    int64
		askedAt    time.Time
		answer     string
		answeredBy int64
		answeredAt time.Time
	}
	decisionRow struct {
		packID                    int64
		commitmentID, fingerprint string
		approved                  bool
		reason                    string
		decidedBy                 int64
		decidedAt                 time.Time
	}
	archRow struct {
		packID    int64
		data      []byte
		updatedAt time.Time
		updatedBy int64
	}
	assessmentRow struct {
		packID int64
		data   []byte
		counts handoff.AccuracyCounts
		se     int64 // who handed off: the SE who submitted
		on     deadline.Day
		by     int64
		at     time.Time
	}
	podReviewRow struct {
		packID             int64
		held, due, renewal deadline.Day
		posture            handoff.Posture
		data               []byte
		recordedBy         int64
		recordedAt         time.Time
	}
	eventRow struct {
		packID        int64
		at            time.Time
		actorID       int64
		kind, summary string
	}
)

// batch holds the rows of a run of deals; its slices are reused.
type batch struct {
	deals     []dealRow
	packs     []packRow
	docs      []docRow
	versions  []versionRow
	reviews   []reviewRow
	questions []questionRow
	decisions []decisionRow
	archs     []archRow
	assessed  []assessmentRow
	pods      []podReviewRow
	events    []eventRow
}

func (b *batch) reset() {
	b.deals, b.packs, b.docs, b.versions = b.deals[:0], b.packs[:0], b.docs[:0], b.versions[:0]
	b.reviews, b.questions, b.decisions = b.reviews[:0], b.questions[:0], b.decisions[:0]
	b.archs, b.assessed, b.pods, b.events = b.archs[:0], b.assessed[:0], b.pods[:0], b.events[:0]
}

func id(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func date(d deadline.Day) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// write COPYs the batch, parents before children.
func (b *batch) write(ctx context.Context, db *postgres.DB, lz4 bool, recent time.Time) error {
	steps := []func(tx pgx.Tx) error{
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "deals", []string{"id", "account_name", "opportunity_name", "crm_opportunity_id", "segment",
				"arr_minor", "arr_currency", "closed_won_on", "ae_name", "ae_email", "csm_name", "csm_email",
				"se_id", "sa_id", "created_by", "created_at", "updated_at", "strategic_marked"}, b.deals, func(r *dealRow, v []any) {
				v[0], v[1], v[2], v[3], v[4] = r.id, r.account, r.opportunity, r.crm, r.segment
				v[5], v[6], v[7], v[8], v[9], v[10], v[11] = r.arr, "USD", r.closedWon.Time(), r.aeName, r.aeEmail, r.csmName, r.csmEmail
				v[12], v[13], v[14], v[15], v[16], v[17] = r.seID, id(r.saID), r.seID, r.createdAt, r.createdAt, r.strategicMarked
			})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "packs", []string{"id", "deal_id", "status", "version", "submitted_version",
				"pack_due_on", "kickoff_due_on", "lock_due_on", "first_submitted_at", "submitted_at", "kickoff_on",
				"acknowledged_at", "locked_at", "created_at", "updated_at", "first_value_due_on", "first_value_on", "first_value_what",
				"first_value_recorded_at", "first_value_recorded_by", "pod_review_due_on", "pod_reviewed_on", "pod_posture",
				"pod_renewal_on"}, b.packs, func(r *packRow, v []any) {
				v[0], v[1], v[2], v[3], v[4] = r.id, r.id, string(r.status), r.version, r.submittedVersion
				v[5], v[6], v[7], v[8], v[9] = r.packDue.Time(), r.kickoffDue.Time(), date(r.lockDue), ts(r.firstSubmittedAt), ts(r.submittedAt)
				v[10], v[11], v[12], v[13], v[14] = date(r.kickoff), ts(r.acknowledgedAt), ts(r.lockedAt), r.createdAt, r.updatedAt
				v[15], v[16], v[17], v[18], v[19] = date(r.firstValueDue), date(r.firstValueOn), text(r.firstValueWhat), ts(r.firstValueAt), id(r.firstValueBy)
				v[20], v[21], v[22], v[23] = date(r.podDue), date(r.podReviewed), text(string(r.podPosture)), date(r.podRenewal)
			})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "pack_documents", []string{"pack_id", "kind", "data", "updated_at", "updated_by"}, b.docs,
				func(r *docRow, v []any) {
					v[0], v[1], v[2], v[3], v[4] = r.packID, string(r.kind), r.data, r.updatedAt, id(r.updatedBy)
				})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "pack_versions", []string{"pack_id", "number", "documents", "submitted_at", "submitted_by"}, b.versions,
				func(r *versionRow, v []any) {
					v[0], v[1], v[2], v[3], v[4] = r.packID, r.number, r.documents, r.submittedAt, r.submittedBy
				})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "document_reviews", []string{"pack_id", "kind", "version", "decision", "reason", "decided_by", "decided_at"}, b.reviews,
				func(r *reviewRow, v []any) {
					v[0], v[1], v[2], v[3], v[4], v[5], v[6] = r.packID, string(r.kind), r.version, string(r.decision), r.reason, r.decidedBy, r.decidedAt
				})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "review_questions", []string{"pack_id", "kind", "version", "question", "asked_by", "asked_at",
				"answer", "answered_by", "answered_at"}, b.questions, func(r *questionRow, v []any) {
				v[0], v[1], v[2], v[3], v[4], v[5] = r.packID, string(r.kind), r.version, r.question, r.askedBy, r.askedAt
				v[6], v[7], v[8] = r.answer, id(r.answeredBy), ts(r.answeredAt)
			})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "commitment_decisions", []string{"pack_id", "commitment_id", "fingerprint", "approved", "reason",
				"decided_by", "decided_at"}, b.decisions, func(r *decisionRow, v []any) {
				v[0], v[1], v[2], v[3], v[4], v[5], v[6] = r.packID, r.commitmentID, r.fingerprint, r.approved, r.reason, r.decidedBy, r.decidedAt
			})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "reference_architectures", []string{"pack_id", "data", "updated_at", "updated_by"}, b.archs,
				func(r *archRow, v []any) { v[0], v[1], v[2], v[3] = r.packID, r.data, r.updatedAt, r.updatedBy })
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "handoff_assessments", []string{"pack_id", "stage", "data", "held", "under_scoped", "wrong", "surfaced",
				"se_id", "assessed_on", "assessed_by", "assessed_at"}, b.assessed, func(r *assessmentRow, v []any) {
				v[0], v[1], v[2], v[3], v[4] = r.packID, handoff.StageLock, r.data, r.counts.Held, r.counts.UnderScoped
				v[5], v[6], v[7], v[8], v[9], v[10] = r.counts.Wrong, r.counts.Surfaced, r.se, r.on.Time(), r.by, r.at
			})
		},
		func(tx pgx.Tx) error {
			return copyRows(ctx, tx, "pod_reviews", []string{"pack_id", "held_on", "due_on", "posture", "renewal_on", "data",
				"recorded_by", "recorded_at"}, b.pods, func(r *podReviewRow, v []any) {
				v[0], v[1], v[2], v[3], v[4] = r.packID, r.held.Time(), r.due.Time(), string(r.posture), r.renewal.Time()
				v[5], v[6], v[7] = r.data, r.recordedBy, r.recordedAt
			})
		},
		func(tx pgx.Tx) error {
			// No id column: the sequence numbers events in the order
			// they are sent, which is each pack's chronological order.
			return copyRows(ctx, tx, "pack_events", []string{"pack_id", "at", "actor_id", "kind", "summary"}, b.events,
				func(r *eventRow, v []any) {
					v[0], v[1], v[2], v[3], v[4] = r.packID, r.at, id(r.actorID), r.kind, r.summary
				})
		},
		func(tx pgx.Tx) error {
			// A made-up history is not news: nobody is mailed about it.
			// The events of the kinds that mail someone are marked
			// notified, and every event of the last days whatever its
			// kind; older events of other kinds never mail anyone (the
			// jobs sweep retires events older than two days unmailed).
			// Marked batch by batch, the writers share the work while
			// the generator runs, instead of one statement over every
			// event that the end of the load waits for.
			if len(b.packs) == 0 {
				return nil
			}
			_, err := tx.Exec(ctx, `
				INSERT INTO notified_events (event_id)
				SELECT id FROM pack_events WHERE pack_id BETWEEN $1 AND $2 AND (kind = ANY($3) OR at >= $4)`,
				b.packs[0].id, b.packs[len(b.packs)-1].id, notifyingKinds, recent)
			if err != nil {
				return fmt.Errorf("mark the history notified: %w", err)
			}
			return nil
		},
	}
	// Three transactions, parents first: the deals, the packs, then the rest.
	// Inserting deals or packs bumps the one data_version row (migration
	// 00013), which holds its lock until commit; in one transaction per
	// batch the writers would take turns for the whole batch. The load is
	// not atomic per batch anyway: a failure empties every deal table.
	for _, group := range [][]func(pgx.Tx) error{steps[:1], steps[1:2], steps[2:]} {
		err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
			// A crash mid-load loses the last batches at worst; the load is
			// rerun on an empty database anyway.
			if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
				return err
			}
			if lz4 {
				if _, err := tx.Exec(ctx, `SET LOCAL default_toast_compression = 'lz4'`); err != nil {
					return err
				}
			}
			for _, step := range group {
				if err := step(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// copySource feeds typed rows to COPY through one reused value slice (pgx
// encodes each row before asking for the next).
type copySource[T any] struct {
	rows []T
	i    int
	vals []any
	fill func(*T, []any)
}

func (s *copySource[T]) Next() bool { s.i++; return s.i <= len(s.rows) }
func (s *copySource[T]) Values() ([]any, error) {
	s.fill(&s.rows[s.i-1], s.vals)
	return s.vals, nil
}
func (s *copySource[T]) Err() error { return nil }

func copyRows[T any](ctx context.Context, tx pgx.Tx, table string, cols []string, rows []T, fill func(*T, []any)) error {
	if len(rows) == 0 {
		return nil
	}
	src := &copySource[T]{rows: rows, vals: make([]any, len(cols)), fill: fill}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", len(rows), table, err)
	}
	return nil
}

// ---- the deals ----

type contact struct{ name, email string }

type account struct{ name, domain string }

// generator makes one deal and its pack's whole history at a time. It runs
// on one goroutine, so a seed always gives the same org.
type generator struct {
	rng       *rand.Rand
	cal       *deadline.Calendar
	loc       *time.Location
	now       time.Time
	today     deadline.Day
	rules     deadline.Rules
	lib       *library
	staff     staff
	aes, csms []contact
	accounts  []account
	crmOffset uint64
	sum       *Summary

	vals      [phCount]string
	events    []eventRow                            // one pack's, sorted before they join the batch
	decisions map[string]handoff.CommitmentDecision // one pack's, as the app reads them
	items     []handoff.Commitment                  // one pack's accepted commitments, reused
	weakSE    int64                                 // the SE whose handoffs are noticeably less accurate

	rowJSON     jsonCache[handoff.MatrixRow]
	closureJSON jsonCache[handoff.Closure]

	showcases []plan // the first deals' plans (showcasePlans)
}

func newGenerator(rng *rand.Rand, cal *deadline.Calendar, s handoff.Settings, now time.Time, st staff, deals int, sum *Summary) *generator {
	g := &generator{
		rng: rng, cal: cal, loc: cal.Location(), now: now, today: cal.Today(now),
		rules: deadline.RulesOf(s),
		staff: st, sum: sum,
		crmOffset: rng.Uint64N(crmSpace),
		decisions: map[string]handoff.CommitmentDecision{},
		weakSE:    weakSE(st),
		rowJSON:   jsonCache[handoff.MatrixRow]{}, closureJSON: jsonCache[handoff.Closure]{},
	}
	g.lib = newLibrary(rng, s.ApprovalThresholds)
	g.showcases = g.showcasePlans()
	people := func(n int) []contact {
		out := make([]contact, n)
		for i := range out {
			f, l := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
			out[i] = contact{f + " " + l, strings.ToLower(f + "." + l + "@example.com")}
		}
		return out
	}
	g.aes, g.csms = people(clamp(deals/250, 8, 400)), people(clamp(deals/500, 5, 200))
	for _, p := range accountPrefixes {
		for _, s := range accountSuffixes {
			name := p + " " + s
			g.accounts = append(g.accounts, account{name, strings.ToLower(strings.ReplaceAll(name, " ", "-")) + ".example"})
		}
	}
	return g
}

var accountPrefixes = []string{
	"Northwind", "Contoso", "Fabrikam", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Acme", "Tyrell",
	"Cyberdyne", "Wonka", "Aperture", "Oscorp", "Stark", "Wayne", "Soylent", "Massive", "Blue Harbor", "Red Cedar",
	"Silverline", "Ironwood", "Brightpath", "Clearwater", "Summit", "Evergreen", "Lakeside", "Granite", "Bluefin", "Sunrise",
	"Polaris", "Meridian", "Keystone", "Falcon", "Harbor", "Orion", "Pinnacle", "Redwood", "Sterling", "Vertex",
}

var accountSuffixes = []string{
	"Logistics", "Health", "Bank", "Retail", "Energy", "Insurance", "Labs", "Media", "Foods", "Airlines",
	"Capital", "Pharma", "Systems", "Motors", "Telecom", "Robotics", "Biotech", "Freight", "Hotels", "Analytics",
	"Manufacturing", "Mutual", "Games", "Security", "Software",
}

var opportunityKinds = []string{
	"New logo: platform", "Expansion: second business unit", "Enterprise agreement", "Land: data platform",
	"Upsell: premium support and SSO", "Multi-year renewal with expansion", "Migration from legacy vendor",
	"Regional rollout", "Security add-on", "Analytics tier upgrade",
}

var segments = []struct {
	segment handoff.Segment
	share   float64 // cumulative
	median  float64 // ARR in USD
}{
	{handoff.SegmentCommercial, 0.45, 28_000},
	{handoff.SegmentMidMarket, 0.75, 95_000},
	{handoff.SegmentEnterprise, 0.95, 320_000},
	{handoff.SegmentStrategic, 1.00, 1_100_000},
}

// crmSpace is how many 12-character base-36 numbers there are. CRM ids are
// "006" and one of them: the deal number times crmFactor (coprime with
// 36^12, so no two deals share an id) scatters them like Salesforce ids.
const (
	crmSpace  = 4738381338321616896 // 36^12
	crmFactor = 2928455718287417117
)

func (g *generator) crmID(i int) string {
	hi, lo := bits.Mul64(uint64(i), crmFactor)
	n := (bits.Rem64(hi, lo, crmSpace) + g.crmOffset) % crmSpace
	s := strings.ToUpper(strconv.FormatUint(n, 36))
	return "006" + strings.Repeat("0", 12-len(s)) + s
}

// closedWon picks a Closed-Won day in the last two years, more of them
// recent (the company grows), bunched at quarter ends, and mostly weekdays.
func (g *generator) closedWon() deadline.Day {
	var age int
	if g.rng.IntN(2) == 0 {
		age = g.rng.IntN(730)
	} else {
		age = int(730 * (1 - math.Sqrt(g.rng.Float64())))
	}
	cw := g.today.AddDays(-min(age, 729))
	if g.rng.IntN(5) == 0 {
		y, m, _ := cw.Date()
		qEnd := deadline.NewDay(y, (m-1)/3*3+4, 0)
		if !qEnd.After(g.today) {
			cw = qEnd.AddDays(-g.rng.IntN(8))
		}
	}
	// Most weekend wins move back into the week they belong to (Monday to
	// Friday, Friday a little more often: deals close at the end of weeks).
	if g.rng.IntN(12) != 0 {
		switch cw.Weekday() {
		case time.Saturday:
			cw = cw.AddDays(-1 - g.rng.IntN(5))
		case time.Sunday:
			cw = cw.AddDays(-2 - g.rng.IntN(5))
		}
	}
	return cw
}

// plan is how a pack's history goes, before "now" cuts it short. Business-day
// counts below 0 mean "never".
type plan struct {
	cw         deadline.Day
	submitBD   int // Closed-Won → first submission
	reviewBD   int // submission → the SA's review and kickoff call
	returned   bool
	returnKind int
	resubmitBD int // return → resubmission
	review2BD  int
	lockDays   int // kickoff → lock, calendar days
	se, sa     person
	showcase   bool

	// After the lock (aftercare.go). The showcase fixes these; random
	// plans draw them from how the handoff went.
	segment    handoff.Segment // the account's segment; "" draws one
	marked     bool            // a manager marked the account strategic
	kickoffAgo int             // the kickoff this many days before today (cw follows from it); 0: cw as given
	fvSet      bool            // fvDays and fvDelay are fixed
	fvDays     int             // kickoff → first value, calendar days; < 0: none recorded yet
	fvDelay    int             // first value → the SA records it, days
	reviews    []podPlan       // the pod reviews; nil draws them
	anyone     bool            // a showcase pack of any SE and SA, not the demo logins'
}

func (g *generator) randomPlan() plan {
	r := g.rng
	p := plan{cw: g.closedWon(), returnKind: r.IntN(5)}
	packDays := g.rules.Pack.Days
	switch x := r.Float64(); {
	case x < 0.05:
		p.submitBD = 0
	case x < 0.75:
		p.submitBD = 1 + int(float64(packDays)*math.Sqrt(r.Float64()))
		p.submitBD = min(p.submitBD, packDays)
	default: // late
		p.submitBD = packDays + 1 + int(r.ExpFloat64()*3)
	}
	switch x := r.Float64(); {
	case x < 0.45:
		p.reviewBD = 0
	case x < 0.75:
		p.reviewBD = 1
	case x < 0.90:
		p.reviewBD = 2
	case x < 0.97:
		p.reviewBD = 3
	default:
		p.reviewBD = 4 + r.IntN(5)
	}
	p.returned = r.Float64() < 0.12
	p.resubmitBD = 1 + r.IntN(4)
	p.review2BD = r.IntN(3)
	switch x := r.Float64(); {
	case x < 0.80:
		p.lockDays = 30 - int(20*r.Float64()*r.Float64())
	case x < 0.97:
		p.lockDays = 31 + r.IntN(20)
	default:
		p.lockDays = -1
	}
	// A few packs get stuck: more visibly so on old deals.
	if stuck := r.Float64(); stuck < 0.05 && g.today.AddDays(-60).After(p.cw) || stuck < 0.015 {
		switch x := r.Float64(); {
		case x < 0.4:
			p.submitBD = -1
		case x < 0.8:
			p.reviewBD = -1
		default:
			p.returned, p.resubmitBD = true, -1
		}
	}
	p.se = g.staff.ses[r.IntN(len(g.staff.ses))]
	p.sa = g.staff.sas[r.IntN(len(g.staff.sas))]
	return p
}

// showcasePlans put one pack in each state the demo should show on the
// first deals, for the demo logins: whatever N, every list has something.
func (g *generator) showcasePlans() []plan {
	bd := func(n int) deadline.Day { return g.cal.AddBusinessDays(g.today, -n) }
	never := -1
	plans := []plan{
		{cw: bd(g.rules.Pack.Days), submitBD: never},                                                                     // draft, due today: at risk
		{cw: bd(g.rules.Pack.Days - 1), submitBD: never},                                                                 // draft, due next business day: at risk
		{cw: bd(g.rules.Pack.Days + 4), submitBD: never},                                                                 // draft, overdue
		{cw: bd(3), submitBD: 1, reviewBD: never},                                                                        // submitted on time, awaiting the SA
		{cw: bd(7), submitBD: 3, reviewBD: 1, returned: true, returnKind: 2, resubmitBD: never},                          // changes requested
		{cw: bd(12), submitBD: 4, reviewBD: 1, lockDays: never},                                                          // acknowledged, lock on track
		{cw: bd(40), submitBD: 4, reviewBD: 2, lockDays: never},                                                          // acknowledged, lock overdue
		{cw: bd(60), submitBD: 3, reviewBD: 1, returned: true, returnKind: 0, resubmitBD: 2, review2BD: 1, lockDays: 21}, // locked
		{cw: bd(g.rules.Pack.Days + 5), submitBD: g.rules.Pack.Days + 2, reviewBD: never},                                // submitted late, kickoff overdue
		{cw: g.today, submitBD: never},                                                                                   // just won, nothing filled in
	}
	// Life after the lock, for each demo SA in turn (even: the first, odd:
	// the second): strategic accounts with their pod reviews, first value
	// due soon, overdue, and recorded.
	strategic, enterprise, midMarket := handoff.SegmentStrategic, handoff.SegmentEnterprise, handoff.SegmentMidMarket
	onTrack, atRisk, inDanger := handoff.PostureOnTrack, handoff.PostureAtRisk, handoff.PostureInDanger
	plans = append(plans,
		// Three quarterly reviews, the second late; the next is due in about two weeks.
		plan{segment: strategic, kickoffAgo: 376, submitBD: 3, reviewBD: 1, lockDays: 21, fvSet: true, fvDays: 48, fvDelay: 1,
			reviews: []podPlan{{-2, onTrack}, {9, atRisk}, {-4, onTrack}}},
		// Two reviews, now at risk; the next due in about a month.
		plan{segment: strategic, kickoffAgo: 260, submitBD: 4, reviewBD: 1, lockDays: 21, fvSet: true, fvDays: 55, fvDelay: 0,
			reviews: []podPlan{{-1, onTrack}, {-3, atRisk}}},
		// First value due in about a week.
		plan{segment: enterprise, kickoffAgo: 84, submitBD: 2, reviewBD: 1, lockDays: 24, fvSet: true, fvDays: -1},
		// First value due in a couple of days.
		plan{segment: midMarket, kickoffAgo: 88, submitBD: 4, reviewBD: 2, lockDays: 28, fvSet: true, fvDays: -1},
		// Marked strategic by the manager, in danger: its pod review and
		// first value both overdue, and deployment debt.
		plan{segment: enterprise, marked: true, kickoffAgo: 236, submitBD: 7, reviewBD: 2, lockDays: 36, fvSet: true, fvDays: -1,
			reviews: []podPlan{{5, inDanger}}},
		// First value recorded last week.
		plan{segment: midMarket, kickoffAgo: 70, submitBD: 2, reviewBD: 0, lockDays: 19, fvSet: true, fvDays: 62, fvDelay: 2},
		// Strategic, locked a month ago: its first pod review is not due yet.
		plan{segment: strategic, kickoffAgo: 60, submitBD: 3, reviewBD: 1, lockDays: 25, fvSet: true, fvDays: -1, reviews: []podPlan{}},
		// Marked strategic, one review on time.
		plan{segment: midMarket, marked: true, kickoffAgo: 160, submitBD: 1, reviewBD: 1, lockDays: 17, fvSet: true, fvDays: 41, fvDelay: 3,
			reviews: []podPlan{{-6, onTrack}}},
	)
	// Accounts that reached first value in the stats page's default window
	// (90 days), handed off on time and late, locked in time and late, so
	// that even the small demo's page compares them (stats.MinGroup
	// accounts a group at least), and says what the big one says: on time
	// is about a fifth sooner, a late lock costs 45–60 days. Any SE's and
	// SA's.
	for _, s := range []struct{ submitBD, lockDays, fvDays, fvAgo int }{
		{2, 20, 53, 8}, {8, 23, 64, 15}, {3, 26, 58, 24}, {7, 25, 68, 31}, {4, 18, 56, 38},
		{9, 21, 63, 46}, {1, 27, 60, 52}, {8, 29, 70, 60}, {3, 24, 51, 67}, {7, 19, 66, 74},
		{2, 41, 104, 20}, {8, 44, 110, 41}, {4, 38, 99, 57}, {9, 47, 112, 70},
	} {
		plans = append(plans, plan{anyone: true, kickoffAgo: s.fvAgo + s.fvDays, submitBD: s.submitBD, reviewBD: 1,
			lockDays: s.lockDays, fvSet: true, fvDays: s.fvDays, fvDelay: 1})
	}
	for i := range plans {
		if p := &plans[i]; p.kickoffAgo > 0 {
			// The Closed-Won day that puts the kickoff (a business day)
			// where the plan wants it.
			kickoff := g.businessDayFrom(g.today.AddDays(-p.kickoffAgo))
			p.cw = g.cal.AddBusinessDays(kickoff, -(p.submitBD + p.reviewBD))
		}
		plans[i].showcase = true
	}
	return plans
}

// showcase is deal i's showcase plan, with its people: the demo logins in
// turn, unless the plan is anyone's.
func (g *generator) showcase(i int) (plan, bool) {
	if i >= len(g.showcases) {
		return plan{}, false
	}
	p := g.showcases[i]
	p.se = g.staff.ses[g.rng.IntN(len(g.staff.ses))]
	p.sa = g.staff.sas[g.rng.IntN(len(g.staff.sas))]
	if len(g.staff.demoSEs) > 0 && !p.anyone {
		p.se = g.staff.demoSEs[i%len(g.staff.demoSEs)]
	}
	if len(g.staff.demoSAs) > 0 && !p.anyone {
		p.sa = g.staff.demoSAs[i%len(g.staff.demoSAs)]
	}
	return p, true
}

// on returns an instant on day d after prev: the next step a few minutes on
// when prev is that day, else a working hour of d in the org's time zone.
func (g *generator) on(d deadline.Day, prev time.Time) time.Time {
	if !prev.IsZero() && deadline.DayOf(prev, g.loc) == d {
		return prev.Add(time.Duration(2+g.rng.IntN(18)) * time.Minute)
	}
	y, m, dd := d.Date()
	t := time.Date(y, m, dd, 8, 0, 0, 0, g.loc).Add(time.Duration(g.rng.IntN(8*60)) * time.Minute)
	if !prev.IsZero() && !t.After(prev) {
		t = prev.Add(time.Duration(2+g.rng.IntN(18)) * time.Minute)
	}
	return t
}

// spread returns n increasing instants strictly between from and to, in
// working hours where the days between allow it: when an SE saved each
// document.
func (g *generator) spread(from, to time.Time, n int) []time.Time {
	out := make([]time.Time, n)
	prev := from
	for i := range out {
		mid := from.Add(time.Duration(float64(to.Sub(from)) * float64(i+1) / float64(n+1)))
		t := g.on(deadline.DayOf(mid, g.loc), prev)
		if !t.Before(to) {
			// No room left that day: squeeze in before to.
			t = prev.Add(to.Sub(prev) / time.Duration(n-i+1))
		}
		out[i], prev = t, t
	}
	return out
}

func (g *generator) past(t time.Time) bool { return !t.IsZero() && !t.After(g.now) }

// businessDayFrom returns d, or the next business day after it.
func (g *generator) businessDayFrom(d deadline.Day) deadline.Day {
	for i := 0; i < 14; i++ {
		if ok, _ := g.cal.IsBusinessDay(d); ok {
			return d
		}
		d = d.AddDays(1)
	}
	return d
}

// event adds e to the pack's history, in the words the app writes
// (handoff's event functions).
func (g *generator) event(packID int64, at time.Time, actor int64, e handoff.Event) {
	g.events = append(g.events, eventRow{packID: packID, at: at, actorID: actor, kind: e.Kind, summary: e.Summary})
}

// deal adds deal i (id i+1) with its pack and the pack's history to b.
func (g *generator) deal(b *batch, i int) {
	r := g.rng
	p, ok := g.showcase(i)
	if !ok {
		p = g.randomPlan()
	}
	dealID := int64(i + 1)
	cw := p.cw
	seg := segments[len(segments)-1]
	x := r.Float64()
	for _, s := range segments {
		if p.segment == "" && x < s.share || p.segment == s.segment {
			seg = s
			break
		}
	}
	arr := int64(seg.median*math.Exp(0.55*r.NormFloat64())/100) * 100
	arr = max(arr, 5_000)
	acct := g.accounts[r.IntN(len(g.accounts))]
	ae, csm := g.aes[r.IntN(len(g.aes))], g.csms[r.IntN(len(g.csms))]

	// created: the day it was won, never after now.
	created := g.on(cw, time.Time{})
	if created.After(g.now) {
		y, m, d := cw.Date()
		sod := time.Date(y, m, d, 0, 0, 0, 0, g.loc)
		created = g.now.Add(-time.Duration(1+r.IntN(60)) * time.Minute)
		if created.Before(sod) {
			created = sod
		}
	}

	pk := packRow{
		id: dealID, status: handoff.StatusDraft, version: 1,
		packDue: g.cal.DueDates(g.rules, cw, deadline.Day{}).Pack, kickoffDue: g.cal.DueDates(g.rules, cw, deadline.Day{}).Kickoff,
		createdAt: created,
	}
	g.events = g.events[:0]
	clear(g.decisions)
	g.event(dealID, created, p.se.id, handoff.CreatedEvent(cw.Time(), pk.packDue.Time()))
	marked := g.markStrategic(&pk, p, seg.segment, created)
	strategic := marked || seg.segment == handoff.SegmentStrategic

	// Per-pack values in the documents.
	g.vals[phAccount], g.vals[phDomain] = acct.name, acct.domain
	pocEnd := cw.AddDays(-3 - r.IntN(12))
	g.vals[phPOCStart], g.vals[phPOCEnd] = pocEnd.AddDays(-14-r.IntN(21)).String(), pocEnd.String()
	g.vals[phDue1] = cw.AddDays(30 + r.IntN(30)).String()
	g.vals[phDue2] = cw.AddDays(60 + r.IntN(60)).String()
	g.vals[phDue3] = cw.AddDays(120 + r.IntN(120)).String()

	var (
		cur       [5]tmpl // the documents as they stand
		v1        [5]tmpl // as frozen in v1
		reviews   [5]reviewRow
		reviewed  [5]bool
		anyReview bool
		returnAt  time.Time
	)
	sa := p.sa.id
	var lockDay deadline.Day // the day the plan locks the architecture, even when that is still ahead

	// Submission.
	var sub1 time.Time
	if p.submitBD >= 0 {
		sub1 = g.on(g.cal.AddBusinessDays(cw, p.submitBD), created)
	}
	if !g.past(sub1) {
		g.draftDocuments(b, &pk, p, created)
		g.finish(b, &pk, p, dealID, acct, seg.segment, marked, strategic, arr, ae, csm, anyReview)
		return
	}
	for k := range 5 {
		v1[k] = g.lib.full[k][r.IntN(len(g.lib.full[k]))]
	}
	if p.showcase {
		g.lib.withMatrixRows(&v1)
	}
	cur = v1
	docTimes := g.spread(created, sub1, 5)
	pk.version += 5 + 1
	pk.status, pk.submittedVersion, pk.firstSubmittedAt, pk.submittedAt = handoff.StatusSubmitted, 1, sub1, sub1
	g.event(dealID, sub1, p.se.id, handoff.SubmittedEvent(1))
	v1JSON := g.compose(&v1)
	b.versions = append(b.versions, versionRow{dealID, 1, v1JSON, sub1, p.se.id})

	// Review, possibly a return and a resubmission, decisions, kickoff.
	func() {
		if p.reviewBD < 0 {
			return
		}
		t := g.on(g.cal.AddBusinessDays(deadline.DayOf(sub1, g.loc), p.reviewBD), sub1)
		order := [5]int{0, 1, 2, 3, 4}
		if p.returned {
			order[p.returnKind], order[4] = order[4], order[p.returnKind]
		}
		version := int32(1)
		for n, k := range order {
			if n > 0 {
				t = g.on(deadline.DayOf(t, g.loc), t)
			}
			if !g.past(t) {
				return
			}
			anyReview = true
			kind := docKinds[k]
			if p.returned && n == 4 {
				reason := returnReasons[k][r.IntN(len(returnReasons[k]))]
				reviews[k], reviewed[k] = reviewRow{dealID, kind, version, handoff.DecisionReturned, reason, sa, t}, true
				g.event(dealID, t, sa, handoff.ReviewedEvent(kind, handoff.DecisionReturned, reason, nil))
				pk.status = handoff.StatusChangesRequested
				returnAt = t
				break
			}
			g.accept(b, &reviews[k], &reviewed[k], dealID, kind, version, p, t)
		}
		if p.returned {
			k := p.returnKind
			// The SE's fix: another full version of the returned document.
			fixed := g.lib.full[k][(indexOf(g.lib.full[k], v1[k])+1)%len(g.lib.full[k])]
			if p.resubmitBD < 0 {
				// Stuck: maybe the SE started on the fix, never resubmitted.
				if r.IntN(2) == 0 {
					if edit := g.on(g.cal.AddBusinessDays(deadline.DayOf(returnAt, g.loc), 1+r.IntN(3)), returnAt); g.past(edit) {
						cur[k], docTimes[k] = fixed, edit
						pk.version++
						g.event(dealID, edit, p.se.id, handoff.SectionSavedEvent(docKinds[k]))
					}
				}
				return
			}
			sub2Day := g.cal.AddBusinessDays(deadline.DayOf(returnAt, g.loc), p.resubmitBD)
			edit := g.on(sub2Day, returnAt)
			if !g.past(edit) {
				return
			}
			cur[k], docTimes[k] = fixed, edit
			pk.version++
			g.event(dealID, edit, p.se.id, handoff.SectionSavedEvent(docKinds[k]))
			sub2 := g.on(sub2Day, edit)
			if !g.past(sub2) {
				return
			}
			version = 2
			pk.version++
			pk.status, pk.submittedVersion, pk.submittedAt = handoff.StatusSubmitted, 2, sub2
			g.event(dealID, sub2, p.se.id, handoff.SubmittedEvent(2))
			b.versions = append(b.versions, versionRow{dealID, 2, g.compose(&cur), sub2, p.se.id})
			for j := range reviews {
				reviews[j].version = 2
			}
			reviewed[k] = false
			t = g.on(g.cal.AddBusinessDays(sub2Day, p.review2BD), sub2)
			if !g.past(t) {
				return
			}
			g.accept(b, &reviews[k], &reviewed[k], dealID, docKinds[k], version, p, t)
		}

		// Big commitments need the SA's decision before the kickoff.
		for _, c := range g.lib.bigs[indexOf(g.lib.full[2], cur[2])] {
			t = g.on(deadline.DayOf(t, g.loc), t)
			if !g.past(t) {
				return
			}
			d := decisionRow{packID: dealID, commitmentID: c.ID, fingerprint: handoff.Fingerprint(c.rendered(&g.vals)), approved: true, decidedBy: sa, decidedAt: t}
			if r.IntN(10) == 0 {
				d.approved, d.reason = false, vetoReasons[r.IntN(len(vetoReasons))]
				g.event(dealID, t, sa, handoff.CommitmentDecidedEvent(c.Description, false, d.reason))
			} else {
				g.event(dealID, t, sa, handoff.CommitmentDecidedEvent(c.Description, true, ""))
			}
			b.decisions = append(b.decisions, d)
			g.decisions[d.commitmentID] = handoff.CommitmentDecision{CommitmentID: d.commitmentID, Fingerprint: d.fingerprint,
				Approved: d.approved, Reason: d.reason}
		}

		ack := g.on(deadline.DayOf(t, g.loc), t)
		if !g.past(ack) {
			return
		}
		kickoff := deadline.DayOf(ack, g.loc)
		pk.status, pk.kickoff, pk.acknowledgedAt = handoff.StatusAcknowledged, kickoff, ack
		dues := g.cal.DueDates(g.rules, cw, kickoff)
		pk.lockDue, pk.firstValueDue = dues.Lock, dues.FirstValue
		g.event(dealID, ack, sa, handoff.AcknowledgedEvent(int(version), kickoff.Time(), pk.lockDue.Time()))

		// The reference architecture: a draft, then the lock.
		var saved, lockAt time.Time
		if p.lockDays >= 0 {
			lockDay = g.businessDayFrom(kickoff.AddDays(p.lockDays))
			savedDay := kickoff.AddDays(max(0, kickoff.DaysUntil(lockDay)-r.IntN(6)))
			saved = g.on(savedDay, ack)
			lockAt = g.on(lockDay, saved)
		} else if p.showcase || r.IntN(2) == 0 {
			// The showcase's acknowledged packs always have a draft, so the
			// demo SAs see a closure matrix in progress.
			saved = g.on(kickoff.AddDays(2+r.IntN(24)), ack)
		}
		if !g.past(saved) {
			return
		}
		pk.version++
		g.event(dealID, saved, sa, handoff.ArchitectureSavedEvent())
		accepted := g.accepted(&cur)
		if !g.past(lockAt) {
			g.vals[phSignOff] = ""
			draft := g.lib.archDraft[r.IntN(len(g.lib.archDraft))]
			closures := g.draftClosures(handoff.ClosureMatrix(accepted, g.decisions, nil))
			m := handoff.ClosureMatrix(accepted, g.decisions, closures)
			b.archs = append(b.archs, archRow{dealID, g.archJSON(draft, m, false), saved, sa})
			return
		}
		savedDay := deadline.DayOf(saved, g.loc)
		signOff := savedDay.AddDays(r.IntN(savedDay.DaysUntil(lockDay) + 1))
		g.vals[phSignOff] = signOff.String()
		v := g.lib.archFull[r.IntN(len(g.lib.archFull))]
		// Closed in full when saved, then frozen by the lock as the app's
		// lock does: the matrix of the accepted version with those closures.
		closures := g.lockClosures(handoff.ClosureMatrix(accepted, g.decisions, nil))
		locked := handoff.ClosureMatrix(accepted, g.decisions, closures)
		b.archs = append(b.archs, archRow{dealID, g.archJSON(v.t, locked, true), saved, sa})
		pk.version++
		pk.status, pk.lockedAt = handoff.StatusLocked, lockAt
		g.event(dealID, lockAt, sa, handoff.LockedEvent(v.signOffName, v.signOffTitle, signOff.String()))
		g.assess(b, &pk, p, accepted, lockAt)
	}()

	if !pk.kickoff.IsZero() {
		// The pod as the deal names it, which each review keeps.
		pod := handoff.PodAccount{Pod: []handoff.PodPerson{{Member: handoff.PodAE, Name: ae.name}, {Member: handoff.PodSE, Name: p.se.name},
			{Member: handoff.PodSA, Name: p.sa.name}, {Member: handoff.PodCSM, Name: csm.name}}}
		g.afterKickoff(b, &pk, p, lockDay, &cur, strategic, pod)
	}
	for k := range 5 {
		b.docs = append(b.docs, docRow{dealID, docKinds[k], g.render(cur[k]), docTimes[k], p.se.id})
		if reviewed[k] {
			b.reviews = append(b.reviews, reviews[k])
		}
	}
	g.finish(b, &pk, p, dealID, acct, seg.segment, marked, strategic, arr, ae, csm, anyReview)
}

// accept records the SA accepting one document, now and then with a
// question the SE answers.
func (g *generator) accept(b *batch, rv *reviewRow, done *bool, packID int64, kind handoff.DocKind, version int32, p plan, t time.Time) {
	*rv, *done = reviewRow{packID, kind, version, handoff.DecisionAccepted, "", p.sa.id, t}, true
	if g.rng.IntN(12) != 0 {
		g.event(packID, t, p.sa.id, handoff.ReviewedEvent(kind, handoff.DecisionAccepted, "", nil))
		return
	}
	rv.decision = handoff.DecisionWithQuestions
	qa := questions[g.rng.IntN(len(questions))]
	g.event(packID, t, p.sa.id, handoff.ReviewedEvent(kind, handoff.DecisionWithQuestions, "", qa[:1]))
	q := questionRow{packID: packID, kind: kind, version: version, question: qa[0], askedBy: p.sa.id, askedAt: t}
	if at := t.Add(time.Duration(10+g.rng.IntN(170)) * time.Minute); g.past(at) {
		q.answer, q.answeredBy, q.answeredAt = qa[1], p.se.id, at
		g.event(packID, at, p.se.id, handoff.AnsweredEvent(qa[0], qa[1]))
	}
	b.questions = append(b.questions, q)
}

// draftDocuments fills a draft's documents part way, as an SE at work
// leaves them, with a "saved" event for each one touched.
func (g *generator) draftDocuments(b *batch, pk *packRow, p plan, created time.Time) {
	r := g.rng
	fresh := p.cw == g.today && r.IntN(3) != 0 || p.showcase && p.cw == g.today
	var level [5]int // 0 empty, 1 partial, 2 full
	if !fresh {
		for k := range level {
			switch x := r.Float64(); {
			case x < 0.55:
				level[k] = 2
			case x < 0.8:
				level[k] = 1
			}
		}
		if level == [5]int{2, 2, 2, 2, 2} {
			level[r.IntN(5)] = 1
		}
		// The scorecard points at people in the map, so the map is at
		// least as far along.
		level[3] = max(level[3], level[0])
	}
	var touched []int
	for k, l := range level {
		if l > 0 && len(g.lib.partial[k]) > 0 || l == 2 {
			touched = append(touched, k)
		}
	}
	times := g.spread(created, g.now, len(touched))
	for k := range 5 {
		t, by := created, int64(0)
		data := g.lib.empty[k]
		switch {
		case level[k] == 2:
			data = g.lib.full[k][r.IntN(len(g.lib.full[k]))]
		case level[k] == 1 && len(g.lib.partial[k]) > 0:
			data = g.lib.partial[k][r.IntN(len(g.lib.partial[k]))]
		}
		for n, tk := range touched {
			if tk == k {
				t, by = times[n], p.se.id
				g.event(pk.id, t, p.se.id, handoff.SectionSavedEvent(docKinds[k]))
				pk.version++
			}
		}
		b.docs = append(b.docs, docRow{pk.id, docKinds[k], g.render(data), t, by})
	}
}

// finish adds the deal, the pack and its events, and counts the pack's
// clocks the way the manager's lists will see them.
func (g *generator) finish(b *batch, pk *packRow, p plan, dealID int64, acct account, seg handoff.Segment, marked, strategic bool, arr int64,
	ae, csm contact, anyReview bool) {
	sa := p.sa.id
	// A few recent packs wait for an SA to be assigned.
	if !p.showcase && !anyReview && (pk.status == handoff.StatusDraft || pk.status == handoff.StatusSubmitted) &&
		g.today.AddDays(-60).Before(p.cw) && g.rng.IntN(10) == 0 {
		sa = 0
	}
	b.deals = append(b.deals, dealRow{
		id: dealID, account: acct.name,
		opportunity: acct.name + " — " + opportunityKinds[g.rng.IntN(len(opportunityKinds))],
		crm:         g.crmID(int(dealID)), segment: string(seg), arr: arr * 100, closedWon: p.cw,
		aeName: ae.name, aeEmail: ae.email, csmName: csm.name, csmEmail: csm.email,
		seID: p.se.id, saID: sa, createdAt: pk.createdAt, strategicMarked: marked,
	})
	// Events in time order, so their ids read as the pack's history.
	ev := g.events
	for i := 1; i < len(ev); i++ {
		for j := i; j > 0 && ev[j].at.Before(ev[j-1].at); j-- {
			ev[j], ev[j-1] = ev[j-1], ev[j]
		}
	}
	pk.updatedAt = ev[len(ev)-1].at
	b.events = append(b.events, ev...)
	b.packs = append(b.packs, *pk)

	g.sum.Events += len(ev)
	g.sum.ByStatus[pk.status]++
	overdue, atRisk := false, false
	check := func(open bool, due deadline.Day) {
		if !open {
			return
		}
		switch g.cal.OpenState(due, g.today) {
		case deadline.StateOverdue:
			overdue = true
		case deadline.StateAtRisk:
			atRisk = true
		}
	}
	check(deadline.IsOpen(deadline.KindPack, pk.status), pk.packDue)
	check(deadline.IsOpen(deadline.KindKickoff, pk.status), pk.kickoffDue)
	check(deadline.IsOpen(deadline.KindLock, pk.status), pk.lockDue)
	check(deadline.IsOpen(deadline.KindFirstValue, pk.status) && pk.firstValueOn.IsZero() && !pk.firstValueDue.IsZero(), pk.firstValueDue)
	check(deadline.IsOpen(deadline.KindPodReview, pk.status) && !pk.podDue.IsZero(), pk.podDue)
	if strategic {
		g.sum.Strategic++
	}
	if overdue {
		g.sum.Overdue++
	} else if atRisk {
		g.sum.AtRisk++
	}
}

func (g *generator) render(t tmpl) []byte { return t.appendTo(make([]byte, 0, t.size+128), &g.vals) }

// compose writes the five documents as one handoff.Documents object, the
// shape pack_versions keeps.
func (g *generator) compose(docs *[5]tmpl) []byte {
	n := 80
	for _, d := range docs {
		n += d.size + 64
	}
	out := make([]byte, 0, n)
	for k, d := range docs {
		if k == 0 {
			out = append(out, '{')
		} else {
			out = append(out, ',')
		}
		out = append(out, '"')
		out = append(out, docKinds[k]...)
		out = append(out, '"', ':')
		out = d.appendTo(out, &g.vals)
	}
	return append(out, '}')
}

func indexOf(ts []tmpl, t tmpl) int {
	for i := range ts {
		if ts[i].id == t.id {
			return i
		}
	}
	return 0
}

// ---- the documents ----

// Placeholders in the pre-marshaled documents, filled in per pack. Values
// never hold quotes or backslashes, so they drop into JSON strings as is.
const (
	phAccount = iota
	phDomain
	phPOCStart
	phPOCEnd
	phDue1
	phDue2
	phDue3
	phSignOff
	phCount
)

var phTokens = [phCount]string{"{{account}}", "{{domain}}", "{{poc_start}}", "{{poc_end}}", "{{due1}}", "{{due2}}", "{{due3}}", "{{sign_off}}"}

// tmpl is a marshaled document cut at its placeholders: rendering one for a
// pack is a few appends, not a json.Marshal.
type tmpl struct {
	id    int
	parts [][]byte
	keys  []int
	size  int
}

func (t tmpl) appendTo(dst []byte, vals *[phCount]string) []byte {
	for i, part := range t.parts {
		dst = append(dst, part...)
		if i < len(t.keys) {
			dst = append(dst, vals[t.keys[i]]...)
		}
	}
	return dst
}

// datedCommitment is a commitment of the library whose due date is the
// pack's value of dueKey (none when -1): what the pack's document says once
// rendered, so its fingerprint is the one the SA's decision holds.
type datedCommitment struct {
	handoff.Commitment
	dueKey int
}

// rendered is the commitment as the pack's document says it.
func (c datedCommitment) rendered(vals *[phCount]string) handoff.Commitment {
	x := c.Commitment
	if c.dueKey >= 0 {
		x.DueOn = vals[c.dueKey]
	}
	return x
}

type archVariant struct {
	t                         tmpl
	signOffName, signOffTitle string
}

// docKinds names the document each index of the library's arrays (and of
// returnReasons) holds. It is the demo's own order, not the pack's: the pages
// show documents in the registry's order whatever this says.
var docKinds = [5]handoff.DocKind{handoff.DocMEDDPICC, handoff.DocPOC, handoff.DocCommitments, handoff.DocStakeholders, handoff.DocRisks}

// library holds the document variants packs are made of.
type library struct {
	full, partial [5][]tmpl // by docKinds index
	empty         [5]tmpl
	bigs          [][]datedCommitment // per full commitments variant, those at or above the approval threshold
	ledgers       [][]datedCommitment // per full commitments variant, every item
	riskLogs      [][]handoff.Risk    // per full risks variant
	archFull      []archVariant
	archDraft     []tmpl
	drafted       map[string]bool       // the architecture parts the drafts have written
	words         map[string]itemWords  // by handoff.ItemKey of every commitment and risk
	slots         [6]string             // the stakeholder ids every map shares: 0 champion, 1 economic, 2 technical, 3 business buyer
	buyers        []handoff.Stakeholder // each stakeholder map's business buyer (slot 3), as full[3] orders the maps
	nextID        int
}

// compile marshals v and cuts it at its placeholders. The content is this
// file's own, so a failure is a programming error.
func (l *library) compile(v any) tmpl {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("demo: marshal document: %v", err))
	}
	l.nextID++
	t := tmpl{id: l.nextID, size: len(b)}
	for {
		i := bytes.Index(b, []byte("{{"))
		if i < 0 {
			break
		}
		j := bytes.Index(b[i:], []byte("}}"))
		token := string(b[i : i+j+2])
		key := -1
		for k, tok := range phTokens {
			if tok == token {
				key = k
			}
		}
		if key < 0 {
			panic("demo: unknown placeholder " + token)
		}
		t.parts, t.keys = append(t.parts, b[:i]), append(t.keys, key)
		b = b[i+j+2:]
	}
	t.parts = append(t.parts, b)
	return t
}

// rowID is a stable row id in the shape handoff.NewRowID makes.
func rowID(r *rand.Rand) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var b [12]byte
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b[:])
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickN returns n distinct elements of xs in random order.
func pickN[T any](r *rand.Rand, xs []T, n int) []T {
	idx := r.Perm(len(xs))[:min(n, len(xs))]
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func newLibrary(r *rand.Rand, thresholds handoff.Thresholds) *library {
	l := &library{}
	// Stakeholder slots: the champion and economic buyer keep their ids in
	// every variant, so any scorecard points into any map.
	var slot [6]string
	for i := range slot {
		slot[i] = rowID(r)
	}
	l.slots = slot

	// Stakeholder maps.
	person := func(i int, role string, titles []string, sentiment string, notes string) handoff.Stakeholder {
		f, last := pick(r, firstNames), pick(r, lastNames)
		return handoff.Stakeholder{ID: slot[i], Name: f + " " + last, Title: pick(r, titles),
			Email: strings.ToLower(f+"."+last) + "@{{domain}}", Role: role, Sentiment: sentiment, Notes: notes}
	}
	champion := func() handoff.Stakeholder {
		return person(0, "champion", []string{"Director of Platform Engineering", "Head of Data", "VP Engineering", "Director of IT Operations"},
			"supporter", pick(r, []string{"Ran the POC steering group and sold us internally against the build option.",
				"Our day-to-day sponsor; wants a quick win before the board meeting.", "Pushed the deal through procurement personally."}))
	}
	technical := func() handoff.Stakeholder {
		return person(2, "technical_buyer", []string{"Principal Architect", "Enterprise Architect", "Head of Security Architecture"},
			pick(r, []string{"supporter", "neutral"}), "Signed off the technical evaluation; owns SSO and network design.")
	}
	for range 12 {
		people := []handoff.Stakeholder{
			champion(),
			person(1, "economic_buyer", []string{"CFO", "CIO", "CTO", "SVP Operations", "Chief Data Officer"}, pick(r, []string{"supporter", "neutral"}),
				"Owns the budget line; cares about payback inside 12 months."),
			technical(),
			person(3, "business_buyer", []string{"VP Customer Operations", "Director of Finance Systems", "Head of Revenue Operations"}, "supporter",
				"Signs off the business case; her team are the first users."),
		}
		if r.IntN(2) == 0 {
			people = append(people, person(4, "user", []string{"Senior Data Engineer", "SRE Lead", "Analytics Manager"}, "supporter",
				"Power user from the POC; will run the internal enablement."))
		}
		if r.IntN(3) == 0 {
			people = append(people, person(5, pick(r, []string{"blocker", "influencer"}), []string{"CISO", "IT Director", "Procurement Lead"},
				pick(r, []string{"neutral", "detractor"}), "Sceptical of SaaS for regulated data; wants the security addendum honoured to the letter."))
		}
		l.full[3] = append(l.full[3], l.compile(handoff.Stakeholders{People: people}))
		l.buyers = append(l.buyers, people[3])
	}
	for range 3 {
		l.partial[3] = append(l.partial[3], l.compile(handoff.Stakeholders{People: []handoff.Stakeholder{champion(), technical()}}))
	}

	// MEDDPICC scorecards.
	notes := map[string][]string{
		"metrics": {"Cut month-end close from 9 days to 4; finance signed off the baseline in the POC readout.",
			"Reduce incident resolution time by 40% (baseline 6.5 h median, from their ITSM export).",
			"Retire two legacy tools, saving about USD 180k a year in licences."},
		"economic_buyer": {"Met twice; owns the FY budget line and signed the order form.",
			"Joined the executive readout and approved the spend on the call.", "Signs everything above USD 100k; met at the QBR."},
		"decision_criteria": {"1) SSO and SCIM with Okta, 2) EU data residency, 3) sub-second dashboards on 50M rows, 4) SOC 2 Type II report.",
			"Must integrate with Salesforce and Snowflake out of the box; 99.9% uptime SLA; role-based access by region.",
			"Time to value under 60 days, no custom code on their side, audit logs exportable to their SIEM."},
		"decision_process": {"Technical evaluation, then security review, then procurement, then CFO signature; all steps done.",
			"Architecture board approved in week 3; steering committee signed off after the POC readout."},
		"paper_process": {"MSA redlines closed by legal in 3 rounds; DPA signed; PO issued.",
			"Standard order form on their paper; security addendum negotiated over two weeks."},
		"identify_pain": {"Nightly batch jobs fail weekly and the ops team spends about 30 h a month on manual reconciliation.",
			"No single view of customer health; churn surprises every quarter.", "Audit findings on access reviews two years running."},
		"champion": {"Ran the POC steering group; has the CIO's ear.", "Credible with both IT and the business; brought us in."},
		"competition": {"Shortlisted against an in-house build and one incumbent vendor; won on time to value.",
			"Two vendors in the final round; we won on the integration story and price lock.", "No formal competitor; the alternative was doing nothing."},
	}
	status := func() string {
		switch x := r.Float64(); {
		case x < 0.75:
			return "confirmed"
		case x < 0.95:
			return "partial"
		}
		return "unknown"
	}
	for range 8 {
		rows := map[string]handoff.MEDDPICCRow{}
		for _, el := range handoff.MEDDPICCElements {
			row := handoff.MEDDPICCRow{Status: status(), Notes: pick(r, notes[el.Value])}
			switch el.Value {
			case "champion":
				row.PersonID, row.Status = slot[0], "confirmed"
			case "economic_buyer":
				row.PersonID = slot[1]
			}
			rows[el.Value] = row
		}
		l.full[0] = append(l.full[0], l.compile(handoff.MEDDPICC{Rows: rows}))
	}
	for range 3 {
		rows := map[string]handoff.MEDDPICCRow{}
		for _, el := range pickN(r, handoff.MEDDPICCElements, 4+r.IntN(3)) {
			if el.Value == "decision_criteria" || el.Value == "economic_buyer" {
				continue
			}
			row := handoff.MEDDPICCRow{Status: status(), Notes: pick(r, notes[el.Value])}
			if el.Value == "champion" {
				row.PersonID = slot[0]
			}
			rows[el.Value] = row
		}
		l.partial[0] = append(l.partial[0], l.compile(handoff.MEDDPICC{Rows: rows}))
	}

	// POCs.
	criteria := []handoff.Criterion{
		{Promised: "SSO with Okta and SCIM provisioning for 2,000 users", Demonstrated: "SSO live for the pilot group; SCIM synced 1,850 test users", Outcome: "met", Evidence: "POC readout deck, slide 7; Okta system log export"},
		{Promised: "Dashboards load in under a second on 50M rows", Demonstrated: "p95 0.8 s on 48M rows of their anonymised data", Outcome: "met", Evidence: "Load-test report attached to the POC summary"},
		{Promised: "Bi-directional Salesforce sync within 5 minutes", Demonstrated: "One-way sync in 3 minutes; write-back not tested", Outcome: "partially_met", Evidence: "Demo recording, minute 14"},
		{Promised: "Nightly Snowflake export of the audit log", Demonstrated: "Export ran for 10 nights without failure", Outcome: "met", Evidence: "Their data team's sign-off email"},
		{Promised: "Role-based access by region (EMEA, AMER, APAC)", Demonstrated: "Configured for EMEA and AMER only", Outcome: "partially_met", Evidence: "Admin console screenshots in the POC folder"},
		{Promised: "ServiceNow incident creation from alerts", Demonstrated: "Not in scope of the trial environment", Outcome: "not_tested", Evidence: "Agreed to test after go-live"},
		{Promised: "Onboard a business user in under 30 minutes", Demonstrated: "Median 22 minutes across 6 users", Outcome: "met", Evidence: "Usability session notes"},
		{Promised: "Handle 5,000 events per second sustained", Demonstrated: "Sustained 3,200 events per second before throttling", Outcome: "not_met", Evidence: "Load-test report; capacity plan needed"},
	}
	summaries := []string{
		"Four-week POC at {{account}} covering SSO, the CRM and warehouse integrations and a load test on their own data.",
		"Three-week technical validation with the {{account}} platform team, focused on security, access control and scale.",
		"Six-week pilot with two business units at {{account}}; success criteria agreed with the champion up front.",
	}
	for range 8 {
		cs := pickN(r, criteria, 2+r.IntN(3))
		for i := range cs {
			cs[i].ID = rowID(r)
		}
		l.full[1] = append(l.full[1], l.compile(handoff.POC{Summary: pick(r, summaries), StartOn: "{{poc_start}}", EndOn: "{{poc_end}}", Criteria: cs}))
	}
	for range 2 {
		cs := pickN(r, criteria, 2)
		for i := range cs {
			cs[i].ID, cs[i].Outcome, cs[i].Demonstrated, cs[i].Evidence = rowID(r), "", "", ""
		}
		l.partial[1] = append(l.partial[1], l.compile(handoff.POC{Summary: pick(r, summaries), StartOn: "{{poc_start}}", Criteria: cs}))
	}

	// Commitment ledgers.
	usd := func(dollars int64) handoff.Money { return handoff.Money{Minor: dollars * 100, Currency: "USD"} }
	commitments := []handoff.Commitment{
		{Kind: "custom_feature", Description: "Bulk export API for audit logs", Evidence: "roadmap", EvidenceDetail: "Product confirmed for next quarter's release", Value: usd(40_000), DueOn: "{{due2}}"},
		{Kind: "sla", Description: "99.95% monthly uptime with a 10% service credit", Evidence: "in_contract", EvidenceDetail: "MSA section 7.2", Value: usd(15_000), DueOn: ""},
		{Kind: "integration", Description: "ServiceNow incident sync", Evidence: "promised_verbally", EvidenceDetail: "The AE on the pricing call, two weeks before signature", Value: usd(30_000), DueOn: "{{due1}}"},
		{Kind: "pricing_exception", Description: "Price lock at current list for 36 months", Evidence: "in_contract", EvidenceDetail: "Order form, special terms clause 3", Value: usd(60_000), DueOn: ""},
		{Kind: "other", Description: "Two on-site architecture workshops in the first quarter", Evidence: "in_writing", EvidenceDetail: "The SE's email in the 'next steps' thread", Value: usd(8_000), DueOn: "{{due1}}"},
		{Kind: "integration", Description: "SCIM provisioning from Azure AD", Evidence: "demonstrated", EvidenceDetail: "POC criterion on SSO and SCIM", DueOn: "{{due1}}"},
		{Kind: "custom_feature", Description: "EU-only residency for backups", Evidence: "not_sold", EvidenceDetail: "Explicitly excluded in the order form", DueOn: ""},
		{Kind: "custom_feature", Description: "Custom fiscal-year calendars in reports", Evidence: "in_writing", EvidenceDetail: "Slide 12 of the proposal deck", Value: usd(25_000), DueOn: "{{due3}}"},
		{Kind: "sla", Description: "Named technical account manager for year one", Evidence: "in_contract", EvidenceDetail: "Order form, support schedule", Value: usd(45_000), DueOn: ""},
		{Kind: "integration", Description: "Workday HR feed for joiners and leavers", Evidence: "promised_verbally", EvidenceDetail: "The SE at the security review", Value: usd(12_000), DueOn: "{{due2}}"},
	}
	for v := range 10 {
		var c handoff.Commitments
		if v < 3 {
			c.NoneBeyondContract = true
		} else {
			c.Items = pickN(r, commitments, 1+r.IntN(3))
		}
		var ledger, bigs []datedCommitment
		for i := range c.Items {
			c.Items[i].ID = rowID(r)
			key := -1
			for k, tok := range phTokens {
				if tok == c.Items[i].DueOn {
					key = k
				}
			}
			ledger = append(ledger, datedCommitment{Commitment: c.Items[i], dueKey: key})
			if handoff.NeedsDecision(c.Items[i], thresholds) {
				bigs = append(bigs, ledger[i])
			}
		}
		l.full[2] = append(l.full[2], l.compile(c))
		l.bigs = append(l.bigs, bigs)
		l.ledgers = append(l.ledgers, ledger)
	}

	// Risk logs.
	risks := []handoff.Risk{
		{Category: "security_review", Description: "Their security review of the data-processing addendum is still open; go-live may slip", Severity: "high", Mitigation: "Weekly call with their CISO's team; our DPO on standby", Owner: "SA", Status: "open"},
		{Category: "dependency_lockin", Description: "Depends on their legacy ESB being upgraded before the integration work", Severity: "medium", Mitigation: "Fallback: direct API integration for phase one", Owner: "Customer integration lead", Status: "open"},
		{Category: "integration_unknown", Description: "The on-premises SAP instance was not part of the POC", Severity: "medium", Mitigation: "Discovery workshop in week one", Owner: "SA", Status: "open"},
		{Category: "other", Description: "The champion moves to a new role in two months", Severity: "medium", Mitigation: "Second champion identified in the business unit", Owner: "AE", Status: "mitigated"},
		{Category: "security_review", Description: "Pen-test findings from the POC environment need re-testing", Severity: "low", Mitigation: "Re-test booked with their red team", Owner: "SE", Status: "mitigated"},
		{Category: "other", Description: "Go-live date coincides with their fiscal year-end freeze", Severity: "low", Mitigation: "Customer accepts a phased rollout", Owner: "CSM", Status: "accepted"},
	}
	for v := range 8 {
		var rk handoff.Risks
		if v < 2 {
			rk.NoKnownRisks = true
		} else {
			rk.Items = pickN(r, risks, 1+r.IntN(3))
			for i := range rk.Items {
				rk.Items[i].ID = rowID(r)
			}
		}
		l.full[4] = append(l.full[4], l.compile(rk))
		l.riskLogs = append(l.riskLogs, rk.Items)
	}

	l.empty = [5]tmpl{
		l.compile(handoff.MEDDPICC{Rows: map[string]handoff.MEDDPICCRow{}}),
		l.compile(handoff.POC{Criteria: []handoff.Criterion{}}),
		l.compile(handoff.Commitments{Items: []handoff.Commitment{}}),
		l.compile(handoff.Stakeholders{People: []handoff.Stakeholder{}}),
		l.compile(handoff.Risks{Items: []handoff.Risk{}}),
	}

	// Reference architectures. Every draft leaves out the same parts.
	l.drafted = map[string]bool{}
	part := func(link, notes string) handoff.ArchPart { return handoff.ArchPart{Link: link, Notes: notes} }
	for range 4 {
		name := pick(r, firstNames) + " " + pick(r, lastNames)
		title := pick(r, []string{"Enterprise Architect", "Chief Architect", "Head of Enterprise Architecture"})
		a := handoff.Architecture{
			DocLink: "https://wiki.example.com/architecture/{{domain}}",
			Summary: pick(r, []string{
				"Single-tenant deployment in the customer's preferred region, fronted by their SSO, fed by the CRM and the warehouse.",
				"Hub-and-spoke rollout: a shared platform team owns the core, business units onboard in waves.",
				"Phased: core platform and SSO first, integrations in phase two, regional expansion after the first review."}),
			Diagrams:     part("https://diagrams.example.com/{{domain}}/context", "C4 context and container diagrams, reviewed with their architecture board."),
			DataFlows:    part("https://diagrams.example.com/{{domain}}/data-flows", "Personal data stays in region; nightly warehouse export over private link."),
			Identity:     part("", pick(r, []string{"SSO through Okta (SAML), SCIM provisioning, RBAC mapped to their AD groups.", "Azure AD with OIDC; SCIM for joiners and leavers; three admin roles."})),
			Integrations: part("https://wiki.example.com/architecture/{{domain}}/integrations", "CRM sync, warehouse export, ITSM incidents; owners named for each."),
			Scale:        part("", pick(r, []string{"Sized for 3x today's volume; reviewed again at 70% utilisation.", "Two regions active-passive; load-tested at 2x the peak month."})),
			SignOffName:  name, SignOffTitle: title, SignOffOn: "{{sign_off}}",
		}
		l.archFull = append(l.archFull, archVariant{l.compile(a), name, title})
		draft := a
		draft.Integrations, draft.Scale = handoff.ArchPart{}, handoff.ArchPart{}
		draft.SignOffName, draft.SignOffTitle, draft.SignOffOn = "", "", ""
		l.archDraft = append(l.archDraft, l.compile(draft))
		for _, p := range handoff.ArchParts {
			if part := draft.Part(p.Value); part.Link != "" || part.Notes != "" {
				l.drafted[p.Value] = true
			}
		}
	}
	l.indexWords()
	return l
}

// Words the SA writes.
var (
	returnReasons = [5][]string{
		{"The economic buyer is marked confirmed but nobody on our side has met them. Who signed, and who owns the budget after year one?",
			"Decision criteria list features, not the criteria they scored vendors on. Please write out their scoring."},
		{"A criterion says met but the evidence is a screenshot; attach the load-test report or mark it partially met.",
			"The POC dates do not match the readout deck. Which is right?"},
		{"The AE's email promises a ServiceNow integration that is not on this ledger. Add it with its evidence.",
			"The price lock has no clause reference. Add the order form clause so delivery can check it."},
		{"No security contact in the map, yet the risk log has an open security review. Who runs it on their side?",
			"The business buyer's email bounces; please check it with the AE."},
		{"The POC ran on sample data only; log the production data volume as a risk with an owner.",
			"'No known risks' on a deal with an open security review? Log it, please."},
	}
	questions = [][2]string{
		{"Who owns the SSO rollout on the customer side?", "Their IAM lead; she joins the kickoff."},
		{"Is the uptime SLA measured monthly or quarterly?", "Monthly, per the MSA schedule."},
		{"Did the champion see the scale plan before signature?", "Yes, in the executive readout."},
		{"Which business unit goes live first?", "Finance operations, then the EMEA sales team."},
		{"Are the POC environments being kept or torn down?", "Kept for 30 days, then torn down."},
	}
	vetoReasons = []string{
		"We cannot commit to this date; it is not on the roadmap for this half. Offer the standard export instead.",
		"Over the delivery budget for this segment. Offer two workshop days instead and re-scope at the first QBR.",
	}
)
