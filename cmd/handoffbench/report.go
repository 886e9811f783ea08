package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// maxErrorRate fails a scenario: above it the figures measure error pages.
const maxErrorRate = 0.01

// targetRSSMB is the server memory target (issue 6).
const targetRSSMB = 150

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

// printResults prints the table (Markdown, so it pastes into
// docs/performance.md) and returns the scenarios that failed on errors.
func printResults(out io.Writer, results []result, conns int) (failed []result) {
	fmt.Fprintf(out, "| scenario (%d connections) | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req: server · PostgreSQL · bench | server RSS MB | target |\n", conns)
	fmt.Fprintln(out, "|---|--:|--:|--:|--:|--:|--:|--:|---|")
	for _, r := range results {
		var goals []string
		if r.target.minRPS > 0 {
			goals = append(goals, fmt.Sprintf("≥ %.0f req/s %s", r.target.minRPS, mark(r.rps >= r.target.minRPS)))
		}
		if r.target.maxP99ms > 0 {
			goals = append(goals, fmt.Sprintf("p99 ≤ %.0f ms %s", r.target.maxP99ms, mark(ms(r.p99) <= r.target.maxP99ms)))
		}
		if len(goals) == 0 {
			goals = append(goals, "— (ceiling)")
		}
		errs := strconv.Itoa(r.errors)
		if r.errors > 0 {
			errs = fmt.Sprintf("%d (%.2f%%)", r.errors, 100*r.errorRate())
		}
		if r.errorRate() > maxErrorRate || r.requests == 0 {
			failed = append(failed, r)
			errs += " FAIL"
		}
		cpu, rss := "—", "—"
		if n := r.requests + r.errors; r.usage.ok && n > 0 {
			per := func(d time.Duration) float64 { return ms(d) / float64(n) }
			cpu = fmt.Sprintf("%.2f · %.2f · %.2f", per(r.usage.server), per(r.usage.postgres), per(r.usage.client))
			rss = fmt.Sprintf("%.0f", mb(r.usage.peakRSSKB))
		}
		fmt.Fprintf(out, "| %s | %.0f | %.2f | %.2f | %.2f | %s | %s | %s | %s |\n",
			r.name, r.rps, ms(r.p50), ms(r.p95), ms(r.p99), errs, cpu, rss, strings.Join(goals, ", "))
	}
	for _, r := range failed {
		fmt.Fprintf(out, "\n%s: first error: %s\n", r.name, r.firstError)
	}
	return failed
}

// printMemory prints the server's resident memory: now, the peak sampled
// while under load, and the kernel's high-water mark over the whole process
// life (start, migrations and logins included).
func printMemory(out io.Writer, pid int, sampledPeakKB int64) {
	if pid <= 0 {
		fmt.Fprintln(out, "\nserver RSS: not measured (no -pid)")
		return
	}
	st, err := procStatus(pid)
	if err != nil {
		fmt.Fprintf(out, "\nserver RSS: %v\n", err)
		return
	}
	hwm := st["VmHWM"]
	fmt.Fprintf(out, "\nserver RSS (pid %d): %.1f MB now, %.1f MB peak sampled under load, VmHWM %.1f MB (target ≤ %d MB %s)\n",
		pid, mb(st["VmRSS"]), mb(sampledPeakKB), mb(hwm), targetRSSMB, mark(hwm <= targetRSSMB*1024))
}

func mb(kb int64) float64 { return float64(kb) / 1024 }

// procStatus reads the kB fields of /proc/PID/status.
func procStatus(pid int) (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, fmt.Errorf("read server memory: %w", err)
	}
	defer f.Close()
	st := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 2 && fields[1] == "kB" {
			if n, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
				st[k] = n
			}
		}
	}
	return st, sc.Err()
}
