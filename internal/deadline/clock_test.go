package deadline

import (
	"testing"
	"time"
)

func TestKindLabel(t *testing.T) {
	t.Parallel()
	want := map[Kind]string{KindPack: "Pack due", KindKickoff: "Kickoff due", KindLock: "Architecture lock due",
		KindFirstValue: "First value due", KindPodReview: "Pod review due"}
	for _, k := range Kinds() {
		if k.Label() != want[k] {
			t.Errorf("%s.Label() = %q, want %q", k, k.Label(), want[k])
		}
	}
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	const ny = "America/New_York"
	c := newCalendar(t, ny, []string{"US"}, nil)
	tests := []struct {
		name      string
		rule      Rule
		start     string // "" means not started
		done      string // "" means not done
		now       time.Time
		wantDue   string
		wantState State
		wantWords string
	}{
		// Pack due: Closed-Won Wednesday 2026-11-25, due Thursday 2026-12-03.
		{"OnTrackThreeBusinessDaysOut", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 11, 30, 12, 0, 0), "2026-12-03", StateOnTrack, "due in 3 business days"},
		{"OnTrackTwoBusinessDaysOut", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 12, 1, 9, 0, 0), "2026-12-03", StateOnTrack, "due in 2 business days"},
		{"AtRiskDueNextBusinessDay", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 12, 2, 9, 0, 0), "2026-12-03", StateAtRisk, "due in 1 business day"},
		{"AtRiskFromMidnightOfDueDay", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 12, 3, 0, 0, 0), "2026-12-03", StateAtRisk, "due today"},
		{"AtRiskNotOverdueAt2359Local", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 12, 3, 23, 59, 59), "2026-12-03", StateAtRisk, "due today"},
		{"AtRiskWhenUTCIsAlreadyTomorrow", PackRule(5), "2026-11-25", "", time.Date(2026, 12, 4, 4, 59, 59, 0, time.UTC), "2026-12-03", StateAtRisk, "due today"},
		{"OverdueAtMidnightLocal", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 12, 4, 0, 0, 0), "2026-12-03", StateOverdue, "1 business day overdue"},
		{"OverdueOverWeekendSaysOneNotZero", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 12, 6, 12, 0, 0), "2026-12-03", StateOverdue, "1 business day overdue"},
		{"OverdueThreeBusinessDays", PackRule(5), "2026-11-25", "", wall(t, ny, 2026, 12, 8, 12, 0, 0), "2026-12-03", StateOverdue, "3 business days overdue"},
		{"DoneEarlyOnTime", PackRule(5), "2026-11-25", "2026-12-01", wall(t, ny, 2026, 12, 10, 0, 0, 0), "2026-12-03", StateDoneOnTime, "done on 2026-12-01, on time"},
		{"DoneOnDueDayOnTime", PackRule(5), "2026-11-25", "2026-12-03", wall(t, ny, 2026, 12, 10, 0, 0, 0), "2026-12-03", StateDoneOnTime, "done on 2026-12-03, on time"},
		{"DoneNextDayLate", PackRule(5), "2026-11-25", "2026-12-04", wall(t, ny, 2026, 12, 10, 0, 0, 0), "2026-12-03", StateDoneLate, "done on 2026-12-04, 1 business day late"},
		{"DoneOnSaturdayOneBusinessDayLate", PackRule(5), "2026-11-25", "2026-12-05", wall(t, ny, 2026, 12, 10, 0, 0, 0), "2026-12-03", StateDoneLate, "done on 2026-12-05, 1 business day late"},
		{"DoneThreeBusinessDaysLate", PackRule(5), "2026-11-25", "2026-12-08", wall(t, ny, 2026, 12, 10, 0, 0, 0), "2026-12-03", StateDoneLate, "done on 2026-12-08, 3 business days late"},
		{"DoneStaysDoneWhateverNow", KickoffRule(5), "2026-11-25", "2026-12-02", wall(t, ny, 2027, 6, 1, 0, 0, 0), "2026-12-03", StateDoneOnTime, "done on 2026-12-02, on time"},

		// Due Monday 2026-12-07: the next business day after Friday is Monday.
		{"OnTrackThursdayBeforeMondayDue", KickoffRule(5), "2026-11-30", "", wall(t, ny, 2026, 12, 3, 17, 0, 0), "2026-12-07", StateOnTrack, "due in 2 business days"},
		{"AtRiskFridayBeforeMondayDue", KickoffRule(5), "2026-11-30", "", wall(t, ny, 2026, 12, 4, 8, 0, 0), "2026-12-07", StateAtRisk, "due in 1 business day"},
		{"AtRiskSaturdayBeforeMondayDue", KickoffRule(5), "2026-11-30", "", wall(t, ny, 2026, 12, 5, 8, 0, 0), "2026-12-07", StateAtRisk, "due in 1 business day"},
		// Due Friday 2026-11-27: on Wednesday the next business day skips Thanksgiving.
		{"AtRiskAcrossHoliday", PackRule(5), "2026-11-19", "", wall(t, ny, 2026, 11, 25, 8, 0, 0), "2026-11-27", StateAtRisk, "due in 1 business day"},

		// Business clock due Monday 2026-11-02, the day after clocks fall back.
		{"AtRiskLastSecondOfFallBackSunday", PackRule(5), "2026-10-26", "", time.Date(2026, 11, 2, 4, 59, 59, 0, time.UTC), "2026-11-02", StateAtRisk, "due in 1 business day"},
		{"DueTodayFirstSecondAfterFallBack", PackRule(5), "2026-10-26", "", time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC), "2026-11-02", StateAtRisk, "due today"},

		// Architecture lock: 30 calendar days after kickoff.
		{"LockNotStartedBeforeKickoff", LockRule(30), "", "", wall(t, ny, 2026, 12, 1, 0, 0, 0), "", StateNotStarted, "starts at kickoff"},
		{"KickoffNotStartedWithoutClosedWon", KickoffRule(5), "", "", wall(t, ny, 2026, 12, 1, 0, 0, 0), "", StateNotStarted, "not started"},
		{"LockOnTrackInDays", LockRule(30), "2026-12-01", "", wall(t, ny, 2026, 12, 29, 12, 0, 0), "2026-12-31", StateOnTrack, "due in 2 days"},
		{"LockAtRiskInOneDay", LockRule(30), "2026-12-01", "", wall(t, ny, 2026, 12, 30, 12, 0, 0), "2026-12-31", StateAtRisk, "due in 1 day"},
		{"LockOverdueInCalendarDays", LockRule(30), "2026-12-01", "", wall(t, ny, 2027, 1, 2, 12, 0, 0), "2026-12-31", StateOverdue, "2 days overdue"},
		{"LockDoneLateInCalendarDays", LockRule(30), "2026-12-01", "2027-01-03", wall(t, ny, 2027, 1, 5, 12, 0, 0), "2026-12-31", StateDoneLate, "done on 2027-01-03, 3 days late"},
		{"LockDueOnSaturdayAtRiskFriday", LockRule(30), "2026-11-05", "", wall(t, ny, 2026, 12, 4, 12, 0, 0), "2026-12-05", StateAtRisk, "due in 1 day"},

		// Lock due Sunday 2026-03-08, the day clocks spring forward (a 23-hour day).
		{"LockDueTodayAt2359EDT", LockRule(30), "2026-02-06", "", wall(t, ny, 2026, 3, 8, 23, 59, 59), "2026-03-08", StateAtRisk, "due today"},
		{"LockOverdueAtMidnightEDT", LockRule(30), "2026-02-06", "", time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC), "2026-03-08", StateOverdue, "1 day overdue"},
		// Lock due Sunday 2026-11-01, the day clocks fall back (a 25-hour day).
		{"LockDueTodayAt2359EST", LockRule(30), "2026-10-02", "", time.Date(2026, 11, 2, 4, 59, 59, 0, time.UTC), "2026-11-01", StateAtRisk, "due today"},
		{"LockOverdueAtMidnightEST", LockRule(30), "2026-10-02", "", time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC), "2026-11-01", StateOverdue, "1 day overdue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var start, done, due Day
			if tt.start != "" {
				start = d(tt.start)
			}
			if tt.done != "" {
				done = d(tt.done)
			}
			if tt.wantDue != "" {
				due = d(tt.wantDue)
			}
			cl := c.Evaluate(tt.rule, start, done, tt.now)
			if cl.Kind != tt.rule.Kind || cl.Rule != tt.rule || cl.Start != start || cl.Done != done {
				t.Errorf("Evaluate echoed %+v", cl)
			}
			if cl.Due != due || cl.State != tt.wantState {
				t.Errorf("Evaluate = due %s %s, want due %s %s", cl.Due, cl.State, due, tt.wantState)
			}
			if got := c.Relative(cl, tt.now); got != tt.wantWords {
				t.Errorf("Relative = %q, want %q", got, tt.wantWords)
			}
		})
	}
}

