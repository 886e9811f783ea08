package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// A scenario is one page under load: worker i gets its own request function,
// bound to its own logged-in client.
type scenario struct {
	name    string
	ceiling bool // the trivial handler every other scenario's share is measured against
	target  target
	worker  func(i int) requestFunc
}

// requestFunc performs one request and reports an error for a transport
// failure or an unexpected status.
type requestFunc func(ctx context.Context) error

// target is what docs/performance.md asks of a scenario; zero fields are not
// targeted. Throughput is a share of the same run's healthz req/s, not an
// absolute figure: the shared machine's speed moves 2–3× between runs, the
// ratio of a page to the trivial handler much less.
type target struct {
	minShare float64 // of healthz req/s: 0.025 is 2.5%
	maxP99ms float64
}

// result is one scenario's measurements.
type result struct {
	name       string
	ceiling    bool
	target     target
	requests   int // successful requests in the measured window
	errors     int
	firstError string
	elapsed    time.Duration
	rps        float64
	p50        time.Duration
	p95        time.Duration
	p99        time.Duration
	usage      usage
}

func (r result) errorRate() float64 {
	if n := r.requests + r.errors; n > 0 {
		return float64(r.errors) / float64(n)
	}
	return 0
}

type workerStats struct {
	latencies []time.Duration
	errors    int
	firstErr  error
	lastDone  time.Time
}

// runScenario runs every worker in a closed loop (a new request as soon as
// the previous one is answered) for warmup, unmeasured, then for d, recording
// the latency of each request started in the measured window.
func runScenario(ctx context.Context, sc scenario, workers int, warmup, d time.Duration, pr *probe) result {
	start := time.Now()
	window := time.AfterFunc(warmup, pr.begin)
	measureFrom := start.Add(warmup)
	end := measureFrom.Add(d)
	stats := make([]workerStats, workers)
	var wg sync.WaitGroup
	for i := range workers {
		send := sc.worker(i)
		st := &stats[i]
		st.latencies = make([]time.Duration, 0, 1<<15)
		wg.Go(func() {
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(end) {
					return
				}
				err := send(ctx)
				t1 := time.Now()
				if t0.Before(measureFrom) {
					continue
				}
				st.lastDone = t1
				if err != nil {
					st.errors++
					if st.firstErr == nil {
						st.firstErr = err
					}
					continue
				}
				st.latencies = append(st.latencies, t1.Sub(t0))
			}
		})
	}
	wg.Wait()
	window.Stop()

	r := result{name: sc.name, ceiling: sc.ceiling, target: sc.target, usage: pr.end()}
	var all []time.Duration
	last := end
	for _, st := range stats {
		all = append(all, st.latencies...)
		r.errors += st.errors
		if st.firstErr != nil && r.firstError == "" {
			r.firstError = st.firstErr.Error()
		}
		if st.lastDone.After(last) {
			last = st.lastDone
		}
	}
	r.requests = len(all)
	r.elapsed = last.Sub(measureFrom)
	r.rps = float64(r.requests) / r.elapsed.Seconds()
	slices.Sort(all)
	r.p50, r.p95, r.p99 = percentile(all, 50), percentile(all, 95), percentile(all, 99)
	return r
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(float64(len(sorted))*p/100)) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// newClient is one simulated person: its own cookie jar and connection pool,
// keep-alives on, redirects not followed (a 303 is the answer we measure).
func newClient(workers int) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar: jar,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        workers * 4,
			MaxIdleConnsPerHost: workers * 4,
			IdleConnTimeout:     90 * time.Second,
		},
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// do sends req and reads the whole response into buf. The request asks for
// gzip as a browser does, so the server pays for compression as in real use,
// and the body stays compressed here unless the caller decodes it (the load
// generator shares the CPUs with the server, so it does as little as it can).
func do(c *http.Client, req *http.Request, buf *bytes.Buffer) (*http.Response, error) {
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return resp, fmt.Errorf("%s %s: read body: %w", req.Method, req.URL.Path, err)
	}
	return resp, nil
}

// decoded returns the body of resp held in buf, gunzipped if it was sent so.
func decoded(resp *http.Response, buf *bytes.Buffer) (string, error) {
	if !strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		return buf.String(), nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(zr)
	return string(b), err
}

// statusError describes an unexpected answer.
func statusError(req *http.Request, resp *http.Response) error {
	return fmt.Errorf("%s %s: status %d", req.Method, req.URL.RequestURI(), resp.StatusCode)
}

// getter is a scenario worker that GETs paths (cycling through them, from an
// offset so workers spread over them) and expects 200.
func getter(c *http.Client, base string, paths []string, offset int) requestFunc {
	var buf bytes.Buffer
	n := offset
	return func(ctx context.Context) error {
		path := paths[n%len(paths)]
		n++
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return err
		}
		resp, err := do(c, req, &buf)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return statusError(req, resp)
		}
		return nil
	}
}

// waitReady polls /readyz until the server answers 200, giving up after wait
// or as soon as the server process (when pid is known) is gone.
func waitReady(ctx context.Context, base string, pid int, wait time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(wait)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if err != nil {
			return err
		}
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if pid > 0 {
			if _, serr := os.Stat(fmt.Sprintf("/proc/%d", pid)); serr != nil {
				return fmt.Errorf("server process %d exited before it was ready", pid)
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/readyz not ready after %s (last error: %v)", base, wait, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
