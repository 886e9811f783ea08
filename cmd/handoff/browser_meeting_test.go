package main

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// inviteMailer is the job workers of a test, outside the served program (run
// with HANDOFF_WORKERS=off) so the test sweeps when it wants instead of
// waiting for the minute's sweep, mailing to a test SMTP server.
type inviteMailer struct {
	db     *postgres.DB
	smtp   *mailtest.Server
	runner *jobs.Runner
}

func newInviteMailer(t *testing.T, databaseURL string) *inviteMailer {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	m := &inviteMailer{db: db, smtp: mailtest.New(t)}
	sender, err := mail.NewSMTP(m.smtp.URL(), "Handoff <handoff@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	m.runner, err = jobs.New(jobs.Config{DB: db, Mail: sender, BaseURL: "http://127.0.0.1",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SweepEvery: -1, FetchPollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = m.runner.Stop(sctx)
	})
	return m
}

// invites sweeps, waits for the mail and returns the calendar invites
// delivered since the last call, parsed, each of them to Alex among others.
func (m *inviteMailer) invites(t *testing.T) []*ics.Calendar {
	t.Helper()
	var out []*ics.Calendar
	for _, msg := range m.mail(t) {
		cal, err := ics.ParseCalendar(strings.NewReader(msg.Calendar))
		if err != nil {
			t.Fatalf("%q: parse the invite: %v", msg.Subject, err)
		}
		if len(cal.Events()) != 1 || !strings.Contains(strings.Join(msg.To, ","), "alex.sa@example.com") {
			t.Fatalf("%q to %v: %d events", msg.Subject, msg.To, len(cal.Events()))
		}
		out = append(out, cal)
	}
	return out
}

// mail sweeps, waits for the jobs and returns the calendar invites
// delivered since the last call.
func (m *inviteMailer) mail(t *testing.T) []mailtest.Message {
	t.Helper()
	ctx := context.Background()
	if _, err := m.runner.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var pending int
		if err := m.db.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still pending", pending)
		}
	}
	var out []mailtest.Message
	for _, msg := range m.smtp.Take() {
		if msg.Calendar != "" {
			out = append(out, msg)
		}
	}
	slices.SortFunc(out, func(a, b mailtest.Message) int { return strings.Compare(a.Subject, b.Subject) })
	return out
}

// checkInvite checks the one invite in got: a REQUEST of the pack's event
// at sequence seq, starting at start.
func checkInvite(t *testing.T, got []*ics.Calendar, seq string, start time.Time) {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("%d invites delivered, want 1", len(got))
	}
	var method string
	for _, p := range got[0].CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			method = p.Value
		}
	}
	ev := got[0].Events()[0]
	at, err := ev.GetStartAt()
	if method != "REQUEST" || ev.GetProperty(ics.ComponentPropertySequence).Value != seq || err != nil || !at.Equal(start) {
		t.Errorf("invite: METHOD %s, SEQUENCE %s, DTSTART %s (%v); want REQUEST, %s, %s", method,
			ev.GetProperty(ics.ComponentPropertySequence).Value, at, err, seq, start.UTC())
	}
}

// The kickoff invite of issue 13 in a real browser: the SA schedules the
// kickoff from the pack page, sees it there with the acknowledgment's date
// filled in from it, and everyone gets a REQUEST; changing the time sends
// the same event at SEQUENCE 1.
func TestBrowserScheduleTheKickoff(t *testing.T) {
	t.Parallel()
	url := postgrestest.URL(t)
	base := mustRunServe(t, url, map[string]string{"HANDOFF_DEMO": "1", "HANDOFF_WORKERS": "off"}).URL
	mailer := newInviteMailer(t, url)
	pack, _ := reviewedPack(t, base, "")
	ny, _ := time.LoadLocation("America/New_York")
	day := time.Now().In(ny).AddDate(0, 0, 2)
	on := day.Format("2006-01-02")

	alex := browsertest.New(t)
	login(t, alex, base, "alex.sa@example.com", demo.Password)
	do(t, alex, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`#meeting`)))
	if v := value(t, alex, `#f-kickoff_on`); v != "" {
		t.Errorf("the acknowledgment's date is %q before any meeting", v)
	}
	do(t, alex,
		choose(`#f-meeting_on`, on), choose(`#f-meeting_start`, "10:00"), choose(`#f-meeting_minutes`, "45"),
		fill(`#f-meeting_place`, "https://meet.example/globex-kickoff"),
		browsertest.ClickAndWait(`[data-testid="meeting-submit"]`))
	if got := text(t, alex, `.flash`); !strings.Contains(got, "Kickoff meeting set for") {
		t.Errorf("flash = %q", got)
	}
	if got, want := text(t, alex, `[data-testid="meeting-when"]`), day.Format("Mon 2006-01-02")+", 10:00–10:45"; !strings.HasPrefix(got, want) {
		t.Errorf("the card shows %q, want %q…", got, want)
	}
	if got := text(t, alex, `[data-testid="meeting-place"]`); got != "https://meet.example/globex-kickoff" {
		t.Errorf("place = %q", got)
	}
	if got := text(t, alex, `[data-testid="meeting-invited"]`); !strings.Contains(got, " (SE), ") || !strings.Contains(got, " (SA)") {
		t.Errorf("the card names who got the invite as %q", got)
	}
	if v := value(t, alex, `#f-kickoff_on`); v != on {
		t.Errorf("the acknowledgment's kickoff date = %q, want the meeting's %s", v, on)
	}
	ten := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, ny)
	checkInvite(t, mailer.invites(t), "0", ten)

	// The card fits a phone.
	do(t, alex, browsertest.Viewport(browsertest.Phone, 900))
	browsertest.CheckNoSideScroll(t, alex)
	do(t, alex, browsertest.Viewport(1280, 900))

	// A later start: the same event, a sequence higher.
	do(t, alex,
		chromedp.Click(css(`#meeting details summary`)),
		chromedp.WaitVisible(css(`#f-meeting_start`)),
		choose(`#f-meeting_start`, "11:30"),
		browsertest.ClickAndWait(`[data-testid="meeting-submit"]`))
	if got := text(t, alex, `[data-testid="meeting-when"]`); !strings.Contains(got, "11:30–12:15") {
		t.Errorf("after the change the card shows %q", got)
	}
	if h := text(t, alex, `[data-testid="history"]`); !strings.Contains(h, "Changed the kickoff meeting: time") {
		t.Errorf("history = %q", h)
	}
	checkInvite(t, mailer.invites(t), "1", ten.Add(90*time.Minute))
}

