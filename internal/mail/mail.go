// Package mail sends Handoff's e-mail: over SMTP with wneessen/go-mail when
// HANDOFF_SMTP_URL is set, or in full to the log when it is not, so a mail is
// never silently dropped.
package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail with a plain-text part and an HTML alternative.
type Message struct {
	To      []string
	Subject string
	Text    string
	HTML    string
	// Calendar, when set, makes the message a calendar invitation (iMIP,
	// RFC 6047).
	Calendar *Calendar
}

// Calendar is an iCalendar object a message carries. It goes twice, the way
// calendar services send invitations: as a text/calendar alternative to the
// text and HTML, with the method in its Content-Type, which Outlook, Google
// Calendar and Apple Mail act on (add, update, remove the event); and as an
// invite.ics attachment, which any other client can open or import.
type Calendar struct {
	Method string // the object's iTIP METHOD: REQUEST, CANCEL or PUBLISH
	Data   []byte // the object, CRLF line ends
}

// calendarMethods are the methods a Calendar may name: what goes into the
// Content-Type header is one of these words, never text from elsewhere.
var calendarMethods = map[string]bool{"REQUEST": true, "CANCEL": true, "PUBLISH": true}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// smtpSender sends through one SMTP server, one connection per message:
// reminders are few and a long-lived connection would only time out.
type smtpSender struct {
	from string
	opts []gomail.Option
	host string
}

// NewSMTP returns a Sender for rawURL:
//
//	smtp://user:pass@host:587    STARTTLS, required (the default)
//	smtps://user:pass@host:465   implicit TLS
//	smtp://host:25?tls=opportunistic   STARTTLS when offered
//	smtp://127.0.0.1:2525?tls=none     no TLS (a local relay or a test server)
//
// from is the From address, such as "Handoff <handoff@example.com>".
func NewSMTP(rawURL, from string) (Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mail: parse SMTP URL: %w", err)
	}
	if strings.TrimSpace(from) == "" {
		return nil, errors.New("mail: HANDOFF_MAIL_FROM is required with HANDOFF_SMTP_URL")
	}
	if err := gomail.NewMsg().From(from); err != nil {
		return nil, fmt.Errorf("mail: invalid From address %q: %w", from, err)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("mail: SMTP URL %q has no host", u.Redacted())
	}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
		policy := gomail.TLSMandatory
		switch u.Query().Get("tls") {
		case "", "mandatory", "starttls":
		case "opportunistic":
			policy = gomail.TLSOpportunistic
		case "none":
			policy = gomail.NoTLS
		default:
			return nil, fmt.Errorf("mail: SMTP URL tls=%q: use mandatory, opportunistic or none", u.Query().Get("tls"))
		}
		opts = append(opts, gomail.WithTLSPortPolicy(policy))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme %q: use smtp:// or smtps://", u.Scheme)
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("mail: SMTP URL port %q: %w", p, err)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	// Build once now so a bad option fails at startup, not at the first mail.
	if _, err := gomail.NewClient(host, opts...); err != nil {
		return nil, fmt.Errorf("mail: SMTP client: %w", err)
	}
	return &smtpSender{from: from, opts: opts, host: host}, nil
}

// fromAddress is the sender's From address.
func (s *smtpSender) fromAddress() string { return s.from }

// FromAddress is the name and address the mail of s comes from, so a
// calendar invite can name it as its organizer; both are "" when s does not
// send mail (the log sender).
func FromAddress(s Sender) (name, address string) {
	f, ok := s.(interface{ fromAddress() string })
	if !ok {
		return "", ""
	}
	a, err := netmail.ParseAddress(f.fromAddress())
	if err != nil {
		return "", ""
	}
	return a.Name, a.Address
}

func (s *smtpSender) Send(ctx context.Context, m Message) error {
	msg, err := build(s.from, m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: SMTP client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send %q to %v: %w", m.Subject, m.To, err)
	}
	return nil
}

func build(from string, m Message) (*gomail.Msg, error) {
	if len(m.To) == 0 {
		return nil, fmt.Errorf("mail: %q has no recipient", m.Subject)
	}
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail: From %q: %w", from, err)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("mail: To %v: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if c := m.Calendar; c != nil {
		if !calendarMethods[c.Method] {
			return nil, fmt.Errorf("mail: %q: calendar method %q is not REQUEST, CANCEL or PUBLISH", m.Subject, c.Method)
		}
		// Base64 keeps the object's CRLF line ends and folding exactly as
		// written; go-mail adds "; charset=UTF-8" after the method.
		msg.AddAlternativeString(gomail.ContentType("text/calendar; method="+c.Method), string(c.Data),
			gomail.WithPartEncoding(gomail.EncodingB64))
		if err := msg.AttachReader("invite.ics", bytes.NewReader(c.Data),
			gomail.WithFileContentType("application/ics")); err != nil {
			return nil, fmt.Errorf("mail: %q: attach invite.ics: %w", m.Subject, err)
		}
	}
	return msg, nil
}

// logSender writes each message in full to the log: with no SMTP server
// configured, the log is where an operator (or a developer running `make
// run`) reads the reminders.
type logSender struct{ log *slog.Logger }

// NewLog returns a Sender that logs every message, recipients, subject and
// plain-text body, at INFO level.
func NewLog(logger *slog.Logger) Sender { return logSender{logger} }

func (l logSender) Send(ctx context.Context, m Message) error {
	if len(m.To) == 0 {
		return fmt.Errorf("mail: %q has no recipient", m.Subject)
	}
	args := []any{"to", strings.Join(m.To, ", "), "subject", m.Subject, "text", m.Text}
	if m.Calendar != nil {
		args = append(args, "calendar_method", m.Calendar.Method, "calendar", string(m.Calendar.Data))
	}
	l.log.InfoContext(ctx, "mail not sent: no SMTP configured (HANDOFF_SMTP_URL); full message follows", args...)
	return nil
}
