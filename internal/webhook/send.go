package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what an endpoint speaks.
type Kind string

// Endpoint kinds.
const (
	// KindStandard gets the JSON payload, signed (Standard Webhooks).
	KindStandard Kind = "standard"
	// KindSlack is a Slack incoming-webhook URL (or a Slack-compatible one:
	// Mattermost, Rocket.Chat): the same events as readable messages.
	KindSlack Kind = "slack"
)

// ParseKind reads an endpoint kind; "" is standard.
func ParseKind(s string) (Kind, bool) {
	switch Kind(strings.ToLower(strings.TrimSpace(s))) {
	case "", KindStandard:
		return KindStandard, true
	case KindSlack:
		return KindSlack, true
	}
	return "", false
}

// Label is k in words.
func (k Kind) Label() string {
	if k == KindSlack {
		return "Slack"
	}
	return "Standard (signed JSON)"
}

// ResponseBytes is how much of an answer the delivery log keeps.
const ResponseBytes = 200

// userAgent names the sender, so a receiver's logs say who called.
const userAgent = "Handoff-Webhooks/1"

// Request is one attempt to deliver one message to one endpoint.
type Request struct {
	URL    string
	Kind   Kind
	Secret string // standard endpoints: whsec_…
	// PreviousSecret is the secret before a roll, while it is honoured:
	// the request carries a signature with each.
	PreviousSecret string
	MsgID          string // webhook-id
	Body           []byte // the payload (Payload.Marshal); a Slack endpoint gets it rendered
	At             time.Time
}

// Result is how an attempt went: an answer (Status is not 0) or none (Err
// says why).
type Result struct {
	Status   int
	Latency  time.Duration
	Response string // the first ResponseBytes of the answer's body, cut on a character boundary
	Location string // where a 3xx pointed, which is not followed
	Err      error
	limit    time.Duration
}

// Delivered reports whether the receiver took the event: any 2xx.
func (r Result) Delivered() bool { return r.Status >= 200 && r.Status < 300 }

// Gone reports whether the receiver asked never to be called again: 410.
func (r Result) Gone() bool { return r.Status == http.StatusGone }

// Refused reports whether the guard stopped the attempt before it connected.
func (r Result) Refused() bool {
	var re *RefusedError
	return errors.As(r.Err, &re)
}

// Problem is why an attempt did not deliver, in words for the delivery log;
// "" when it did.
func (r Result) Problem() string {
	var re *RefusedError
	var ne net.Error
	switch {
	case r.Delivered():
		return ""
	case errors.As(r.Err, &re):
		return fmt.Sprintf("Not sent: the host resolves to %s, %s. Handoff sends only to public addresses unless HANDOFF_WEBHOOK_ALLOW_PRIVATE=1 is set.", re.Addr.Unmap(), re.Reason)
	case r.Err != nil && errors.As(r.Err, &ne) && ne.Timeout():
		return fmt.Sprintf("No answer within %s; the receiver should answer first and do its work after.", r.limit)
	case r.Err != nil:
		return "Could not reach the receiver: " + plainError(r.Err)
	case r.Status >= 300 && r.Status < 400:
		where := ""
		if r.Location != "" {
			where = " to " + r.Location
		}
		return fmt.Sprintf("The receiver redirected%s; redirects are not followed. Register the final address.", where)
	case r.Gone():
		return "The receiver answered 410 Gone: it wants no more events, so the endpoint was disabled."
	}
	return fmt.Sprintf("The receiver answered %d %s.", r.Status, http.StatusText(r.Status))
}

// plainError is err without Go's "Post \"url\":" wrapping.
func plainError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// Sender delivers requests over a guarded client.
type Sender struct {
	client *http.Client
}

// NewSender returns a Sender over client (Guard.Client).
func NewSender(client *http.Client) *Sender { return &Sender{client: client} }

// Send makes one attempt. It never returns an error of its own: what went
// wrong is in the Result, for the log.
func (s *Sender) Send(ctx context.Context, r Request) Result {
	body, ctype := r.Body, "application/json"
	if r.Kind == KindSlack {
		var err error
		if body, err = SlackMessage(r.Body); err != nil {
			return Result{Err: err}
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(body))
	if err != nil {
		return Result{Err: fmt.Errorf("webhook: request to the endpoint: %w", err)}
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", userAgent)
	if r.Kind == KindStandard {
		if err := Sign(req.Header, r.Secret, r.MsgID, r.At, body, r.PreviousSecret); err != nil {
			return Result{Err: err}
		}
	}
	start := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		return Result{Latency: time.Since(start), Err: err, limit: s.client.Timeout}
	}
	defer res.Body.Close()
	// Read a little more than is kept, then let the rest go: a receiver
	// answering megabytes must not hold the worker.
	// The status is the answer; a body cut short only shortens the excerpt.
	head, _ := io.ReadAll(io.LimitReader(res.Body, 4*ResponseBytes))
	out := Result{Status: res.StatusCode, Latency: time.Since(start), Response: cut(head, ResponseBytes)}
	if res.StatusCode >= 300 && res.StatusCode < 400 {
		out.Location = res.Header.Get("Location")
	}
	return out
}

// cut is the first n bytes of b as text, ending on a whole character.
func cut(b []byte, n int) string {
	if len(b) > n {
		// Back off to the start of the character cut in two, if any.
		end := n
		for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				end = i
				break
			}
		}
		b = b[:end]
	}
	return strings.ToValidUTF8(string(b), "�")
}
