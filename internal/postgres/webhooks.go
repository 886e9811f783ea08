package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Webhook endpoints, their messages and deliveries (docs/webhooks.md). The
// rules — which event is which type, what an address may be, when to give
// up — live in internal/webhook and internal/jobs; this file stores what
// they decide.

// WebhookEndpoint is a registered endpoint with its latest delivery.
type WebhookEndpoint struct {
	ID             int64
	URL            string
	Kind           string // standard or slack
	Events         []string
	Description    string
	Secret         string // whsec_…; "" for Slack. Never shown after creation.
	Enabled        bool
	DisabledAt     *time.Time
	DisabledReason string
	// The failing streak: its first failed attempt and its latest; nil
	// when the last attempt delivered (or none failed).
	FailingSince  *time.Time
	LastFailureAt *time.Time
	// Until when deliveries are also signed with the secret before the last
	// roll; nil when never rolled.
	PreviousSecretUntil *time.Time
	CreatedByName       string // "" when added with the CLI
	CreatedAt           time.Time
	// The latest delivery, if any.
	LastState  *string
	LastAt     *time.Time
	LastStatus *int
}

const endpointColumns = `e.id, e.url, e.kind, e.events, e.description, e.secret, e.enabled, e.disabled_at,
	e.disabled_reason, e.failing_since, e.last_failure_at, e.previous_secret_until, coalesce(u.name, '') AS created_by_name, e.created_at,
	ld.state AS last_state, ld.at AS last_at, ld.status_code AS last_status`

const endpointFrom = ` FROM webhook_endpoints e
	LEFT JOIN users u ON u.id = e.created_by
	LEFT JOIN LATERAL (
		SELECT d.state, coalesce(d.last_attempt_at, d.created_at) AS at, d.status_code
		FROM webhook_deliveries d WHERE d.endpoint_id = e.id ORDER BY d.id DESC LIMIT 1) ld ON true`

// NewWebhookEndpoint is a checked registration (webhook.Guard.Register).
type NewWebhookEndpoint struct {
	URL         string
	Kind        string
	Events      []string
	Description string
	Secret      string
}

// CreateWebhookEndpoint stores a new endpoint, added by createdBy (0 for
// the CLI), enabled.
func (db *DB) CreateWebhookEndpoint(ctx context.Context, e NewWebhookEndpoint, createdBy int64, now time.Time) (WebhookEndpoint, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `
		INSERT INTO webhook_endpoints (url, kind, events, description, secret, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.URL, e.Kind, e.Events, e.Description, e.Secret, nullID(createdBy), now).Scan(&id)
	if err != nil {
		return WebhookEndpoint{}, fmt.Errorf("postgres: add webhook endpoint %s: %w", e.Kind, err)
	}
	return db.WebhookEndpoint(ctx, id)
}

// WebhookEndpoints lists every endpoint, oldest first.
func (db *DB) WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+endpointColumns+endpointFrom+` ORDER BY e.id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook endpoints: %w", err)
	}
	es, err := pgx.CollectRows(rows, pgx.RowToStructByName[WebhookEndpoint])
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook endpoints: %w", err)
	}
	return es, nil
}

// WebhookEndpoint returns endpoint id, or a not-found error.
func (db *DB) WebhookEndpoint(ctx context.Context, id int64) (WebhookEndpoint, error) {
	e, err := webhookEndpoint(ctx, db.Pool, id)
	if err != nil {
		return e, fmt.Errorf("postgres: webhook endpoint %d: %w", id, err)
	}
	return e, nil
}

func webhookEndpoint(ctx context.Context, q Querier, id int64) (WebhookEndpoint, error) {
	rows, err := q.Query(ctx, `SELECT `+endpointColumns+endpointFrom+` WHERE e.id = $1`, id)
	if err != nil {
		return WebhookEndpoint{}, err
	}
	e, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[WebhookEndpoint])
	if errors.Is(err, pgx.ErrNoRows) {
		return e, handoff.Errorf(handoff.ENOTFOUND, "No webhook endpoint has the id %d.", id)
	}
	return e, err
}

// DeleteWebhookEndpoint removes endpoint id with its delivery log; jobs
// still queued for it find nothing and end.
func (db *DB) DeleteWebhookEndpoint(ctx context.Context, id int64) (WebhookEndpoint, error) {
	e, err := db.WebhookEndpoint(ctx, id)
	if err != nil {
		return e, err
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id); err != nil {
		return e, fmt.Errorf("postgres: remove webhook endpoint %d: %w", id, err)
	}
	return e, nil
}

