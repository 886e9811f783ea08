package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
	"github.com/handoff-app/handoff/internal/server"
)

const baseURL = "https://handoff.example.com"

type env struct {
	t       *testing.T
	db      *postgres.DB
	smtp    *mailtest.Server
	now     atomic.Pointer[time.Time]
	runners []*jobs.Runner
	se, sa  *handoff.User
	manager *handoff.User
	due     postgres.DueSource
}

// newEnv opens a migrated database (ours plus River's), an SMTP server and
// instances River clients on it, all reading one injected clock.
func newEnv(t *testing.T, instances int, start bool) *env {
	t.Helper()
	ctx := context.Background()
	db := postgrestest.New(t)
	if err := jobs.Migrate(ctx, db.Pool); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, smtp: mailtest.New(t), due: dueSource(t, db)}
	e.set(ny(2026, 11, 18, 10))
	sender, err := mail.NewSMTP(e.smtp.URL(), "Handoff <handoff@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for i := range instances {
		r, err := jobs.New(jobs.Config{
			DB: db, Mail: sender, BaseURL: baseURL + "/", Logger: logger,
			Now:        func() time.Time { return *e.now.Load() },
			ID:         fmt.Sprintf("instance-%d", i),
			SweepEvery: -1, FetchPollInterval: 20 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		if start {
			e.start(r)
		}
		e.runners = append(e.runners, r)
	}
	e.se = e.user("Sam Engineer", "se@acme.example", handoff.RoleSE)
	e.sa = e.user("Ada Architect", "sa@acme.example", handoff.RoleSA)
	e.manager = e.user("Mia Manager", "manager@acme.example", handoff.RoleManager)
	e.user("Max Manager", "manager2@acme.example", handoff.RoleManager)
	return e
}

func (e *env) start(r *jobs.Runner) {
	e.t.Helper()
	if err := r.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = r.Stop(ctx)
	})
}

func ny(y int, m time.Month, d, hour int) time.Time {
	loc, _ := time.LoadLocation("America/New_York")
	return time.Date(y, m, d, hour, 0, 0, 0, loc)
}

func (e *env) set(t time.Time) { e.now.Store(&t) }

