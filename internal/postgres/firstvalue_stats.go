package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
)

// What the stats page reads of first value (README.md, "After the lock"):
// how long accounts took from Closed-Won to first value, by how their
// handoff went; booked ARR against ARR that reached first value; and the
// accounts past handoff.DebtDays without it. Each query aggregates in the
// database or reads a bounded, indexed range, so its cost follows the
// window or the page, not the table (docs/performance.md).

// FirstValueTime counts the accounts that took Days calendar days from
// Closed-Won to first value, with the same verdict on their pack clock and
// on their architecture lock clock.
type FirstValueTime struct {
	// HandoffOnTime is the pack clock as the stats judge it: true when the
	// pack was first submitted by its due day, false when late; nil when
	// the clock is not decided (never submitted, not yet due).
	HandoffOnTime *bool
	// LockedInTime is the lock clock the same way: true when locked by its
	// due day, false when locked late or still open past it; nil while it
	// runs and is not yet due, or has not started.
	LockedInTime *bool
	Days         int
	Packs        int
}

// verdictSQL is the SQL of how the stats count a clock (stats.Rate, on the
// states deadline.EvaluateDue gives): true when done on or before its due
// day, false when done after it or still open once it has passed, NULL
// while open and not yet due or not started. doneAt is a moment, counted on
// the org's day in zone; start and due are civil dates; today is the org's
// day. TestFirstValueVerdictsAgreeWithTheClockModel holds it to
// deadline.PackClocks, so the page judges a clock as every other surface
// does.
func verdictSQL(start, due, doneAt, zone, today string) string {
	return `CASE WHEN ` + start + ` IS NULL OR ` + due + ` IS NULL THEN NULL` +
		` WHEN ` + doneAt + ` IS NOT NULL THEN (` + doneAt + ` AT TIME ZONE ` + zone + `)::date <= ` + due +
		` WHEN ` + due + ` < ` + today + ` THEN false END`
}