// A manager swaps the SA while the kickoff meeting stands, from the pack
// page in a real browser: the card names the new SA among those invited and
// the history says who got the invite and who lost it; the old SA gets a
// cancellation naming only them, everyone else the update.
func TestBrowserMeetingFollowsTheSA(t *testing.T) {
	t.Parallel()
	dbURL := postgrestest.URL(t)
	base := mustRunServe(t, dbURL, map[string]string{"HANDOFF_DEMO": "1", "HANDOFF_WORKERS": "off"}).URL
	mailer := newInviteMailer(t, dbURL)
	pack, alex := reviewedPack(t, base, "")
	ny, _ := time.LoadLocation("America/New_York")
	on := time.Now().In(ny).AddDate(0, 0, 2).Format("2006-01-02")
	alex.post(pack+"/meeting", url.Values{"meeting_seq": {""}, "meeting_on": {on}, "meeting_start": {"10:00"},
		"meeting_minutes": {"60"}, "meeting_place": {"Room 4"}})
	if got := mailer.invites(t); len(got) != 1 {
		t.Fatalf("%d invites when scheduled, want 1", len(got))
	}

	morgan := browsertest.New(t)
	login(t, morgan, base, "manager@example.com", demo.Password)
	do(t, morgan, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`#meeting`)))
	if got := text(t, morgan, `[data-testid="meeting-invited"]`); !strings.Contains(got, "Alex Chen (SA)") {
		t.Fatalf("invited before = %q", got)
	}
	picked, err := chromedp.Run(morgan, chromedp.Evaluate[bool](`(() => { const s = document.querySelector('#f-sa_id');
		const o = [...s.options].find(o => o.text.startsWith('Jordan Park')); if (!o) return false; s.value = o.value; return true; })()`))
	if err != nil || !picked {
		t.Fatalf("pick Jordan Park among the SAs: %v, %v", picked, err)
	}
	do(t, morgan, browsertest.ClickAndWait(`form[action$="/assign"] button[type=submit]`), chromedp.WaitVisible(css(`#meeting`)))
	invited := text(t, morgan, `[data-testid="meeting-invited"]`)
	if !strings.Contains(invited, "Jordan Park (SA)") || strings.Contains(invited, "Alex Chen") {
		t.Errorf("invited after the swap = %q", invited)
	}
	if h := text(t, morgan, `[data-testid="history"]`); !strings.Contains(h, "Updated the kickoff invite: sent to Jordan Park (SA); withdrawn from Alex Chen (SA).") {
		t.Errorf("history = %q", h)
	}

	got := mailer.mail(t)
	if len(got) != 2 {
		t.Fatalf("%d invites after the swap, want a cancellation and an update", len(got))
	}
	gone, update := got[0], got[1]
	if gone.CalendarMethod != "CANCEL" || strings.Join(gone.To, ",") != "alex.sa@example.com" || !strings.HasPrefix(gone.Subject, "No longer invited:") {
		t.Errorf("to the old SA: %q (%s) to %v", gone.Subject, gone.CalendarMethod, gone.To)
	}
	if update.CalendarMethod != "REQUEST" || !slices.Contains(update.To, "jordan.sa@example.com") || slices.Contains(update.To, "alex.sa@example.com") {
		t.Errorf("the update: %q (%s) to %v", update.Subject, update.CalendarMethod, update.To)
	}
	for _, m := range got {
		cal, err := ics.ParseCalendar(strings.NewReader(m.Calendar))
		if err != nil || len(cal.Events()) != 1 || cal.Events()[0].GetProperty(ics.ComponentPropertySequence).Value != "1" {
			t.Errorf("%q: SEQUENCE not 1 (%v)\n%s", m.Subject, err, m.Calendar)
		}
	}
}
