package metrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// poolCollector reads pool.Stat() at scrape time: the numbers are already
// kept by pgxpool, so copying them on every request would be wasted work.
type poolCollector struct {
	pool *pgxpool.Pool
}

var (
	poolAcquired = prometheus.NewDesc("handoff_db_pool_acquired_conns",
		"Connections currently checked out of the pool.", nil, nil)
	poolIdle = prometheus.NewDesc("handoff_db_pool_idle_conns",
		"Idle connections in the pool.", nil, nil)
	poolConstructing = prometheus.NewDesc("handoff_db_pool_constructing_conns",
		"Connections being opened.", nil, nil)
	poolTotal = prometheus.NewDesc("handoff_db_pool_total_conns",
		"Connections in the pool (acquired, idle and constructing).", nil, nil)
	poolMax = prometheus.NewDesc("handoff_db_pool_max_conns",
		"Maximum size of the pool.", nil, nil)
	poolAcquires = prometheus.NewDesc("handoff_db_pool_acquires_total",
		"Successful connection acquires.", nil, nil)
	poolAcquireSeconds = prometheus.NewDesc("handoff_db_pool_acquire_duration_seconds_total",
		"Total time spent waiting for successful acquires.", nil, nil)
	poolEmptyAcquires = prometheus.NewDesc("handoff_db_pool_empty_acquires_total",
		"Acquires that had to wait because no idle connection was ready.", nil, nil)
	poolCanceledAcquires = prometheus.NewDesc("handoff_db_pool_canceled_acquires_total",
		"Acquires cancelled by their context.", nil, nil)
)

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolConstructing, poolTotal, poolMax,
		poolAcquires, poolAcquireSeconds, poolEmptyAcquires, poolCanceledAcquires} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquired, float64(s.AcquiredConns()))
	gauge(poolIdle, float64(s.IdleConns()))
	gauge(poolConstructing, float64(s.ConstructingConns()))
	gauge(poolTotal, float64(s.TotalConns()))
	gauge(poolMax, float64(s.MaxConns()))
	counter(poolAcquires, float64(s.AcquireCount()))
	counter(poolAcquireSeconds, s.AcquireDuration().Seconds())
	counter(poolEmptyAcquires, float64(s.EmptyAcquireCount()))
	counter(poolCanceledAcquires, float64(s.CanceledAcquireCount()))
}
