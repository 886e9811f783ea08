package handoff

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Who gets the kickoff meeting's calendar invite, and how often the meeting
// may change (issue 13). The invite follows the people on the deal: the
// list decided here is stored with the meeting whenever it is scheduled,
// changed, or the people change while it stands (a reassignment, a deal
// correction), and the mail goes to the stored list.

// The roles an invitee has on the deal, in the order invites list them.
const (
	InviteeSE  = "SE"
	InviteeSA  = "SA"
	InviteeAE  = "AE"
	InviteeCSM = "CSM"
)

// EventKickoffInviteesChanged is the people on the deal changing while the
// kickoff meeting stands: the invite, a sequence higher, goes to everyone
// now on it, and a cancellation to whoever left.
const EventKickoffInviteesChanged = "kickoff_invitees_changed"

// Invitee is someone the kickoff invite goes to, with their part on the deal.
type Invitee struct {
	Role  string // InviteeSE, InviteeSA, InviteeAE, InviteeCSM
	Name  string
	Email string // lower-case
}

// Label is the invitee as the card and the mail name them: "Sam Rivera
// (SE)", the address when the deal gives no name, "the CSM" when neither.
func (i Invitee) Label() string {
	who := cmp.Or(strings.TrimSpace(i.Name), i.Email)
	if who == "" {
		return "the " + i.Role
	}
	return who + " (" + i.Role + ")"
}

// Labels are the labels of is, in order.
func Labels(is []Invitee) []string {
	out := make([]string, len(is))
	for i, x := range is {
		out[i] = x.Label()
	}
	return out
}

// MeetingPerson is the SE or the SA as the invite sees them: their account's
// name, email, and whether it is active.
type MeetingPerson struct {
	Name   string
	Email  string
	Active bool
}

// MeetingPeople are the people on a deal as its kickoff invite sees them.
type MeetingPeople struct {
	SE, SA  MeetingPerson // SA zero when none is assigned
	AE, CSM Contact
}

// Invitees decides who the kickoff invite goes to, the one place that does:
// the SE and the SA while their accounts are active, the AE and the CSM
// when the deal gives their email; each address once (the first role that
// names it), in that order.
func (p MeetingPeople) Invitees() []Invitee {
	var out []Invitee
	add := func(role, name, email string) {
		email = NormalizeEmail(email)
		if email == "" || ValidateEmail(email) != nil || slices.ContainsFunc(out, func(i Invitee) bool { return i.Email == email }) {
			return
		}
		out = append(out, Invitee{Role: role, Name: strings.TrimSpace(name), Email: email})
	}
	for _, u := range []struct {
		role string
		p    MeetingPerson
	}{{InviteeSE, p.SE}, {InviteeSA, p.SA}} {
		if u.p.Active {
			add(u.role, u.p.Name, u.p.Email)
		}
	}
	add(InviteeAE, p.AE.Name, p.AE.Email)
	add(InviteeCSM, p.CSM.Name, p.CSM.Email)
	return out
}

// WithoutEmail are the AE and the CSM when the deal gives no email for
// them: nobody can invite them, and the meeting card says so.
func WithoutEmail(d Deal) []Invitee {
	var out []Invitee
	for _, c := range []struct {
		role string
		who  Contact
	}{{InviteeAE, d.AE}, {InviteeCSM, d.CSM}} {
		if strings.TrimSpace(c.who.Email) == "" {
			out = append(out, Invitee{Role: c.role, Name: strings.TrimSpace(c.who.Name)})
		}
	}
	return out
}

// InviteeChanges compares who holds the invite (was) with who should (now),
// by address: those to add and those to take off.
func InviteeChanges(was, now []Invitee) (added, removed []Invitee) {
	has := func(is []Invitee, email string) bool {
		return slices.ContainsFunc(is, func(i Invitee) bool { return strings.EqualFold(i.Email, email) })
	}
	for _, i := range now {
		if !has(was, i.Email) {
			added = append(added, i)
		}
	}
	for _, i := range was {
		if !has(now, i.Email) {
			removed = append(removed, i)
		}
	}
	return added, removed
}

// MeetingOpen reports whether a pack in status s has a kickoff meeting to
// arrange: between submission and acknowledgment (the statuses of
// ActScheduleKickoff).
func MeetingOpen(s Status) bool { return slices.Contains(actionRules[ActScheduleKickoff].statuses, s) }

// MeetingLive reports whether kickoff meeting m of a pack in status s
// stands in people's calendars and can still change: scheduled, not
// cancelled, and the pack's meeting still open (MeetingOpen). The invite
// follows the people on the deal only then.
func MeetingLive(s Status, m *Meeting) bool {
	return m != nil && !m.Cancelled() && MeetingOpen(s)
}

// KickoffInviteesChangedEvent is the invite following a change of the
// people on the deal: "Updated the kickoff invite: sent to Bea Lin (SA);
// withdrawn from Ada Park (SA)."
func KickoffInviteesChangedEvent(added, removed []Invitee) Event {
	var parts []string
	if len(added) > 0 {
		parts = append(parts, "sent to "+strings.Join(Labels(added), ", "))
	}
	if len(removed) > 0 {
		parts = append(parts, "withdrawn from "+strings.Join(Labels(removed), ", "))
	}
	return Event{Kind: EventKickoffInviteesChanged, Summary: "Updated the kickoff invite: " + strings.Join(parts, "; ") + "."}
}

// Every change of the kickoff meeting (scheduling, changing, cancelling)
// mails everyone on the deal, the AE and the CSM at addresses typed by
// hand; MaxMeetingChanges within MeetingChangeWindow is plenty for a
// meeting being arranged, and keeps Handoff from mailing an address over
// and over.
const (
	MaxMeetingChanges   = 10
	MeetingChangeWindow = 24 * time.Hour
)

// MeetingChangeKinds are the events that count as a change of the meeting
// by its SE or SA. A change of the people on the deal (a manager's) does
// not count.
var MeetingChangeKinds = []string{EventKickoffScheduled, EventKickoffRescheduled, EventKickoffCancelled}

// CheckMeetingChangeRate refuses one more change of the kickoff meeting at
// now when it already changed MaxMeetingChanges times within the
// MeetingChangeWindow before now; recent are when it changed (any order;
// older ones are ignored). The refusal (ERATELIMITED) says from when, in
// loc, it may change again.
func CheckMeetingChangeRate(recent []time.Time, now time.Time, loc *time.Location) error {
	var in []time.Time
	for _, t := range recent {
		if t.After(now.Add(-MeetingChangeWindow)) && !t.After(now) {
			in = append(in, t)
		}
	}
	if len(in) < MaxMeetingChanges {
		return nil
	}
	slices.SortFunc(in, time.Time.Compare)
	// Once the oldest changes that keep the count at the limit leave the
	// window, one more fits; shown to the minute, rounded up.
	next := in[len(in)-MaxMeetingChanges].Add(MeetingChangeWindow).Add(time.Minute - 1).Truncate(time.Minute)
	return Errorf(ERATELIMITED, "The kickoff meeting has changed %d times in the last 24 hours, and each change mails everyone invited. "+
		"It can change again from %s. Nothing of yours is saved yet.", MaxMeetingChanges, next.In(loc).Format("Mon 2006-01-02 15:04 MST"))
}
