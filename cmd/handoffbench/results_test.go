package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestBenchFileRoundTrip(t *testing.T) {
	o := options{base: "http://127.0.0.1:18390", concurrency: 16, duration: 10 * time.Second}
	rs := benchResults()
	rs[1].usage = usage{ok: true, server: 300 * time.Millisecond, postgres: 600 * time.Millisecond, client: 30 * time.Millisecond, peakRSSKB: 64 * 1024}
	rs[1].errors = 3
	rows := assess(rs, nil)
	mem := memory{ok: true, nowKB: 50 * 1024, peakKB: 80 * 1024, hwm: 90 * 1024}
	when := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	want := newBenchFile(o, 100000, 100000, rows, mem, tallyTargets(rows, mem, false), when)

	path := filepath.Join(t.TempDir(), "bench-100000.json")
	if err := writeBenchFile(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := readBenchFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", *got, want)
	}

	if got.HealthzRPS != 10000 || got.Deals != 100000 {
		t.Errorf("healthz %v, deals %v; want 10000, 100000", got.HealthzRPS, got.Deals)
	}
	od := got.scenario("Overdue page")
	if od == nil || od.Share == nil || *od.Share != 0.03 || od.P99ms != 40 || od.Errors != 3 {
		t.Fatalf("Overdue page = %+v; want share 0.03, p99 40 ms, 3 errors", od)
	}
	if od.CPU == nil || od.CPU.Postgres != 600.0/3003 || od.RSSMB == nil || *od.RSSMB != 64 {
		t.Errorf("Overdue CPU %+v, RSS %v", od.CPU, od.RSSMB)
	}
	if od.Met == nil || !*od.Met || od.Target != "≥ 2.5% ✓, p99 ≤ 50 ms ✓" {
		t.Errorf("Overdue target %q met %v", od.Target, od.Met)
	}
	if hz := got.scenario("healthz (ceiling)"); hz.Met != nil || hz.Target != "" || hz.CPU != nil {
		t.Errorf("healthz carries a target or usage it did not measure: %+v", hz)
	}
	if got.scenario("Inbox (SA)") != nil {
		t.Errorf("a scenario that did not run is found")
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
}

func TestReadBenchFileRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"OtherVersion": `{"version": 99, "scenarios": []}`,
		"NotJSON":      `targets: 5 of 8 met`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".json")
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := readBenchFile(path); err == nil {
				t.Errorf("read %s without an error", body)
			}
		})
	}
	if _, err := readBenchFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("read a missing file without an error")
	}
}
