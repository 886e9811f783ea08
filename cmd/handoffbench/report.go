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

// targetRSSMB is the server memory target, over the process's whole life.
const targetRSSMB = 150

// maxP99Growth is how far a page's p99 may grow against the baseline run (the
// 1,000,000-deal run against the 100,000-deal one): under 2×.
const maxP99Growth = 2.0

// outcome is how a goal or a target fared. notJudged means what it needs was
// not measured: no healthz in the run, no -pid, no baseline figure.
type outcome int

const (
	notJudged outcome = iota
	met
	missed
)

func (o outcome) mark() string {
	switch o {
	case met:
		return "✓"
	case missed:
		return "✗"
	}
	return "?"
}

// and combines the goals of one target: any miss misses it, and it is met
// only when every goal was judged and met.
func (o outcome) and(p outcome) outcome {
	switch {
	case o == missed || p == missed:
		return missed
	case o == notJudged || p == notJudged:
		return notJudged
	}
	return met
}

func judged(ok bool) outcome {
	if ok {
		return met
	}
	return missed
}

func mark(ok bool) string { return judged(ok).mark() }

// shareOf is rps as a fraction of the ceiling's req/s. It cannot be judged
// when the ceiling did not run (-run excluded it) or measured nothing usable.
func shareOf(rps, ceilingRPS float64) (float64, bool) {
	if ceilingRPS <= 0 {
		return 0, false
	}
	return rps / ceilingRPS, true
}

// percent prints a target share as written in docs/performance.md: 2.5%, 4%.
func percent(share float64) string {
	return strconv.FormatFloat(100*share, 'f', -1, 64) + "%"
}

func (t target) set() bool { return t.minShare > 0 || t.maxP99ms > 0 }

// judge returns the target column ("≥ 2.5% ✓, p99 ≤ 50 ms ✗") and whether
// the target as a whole was met. Error pages are fast, so a scenario that
// failed on errors misses its target whatever its figures.
func (t target) judge(share float64, shareOK bool, p99 time.Duration, failed bool) (string, outcome) {
	if !t.set() {
		return "— (ceiling)", notJudged
	}
	var goals []string
	o := met
	if t.minShare > 0 {
		g := notJudged
		if shareOK {
			g = judged(share >= t.minShare)
		}
		text := fmt.Sprintf("≥ %s %s", percent(t.minShare), g.mark())
		if g == notJudged {
			text += " (no healthz)"
		}
		goals, o = append(goals, text), o.and(g)
	}
	if t.maxP99ms > 0 {
		g := judged(ms(p99) <= t.maxP99ms)
		goals, o = append(goals, fmt.Sprintf("p99 ≤ %s ms %s", strconv.FormatFloat(t.maxP99ms, 'f', -1, 64), g.mark())), o.and(g)
	}
	if failed {
		goals, o = append(goals, fmt.Sprintf("errors ≤ %s %s", percent(maxErrorRate), missed.mark())), missed
	}
	return strings.Join(goals, ", "), o
}

// growth compares a p99 with the baseline run's: met when under maxP99Growth
// times it.
func growth(p99ms, baseP99ms float64) (ratio float64, o outcome) {
	if baseP99ms <= 0 {
		return 0, notJudged
	}
	return p99ms / baseP99ms, judged(p99ms < maxP99Growth*baseP99ms)
}

// row is one scenario as the table and the JSON file report it.
type row struct {
	result
	failed  bool // more than maxErrorRate errors, or no request at all
	share   float64
	shareOK bool
	goals   string
	outcome outcome // of its target; notJudged for the ceiling

	base     *fileScenario // the baseline's figures for the same scenario, if any
	ratio    float64       // p99 over the baseline's
	vsBase   outcome
	baseNote string
}

// assess judges every result against its target and, when base is not nil,
// its p99 against the baseline run's.
func assess(results []result, base *benchFile) []row {
	var ceiling float64
	for _, r := range results {
		if r.ceiling && r.requests > 0 && r.errorRate() <= maxErrorRate {
			ceiling = r.rps
		}
	}
	rows := make([]row, len(results))
	for i, r := range results {
		w := row{result: r, failed: r.errorRate() > maxErrorRate || r.requests == 0}
		w.share, w.shareOK = shareOf(r.rps, ceiling)
		w.goals, w.outcome = r.target.judge(w.share, w.shareOK, r.p99, w.failed)
		if base != nil {
			w.base = base.scenario(r.name)
			if w.base == nil {
				w.baseNote = "— (not in baseline)"
			} else {
				w.ratio, w.vsBase = growth(ms(r.p99), w.base.P99ms)
				w.baseNote = fmt.Sprintf("%.2f× of %.1f ms", w.ratio, w.base.P99ms)
				if w.vsBase == notJudged {
					w.baseNote = "— (baseline p99 is 0)"
				} else if r.target.set() {
					w.baseNote += " " + w.vsBase.mark()
				}
			}
		}
		rows[i] = w
	}
	return rows
}

