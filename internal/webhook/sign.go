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
// decoded secret), computed by the scheme's own Go library.
func Sign(h http.Header, secret, msgID string, at time.Time, body []byte) error {
	if !strings.HasPrefix(secret, SecretPrefix) {
		return fmt.Errorf("webhook: sign %s: the secret does not start with %s", msgID, SecretPrefix)
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return fmt.Errorf("webhook: sign %s: %w", msgID, err)
	}
	sig, err := wh.Sign(msgID, at, body)
	if err != nil {
		return fmt.Errorf("webhook: sign %s: %w", msgID, err)
	}
	h.Set(standardwebhooks.HeaderWebhookID, msgID)
	h.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(standardwebhooks.HeaderWebhookSignature, sig)
	return nil
}
