package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// fileVersion changes when a field changes meaning, so a baseline written by
// an older handoffbench is refused rather than misread.
const fileVersion = 1

// benchFile is what -json writes and -baseline reads: one run's figures, so a
// later run (the 1,000,000-deal one) can be compared with it.
type benchFile struct {
	Version     int            `json:"version"`
	Time        time.Time      `json:"time"`
	Base        string         `json:"base"`
	Deals       int64          `json:"deals"`
	Packs       int64          `json:"packs"`
	Connections int            `json:"connections"`
	Duration    string         `json:"duration"`
	HealthzRPS  float64        `json:"healthz_rps,omitempty"` // 0: healthz did not run
	ServerRSS   *fileRSS       `json:"server_rss_mb,omitempty"`
	Scenarios   []fileScenario `json:"scenarios"`
	Targets     fileTargets    `json:"targets"`
}

type fileScenario struct {
	Scenario string   `json:"scenario"`
	Requests int      `json:"requests"`
	Errors   int      `json:"errors"`
	RPS      float64  `json:"rps"`
	Share    *float64 `json:"share_of_healthz"` // null: not judged (no healthz)
	P50ms    float64  `json:"p50_ms"`
	P95ms    float64  `json:"p95_ms"`
	P99ms    float64  `json:"p99_ms"`
	CPU      *fileCPU `json:"cpu_ms_per_req,omitempty"`
	RSSMB    *float64 `json:"server_rss_mb,omitempty"` // highest sampled in the scenario
	Target   string   `json:"target,omitempty"`
	Met      *bool    `json:"target_met,omitempty"` // null: no target, or not judged
}

type fileCPU struct {
	Server   float64 `json:"server"`
	Postgres float64 `json:"postgres"`
	Bench    float64 `json:"bench"`
}

type fileRSS struct {
	Now       float64 `json:"now"`
	Peak      float64 `json:"peak_sampled"`
	VmHWM     float64 `json:"vmhwm"`
	Target    float64 `json:"target"`
	TargetMet bool    `json:"target_met"`
}

type fileTargets struct {
	Met       int      `json:"met"`
	Total     int      `json:"total"`
	Missed    []string `json:"missed,omitempty"`
	NotJudged []string `json:"not_judged,omitempty"`
}

// newBenchFile gathers a run's figures for -json.
func newBenchFile(o options, deals, packs int64, rows []row, mem memory, t tally, now time.Time) benchFile {
	f := benchFile{
		Version: fileVersion, Time: now.UTC().Truncate(time.Second), Base: o.base,
		Deals: deals, Packs: packs, Connections: o.concurrency, Duration: o.duration.String(),
		Scenarios: make([]fileScenario, 0, len(rows)),
		Targets:   fileTargets{Met: t.met, Total: t.total, Missed: t.missed, NotJudged: t.unseen},
	}
	if mem.ok {
		f.ServerRSS = &fileRSS{Now: mb(mem.nowKB), Peak: mb(mem.peakKB), VmHWM: mb(mem.hwm),
			Target: targetRSSMB, TargetMet: mem.outcome() == met}
	}
	for _, r := range rows {
		s := fileScenario{
			Scenario: r.name, Requests: r.requests, Errors: r.errors, RPS: r.rps,
			P50ms: ms(r.p50), P95ms: ms(r.p95), P99ms: ms(r.p99),
		}
		if r.ceiling && !r.failed {
			f.HealthzRPS = r.rps
		}
		if r.shareOK {
			s.Share = &r.share
		}
		if c, ok := r.cpuPerRequest(); ok {
			rss := mb(r.usage.peakRSSKB)
			s.CPU, s.RSSMB = &c, &rss
		}
		if r.target.set() {
			s.Target = r.goals
			if r.outcome != notJudged {
				ok := r.outcome == met
				s.Met = &ok
			}
		}
		f.Scenarios = append(f.Scenarios, s)
	}
	return f
}

func (f *benchFile) scenario(name string) *fileScenario {
	for i := range f.Scenarios {
		if f.Scenarios[i].Scenario == name {
			return &f.Scenarios[i]
		}
	}
	return nil
}

func writeBenchFile(path string, f benchFile) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	// Written whole then renamed, so an interrupted run never leaves a
	// truncated baseline for the next one to trip on.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("-json: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("-json: %w", err)
	}
	return nil
}

func readBenchFile(path string) (*benchFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-baseline: %w", err)
	}
	var f benchFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("-baseline %s: %w", path, err)
	}
	if f.Version != fileVersion {
		return nil, fmt.Errorf("-baseline %s: version %d, this handoffbench reads %d", path, f.Version, fileVersion)
	}
	return &f, nil
}
