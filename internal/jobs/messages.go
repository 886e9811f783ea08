package jobs

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/web"
)

// render turns a mail view into a message: HTML from templ, plain text from
// the same view.
func render(ctx context.Context, to []string, subject string, v web.MailView) (mail.Message, error) {
	var html strings.Builder
	if err := web.Mail(v).Render(ctx, &html); err != nil {
		return mail.Message{}, fmt.Errorf("jobs: render %q: %w", subject, err)
	}
	var b strings.Builder
	b.WriteString(v.Title + "\n\n")
	for _, l := range v.Lines {
		b.WriteString(l + "\n\n")
	}
	for _, g := range v.Groups {
		b.WriteString(g.Heading + "\n")
		for _, r := range g.Rows {
			b.WriteString("- " + r.Text + "\n  " + r.Link + "\n")
		}
		b.WriteString("\n")
	}
	if v.Link != "" {
		b.WriteString(v.LinkText + ": " + v.Link + "\n\n")
	}
	b.WriteString("-- \nSent by Handoff. Reminders stop once the step is done.\n")
	return mail.Message{To: to, Subject: subject, Text: b.String(), HTML: html.String()}, nil
}

// reminderMessage is the reminder of kind to c's owner.
func (r *Runner) reminderMessage(ctx context.Context, cn clockNow, p *openPack, c openClock, kind string) (mail.Message, error) {
	var subject, when string
	switch kind {
	case kindDueIn1, kindDueIn5:
		n := 1
		if kind == kindDueIn5 {
			n = 5
		}
		when = fmt.Sprintf("is due on %s, in %s", c.Due, plural(n, "business day"))
		subject = fmt.Sprintf("%s for %s is due %s (in %s)", c.Kind.Step(), p.AccountName, c.Due, plural(n, "business day"))
	case kindDueToday:
		when = fmt.Sprintf("is due today, %s", c.Due)
		subject = fmt.Sprintf("%s for %s is due today", c.Kind.Step(), p.AccountName)
	default:
		late := cn.cal.Relative(c.Clock, cn.now) // "3 business days overdue", "2 days overdue"
		when = fmt.Sprintf("was due on %s and is %s", c.Due, late)
		subject = fmt.Sprintf("Overdue: %s for %s (%s)", strings.ToLower(c.Kind.Step()), p.AccountName, late)
	}
	v := web.MailView{
		Title: subject,
		Lines: []string{
			fmt.Sprintf("Hello %s,", c.Owner.Name),
			fmt.Sprintf("%s for %s %s (%s).", c.Kind.Step(), p.title(), when, c.Kind.Label()),
			c.Step,
		},
		Link: r.packURL(p.ID), LinkText: "Open the pack",
	}
	if kind == kindOverdue {
		v.Lines = append(v.Lines, "You will get this reminder each business day until the step is done.")
	}
	return render(ctx, []string{c.Owner.Email}, subject, v)
}

// eventMessage is the notification of e, or ok false when nobody is to be told.
func (r *Runner) eventMessage(ctx context.Context, p *openPack, e *packEvent) (msg mail.Message, ok bool, err error) {
	if slices.Contains(meetingKinds, e.Kind) {
		return r.inviteMessage(ctx, p, e)
	}
	if e.Kind == handoff.EventPodReviewRecorded {
		return r.podReviewMessage(ctx, p, e)
	}
	var to person
	var subject, step string
	switch e.Kind {
	case handoff.EventSubmitted:
		to = p.sa()
		verb := "submitted"
		if e.Nth > 1 {
			verb = "resubmitted"
		}
		subject = fmt.Sprintf("Pack %s: %s", verb, p.AccountName)
		step = "Review the five documents, then acknowledge the pack at the kickoff or return it for changes."
	case handoff.EventReturned:
		to = p.se()
		subject = fmt.Sprintf("Pack returned for changes: %s", p.AccountName)
		step = "See which documents were returned and why, fix them and resubmit the pack."
	case handoff.EventCommitmentVetoed:
		to = p.se()
		subject = fmt.Sprintf("Commitment vetoed: %s", p.AccountName)
		step = "Read the reason on the pack and agree the next step with the SA."
	default:
		return msg, false, nil
	}
	if !to.reachable() {
		return msg, false, nil
	}
	by := actorName(e)
	v := web.MailView{
		Title: subject,
		Lines: []string{
			fmt.Sprintf("Hello %s,", to.Name),
			fmt.Sprintf("%s on %s: %s", by, p.title(), e.Summary),
			step,
		},
		Link: r.packURL(p.ID), LinkText: "Open the pack",
	}
	msg, err = render(ctx, []string{to.Email}, subject, v)
	return msg, err == nil, err
}

// digestMessage lists every overdue clock, grouped by clock, or ok false
// when nothing is overdue.
func (r *Runner) digestMessage(ctx context.Context, cn clockNow, packs []*openPack, to []string) (msg mail.Message, ok bool, err error) {
	today := cn.today
	type row struct {
		due deadline.Day
		web.MailRow
	}
	groups := map[deadline.Kind][]row{}
	total := 0
	for _, p := range packs {
		for _, c := range openClocks(cn.cal, cn.st, p, cn.now) {
			if c.State != deadline.StateOverdue {
				continue
			}
			groups[c.Kind] = append(groups[c.Kind], row{c.Due, web.MailRow{
				Text: fmt.Sprintf("%s — due %s, %s (waiting on %s)", p.title(), c.Due, cn.cal.Relative(c.Clock, cn.now), waitingOn(c, p)),
				Link: r.packURL(p.ID),
			}})
			total++
		}
	}
	if total == 0 {
		return msg, false, nil
	}
	subject := fmt.Sprintf("Overdue packs on %s: %d overdue", today, total)
	v := web.MailView{Title: subject, Lines: []string{"Every clock that is overdue this morning, worst first within each clock."}}
	for _, k := range deadline.Kinds() {
		rows := groups[k]
		if len(rows) == 0 {
			continue
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].due.Before(rows[j].due) })
		g := web.MailGroup{Heading: fmt.Sprintf("%s (%d)", k.Label(), len(rows))}
		for _, r := range rows {
			g.Rows = append(g.Rows, r.MailRow)
		}
		v.Groups = append(v.Groups, g)
	}
	v.Link, v.LinkText = r.cfg.BaseURL+"/overdue", "Open the overdue list"
	msg, err = render(ctx, to, subject, v)
	return msg, err == nil, err
}

// actorName is who made event e, as a mail names them: "Handoff" when no
// person did.
func actorName(e *packEvent) string {
	if e.Actor == "" {
		return "Handoff"
	}
	return e.Actor
}