func TestRelativePlurals(t *testing.T) {
	t.Parallel()
	c := newCalendar(t, "UTC", nil, nil)
	// Start Monday 2026-03-02 + 5 business days = Monday 2026-03-09.
	start := d("2026-03-02")
	tests := []struct {
		name string
		rule Rule
		now  string
		want string
	}{
		{"OneBusinessDaySingular", PackRule(5), "2026-03-06", "due in 1 business day"},
		{"TwoBusinessDaysPlural", PackRule(5), "2026-03-05", "due in 2 business days"},
		{"OneBusinessDayOverdueSingular", PackRule(5), "2026-03-10", "1 business day overdue"},
		{"TwoBusinessDaysOverduePlural", PackRule(5), "2026-03-11", "2 business days overdue"},
		{"OneDaySingular", LockRule(7), "2026-03-08", "due in 1 day"},
		{"TwoDaysPlural", LockRule(7), "2026-03-07", "due in 2 days"},
		{"OneDayOverdueSingular", LockRule(7), "2026-03-10", "1 day overdue"},
		{"TwoDaysOverduePlural", LockRule(7), "2026-03-11", "2 days overdue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := d(tt.now).Time().Add(12 * time.Hour)
			if got := c.Relative(c.Evaluate(tt.rule, start, Day{}, now), now); got != tt.want {
				t.Errorf("Relative at %s = %q, want %q", tt.now, got, tt.want)
			}
		})
	}
}

func TestStateLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		state State
		label string
		done  bool
	}{
		{StateNotStarted, "Not started", false},
		{StateOnTrack, "On track", false},
		{StateAtRisk, "At risk", false},
		{StateOverdue, "Overdue", false},
		{StateDoneOnTime, "Done on time", true},
		{StateDoneLate, "Done late", true},
	}
	for _, tt := range tests {
		if tt.state.Label() != tt.label || tt.state.IsDone() != tt.done {
			t.Errorf("%s: Label %q IsDone %v, want %q %v", tt.state, tt.state.Label(), tt.state.IsDone(), tt.label, tt.done)
		}
	}
}

func TestEvaluateDueJudgesAgainstTheStoredDate(t *testing.T) {
	t.Parallel()
	cal, err := NewCalendar("America/New_York", []string{"US"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := NewDay(2026, time.November, 25)
	rule := PackRule(5)
	stored := NewDay(2026, time.December, 1) // computed under an older, shorter rule
	done := NewDay(2026, time.December, 2)
	now := time.Date(2026, time.December, 10, 12, 0, 0, 0, time.UTC)

	if got := cal.Evaluate(rule, start, done, now).State; got != StateDoneOnTime {
		t.Fatalf("against today's rule (due 12-03) the clock is %s, want done_on_time", got)
	}
	got := cal.EvaluateDue(rule, start, stored, done, now)
	if got.State != StateDoneLate || !got.Due.Equal(stored) {
		t.Errorf("against the stored due 12-01 = %s due %s, want done_late due 2026-12-01", got.State, got.Due)
	}
	if ns := cal.EvaluateDue(rule, Day{}, stored, Day{}, now).State; ns != StateNotStarted {
		t.Errorf("no start = %s, want not_started", ns)
	}
}
