package sso

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Identity is who a verified ID token says signed in.
type Identity struct {
	Issuer  string
	Subject string
	Email   string // normalised (handoff.NormalizeEmail) and verified by the provider
	Name    string // never empty: the email when the token names no one
	Groups  []string
	// GroupsSent says whether the token had the groups claim at all: a
	// token without it usually means the provider is not set up to send it,
	// which is the admin's to fix rather than the person's.
	GroupsSent bool
}

// What a valid token can still fail on, for the server to put in words.
var (
	// ErrEmailNotVerified: the provider does not vouch for the address, so
	// it cannot tie the person to an account (email_verified is false, or
	// missing without Entra ID's xms_edov in its place).
	ErrEmailNotVerified = errors.New("sso: the provider has not verified the email address")
	// ErrNoEmail: the token carries no email claim (the email scope was not
	// granted, or the provider leaves it out).
	ErrNoEmail = errors.New("sso: the ID token has no email address")
)

// maxName bounds the name taken from the provider, as the users table does.
const maxName = handoff.MaxShort

// identityFrom reads the claims Handoff uses from a verified token's payload.
func identityFrom(issuer, subject string, payload []byte, groupsClaim string) (Identity, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(payload, &raw); err != nil {
		return Identity{}, fmt.Errorf("sso: read ID token claims: %w", err)
	}
	id := Identity{Issuer: issuer, Subject: subject}
	id.Email = handoff.NormalizeEmail(stringClaim(raw, "email"))
	if id.Email == "" {
		return id, ErrNoEmail
	}
	if !emailVerified(raw) {
		return id, fmt.Errorf("sso: %s: %w", id.Email, ErrEmailNotVerified)
	}
	id.Name = nameFrom(raw, id.Email)
	groups, sent, err := groupsFrom(raw, groupsClaim)
	if err != nil {
		return id, err
	}
	id.Groups, id.GroupsSent = groups, sent
	return id, nil
}

// stringClaim is claim name as a trimmed string, "" when absent or not one.
func stringClaim(raw map[string]json.RawMessage, name string) string {
	var s string
	if err := json.Unmarshal(raw[name], &s); err != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// emailVerified reports whether the provider vouches for the email address.
// email_verified decides when the token has it, and false refuses. Entra ID
// never sends it for work accounts; there the optional claim xms_edov ("email
// domain owner verified": the tenant owns the address's domain) takes its
// place, as true or, as Entra sometimes sends it, "true" or "1".
func emailVerified(raw map[string]json.RawMessage) bool {
	if v, ok := raw["email_verified"]; ok && !isNull(v) {
		return truthy(v)
	}
	edov := bytes.TrimSpace(raw["xms_edov"])
	return truthy(edov) || bytes.Equal(edov, []byte(`"1"`))
}

func isNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// truthy reports whether a claim is true. A missing claim is false; so is
// anything but the JSON true or the string "true" (Amazon Cognito sends
// booleans as strings).
func truthy(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return bytes.Equal(v, []byte("true")) || bytes.Equal(v, []byte(`"true"`))
}

// nameFrom is the person's name: "name", else given and family names, else
// their email, cut to what the users table holds.
func nameFrom(raw map[string]json.RawMessage, email string) string {
	name := stringClaim(raw, "name")
	if name == "" {
		name = strings.TrimSpace(stringClaim(raw, "given_name") + " " + stringClaim(raw, "family_name"))
	}
	if name == "" {
		name = email
	}
	name = strings.Join(strings.Fields(name), " ") // no line breaks or runs of spaces from a directory
	if r := []rune(name); len(r) > maxName {
		name = strings.TrimSpace(string(r[:maxName]))
	}
	return name
}

// groupsFrom reads the groups claim: a list of strings (Okta, Keycloak,
// Entra ID) or a single string (some providers when a person has one group).
// A claim name with dots that is not itself in the token is read as a path
// into nested objects, such as Keycloak's realm_access.roles; a name that is
// in the token as written (Auth0's namespaced https://example.com/groups)
// is taken as it is. sent is false when the token has no such claim.
func groupsFrom(raw map[string]json.RawMessage, claim string) (groups []string, sent bool, err error) {
	v, ok := raw[claim]
	if !ok && strings.Contains(claim, ".") {
		v, ok = nested(raw, strings.Split(claim, "."))
	}
	if !ok || isNull(v) {
		return nil, false, nil
	}
	var one string
	if err := json.Unmarshal(v, &one); err == nil {
		if one = strings.TrimSpace(one); one == "" {
			return nil, true, nil
		}
		return []string{one}, true, nil
	}
	var list []any
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, true, fmt.Errorf("sso: the %q claim is neither a list nor a string: %w", claim, err)
	}
	for _, g := range list {
		// Numbers or objects in the list name no group a mapping can hold.
		if s, ok := g.(string); ok && strings.TrimSpace(s) != "" {
			groups = append(groups, strings.TrimSpace(s))
		}
	}
	return groups, true, nil
}

// nested follows path through JSON objects.
func nested(raw map[string]json.RawMessage, path []string) (json.RawMessage, bool) {
	v, ok := raw[path[0]]
	if !ok {
		return nil, false
	}
	if len(path) == 1 {
		return v, true
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(v, &obj); err != nil {
		return nil, false
	}
	return nested(obj, path[1:])
}
