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

// A failing streak tolerates the longest wait between two attempts of one
// delivery, with room for a late worker, and no more than a day: a quiet
// spell longer than that starts a new streak.
func TestStreakGapCoversTheLongestWait(t *testing.T) {
	t.Parallel()
	for n := 1; n < webhookAttempts; n++ {
		if retryWait(n) >= streakGap {
			t.Errorf("wait %d (%s) breaks a streak of %s", n, retryWait(n), streakGap)
		}
	}
	if streakGap > 24*time.Hour || failingFor <= streakGap {
		t.Errorf("streak gap %s", streakGap)
	}
}
