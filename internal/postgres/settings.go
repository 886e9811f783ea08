package postgres

import (
	"context"
	"fmt"

	"github.com/handoff-app/handoff/internal/handoff"
)

const selectSettings = `
SELECT org_name, time_zone, holiday_countries, pack_due_business_days,
       kickoff_due_business_days, lock_due_calendar_days,
       approval_threshold_minor, approval_threshold_currency, updated_at
FROM org_settings`

// Settings returns the organisation's settings.
func (db *DB) Settings(ctx context.Context) (handoff.Settings, error) {
	var s handoff.Settings
	err := db.Pool.QueryRow(ctx, selectSettings).Scan(
		&s.OrgName, &s.TimeZone, &s.HolidayCountries, &s.PackDueBusinessDays,
		&s.KickoffDueBusinessDays, &s.LockDueCalendarDays,
		&s.ApprovalThreshold.Minor, &s.ApprovalThreshold.Currency, &s.UpdatedAt)
	if err != nil {
		return s, fmt.Errorf("postgres: settings: %w", err)
	}
	return s, nil
}
