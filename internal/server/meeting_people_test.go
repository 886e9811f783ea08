package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
)

// sent is the method, recipients and SEQUENCE of each invite in got:
// "CANCEL alex@example.com 1".
func sent(t *testing.T, got []mailtest.Message) []string {
	t.Helper()
	var out []string
	for _, m := range got {
		cal, err := ics.ParseCalendar(strings.NewReader(m.Calendar))
		if err != nil || len(cal.Events()) != 1 {
			t.Fatalf("%q: %v\n%s", m.Subject, err, m.Calendar)
		}
		seq := cal.Events()[0].GetProperty(ics.ComponentPropertySequence)
		out = append(out, m.CalendarMethod+" "+strings.Join(m.To, ",")+" "+seq.Value)
	}
	return out
}

// A manager swaps the SA while the meeting stands: the card names who has
// the invite now, the history says who got it and who lost it, the old SA
// gets a cancellation and the others an update, and the old SA can no
// longer change the meeting while the new one can (handoff.Decide).
func TestMeetingFollowsAssign(t *testing.T) {
	t.Parallel()
	e := newMeetingEnv(t, true)
	alex, morgan := e.Login("alex@example.com"), e.Login("morgan@example.com")
	if res := alex.PostForm(e.path("/meeting"), meetingForm("", "2026-12-01", "10:00", "60", "Room 4")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule = %d", res.StatusCode)
	}
	e.invites(t)

	res := morgan.PostForm(e.path("/assign"), url.Values{"se_id": {strconv.FormatInt(e.sam.ID, 10)}, "sa_id": {strconv.FormatInt(e.jordan.ID, 10)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign = %d\n%s", res.StatusCode, res.Body)
	}
	page := morgan.Get(e.path(""))
	invited := page.Text(`[data-testid="meeting-invited"]`)
	for _, want := range []string{"Sam Rivera (SE), Jordan Park (SA), Ann Exec (AE)", "No invite for Cy Success (CSM): no email on the deal."} {
		if !strings.Contains(invited, want) {
			t.Errorf("invited = %q, want %q", invited, want)
		}
	}
	if strings.Contains(invited, "Alex") {
		t.Errorf("the card still names the old SA: %q", invited)
	}
	if h := page.Text(`[data-testid="history"]`); !strings.Contains(h, "Updated the kickoff invite: sent to Jordan Park (SA); withdrawn from Alex Chen (SA).") {
		t.Errorf("history = %q", h)
	}
	if got := strings.Join(sent(t, e.invites(t)), "; "); got != "CANCEL alex@example.com 1; REQUEST sam@example.com,jordan@example.com,ann@example.com 1" {
		t.Errorf("mailed %s", got)
	}

	t.Run("ENOTFOUNDTheOldSA", func(t *testing.T) {
		for path, form := range map[string]url.Values{
			"/meeting":        meetingForm("1", "2026-12-02", "10:00", "60", "Room 4"),
			"/meeting/cancel": {"meeting_seq": {"1"}},
		} {
			if got := alex.PostForm(e.path(path), form).StatusCode; got != http.StatusNotFound {
				t.Errorf("the old SA's POST %s = %d, want 404", path, got)
			}
		}
	})

	t.Run("TheNewSAChangesIt", func(t *testing.T) {
		jordan := e.Login("jordan@example.com")
		if c := jordan.Get(e.path("")).Text("#meeting"); !strings.Contains(c, "Last changed by Morgan Lee") {
			t.Errorf("card = %q", c)
		}
		if res := jordan.PostForm(e.path("/meeting"), meetingForm("1", "2026-12-02", "10:00", "60", "Room 4")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change = %d\n%s", res.StatusCode, res.Body)
		}
		if got := strings.Join(sent(t, e.invites(t)), "; "); got != "REQUEST sam@example.com,jordan@example.com,ann@example.com 2" {
			t.Errorf("mailed %s", got)
		}
	})
}

// A manager gives the CSM an email while the meeting stands: the CSM is
// invited, and the card no longer says the deal has no email for them.
func TestMeetingFollowsCorrection(t *testing.T) {
	t.Parallel()
	e := newMeetingEnv(t, true)
	sam, morgan := e.Login("sam@example.com"), e.Login("morgan@example.com")
	if res := sam.PostForm(e.path("/meeting"), meetingForm("", "2026-12-01", "10:00", "60", "Room 4")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule = %d", res.StatusCode)
	}
	e.invites(t)

	form := dealForm(t, morgan, e.path("/deal"))
	form.Set("csm_email", "cy@example.com")
	if res := morgan.PostForm(e.path("/deal"), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct = %d\n%s", res.StatusCode, res.Body)
	}
	invited := sam.Get(e.path("")).Text(`[data-testid="meeting-invited"]`)
	if !strings.Contains(invited, "Sam Rivera (SE), Alex Chen (SA), Ann Exec (AE), Cy Success (CSM)") || strings.Contains(invited, "No invite") {
		t.Errorf("invited = %q", invited)
	}
	if got := strings.Join(sent(t, e.invites(t)), "; "); got != "REQUEST sam@example.com,alex@example.com,ann@example.com,cy@example.com 1" {
		t.Errorf("mailed %s", got)
	}
}

// Each change mails everyone invited, the AE and the CSM at addresses typed
// by hand: the eleventh change in a day comes back beside the meeting with
// what was typed and when it may change again, and mails nobody.
func TestMeetingChangesAreRateLimited(t *testing.T) {
	t.Parallel()
	e := newMeetingEnv(t, false)
	sam := e.Login("sam@example.com")
	seq := ""
	for i := range handoff.MaxMeetingChanges {
		res := sam.PostForm(e.path("/meeting"), meetingForm(seq, "2026-12-01", "10:00", "60", "Room "+strconv.Itoa(i+1)))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change %d = %d\n%s", i+1, res.StatusCode, res.Body)
		}
		seq = strconv.Itoa(i)
	}

	res := sam.PostForm(e.path("/meeting"), meetingForm(seq, "2026-12-01", "10:00", "60", "Room 11"))
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("change 11 = %d", res.StatusCode)
	}
	if msg := res.Text("#meeting-conflict"); !strings.Contains(msg, "The kickoff meeting has changed 10 times in the last 24 hours") ||
		!strings.Contains(msg, "It can change again from") {
		t.Errorf("refusal says %q", msg)
	}
	if v := fieldValue(t, res, "#f-meeting_place"); v != "Room 11" {
		t.Errorf("the typed place came back as %q", v)
	}
	if p := res.Text(`[data-testid="meeting-place"]`); p != "Room 10" {
		t.Errorf("the meeting as it stands = %q", p)
	}
	if res := sam.PostForm(e.path("/meeting/cancel"), url.Values{"meeting_seq": {seq}}); res.StatusCode != http.StatusTooManyRequests ||
		!strings.Contains(res.Text("#meeting-conflict"), "has changed 10 times") {
		t.Errorf("cancel = %d: %q", res.StatusCode, res.Text("#meeting-conflict"))
	}
	m, err := e.DB.Meeting(context.Background(), e.sam, e.pack)
	if err != nil || m.Place != "Room 10" || m.Cancelled() {
		t.Errorf("meeting = %+v (%v)", m, err)
	}
	// Ten changes before any sweep: one invite, the latest.
	if got := e.invites(t); len(got) != 1 || !strings.Contains(got[0].Text, "Room 10") {
		t.Errorf("%d invites, want the tenth change's alone", len(got))
	}
}
