package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/handoff-app/handoff/internal/api"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/webhook"
)

// TestOpenAPIDescribesEveryWebhook fails when an event type Handoff sends is
// missing from openapi.json's webhooks, or the payload's pack has fields the
// document does not name.
func TestOpenAPIDescribesEveryWebhook(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 0)
	var doc struct {
		Webhooks   map[string]any `json:"webhooks"`
		Components struct {
			Schemas map[string]struct {
				Required   []string       `json:"required"`
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	e.do(t, http.MethodGet, "/openapi.json", "", "").decode(t, &doc)

	var types []string
	for _, ty := range append(webhook.AllTypes(), webhook.Test) {
		types = append(types, string(ty))
	}
	slices.Sort(types)
	if got := slices.Sorted(maps.Keys(doc.Webhooks)); !slices.Equal(got, types) {
		t.Errorf("webhooks describes %v; Handoff sends %v", got, types)
	}
	var enum []string
	ev := doc.Components.Schemas["WebhookEvent"].Properties["type"].(map[string]any)["enum"].([]any)
	for _, v := range ev {
		enum = append(enum, v.(string))
	}
	if slices.Sort(enum); !slices.Equal(enum, types) {
		t.Errorf("WebhookEvent.type lists %v, want %v", enum, types)
	}

	// The kinds data.event.kind may carry: every pack event kind that maps.
	var kinds []string
	for _, k := range []string{handoff.EventCreated, handoff.EventSectionSaved, handoff.EventSubmitted, handoff.EventDeadlineChanged,
		handoff.EventReviewed, handoff.EventReturned, handoff.EventAnswered, handoff.EventCommitmentApproved,
		handoff.EventCommitmentVetoed, handoff.EventAcknowledged, handoff.EventArchitectureSaved, handoff.EventLocked,
		handoff.EventReassigned, handoff.EventAssessed, handoff.EventDealCorrected, handoff.EventReplied} {
		if _, ok := webhook.TypeOf(k); ok {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	data := doc.Components.Schemas["WebhookEvent"].Properties["data"].(map[string]any)["properties"].(map[string]any)
	var docKinds []string
	for _, v := range data["event"].(map[string]any)["properties"].(map[string]any)["kind"].(map[string]any)["enum"].([]any) {
		docKinds = append(docKinds, v.(string))
	}
	if slices.Sort(docKinds); !slices.Equal(docKinds, kinds) {
		t.Errorf("data.event.kind lists %v; the kinds webhooks carry are %v", docKinds, kinds)
	}

	// What NewEventPack marshals is what EventPack and Deal name.
	b, _ := json.Marshal(api.EventPack{})
	var pack map[string]any
	_ = json.Unmarshal(b, &pack)
	if got, want := slices.Sorted(maps.Keys(pack)), slices.Sorted(slices.Values(doc.Components.Schemas["EventPack"].Required)); !slices.Equal(got, want) {
		t.Errorf("an event pack has %v; EventPack requires %v", got, want)
	}
	deal := pack["deal"].(map[string]any)
	delete(deal, "id")
	if got, want := slices.Sorted(maps.Keys(deal)), slices.Sorted(maps.Keys(doc.Components.Schemas["Deal"].Properties)); !slices.Equal(got, want) {
		t.Errorf("an event pack's deal has %v; Deal names %v", got, want)
	}
}
