package jobs

import (
	"time"

	"context"
	"errors"
	"fmt"
	"github.com/handoff-app/handoff/internal/handoff"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/handoff-app/handoff/internal/deadline"
)

// eventMailArgs mails the people a pack event concerns.
type eventMailArgs struct {
	EventID int64 `json:"event_id"`
}

func (eventMailArgs) Kind() string { return "handoff_event_mail" }

// reminderArgs is one reminder: unique per pack, clock, kind and org day, so
// it is sent at most once however many sweeps and instances run.
type reminderArgs struct {
	PackID int64  `json:"pack_id"`
	Clock  string `json:"clock"`
	Which  string `json:"kind"` // due_in_5, due_in_1, due_today, overdue
	Day    string `json:"day"`  // the org day it is for, 2026-11-27
}

func (reminderArgs) Kind() string { return "handoff_reminder" }

// digestArgs is the managers' morning digest of one org day.
type digestArgs struct {
	Day string `json:"day"`
}

func (digestArgs) Kind() string { return "handoff_digest" }

// unique: the default states include completed, and River keeps completed
// jobs a day, longer than the org day the args name.
var unique = &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}

const claimBatch = 100

// Sweep enqueues, as of the configured now, a job for every pack event not
// yet notified and, from 08:00 on an org business day, today's reminders and
// the managers' digest. It is safe to run concurrently and repeatedly: it
// returns how many jobs it actually inserted (duplicates are skipped).
func (r *Runner) Sweep(ctx context.Context) (int, error) {
	inserted := 0
	for {
		var n int
		err := r.cfg.DB.InTx(ctx, func(tx pgx.Tx) error {
			ids, err := claimEvents(ctx, tx, claimBatch, r.cfg.Now())
			if err != nil || len(ids) == 0 {
				return err
			}
			params := make([]river.InsertManyParams, len(ids))
			for i, id := range ids {
				params[i] = river.InsertManyParams{Args: eventMailArgs{EventID: id}}
			}
			if _, err := r.client.InsertManyTx(ctx, tx, params); err != nil {
				return fmt.Errorf("jobs: enqueue event mails: %w", err)
			}
			n = len(ids)
			return nil
		})
		if err != nil {
			return inserted, err
		}
		inserted += n
		if n < claimBatch {
			break
		}
	}

	now := r.cfg.Now()
	cal, st, err := Calendar(ctx, r.cfg.DB)
	if err != nil {
		return inserted, err
	}
	today := cal.Today(now)
	if ok, _ := cal.IsBusinessDay(today); !ok || now.In(cal.Location()).Hour() < sendHour {
		return inserted, nil
	}
	packs, err := openPacks(ctx, r.cfg.DB.Pool, 0)
	if err != nil {
		return inserted, err
	}
	// Webhooks come last, once the reminders and digest are enqueued,
	// whichever way this returns, and never fail the sweep: sweepWebhooks
	// logs what goes wrong (internal/jobs/webhooks.go).
	defer r.sweepWebhooks(ctx, cal, st, packs, now)
	var params []river.InsertManyParams
	overdue := false
	for _, p := range packs {
		for _, c := range openClocks(cal, st, p, now) {
			overdue = overdue || c.State == deadline.StateOverdue
			if !c.Owner.reachable() {
				continue
			}
			if k := reminderKind(cal, c.Kind, c.Due, today); k != "" {
				params = append(params, river.InsertManyParams{
					Args:       reminderArgs{PackID: p.ID, Clock: string(c.Kind), Which: k, Day: today.String()},
					InsertOpts: unique,
				})
			}
		}
	}
	if overdue {
		params = append(params, river.InsertManyParams{Args: digestArgs{Day: today.String()}, InsertOpts: unique})
	}
	if len(params) == 0 {
		return inserted, nil
	}
	res, err := r.client.InsertMany(ctx, params)
	if err != nil {
		return inserted, fmt.Errorf("jobs: enqueue reminders for %s: %w", today, err)
	}
	for _, x := range res {
		if !x.UniqueSkippedAsDuplicate {
			inserted++
		}
	}
	return inserted, nil
}

