package handoff

import (
	"strings"
	"testing"
	"time"
)

func TestMeetingPeopleInvitees(t *testing.T) {
	t.Parallel()
	sam := MeetingPerson{Name: "Sam Rivera", Email: "sam@example.com", Active: true}
	alex := MeetingPerson{Name: "Alex Chen", Email: "alex@example.com", Active: true}
	ann := Contact{Name: "Ann Exec", Email: "ann@acme.example"}
	cy := Contact{Name: "Cy Success", Email: "cy@acme.example"}
	for _, tc := range []struct {
		name   string
		people MeetingPeople
		want   string // labels and addresses, in order
	}{
		{"Everyone", MeetingPeople{SE: sam, SA: alex, AE: ann, CSM: cy},
			"Sam Rivera (SE) sam@example.com, Alex Chen (SA) alex@example.com, Ann Exec (AE) ann@acme.example, Cy Success (CSM) cy@acme.example"},
		{"NoSAYet", MeetingPeople{SE: sam, AE: ann}, "Sam Rivera (SE) sam@example.com, Ann Exec (AE) ann@acme.example"},
		{"InactiveAccountLeftOut", MeetingPeople{SE: sam, SA: MeetingPerson{Name: "Gone", Email: "gone@example.com"}},
			"Sam Rivera (SE) sam@example.com"},
		{"NoEmailLeftOut", MeetingPeople{SE: sam, SA: alex, AE: Contact{Name: "Ann Exec"}, CSM: Contact{Name: "Cy", Email: "not an address"}},
			"Sam Rivera (SE) sam@example.com, Alex Chen (SA) alex@example.com"},
		{"EachAddressOnceFirstRoleWins", MeetingPeople{SE: sam, SA: alex, AE: Contact{Name: "Sam again", Email: " SAM@example.com "}, CSM: cy},
			"Sam Rivera (SE) sam@example.com, Alex Chen (SA) alex@example.com, Cy Success (CSM) cy@acme.example"},
		{"AddressWithoutName", MeetingPeople{SE: sam, CSM: Contact{Email: "Cy@Acme.example"}},
			"Sam Rivera (SE) sam@example.com, cy@acme.example (CSM) cy@acme.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, i := range tc.people.Invitees() {
				got = append(got, i.Label()+" "+i.Email)
			}
			if g := strings.Join(got, ", "); g != tc.want {
				t.Errorf("invitees = %s\nwant       %s", g, tc.want)
			}
		})
	}
}

