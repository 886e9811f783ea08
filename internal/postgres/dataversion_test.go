package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

// The data version moves with every write a kept page may show and with no
// other: a document save, the most frequent write, leaves it alone so the
// manager's lists stay kept while SEs type.
func TestDataVersionMovesWithWhatListsShow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	version := func() int64 {
		t.Helper()
		n, err := w.db.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	moves := func(what string, want bool, write func()) {
		t.Helper()
		before := version()
		write()
		if moved := version() != before; moved != want {
			t.Errorf("%s: data version moved = %v, want %v", what, moved, want)
		}
	}

	moves("a document save", false, func() {
		p, _ := w.db.Pack(ctx, w.sam, w.pack)
		docs, _, err := w.db.Documents(ctx, w.sam, w.pack)
		if err != nil {
			t.Fatal(err)
		}
		docs.Risks.NoKnownRisks = true
		if _, err := w.db.SaveDocument(ctx, w.sam, w.pack, p.Version, handoff.DocRisks, docs, packNow); err != nil {
			t.Fatal(err)
		}
	})
	moves("a login stamp", false, func() {
		if err := w.db.RecordLogin(ctx, w.sam.ID, packNow); err != nil {
			t.Fatal(err)
		}
	})
	moves("a reassignment", true, func() {
		if err := w.db.Assign(ctx, w.morgan, w.pack, w.priya.ID, w.jordan.ID, packNow); err != nil {
			t.Fatal(err)
		}
	})
	moves("a password change", true, func() { w.exec(t, `UPDATE users SET session_version = session_version + 1 WHERE id = $1`, w.sam.ID) })
	moves("a rename", true, func() { w.exec(t, `UPDATE users SET name = 'Samuel' WHERE id = $1`, w.sam.ID) })
	moves("a status change", true, func() { w.exec(t, `UPDATE packs SET status = 'draft' WHERE id = $1`, w.pack) })
	moves("a due date change", true, func() { w.exec(t, `UPDATE packs SET pack_due_on = pack_due_on + 1 WHERE id = $1`, w.pack) })
	moves("a day off", true, func() { w.exec(t, `INSERT INTO company_days_off (day, name) VALUES ('2026-12-24', 'Eve')`) })
	moves("a settings change", true, func() { w.exec(t, `UPDATE org_settings SET crm_url_template = 'https://crm.example.com/{id}'`) })
	moves("a threshold change", true, func() { w.exec(t, `DELETE FROM approval_thresholds`) })
	moves("a deal change", true, func() { w.exec(t, `UPDATE deals SET arr_minor = arr_minor + 1`) })
	// After the lock: what first value and pod reviews write moves the
	// clocks Overdue keeps.
	w.kickedOff(t, handoff.StatusLocked)
	moves("a first value record", true, func() {
		if _, err := w.db.RecordFirstValue(ctx, w.jordan, w.pack, "2026-11-24", "Live", packNow.Truncate(24*time.Hour), packNow); err != nil {
			t.Fatal(err)
		}
	})
	moves("a pod review clock", true, func() { w.exec(t, `UPDATE packs SET pod_review_due_on = '2027-03-01' WHERE id = $1`, w.pack) })
	moves("a first value due day", true, func() {
		w.exec(t, `UPDATE packs SET first_value_due_on = first_value_due_on + 1 WHERE id = $1`, w.pack)
	})

	// The version read with the session's user is the database's.
	u, n, err := w.db.UserAndVersion(ctx, w.sam.ID)
	if err != nil || u.ID != w.sam.ID || n != version() {
		t.Fatalf("UserAndVersion = %v, %d, %v; want Sam and %d", u, n, err, version())
	}
	if _, _, err := w.db.UserAndVersion(ctx, 1<<40); handoff.ErrorCode(err) != handoff.ENOTFOUND {
		t.Fatalf("UserAndVersion of nobody: %v, want not found", err)
	}
}