// EnableWebhookEndpoint turns endpoint id on again, forgetting why it was
// off and any failing streak: what fails from now on counts afresh.
func (db *DB) EnableWebhookEndpoint(ctx context.Context, id int64) (WebhookEndpoint, error) {
	tag, err := db.Pool.Exec(ctx, `
		UPDATE webhook_endpoints SET enabled = true, disabled_at = NULL, disabled_reason = '', failing_since = NULL,
			last_failure_at = NULL
		WHERE id = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		err = handoff.Errorf(handoff.ENOTFOUND, "No webhook endpoint has the id %d.", id)
	}
	if err != nil {
		return WebhookEndpoint{}, fmt.Errorf("postgres: enable webhook endpoint %d: %w", id, err)
	}
	return db.WebhookEndpoint(ctx, id)
}

// DisableWebhookEndpoint turns endpoint id off by hand, saying why.
// Disabling a disabled endpoint keeps its first reason.
func (db *DB) DisableWebhookEndpoint(ctx context.Context, id int64, reason string, now time.Time) (WebhookEndpoint, error) {
	if _, err := disableWebhookEndpoint(ctx, db.Pool, id, reason, now); err != nil {
		return WebhookEndpoint{}, fmt.Errorf("postgres: disable webhook endpoint %d: %w", id, err)
	}
	return db.WebhookEndpoint(ctx, id)
}

// disableWebhookEndpoint disables id if it is enabled and reports whether
// this call did (so whoever must be told is told once).
func disableWebhookEndpoint(ctx context.Context, q Querier, id int64, reason string, now time.Time) (bool, error) {
	tag, err := q.Exec(ctx, `
		UPDATE webhook_endpoints SET enabled = false, disabled_at = $2, disabled_reason = $3
		WHERE id = $1 AND enabled`, id, now, reason)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// WebhookEndpointsFor returns the enabled endpoints subscribed to type typ.
// It runs inside every pack event's transaction: one lookup in a partial
// index that holds enabled endpoints only, so with none it costs next to
// nothing.
func WebhookEndpointsFor(ctx context.Context, q Querier, typ string) ([]int64, error) {
	rows, err := q.Query(ctx, `SELECT id FROM webhook_endpoints WHERE enabled AND events @> ARRAY[$1::text] ORDER BY id`, typ)
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook endpoints for %s: %w", typ, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook endpoints for %s: %w", typ, err)
	}
	return ids, nil
}

// WebhookMessage is one event as sent: its body, signed as is on every
// attempt and redelivery.
type WebhookMessage struct {
	MsgID  string // the webhook-id header, msg_…
	Type   string
	PackID int64  // 0 for a test event
	Once   string // "" or a key that makes the message happen once (clock.overdue)
	Body   []byte
}

// AddWebhookMessage stores m and one pending delivery of it to each of
// endpoints, on q (the event's transaction), and returns the deliveries'
// ids. A message whose Once key exists already is not added again: no ids.
func AddWebhookMessage(ctx context.Context, q Querier, m WebhookMessage, endpoints []int64, now time.Time) ([]int64, error) {
	var once *string
	if m.Once != "" {
		once = &m.Once
	}
	rows, err := q.Query(ctx, `
		WITH m AS (
			INSERT INTO webhook_messages (msg_id, type, pack_id, once_key, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (once_key) DO NOTHING
			RETURNING id)
		INSERT INTO webhook_deliveries (endpoint_id, message_id, created_at)
		SELECT e, m.id, $6 FROM m, unnest($7::bigint[]) AS e
		RETURNING id`,
		m.MsgID, m.Type, nullID(m.PackID), once, string(m.Body), now, endpoints)
	if err != nil {
		return nil, fmt.Errorf("postgres: add webhook message %s: %w", m.Type, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: add webhook message %s: %w", m.Type, err)
	}
	return ids, nil
}

// WebhookOnceKeys returns which of keys have a message already.
func WebhookOnceKeys(ctx context.Context, q Querier, keys []string) (map[string]bool, error) {
	rows, err := q.Query(ctx, `SELECT once_key FROM webhook_messages WHERE once_key = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook once keys: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook once keys: %w", err)
	}
	out := make(map[string]bool, len(found))
	for _, k := range found {
		out[k] = true
	}
	return out, nil
}

// errEndpointDisabled refuses a delivery asked for by hand on an endpoint
// that is off.
func errEndpointDisabled() error {
	return handoff.Errorf(handoff.ECONFLICT, "This endpoint is disabled. Enable it first, then send again.")
}

// Redeliver adds a new pending delivery of delivery id's message to the
// same endpoint, on q, and returns its id. The endpoint must be enabled, and
// the delivery finished: one still queued or retrying is refused, for a
// second copy would race its own retries to the receiver.
func Redeliver(ctx context.Context, q Querier, endpointID, id int64, now time.Time) (int64, error) {
	var newID int64
	var enabled bool
	var state string
	err := q.QueryRow(ctx, `
		SELECT e.enabled, d.state FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
		WHERE d.id = $1 AND d.endpoint_id = $2`, id, endpointID).Scan(&enabled, &state)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, handoff.Errorf(handoff.ENOTFOUND, "not found")
	case err != nil:
		return 0, fmt.Errorf("postgres: redeliver webhook delivery %d: %w", id, err)
	case !enabled:
		return 0, errEndpointDisabled()
	case state == "pending" || state == "retrying":
		return 0, handoff.Errorf(handoff.ECONFLICT,
			"Delivery #%d is still being sent: Handoff retries it on its own. Redeliver it once it has delivered or given up.", id)
	}
	err = q.QueryRow(ctx, `
		INSERT INTO webhook_deliveries (endpoint_id, message_id, redelivery_of, created_at)
		SELECT endpoint_id, message_id, id, $2 FROM webhook_deliveries WHERE id = $1
		RETURNING id`, id, now).Scan(&newID)
	if err != nil {
		return 0, fmt.Errorf("postgres: redeliver webhook delivery %d: %w", id, err)
	}
	return newID, nil
}

