package webhook

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/api"
)

// Payload is the body of every delivery to a standard endpoint, the shape
// the Standard Webhooks scheme recommends: what happened, when, and the
// data. The OpenAPI document's "webhooks" section describes it.
type Payload struct {
	Type      Type      `json:"type"`
	Timestamp time.Time `json:"timestamp"` // when the event happened (not when this attempt was sent)
	Data      Data      `json:"data"`
}

// Data is what an event is about.
type Data struct {
	// Pack is the pack as it stood right after the event, in the API's
	// shape; absent only in webhook.test.
	Pack *api.EventPack `json:"pack,omitempty"`
	// Event is the line of the pack's history this event records; absent
	// in clock.overdue and webhook.test.
	Event *Event `json:"event,omitempty"`
	// Clock is the overdue clock, one of Pack.Clocks, in clock.overdue.
	Clock *api.Clock `json:"clock,omitempty"`
	// Message says what a webhook.test is.
	Message string `json:"message,omitempty"`
}

// Event is one line of a pack's history as webhooks carry it.
type Event struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`    // the history's own kind, e.g. commitment_approved or commitment_vetoed
	Summary string `json:"summary"` // the line as the pack page shows it
	Actor   string `json:"actor"`   // who did it; "" for the system or an API token
}

// Marshal is p as sent: compact JSON, the exact bytes signed and stored.
func (p Payload) Marshal() ([]byte, error) {
	p.Timestamp = p.Timestamp.UTC()
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode %s payload: %w", p.Type, err)
	}
	return b, nil
}

// TestPayload is the body of "Send test event".
func TestPayload(now time.Time) Payload {
	return Payload{Type: Test, Timestamp: now, Data: Data{
		Message: "A test event from Handoff. Real events carry a pack in data.pack; answer any 2xx to acknowledge.",
	}}
}

// NewMessageID is a new webhook-id: unique per message, the same on every
// attempt and redelivery of it, so a receiver can drop repeats. Random, so
// two Handoff deployments posting to one receiver never collide.
func NewMessageID() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook: message id: %w", err)
	}
	return "msg_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}