// clockNow is what a job evaluates clocks with: the calendar and settings,
// the instant, and the org day it falls on. Jobs check the day so a
// reminder delayed past it is dropped rather than sent a day late.
type clockNow struct {
	cal   *deadline.Calendar
	st    handoff.Settings
	now   time.Time
	today deadline.Day
}

func (r *Runner) clockNow(ctx context.Context) (clockNow, error) {
	cal, st, err := Calendar(ctx, r.cfg.DB)
	if err != nil {
		return clockNow{}, err
	}
	now := r.cfg.Now()
	return clockNow{cal: cal, st: st, now: now, today: cal.Today(now)}, nil
}

type eventWorker struct {
	river.WorkerDefaults[eventMailArgs]
	r *Runner
}

// eventMailAttempts bounds retries: an event mail that cannot go out within a
// few tries (SMTP down for long) is news no more.
const eventMailAttempts = 5

func (eventMailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: eventMailAttempts}
}

func (w *eventWorker) Work(ctx context.Context, job *river.Job[eventMailArgs]) error {
	e, err := loadEvent(ctx, w.r.cfg.DB.Pool, job.Args.EventID)
	if errors.Is(err, errGone) {
		return nil // the pack (and its history) was deleted
	}
	if err != nil {
		return err
	}
	if w.r.cfg.Now().Sub(e.At) > staleEvents {
		w.r.cfg.Logger.InfoContext(ctx, "event mail dropped: the event is no longer news", "event_id", e.ID)
		return nil
	}
	p, err := loadOpenPack(ctx, w.r.cfg.DB.Pool, e.PackID)
	if errors.Is(err, errGone) {
		return nil
	}
	if err != nil {
		return err
	}
	msg, ok, err := w.r.eventMessage(ctx, p, e)
	if err != nil || !ok {
		return err
	}
	return w.r.cfg.Mail.Send(ctx, msg)
}

type reminderWorker struct {
	river.WorkerDefaults[reminderArgs]
	r *Runner
}

func (w *reminderWorker) Work(ctx context.Context, job *river.Job[reminderArgs]) error {
	a := job.Args
	cn, err := w.r.clockNow(ctx)
	if err != nil {
		return err
	}
	cal, today := cn.cal, cn.today
	log := w.r.cfg.Logger.With("pack_id", a.PackID, "clock", a.Clock, "kind", a.Which, "day", a.Day)
	if today.String() != a.Day {
		log.InfoContext(ctx, "reminder dropped: its day has passed")
		return nil
	}
	p, err := loadOpenPack(ctx, w.r.cfg.DB.Pool, a.PackID)
	if errors.Is(err, errGone) {
		return nil
	}
	if err != nil {
		return err
	}
	// The state now, not when the sweep ran: a step done since stops the mail.
	for _, c := range openClocks(cal, cn.st, p, cn.now) {
		if string(c.Kind) != a.Clock {
			continue
		}
		if !c.Owner.reachable() || reminderKind(cal, c.Kind, c.Due, today) != a.Which {
			break
		}
		msg, err := w.r.reminderMessage(ctx, cn, p, c, a.Which)
		if err != nil {
			return err
		}
		return w.r.cfg.Mail.Send(ctx, msg)
	}
	log.InfoContext(ctx, "reminder dropped: the step is done or the clock moved")
	return nil
}

type digestWorker struct {
	river.WorkerDefaults[digestArgs]
	r *Runner
}

func (w *digestWorker) Work(ctx context.Context, job *river.Job[digestArgs]) error {
	cn, err := w.r.clockNow(ctx)
	if err != nil {
		return err
	}
	if cn.today.String() != job.Args.Day {
		return nil
	}
	packs, err := openPacks(ctx, w.r.cfg.DB.Pool, 0)
	if err != nil {
		return err
	}
	ms, err := managers(ctx, w.r.cfg.DB.Pool)
	if err != nil {
		return err
	}
	var to []string
	for _, m := range ms {
		if m.reachable() {
			to = append(to, m.Email)
		}
	}
	if len(to) == 0 {
		w.r.cfg.Logger.WarnContext(ctx, "overdue digest not sent: no active manager", "day", job.Args.Day)
		return nil
	}
	msg, ok, err := w.r.digestMessage(ctx, cn, packs, to)
	if err != nil || !ok {
		return err
	}
	return w.r.cfg.Mail.Send(ctx, msg)
}