// CheckEndpointEnabled is nil when endpoint id exists and is enabled, a
// not-found or conflict error otherwise.
func CheckEndpointEnabled(ctx context.Context, q Querier, id int64) error {
	var enabled bool
	err := q.QueryRow(ctx, `SELECT enabled FROM webhook_endpoints WHERE id = $1`, id).Scan(&enabled)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return handoff.Errorf(handoff.ENOTFOUND, "not found")
	case err != nil:
		return fmt.Errorf("postgres: webhook endpoint %d: %w", id, err)
	case !enabled:
		return errEndpointDisabled()
	}
	return nil
}

// WebhookDelivery is one line of an endpoint's delivery log.
type WebhookDelivery struct {
	ID            int64
	EndpointID    int64
	MsgID         string
	Type          string
	PackID        *int64
	Account       string // the pack's account, "" for a test event
	RedeliveryOf  *int64
	State         string // pending, retrying, delivered, failed (ended early), gave_up (every attempt failed)
	Attempts      int
	StatusCode    *int
	LatencyMS     *int
	Response      string
	Problem       string
	CreatedAt     time.Time
	LastAttemptAt *time.Time
	NextAttemptAt *time.Time
	FinishedAt    *time.Time
}

const deliveryColumns = `d.id, d.endpoint_id, m.msg_id, m.type, m.pack_id, coalesce(dl.account_name, '') AS account,
	d.redelivery_of, d.state, d.attempts, d.status_code, d.latency_ms, d.response, d.problem,
	d.created_at, d.last_attempt_at, d.next_attempt_at, d.finished_at`

const deliveryFrom = ` FROM webhook_deliveries d
	JOIN webhook_messages m ON m.id = d.message_id
	LEFT JOIN packs p ON p.id = m.pack_id
	LEFT JOIN deals dl ON dl.id = p.deal_id`

// WebhookDeliveries is a page of endpoint id's delivery log, newest first:
// up to limit deliveries older than delivery before (0: the newest).
func (db *DB) WebhookDeliveries(ctx context.Context, endpointID, before int64, limit int) ([]WebhookDelivery, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+deliveryColumns+deliveryFrom+`
		WHERE d.endpoint_id = $1 AND ($2 = 0 OR d.id < $2)
		ORDER BY d.id DESC LIMIT $3`, endpointID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook deliveries of %d: %w", endpointID, err)
	}
	ds, err := pgx.CollectRows(rows, pgx.RowToStructByName[WebhookDelivery])
	if err != nil {
		return nil, fmt.Errorf("postgres: webhook deliveries of %d: %w", endpointID, err)
	}
	return ds, nil
}

