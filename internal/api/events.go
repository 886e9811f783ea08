package api

import (
	"net/url"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// EventPack is a pack as webhooks carry it (openapi.json, "webhooks"): the
// API's deal fields and clocks, nested under the pack, so a CRM that reads
// GET /packs reads a webhook with the same code.
type EventPack struct {
	ID     int64  `json:"id"`
	URL    string `json:"url"`
	Status string `json:"status"`
	// Version and SubmittedVersion mean what they mean in GET /packs/{id}:
	// the pack's change counter, and N of its latest submitted vN.
	Version          int       `json:"version"`
	SubmittedVersion int       `json:"submitted_version"`
	Deal             EventDeal `json:"deal"`
	Clocks           []Clock   `json:"clocks"`
}

// EventDeal is the deal of an EventPack: its id and the API's deal fields.
type EventDeal struct {
	ID int64 `json:"id"`
	Deal
}

// NewEventPack is p as webhooks carry it, its clocks evaluated at now (the
// moment of the event), its link under base.
func NewEventPack(cal *deadline.Calendar, st handoff.Settings, p *handoff.Pack, now time.Time, base *url.URL) EventPack {
	return EventPack{
		ID: p.ID, URL: packURL(base, p.ID), Status: string(p.Status), Version: p.Version, SubmittedVersion: p.SubmittedVersion,
		Deal: EventDeal{ID: p.Deal.ID, Deal: dealOf(p)}, Clocks: ClocksOf(cal, st, p, now),
	}
}
