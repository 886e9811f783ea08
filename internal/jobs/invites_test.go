package jobs_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// invitePack records a deal for the env's SE and SA with ae and csm, and
// submits its pack.
func (e *env) invitePack(account string, ae, csm handoff.Contact) int64 {
	e.t.Helper()
	id, err := e.db.CreateDeal(context.Background(), e.manager, handoff.Deal{
		AccountName: account, OpportunityName: account + " platform", Segment: handoff.SegmentEnterprise,
		ARR: handoff.Money{Minor: 12000000, Currency: "USD"}, ClosedWonOn: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC),
		SEID: e.se.ID, SAID: e.sa.ID, AE: ae, CSM: csm,
	}, e.due, *e.now.Load())
	if err != nil {
		e.t.Fatal(err)
	}
	e.submit(id)
	return id
}

// kickoff is a meeting at hour:00 in New York on day of December 2026.
func kickoff(day, hour, minutes int, place string) handoff.Meeting {
	return handoff.Meeting{StartsAt: ny(2026, 12, day, hour), Minutes: minutes, Place: place}
}

// invites sweeps at, waits for the mail, and returns the invites among it.
func (e *env) invites(at time.Time) []mailtest.Message {
	e.t.Helper()
	var out []mailtest.Message
	for _, m := range e.sweep(at) {
		if m.Calendar != "" {
			out = append(out, m)
		}
	}
	return out
}

// event parses the invite m carries, checking that its text/calendar part
// and its invite.ics attachment are the same object.
func event(t *testing.T, m mailtest.Message) (*ics.Calendar, *ics.VEvent) {
	t.Helper()
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "invite.ics" || string(m.Attachments[0].Data) != m.Calendar {
		t.Fatalf("%q: attachments %+v do not repeat the calendar part", m.Subject, m.Attachments)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(m.Calendar))
	if err != nil {
		t.Fatalf("%q: parse the invite: %v\n%s", m.Subject, err, m.Calendar)
	}
	if len(cal.Events()) != 1 {
		t.Fatalf("%q: %d events", m.Subject, len(cal.Events()))
	}
	return cal, cal.Events()[0]
}

func method(cal *ics.Calendar) string {
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			return p.Value
		}
	}
	return ""
}