// WebhookDelivery returns delivery id.
func (db *DB) WebhookDelivery(ctx context.Context, id int64) (WebhookDelivery, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+deliveryColumns+deliveryFrom+` WHERE d.id = $1`, id)
	if err != nil {
		return WebhookDelivery{}, fmt.Errorf("postgres: webhook delivery %d: %w", id, err)
	}
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[WebhookDelivery])
	if errors.Is(err, pgx.ErrNoRows) {
		return d, handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	if err != nil {
		return d, fmt.Errorf("postgres: webhook delivery %d: %w", id, err)
	}
	return d, nil
}

// OutgoingWebhook is what an attempt needs: the delivery, its message and
// its endpoint as they are now.
type OutgoingWebhook struct {
	DeliveryID int64
	State      string
	EndpointID int64
	URL        string
	Kind       string
	Secret     string
	// PreviousSecret is the secret before the last roll while it is still
	// honoured (at now), else "".
	PreviousSecret string
	Enabled        bool
	MsgID          string
	Type           string
	Body           string
}

// OutgoingWebhookByID reads delivery id for an attempt at now, or a
// not-found error when it is gone with its endpoint.
func (db *DB) OutgoingWebhookByID(ctx context.Context, id int64, now time.Time) (OutgoingWebhook, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT d.id AS delivery_id, d.state, e.id AS endpoint_id, e.url, e.kind, e.secret,
			CASE WHEN e.previous_secret_until > $2 THEN e.previous_secret ELSE '' END AS previous_secret,
			e.enabled, m.msg_id, m.type, m.body
		FROM webhook_deliveries d
		JOIN webhook_endpoints e ON e.id = d.endpoint_id
		JOIN webhook_messages m ON m.id = d.message_id
		WHERE d.id = $1`, id, now)
	if err != nil {
		return OutgoingWebhook{}, fmt.Errorf("postgres: outgoing webhook %d: %w", id, err)
	}
	o, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OutgoingWebhook])
	if errors.Is(err, pgx.ErrNoRows) {
		return o, handoff.Errorf(handoff.ENOTFOUND, "not found")
	}
	if err != nil {
		return o, fmt.Errorf("postgres: outgoing webhook %d: %w", id, err)
	}
	return o, nil
}

// WebhookAttempt is how one attempt went, as the delivery job judged it.
type WebhookAttempt struct {
	At         time.Time
	Delivered  bool
	StatusCode int // 0: no answer
	Latency    time.Duration
	Response   string
	Problem    string
	// NextAt is when the next attempt runs; nil when none will (delivered,
	// given up, or the endpoint is being disabled).
	NextAt *time.Time
	// GaveUp marks the last attempt of the schedule, failed: the delivery
	// is gave_up rather than failed.
	GaveUp bool
	// StreakGap is how long after the streak's latest failure a failure
	// still continues it; one later starts a new streak.
	StreakGap time.Duration
}

// RecordWebhookAttempt writes attempt a on delivery id, on tx: the
// delivery's state and the answer, and the endpoint's failing streak (ended
// by a delivery; started by a failure after one, or more than a.StreakGap
// after the streak's latest failure). It returns the endpoint and, after a
// failure, when its streak began; endpointID is 0 when the delivery is gone
// with its endpoint.
func RecordWebhookAttempt(ctx context.Context, tx pgx.Tx, id int64, a WebhookAttempt) (endpointID int64, failingSince *time.Time, err error) {
	state := "retrying"
	switch {
	case a.Delivered:
		state = "delivered"
	case a.NextAt == nil && a.GaveUp:
		state = "gave_up"
	case a.NextAt == nil:
		state = "failed"
	}
	var status *int
	if a.StatusCode != 0 {
		status = &a.StatusCode
	}
	var finished *time.Time
	if state != "retrying" {
		finished = &a.At
	}
	ms := int(a.Latency.Milliseconds())
	err = tx.QueryRow(ctx, `
		UPDATE webhook_deliveries SET state = $2, attempts = attempts + 1, status_code = $3, latency_ms = $4,
			response = $5, problem = $6, last_attempt_at = $7, next_attempt_at = $8, finished_at = $9
		WHERE id = $1 RETURNING endpoint_id`,
		id, state, status, ms, a.Response, a.Problem, a.At, a.NextAt, finished).Scan(&endpointID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: record webhook attempt %d: %w", id, err)
	}
	if a.Delivered {
		if _, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET failing_since = NULL, last_failure_at = NULL
			WHERE id = $1 AND failing_since IS NOT NULL`, endpointID); err != nil {
			return endpointID, nil, fmt.Errorf("postgres: record webhook attempt %d: %w", id, err)
		}
		return endpointID, nil, nil
	}
	// Attempts of several deliveries may be recorded out of order: the
	// latest failure is the latest of them, and one recorded late (before
	// the latest) continues the streak.
	var since time.Time
	if err := tx.QueryRow(ctx, `
		UPDATE webhook_endpoints SET
			failing_since = CASE WHEN last_failure_at IS NULL OR last_failure_at < $3 THEN $2 ELSE least(failing_since, $2) END,
			last_failure_at = greatest(last_failure_at, $2)
		WHERE id = $1
		RETURNING failing_since`, endpointID, a.At, a.At.Add(-a.StreakGap)).Scan(&since); err != nil {
		return endpointID, nil, fmt.Errorf("postgres: record webhook failure on endpoint %d: %w", endpointID, err)
	}
	return endpointID, &since, nil
}

