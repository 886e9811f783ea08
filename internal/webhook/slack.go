package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/handoff-app/handoff/internal/api"
	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/web"
)

// A Slack message in Block Kit (api.slack.com/block-kit): a section with
// the news and a link to the pack, a context line with the deal's facts,
// and text, the plain fallback notifications and old clients show.
type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

type slackBlock struct {
	Type     string      `json:"type"` // section or context
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackText struct {
	Type string `json:"type"` // mrkdwn
	Text string `json:"text"`
}

// SlackMessage renders a payload (the bytes Payload.Marshal made) as the
// Slack message a slack endpoint receives: the same event, for people.
func SlackMessage(body []byte) ([]byte, error) {
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("webhook: read payload for Slack: %w", err)
	}
	// Unescaped: Slack reads < > & in mrkdwn itself, and esc has made
	// them safe already; \u003c would only make the message harder to read.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(slackFor(p)); err != nil {
		return nil, fmt.Errorf("webhook: encode Slack message for %s: %w", p.Type, err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func slackFor(p Payload) slackMessage {
	pk := p.Data.Pack
	if pk == nil {
		text := "Test event from Handoff: this channel will get the pack events chosen for this endpoint."
		if p.Type != Test {
			text = p.Type.Label() + " (from Handoff)"
		}
		return slackMessage{Text: text, Blocks: []slackBlock{section("*" + esc(text) + "*")}}
	}
	title := pk.Deal.AccountName + " — " + pk.Deal.OpportunityName
	news := newsLine(p)
	facts := []string{"Status: " + handoff.Status(pk.Status).Label(),
		handoff.Segment(pk.Deal.Segment).Label() + ", " + web.Money(handoff.Money{Minor: pk.Deal.ARR.Amount, Currency: pk.Deal.ARR.Currency}) + " ARR",
		"SE " + pk.Deal.SE.Name}
	if pk.Deal.SA != nil {
		facts = append(facts, "SA "+pk.Deal.SA.Name)
	} else {
		facts = append(facts, "no SA assigned yet")
	}
	if e := p.Data.Event; e != nil && e.Actor != "" {
		facts = append([]string{"By " + e.Actor}, facts...)
	}
	// Every text is cut to Slack's limits after escaping (escaping makes it
	// longer): a return reason of 5,000 characters would otherwise make
	// Slack refuse the whole message, on every attempt. What is cut is the
	// news, never the link to the pack, where the rest can be read.
	link := escFit(title, slackTitleMax)
	if pk.URL != "" {
		link = "<" + pk.URL + "|" + link + ">"
	}
	head := "*" + esc(p.Type.Label()) + "* · " + link + "\n"
	text := escFit(fmt.Sprintf("%s: %s. %s", p.Type.Label(), title, news), slackTextMax-slackLen(" "+esc(pk.URL)))
	if pk.URL != "" {
		text += " " + esc(pk.URL)
	}
	return slackMessage{
		Text: text,
		Blocks: []slackBlock{
			section(head + escFit(news, slackSectionMax-slackLen(head))),
			{Type: "context", Elements: []slackText{{Type: "mrkdwn", Text: escFit(strings.Join(facts, " · "), slackContextMax)}}},
		},
	}
}

// Slack's limits on a message's texts, in characters (Block Kit reference):
// a section's text at most 3,000 (more is refused with invalid_blocks), a
// text object in a context at most 3,000, of which Handoff uses 2,000 to
// stay clear of the 2,000 some other text fields have. The fallback text may
// be longer (Slack cuts it at 40,000), but a notification shows only its
// start, so it gets the section's limit. slackTitleMax keeps room in the
// section for the news when an account and opportunity name are long and
// full of characters that escape to five.
const (
	slackSectionMax = 3000
	slackContextMax = 2000
	slackTextMax    = 3000
	slackTitleMax   = 1000
)

// slackLen is the length of s as Slack counts characters, taken at its
// strictest: in UTF-16 code units, so an emoji counts two.
func slackLen(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1) // -1 for what is no character: it is sent as U+FFFD
	}
	return n
}

// escFit is esc(s), cut so it is at most limit characters (slackLen) long,
// ending with "…" when cut. It cuts between characters of s, never inside
// an escape such as &amp;.
func escFit(s string, limit int) string {
	e := esc(s)
	if slackLen(e) <= limit {
		return e
	}
	if limit < 1 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		piece := esc(string(r))
		w := slackLen(piece)
		if n+w > limit-1 { // room for the "…"
			break
		}
		b.WriteString(piece)
		n += w
	}
	return strings.TrimRightFunc(b.String(), unicode.IsSpace) + "…"
}

// newsLine is what happened, in a sentence.
func newsLine(p Payload) string {
	pk := p.Data.Pack
	switch {
	case p.Type == ClockOverdue && p.Data.Clock != nil:
		c := p.Data.Clock
		due := ""
		if c.Due != nil {
			due = " was due " + *c.Due + " and"
		}
		return fmt.Sprintf("%s%s is %s%s.", deadline.Kind(c.Kind).Step(), due, c.Relative, waitingOn(c, pk))
	case p.Type == DealCreated:
		for _, c := range pk.Clocks {
			if c.Kind == "pack" && c.Due != nil {
				return "New Closed-Won deal; the handoff pack is due " + *c.Due + "."
			}
		}
		return "New Closed-Won deal; its handoff pack is open."
	case p.Data.Event != nil:
		return p.Data.Event.Summary
	}
	return p.Type.Label() + "."
}

// waitingOn names who owes an overdue clock's step: " (waiting on Ada, SA)".
func waitingOn(c *api.Clock, pk *api.EventPack) string {
	switch {
	case c.OwedBy == nil:
		return ""
	case *c.OwedBy == "se":
		return " (waiting on " + pk.Deal.SE.Name + ", SE)"
	case pk.Deal.SA != nil:
		return " (waiting on " + pk.Deal.SA.Name + ", SA)"
	}
	return " (waiting on an SA, not assigned yet)"
}

func section(mrkdwn string) slackBlock {
	return slackBlock{Type: "section", Text: &slackText{Type: "mrkdwn", Text: mrkdwn}}
}

// esc escapes text for Slack's mrkdwn: &, < and > are control characters
// there (links, mentions), so a deal named "<!channel>" pings nobody.
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
