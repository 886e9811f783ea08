package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// The stats page in words a manager reads at once: spaced lists, the SA's
// book placed below, within or above the staffing guide, the kickoff on-time
// rate, and each median named in the unit of its clock.
func TestStatsPageWords(t *testing.T) {
	t.Parallel()
	e := newPackEnv(t)
	for _, a := range []string{"Initech", "Hooli"} {
		e.CreatePack(a, e.sam, e.alex, "2026-11-02")
	}
	m := e.Login("morgan@example.com")
	res := m.Get("/stats")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats = %d", res.StatusCode)
	}
	t.Run("OverdueCountsAreASpacedList", func(t *testing.T) {
		if got := strings.Join(strings.Fields(res.Text(`[data-testid="now"]`)), " "); !strings.Contains(got, "hold: 2 Pack due, 2 Kickoff due, 0 Architecture lock due, 0 First value due, 0 Pod review due.") {
			t.Errorf("now = %q", got)
		}
	})
	t.Run("ThreeEnterpriseAccountsAreBelowTheGuide", func(t *testing.T) {
		if got := res.Text(`[data-testid="loads"] [data-testid="staffing"]`); got != "Below" {
			t.Errorf("Alex against the guide = %q, want Below", got)
		}
	})
	t.Run("KickoffOnTimeRate", func(t *testing.T) {
		// Two kickoffs overdue (due 11-09), none held: 0% of 2.
		if got := res.Text(`[data-testid="stat-kickoff-ontime"]`); !strings.Contains(got, "0%") || !strings.Contains(got, "kickoffs on time (0 of 2)") {
			t.Errorf("kickoff on time = %q", got)
		}
	})
	t.Run("MediansInTheirClocksUnits", func(t *testing.T) {
		for sel, want := range map[string]string{
			"stat-submit":  "median business days, Closed-Won → submitted",
			"stat-kickoff": "median business days, Closed-Won → kickoff",
			"stat-lock":    "median calendar days, kickoff → architecture lock",
		} {
			if got := res.Text(`[data-testid="` + sel + `"]`); !strings.Contains(got, want) {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
	})
}
