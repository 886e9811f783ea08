package webhook

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/handoff-app/handoff/internal/handoff"
)

// MaxDescription bounds an endpoint's description.
const MaxDescription = 100

// Input is an endpoint as an admin registers it, from the form or the CLI.
type Input struct {
	URL         string
	Kind        string
	Events      []string
	Description string
}

// Registration is a checked Input, ready to store: for a standard endpoint
// with its new signing secret, which the admin sees once.
type Registration struct {
	URL         string
	Kind        Kind
	Events      []Type
	Description string
	Secret      string // "" for Slack: the URL is its secret
}

// Register checks in as an admin's new endpoint: the address (Guard.CheckURL),
// the kind, the events and the description. Bad fields come back together
// as one EINVALID error keyed url, kind, events and description.
func (g Guard) Register(ctx context.Context, r Resolver, in Input) (Registration, error) {
	fe := handoff.FieldErrors{}
	var reg Registration
	var err error
	if reg.URL, err = g.CheckURL(ctx, r, in.URL); err != nil {
		if handoff.ErrorCode(err) != handoff.EINVALID {
			return reg, err
		}
		fe.Add("url", handoff.ErrorMessage(err))
	}
	k, ok := ParseKind(in.Kind)
	if !ok {
		fe.Add("kind", "Choose standard (signed JSON) or slack.")
	}
	reg.Kind = k
	if reg.Events, err = ParseTypes(in.Events); err != nil {
		fe.Add("events", handoff.ErrorMessage(err))
	}
	reg.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(reg.Description) > MaxDescription {
		fe.Add("description", "Keep the description under 100 characters.")
	}
	if err := fe.Err(); err != nil {
		return reg, err
	}
	if reg.Kind == KindStandard {
		if reg.Secret, err = NewSecret(); err != nil {
			return reg, err
		}
	}
	return reg, nil
}

// DisplayURL is an endpoint's address as lists show it, without what works
// like a password: a Slack URL's last path segment is its secret, and a
// query string often carries a token.
func DisplayURL(k Kind, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(an address that no longer parses)"
	}
	out := shorten(k, u)
	if u.RawQuery != "" {
		out += "?…"
	}
	return out
}

func shorten(k Kind, u *url.URL) string {
	if k == KindSlack {
		if i := strings.LastIndex(u.Path, "/"); i > 0 && i < len(u.Path)-1 {
			u.Path = u.Path[:i+1] + "…"
			u.RawPath = ""
		}
	}
	return u.Scheme + "://" + u.Host + u.Path
}
