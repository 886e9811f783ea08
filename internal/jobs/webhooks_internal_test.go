package jobs

import (
	"testing"
	"time"
)

// The retry schedule lasts at least a day (docs/webhooks.md), each wait at
// least as long as the one before.
func TestRetryScheduleSpansADay(t *testing.T) {
	t.Parallel()
	var total time.Duration
	for n := 1; n < webhookAttempts; n++ {
		if n > 1 && retryWait(n) < retryWait(n-1) {
			t.Errorf("wait %d (%s) is shorter than wait %d (%s)", n, retryWait(n), n-1, retryWait(n-1))
		}
		total += retryWait(n)
	}
	if total < 24*time.Hour || webhookAttempts != 8 || retryWait(1) != 5*time.Second {
		t.Errorf("%d attempts over %s; want 8 over more than 24 h, the first retry after 5 s", webhookAttempts, total)
	}
	if failingFor != 72*time.Hour {
		t.Errorf("endpoints are disabled after %s of failures, the documented 3 days", failingFor)
	}
}
