package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/handoff-app/handoff/internal/api"
	"github.com/handoff-app/handoff/internal/webhook"
	"github.com/handoff-app/handoff/internal/webhook/webhooktest"
)

// returned is a pack.returned payload whose history line carries reason,
// as a return with a long reason makes one.
func returned(t *testing.T, account, reason string) []byte {
	t.Helper()
	p := webhook.Payload{Type: webhook.PackReturned, Timestamp: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), Data: webhook.Data{
		Pack: &api.EventPack{ID: 7, URL: "https://handoff.example.com/packs/7", Status: "changes_requested", Version: 9,
			Deal: api.EventDeal{ID: 3, Deal: api.Deal{AccountName: account, OpportunityName: "Platform", Segment: "enterprise",
				ARR: api.Money{Amount: 12000000, Currency: "USD"}, SE: api.Person{ID: 1, Name: "Sam Engineer"}}},
			Clocks: []api.Clock{{Kind: "pack"}, {Kind: "kickoff"}, {Kind: "lock"}}},
		Event: &webhook.Event{ID: 40, Kind: "returned", Summary: "Returned Risks: " + reason, Actor: "Alex Architect"},
	}}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// units is a text's length as Slack counts it at its strictest.
func units(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSlackCutsLongTextsToSlacksLimits(t *testing.T) {
	t.Parallel()
	slack := webhooktest.NewSlack(t)
	s := webhook.NewSender(webhook.Guard{AllowPrivate: true}.Client(0))
	for name, reason := range map[string]string{
		// 5,000 characters, a fifth of them escaping to five: 9,000 as sent.
		"ReasonOf5000Characters": strings.Repeat("a<b&c", 1000),
		"Emoji":                  strings.Repeat("🚀", 2500),
	} {
		t.Run(name, func(t *testing.T) {
			res := s.Send(context.Background(), webhook.Request{URL: slack.URL(), Kind: webhook.KindSlack,
				Body: returned(t, "Acme & Sons", reason), At: time.Now()})
			if !res.Delivered() {
				t.Fatalf("Slack refused it: %d %q (%s)", res.Status, res.Response, res.Problem())
			}
			var m struct {
				Text   string `json:"text"`
				Blocks []struct {
					Type string `json:"type"`
					Text *struct {
						Text string `json:"text"`
					} `json:"text"`
					Elements []struct {
						Text string `json:"text"`
					} `json:"elements"`
				} `json:"blocks"`
			}
			body, err := webhook.SlackMessage(returned(t, "Acme & Sons", reason))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			section := m.Blocks[0].Text.Text
			if n := units(section); n > 3000 || n < 2900 {
				t.Errorf("section of %d characters; want the most of 3,000", n)
			}
			if !strings.HasPrefix(section, "*Pack returned* · <https://handoff.example.com/packs/7|Acme &amp; Sons — Platform>\n") ||
				!strings.HasSuffix(section, "…") {
				t.Errorf("section should keep the link and end with …: %.120q … %q", section, section[len(section)-20:])
			}
			// Cut between characters, never inside an escape.
			if tail := section[max(0, len(section)-8):]; strings.Contains(tail, "&") && !strings.Contains(tail, ";") {
				t.Errorf("an escape cut in two: %q", tail)
			}
			if n := units(m.Text); n > 3000 || !strings.HasSuffix(m.Text, "… https://handoff.example.com/packs/7") {
				t.Errorf("fallback text of %d characters ending %q; want at most 3,000, cut before the pack's address", n, m.Text[max(0, len(m.Text)-60):])
			}
			for _, e := range m.Blocks[1].Elements {
				if units(e.Text) > 2000 {
					t.Errorf("context element of %d characters", units(e.Text))
				}
			}
		})
	}

	t.Run("ShortTextsAreNotCut", func(t *testing.T) {
		body, err := webhook.SlackMessage(returned(t, "Acme", "the diagram is missing."))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(body, []byte("…")) {
			t.Errorf("a short message was cut: %s", body)
		}
	})
}

// The fake Slack refuses what Slack refuses, so the test above means
// something.
func TestFakeSlackRefusesOverLongSections(t *testing.T) {
	t.Parallel()
	slack := webhooktest.NewSlack(t)
	for name, text := range map[string]string{
		"Section":      strings.Repeat("x", 3001),
		"SectionEmoji": strings.Repeat("🚀", 1501), // 3,002 UTF-16 units
	} {
		t.Run(name, func(t *testing.T) {
			msg, _ := json.Marshal(map[string]any{"text": "t", "blocks": []any{
				map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}}}})
			res, err := http.Post(slack.URL(), "application/json", bytes.NewReader(msg))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("a section of %d characters: %d, want 400 invalid_blocks", units(text), res.StatusCode)
			}
		})
	}
}
