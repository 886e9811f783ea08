package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
)

// Money formats an amount as "USD 25,000.00", or "JPY 30,000" for a
// currency with no minor unit.
func Money(m handoff.Money) string {
	neg := m.Minor < 0
	v := m.Minor
	if neg {
		v = -v
	}
	whole, cents := v/100, v%100
	s := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := m.Currency + " " + b.String()
	if cents != 0 || handoff.Decimals(m.Currency) > 0 {
		out += "." + strconv.FormatInt(cents/10, 10) + strconv.FormatInt(cents%10, 10)
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Thresholds lists the approval thresholds as "EUR 20,000.00 · USD
// 25,000.00", or says there are none.
func Thresholds(t handoff.Thresholds) string {
	if len(t) == 0 {
		return "none set"
	}
	parts := make([]string, len(t))
	for i, m := range t {
		parts[i] = Money(m)
	}
	return strings.Join(parts, " · ")
}

// Date formats a day as 2026-12-01, the form every date takes in Handoff.
func Date(t time.Time) string { return t.Format("2006-01-02") }

// DateTime formats a moment in UTC to the minute.
func DateTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

type locationKey struct{}

// WithLocation carries the org's time zone to the templates rendered with ctx.
func WithLocation(ctx context.Context, loc *time.Location) context.Context {
	return context.WithValue(ctx, locationKey{}, loc)
}

// When formats a moment to the minute in the org's time zone carried by ctx
// ("2026-11-25 11:52 EST"), or in UTC when none is.
func When(ctx context.Context, t time.Time) string {
	if loc, ok := ctx.Value(locationKey{}).(*time.Location); ok && loc != nil {
		return t.In(loc).Format("2006-01-02 15:04 MST")
	}
	return DateTime(t)
}