func (e *env) user(name, email string, role handoff.Role) *handoff.User {
	e.t.Helper()
	u, err := e.db.CreateUser(context.Background(), postgres.NewUser{Name: name, Email: email, Role: role})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// dueSource is the due-date source the server records deals with, so these
// tests see exactly the due dates production computes (docs/design.md, "Deadlines").
func dueSource(t *testing.T, db *postgres.DB) postgres.DueSource {
	t.Helper()
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{BaseURL: u, Hasher: password.Cheap()}, db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return s.DueSource()
}

func (e *env) createPack(account string, closedWon time.Time) int64 {
	e.t.Helper()
	id, err := e.db.CreateDeal(context.Background(), e.manager, handoff.Deal{
		AccountName: account, OpportunityName: account + " platform", Segment: handoff.Segment("enterprise"),
		ARR: handoff.Money{Minor: 12000000, Currency: "USD"}, ClosedWonOn: closedWon,
		SEID: e.se.ID, SAID: e.sa.ID,
	}, e.due, *e.now.Load())
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// submit has the SE fill every document of the pack and submit it, through
// the same storage calls the pack pages make.
func (e *env) submit(id int64) {
	e.t.Helper()
	ctx, now := context.Background(), *e.now.Load()
	p, err := e.db.Pack(ctx, e.se, id)
	if err != nil {
		e.t.Fatal(err)
	}
	docs := completeDocuments()
	if !docs.Complete() {
		e.t.Fatal("completeDocuments is not complete")
	}
	v := p.Version
	for _, k := range handoff.DocKinds {
		if v, err = e.db.SaveDocument(ctx, e.se, id, v, k, docs, now); err != nil {
			e.t.Fatalf("save %s: %v", k, err)
		}
	}
	if _, err := e.db.SubmitPack(ctx, e.se, id, v, nil, now); err != nil {
		e.t.Fatalf("submit pack %d: %v", id, err)
	}
}

// completeDocuments is a pack that meets docs/design.md, "A pack's life".
func completeDocuments() handoff.Documents {
	champ, eb := handoff.NewRowID(), handoff.NewRowID()
	rows := map[string]handoff.MEDDPICCRow{}
	for _, el := range handoff.MEDDPICCElements {
		rows[el.Value] = handoff.MEDDPICCRow{Status: "confirmed", Notes: el.Label + " notes"}
	}
	rows["champion"] = handoff.MEDDPICCRow{Status: "confirmed", Notes: "Pushing internally", PersonID: champ}
	rows["economic_buyer"] = handoff.MEDDPICCRow{Status: "partial", Notes: "Signs off budget", PersonID: eb}
	return handoff.Documents{
		MEDDPICC: handoff.MEDDPICC{Rows: rows},
		POC: handoff.POC{Summary: "Prove SSO and ingest throughput.", StartOn: "2026-10-05", EndOn: "2026-11-05",
			Criteria: []handoff.Criterion{{ID: handoff.NewRowID(), Promised: "SSO with Okta", Demonstrated: "Working in staging", Outcome: "met"}}},
		Commitments: handoff.Commitments{NoneBeyondContract: true},
		Stakeholders: handoff.Stakeholders{People: []handoff.Stakeholder{
			{ID: champ, Name: "Chris Champion", Role: "champion"},
			{ID: eb, Name: "Erin Buyer", Role: "economic_buyer"},
			{ID: handoff.NewRowID(), Name: "Tara Tech", Role: "technical_buyer"},
			{ID: handoff.NewRowID(), Name: "Bo Business", Role: "business_buyer"},
		}},
		Risks: handoff.Risks{NoKnownRisks: true},
	}
}

// sweep runs every instance's sweep at once, waits for the jobs, sweeps again
// (which must insert nothing) and returns the mail delivered meanwhile.
func (e *env) sweep(at time.Time) []mailtest.Message {
	e.t.Helper()
	e.set(at)
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, r := range e.runners {
		wg.Go(func() {
			if _, err := r.Sweep(ctx); err != nil {
				e.t.Error(err)
			}
		})
	}
	wg.Wait()
	e.waitIdle()
	for _, r := range e.runners {
		if n, err := r.Sweep(ctx); err != nil || n != 0 {
			e.t.Errorf("second sweep at %s inserted %d jobs (err %v), want 0", at, n, err)
		}
	}
	e.waitIdle()
	msgs := e.smtp.Take()
	sort.Slice(msgs, func(i, j int) bool { return msgs[i].Subject < msgs[j].Subject })
	return msgs
}

func (e *env) waitIdle() {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var pending int
		var errs string
		err := e.db.Pool.QueryRow(context.Background(), `
			SELECT count(*), coalesce(string_agg(errors::text, '; '), '') FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&pending, &errs)
		if err != nil {
			e.t.Fatal(err)
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%d jobs still pending; errors: %s", pending, errs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type want struct {
	to      string
	subject string
}

func check(t *testing.T, when string, got []mailtest.Message, packID int64, wants ...want) {
	t.Helper()
	sort.Slice(wants, func(i, j int) bool { return wants[i].subject < wants[j].subject })
	var g, w []string
	for _, m := range got {
		g = append(g, strings.Join(m.To, ",")+" | "+m.Subject)
	}
	for _, x := range wants {
		w = append(w, x.to+" | "+x.subject)
	}
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		t.Fatalf("%s: got mails\n%s\nwant\n%s", when, strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	link := fmt.Sprintf("%s/packs/%d", baseURL, packID)
	for _, m := range got {
		if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
			t.Errorf("%s: %q lacks the link %s in text or HTML:\n%s\n%s", when, m.Subject, link, m.Text, m.HTML)
		}
	}
}

func TestWeekOfReminders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2, true)
	// Won Wednesday 2026-11-18: due five business days later, Wednesday
	// 2026-11-25, the day before Thanksgiving.
	id := e.createPack("Acme", time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC))
	const se, sa, managers = "se@acme.example", "sa@acme.example", "manager@acme.example,manager2@acme.example"

	check(t, "Mon 23", e.sweep(ny(2026, 11, 23, 9)), id)
	check(t, "Tue 24 before 08:00", e.sweep(ny(2026, 11, 24, 7)), id)
	check(t, "Tue 24", e.sweep(ny(2026, 11, 24, 9)), id,
		want{se, "The handoff pack for Acme is due 2026-11-25 (in 1 business day)"})
	check(t, "Tue 24 later", e.sweep(ny(2026, 11, 24, 16)), id)
	check(t, "Wed 25", e.sweep(ny(2026, 11, 25, 9)), id,
		want{se, "The handoff pack for Acme is due today"})
	check(t, "Thanksgiving", e.sweep(ny(2026, 11, 26, 9)), id)
	fri := e.sweep(ny(2026, 11, 27, 9))
	check(t, "Fri 27", fri, id,
		want{se, "Overdue: the handoff pack for Acme (1 business day overdue)"},
		want{managers, "Overdue packs on 2026-11-27: 2 overdue"})
	for _, m := range fri {
		if strings.HasPrefix(m.Subject, "Overdue packs") {
			for _, s := range []string{"Pack due (1)", "Kickoff due (1)", "Acme — Acme platform — due 2026-11-25, 1 business day overdue"} {
				if !strings.Contains(m.Text, s) || !strings.Contains(m.HTML, s) {
					t.Errorf("digest lacks %q:\n%s", s, m.Text)
				}
			}
		}
	}
	check(t, "Sat 28", e.sweep(ny(2026, 11, 28, 9)), id)
	check(t, "Sun 29", e.sweep(ny(2026, 11, 29, 9)), id)
	check(t, "Mon 30", e.sweep(ny(2026, 11, 30, 9)), id,
		want{se, "Overdue: the handoff pack for Acme (2 business days overdue)"},
		want{managers, "Overdue packs on 2026-11-30: 2 overdue"})

	// The SE submits: the SA hears of it, and now owes the overdue kickoff.
	e.set(ny(2026, 11, 30, 14))
	e.submit(id)
	check(t, "Mon 30 after submit", e.sweep(ny(2026, 11, 30, 14)), id,
		want{sa, "Pack submitted: Acme"},
		want{sa, "Overdue: the kickoff for Acme (2 business days overdue)"})
	check(t, "Tue 1", e.sweep(ny(2026, 12, 1, 9)), id,
		want{sa, "Overdue: the kickoff for Acme (3 business days overdue)"},
		want{managers, "Overdue packs on 2026-12-01: 1 overdue"})
}

// TestReminderChecksStateWhenItRuns: a reminder queued before the step was
// done is not sent.
func TestReminderChecksStateWhenItRuns(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1, false)
	id := e.createPack("Globex", time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC))
	e.set(ny(2026, 11, 25, 9))
	if n, err := e.runners[0].Sweep(context.Background()); err != nil || n != 1 {
		t.Fatalf("sweep inserted %d jobs (err %v), want the due-today reminder", n, err)
	}
	e.submit(id)
	e.start(e.runners[0])
	got := e.sweep(ny(2026, 11, 25, 10))
	// No "pack due today" to the SE: the pack was submitted before the job ran.
	// The kickoff is now the SA's, due today.
	check(t, "after submit", got, id,
		want{"sa@acme.example", "Pack submitted: Globex"},
		want{"sa@acme.example", "The kickoff for Globex is due today"})
}

func TestUpcoming(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0, false)
	e.createPack("Initech", time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()
	cal, st, err := jobs.Calendar(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	got, err := jobs.Upcoming(ctx, e.db, e.se, cal, st, ny(2026, 11, 23, 9))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(got, "\n")
	for _, s := range []string{
		"returns one of your packs",
		"Initech — Initech platform (Pack due, due 2026-11-25): reminders on 2026-11-24, 2026-11-25, then each business day while it is overdue.",
	} {
		if !strings.Contains(all, s) {
			t.Errorf("Upcoming lacks %q:\n%s", s, all)
		}
	}
	if got, err = jobs.Upcoming(ctx, e.db, e.manager, cal, st, ny(2026, 11, 23, 9)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.Contains(got[0], "08:00 (America/New_York)") {
		t.Errorf("manager Upcoming = %q", got)
	}
}

// TestDefaultConfigStarts: the production configuration (periodic sweep every
// minute) is accepted by River and starts and stops cleanly.
func TestDefaultConfigStarts(t *testing.T) {
	t.Parallel()
	db := postgrestest.New(t)
	ctx := context.Background()
	if err := jobs.Migrate(ctx, db.Pool); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db.Pool); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	r, err := jobs.New(jobs.Config{DB: db, Mail: mail.NewLog(slog.New(slog.NewTextHandler(io.Discard, nil))), BaseURL: baseURL})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stop, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.Stop(stop); err != nil {
		t.Fatal(err)
	}
}
