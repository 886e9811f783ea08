package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var overdueDesc = prometheus.NewDesc("handoff_overdue_packs",
	"Packs whose clock is past its due date, by clock and by the role it waits on.", []string{"clock", "waiting_on"}, nil)

// overdueCollector asks the database at scrape time, so the gauge is as fresh
// as the scrape and no goroutine polls between scrapes.
type overdueCollector struct {
	fn      OverdueFunc
	timeout time.Duration
	log     *slog.Logger
}

func (c *overdueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- overdueDesc }

// Collect reports nothing on error: a missing series says "unknown", where a
// failed scrape would also hide the HTTP and pool metrics, and a zero would
// lie.
func (c *overdueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	counts, err := c.fn(ctx)
	if err != nil {
		c.log.Warn("metrics: overdue packs", "err", err)
		return
	}
	for lane, n := range counts {
		ch <- prometheus.MustNewConstMetric(overdueDesc, prometheus.GaugeValue, float64(n), string(lane.Kind), string(lane.Owner))
	}
}
