package handoff

import (
	"net/url"
	"strings"
)

// PackScope is which packs a person may list: every pack, or those whose SE
// (or SA) they are. The zero scope lists nothing. It is CanSeePack for lists,
// so a list never shows or counts a pack its reader could not open.
type PackScope struct {
	All  bool
	SEID int64 // the packs of this SE
	SAID int64 // the packs assigned to this SA
}

// ScopeOf is the packs actor may list (README.md "Packs"): an SE their own,
// an SA those assigned to them, managers and admins all; nobody else any.
func ScopeOf(actor *User) PackScope {
	if actor == nil || !actor.Active {
		return PackScope{}
	}
	switch actor.Role {
	case RoleManager, RoleAdmin:
		return PackScope{All: true}
	case RoleSE:
		return PackScope{SEID: actor.ID}
	case RoleSA:
		return PackScope{SAID: actor.ID}
	}
	return PackScope{}
}

// Includes reports whether p is in the scope.
func (s PackScope) Includes(p *Pack) bool {
	switch {
	case s.All:
		return true
	case s.SEID != 0:
		return p.Deal.SEID == s.SEID
	case s.SAID != 0:
		return p.Deal.SAID == s.SAID
	}
	return false
}

// MaxCRMURLTemplate bounds the CRM link template of the org settings.
const MaxCRMURLTemplate = 500

// CRMIDPlaceholder marks where a deal's CRM opportunity id goes in the CRM
// link template.
const CRMIDPlaceholder = "{id}"

// ParseCRMURLTemplate checks the CRM link template an admin typed: empty (no
// links), or an https URL with a host that contains {id}, such as
// https://acme.my.salesforce.com/{id}.
func ParseCRMURLTemplate(raw string) (string, error) {
	t := strings.TrimSpace(raw)
	if t == "" {
		return "", nil
	}
	bad := func(msg string) (string, error) {
		return "", &Error{Code: EINVALID, Message: "Some fields need your attention.", Fields: map[string]string{"crm_url_template": msg}}
	}
	if len(t) > MaxCRMURLTemplate {
		return bad(TooLong(MaxCRMURLTemplate))
	}
	if !strings.Contains(t, CRMIDPlaceholder) {
		return bad("Put {id} where the CRM opportunity id goes, e.g. https://acme.my.salesforce.com/{id}.")
	}
	if strings.ContainsAny(t, " \t\r\n\"'<>\\`") {
		return bad("A link has no spaces, quotes or angle brackets.")
	}
	u, err := url.Parse(strings.ReplaceAll(t, CRMIDPlaceholder, "x"))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(t, "https://") {
		return bad("Use an https:// address of your CRM with {id} in it, e.g. https://acme.my.salesforce.com/{id}.")
	}
	if strings.Contains(strings.SplitN(t[len("https://"):], "/", 2)[0], CRMIDPlaceholder) {
		return bad("Put {id} after the CRM's address, not in it.")
	}
	return t, nil
}

// CRMLink is the link to a deal's opportunity in the CRM, or "" when the org
// sets no template or the deal has no CRM id. The id is typed by people and
// CRMs, so it is escaped where it lands: as a path segment (url.PathEscape)
// before any "?", as a query value (url.QueryEscape) after it, and a
// "." or ".." id, which a browser would resolve as a directory, gets no link.
func CRMLink(template, id string) string {
	if template == "" || id == "" || id == "." || id == ".." {
		return ""
	}
	q := strings.IndexAny(template, "?#")
	var b strings.Builder
	rest := template
	for {
		i := strings.Index(rest, CRMIDPlaceholder)
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		pos := len(template) - len(rest) + i
		if q >= 0 && pos > q {
			b.WriteString(url.QueryEscape(id))
		} else {
			b.WriteString(url.PathEscape(id))
		}
		rest = rest[i+len(CRMIDPlaceholder):]
	}
	return b.String()
}
