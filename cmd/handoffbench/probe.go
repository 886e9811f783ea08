package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ, 100
// on every mainstream Linux).
const clockTick = 10 * time.Millisecond

// usage is what one scenario cost in its measured window: CPU time of the
// server process, of the local PostgreSQL processes and of this load
// generator, and the server's highest resident memory.
type usage struct {
	server, postgres, client time.Duration
	peakRSSKB                int64
	ok                       bool // the server's /proc entry was readable
}

// probe samples the server's memory all along and snapshots CPU time around
// each scenario's measured window. All three processes share the machine's
// CPUs, so the split says where a page's time goes.
type probe struct {
	pid  int
	db   string // the server's database: PostgreSQL backends of other databases are not counted
	done chan struct{}
	wg   sync.WaitGroup

	mu           sync.Mutex
	peakKB       int64 // over the whole run
	windowPeakKB int64 // since begin
	start        cpuTicks
}

type cpuTicks struct {
	server, client int64
	postgres       map[string]int64 // by pid
}

func newProbe(pid int, db string) *probe { return &probe{pid: pid, db: db, done: make(chan struct{})} }

// run samples VmRSS every interval until stop.
func (p *probe) run(every time.Duration) {
	if p.pid <= 0 {
		return
	}
	p.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			p.sample()
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	})
}

func (p *probe) sample() {
	st, err := procStatus(p.pid)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.peakKB = max(p.peakKB, st["VmRSS"])
	p.windowPeakKB = max(p.windowPeakKB, st["VmRSS"])
	p.mu.Unlock()
}

// begin starts a measured window.
func (p *probe) begin() {
	t := p.ticks()
	p.mu.Lock()
	p.start, p.windowPeakKB = t, 0
	p.mu.Unlock()
	p.sample()
}

// end closes the window and returns its usage.
func (p *probe) end() usage {
	if p.pid <= 0 {
		return usage{}
	}
	p.sample()
	t := p.ticks()
	p.mu.Lock()
	defer p.mu.Unlock()
	// A backend that started in the window counts whole; one that ended in
	// it is lost (the pool keeps its connections, so that is rare).
	var pg int64
	for pid, n := range t.postgres {
		pg += n - p.start.postgres[pid]
	}
	return usage{
		server:    time.Duration(t.server-p.start.server) * clockTick,
		postgres:  time.Duration(pg) * clockTick,
		client:    time.Duration(t.client-p.start.client) * clockTick,
		peakRSSKB: p.windowPeakKB,
		ok:        t.server >= 0,
	}
}

// stop ends sampling and returns the peak VmRSS of the whole run in kB.
func (p *probe) stop() int64 {
	close(p.done)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peakKB
}

func (p *probe) ticks() cpuTicks {
	t := cpuTicks{server: -1}
	if p.pid > 0 {
		if _, ticks, ok := procTicks(strconv.Itoa(p.pid)); ok {
			t.server = ticks
		}
	}
	if _, ticks, ok := procTicks("self"); ok {
		t.client = ticks
	}
	t.postgres = map[string]int64{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid := filepath.Base(d)
		if comm, ticks, ok := procTicks(pid); ok && comm == "postgres" && p.counts(pid) {
			t.postgres[pid] = ticks
		}
	}
	return t
}

// counts reports whether a local PostgreSQL process works for the server:
// a backend connected to its database, or a background process (WAL
// writer, checkpointer, parallel or autovacuum worker). A client backend's
// title is "postgres: [cluster: ]user db host(port)|[local] state".
func (p *probe) counts(pid string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil {
		return false
	}
	title := " " + strings.TrimRight(string(b), "\x00") + " "
	client := strings.Contains(title, "(") || strings.Contains(title, "[local]")
	return !client || strings.Contains(title, " "+p.db+" ")
}

// procTicks reads a process's command name and its user+system CPU ticks.
func procTicks(pid string) (comm string, ticks int64, ok bool) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", 0, false
	}
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 0 || end < open {
		return "", 0, false
	}
	// After "pid (comm) " come state, ppid, … with utime and stime the
	// 12th and 13th.
	fields := bytes.Fields(b[end+1:])
	if len(fields) < 13 {
		return "", 0, false
	}
	utime, err1 := strconv.ParseInt(string(fields[11]), 10, 64)
	stime, err2 := strconv.ParseInt(string(fields[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return string(b[open+1 : end]), utime + stime, true
}