func value(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

func attendees(e *ics.VEvent) []string {
	var out []string
	for _, a := range e.Attendees() {
		out = append(out, a.Email())
	}
	return out
}

// The invite's life through the queue: a REQUEST to the SE, SA, AE and CSM
// at sequence 0; two quick changes send one update at the latest sequence;
// a cancel sends CANCEL; the UID never moves.
func TestKickoffInvites(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2, true)
	ctx := context.Background()
	nyZone, _ := time.LoadLocation("America/New_York")
	id := e.invitePack("Initech", handoff.Contact{Name: "Ann Exec", Email: "ann@acme.example"}, handoff.Contact{Name: "Cy Success", Email: "cy@acme.example"})
	e.sweep(ny(2026, 11, 18, 11)) // "Pack submitted" to the SA
	uid := "pack-" + strconv.FormatInt(id, 10) + "-kickoff@handoff.example.com"
	everyone := "se@acme.example,sa@acme.example,ann@acme.example,cy@acme.example"

	// The SA schedules: one REQUEST to everyone.
	e.set(ny(2026, 11, 18, 12))
	if _, err := e.db.ScheduleKickoff(ctx, e.sa, id, postgres.NoMeeting, kickoff(1, 10, 60, "Room 4"), nyZone, *e.now.Load()); err != nil {
		t.Fatal(err)
	}
	got := e.invites(ny(2026, 11, 18, 12))
	if len(got) != 1 {
		t.Fatalf("%d invites, want 1", len(got))
	}
	m := got[0]
	if strings.Join(m.To, ",") != everyone || m.CalendarMethod != "REQUEST" ||
		m.Subject != "Invitation: Kickoff: Initech — Initech platform, Tue 2026-12-01 10:00 EST" {
		t.Fatalf("invite to %v (%s): %q", m.To, m.CalendarMethod, m.Subject)
	}
	for label, want := range map[string]string{
		"":                        "Ada Architect scheduled the kickoff meeting for Initech — Initech platform.",
		"When: ":                  "Tue 2026-12-01, 10:00–11:00 EST (America/New_York)",
		"Where: ":                 "Room 4",
		"Invited: ":               "Sam Engineer (SE), Ada Architect (SA), Ann Exec (AE), Cy Success (CSM)",
		"Open the handoff pack: ": baseURL + "/packs/" + strconv.FormatInt(id, 10),
	} {
		if !strings.Contains(m.Text, label+want) || !strings.Contains(m.HTML, want) {
			t.Errorf("the mail lacks %q:\n%s\n%s", label+want, m.Text, m.HTML)
		}
	}
	cal, ev := event(t, m)
	if method(cal) != "REQUEST" || value(ev, ics.ComponentPropertyUniqueId) != uid || value(ev, ics.ComponentPropertySequence) != "0" ||
		value(ev, ics.ComponentPropertyDtStart) != "20261201T150000Z" || value(ev, ics.ComponentPropertyDtEnd) != "20261201T160000Z" ||
		value(ev, ics.ComponentPropertyStatus) != "CONFIRMED" || value(ev, ics.ComponentPropertyOrganizer) != "mailto:handoff@example.com" {
		t.Errorf("the invite:\n%s", m.Calendar)
	}
	if strings.Join(attendees(ev), ",") != everyone {
		t.Errorf("attendees = %v", attendees(ev))
	}

	// The SE moves it, then moves it again before the sweep: one update,
	// describing the meeting as it stands.
	e.set(ny(2026, 11, 19, 9))
	if _, err := e.db.ScheduleKickoff(ctx, e.se, id, 0, kickoff(2, 14, 90, "Room 4"), nyZone, *e.now.Load()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ScheduleKickoff(ctx, e.se, id, 1, kickoff(2, 15, 90, "https://meet.example/initech"), nyZone, *e.now.Load()); err != nil {
		t.Fatal(err)
	}
	got = e.invites(ny(2026, 11, 19, 9))
	if len(got) != 1 {
		t.Fatalf("%d updates for two quick changes, want 1 (the latest)", len(got))
	}
	m = got[0]
	if m.Subject != "Updated invitation: Kickoff: Initech — Initech platform, Wed 2026-12-02 15:00 EST" || m.CalendarMethod != "REQUEST" {
		t.Errorf("update %q (%s)", m.Subject, m.CalendarMethod)
	}
	cal, ev = event(t, m)
	if method(cal) != "REQUEST" || value(ev, ics.ComponentPropertyUniqueId) != uid || value(ev, ics.ComponentPropertySequence) != "2" ||
		value(ev, ics.ComponentPropertyDtStart) != "20261202T200000Z" || value(ev, ics.ComponentPropertyDtEnd) != "20261202T213000Z" ||
		ics.FromText(value(ev, ics.ComponentPropertyLocation)) != "https://meet.example/initech" {
		t.Errorf("the update:\n%s", m.Calendar)
	}

	// The SA cancels: a CANCEL of the same event, a sequence higher.
	e.set(ny(2026, 11, 20, 9))
	if err := e.db.CancelKickoff(ctx, e.sa, id, 2, nyZone, *e.now.Load()); err != nil {
		t.Fatal(err)
	}
	got = e.invites(ny(2026, 11, 20, 9))
	if len(got) != 1 {
		t.Fatalf("%d cancellations, want 1", len(got))
	}
	m = got[0]
	if m.Subject != "Cancelled: Kickoff: Initech — Initech platform, Wed 2026-12-02 15:00 EST" || m.CalendarMethod != "CANCEL" ||
		strings.Join(m.To, ",") != everyone {
		t.Errorf("cancel %q (%s) to %v", m.Subject, m.CalendarMethod, m.To)
	}
	cal, ev = event(t, m)
	if method(cal) != "CANCEL" || value(ev, ics.ComponentPropertyUniqueId) != uid || value(ev, ics.ComponentPropertySequence) != "3" ||
		value(ev, ics.ComponentPropertyStatus) != "CANCELLED" {
		t.Errorf("the cancellation:\n%s", m.Calendar)
	}
}

// The invite goes to whoever on the deal can get it: an AE or CSM without
// an email is left out, and an address named twice is invited once.
func TestKickoffInviteRecipients(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1, true)
	nyZone, _ := time.LoadLocation("America/New_York")
	id := e.invitePack("Hooli", handoff.Contact{Name: "Ann Exec"}, handoff.Contact{Name: "Sam again", Email: "SE@acme.example"})
	e.sweep(ny(2026, 11, 18, 11))
	if _, err := e.db.ScheduleKickoff(context.Background(), e.se, id, postgres.NoMeeting, kickoff(1, 10, 30, "Room 4"), nyZone, *e.now.Load()); err != nil {
		t.Fatal(err)
	}
	got := e.invites(ny(2026, 11, 18, 11))
	if len(got) != 1 {
		t.Fatalf("%d invites, want 1", len(got))
	}
	if to := strings.Join(got[0].To, ","); to != "se@acme.example,sa@acme.example" {
		t.Errorf("invite to %s", to)
	}
	_, ev := event(t, got[0])
	if a := strings.Join(attendees(ev), ","); a != "se@acme.example,sa@acme.example" {
		t.Errorf("attendees = %s", a)
	}
}