// DisableWebhookEndpointTx disables endpoint id on tx, saying why, and
// reports whether this call did (it was enabled), so the admins are told once.
func DisableWebhookEndpointTx(ctx context.Context, tx pgx.Tx, id int64, reason string, now time.Time) (bool, error) {
	disabled, err := disableWebhookEndpoint(ctx, tx, id, reason, now)
	if err != nil {
		return false, fmt.Errorf("postgres: disable webhook endpoint %d: %w", id, err)
	}
	return disabled, nil
}

// ClaimGaveUpMail reports, on tx, whether the admins should now be told
// that a delivery to endpoint id gave up: yes when they were not told in the
// last every, in which case now is recorded as the time they were.
func ClaimGaveUpMail(ctx context.Context, tx pgx.Tx, id int64, now time.Time, every time.Duration) (bool, error) {
	tag, err := tx.Exec(ctx, `
		UPDATE webhook_endpoints SET gave_up_mailed_at = $2
		WHERE id = $1 AND (gave_up_mailed_at IS NULL OR gave_up_mailed_at <= $3)`, id, now, now.Add(-every))
	if err != nil {
		return false, fmt.Errorf("postgres: gave-up mail for webhook endpoint %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// RollWebhookSecret gives standard endpoint id the new signing secret and
// keeps its current one as the previous secret, honoured until until. A
// Slack endpoint, which has no secret, is a conflict. Rolling again before
// until drops the older of the two.
func (db *DB) RollWebhookSecret(ctx context.Context, id int64, secret string, until time.Time) (WebhookEndpoint, error) {
	var kind string
	err := db.Pool.QueryRow(ctx, `
		UPDATE webhook_endpoints SET previous_secret = secret, secret = $2, previous_secret_until = $3
		WHERE id = $1 AND kind = 'standard'
		RETURNING kind`, id, secret, until).Scan(&kind)
	if errors.Is(err, pgx.ErrNoRows) {
		var e WebhookEndpoint
		if e, err = db.WebhookEndpoint(ctx, id); err == nil {
			// Only standard endpoints are signed: this one is Slack.
			err = handoff.Errorf(handoff.ECONFLICT, "Slack endpoints are not signed, so they have no secret to roll.")
		}
		return e, err
	}
	if err != nil {
		return WebhookEndpoint{}, fmt.Errorf("postgres: roll the secret of webhook endpoint %d: %w", id, err)
	}
	return db.WebhookEndpoint(ctx, id)
}

// DeleteOldWebhookDeliveries deletes the deliveries that finished before
// before, then the messages no delivery is left of (those of removed
// endpoints too), a batch of rows at a time so no statement holds its locks
// for long. It returns how many of each it deleted.
func (db *DB) DeleteOldWebhookDeliveries(ctx context.Context, before time.Time, batch int) (deliveries, messages int64, err error) {
	for {
		tag, err := db.Pool.Exec(ctx, `
			DELETE FROM webhook_deliveries WHERE id IN (
				SELECT id FROM webhook_deliveries WHERE finished_at < $1 LIMIT $2)`, before, batch)
		if err != nil {
			return deliveries, messages, fmt.Errorf("postgres: delete webhook deliveries finished before %s: %w", before.Format(time.RFC3339), err)
		}
		deliveries += tag.RowsAffected()
		if tag.RowsAffected() < int64(batch) {
			break
		}
	}
	// A message and its deliveries are written in one transaction, so a
	// message without deliveries is one whose deliveries are all gone.
	for {
		tag, err := db.Pool.Exec(ctx, `
			DELETE FROM webhook_messages WHERE id IN (
				SELECT m.id FROM webhook_messages m
				WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = m.id) LIMIT $1)`, batch)
		if err != nil {
			return deliveries, messages, fmt.Errorf("postgres: delete webhook messages without deliveries: %w", err)
		}
		messages += tag.RowsAffected()
		if tag.RowsAffected() < int64(batch) {
			break
		}
	}
	return deliveries, messages, nil
}

// SkipWebhookDelivery marks delivery id failed at now without an attempt,
// saying why (its endpoint is disabled).
func (db *DB) SkipWebhookDelivery(ctx context.Context, id int64, problem string, now time.Time) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE webhook_deliveries SET state = 'failed', problem = $2, next_attempt_at = NULL,
			finished_at = $3
		WHERE id = $1 AND state IN ('pending', 'retrying')`, id, problem, now); err != nil {
		return fmt.Errorf("postgres: skip webhook delivery %d: %w", id, err)
	}
	return nil
}

// EndWebhookDelivery marks delivery id failed at now with no further
// attempt, on q, keeping what its last attempt said.
func EndWebhookDelivery(ctx context.Context, q Querier, id int64, now time.Time) error {
	if _, err := q.Exec(ctx, `UPDATE webhook_deliveries SET state = 'failed', next_attempt_at = NULL, finished_at = $2
		WHERE id = $1 AND state IN ('pending', 'retrying')`, id, now); err != nil {
		return fmt.Errorf("postgres: end webhook delivery %d: %w", id, err)
	}
	return nil
}

// EventForWebhook is what a webhook says of a pack event, read in the
// event's own transaction: the pack right after it, the history line, and
// the calendar settings its clocks are evaluated with.
type EventForWebhook struct {
	Pack     *handoff.Pack
	Summary  string
	Actor    string
	Settings handoff.Settings
	DaysOff  []handoff.DayOff
}

// webhookReader sees every pack, as the organisation: an endpoint is the
// org's, like an API token.
func webhookReader() *handoff.User {
	return &handoff.User{Name: "Webhooks", Role: handoff.RoleManager, Active: true}
}

// ReadEventForWebhook reads e for its webhook on tx.
func ReadEventForWebhook(ctx context.Context, tx pgx.Tx, e StoredEvent) (EventForWebhook, error) {
	var out EventForWebhook
	p, err := packVisibleTo(ctx, tx, webhookReader(), e.PackID, false)
	if err != nil {
		return out, fmt.Errorf("postgres: pack %d for webhook: %w", e.PackID, err)
	}
	out.Pack = p
	err = tx.QueryRow(ctx, `SELECT e.summary, coalesce(u.name, '') FROM pack_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.id = $1`, e.ID).Scan(&out.Summary, &out.Actor)
	if err != nil {
		return out, fmt.Errorf("postgres: event %d for webhook: %w", e.ID, err)
	}
	if out.Settings, out.DaysOff, err = SettingsTx(ctx, tx); err != nil {
		return out, fmt.Errorf("postgres: settings for webhook: %w", err)
	}
	return out, nil
}

// PacksForWebhook reads packs ids as webhooks show them, in one query,
// keyed by id. A pack that is gone is not in the map.
func PacksForWebhook(ctx context.Context, q Querier, ids []int64) (map[int64]*handoff.Pack, error) {
	reader := webhookReader()
	all, me := visibleArgs(reader)
	rows, err := q.Query(ctx, `SELECT `+packColumns+packFrom+` WHERE p.id = ANY($1)`+packVisible, ids, all, me)
	if err != nil {
		return nil, fmt.Errorf("postgres: %d packs for webhooks: %w", len(ids), err)
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[packRow])
	if err != nil {
		return nil, fmt.Errorf("postgres: %d packs for webhooks: %w", len(ids), err)
	}
	out := make(map[int64]*handoff.Pack, len(rs))
	for _, r := range rs {
		if p := r.pack(); handoff.CanSeePack(reader, p) {
			out[p.ID] = p
		}
	}
	return out, nil
}

// ActiveAdminEmails are the addresses of every active admin, who hear when
// an endpoint is disabled.
func ActiveAdminEmails(ctx context.Context, q Querier) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT email FROM users WHERE role = $1 AND active ORDER BY id`,
		string(handoff.RoleAdmin))
	if err != nil {
		return nil, fmt.Errorf("postgres: admin emails: %w", err)
	}
	es, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: admin emails: %w", err)
	}
	return es, nil
}
