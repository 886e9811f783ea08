package web

import (
	"context"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/deadline"
)

// TestHomeClockCell: the hand-written cell writes what the templ markup it
// replaced wrote, and its badge is the badge component's, for every state;
// words are escaped.
func TestHomeClockCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		c    ClockView
		want string
	}{
		{"NotStarted", ClockView{Relative: "Starts at the <kickoff>"},
			`<span aria-hidden="true" class="muted">—</span> <span class="visually-hidden">Starts at the &lt;kickoff&gt;</span>`},
		{"DoneOnTime", ClockView{Due: "2026-12-04", State: deadline.StateDoneOnTime, Relative: "ignored"},
			`<time datetime="2026-12-04">2026-12-04</time><br>` + badgeHTML(t, "badge-ok", deadline.StateDoneOnTime.Label())},
		{"DoneLate", ClockView{Due: "2026-12-04", State: deadline.StateDoneLate},
			`<time datetime="2026-12-04">2026-12-04</time><br>` + badgeHTML(t, "badge-bad", deadline.StateDoneLate.Label())},
		{"Overdue", ClockView{Due: "2026-12-04", State: deadline.StateOverdue, Relative: "3 business days late"},
			`<time datetime="2026-12-04">2026-12-04</time><br>` + badgeHTML(t, "badge-bad", deadline.StateOverdue.Label()) +
				`<br><span class="muted small">3 business days late</span>`},
		{"AtRisk", ClockView{Due: "2026-12-04", State: deadline.StateAtRisk, Relative: "due tomorrow"},
			`<time datetime="2026-12-04">2026-12-04</time><br>` + badgeHTML(t, "badge-warn", deadline.StateAtRisk.Label()) +
				`<br><span class="muted small">due tomorrow</span>`},
		{"OnTrack", ClockView{Due: "2026-12-04", State: deadline.StateOnTrack, Relative: "3 business days left"},
			`<time datetime="2026-12-04">2026-12-04</time><br>` + badgeHTML(t, "badge-neutral", deadline.StateOnTrack.Label()) +
				`<br><span class="muted small">3 business days left</span>`},
	} {
		var b strings.Builder
		if err := homeClockCell(tc.c).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, b.String(), tc.want)
		}
	}
}

// badgeHTML is what the badge component writes.
func badgeHTML(t *testing.T, class, label string) string {
	t.Helper()
	var b strings.Builder
	if err := badge(class, label, "").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
