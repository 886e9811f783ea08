package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/web"
)

// The kickoff meeting (issue 13): the pack's SE or SA schedules the kickoff
// call on the pack page, changes or cancels it there, and the jobs mail
// the calendar invite. Handlers parse, call storage (which asks
// handoff.Decide, ActScheduleKickoff, inside its transaction) and render.

// meetingRoutes declares the kickoff meeting's routes. Both roles reach
// them; which SE or SA, and when, is handoff.Decide's.
func (s *Server) meetingRoutes(rt router) {
	pod := only(handoff.RoleSE, handoff.RoleSA)
	rt.handle(http.MethodPost, "/packs/{id}/meeting", pod, s.scheduleMeeting)
	rt.handle(http.MethodPost, "/packs/{id}/meeting/cancel", pod, s.cancelMeeting)
}

// meetingSeq reads the meeting version a form was based on.
func meetingSeq(r *http.Request) int {
	n, err := strconv.Atoi(r.PostFormValue("meeting_seq"))
	if err != nil || n < 0 {
		return postgres.NoMeeting
	}
	return n
}

// scheduleMeeting schedules the kickoff meeting, schedules it again after a
// cancellation, or changes it. A refused form comes back on the pack page
// with what was typed and a message beside each field; a form based on a
// meeting someone changed since comes back beside the meeting as it now is.
func (s *Server) scheduleMeeting(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := currentUser(r)
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	if err := handoff.Decide(actor, p, handoff.ActScheduleKickoff); err != nil {
		return s.refuse(w, r, p, err)
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	in := handoff.MeetingInput{
		On: r.PostFormValue(handoff.MeetingOnField), Start: r.PostFormValue(handoff.MeetingStartField),
		Minutes: r.PostFormValue(handoff.MeetingMinutesField), Place: r.PostFormValue(handoff.MeetingPlaceField),
	}
	typed := &web.MeetingForm{On: in.On, Start: in.Start, Minutes: in.Minutes, Place: in.Place}
	m, err := in.Parse(cal.Location(), s.now())
	if fields := handoff.InvalidFields(err); fields != nil {
		typed.Errors = fields
		return s.renderPack(w, r, http.StatusUnprocessableEntity, packExtras{meeting: typed})
	}
	if err != nil {
		return err
	}
	changed, err := s.db.ScheduleKickoff(ctx, actor, p.ID, meetingSeq(r), m, cal.Location(), s.now())
	if status := meetingRefusal(err); status != 0 {
		typed.Conflict = handoff.ErrorMessage(err)
		return s.renderPack(w, r, status, packExtras{meeting: typed})
	}
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	msg := "Nothing changed: the kickoff meeting already stands at " + m.When(cal.Location()) + "."
	if changed {
		msg = "Kickoff meeting set for " + m.When(cal.Location()) + ". Everyone invited gets the calendar invite by mail within a few minutes."
	}
	s.flashAt(r, web.FlashSuccess, msg, web.MeetingCardID)
	redirect(w, r, s.packPath(p, "#"+web.MeetingCardID))
	return nil
}

// meetingRefusal is the status of a meeting change refused beside the
// meeting card, with what was typed: a form based on a meeting changed
// since (409), or one change too many today (429,
// handoff.CheckMeetingChangeRate). 0 for any other outcome.
func meetingRefusal(err error) int {
	switch {
	case errors.Is(err, postgres.ErrStale):
		return http.StatusConflict
	case handoff.ErrorCode(err) == handoff.ERATELIMITED:
		return http.StatusTooManyRequests
	}
	return 0
}

// cancelMeeting calls the kickoff meeting off; the jobs mail the
// cancellation that removes it from everyone's calendar.
func (s *Server) cancelMeeting(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.packFromURL(r)
	if err != nil {
		return err
	}
	cal, _, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	err = s.db.CancelKickoff(ctx, currentUser(r), p.ID, meetingSeq(r), cal.Location(), s.now())
	if status := meetingRefusal(err); status == http.StatusConflict {
		return s.renderPack(w, r, status, packExtras{meeting: &web.MeetingForm{Conflict: handoff.ErrorMessage(err) +
			" Check it, then cancel again if you still mean to."}})
	} else if status != 0 {
		return s.renderPack(w, r, status, packExtras{meeting: &web.MeetingForm{Conflict: handoff.ErrorMessage(err)}})
	}
	if err != nil {
		return s.refuse(w, r, p, err)
	}
	s.flashAt(r, web.FlashSuccess, "Kickoff meeting cancelled. Everyone invited gets the cancellation by mail within a few minutes.", web.MeetingCardID)
	redirect(w, r, s.packPath(p, "#"+web.MeetingCardID))
	return nil
}

// meetingCard is the kickoff meeting card of pack detail d for the person
// asking, or nil when the pack is not between submission and
// acknowledgment; typed is a refused form coming back.
func (s *Server) meetingCard(r *http.Request, d *postgres.PackDetail, cal *deadline.Calendar, typed *web.MeetingForm) *web.MeetingCard {
	p, m := d.Pack, d.Meeting
	if !handoff.MeetingOpen(p.Status) {
		return nil
	}
	loc := cal.Location()
	c := &web.MeetingCard{PackID: p.ID, Zone: loc.String(), Meeting: m,
		CanSchedule: handoff.Decide(currentUser(r), p, handoff.ActScheduleKickoff) == nil}
	c.NotInvited = handoff.Labels(handoff.WithoutEmail(p.Deal))
	c.Form = web.MeetingForm{Minutes: strconv.Itoa(handoff.DefaultMeetingMinutes)}
	if m != nil {
		c.Invited = handoff.Labels(m.Invitees)
		c.When, c.Length, c.ChangedBy, c.ChangedAt = m.When(loc), handoff.LengthLabel(m.Minutes), m.ScheduledBy, s.when(m.ScheduledAt)
		c.Form = web.MeetingForm{On: m.Day(loc), Start: m.StartsAt.In(loc).Format("15:04"),
			Minutes: strconv.Itoa(m.Minutes), Place: m.Place}
		if m.Cancelled() { // a new meeting, with the old one's length and place
			c.Form.On, c.Form.Start = "", ""
		}
	}
	if typed != nil {
		if typed.Errors != nil || typed.On != "" || typed.Place != "" {
			c.Form = *typed
		}
		c.Form.Conflict = typed.Conflict
	}
	// The version the page shows, whatever the form holds: after a
	// conflict the person sends their form again knowing what stands.
	c.Form.Seq = ""
	if m != nil {
		c.Form.Seq = strconv.Itoa(m.Sequence)
	}
	return c
}

// ackKickoff is the date the acknowledgment form shows: a refused date as
// typed, else the day of the scheduled kickoff meeting, in the org's zone.
func ackKickoff(x packExtras, m *handoff.Meeting, loc *time.Location) string {
	if x.ackKickoff != "" || x.ackError != "" || m == nil || m.Cancelled() {
		return x.ackKickoff
	}
	return m.Day(loc)
}

// scheduledMeeting is the kickoff meeting m of pack p in words for the
// kickoff document, until the acknowledgment records the call itself; ""
// when there is none to show.
func scheduledMeeting(m *handoff.Meeting, p *handoff.Pack, loc *time.Location) string {
	if m == nil || m.Cancelled() || p.KickoffOn != nil {
		return ""
	}
	return m.When(loc) + " (" + loc.String() + "), " + m.Place
}
