package postgres

import (
	"context"
	"fmt"
)

// SetCRMURLTemplate stores the org's CRM link template (checked by
// handoff.ParseCRMURLTemplate; the schema checks its shape again). It moves
// the settings row's updated_at, which is the settings cache's key, so every
// page links with the new template at once.
func (db *DB) SetCRMURLTemplate(ctx context.Context, template string) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE org_settings SET crm_url_template = $1, updated_at = now()`, template); err != nil {
		return fmt.Errorf("postgres: set CRM link template: %w", err)
	}
	return nil
}
