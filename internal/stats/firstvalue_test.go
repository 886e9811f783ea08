package stats

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

func TestMedianOfCounts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		counts []DayCount
		want   Median
	}{
		{"Nothing", nil, Median{}},
		{"OnlyEmptyCounts", []DayCount{{Days: 40, N: 0}}, Median{}},
		{"One", []DayCount{{Days: 61, N: 1}}, Median{Value: 61, N: 1}},
		{"OddCountInAnyOrder", []DayCount{{Days: 90, N: 1}, {Days: 30, N: 1}, {Days: 60, N: 1}}, Median{Value: 60, N: 3}},
		{"EvenCountIsTheMeanOfTheMiddleTwo", []DayCount{{Days: 30, N: 1}, {Days: 45, N: 1}}, Median{Value: 37.5, N: 2}},
		{"WeightsCount", []DayCount{{Days: 10, N: 1}, {Days: 100, N: 4}}, Median{Value: 100, N: 5}},
		{"MiddleTwoInDifferentBuckets", []DayCount{{Days: 20, N: 2}, {Days: 80, N: 2}}, Median{Value: 50, N: 4}},
		{"SameDaysSplitOverRows", []DayCount{{Days: 50, N: 2}, {Days: 10, N: 1}, {Days: 50, N: 1}}, Median{Value: 50, N: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := medianOf(tc.counts); got != tc.want {
				t.Errorf("medianOf(%v) = %+v, want %+v", tc.counts, got, tc.want)
			}
		})
	}
	// The histogram's median is the median of the days written out, one per
	// account, which is what the other medians of the page are.
	t.Run("SameAsTheMedianOfTheDaysWrittenOut", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 22))
		for range 500 {
			var counts []DayCount
			var days []int
			for range r.IntN(8) {
				c := DayCount{Days: r.IntN(200), N: r.IntN(4)}
				counts = append(counts, c)
				for range c.N {
					days = append(days, c.Days)
				}
			}
			if got, want := medianOf(counts), median(days); got != want {
				t.Fatalf("medianOf(%v) = %+v, median(%v) = %+v", counts, got, days, want)
			}
		}
	})
}

func TestEnoughDataIsMinGroupInEachGroup(t *testing.T) {
	t.Parallel()
	m := func(n int) Median { return Median{Value: 50, N: n} }
	for _, tc := range []struct {
		inTime, late int
		want         bool
	}{
		{0, 0, false},
		{MinGroup - 1, 40, false},
		{40, MinGroup - 1, false},
		{MinGroup, MinGroup, true},
		{MinGroup + 10, MinGroup, true},
	} {
		if got := (Comparison{InTime: m(tc.inTime), Late: m(tc.late)}).Enough(); got != tc.want {
			t.Errorf("%d in time, %d late: Enough = %v, want %v", tc.inTime, tc.late, got, tc.want)
		}
	}
	if MinGroup != 5 {
		t.Errorf("MinGroup = %d; the page and this test say 5", MinGroup)
	}
}

func TestComparisonWords(t *testing.T) {
	t.Parallel()
	c := func(in, late float64) Comparison {
		return Comparison{InTime: Median{Value: in, N: 8}, Late: Median{Value: late, N: 6}}
	}
	for _, tc := range []struct {
		name string
		c    Comparison
		want string
	}{
		{"Sooner", c(54, 66), "On-time handoffs reached first value 12 days sooner than late ones (−18%)."},
		{"Later", c(70, 60), "On-time handoffs reached first value 10 days later than late ones (+17%)."},
		{"OneDay", c(59, 60), "On-time handoffs reached first value 1 day sooner than late ones (−2%)."},
		{"HalfDays", c(40.5, 60), "On-time handoffs reached first value 19.5 days sooner than late ones (−33%)."},
		{"Same", c(60, 60), "On-time handoffs reached first value no sooner than late ones (60 days each)."},
		// Less than half a percent says nothing a percentage could.
		{"TinyShareLeavesThePercentOut", c(399.5, 400), "On-time handoffs reached first value 0.5 days sooner than late ones."},
		// A late median of 0 days has no share to take.
		{"NoShareOfZero", c(3, 0), "On-time handoffs reached first value 3 days later than late ones."},
		{"TooFewOnTime", Comparison{InTime: Median{Value: 10, N: 4}, Late: Median{Value: 90, N: 30}},
			"Not enough data to compare: each group needs at least 5 accounts."},
		{"TooFewLate", Comparison{InTime: Median{Value: 10, N: 30}},
			"Not enough data to compare: each group needs at least 5 accounts."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Words("On-time handoffs", "late ones"); got != tc.want {
				t.Errorf("Words = %q\n          want %q", got, tc.want)
			}
		})
	}
}

