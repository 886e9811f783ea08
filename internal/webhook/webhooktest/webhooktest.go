// Package webhooktest runs the protocol peers webhook tests deliver to, in
// process: a receiver that checks each delivery the way an integrator's
// would — the signature with the Standard Webhooks library's own Verify,
// independently of Handoff's signing code, and the body's shape — and a fake
// Slack that accepts only well-formed Block Kit messages, as Slack does.
package webhooktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Delivery is one request a peer received.
type Delivery struct {
	Header http.Header
	Body   []byte
	// Problem is what the peer found wrong ("" when the delivery was
	// well signed and well formed); the peer answered 4xx for it.
	Problem string
	// Type is the payload's "type" (standard) or "" (Slack).
	Type string
	// Payload is the body decoded (standard) or the Slack message (Slack).
	Payload map[string]any
}

// Receiver is a standard endpoint.
type Receiver struct {
	*httptest.Server
	t       testing.TB
	mu      sync.Mutex
	secret  string
	status  int
	delay   time.Duration
	answer  string
	got     []Delivery
	arrived chan struct{}
}

// NewReceiver starts a receiver on a loopback port, answering 204 until
// told otherwise. Give it the endpoint's secret with SetSecret.
func NewReceiver(t testing.TB) *Receiver {
	t.Helper()
	r := &Receiver{t: t, status: http.StatusNoContent, arrived: make(chan struct{}, 1000)}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Server.Close)
	return r
}

// SetSecret is the whsec_… secret deliveries must be signed with.
func (r *Receiver) SetSecret(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret = s
}

// Answer makes the receiver answer status with body to well-formed
// deliveries from now on.
func (r *Receiver) Answer(status int, body string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.answer = status, body
}

// Delay makes the receiver wait d before answering.
func (r *Receiver) Delay(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.delay = d
}

// Deliveries returns what arrived so far.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got...)
}

