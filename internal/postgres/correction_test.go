package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// correctionDue is the calendar of packWorld: the pack is due 7 days after
// Closed-Won, the kickoff 14.
func correctionDue(context.Context, pgx.Tx) (postgres.DueFunc, error) {
	return func(cw time.Time, kickoff *time.Time) postgres.Dues {
		d := postgres.Dues{PackDueOn: cw.AddDate(0, 0, 7), KickoffDueOn: cw.AddDate(0, 0, 14)}
		if kickoff != nil {
			lock := kickoff.AddDate(0, 0, 30)
			d.LockDueOn = &lock
		}
		return d
	}, nil
}

func TestCorrectDeal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	lastEvent := func(t *testing.T, w *packWorld) handoff.Event {
		t.Helper()
		es, err := w.db.Events(ctx, w.morgan, w.pack)
		if err != nil {
			t.Fatal(err)
		}
		return es[0]
	}

	t.Run("OKSEInDraftMovesEveryOpenClock", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		p, _ := w.db.Pack(ctx, w.sam, w.pack)
		d := p.Deal
		d.ARR = handoff.Money{Minor: 18_000_000, Currency: "USD"}
		d.ClosedWonOn = day("2026-10-30")
		changes, err := w.db.CorrectDeal(ctx, w.sam, w.pack, handoff.DealFingerprint(p.Deal), d, correctionDue, packNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 2 {
			t.Errorf("changes = %q", changes)
		}
		after, _ := w.db.Pack(ctx, w.sam, w.pack)
		if after.Deal.ARR != d.ARR || !after.Deal.ClosedWonOn.Equal(d.ClosedWonOn) || after.Deal.SEID != w.sam.ID || after.Deal.SAID != w.alex.ID {
			t.Errorf("deal after = %+v", after.Deal)
		}
		if !after.PackDueOn.Equal(day("2026-11-06")) || !after.KickoffDueOn.Equal(day("2026-11-13")) {
			t.Errorf("due dates = %v, %v; want both moved from the new Closed-Won", after.PackDueOn, after.KickoffDueOn)
		}
		want := "Corrected the deal: ARR USD 100,000.00 → USD 180,000.00; Closed-Won 2026-11-02 → 2026-10-30. " +
			"Due dates moved: pack due 2026-11-09 → 2026-11-06; kickoff due 2026-11-16 → 2026-11-13."
		if e := lastEvent(t, w); e.Kind != handoff.EventDealCorrected || e.Summary != want || e.Actor != "Sam" {
			t.Errorf("event = %s by %s: %q\nwant %q", e.Kind, e.Actor, e.Summary, want)
		}
	})

	t.Run("OKManagerAfterSubmissionKeepsTheMetClock", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t).filled(t) // submitted: the pack clock is met
		p, _ := w.db.Pack(ctx, w.morgan, w.pack)
		d := p.Deal
		d.ClosedWonOn = day("2026-11-04")
		if _, err := w.db.CorrectDeal(ctx, w.morgan, w.pack, handoff.DealFingerprint(p.Deal), d, correctionDue, packNow); err != nil {
			t.Fatal(err)
		}
		after, _ := w.db.Pack(ctx, w.morgan, w.pack)
		if !after.PackDueOn.Equal(p.PackDueOn) {
			t.Errorf("the met pack clock moved: %v → %v", p.PackDueOn, after.PackDueOn)
		}
		if !after.KickoffDueOn.Equal(day("2026-11-18")) {
			t.Errorf("kickoff due = %v, want 2026-11-18 (the open clock follows Closed-Won)", after.KickoffDueOn)
		}
		if e := lastEvent(t, w); !strings.HasSuffix(e.Summary, "Due dates moved: kickoff due 2026-11-16 → 2026-11-18.") {
			t.Errorf("event = %q", e.Summary)
		}
	})

	t.Run("OKNothingChangedWritesNothing", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		p, _ := w.db.Pack(ctx, w.sam, w.pack)
		events := w.count(t, "pack_events")
		changes, err := w.db.CorrectDeal(ctx, w.sam, w.pack, handoff.DealFingerprint(p.Deal), p.Deal, correctionDue, packNow)
		if err != nil || changes != nil {
			t.Fatalf("CorrectDeal(no change) = %q, %v", changes, err)
		}
		if n := w.count(t, "pack_events"); n != events {
			t.Errorf("%d new events for no change", n-events)
		}
	})

	t.Run("ErrStaleFingerprint", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		p, _ := w.db.Pack(ctx, w.sam, w.pack)
		seen := handoff.DealFingerprint(p.Deal)
		first := p.Deal
		first.AccountName = "Acme Inc."
		if _, err := w.db.CorrectDeal(ctx, w.morgan, w.pack, seen, first, correctionDue, packNow); err != nil {
			t.Fatal(err)
		}
		second := p.Deal
		second.OpportunityName = "Platform 2"
		_, err := w.db.CorrectDeal(ctx, w.sam, w.pack, seen, second, correctionDue, packNow)
		if !errors.Is(err, postgres.ErrStale) || handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Fatalf("correction from an overtaken form = %v, want ErrStale", err)
		}
		if after, _ := w.db.Pack(ctx, w.sam, w.pack); after.Deal.AccountName != "Acme Inc." || after.Deal.OpportunityName != "Platform" {
			t.Errorf("deal after = %+v", after.Deal)
		}
	})

	t.Run("ECONFLICTSEAfterSubmission", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t).filled(t)
		p, _ := w.db.Pack(ctx, w.sam, w.pack)
		d := p.Deal
		d.AccountName = "Acme Inc."
		_, err := w.db.CorrectDeal(ctx, w.sam, w.pack, handoff.DealFingerprint(p.Deal), d, correctionDue, packNow)
		if handoff.ErrorCode(err) != handoff.ECONFLICT || !strings.Contains(handoff.ErrorMessage(err), "Ask a manager") {
			t.Fatalf("SE correcting a submitted pack = %v", err)
		}
	})

	t.Run("EFORBIDDENSA", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		p, _ := w.db.Pack(ctx, w.alex, w.pack)
		_, err := w.db.CorrectDeal(ctx, w.alex, w.pack, handoff.DealFingerprint(p.Deal), p.Deal, correctionDue, packNow)
		if handoff.ErrorCode(err) != handoff.EFORBIDDEN {
			t.Fatalf("SA correcting = %v, want %s", err, handoff.EFORBIDDEN)
		}
	})

	t.Run("EINVALIDClosedWonAfterKickoff", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t).filled(t)
		w.exec(t, `UPDATE packs SET status = 'acknowledged', kickoff_on = '2026-11-20', lock_due_on = '2026-12-20', first_value_due_on = '2027-02-18' WHERE id = $1`, w.pack)
		p, _ := w.db.Pack(ctx, w.morgan, w.pack)
		d := p.Deal
		d.ClosedWonOn = day("2026-11-21")
		_, err := w.db.CorrectDeal(ctx, w.morgan, w.pack, handoff.DealFingerprint(p.Deal), d, correctionDue, packNow)
		if f := handoff.InvalidFields(err); !strings.Contains(f["closed_won_on"], "kickoff was on 2026-11-20") {
			t.Fatalf("Closed-Won after the kickoff = %v (fields %q)", err, f)
		}
	})

	t.Run("EINVALIDCRMIDOfAnotherDeal", func(t *testing.T) {
		t.Parallel()
		w := newPackWorld(t)
		if _, err := w.db.CreateDeal(ctx, w.morgan, handoff.Deal{AccountName: "Globex", OpportunityName: "Lake", Segment: handoff.SegmentCommercial,
			ARR: handoff.Money{Minor: 100, Currency: "USD"}, ClosedWonOn: day("2026-11-02"), CRMOpportunityID: "006TAKEN", SEID: w.sam.ID}, correctionDue, packNow); err != nil {
			t.Fatal(err)
		}
		p, _ := w.db.Pack(ctx, w.morgan, w.pack)
		d := p.Deal
		d.CRMOpportunityID = "006TAKEN"
		_, err := w.db.CorrectDeal(ctx, w.morgan, w.pack, handoff.DealFingerprint(p.Deal), d, correctionDue, packNow)
		if f := handoff.InvalidFields(err); f["crm_opportunity_id"] == "" {
			t.Fatalf("duplicate CRM id = %v", err)
		}
	})
}