func TestBuildFirstValue(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	row := func(sub, lock *bool, days, n int) postgres.FirstValueTime {
		return postgres.FirstValueTime{HandoffOnTime: sub, LockedInTime: lock, Days: days, Packs: n}
	}
	rows := []postgres.FirstValueTime{
		row(&yes, &yes, 50, 3),
		row(&yes, &no, 70, 2),
		row(&no, &no, 110, 4),
		row(&no, &yes, handoff.DebtDays, 1),  // exactly the limit: not debt
		row(&no, nil, handoff.DebtDays+1, 1), // one day past it; lock clock still running
		row(nil, &yes, 30, 1),                // pack clock undecided
		row(&yes, &yes, 50, 0),               // an empty count changes nothing
	}
	since, today := deadline.NewDay(2026, 8, 27), deadline.NewDay(2026, 11, 25)
	rep := BuildFirstValue(rows, since, today)
	want := FirstValueReport{
		Since: since, Today: today,
		// 30, 50×3, 70×2, 110×4, 120, 121: the 6th and 7th of 12 are 70 and 110.
		All:        Median{Value: 90, N: 12},
		WithinDebt: 11,
		Handoff: Comparison{
			InTime: Median{Value: 50, N: 5},  // 50, 50, 50, 70, 70
			Late:   Median{Value: 110, N: 6}, // 110×4, 120, 121
		},
		Lock: Comparison{
			InTime: Median{Value: 50, N: 5},  // 30, 50×3, 120
			Late:   Median{Value: 110, N: 6}, // 70×2, 110×4
		},
		HandoffUndecided: 1,
		LockUndecided:    1,
	}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("BuildFirstValue =\n%+v\nwant\n%+v", rep, want)
	}
	if !rep.Handoff.Enough() || rep.Handoff.Words("On-time handoffs", "late ones") != "On-time handoffs reached first value 60 days sooner than late ones (−55%)." {
		t.Errorf("handoff words = %q", rep.Handoff.Words("On-time handoffs", "late ones"))
	}
	if got := BuildFirstValue(nil, since, today); got.All.N != 0 || got.Handoff.Enough() || got.Lock.Enough() {
		t.Errorf("no rows = %+v", got)
	}
}

func TestDebtCutoffIsMoreThanDebtDays(t *testing.T) {
	t.Parallel()
	today := deadline.NewDay(2026, 11, 25)
	cutoff := DebtCutoff(today)
	for _, tc := range []struct {
		ago  int
		debt bool
	}{{0, false}, {handoff.DebtDays - 1, false}, {handoff.DebtDays, false}, {handoff.DebtDays + 1, true}, {400, true}} {
		won := today.AddDays(-tc.ago)
		if got := won.Before(cutoff); got != tc.debt {
			t.Errorf("won %d days ago (%s), cutoff %s: debt = %v, want %v", tc.ago, won, cutoff, got, tc.debt)
		}
	}
}

func TestMonths(t *testing.T) {
	t.Parallel()
	d := deadline.NewDay
	for _, tc := range []struct {
		since, today deadline.Day
		want         []deadline.Day
	}{
		{d(2026, 10, 26), d(2026, 11, 25), []deadline.Day{d(2026, 10, 1), d(2026, 11, 1)}},
		{d(2026, 11, 1), d(2026, 11, 1), []deadline.Day{d(2026, 11, 1)}},
		{d(2026, 11, 30), d(2027, 2, 1), []deadline.Day{d(2026, 11, 1), d(2026, 12, 1), d(2027, 1, 1), d(2027, 2, 1)}},
	} {
		if got := Months(tc.since, tc.today); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Months(%s, %s) = %v, want %v", tc.since, tc.today, got, tc.want)
		}
	}
}

