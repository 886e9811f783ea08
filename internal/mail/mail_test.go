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

func TestSMTPDeliversACalendarInvite(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	s, err := mail.NewSMTP(srv.URL(), "Handoff <handoff@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:pack-7-kickoff@example.com\r\nSUMMARY:Kickoff: Acmé\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	err = s.Send(context.Background(), mail.Message{
		To: []string{"se@example.com", "ae@example.com"}, Subject: "Invitation: Kickoff: Acmé",
		Text: "Kickoff on Tuesday", HTML: "<p>Kickoff on Tuesday</p>",
		Calendar: &mail.Calendar{Method: "REQUEST", Data: []byte(ics)},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("got %d messages, want 1", len(got))
	}
	m := got[0]
	if m.Text != "Kickoff on Tuesday" || m.HTML != "<p>Kickoff on Tuesday</p>" {
		t.Errorf("text = %q, html = %q", m.Text, m.HTML)
	}
	if m.CalendarMethod != "REQUEST" || m.Calendar != ics {
		t.Errorf("calendar part (method %q) = %q, want it byte for byte", m.CalendarMethod, m.Calendar)
	}
	if !strings.Contains(m.Raw, "text/calendar; method=REQUEST; charset=UTF-8") {
		t.Errorf("no text/calendar alternative with its method:\n%s", m.Raw)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments = %+v, want invite.ics", m.Attachments)
	}
	if a := m.Attachments[0]; a.Name != "invite.ics" || a.ContentType != "application/ics" || string(a.Data) != ics {
		t.Errorf("attachment %q (%s) = %q", a.Name, a.ContentType, a.Data)
	}
}

func TestSMTPRefusesAnUnknownCalendarMethod(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	s, err := mail.NewSMTP(srv.URL(), "handoff@example.com")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), mail.Message{To: []string{"se@example.com"}, Subject: "x", Text: "x",
		Calendar: &mail.Calendar{Method: "REQUEST\r\nBcc: everyone@example.com", Data: []byte("BEGIN:VCALENDAR\r\n")}})
	if err == nil || len(srv.Messages()) != 0 {
		t.Fatalf("sent a calendar with a made-up method (err %v)", err)
	}
}

func TestFromAddress(t *testing.T) {
	t.Parallel()
	s, err := mail.NewSMTP("smtp://127.0.0.1:25?tls=none", "Handoff at Acme <handoff@acme.example>")
	if err != nil {
		t.Fatal(err)
	}
	if name, addr := mail.FromAddress(s); name != "Handoff at Acme" || addr != "handoff@acme.example" {
		t.Errorf("FromAddress(smtp) = %q, %q", name, addr)
	}
	if name, addr := mail.FromAddress(mail.NewLog(slog.New(slog.DiscardHandler))); name != "" || addr != "" {
		t.Errorf("FromAddress(log) = %q, %q, want nothing", name, addr)
	}
}

func TestLogWritesTheCalendar(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	s := mail.NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
	err := s.Send(context.Background(), mail.Message{To: []string{"sa@example.com"}, Subject: "Invitation", Text: "Kickoff",
		Calendar: &mail.Calendar{Method: "CANCEL", Data: []byte("BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\n")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"calendar_method=CANCEL", "METHOD:CANCEL"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q: %s", want, buf.String())
		}
	}
}
