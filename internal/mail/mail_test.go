package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/mail"
	"github.com/handoff-app/handoff/internal/mail/mailtest"
)

func TestSMTPDeliversTextAndHTML(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	s, err := mail.NewSMTP(srv.URL(), "Handoff <handoff@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), mail.Message{
		To: []string{"se@example.com", "sa@example.com"}, Subject: "Pack due tomorrow: Acme",
		Text: "See https://handoff.example.com/packs/7", HTML: `<p><a href="https://handoff.example.com/packs/7">Open</a></p>`,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("got %d messages, want 1", len(got))
	}
	m := got[0]
	if m.From != "handoff@example.com" || strings.Join(m.To, ",") != "se@example.com,sa@example.com" {
		t.Errorf("envelope = %q → %v", m.From, m.To)
	}
	if m.Subject != "Pack due tomorrow: Acme" {
		t.Errorf("subject = %q", m.Subject)
	}
	if !strings.Contains(m.Text, "https://handoff.example.com/packs/7") || !strings.Contains(m.HTML, `href="https://handoff.example.com/packs/7"`) {
		t.Errorf("text = %q, html = %q", m.Text, m.HTML)
	}
}

func TestNewSMTPRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string][2]string{
		"ErrScheme":  {"http://host:25", "a@example.com"},
		"ErrNoHost":  {"smtp://", "a@example.com"},
		"ErrTLS":     {"smtp://host:25?tls=maybe", "a@example.com"},
		"ErrNoFrom":  {"smtp://host:25", ""},
		"ErrBadFrom": {"smtp://host:25", "not an address"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := mail.NewSMTP(tc[0], tc[1]); err == nil {
				t.Errorf("NewSMTP(%q, %q) succeeded", tc[0], tc[1])
			}
		})
	}
	for _, ok := range []string{"smtp://u:p@mail.example.com:587", "smtps://u:p@mail.example.com", "smtp://127.0.0.1:25?tls=opportunistic"} {
		if _, err := mail.NewSMTP(ok, "a@example.com"); err != nil {
			t.Errorf("NewSMTP(%q): %v", ok, err)
		}
	}
}

func TestLogWritesWholeMessage(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	s := mail.NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
	if err := s.Send(context.Background(), mail.Message{To: []string{"sa@example.com"}, Subject: "New pack", Text: "Open https://x/packs/1"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sa@example.com", "New pack", "https://x/packs/1"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q: %s", want, buf.String())
		}
	}
}