func TestBuildDebt(t *testing.T) {
	t.Parallel()
	month := func(s string) *time.Time { return ptr(day(s)) }
	since, today := deadline.NewDay(2026, 5, 29), deadline.NewDay(2026, 11, 25)
	rows := []postgres.BookedARR{
		// Won in June, first value in August.
		{Currency: "USD", WonOn: day("2026-06-10"), ValueMonth: month("2026-08-01"), ARRMinor: 100_00, Deals: 1},
		// Won 2026-06-30 with no first value: more than 120 days on 10-31
		// (123 days), not on 10-28; so debt from October's end.
		{Currency: "USD", WonOn: day("2026-06-30"), ARRMinor: 50_00, Deals: 2},
		// Won in July, first value in November: debt at no month end
		// (July 3 + 120 = October 31, exactly the limit on 10-31).
		{Currency: "USD", WonOn: day("2026-07-03"), ValueMonth: month("2026-11-01"), ARRMinor: 20_00, Deals: 1},
		// Won in November, no first value: booked only.
		{Currency: "USD", WonOn: day("2026-11-20"), ARRMinor: 7_00, Deals: 1},
		// Euros: fewer deals, so left out of the chart but in the CSV.
		{Currency: "EUR", WonOn: day("2026-09-01"), ValueMonth: month("2026-10-01"), ARRMinor: 900_00, Deals: 1},
	}
	rep := BuildDebt(rows, since, today)
	if rep.Currency != "USD" || !reflect.DeepEqual(rep.Others, []CurrencyDeals{{Currency: "EUR", Deals: 1, ARR: 900_00}}) {
		t.Fatalf("currency %q, others %+v", rep.Currency, rep.Others)
	}
	type fig struct {
		asOf                   string
		booked, reached, debt  int64
		deals, reachedN, debtN int
	}
	want := []fig{
		{"2026-05-31", 0, 0, 0, 0, 0, 0},
		{"2026-06-30", 150_00, 0, 0, 3, 0, 0},
		{"2026-07-31", 170_00, 0, 0, 4, 0, 0},
		{"2026-08-31", 170_00, 100_00, 0, 4, 1, 0},
		{"2026-09-30", 170_00, 100_00, 0, 4, 1, 0},
		{"2026-10-31", 170_00, 100_00, 50_00, 4, 1, 2},
		{"2026-11-25", 177_00, 120_00, 50_00, 5, 2, 2}, // this month counts to today
	}
	if len(rep.Months) != len(want) {
		t.Fatalf("months = %+v", rep.Months)
	}
	for i, w := range want {
		m := rep.Months[i]
		got := fig{m.AsOf.String(), m.Booked, m.Reached, m.Debt, m.Deals, m.ReachedDeals, m.DebtDeals}
		if got != w {
			t.Errorf("month %s = %+v, want %+v", m.Month, got, w)
		}
		if m.NotYet() != w.booked-w.reached {
			t.Errorf("month %s: not yet %d", m.Month, m.NotYet())
		}
	}
	// The CSV's rows: every currency each month, by name.
	if len(rep.All) != 2*len(want) || rep.All[0].Currency != "EUR" || rep.All[1].Currency != "USD" {
		t.Errorf("all = %+v", rep.All)
	}
	if eur := rep.All[2*4]; eur.AsOf.String() != "2026-09-30" || eur.Booked != 900_00 || eur.Reached != 0 {
		t.Errorf("EUR in September = %+v", eur)
	}
	if eur := rep.All[2*5]; eur.Booked != 900_00 || eur.Reached != 900_00 {
		t.Errorf("EUR in October = %+v", eur)
	}

	t.Run("MostDealsNotMostMoney", func(t *testing.T) {
		rep := BuildDebt([]postgres.BookedARR{
			{Currency: "JPY", WonOn: day("2026-11-02"), ARRMinor: 1_000_000_00, Deals: 1},
			{Currency: "GBP", WonOn: day("2026-11-02"), ARRMinor: 10_00, Deals: 2},
			{Currency: "CHF", WonOn: day("2026-11-03"), ARRMinor: 10_00, Deals: 2},
		}, since, today)
		if rep.Currency != "CHF" || len(rep.Others) != 2 || rep.Others[0].Currency != "GBP" {
			t.Errorf("currency %q others %+v; want CHF (tie with GBP, by name), then GBP, JPY", rep.Currency, rep.Others)
		}
	})
	t.Run("NoDeals", func(t *testing.T) {
		if rep := BuildDebt(nil, since, today); rep.Currency != "" || rep.Months != nil || rep.All != nil {
			t.Errorf("no rows = %+v", rep)
		}
	})
}
