// Package mailtest runs a real SMTP server in-process (emersion/go-smtp) and
// records what it receives, so tests assert on delivered mail, not on calls.
package mailtest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one delivered mail.
type Message struct {
	From    string
	To      []string // envelope recipients
	Subject string
	Text    string // the text/plain part
	HTML    string // the text/html part
	// Calendar is the text/calendar part of an invitation, decoded, and
	// CalendarMethod the method its Content-Type names (REQUEST, CANCEL).
	Calendar       string
	CalendarMethod string
	Attachments    []Attachment
	Raw            string
}

// Attachment is one attached file, decoded.
type Attachment struct {
	Name        string
	ContentType string // without parameters: "application/ics"
	Data        []byte
}

// Server is an SMTP server listening on a loopback port for one test.
type Server struct {
	t    testing.TB
	addr string
	mu   sync.Mutex
	msgs []Message
}

// New starts a server, stopped when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: s}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the HANDOFF_SMTP_URL of the server (no TLS).
func (s *Server) URL() string { return "smtp://" + s.addr + "?tls=none" }

// Messages returns what was delivered so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Take returns what was delivered since the last Take and forgets it.
func (s *Server) Take() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.msgs
	s.msgs = nil
	return out
}

type session struct {
	srv  *Server
	from string
	to   []string
}

func (s *session) Reset()                                      { s.from, s.to = "", nil }
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: s.from, To: append([]string(nil), s.to...), Raw: string(raw)}
	if err := parse(raw, &m); err != nil {
		s.srv.t.Errorf("mailtest: parse message: %v", err)
	}
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, m)
	s.srv.mu.Unlock()
	return nil
}

func parse(raw []byte, m *Message) error {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	dec := new(mime.WordDecoder)
	m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	return part(msg.Header, msg.Body, m)
}

// header is what a message and a part both offer.
type header interface{ Get(key string) string }

func part(h header, body io.Reader, m *Message) error {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			// multipart.Part decodes quoted-printable itself, and then drops
			// the Content-Transfer-Encoding header; base64 is left to decode.
			if err := part(p.Header, p, m); err != nil {
				return err
			}
		}
	}
	b, err := decode(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	if disp, dparams, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && disp == "attachment" {
		m.Attachments = append(m.Attachments, Attachment{Name: dparams["filename"], ContentType: mt, Data: b})
		return nil
	}
	switch mt {
	case "text/plain":
		m.Text = string(b)
	case "text/html":
		m.HTML = string(b)
	case "text/calendar":
		m.Calendar, m.CalendarMethod = string(b), params["method"]
	}
	return nil
}
