package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/handoff-app/handoff/internal/jobs"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
	"github.com/handoff-app/handoff/internal/server/servertest"
)

// meetingEnv is packEnv with the pack submitted (v1, no commitments), every
// document accepted unless told otherwise, an AE with an email and a CSM
// without one, and the job workers mailing to a test SMTP server.
type meetingEnv struct {
	*packEnv
	smtp   *mailtest.Server
	runner *jobs.Runner
}

const meetingBase = "https://handoff.example.com"

func newMeetingEnv(t *testing.T, reviewed bool) *meetingEnv {
	t.Helper()
	e := &meetingEnv{packEnv: newPackEnv(t), smtp: mailtest.New(t)}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.DB.Pool.Exec(context.Background(), sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO pack_versions (pack_id, number, documents, submitted_at, submitted_by) VALUES ($1, 1, '{}', $2, $3)`, e.pack, servertest.Today(), e.sam.ID)
	exec(`UPDATE packs SET status = 'submitted', submitted_version = 1, first_submitted_at = $2, submitted_at = $2 WHERE id = $1`, e.pack, servertest.Today())
	exec(`UPDATE deals SET ae_name = 'Ann Exec', ae_email = 'ann@example.com', csm_name = 'Cy Success', csm_email = ''
		WHERE id = (SELECT deal_id FROM packs WHERE id = $1)`, e.pack)
	if reviewed {
		exec(`INSERT INTO document_reviews (pack_id, kind, version, decision, decided_by, decided_at)
			SELECT $1, k, 1, 'accepted', $2, $3 FROM unnest(ARRAY['meddpicc', 'poc', 'commitments', 'stakeholders', 'risks']) k`,
			e.pack, e.alex.ID, servertest.Today())
	}
	sender, err := mail.NewSMTP(e.smtp.URL(), "Handoff <handoff@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	e.runner, err = jobs.New(jobs.Config{DB: e.DB, Mail: sender, BaseURL: meetingBase,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:        func() time.Time { return servertest.Today().Add(time.Since(began)) },
		SweepEvery: -1, FetchPollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.runner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = e.runner.Stop(ctx)
	})
	return e
}

// invites runs the sweep, waits for its jobs and returns the calendar
// invites delivered.
func (e *meetingEnv) invites(t *testing.T) []mailtest.Message {
	t.Helper()
	ctx := context.Background()
	if _, err := e.runner.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var pending int
		if err := e.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job
			WHERE state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still pending", pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var out []mailtest.Message
	for _, m := range e.smtp.Take() {
		if m.Calendar != "" {
			out = append(out, m)
		}
	}
	return out
}

// inviteWant is what one delivered invite must say.
type inviteWant struct {
	method, sequence, start, end, status string
}

// checkInvite parses the single invite in got with golang-ical and checks it
// against want: the method in the mail and in the object, the pack's UID,
// the sequence, the times in UTC, the people.
func (e *meetingEnv) checkInvite(t *testing.T, got []mailtest.Message, want inviteWant) {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("%d invites delivered, want 1", len(got))
	}
	m := got[0]
	if m.CalendarMethod != want.method || strings.Join(m.To, ",") != "sam@example.com,alex@example.com,ann@example.com" {
		t.Errorf("%q went as %s to %v", m.Subject, m.CalendarMethod, m.To)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(m.Calendar))
	if err != nil {
		t.Fatalf("parse the invite: %v\n%s", err, m.Calendar)
	}
	var method string
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			method = p.Value
		}
	}
	if len(cal.Events()) != 1 || method != want.method {
		t.Fatalf("METHOD %s with %d events:\n%s", method, len(cal.Events()), m.Calendar)
	}
	ev := cal.Events()[0]
	for p, v := range map[ics.ComponentProperty]string{
		ics.ComponentPropertyUniqueId: "pack-" + strconv.FormatInt(e.pack, 10) + "-kickoff@handoff.example.com",
		ics.ComponentPropertySequence: want.sequence,
		ics.ComponentPropertyDtStart:  want.start,
		ics.ComponentPropertyDtEnd:    want.end,
		ics.ComponentPropertyStatus:   want.status,
		ics.ComponentPropertyUrl:      meetingBase + e.path(""),
	} {
		if got := ev.GetProperty(p); got == nil || got.Value != v {
			t.Errorf("%s = %v, want %q", p, got, v)
		}
	}
	var who []string
	for _, a := range ev.Attendees() {
		who = append(who, a.Email())
	}
	if strings.Join(who, ",") != "sam@example.com,alex@example.com,ann@example.com" {
		t.Errorf("attendees = %v", who)
	}
}

// meetingForm is a schedule form based on meeting version seq.
func meetingForm(seq, on, start, minutes, place string) url.Values {
	return url.Values{"meeting_seq": {seq}, "meeting_on": {on}, "meeting_start": {start}, "meeting_minutes": {minutes}, "meeting_place": {place}}
}

func fieldValue(t *testing.T, res *servertest.Response, sel string) string {
	t.Helper()
	v, _ := res.Doc().Find(sel).Attr("value")
	return v
}

// The kickoff meeting through the real router: the SA schedules it, the SE
// moves it, a form from before that move is refused beside the meeting as
// it now stands, an unchanged form changes nothing, and a cancel removes it;
// each change mails one invite, parsed here, at a raised SEQUENCE.
func TestMeetingScheduleChangeCancel(t *testing.T) {
	t.Parallel()
	e := newMeetingEnv(t, true)
	alex, sam := e.Login("alex@example.com"), e.Login("sam@example.com")

	page := alex.Get(e.path(""))
	if page.Doc().Find(`#meeting form[action$="/meeting"]`).Length() != 1 {
		t.Fatalf("the SA has no schedule form:\n%s", page.Text("#meeting"))
	}
	if v := fieldValue(t, page, "#f-kickoff_on"); v != "" {
		t.Errorf("the acknowledgment's date is %q before any meeting", v)
	}
	if v, _ := page.Doc().Find(`#f-meeting_minutes option[selected]`).Attr("value"); v != "60" {
		t.Errorf("the length offered first = %q, want 60", v)
	}
	morgan := e.Login("morgan@example.com")
	if got := morgan.Get(e.path("")); !strings.Contains(got.Text("#meeting"), "Not scheduled yet") || got.Doc().Find("#meeting form").Length() != 0 {
		t.Errorf("a manager's card = %q", got.Text("#meeting"))
	}

	t.Run("SASchedules", func(t *testing.T) {
		res := alex.PostForm(e.path("/meeting"), meetingForm("", "2026-12-01", "10:00", "60", "https://meet.example/acme"))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != e.path("#meeting") {
			t.Fatalf("schedule = %d → %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		page := alex.Get(e.path(""))
		if f := page.Text(".flash"); !strings.Contains(f, "Kickoff meeting set for Tue 2026-12-01, 10:00–11:00 EST.") {
			t.Errorf("flash = %q", f)
		}
		if w := page.Text(`[data-testid="meeting-when"]`); w != "Tue 2026-12-01, 10:00–11:00 EST" {
			t.Errorf("when = %q", w)
		}
		if href, _ := page.Doc().Find(`[data-testid="meeting-place"] a`).Attr("href"); href != "https://meet.example/acme" {
			t.Errorf("the place links to %q", href)
		}
		invited := page.Text(`[data-testid="meeting-invited"]`)
		for _, want := range []string{"Sam Rivera (SE), Alex Chen (SA), Ann Exec (AE)", "No invite for Cy Success (CSM): no email on the deal."} {
			if !strings.Contains(invited, want) {
				t.Errorf("invited = %q, want %q", invited, want)
			}
		}
		// The acknowledgment is prefilled with the meeting's day.
		if v := fieldValue(t, page, "#f-kickoff_on"); v != "2026-12-01" {
			t.Errorf("the acknowledgment's kickoff date = %q, want the meeting's 2026-12-01", v)
		}
		if h := page.Text(`[data-testid="history"]`); !strings.Contains(h, "Scheduled the kickoff meeting for Tue 2026-12-01, 10:00–11:00 EST (America/New_York) at https://meet.example/acme.") {
			t.Errorf("history = %q", h)
		}
		if got := alex.Get(e.path("/kickoff")).Text(`[data-testid="scheduled-meeting"]`); got !=
			"Scheduled for Tue 2026-12-01, 10:00–11:00 EST (America/New_York), https://meet.example/acme" {
			t.Errorf("the kickoff document says %q", got)
		}
		// 10:00 in New York in December is 15:00 UTC.
		e.checkInvite(t, e.invites(t), inviteWant{"REQUEST", "0", "20261201T150000Z", "20261201T160000Z", "CONFIRMED"})
	})

	t.Run("SEMovesIt", func(t *testing.T) {
		res := sam.PostForm(e.path("/meeting"), meetingForm("0", "2026-12-02", "14:30", "90", "https://meet.example/acme"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change = %d\n%s", res.StatusCode, res.Body)
		}
		if w := sam.Get(e.path("")).Text(`[data-testid="meeting-when"]`); w != "Wed 2026-12-02, 14:30–16:00 EST" {
			t.Errorf("when = %q", w)
		}
		e.checkInvite(t, e.invites(t), inviteWant{"REQUEST", "1", "20261202T193000Z", "20261202T210000Z", "CONFIRMED"})
	})

	t.Run("ConflictShowsBoth", func(t *testing.T) {
		// Alex's page still shows the meeting at sequence 0.
		res := alex.PostForm(e.path("/meeting"), meetingForm("0", "2026-12-03", "09:00", "60", "Room 4"))
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale change = %d", res.StatusCode)
		}
		if msg := res.Text("#meeting-conflict"); !strings.Contains(msg, "changed by Sam Rivera since you opened this page") {
			t.Errorf("conflict says %q", msg)
		}
		if w := res.Text(`[data-testid="meeting-when"]`); w != "Wed 2026-12-02, 14:30–16:00 EST" {
			t.Errorf("the meeting as it stands = %q", w)
		}
		if v := fieldValue(t, res, "#f-meeting_start"); v != "09:00" {
			t.Errorf("the typed start came back as %q", v)
		}
		if v, _ := res.Doc().Find(`input[name="meeting_seq"]`).Attr("value"); v != "1" {
			t.Errorf("the form now carries sequence %q, want 1", v)
		}
		if got := e.invites(t); len(got) != 0 {
			t.Errorf("a refused change mailed %d invites", len(got))
		}
	})

	t.Run("SameFormChangesNothing", func(t *testing.T) {
		res := alex.PostForm(e.path("/meeting"), meetingForm("1", "2026-12-02", "14:30", "90", "https://meet.example/acme"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("same again = %d", res.StatusCode)
		}
		if f := alex.Get(e.path("")).Text(".flash"); !strings.HasPrefix(f, "Nothing changed") {
			t.Errorf("flash = %q", f)
		}
		if got := e.invites(t); len(got) != 0 {
			t.Errorf("an unchanged meeting mailed %d invites", len(got))
		}
	})

	t.Run("Cancel", func(t *testing.T) {
		res := alex.PostForm(e.path("/meeting/cancel"), url.Values{"meeting_seq": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d\n%s", res.StatusCode, res.Body)
		}
		page := alex.Get(e.path(""))
		if c := page.Text(`[data-testid="meeting-cancelled"]`); !strings.Contains(c, "The meeting of Wed 2026-12-02, 14:30–16:00 EST was cancelled by Alex Chen.") {
			t.Errorf("cancelled card = %q", c)
		}
		if v := fieldValue(t, page, "#f-kickoff_on"); v != "" {
			t.Errorf("the acknowledgment still offers the cancelled meeting's day %q", v)
		}
		e.checkInvite(t, e.invites(t), inviteWant{"CANCEL", "2", "20261202T193000Z", "20261202T210000Z", "CANCELLED"})
	})
}

// Bad input comes back on the pack page with what was typed and a message
// beside each field; nothing is stored.
func TestMeetingBadInputComesBackWithWhatWasTyped(t *testing.T) {
	t.Parallel()
	e := newMeetingEnv(t, false)
	sam := e.Login("sam@example.com")
	for _, tc := range []struct {
		name string
		form url.Values
		errs map[string]string // field → what its message says
	}{
		{"ErrEverything", meetingForm("", "2026-11-24", "25:00", "10", "  "), map[string]string{
			"meeting_on":      "That date has passed. Pick today (2026-11-25) or a later date.",
			"meeting_start":   "Enter the start time as hours and minutes on a 24-hour clock, such as 14:30.",
			"meeting_minutes": "Choose a length from 15 minutes to 8 hours.",
			"meeting_place":   "Say where it happens: a room, an address or the meeting link.",
		}},
		{"ErrTimeTheClocksSkip", meetingForm("", "2027-03-14", "02:30", "60", "Room 4"), map[string]string{
			"meeting_start": "There is no 02:30 on 2027-03-14 in America/New_York: the clocks go forward that night. Pick another time, such as 03:00.",
		}},
		{"ErrEarlierToday", meetingForm("", "2026-11-25", "08:00", "60", "Room 4"), map[string]string{
			"meeting_start": "That time has passed",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := sam.PostForm(e.path("/meeting"), tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d", res.StatusCode)
			}
			for field, want := range tc.errs {
				if got := res.Text("#f-" + field + "-error"); !strings.Contains(got, want) {
					t.Errorf("%s says %q, want %q", field, got, want)
				}
				if inv, _ := res.Doc().Find("#f-" + field).Attr("aria-invalid"); inv != "true" {
					t.Errorf("%s is not marked invalid", field)
				}
			}
			for _, field := range []string{"meeting_on", "meeting_start", "meeting_place"} {
				if got := fieldValue(t, res, "#f-"+field); got != tc.form.Get(field) {
					t.Errorf("%s came back as %q, want %q", field, got, tc.form.Get(field))
				}
			}
			m, err := e.DB.Meeting(context.Background(), e.sam, e.pack)
			if err != nil || m != nil {
				t.Errorf("a refused form stored %+v (%v)", m, err)
			}
		})
	}
}

// Who may schedule and when is handoff.Decide's: the pack's SE and SA after
// submission; others are not found, a draft or an acknowledged pack says why.
func TestMeetingRefusals(t *testing.T) {
	t.Parallel()
	form := meetingForm("", "2026-12-01", "10:00", "60", "Room 4")

	t.Run("OutsidersAreNotFound", func(t *testing.T) {
		t.Parallel()
		e := newMeetingEnv(t, false)
		for _, who := range []string{"jordan@example.com", "priya@example.com", "morgan@example.com", "ada@example.com"} {
			c := e.Login(who)
			for _, path := range []string{"/meeting", "/meeting/cancel"} {
				if got := c.PostForm(e.path(path), form).StatusCode; got != http.StatusNotFound {
					t.Errorf("%s POST %s = %d, want 404", who, path, got)
				}
			}
		}
	})

	t.Run("ECONFLICTDraft", func(t *testing.T) {
		t.Parallel()
		e := newPackEnv(t)
		sam := e.Login("sam@example.com")
		if sam.Get(e.path("")).Doc().Find("#meeting").Length() != 0 {
			t.Error("a draft shows the kickoff meeting card")
		}
		res := sam.PostForm(e.path("/meeting"), form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("schedule a draft's meeting = %d", res.StatusCode)
		}
		if f := sam.Get(e.path("")).Text(".flash"); f != "The kickoff meeting is scheduled after the pack is submitted and before it is acknowledged." {
			t.Errorf("flash = %q", f)
		}
	})

	t.Run("ECONFLICTCancelWithoutMeeting", func(t *testing.T) {
		t.Parallel()
		e := newMeetingEnv(t, false)
		alex := e.Login("alex@example.com")
		if res := alex.PostForm(e.path("/meeting/cancel"), url.Values{"meeting_seq": {""}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d", res.StatusCode)
		}
		if f := alex.Get(e.path("")).Text(".flash"); f != "There is no kickoff meeting to cancel." {
			t.Errorf("flash = %q", f)
		}
	})
}