// printResults prints the table (Markdown, so it pastes into
// docs/performance.md) and returns the scenarios that failed on errors.
func printResults(out io.Writer, rows []row, conns int, withBase bool) (failed []row) {
	head := fmt.Sprintf("| scenario (%d connections) | req/s | share of healthz | p50 ms | p95 ms | p99 ms | errors | CPU ms/req: server · PostgreSQL · bench | server RSS MB | target |", conns)
	rule := "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"
	if withBase {
		head, rule = head+" p99 vs baseline |", rule+"---|"
	}
	fmt.Fprintln(out, head)
	fmt.Fprintln(out, rule)
	noCeiling := false
	for _, r := range rows {
		share := "—"
		if r.shareOK {
			share = fmt.Sprintf("%.2f%%", 100*r.share)
		} else if r.target.minShare > 0 {
			noCeiling = true
		}
		errs := strconv.Itoa(r.errors)
		if r.errors > 0 {
			errs = fmt.Sprintf("%d (%.2f%%)", r.errors, 100*r.errorRate())
		}
		if r.failed {
			failed = append(failed, r)
			errs += " FAIL"
		}
		cpu, rss := "—", "—"
		if c, ok := r.cpuPerRequest(); ok {
			cpu = fmt.Sprintf("%.2f · %.2f · %.2f", c.Server, c.Postgres, c.Bench)
			rss = fmt.Sprintf("%.0f", mb(r.usage.peakRSSKB))
		}
		line := fmt.Sprintf("| %s | %.0f | %s | %.2f | %.2f | %.2f | %s | %s | %s | %s |",
			r.name, r.rps, share, ms(r.p50), ms(r.p95), ms(r.p99), errs, cpu, rss, r.goals)
		if withBase {
			line += " " + r.baseNote + " |"
		}
		fmt.Fprintln(out, line)
	}
	if noCeiling {
		fmt.Fprintln(out, "\nshare of healthz: cannot be judged, healthz (ceiling) did not run (or failed) in this run; -run must select it")
	}
	for _, r := range failed {
		fmt.Fprintf(out, "\n%s: first error: %s\n", r.name, r.firstError)
	}
	return failed
}

// cpuPerRequest is the scenario's CPU time per request, in ms, of the server,
// PostgreSQL and this load generator.
func (r result) cpuPerRequest() (fileCPU, bool) {
	n := r.requests + r.errors
	if !r.usage.ok || n == 0 {
		return fileCPU{}, false
	}
	per := func(d time.Duration) float64 { return ms(d) / float64(n) }
	return fileCPU{Server: per(r.usage.server), Postgres: per(r.usage.postgres), Bench: per(r.usage.client)}, true
}

// memory is the server's resident memory in kB: now, the peak sampled while
// under load, and the kernel's high-water mark over the whole process life
// (start, migrations and logins included), which the target is judged on.
type memory struct {
	ok                 bool
	err                error
	nowKB, peakKB, hwm int64
}

func readMemory(pid int, sampledPeakKB int64) memory {
	if pid <= 0 {
		return memory{}
	}
	st, err := procStatus(pid)
	if err != nil {
		return memory{err: err}
	}
	return memory{ok: true, nowKB: st["VmRSS"], peakKB: sampledPeakKB, hwm: st["VmHWM"]}
}

func (m memory) outcome() outcome {
	if !m.ok {
		return notJudged
	}
	return judged(m.hwm <= targetRSSMB*1024)
}

func printMemory(out io.Writer, pid int, m memory) {
	switch {
	case m.err != nil:
		fmt.Fprintf(out, "\nserver RSS: %v\n", m.err)
	case !m.ok:
		fmt.Fprintln(out, "\nserver RSS: not measured (no -pid)")
	default:
		fmt.Fprintf(out, "\nserver RSS (pid %d): %.1f MB now, %.1f MB peak sampled under load, VmHWM %.1f MB (target ≤ %d MB throughout %s)\n",
			pid, mb(m.nowKB), mb(m.peakKB), mb(m.hwm), targetRSSMB, m.outcome().mark())
	}
}

// tally counts the targets of docs/performance.md: one per scenario that has
// one, the server's memory, and with a baseline the growth of every p99.
type tally struct {
	met, total     int
	missed, unseen []string
}

func tallyTargets(rows []row, mem memory, withBase bool) tally {
	var t tally
	add := func(name string, o outcome) {
		t.total++
		switch o {
		case met:
			t.met++
		case missed:
			t.missed = append(t.missed, name)
		default:
			t.unseen = append(t.unseen, name)
		}
	}
	grow := notJudged
	compared := false
	for _, r := range rows {
		if !r.target.set() {
			continue
		}
		add(r.name, r.outcome)
		if withBase {
			if compared {
				grow = grow.and(r.vsBase)
			} else {
				grow, compared = r.vsBase, true
			}
		}
	}
	add(fmt.Sprintf("server RSS ≤ %d MB", targetRSSMB), mem.outcome())
	if withBase {
		add(fmt.Sprintf("every p99 under %g× the baseline's", maxP99Growth), grow)
	}
	return t
}

// String is the final one-line verdict. Missed targets never fail the run:
// the machine is shared and noisy, so they are figures for the note.
func (t tally) String() string {
	s := fmt.Sprintf("targets: %d of %d met", t.met, t.total)
	if len(t.missed) > 0 {
		s += " — missed: " + strings.Join(t.missed, "; ")
	}
	if len(t.unseen) > 0 {
		s += " — not judged: " + strings.Join(t.unseen, "; ")
	}
	if len(t.missed) > 0 {
		s += " (a missed target does not fail the run)"
	}
	return s
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
