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

// walkBusinessDays is BusinessDaysBetween by its definition, one day at a
// time: the reference the counting version must agree with.
func walkBusinessDays(c *Calendar, a, b Day) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if ok, _ := c.IsBusinessDay(d); ok {
			n++
		}
	}
	return sign * n
}

// randomCalendar is an org with a random zone, up to four holiday countries
// and up to forty company days off, some on weekends or holidays and some
// repeated, around the years the spans cover.
func randomCalendar(t *testing.T, r *rand.Rand) *Calendar {
	t.Helper()
	zones := []string{"UTC", "America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
		"Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "Pacific/Kiritimati", "America/St_Johns"}
	var countries []string
	for range r.IntN(5) {
		countries = append(countries, countrySpecs[r.IntN(len(countrySpecs))].Code)
	}
	var off []DayOff
	for range r.IntN(41) {
		off = append(off, DayOff{Day: NewDay(2017+r.IntN(22), time.January, 1).AddDays(r.IntN(366)), Name: "Off"})
	}
	if len(off) > 0 && r.IntN(2) == 0 {
		off = append(off, off[r.IntN(len(off))]) // the same day twice
	}
	return newCalendar(t, zones[r.IntN(len(zones))], countries, off)
}

// TestBusinessDaysBetweenCountsWhatAWalkCounts: counting by whole weeks and
// year tables gives exactly the day-by-day count, for random calendars and
// spans from none to decades, either way round, across year ends.
func TestBusinessDaysBetweenCountsWhatAWalkCounts(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(2026, 1130))
	for range 300 {
		c := randomCalendar(t, r)
		for range 40 {
			a := NewDay(2018, time.January, 1).AddDays(r.IntN(20 * 366))
			var span int
			switch r.IntN(4) {
			case 0:
				span = r.IntN(15) // within a week or two
			case 1:
				span = r.IntN(800) // hundreds of days late
			case 2:
				y := NewDay(a.Year()+1, time.January, 1) // ending around a year end
				span = a.DaysUntil(y) - 3 + r.IntN(7)
			default:
				span = r.IntN(30 * 366) // decades: more years than the cache keeps
			}
			if r.IntN(2) == 0 {
				span = -span
			}
			b := a.AddDays(span)
			if got, want := c.BusinessDaysBetween(a, b), walkBusinessDays(c, a, b); got != want {
				t.Fatalf("%s %v: BusinessDaysBetween(%s, %s) = %d, a walk counts %d", c.Location(), c.Countries(), a, b, got, want)
			}
		}
	}
}

// BenchmarkLateByMonths is a clock months overdue, as the Overdue page and
// the homes phrase it.
func BenchmarkLateByMonths(b *testing.B) {
	c := newCalendar(b, "America/New_York", []string{"US", "GB"}, yearEndShutdown)
	now := time.Date(2027, 9, 2, 15, 0, 0, 0, time.UTC)
	cl := c.Evaluate(PackRule(5), d("2026-03-02"), Day{}, now)
	b.ReportAllocs()
	for b.Loop() {
		c.Late(cl, now)
	}
}
