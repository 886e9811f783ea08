// Package sso signs people in through the organisation's OpenID Connect
// identity provider (Okta, Entra ID, Google, Keycloak…).
package sso

// Provider is the configured identity provider; nil means single sign-on is off.
type Provider struct{}