func TestWithoutEmail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		ae, csm Contact
		want    string
	}{
		{"BothHaveOne", Contact{"Ann", "ann@acme.example"}, Contact{"Cy", "cy@acme.example"}, ""},
		{"NamedWithoutEmail", Contact{"Ann Exec", ""}, Contact{"Cy", "cy@acme.example"}, "Ann Exec (AE)"},
		{"NeitherNamed", Contact{}, Contact{}, "the AE, the CSM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := strings.Join(Labels(WithoutEmail(Deal{AE: tc.ae, CSM: tc.csm})), ", "); got != tc.want {
				t.Errorf("without email = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInviteeChanges(t *testing.T) {
	t.Parallel()
	sam := Invitee{InviteeSE, "Sam", "sam@example.com"}
	alex := Invitee{InviteeSA, "Alex", "alex@example.com"}
	bea := Invitee{InviteeSA, "Bea", "bea@example.com"}
	labels := func(is []Invitee) string { return strings.Join(Labels(is), ", ") }
	for _, tc := range []struct {
		name           string
		was, now       []Invitee
		added, removed string
	}{
		{"Same", []Invitee{sam, alex}, []Invitee{sam, alex}, "", ""},
		{"SAAssigned", []Invitee{sam}, []Invitee{sam, alex}, "Alex (SA)", ""},
		{"SASwapped", []Invitee{sam, alex}, []Invitee{sam, bea}, "Bea (SA)", "Alex (SA)"},
		{"SAUnassigned", []Invitee{sam, alex}, []Invitee{sam}, "", "Alex (SA)"},
		{"RenamedIsNoChange", []Invitee{sam}, []Invitee{{InviteeSE, "Samuel", "SAM@example.com"}}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			added, removed := InviteeChanges(tc.was, tc.now)
			if labels(added) != tc.added || labels(removed) != tc.removed {
				t.Errorf("added %q, removed %q; want %q, %q", labels(added), labels(removed), tc.added, tc.removed)
			}
		})
	}
	if e := KickoffInviteesChangedEvent([]Invitee{bea}, []Invitee{alex}); e.Kind != EventKickoffInviteesChanged ||
		e.Summary != "Updated the kickoff invite: sent to Bea (SA); withdrawn from Alex (SA)." {
		t.Errorf("event = %s: %q", e.Kind, e.Summary)
	}
	if e := KickoffInviteesChangedEvent(nil, []Invitee{alex}); e.Summary != "Updated the kickoff invite: withdrawn from Alex (SA)." {
		t.Errorf("event = %q", e.Summary)
	}
}

func TestMeetingLive(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)
	m := &Meeting{StartsAt: at, Minutes: 60, Place: "Room 4"}
	cancelled := &Meeting{StartsAt: at, Minutes: 60, Place: "Room 4", CancelledAt: &at}
	for _, tc := range []struct {
		name   string
		status Status
		m      *Meeting
		want   bool
	}{
		{"Submitted", StatusSubmitted, m, true},
		{"ChangesRequested", StatusChangesRequested, m, true},
		{"NoMeeting", StatusSubmitted, nil, false},
		{"Cancelled", StatusSubmitted, cancelled, false},
		{"Acknowledged", StatusAcknowledged, m, false},
		{"Locked", StatusLocked, m, false},
	} {
		if got := MeetingLive(tc.status, tc.m); got != tc.want {
			t.Errorf("%s: live = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckMeetingChangeRate(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC) // 12:00 EST
	// changes are n changes an hour apart, the latest an hour before now.
	changes := func(n int) []time.Time {
		var out []time.Time
		for i := range n {
			out = append(out, now.Add(-time.Duration(i+1)*time.Hour))
		}
		return out
	}
	t.Run("UnderTheLimit", func(t *testing.T) {
		t.Parallel()
		if err := CheckMeetingChangeRate(changes(MaxMeetingChanges-1), now, ny); err != nil {
			t.Errorf("9 changes today: %v", err)
		}
	})
	t.Run("OlderChangesDoNotCount", func(t *testing.T) {
		t.Parallel()
		old := append(changes(MaxMeetingChanges-1), now.Add(-MeetingChangeWindow), now.Add(-48*time.Hour))
		if err := CheckMeetingChangeRate(old, now, ny); err != nil {
			t.Errorf("9 changes today and 2 older: %v", err)
		}
	})
	t.Run("ERATELIMITEDSaysWhen", func(t *testing.T) {
		t.Parallel()
		// Ten changes from 02:00 to 11:00 EST: the one at 02:00 leaves the
		// window at 02:00 tomorrow.
		err := CheckMeetingChangeRate(changes(MaxMeetingChanges), now, ny)
		if ErrorCode(err) != ERATELIMITED {
			t.Fatalf("10 changes today: %v, want %s", err, ERATELIMITED)
		}
		want := "The kickoff meeting has changed 10 times in the last 24 hours, and each change mails everyone invited. " +
			"It can change again from Thu 2026-11-26 02:00 EST. Nothing of yours is saved yet."
		if got := ErrorMessage(err); got != want {
			t.Errorf("message = %q\nwant      %q", got, want)
		}
	})
	t.Run("ERATELIMITEDRoundsUpToTheMinute", func(t *testing.T) {
		t.Parallel()
		recent := changes(MaxMeetingChanges + 2)
		recent[MaxMeetingChanges-1] = now.Add(-10*time.Hour + 30*time.Second) // the one that must leave first
		err := CheckMeetingChangeRate(recent, now, ny)
		if got := ErrorMessage(err); !strings.Contains(got, "from Thu 2026-11-26 02:01 EST.") {
			t.Errorf("message = %q", got)
		}
	})
}