// Wait returns the first n deliveries once they have arrived, failing the
// test after timeout.
func (r *Receiver) Wait(n int, timeout time.Duration) []Delivery {
	r.t.Helper()
	return wait(r.t, &r.mu, &r.got, r.arrived, n, timeout)
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	secret, status, delay, answer := r.secret, r.status, r.delay, r.answer
	r.mu.Unlock()
	d := Delivery{Header: req.Header.Clone(), Body: body}
	d.Problem = checkStandard(req, body, secret, &d)
	r.mu.Lock()
	r.got = append(r.got, d)
	r.mu.Unlock()
	r.arrived <- struct{}{}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-req.Context().Done():
			return
		}
	}
	if d.Problem != "" {
		http.Error(w, d.Problem, http.StatusUnauthorized)
		return
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

// checkStandard is what a careful integrator checks: a POST of JSON,
// signed (the scheme's own library, which also refuses a timestamp more
// than five minutes off), shaped as documented.
func checkStandard(req *http.Request, body []byte, secret string, d *Delivery) string {
	if req.Method != http.MethodPost || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") {
		return "want a POST of application/json, got " + req.Method + " " + req.Header.Get("Content-Type")
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return "receiver has no usable secret: " + err.Error()
	}
	if err := wh.Verify(body, req.Header); err != nil {
		return "signature: " + err.Error()
	}
	var p struct {
		Type      string          `json:"type"`
		Timestamp time.Time       `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return "body: " + err.Error()
	}
	_ = json.Unmarshal(body, &d.Payload)
	d.Type = p.Type
	if p.Type == "" || p.Timestamp.IsZero() || len(p.Data) == 0 {
		return "body lacks type, timestamp or data"
	}
	if p.Type == "webhook.test" {
		return ""
	}
	var data struct {
		Pack *struct {
			ID      int64  `json:"id"`
			URL     string `json:"url"`
			Status  string `json:"status"`
			Version *int   `json:"version"`
			Deal    *struct {
				ID          int64  `json:"id"`
				AccountName string `json:"account_name"`
				Segment     string `json:"segment"`
				SE          *struct {
					Name string `json:"name"`
				} `json:"se"`
			} `json:"deal"`
			Clocks []struct {
				Kind  string `json:"kind"`
				State string `json:"state"`
			} `json:"clocks"`
		} `json:"pack"`
	}
	if err := json.Unmarshal(p.Data, &data); err != nil {
		return "data: " + err.Error()
	}
	pk := data.Pack
	switch {
	case pk == nil:
		return "data.pack is missing"
	case pk.ID == 0 || !strings.HasPrefix(pk.URL, "http") || pk.Status == "" || pk.Version == nil:
		return "data.pack lacks id, url, status or version"
	case pk.Deal == nil || pk.Deal.ID == 0 || pk.Deal.AccountName == "" || pk.Deal.Segment == "" || pk.Deal.SE == nil:
		return "data.pack.deal lacks the API's deal fields"
	}
	// The clocks of the contract (openapi.json, Clock.kind), in its order,
	// as a receiver written against the documentation expects them.
	want := []string{"pack", "kickoff", "lock", "first_value", "pod_review"}
	if len(pk.Clocks) != len(want) {
		return fmt.Sprintf("data.pack.clocks has %d clocks, want %d", len(pk.Clocks), len(want))
	}
	for i, c := range pk.Clocks {
		if c.Kind != want[i] {
			return fmt.Sprintf("data.pack.clocks[%d] is %q, want %q", i, c.Kind, want[i])
		}
	}
	return ""
}

// Slack is a fake Slack incoming webhook. Like Slack, it answers 200 "ok"
// to a well-formed message and 400 with an error word to anything else.
type Slack struct {
	*httptest.Server
	t       testing.TB
	mu      sync.Mutex
	got     []Delivery
	arrived chan struct{}
}

// NewSlack starts a fake Slack on a loopback port.
func NewSlack(t testing.TB) *Slack {
	t.Helper()
	s := &Slack{t: t, arrived: make(chan struct{}, 1000)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Server.Close)
	return s
}

// URL is an incoming-webhook address on the fake, shaped like Slack's.
func (s *Slack) URL() string { return s.Server.URL + "/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX" }

// Messages returns what arrived so far.
func (s *Slack) Messages() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.got...)
}

// Wait returns the first n messages once they have arrived.
func (s *Slack) Wait(n int, timeout time.Duration) []Delivery {
	s.t.Helper()
	return wait(s.t, &s.mu, &s.got, s.arrived, n, timeout)
}

func (s *Slack) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	d := Delivery{Header: req.Header.Clone(), Body: body}
	word, problem := checkSlack(req, body, &d)
	d.Problem = problem
	s.mu.Lock()
	s.got = append(s.got, d)
	s.mu.Unlock()
	s.arrived <- struct{}{}
	if problem != "" {
		http.Error(w, word, http.StatusBadRequest)
		return
	}
	_, _ = io.WriteString(w, "ok")
}

// checkSlack checks the Block Kit shape Handoff promises: a "text"
// fallback, and "blocks", each a section with mrkdwn text or a context with
// mrkdwn elements, one of them linking to a pack as <url|title>. Like Slack,
// it refuses a section or context text over 3,000 characters.
func checkSlack(req *http.Request, body []byte, d *Delivery) (word, problem string) {
	if req.Method != http.MethodPost || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") {
		return "invalid_payload", "want a POST of application/json"
	}
	var m struct {
		Text   *string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text *struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"text"`
			Elements []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"elements"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return "invalid_payload", "not JSON: " + err.Error()
	}
	_ = json.Unmarshal(body, &d.Payload)
	if m.Text == nil || strings.TrimSpace(*m.Text) == "" {
		return "no_text", "no text fallback"
	}
	if len(m.Blocks) == 0 {
		return "invalid_blocks", "no blocks"
	}
	// Only a message about a pack must link to it (a test event has none).
	linked := !strings.Contains(string(body), "/packs/")
	for i, b := range m.Blocks {
		switch b.Type {
		case "section":
			if b.Text == nil || b.Text.Type != "mrkdwn" || b.Text.Text == "" || slackLen(b.Text.Text) > 3000 {
				return "invalid_blocks", fmt.Sprintf("block %d: a section needs mrkdwn text of 1–3000 characters", i)
			}
			if strings.Contains(b.Text.Text, "/packs/") && strings.Contains(b.Text.Text, "|") && strings.Contains(b.Text.Text, "<http") {
				linked = true
			}
		case "context":
			if len(b.Elements) == 0 || len(b.Elements) > 10 {
				return "invalid_blocks", fmt.Sprintf("block %d: a context needs 1–10 elements", i)
			}
			for _, e := range b.Elements {
				if e.Type != "mrkdwn" || e.Text == "" || slackLen(e.Text) > 3000 {
					return "invalid_blocks", fmt.Sprintf("block %d: context elements must be mrkdwn text of 1–3000 characters", i)
				}
			}
		default:
			return "invalid_blocks", fmt.Sprintf("block %d: unexpected type %q", i, b.Type)
		}
	}
	if !linked {
		return "invalid_blocks", "no section links to the pack as <url|title>"
	}
	return "", ""
}

// slackLen counts characters as Slack's limits do, taken at their
// strictest: UTF-16 code units, so an emoji counts two. The limits apply to
// the text as sent, escapes (&amp;) and all.
func slackLen(s string) int {
	return len(utf16.Encode([]rune(s)))
}

func wait(t testing.TB, mu *sync.Mutex, got *[]Delivery, arrived chan struct{}, n int, timeout time.Duration) []Delivery {
	t.Helper()
	deadline := time.After(timeout)
	for {
		mu.Lock()
		if len(*got) >= n {
			out := append([]Delivery(nil), (*got)[:n]...)
			mu.Unlock()
			return out
		}
		have := len(*got)
		mu.Unlock()
		select {
		case <-arrived:
		case <-deadline:
			t.Fatalf("webhooktest: %d of %d deliveries arrived within %s", have, n, timeout)
			return nil
		}
	}
}
