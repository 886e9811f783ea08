package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// SecretPrefix starts every signing secret, as the Standard Webhooks scheme
// writes them: whsec_ and the base64 of the key.
const SecretPrefix = "whsec_"

// PreviousSecretFor is how long a secret is still honoured after it is
// rolled: deliveries carry a signature with it beside the new one's, so the
// receiver can move to the new secret without losing an event.
const PreviousSecretFor = 24 * time.Hour

// secretBytes is the key length: the scheme asks for 24 to 64 bytes.
const secretBytes = 32

// NewSecret makes a signing secret for a standard endpoint.
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("webhook: new secret: %w", err)
	}
	return SecretPrefix + base64.StdEncoding.EncodeToString(b), nil
}

// Sign sets the Standard Webhooks headers on h for body, sent as message
// msgID at time at: webhook-id, webhook-timestamp and webhook-signature
// ("v1," and the base64 HMAC-SHA256 of id.timestamp.body keyed with the
// decoded secret), computed by the scheme's own Go library. Each of older
// (the secret before a roll, while it is honoured) adds its own signature,
// space-separated, as the scheme allows: a receiver still holding the old
// secret verifies one of them, one holding the new secret the other.
func Sign(h http.Header, secret, msgID string, at time.Time, body []byte, older ...string) error {
	var sigs []string
	for _, s := range append([]string{secret}, older...) {
		if s == "" && len(sigs) > 0 {
			continue
		}
		sig, err := signature(s, msgID, at, body)
		if err != nil {
			return err
		}
		sigs = append(sigs, sig)
	}
	h.Set(standardwebhooks.HeaderWebhookID, msgID)
	h.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(standardwebhooks.HeaderWebhookSignature, strings.Join(sigs, " "))
	return nil
}

// signature is one "v1,…" signature of body with secret.
func signature(secret, msgID string, at time.Time, body []byte) (string, error) {
	if !strings.HasPrefix(secret, SecretPrefix) {
		return "", fmt.Errorf("webhook: sign %s: the secret does not start with %s", msgID, SecretPrefix)
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return "", fmt.Errorf("webhook: sign %s: %w", msgID, err)
	}
	sig, err := wh.Sign(msgID, at, body)
	if err != nil {
		return "", fmt.Errorf("webhook: sign %s: %w", msgID, err)
	}
	return sig, nil
}
