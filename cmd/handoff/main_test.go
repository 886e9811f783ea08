package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// TestMain lets the test binary act as the real handoff command when the
// subprocess tests re-run it, so they signal a real process without a separate
// build step.
func TestMain(m *testing.M) {
	if args := os.Getenv("HANDOFF_TEST_RUN_MAIN"); args != "" {
		os.Args = append([]string{"handoff"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// syncBuffer collects a program's output while tests read it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a handoff program served in-process on a free port.
type running struct {
	URL    string
	Stderr *syncBuffer
	Stdout *syncBuffer
	done   chan error
	cancel context.CancelFunc
	Stop   func() // stops the program and waits for a clean exit
}

// mustRunServe runs `handoff serve` in-process against databaseURL and waits
// until it listens. The program stops when the test ends.
func mustRunServe(t *testing.T, databaseURL string, extraEnv map[string]string) *running {
	t.Helper()
	env := map[string]string{
		"DATABASE_URL":     databaseURL,
		"HANDOFF_ADDR":     "127.0.0.1:0",
		"HANDOFF_BASE_URL": "http://127.0.0.1",
	}
	for k, v := range extraEnv {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Stderr: &syncBuffer{}, Stdout: &syncBuffer{}, done: make(chan error, 1), cancel: cancel}
	addrc := make(chan net.Addr, 1)
	p := &program{
		getenv:    func(k string) string { return env[k] },
		stdin:     strings.NewReader(""),
		stdout:    r.Stdout,
		stderr:    r.Stderr,
		listening: func(a net.Addr) { addrc <- a },
	}
	go func() { r.done <- p.run(ctx, []string{"serve"}) }()
	select {
	case a := <-addrc:
		r.URL = "http://" + a.String()
	case err := <-r.done:
		cancel()
		t.Fatalf("serve exited before listening: %v\n%s", err, r.Stderr)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("serve did not listen within 60s\n%s", r.Stderr)
	}
	r.Stop = r.stop(t)
	t.Cleanup(r.Stop)
	return r
}

// stop returns a function that stops the program (once) and checks it shut
// down cleanly.
func (r *running) stop(t *testing.T) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			r.cancel()
			if err := <-r.done; err != nil {
				t.Errorf("serve returned %v on shutdown", err)
			}
		})
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return res.StatusCode, b.String()
}

func TestServeMigratesEmptyDatabase(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.EmptyURL(t), nil)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/nope": 404} {
		if got, _ := get(t, r.URL+path); got != want {
			t.Errorf("GET %s = %d, want %d", path, got, want)
		}
	}
	if !strings.Contains(r.Stderr.String(), "database migrated") {
		t.Errorf("no migration logged:\n%s", r.Stderr)
	}
}

// Two instances of a scaled-out deployment start at the same moment on one
// empty database: the advisory lock lets one migrate while the other waits.
func TestTwoServesOnOneEmptyDatabaseBothComeUp(t *testing.T) {
	t.Parallel()
	url := postgrestest.EmptyURL(t)
	var wg sync.WaitGroup
	rs := make([]*running, 2)
	for i := range rs {
		wg.Go(func() { rs[i] = mustRunServe(t, url, nil) })
	}
	wg.Wait()
	for i, r := range rs {
		if r == nil {
			t.Fatalf("instance %d did not start", i)
		}
		if got, _ := get(t, r.URL+"/readyz"); got != http.StatusOK {
			t.Errorf("instance %d /readyz = %d", i, got)
		}
	}
}

func TestConfigurationErrorsNameTheVariable(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	p := &program{
		getenv: func(k string) string {
			return map[string]string{"DATABASE_URL": "postgres://u@localhost/x", "HANDOFF_LOG_LEVEL": "chatty"}[k]
		},
		stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &stderr,
	}
	err := p.run(context.Background(), []string{"serve"})
	if err == nil || !strings.Contains(err.Error(), "HANDOFF_LOG_LEVEL") {
		t.Fatalf("err = %v, want one naming HANDOFF_LOG_LEVEL", err)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"frobnicate"}, {"migrate"}} {
		var out bytes.Buffer
		p := &program{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &out}
		err := p.run(context.Background(), args)
		if exitCode(err) != 2 {
			t.Errorf("run(%q) = %v (exit %d), want a usage error (exit 2)", args, err, exitCode(err))
		}
	}
	var out bytes.Buffer
	p := &program{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &out, stderr: &out}
	if err := p.run(context.Background(), []string{"version"}); err != nil || !strings.HasPrefix(out.String(), "handoff ") {
		t.Errorf("version: %v %q", err, out.String())
	}
}

func TestMigrateCommand(t *testing.T) {
	t.Parallel()
	url := postgrestest.EmptyURL(t)
	runCmd := func(args ...string) string {
		var out bytes.Buffer
		p := &program{getenv: func(k string) string {
			if k == "DATABASE_URL" {
				return url
			}
			return ""
		}, stdin: strings.NewReader(""), stdout: &out, stderr: &bytes.Buffer{}}
		if err := p.run(context.Background(), args); err != nil {
			t.Fatalf("handoff %s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
	if out := runCmd("migrate", "status"); !strings.Contains(out, "pending") {
		t.Errorf("status on empty database:\n%s", out)
	}
	if out := runCmd("migrate", "up"); !strings.Contains(out, "applied") {
		t.Errorf("up: %s", out)
	}
	if out := runCmd("migrate", "status"); strings.Contains(out, "pending") {
		t.Errorf("status after up still pending:\n%s", out)
	}
	runCmd("migrate", "down")
	if out := runCmd("migrate", "status"); !strings.Contains(out, "pending") {
		t.Errorf("status after down:\n%s", out)
	}
}

func TestDemoOrgIsSeededOnceAndOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	url := postgrestest.URL(t)

	plain := mustRunServe(t, url, nil)
	if strings.Contains(plain.Stdout.String(), "Demo") {
		t.Errorf("demo seeded without HANDOFF_DEMO=1:\n%s", plain.Stdout)
	}
	plain.Stop()

	first := mustRunServe(t, url, map[string]string{"HANDOFF_DEMO": "1"})
	out := first.Stdout.String()
	for _, want := range []string{"Demo org created", "admin@example.com", "manager@example.com", "sam.se@example.com", "alex.sa@example.com", "handoff-demo-pass"} {
		if !strings.Contains(out, want) {
			t.Errorf("first demo start does not print %q:\n%s", want, out)
		}
	}
	first.Stop()

	second := mustRunServe(t, url, map[string]string{"HANDOFF_DEMO": "1"})
	if !strings.Contains(second.Stdout.String(), "Demo logins") {
		t.Errorf("second start should remind of the logins:\n%s", second.Stdout)
	}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := db.CountUsers(context.Background())
	if err != nil || n != 6 {
		t.Errorf("users after two demo starts = %d (%v), want 6", n, err)
	}
}

func TestDemoDealsOnFirstStart(t *testing.T) {
	t.Parallel()
	url := postgrestest.URL(t)
	r := mustRunServe(t, url, map[string]string{"HANDOFF_DEMO": "1", "HANDOFF_DEMO_DEALS": "15"})
	r.Stop()
	if !strings.Contains(r.Stdout.String(), "Demo deals made") {
		t.Errorf("no demo deals line:\n%s", r.Stdout)
	}
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var deals int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM deals`).Scan(&deals); err != nil || deals != 15 {
		t.Errorf("deals = %d (%v), want 15", deals, err)
	}
}
