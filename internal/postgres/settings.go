package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// selectSettings reads the settings row and, in the same round trip, the
// approval thresholds as two arrays in currency order.
const selectSettings = `
SELECT org_name, time_zone, holiday_countries, pack_due_business_days,
       kickoff_due_business_days, lock_due_calendar_days, first_value_due_calendar_days, updated_at, crm_url_template,
       ARRAY(SELECT currency FROM approval_thresholds ORDER BY currency),
       ARRAY(SELECT amount_minor FROM approval_thresholds ORDER BY currency)
FROM org_settings`

// Settings returns the organisation's settings.
func (db *DB) Settings(ctx context.Context) (handoff.Settings, error) {
	s, err := settings(ctx, db.Pool)
	if err != nil {
		return s, fmt.Errorf("postgres: settings: %w", err)
	}
	return s, nil
}

func settings(ctx context.Context, q Querier) (handoff.Settings, error) {
	var s handoff.Settings
	var currencies []string
	var amounts []int64
	err := q.QueryRow(ctx, selectSettings).Scan(
		&s.OrgName, &s.TimeZone, &s.HolidayCountries, &s.PackDueBusinessDays,
		&s.KickoffDueBusinessDays, &s.LockDueCalendarDays, &s.FirstValueDueCalendarDays, &s.UpdatedAt, &s.CRMURLTemplate, &currencies, &amounts)
	if err != nil {
		return s, err
	}
	if len(currencies) != len(amounts) {
		return s, fmt.Errorf("approval thresholds: %d currencies for %d amounts", len(currencies), len(amounts))
	}
	for i, c := range currencies {
		s.ApprovalThresholds = append(s.ApprovalThresholds, handoff.Money{Minor: amounts[i], Currency: c})
	}
	return s, nil
}

// DaysOff returns the company days off, in date order.
func (db *DB) DaysOff(ctx context.Context) ([]handoff.DayOff, error) {
	off, err := daysOff(ctx, db.Pool)
	if err != nil {
		return nil, fmt.Errorf("postgres: days off: %w", err)
	}
	return off, nil
}

func daysOff(ctx context.Context, q Querier) ([]handoff.DayOff, error) {
	rows, err := q.Query(ctx, `SELECT day, name FROM company_days_off ORDER BY day`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.DayOff, error) {
		var d handoff.DayOff
		err := row.Scan(&d.Day, &d.Name)
		return d, err
	})
}

// DueFunc computes a pack's due dates under the calendar being saved.
type DueFunc func(closedWonOn time.Time, kickoffOn *time.Time) Dues

// DueSource builds the DueFunc of the calendar a transaction sees.
type DueSource func(ctx context.Context, tx pgx.Tx) (DueFunc, error)

// CalendarChange is one change to the rules deadlines follow. Apply runs in
// the transaction; Due then computes every open pack's new dates.
type CalendarChange struct {
	Why   string // "Settings changed", "Company day off added: …"
	Apply func(ctx context.Context, tx pgx.Tx) error
	Due   DueSource
}

// UpdateSettingsChange stores new settings, replacing the approval
// thresholds with s's. A zero first value length keeps the stored one.
func UpdateSettingsChange(s handoff.Settings) func(ctx context.Context, tx pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			UPDATE org_settings SET time_zone = $1, holiday_countries = $2, pack_due_business_days = $3,
			       kickoff_due_business_days = $4, lock_due_calendar_days = $5,
			       first_value_due_calendar_days = coalesce(nullif($6, 0), first_value_due_calendar_days), updated_at = now()`,
			s.TimeZone, s.HolidayCountries, s.PackDueBusinessDays, s.KickoffDueBusinessDays, s.LockDueCalendarDays,
			s.FirstValueDueCalendarDays); err != nil {
			return err
		}
		currencies := make([]string, len(s.ApprovalThresholds))
		amounts := make([]int64, len(s.ApprovalThresholds))
		for i, m := range s.ApprovalThresholds {
			currencies[i], amounts[i] = m.Currency, m.Minor
		}
		if _, err := tx.Exec(ctx, `DELETE FROM approval_thresholds`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO approval_thresholds (currency, amount_minor)
			SELECT * FROM unnest($1::text[], $2::bigint[])`, currencies, amounts)
		return err
	}
}

// AddDayOffChange adds a company day off.
func AddDayOffChange(d handoff.DayOff) func(ctx context.Context, tx pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO company_days_off (day, name) VALUES ($1, $2)`, d.Day, d.Name)
		if isUniqueViolation(err, "") {
			return &handoff.Error{Code: handoff.EINVALID, Message: "Some fields need your attention.",
				Fields: map[string]string{"day": "That day is already a company day off."}}
		}
		// The settings row's updated_at says when the calendar last changed.
		if err == nil {
			_, err = tx.Exec(ctx, `UPDATE org_settings SET updated_at = now()`)
		}
		return err
	}
}

// DeleteDayOffChange removes a company day off.
func DeleteDayOffChange(day time.Time) func(ctx context.Context, tx pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM company_days_off WHERE day = $1`, day)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound()
		}
		_, err = tx.Exec(ctx, `UPDATE org_settings SET updated_at = now()`)
		return err
	}
}

// ChangeCalendar applies a change to settings or days off and recomputes the
// due dates of every open pack in the same transaction, leaving an event on
// each pack whose dates moved. It returns how many packs moved.
func (db *DB) ChangeCalendar(ctx context.Context, actor *handoff.User, c CalendarChange, now time.Time) (int, error) {
	moved := 0
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		moves, err := applyCalendarChange(ctx, tx, c, true)
		if err != nil {
			return err
		}
		moved = len(moves)
		return db.writeDueMoves(ctx, tx, actor, moves, c.Why, now)
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: change calendar (%s): %w", c.Why, err)
	}
	return moved, nil
}

