package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// The quarterly pod review of strategic accounts (handoff/podreview.go): the
// record, the account's history of them, and the managers' list of
// strategic accounts by the posture of their latest review. The clock a
// review moves is aftercare.go's (syncPodReviewClock).

// RecordPodReview stores the pod review the pack's SA typed, in one
// transaction: the review (answering the pod review due day as it stands),
// its posture and renewal day copied onto the pack for the managers' list,
// the clock moved a quarter on from the review's day, and the event whose
// summary the jobs mail to the pod. The review is checked inside the
// transaction against the account as it reads it (the lock day in the org's
// time zone, the accepted version, the reviews before it); today is the
// org's day; version is the pack's version the form was read at, and a form
// sent after the pack changed is refused (ErrStale). It returns the review
// as stored.
func (db *DB) RecordPodReview(ctx context.Context, actor *handoff.User, packID int64, version int, f handoff.PodReviewForm, today, now time.Time) (handoff.PodReviewRecord, error) {
	var rec handoff.PodReviewRecord
	err := db.transition(ctx, actor, "record a pod review of", packID, handoff.ActPodReview, now,
		func(tx pgx.Tx, p *handoff.Pack) (handoff.Event, error) {
			// A form sent twice (a double click, a reload of the refused
			// page) would record the review twice and mail the pod twice.
			if err := stalePack(p, version, "This account changed since you opened the form: a pod review or another record was saved, perhaps this very review sent twice. "+
				"Check its pod reviews before recording again; everything you typed is still here, and recording now saves it."); err != nil {
				return handoff.Event{}, err
			}
			a, err := podAccount(ctx, tx, p)
			if err != nil {
				return handoff.Event{}, err
			}
			r, err := handoff.ValidatePodReview(f, a, today)
			if err != nil {
				return handoff.Event{}, err
			}
			// The due day the review answers is the clock's as it stands:
			// every write that starts or moves it keeps it set on a locked
			// strategic account, the only one Decide lets through.
			if p.PodReviewDueOn == nil {
				return handoff.Event{}, fmt.Errorf("pack %d is a locked strategic account without a pod review due day", packID)
			}
			r.DueOn = *p.PodReviewDueOn
			r.RecordedAt, r.RecordedBy = now, actor.Name
			rec = handoff.PodReviewRecord{PodReview: r, AttendeeNames: a.AttendeeNames(r.Attendees)}
			data, err := json.Marshal(rec)
			if err != nil {
				return handoff.Event{}, err
			}
			if err := tx.QueryRow(ctx, `
				INSERT INTO pod_reviews (pack_id, held_on, due_on, posture, renewal_on, data, recorded_by, recorded_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				packID, r.HeldOn, r.DueOn, string(r.Posture), r.RenewalOn, data, actor.ID, now).Scan(&rec.ID); err != nil {
				return handoff.Event{}, err
			}
			// A review is never held before the latest one (ValidatePodReview),
			// so it is the latest and speaks for the account.
			if _, err := tx.Exec(ctx, `
				UPDATE packs SET pod_reviewed_on = $2, pod_posture = $3, pod_renewal_on = $4, version = version + 1, updated_at = $5
				WHERE id = $1`, packID, r.HeldOn, string(r.Posture), r.RenewalOn, now); err != nil {
				return handoff.Event{}, err
			}
			if err := syncPodReviewClock(ctx, tx, packID); err != nil {
				return handoff.Event{}, err
			}
			return handoff.PodReviewEvent(r), nil
		})
	if err != nil {
		return handoff.PodReviewRecord{}, err
	}
	return rec, nil
}

// podAccount reads, on the transaction that locked pack p, what a review of
// it is checked against: its lock day in the org's time zone, its accepted
// version and its reviews so far.
func podAccount(ctx context.Context, tx pgx.Tx, p *handoff.Pack) (handoff.PodAccount, error) {
	var zone string
	if err := tx.QueryRow(ctx, `SELECT time_zone FROM org_settings`).Scan(&zone); err != nil {
		return handoff.PodAccount{}, err
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return handoff.PodAccount{}, err
	}
	accepted, err := latestVersionDocs(ctx, tx, p)
	if err != nil {
		return handoff.PodAccount{}, fmt.Errorf("accepted version: %w", err)
	}
	reviews, err := readPodReviews.run(ctx, tx, p.ID)
	if err != nil {
		return handoff.PodAccount{}, err
	}
	return handoff.NewPodAccount(p, LockDay(p, loc), accepted, reviews), nil
}

// LockDay is the day pack p was locked in the org's time zone loc, a civil
// date; zero when it is not locked.
func LockDay(p *handoff.Pack, loc *time.Location) time.Time {
	if p.LockedAt == nil {
		return time.Time{}
	}
	return deadline.DayOf(*p.LockedAt, loc).Time()
}

// PodReviewDetail is a pack with what its pod reviews page shows.
type PodReviewDetail struct {
	Pack *handoff.Pack
	// Accepted are the documents of the latest submission (the accepted
	// version once the pack is locked); zero before the first.
	Accepted handoff.Documents
	// Reviews are the pack's pod reviews, newest first.
	Reviews []handoff.PodReviewRecord
}

// PodReviews returns pack packID with its accepted version and its pod
// reviews, newest first, if actor may see it, else a not-found error: in
// one round trip and one snapshot.
func (db *DB) PodReviews(ctx context.Context, actor *handoff.User, packID int64) (*PodReviewDetail, error) {
	d := &PodReviewDetail{}
	var frozen []handoff.Version
	p, err := db.readPack(ctx, actor, packID, func(b *pgx.Batch) {
		readFrozen.queue(b, into(&frozen), packID, []int{})
		readPodReviews.queue(b, into(&d.Reviews), packID)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: pod reviews of pack %d: %w", packID, err)
	}
	d.Pack = p
	for _, v := range frozen {
		if v.Number == p.SubmittedVersion {
			d.Accepted = v.Documents
		}
	}
	return d, nil
}

// readPodReviews is a pack's pod reviews, newest first.
var readPodReviews = read[[]handoff.PodReviewRecord]{`
	SELECT r.id, r.held_on, r.due_on, r.posture, r.renewal_on, r.data, r.recorded_at, u.name
	FROM pod_reviews r JOIN users u ON u.id = r.recorded_by
	WHERE r.pack_id = $1 ORDER BY r.held_on DESC, r.id DESC LIMIT 500`,
	func(rows pgx.Rows) ([]handoff.PodReviewRecord, error) {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (handoff.PodReviewRecord, error) {
			var (
				rec     handoff.PodReviewRecord
				posture string
				data    []byte
			)
			if err := row.Scan(&rec.ID, &rec.HeldOn, &rec.DueOn, &posture, &rec.RenewalOn, &data, &rec.RecordedAt, &rec.RecordedBy); err != nil {
				return rec, err
			}
			// The columns hold the day, due day, posture and renewal; the
			// JSON the rest (its fields are the record's json-tagged ones).
			rec.Posture = handoff.Posture(posture)
			if err := json.Unmarshal(data, &rec); err != nil {
				return rec, fmt.Errorf("decode pod review %d: %w", rec.ID, err)
			}
			return rec, nil
		})
	}}

// StrategicFilter selects one page of the managers' list of strategic
// accounts: the locked strategic accounts whose latest pod review has
// Posture ("" for those with no review yet), renewal soonest first.
type StrategicFilter struct {
	Posture handoff.Posture
	After   *StrategicCursor // keyset: rows after this one
	Limit   int
}

// StrategicCursor marks a row of the list for keyset pagination.
type StrategicCursor struct {
	RenewalOn time.Time // zero for accounts with no review yet
	PackID    int64
}

// String writes the cursor for a URL: "2027-09-30.123", or "123" when there
// is no renewal day.
func (c StrategicCursor) String() string {
	id := strconv.FormatInt(c.PackID, 10)
	if c.RenewalOn.IsZero() {
		return id
	}
	return c.RenewalOn.Format(time.DateOnly) + "." + id
}

// CursorOf is the cursor of pack p in the list.
func CursorOf(p *handoff.Pack) StrategicCursor {
	c := StrategicCursor{PackID: p.ID}
	if p.PodLatest != nil {
		c.RenewalOn = p.PodLatest.RenewalOn
	}
	return c
}

// strategicWhere is the list's rows: exactly those the partial index
// packs_pod_posture_idx (migration 00027) holds, a locked strategic
// account having its pod review due day set and no other pack having one.
const strategicWhere = `p.pod_review_due_on IS NOT NULL`

// StrategicSQL builds the list query for f. It reads packs_pod_posture_idx
// in its order, (posture, renewal day, id), from the cursor on, and stops
// after a page. It is exported so tests and the benchmark can EXPLAIN
// exactly what the page runs.
func StrategicSQL(f StrategicFilter) (string, []any) {
	args := []any{f.Limit}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := strategicWhere
	if f.Posture == "" {
		// No review yet: no posture and no renewal day, so the index
		// orders them by id alone.
		where += ` AND p.pod_posture IS NULL AND p.pod_renewal_on IS NULL`
		if f.After != nil {
			where += ` AND p.id > ` + arg(f.After.PackID) + `::bigint`
		}
	} else {
		where += ` AND p.pod_posture = ` + arg(string(f.Posture))
		if f.After != nil {
			where += ` AND (p.pod_renewal_on, p.id) > (` + arg(f.After.RenewalOn) + `::date, ` + arg(f.After.PackID) + `::bigint)`
		}
	}
	return `SELECT ` + packColumns + packFrom + ` WHERE ` + where + `
		ORDER BY p.pod_posture, p.pod_renewal_on, p.id LIMIT $1`, args
}

// StrategicAccounts returns one page of the managers' list for f.
func (db *DB) StrategicAccounts(ctx context.Context, f StrategicFilter) ([]*handoff.Pack, error) {
	sql, args := StrategicSQL(f)
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: strategic accounts %q: %w", f.Posture, err)
	}
	out, err := collectPacks(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: strategic accounts %q: %w", f.Posture, err)
	}
	return out, nil
}

// StrategicCountsSQL counts the list's accounts of each posture and those
// with no review yet, each capped at CountCap+1 so counting reads a bounded
// range of the index at any size.
func StrategicCountsSQL() string {
	count := func(cond string) string {
		return `(SELECT count(*) FROM (SELECT 1 FROM packs p WHERE ` + strategicWhere + ` AND ` + cond +
			` LIMIT ` + strconv.Itoa(CountCap+1) + `) capped)`
	}
	cols := []string{count(`p.pod_posture IS NULL AND p.pod_renewal_on IS NULL`)}
	for _, ps := range handoff.Postures {
		cols = append(cols, count(`p.pod_posture = '`+string(ps)+`'`)) // the postures are constants
	}
	return `SELECT ` + strings.Join(cols, ", ")
}

// StrategicCounts returns how many accounts the list has of each posture,
// keyed by posture, "" for no review yet; a count over CountCap means more.
func (db *DB) StrategicCounts(ctx context.Context) (map[handoff.Posture]int, error) {
	n := make([]int, 1+len(handoff.Postures))
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := db.Pool.QueryRow(ctx, StrategicCountsSQL()).Scan(dest...); err != nil {
		return nil, fmt.Errorf("postgres: strategic account counts: %w", err)
	}
	out := map[handoff.Posture]int{"": n[0]}
	for i, ps := range handoff.Postures {
		out[ps] = n[i+1]
	}
	return out, nil
}