// The sweep claims events through a partial index of the kinds that mail
// someone (migrations 00007 and 00024); a kind left out of it would make
// every minute's claim read the whole history.
func TestNotifyIndexCoversTheMeetingEvents(t *testing.T) {
	t.Parallel()
	db := postgrestest.New(t)
	var def string
	if err := db.Pool.QueryRow(context.Background(), `SELECT indexdef FROM pg_indexes WHERE indexname = 'pack_events_notify_idx'`).Scan(&def); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{handoff.EventSubmitted, handoff.EventReturned, handoff.EventCommitmentVetoed,
		handoff.EventKickoffScheduled, handoff.EventKickoffRescheduled, handoff.EventKickoffCancelled, handoff.EventKickoffInviteesChanged} {
		if !strings.Contains(def, "'"+kind+"'") {
			t.Errorf("the sweep's index leaves out %s: %s", kind, def)
		}
	}
}

// The invite follows the people on the deal while the meeting stands
// (the review's scenario): the pack goes in without an SA and the SE
// schedules; a manager assigns an SA, who gets the invite; swaps the SA, so
// the old one gets a cancellation naming only them and the others an
// update; corrects the AE just before the SE moves the meeting, and one
// sweep sends the old AE's cancellation and one update. Each cancellation
// goes once.
func TestKickoffInviteFollowsThePeople(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2, true)
	ctx := context.Background()
	nyZone, _ := time.LoadLocation("America/New_York")
	bea := e.user("Bea Architect", "bea@acme.example", handoff.RoleSA)
	id, err := e.db.CreateDeal(ctx, e.manager, handoff.Deal{
		AccountName: "Umbrella", OpportunityName: "Umbrella platform", Segment: handoff.SegmentEnterprise,
		ARR: handoff.Money{Minor: 12000000, Currency: "USD"}, ClosedWonOn: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC),
		SEID: e.se.ID, AE: handoff.Contact{Name: "Ann Exec", Email: "ann@acme.example"},
	}, e.due, *e.now.Load())
	if err != nil {
		t.Fatal(err)
	}
	e.submit(id)
	e.sweep(ny(2026, 11, 18, 11))
	uid := "pack-" + strconv.FormatInt(id, 10) + "-kickoff@handoff.example.com"
	// check checks invite m: its method, recipients and attendees, UID and
	// sequence.
	check := func(t *testing.T, m mailtest.Message, meth, to, seq string) *ics.VEvent {
		t.Helper()
		cal, ev := event(t, m)
		if m.CalendarMethod != meth || method(cal) != meth || strings.Join(m.To, ",") != to || strings.Join(attendees(ev), ",") != to ||
			value(ev, ics.ComponentPropertyUniqueId) != uid || value(ev, ics.ComponentPropertySequence) != seq {
			t.Errorf("%q (%s) to %v: want %s to %s at %s\n%s", m.Subject, m.CalendarMethod, m.To, meth, to, seq, m.Calendar)
		}
		return ev
	}

	e.set(ny(2026, 11, 18, 12))
	if _, err := e.db.ScheduleKickoff(ctx, e.se, id, postgres.NoMeeting, kickoff(1, 10, 60, "Room 4"), nyZone, *e.now.Load()); err != nil {
		t.Fatal(err)
	}
	got := e.invites(ny(2026, 11, 18, 12))
	if len(got) != 1 {
		t.Fatalf("%d invites, want 1", len(got))
	}
	check(t, got[0], "REQUEST", "se@acme.example,ann@acme.example", "0")

	t.Run("SAAssignedGetsTheInvite", func(t *testing.T) {
		e.set(ny(2026, 11, 18, 13))
		if err := e.db.Assign(ctx, e.manager, id, e.se.ID, e.sa.ID, *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		got := e.invites(ny(2026, 11, 18, 13))
		if len(got) != 1 {
			t.Fatalf("%d invites, want 1", len(got))
		}
		m := got[0]
		check(t, m, "REQUEST", "se@acme.example,sa@acme.example,ann@acme.example", "1")
		if m.Subject != "Updated invitation: Kickoff: Umbrella — Umbrella platform, Tue 2026-12-01 10:00 EST" {
			t.Errorf("subject = %q", m.Subject)
		}
		for _, want := range []string{
			"Mia Manager changed the people on the deal for Umbrella — Umbrella platform, so the kickoff invite now goes to everyone below.",
			"Invited: Sam Engineer (SE), Ada Architect (SA), Ann Exec (AE)",
		} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the mail lacks %q:\n%s", want, m.Text)
			}
		}
	})

	t.Run("SASwappedOldOneGetsACancel", func(t *testing.T) {
		e.set(ny(2026, 11, 18, 14))
		if err := e.db.Assign(ctx, e.manager, id, e.se.ID, bea.ID, *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		got := e.invites(ny(2026, 11, 18, 14))
		if len(got) != 2 {
			t.Fatalf("%d invites, want a cancellation and an update", len(got))
		}
		gone, update := got[0], got[1]
		ev := check(t, gone, "CANCEL", "sa@acme.example", "2")
		if ev.GetProperty(ics.ComponentPropertyStatus) != nil {
			t.Errorf("the old SA's cancellation cancels the meeting for everyone:\n%s", gone.Calendar)
		}
		if gone.Subject != "No longer invited: Kickoff: Umbrella — Umbrella platform, Tue 2026-12-01 10:00 EST" ||
			!strings.Contains(gone.Text, "you are no longer invited to its kickoff meeting") {
			t.Errorf("cancellation %q:\n%s", gone.Subject, gone.Text)
		}
		if strings.Contains(gone.Text, "Bea") || strings.Contains(gone.Text, "/packs/") {
			t.Errorf("the cancellation names the new people or links a pack no longer theirs:\n%s", gone.Text)
		}
		check(t, update, "REQUEST", "se@acme.example,bea@acme.example,ann@acme.example", "2")
	})

	t.Run("AECorrectedThenMeetingMoved", func(t *testing.T) {
		e.set(ny(2026, 11, 19, 9))
		p, err := e.db.Pack(ctx, e.manager, id)
		if err != nil {
			t.Fatal(err)
		}
		d := p.Deal
		d.AE = handoff.Contact{Name: "Al Exec", Email: "al@acme.example"}
		if _, err := e.db.CorrectDeal(ctx, e.manager, id, handoff.DealFingerprint(p.Deal), d, e.due, *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.ScheduleKickoff(ctx, e.se, id, 3, kickoff(2, 15, 60, "Room 4"), nyZone, *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		got := e.invites(ny(2026, 11, 19, 9))
		if len(got) != 2 {
			t.Fatalf("%d invites, want the old AE's cancellation and one update", len(got))
		}
		check(t, got[0], "CANCEL", "ann@acme.example", "4")
		check(t, got[1], "REQUEST", "se@acme.example,bea@acme.example,al@acme.example", "4")
		if !strings.HasPrefix(got[1].Subject, "Updated invitation:") || !strings.Contains(got[1].Text, "Sam Engineer changed the kickoff meeting") {
			t.Errorf("update %q:\n%s", got[1].Subject, got[1].Text)
		}
	})

	t.Run("ACancellationGoesOnce", func(t *testing.T) {
		e.set(ny(2026, 11, 20, 9))
		if _, err := e.db.ScheduleKickoff(ctx, e.se, id, 4, kickoff(3, 15, 60, "Room 4"), nyZone, *e.now.Load()); err != nil {
			t.Fatal(err)
		}
		got := e.invites(ny(2026, 11, 20, 9))
		if len(got) != 1 {
			t.Fatalf("%d invites, want the update alone", len(got))
		}
		check(t, got[0], "REQUEST", "se@acme.example,bea@acme.example,al@acme.example", "5")
	})
}
