package postgres_test

import (
	"context"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
)

// The stored count of what a pack misses is the domain's count of its stored
// documents after every write that changes them or makes them editable, and
// after a start that finds counts made under another rule.
func TestStoredMissingFollowsTheDocuments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newPackWorld(t)
	stored := func() (n, rule *int) {
		t.Helper()
		if err := w.db.Pool.QueryRow(ctx, `SELECT missing, missing_rule FROM packs WHERE id = $1`, w.pack).Scan(&n, &rule); err != nil {
			t.Fatal(err)
		}
		return n, rule
	}
	want := func(what string) {
		t.Helper()
		docs, _, err := w.db.Documents(ctx, w.sam, w.pack)
		if err != nil {
			t.Fatal(err)
		}
		n, rule := stored()
		if n == nil || *n != docs.MissingCount() || rule == nil || *rule != handoff.CompletenessRule {
			t.Fatalf("%s: stored %v under rule %v, want %d under %d", what, n, rule, docs.MissingCount(), handoff.CompletenessRule)
		}
	}
	want("a new pack")
	if n, _ := stored(); *n != (handoff.Documents{}).MissingCount() {
		t.Fatalf("a new pack stores %d missing, want every check of empty documents", *n)
	}

	p, _ := w.db.Pack(ctx, w.sam, w.pack)
	docs, _, err := w.db.Documents(ctx, w.sam, w.pack)
	if err != nil {
		t.Fatal(err)
	}
	docs.Risks.NoKnownRisks = true
	if _, err := w.db.SaveDocument(ctx, w.sam, w.pack, p.Version, handoff.DocRisks, docs, packNow); err != nil {
		t.Fatal(err)
	}
	want("after a save")

	// An upgrade changed the rule: the start recounts open packs, once.
	w.exec(t, `UPDATE packs SET missing = 99, missing_rule = 0 WHERE id = $1`, w.pack)
	n, err := w.db.RecountMissing(ctx)
	if err != nil || n != 1 {
		t.Fatalf("RecountMissing = %d, %v; want the one open pack", n, err)
	}
	want("after a recount")
	if n, err := w.db.RecountMissing(ctx); err != nil || n != 0 {
		t.Fatalf("second RecountMissing = %d, %v; want nothing left", n, err)
	}

	// A stored document of the wrong shape counts as not saved; it does not
	// stop the recount a start runs.
	w.exec(t, `UPDATE pack_documents SET data = '{"items": "not a list"}' WHERE pack_id = $1 AND kind = 'risks'`, w.pack)
	w.exec(t, `UPDATE packs SET missing_rule = 0 WHERE id = $1`, w.pack)
	if n, err := w.db.RecountMissing(ctx); err != nil || n != 1 {
		t.Fatalf("RecountMissing over a misshapen document = %d, %v; want the pack counted", n, err)
	}
	var missing int
	if err := w.db.Pool.QueryRow(ctx, `SELECT missing FROM packs WHERE id = $1`, w.pack).Scan(&missing); err != nil {
		t.Fatal(err)
	}
	without := docs
	without.Risks = handoff.Risks{}
	if missing != without.MissingCount() {
		t.Fatalf("misshapen risk log counts %d missing, want %d (as if never saved)", missing, without.MissingCount())
	}

	// A pack the SE cannot edit is left to the return that reopens it.
	w.exec(t, `UPDATE packs SET status = 'locked', submitted_version = 1, missing = 99, missing_rule = 0 WHERE id = $1`, w.pack)
	if n, err := w.db.RecountMissing(ctx); err != nil || n != 0 {
		t.Fatalf("RecountMissing of a locked pack = %d, %v; want none", n, err)
	}
}
