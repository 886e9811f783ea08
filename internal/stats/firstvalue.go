package stats

import (
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// First value on the stats page: whether the handoff pays off, measured on
// the org's own accounts. The product claims that a formal, on-time handoff
// reaches first value 22% faster, that go-live slips 45–60 days without the
// architecture lock, and that more than handoff.DebtDays from Closed-Won to
// first value is deployment debt. These are the figures that test it.

// MinGroup is the fewest accounts a median of time to first value is shown
// for: below it one odd account moves the figure, so the page says "Not
// enough data" instead of a number that looks like a finding.
const MinGroup = 5

// DayCount is N accounts that took Days calendar days.
type DayCount struct{ Days, N int }

// medianOf is the median of the days counted, each counted N times: the
// same figure median gives over the days written out one per account.
func medianOf(counts []DayCount) Median {
	s := make([]DayCount, 0, len(counts))
	n := 0
	for _, c := range counts {
		if c.N > 0 {
			s = append(s, c)
			n += c.N
		}
	}
	if n == 0 {
		return Median{}
	}
	sort.Slice(s, func(i, j int) bool { return s[i].Days < s[j].Days })
	// at is the k-th value (from 0) in the sorted list written out.
	at := func(k int) int {
		for _, c := range s {
			if k < c.N {
				return c.Days
			}
			k -= c.N
		}
		return s[len(s)-1].Days
	}
	if n%2 == 1 {
		return Median{Value: float64(at(n / 2)), N: n}
	}
	return Median{Value: float64(at(n/2-1)+at(n/2)) / 2, N: n}
}

// Enough reports whether the median is over at least MinGroup accounts.
func (m Median) Enough() bool { return m.N >= MinGroup }

// Comparison sets the median time to first value of the accounts whose clock
// was met (InTime) against those whose clock was not (Late).
type Comparison struct {
	InTime, Late Median
}

// Enough reports whether both groups are big enough to compare.
func (c Comparison) Enough() bool { return c.InTime.Enough() && c.Late.Enough() }

// Words says the difference as a person reads it: "On-time handoffs reached
// first value 12 days sooner than late ones (−18%)", the percentage taken of
// the late group's median. subject names the in-time group, others the late
// one. With too few accounts in either group there is no finding to state.
func (c Comparison) Words(subject, others string) string {
	if !c.Enough() {
		return "Not enough data to compare: each group needs at least " + strconv.Itoa(MinGroup) + " accounts."
	}
	d := c.InTime.Value - c.Late.Value
	if d == 0 {
		return subject + " reached first value no sooner than " + others + " (" + daysText(c.Late.Value) + " each)."
	}
	way := " sooner than "
	if d > 0 {
		way = " later than "
	}
	s := subject + " reached first value " + daysText(math.Abs(d)) + way + others
	if pct := signedPct(d, c.Late.Value); pct != "" {
		s += " (" + pct + ")"
	}
	return s + "."
}

// daysText is "1 day", "12 days" or "12.5 days" (a median of an even count
// may fall between two days).
func daysText(x float64) string {
	if x == 1 {
		return "1 day"
	}
	return strconv.FormatFloat(x, 'f', -1, 64) + " days"
}

// signedPct is d as a whole percentage of base with its sign ("−18%",
// "+7%"), the minus sign a typographic one; "" when base is 0 or it rounds
// to 0%, where a percentage would say nothing true.
func signedPct(d, base float64) string {
	if base == 0 {
		return ""
	}
	p := math.Round(100 * d / base)
	switch {
	case p < 0:
		return "−" + strconv.FormatFloat(-p, 'f', 0, 64) + "%"
	case p > 0:
		return "+" + strconv.FormatFloat(p, 'f', 0, 64) + "%"
	}
	return ""
}

// FirstValueReport is time to first value over a window: the accounts whose
// first value fell in it, however long ago they were won.
type FirstValueReport struct {
	Since, Today deadline.Day
	All          Median // every account, calendar days from Closed-Won to first value
	WithinDebt   int    // of All, those that took handoff.DebtDays or fewer
	// Handoff sets accounts whose pack was first submitted by its due day
	// against those submitted late; Lock those whose architecture was locked
	// by the lock clock's due day against those locked late or not at all
	// past it. An account whose clock is not decided yet is in neither.
	Handoff, Lock                   Comparison
	HandoffUndecided, LockUndecided int
}

// BuildFirstValue computes the report from rows, the histogram storage
// counts of the accounts that reached first value from since to today.
func BuildFirstValue(rows []postgres.FirstValueTime, since, today deadline.Day) FirstValueReport {
	rep := FirstValueReport{Since: since, Today: today}
	var all, subIn, subLate, lockIn, lockLate []DayCount
	for _, r := range rows {
		c := DayCount{Days: r.Days, N: r.Packs}
		all = append(all, c)
		if r.Days <= handoff.DebtDays {
			rep.WithinDebt += r.Packs
		}
		switch {
		case r.HandoffOnTime == nil:
			rep.HandoffUndecided += r.Packs
		case *r.HandoffOnTime:
			subIn = append(subIn, c)
		default:
			subLate = append(subLate, c)
		}
		switch {
		case r.LockedInTime == nil:
			rep.LockUndecided += r.Packs
		case *r.LockedInTime:
			lockIn = append(lockIn, c)
		default:
			lockLate = append(lockLate, c)
		}
	}
	rep.All = medianOf(all)
	rep.Handoff = Comparison{InTime: medianOf(subIn), Late: medianOf(subLate)}
	rep.Lock = Comparison{InTime: medianOf(lockIn), Late: medianOf(lockLate)}
	return rep
}

// DebtCutoff is the first Closed-Won day that is not yet deployment debt on
// today: an account won before it has gone more than handoff.DebtDays
// calendar days without first value (one won exactly DebtDays ago has not).
func DebtCutoff(today deadline.Day) deadline.Day { return today.AddDays(-handoff.DebtDays) }

// MonthARR is the ARR of one currency at the end of one month, cumulative
// over the deals won in the window up to then, in minor units.
type MonthARR struct {
	Month                          deadline.Day // the month's first day
	AsOf                           deadline.Day // the day it is counted at: the month's last, or today
	Currency                       string
	Booked                         int64 // won by AsOf
	Reached                        int64 // of those, first value by AsOf
	Debt                           int64 // of those, won more than handoff.DebtDays before AsOf with no first value by then
	Deals, ReachedDeals, DebtDeals int
}

// NotYet is the ARR booked that had not reached first value by AsOf.
func (m MonthARR) NotYet() int64 { return m.Booked - m.Reached }

// CurrencyDeals is one currency's deals in the window.
type CurrencyDeals struct {
	Currency string
	Deals    int
	ARR      int64
}

// DebtReport is booked ARR against ARR that reached first value, month by
// month over the deals won in the window. Amounts are never converted, so
// the chart shows one currency, the one most deals were won in, and names
// the others; the CSV has them all.
type DebtReport struct {
	Since, Today deadline.Day
	Currency     string          // the charted currency; "" when no deal was won in the window
	Months       []MonthARR      // the charted currency, oldest month first
	Others       []CurrencyDeals // the currencies left out of the chart, most deals first
	All          []MonthARR      // every currency, by month, then currency
}

// BuildDebt computes the report from rows (storage's BookedARRSince over the
// window from since) at today.
func BuildDebt(rows []postgres.BookedARR, since, today deadline.Day) DebtReport {
	rep := DebtReport{Since: since, Today: today}
	per := map[string]*CurrencyDeals{}
	for _, r := range rows {
		c := per[r.Currency]
		if c == nil {
			c = &CurrencyDeals{Currency: r.Currency}
			per[r.Currency] = c
		}
		c.Deals += r.Deals
		c.ARR += r.ARRMinor
	}
	var curs []CurrencyDeals
	for _, c := range per {
		curs = append(curs, *c)
	}
	// Most deals first; a tie goes to the alphabet, never to amounts in
	// different currencies.
	sort.Slice(curs, func(i, j int) bool {
		if curs[i].Deals != curs[j].Deals {
			return curs[i].Deals > curs[j].Deals
		}
		return curs[i].Currency < curs[j].Currency
	})
	if len(curs) == 0 {
		return rep
	}
	rep.Currency, rep.Others = curs[0].Currency, curs[1:]
	byName := make([]string, len(curs))
	for i, c := range curs {
		byName[i] = c.Currency
	}
	sort.Strings(byName)

	for _, month := range Months(since, today) {
		asOf := month.AddDays(daysInMonth(month) - 1)
		if asOf.After(today) {
			asOf = today
		}
		cutoff := DebtCutoff(asOf)
		for _, cur := range byName {
			m := MonthARR{Month: month, AsOf: asOf, Currency: cur}
			for _, r := range rows {
				won := deadline.DayOf(r.WonOn, time.UTC)
				if r.Currency != cur || won.After(asOf) {
					continue
				}
				m.Booked += r.ARRMinor
				m.Deals += r.Deals
				// A first value month at or before this one is on or
				// before AsOf: nobody records first value after today.
				reached := r.ValueMonth != nil && !deadline.DayOf(*r.ValueMonth, time.UTC).After(month)
				switch {
				case reached:
					m.Reached += r.ARRMinor
					m.ReachedDeals += r.Deals
				case won.Before(cutoff):
					m.Debt += r.ARRMinor
					m.DebtDeals += r.Deals
				}
			}
			rep.All = append(rep.All, m)
			if cur == rep.Currency {
				rep.Months = append(rep.Months, m)
			}
		}
	}
	return rep
}

// Months lists the first day of every month from since's to today's.
func Months(since, today deadline.Day) []deadline.Day {
	y, m, _ := since.Date()
	var out []deadline.Day
	for d := deadline.NewDay(y, m, 1); !d.After(today); d = d.AddDays(daysInMonth(d)) {
		out = append(out, d)
	}
	return out
}

// daysInMonth is the number of days in the month that starts on first.
func daysInMonth(first deadline.Day) int {
	y, m, _ := first.Date()
	return first.DaysUntil(deadline.NewDay(y, m+1, 1))
}
