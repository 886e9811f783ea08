package deadline

import (
	"math/rand/v2"
	"testing"
	"time"
)

// propertyCalendars are the calendars the property and fuzz tests draw from:
// no holidays, one country, several countries with a shutdown.
func propertyCalendars(t testing.TB) []*Calendar {
	t.Helper()
	return []*Calendar{
		newCalendar(t, "UTC", nil, nil),
		newCalendar(t, "America/New_York", []string{"US"}, nil),
		newCalendar(t, "Europe/London", []string{"GB"}, nil),
		newCalendar(t, "Australia/Sydney", []string{"AU"}, nil),
		newCalendar(t, "Europe/Berlin", []string{"US", "GB", "DE", "FR"}, yearEndShutdown),
	}
}

var (
	propertyFirst = NewDay(2020, time.January, 1)
	propertySpan  = propertyFirst.DaysUntil(NewDay(2036, time.January, 1)) // 2020–2035
)

// checkAddBusinessDays asserts what AddBusinessDays promises, independently of
// how it loops: the due day is a business day n business days after start,
// and no business day strictly between them was skipped.
func checkAddBusinessDays(t *testing.T, c *Calendar, start Day, n int) {
	t.Helper()
	due := c.AddBusinessDays(start, n)
	if !due.After(start) {
		t.Fatalf("AddBusinessDays(%s, %d) = %s, not after start", start, n, due)
	}
	if ok, reason := c.IsBusinessDay(due); !ok {
		t.Fatalf("AddBusinessDays(%s, %d) = %s, which is not a business day (%s)", start, n, due, reason)
	}
	if got := c.BusinessDaysBetween(start, due); got != n {
		t.Fatalf("BusinessDaysBetween(%s, %s) = %d, want %d", start, due, got, n)
	}
	if got := c.BusinessDaysBetween(due, start); got != -n {
		t.Fatalf("BusinessDaysBetween(%s, %s) = %d, want %d", due, start, got, -n)
	}
	counted := 0
	for d := start.AddDays(1); d.Before(due); d = d.AddDays(1) {
		if ok, _ := c.IsBusinessDay(d); ok {
			counted++
		}
	}
	if counted != n-1 {
		t.Fatalf("%d business days lie strictly between %s and %s, want %d: one was skipped", counted, start, due, n-1)
	}
	e := c.Explain(Rule{Kind: KindPack, Days: n, Business: true}, start)
	if e.Due != due || len(e.Steps) != start.DaysUntil(due) {
		t.Fatalf("Explain due %s with %d steps, want %s with %d", e.Due, len(e.Steps), due, start.DaysUntil(due))
	}
	for i, s := range e.Steps {
		ok, reason := c.IsBusinessDay(s.Day)
		if s.Counted != ok || s.Reason != reason {
			t.Fatalf("Explain step %d %+v disagrees with IsBusinessDay = %v, %q", i, s, ok, reason)
		}
	}
}

func TestAddBusinessDaysProperties(t *testing.T) {
	t.Parallel()
	cals := propertyCalendars(t)
	r := rand.New(rand.NewPCG(2026, 1125))
	for i := 0; i < 4000; i++ {
		c := cals[r.IntN(len(cals))]
		start := propertyFirst.AddDays(r.IntN(propertySpan))
		checkAddBusinessDays(t, c, start, 1+r.IntN(30))
	}
}

func FuzzAddBusinessDays(f *testing.F) {
	cals := propertyCalendars(f)
	f.Add(uint8(1), uint16(propertyFirst.DaysUntil(d("2026-11-25"))), uint8(4))  // Thanksgiving, n=5
	f.Add(uint8(4), uint16(propertyFirst.DaysUntil(d("2026-12-22"))), uint8(4))  // year-end shutdown
	f.Add(uint8(2), uint16(propertyFirst.DaysUntil(d("2027-12-23"))), uint8(2))  // GB substitute days
	f.Add(uint8(1), uint16(propertyFirst.DaysUntil(d("2027-12-30"))), uint8(0))  // New Year observed in December
	f.Add(uint8(3), uint16(propertyFirst.DaysUntil(d("2035-12-31"))), uint8(29)) // last day of the range
	f.Fuzz(func(t *testing.T, cal uint8, offset uint16, n uint8) {
		c := cals[int(cal)%len(cals)]
		start := propertyFirst.AddDays(int(offset) % propertySpan)
		checkAddBusinessDays(t, c, start, 1+int(n)%30)
	})
}

// BenchmarkEvaluate measures one dashboard cell: a clock evaluated against a
// shared, warm calendar. It should not allocate.
func BenchmarkEvaluate(b *testing.B) {
	c := newCalendar(b, "America/New_York", []string{"US", "GB"}, yearEndShutdown)
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	rules := []Rule{PackRule(5), KickoffRule(5), LockRule(30)}
	starts := make([]Day, 256)
	for i := range starts {
		starts[i] = d("2026-09-01").AddDays(i / 2)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Evaluate(rules[i%3], starts[i%len(starts)], Day{}, now)
		i++
	}
}

// BenchmarkEvaluateParallel is the same under many concurrent requests, to show
// the lock-free cache read does not contend.
func BenchmarkEvaluateParallel(b *testing.B) {
	c := newCalendar(b, "America/New_York", []string{"US", "GB"}, yearEndShutdown)
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	start := d("2026-11-25")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Evaluate(PackRule(5), start, Day{}, now)
		}
	})
}

// BenchmarkRelative measures the words beside each date, which do allocate
// their string.
func BenchmarkRelative(b *testing.B) {
	c := newCalendar(b, "America/New_York", []string{"US"}, nil)
	now := time.Date(2026, 12, 8, 15, 0, 0, 0, time.UTC)
	cl := c.Evaluate(PackRule(5), d("2026-11-25"), Day{}, now)
	b.ReportAllocs()
	for b.Loop() {
		c.Relative(cl, now)
	}
}