// errPreviewDone rolls back a preview's transaction once it has counted.
var errPreviewDone = errors.New("preview done")

// PreviewCalendar says which open packs' due dates c would move, without
// changing anything: it applies c and computes the new dates exactly as
// ChangeCalendar does, in a transaction it then rolls back. An invalid change
// fails here as it would on saving.
func (db *DB) PreviewCalendar(ctx context.Context, c CalendarChange) ([]DueMove, error) {
	var moves []DueMove
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if moves, err = applyCalendarChange(ctx, tx, c, false); err != nil {
			return err
		}
		return errPreviewDone
	})
	if err != nil && !errors.Is(err, errPreviewDone) {
		return nil, fmt.Errorf("postgres: preview calendar change (%s): %w", c.Why, err)
	}
	return moves, nil
}

// applyCalendarChange applies c on tx and returns the due dates it moves;
// lock holds the moved packs' rows until tx ends, for writing them.
func applyCalendarChange(ctx context.Context, tx pgx.Tx, c CalendarChange, lock bool) ([]DueMove, error) {
	// Serialise calendar changes: two admins saving at once must not
	// recompute from each other's half-applied state.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM org_settings FOR UPDATE`); err != nil {
		return nil, err
	}
	if lock {
		// Lock the packs a recompute may move before the change moves
		// data_version (migration 00013): a transition locks its pack first and
		// data_version second, so taking them the other way round could
		// deadlock with it.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM packs WHERE `+dueMovable+` ORDER BY id FOR UPDATE`); err != nil {
			return nil, err
		}
	}
	if err := c.Apply(ctx, tx); err != nil {
		return nil, err
	}
	due, err := c.Due(ctx, tx)
	if err != nil {
		return nil, err
	}
	return openDueMoves(ctx, tx, due, lock)
}

// SettingsTx reads the settings and days off inside a transaction, so a
// CalendarChange's Due sees the change it is applied with.
func SettingsTx(ctx context.Context, tx pgx.Tx) (handoff.Settings, []handoff.DayOff, error) {
	s, err := settings(ctx, tx)
	if err != nil {
		return s, nil, err
	}
	off, err := daysOff(ctx, tx)
	return s, off, err
}

// DueMove is one open pack whose due dates a calendar change moves.
type DueMove struct {
	PackID  int64
	Account string
	Changes []string // "pack due 2026-12-03 → 2026-12-07", one per clock that moves
	dues    Dues     // every due date of the pack after the change
}

// dueMovable selects the packs a calendar change may move: some clock that
// follows the calendar still runs (the pod review's quarter does not).
const dueMovable = `(status <> 'locked' OR first_value_on IS NULL)`

// openDueMoves computes the new due dates of packs whose clocks still run.
// Clocks already met keep the dates they were met against, so history does
// not change under people's feet.
func openDueMoves(ctx context.Context, tx pgx.Tx, due DueFunc, lock bool) ([]DueMove, error) {
	q := `
		SELECT p.id, p.status, d.account_name, d.closed_won_on, p.kickoff_on, p.pack_due_on, p.kickoff_due_on, p.lock_due_on,
		       p.first_value_due_on, p.first_value_on IS NOT NULL
		FROM packs p JOIN deals d ON d.id = p.deal_id
		WHERE ` + dueMovable + `
		ORDER BY p.id`
	if lock {
		q += ` FOR UPDATE OF p`
	}
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	type open struct {
		id                  int64
		status              handoff.Status
		account             string
		closedWon           time.Time
		kickoff             *time.Time
		packDue, kickoffDue time.Time
		lockDue, fvDue      *time.Time
		fvRecorded          bool
	}
	var packs []open
	for rows.Next() {
		var o open
		var status string
		if err := rows.Scan(&o.id, &status, &o.account, &o.closedWon, &o.kickoff, &o.packDue, &o.kickoffDue, &o.lockDue, &o.fvDue, &o.fvRecorded); err != nil {
			rows.Close()
			return nil, err
		}
		o.status = handoff.Status(status)
		packs = append(packs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	var moves []DueMove
	for _, o := range packs {
		was := Dues{PackDueOn: o.packDue, KickoffDueOn: o.kickoffDue, LockDueOn: o.lockDue, FirstValueDueOn: o.fvDue}
		n, changes := keepMetDues(o.status, o.fvRecorded, was, due(o.closedWon, o.kickoff))
		if len(changes) > 0 {
			moves = append(moves, DueMove{PackID: o.id, Account: o.account, Changes: changes, dues: n})
		}
	}
	return moves, nil
}

// writeDueMoves stores moved due dates, with an event on each pack saying
// why and how they moved.
func (db *DB) writeDueMoves(ctx context.Context, tx pgx.Tx, actor *handoff.User, moves []DueMove, why string, now time.Time) error {
	actorID := int64(0)
	if actor != nil {
		actorID = actor.ID
	}
	for _, m := range moves {
		n := m.dues
		if _, err := tx.Exec(ctx, `
			UPDATE packs SET pack_due_on = $2, kickoff_due_on = $3, lock_due_on = $4, first_value_due_on = $5, updated_at = $6
			WHERE id = $1`, m.PackID, n.PackDueOn, n.KickoffDueOn, n.LockDueOn, n.FirstValueDueOn, now); err != nil {
			return err
		}
		if err := db.addEvent(ctx, tx, m.PackID, actorID, now, handoff.DeadlinesChangedEvent(why, m.Changes)); err != nil {
			return err
		}
	}
	return nil
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func dayPtr(t *time.Time) string {
	if t == nil {
		return "none"
	}
	return day(*t)
}
