package deadline

import (
	"reflect"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	t.Parallel()
	t.Run("PackDueThursdayAfterThanksgiving", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, "America/New_York", []string{"US"}, nil)
		got := c.Explain(PackRule(5), d("2026-11-25"))
		want := Explanation{
			Kind:  KindPack,
			Start: d("2026-11-25"),
			Rule:  "5 business days after Closed-Won, skipping weekends and US public holidays",
			Steps: []Step{
				{Day: d("2026-11-26"), Reason: "Thanksgiving Day (US public holiday)"},
				{Day: d("2026-11-27"), Counted: true, N: 1},
				{Day: d("2026-11-28"), Reason: "Saturday"},
				{Day: d("2026-11-29"), Reason: "Sunday"},
				{Day: d("2026-11-30"), Counted: true, N: 2},
				{Day: d("2026-12-01"), Counted: true, N: 3},
				{Day: d("2026-12-02"), Counted: true, N: 4},
				{Day: d("2026-12-03"), Counted: true, N: 5},
			},
			Due: d("2026-12-03"),
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Explain =\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("YearEndNamesEverySkippedDay", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, "America/New_York", []string{"US"}, yearEndShutdown)
		got := c.Explain(PackRule(5), d("2026-12-22"))
		if got.Rule != "5 business days after Closed-Won, skipping weekends, US public holidays and company days off" {
			t.Errorf("Rule = %q", got.Rule)
		}
		var skipped []string
		for _, s := range got.Steps {
			if !s.Counted {
				skipped = append(skipped, s.Day.String()+" "+s.Reason)
			}
		}
		want := []string{
			"2026-12-25 Christmas Day (US public holiday)",
			"2026-12-26 Saturday",
			"2026-12-27 Sunday",
			"2026-12-28 Year-end shutdown (company day off)",
			"2026-12-29 Year-end shutdown (company day off)",
			"2026-12-30 Year-end shutdown (company day off)",
			"2026-12-31 Year-end shutdown (company day off)",
			"2027-01-01 New Year's Day (US public holiday)",
			"2027-01-02 Saturday",
			"2027-01-03 Sunday",
		}
		if !reflect.DeepEqual(skipped, want) {
			t.Errorf("skipped =\n%s\nwant\n%s", strings.Join(skipped, "\n"), strings.Join(want, "\n"))
		}
		if got.Due != d("2027-01-06") || got.Steps[len(got.Steps)-1].N != 5 {
			t.Errorf("Due = %s, last step %+v", got.Due, got.Steps[len(got.Steps)-1])
		}
	})
	t.Run("LockCountsEveryCalendarDayAndEndsOnSaturday", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, "America/New_York", []string{"US"}, nil)
		got := c.Explain(LockRule(30), d("2026-11-05"))
		if got.Rule != "30 calendar days after kickoff" {
			t.Errorf("Rule = %q", got.Rule)
		}
		if got.Due != d("2026-12-05") || len(got.Steps) != 30 {
			t.Fatalf("Due = %s with %d steps, want 2026-12-05 with 30", got.Due, len(got.Steps))
		}
		for i, s := range got.Steps {
			if !s.Counted || s.N != i+1 || s.Day != d("2026-11-05").AddDays(i+1) {
				t.Errorf("step %d = %+v, want calendar day %d counted", i, s, i+1)
			}
		}
		if got.Note != "The due day 2026-12-05 is not a business day (Saturday); calendar days count every day, so it stays the due day." {
			t.Errorf("Note = %q", got.Note)
		}
	})
	t.Run("NotStartedHasRuleOnly", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, "UTC", nil, nil)
		got := c.Explain(LockRule(30), Day{})
		if got.Rule != "30 calendar days after kickoff" || got.Steps != nil || !got.Due.IsZero() {
			t.Errorf("Explain(not started) = %+v", got)
		}
	})
	t.Run("RuleTextNamesEveryCountryAndSingular", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, "Europe/London", []string{"US", "GB"}, yearEndShutdown)
		if got := c.Explain(KickoffRule(1), Day{}).Rule; got != "1 business day after Closed-Won, skipping weekends, US public holidays, GB bank holidays and company days off" {
			t.Errorf("Rule = %q", got)
		}
		bare := newCalendar(t, "UTC", nil, nil)
		if got := bare.Explain(PackRule(3), Day{}).Rule; got != "3 business days after Closed-Won, skipping weekends" {
			t.Errorf("Rule = %q", got)
		}
	})
	t.Run("StepsAgreeWithEvaluate", func(t *testing.T) {
		t.Parallel()
		c := newCalendar(t, "Europe/London", []string{"GB"}, nil)
		start := d("2026-12-23")
		e := c.Explain(PackRule(5), start)
		cl := c.Evaluate(PackRule(5), start, Day{}, start.Time())
		if e.Due != cl.Due {
			t.Errorf("Explain due %s, Evaluate due %s", e.Due, cl.Due)
		}
		if s := e.Steps[4]; s.Day != d("2026-12-28") || s.Reason != "Boxing Day (GB bank holiday, observed in place of Saturday 2026-12-26)" {
			t.Errorf("step for 2026-12-28 = %+v", s)
		}
	})
}