// FirstValueTimes counts the accounts whose first value is on a day in
// [since, until], grouped by their days from Closed-Won to first value and
// by the verdicts on their pack and lock clocks at today (the org's day;
// zone is the org's time zone). The packs are one range of
// packs_first_value_on_idx (migration 00028), read without their rows; only
// Closed-Won comes from the deal. The answer is a histogram, a few hundred
// rows whatever the window holds.
func (db *DB) FirstValueTimes(ctx context.Context, since, until, today deadline.Day, zone string) ([]FirstValueTime, error) {
	var args searchArgs
	s, u := args.add(since.String(), "date"), args.add(until.String(), "date")
	z, t := args.add(zone, "text"), args.add(today.String(), "date")
	rows, err := db.Pool.Query(ctx, `
		SELECT `+verdictSQL("d.closed_won_on", "p.pack_due_on", "p.first_submitted_at", z, t)+` AS handoff_on_time,
		       `+verdictSQL("p.kickoff_on", "p.lock_due_on", "p.locked_at", z, t)+` AS locked_in_time,
		       p.first_value_on - d.closed_won_on AS days, count(*)::int AS packs
		FROM packs p JOIN deals d ON d.id = p.deal_id
		WHERE p.first_value_on >= `+s+` AND p.first_value_on <= `+u+`
		GROUP BY 1, 2, 3
		ORDER BY 3, 1, 2`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: first value times %s to %s: %w", since, until, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[FirstValueTime])
	if err != nil {
		return nil, fmt.Errorf("postgres: first value times %s to %s: %w", since, until, err)
	}
	return out, nil
}

// BookedARR is the ARR of the deals of one currency won on one day whose
// first value fell in one month (ValueMonth, its first day), or that have
// none yet (ValueMonth nil).
type BookedARR struct {
	Currency   string
	WonOn      time.Time // a civil date
	ValueMonth *time.Time
	ARRMinor   int64
	Deals      int
}

// BookedARRSince sums the ARR of the deals won on or after since, by
// currency, Closed-Won day and month of first value. It reads the deals and
// packs StatsWindow reads for the same window, and no others. Amounts are
// never added across currencies. At most one row per currency, day and
// month: a year's window is a few thousand rows.
func (db *DB) BookedARRSince(ctx context.Context, since deadline.Day) ([]BookedARR, error) {
	var args searchArgs
	s := args.add(since.String(), "date")
	rows, err := db.Pool.Query(ctx, `
		SELECT d.arr_currency AS currency, d.closed_won_on AS won_on,
		       date_trunc('month', p.first_value_on)::date AS value_month,
		       sum(d.arr_minor)::bigint AS arr_minor, count(*)::int AS deals
		FROM deals d JOIN packs p ON p.deal_id = d.id
		WHERE d.closed_won_on >= `+s+`
		GROUP BY 1, 2, 3
		ORDER BY 1, 2, 3`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: booked ARR since %s: %w", since, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[BookedARR])
	if err != nil {
		return nil, fmt.Errorf("postgres: booked ARR since %s: %w", since, err)
	}
	return out, nil
}

// DebtAccount is an account with no first value yet, won long enough ago
// to be deployment debt.
type DebtAccount struct {
	PackID      int64
	DealID      int64 // orders ties, as the index does
	AccountName string
	SEName      string
	SAName      string // "" when the deal has no SA
	Status      string
	ClosedWonOn time.Time // a civil date
	ARRMinor    int64
	ARRCurrency string
}

// DebtCursor marks the last row of a page of debt accounts.
type DebtCursor struct {
	ClosedWonOn time.Time
	DealID      int64
}

// DebtFilter selects the accounts without first value won before WonBefore
// (stats.DebtCutoff of the org's today), worst first: the longest since
// Closed-Won, ties in the order the deals were recorded. The list walks
// Closed-Won days up from the oldest (deals_closed_won_text_idx) and stops
// at a full page: it reads about a page while old accounts mostly lack first
// value, and also every old account with first value it passes on the way
// when they mostly have it.
type DebtFilter struct {
	WonBefore deadline.Day
	After     *DebtCursor // keyset: rows after this one
	Limit     int
}

// debtFrom is what the debt list and its count read.
const debtFrom = `
		FROM deals d JOIN packs p ON p.deal_id = d.id`

// DebtAccounts returns a page of f's accounts, worst first.
func (db *DB) DebtAccounts(ctx context.Context, f DebtFilter) ([]DebtAccount, error) {
	if f.Limit <= 0 {
		return nil, fmt.Errorf("postgres: debt accounts: limit %d, want > 0", f.Limit)
	}
	var args searchArgs
	where := `p.first_value_on IS NULL AND d.closed_won_on < ` + args.add(f.WonBefore.String(), "date")
	if f.After != nil {
		where += ` AND (d.closed_won_on, d.id) > (` + args.add(f.After.ClosedWonOn.Format(time.DateOnly), "date") +
			`, ` + args.add(f.After.DealID, "bigint") + `)`
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT p.id AS pack_id, d.id AS deal_id, d.account_name, se.name AS se_name, coalesce(sa.name, '') AS sa_name, p.status,
		       d.closed_won_on, d.arr_minor, d.arr_currency`+debtFrom+`
		JOIN users se ON se.id = d.se_id LEFT JOIN users sa ON sa.id = d.sa_id
		WHERE `+where+`
		ORDER BY d.closed_won_on, d.id
		LIMIT `+itoa(f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: debt accounts won before %s: %w", f.WonBefore, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[DebtAccount])
	if err != nil {
		return nil, fmt.Errorf("postgres: debt accounts won before %s: %w", f.WonBefore, err)
	}
	return out, nil
}

// CountDebtAccounts counts the accounts without first value won before
// wonBefore, at most CountCap+1: past the cap the page says "more than",
// as the manager's lists do, and the count costs no more than that.
func (db *DB) CountDebtAccounts(ctx context.Context, wonBefore deadline.Day) (int, error) {
	var args searchArgs
	var n int
	if err := db.Pool.QueryRow(ctx, `
		SELECT count(*) FROM (SELECT 1`+debtFrom+`
		WHERE p.first_value_on IS NULL AND d.closed_won_on < `+args.add(wonBefore.String(), "date")+`
		LIMIT `+itoa(CountCap+1)+`) capped`, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count debt accounts won before %s: %w", wonBefore, err)
	}
	return n, nil
}
