// Command handoffbench drives authenticated load against a running Handoff
// server from a separate process, prints requests/s (also as a share of the
// same run's /healthz) and latency percentiles per page beside the targets of
// docs/performance.md, the server's memory, EXPLAIN (ANALYZE, BUFFERS) of the
// manager's dashboard queries, and a one-line verdict on the targets.
//
// It exits non-zero when a scenario's error rate exceeds 1% or a dashboard
// query scans the deals or packs table sequentially. Missed throughput or
// latency targets are marked ✗ but do not fail the run: on a shared, noisy
// machine they are figures for the note, not tests. -json keeps a run's
// figures; -baseline compares each p99 with such a file's (the 1,000,000-deal
// run against the 100,000-deal one). scripts/bench.sh (make bench) seeds a
// database, starts the server and runs this.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"runtime"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "handoffbench:", err)
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	base        string
	dbURL       string
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	pid         int
	password    string
	manager     string
	se          string
	sa          string // "" picks the Inbox's SA (inboxSA)
	readyWait   time.Duration
	run         *regexp.Regexp
	explain     bool
	seqScanMin  int64
	jsonPath    string
	baseline    string
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("handoffbench", flag.ContinueOnError)
	fs.StringVar(&o.base, "base", "http://127.0.0.1:18080", "base URL of the running server")
	fs.StringVar(&o.dbURL, "db", os.Getenv("DATABASE_URL"), "PostgreSQL URL of the server's database (finds draft packs; runs the EXPLAINs)")
	fs.IntVar(&o.concurrency, "c", 16, "concurrent connections (one logged-in client each)")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured duration of each scenario")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up before each scenario")
	fs.IntVar(&o.pid, "pid", 0, "server process id, to read its VmRSS and VmHWM from /proc (0: skip)")
	fs.StringVar(&o.password, "password", "handoff-demo-pass", "password of the demo logins")
	fs.StringVar(&o.manager, "manager", "manager@example.com", "manager login (Overdue page, pack page)")
	fs.StringVar(&o.se, "se", "sam.se@example.com", "SE login for My packs")
	fs.StringVar(&o.sa, "sa", "", "SA login for the Inbox (default: "+namedSA+", or the SA with most open packs when it holds under half as many)")
	fs.DurationVar(&o.readyWait, "ready-wait", time.Minute, "how long to wait for /readyz before giving up")
	runPattern := fs.String("run", "", "run only the scenarios whose name matches this regular expression")
	fs.BoolVar(&o.explain, "explain", true, "print and check the dashboard query plans")
	fs.Int64Var(&o.seqScanMin, "seqscan-min-deals", 50000, "fail on a sequential scan of deals or packs only from this many deals (below, the planner rightly scans small tables)")
	fs.StringVar(&o.jsonPath, "json", "", "write the results to this file (JSON), for a later run's -baseline")
	fs.StringVar(&o.baseline, "baseline", "", "compare each p99 with this earlier -json file's: under 2× is the 1,000,000-deal target")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.dbURL == "" {
		return o, errors.New("-db (or DATABASE_URL) is required")
	}
	if o.concurrency < 1 || o.duration <= 0 {
		return o, errors.New("-c must be ≥ 1 and -d > 0")
	}
	re, err := regexp.Compile(*runPattern)
	if err != nil {
		return o, fmt.Errorf("-run: %w", err)
	}
	o.run = re
	return o, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	// Read before the long run, so a wrong path fails at once.
	var base *benchFile
	if o.baseline != "" {
		if base, err = readBenchFile(o.baseline); err != nil {
			return err
		}
	}
	conn, err := pgx.Connect(ctx, o.dbURL)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redactURL(o.dbURL), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	if err := waitReady(ctx, o.base, o.pid, o.readyWait); err != nil {
		return err
	}
	var deals, packs int64
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM deals), (SELECT count(*) FROM packs)`).Scan(&deals, &packs); err != nil {
		return fmt.Errorf("count deals: %w", err)
	}
	fmt.Fprintf(out, "handoffbench: %s, %d deals, %d packs; %d connections, %s per scenario after %s warm-up; client GOMAXPROCS=%d on %d CPUs shared with the server and PostgreSQL\n\n",
		o.base, deals, packs, o.concurrency, o.duration, o.warmup, runtime.GOMAXPROCS(0), runtime.NumCPU())

	scenarios, err := prepare(ctx, o, conn, out)
	if err != nil {
		return err
	}

	pr := newProbe(o.pid, conn.Config().Database)
	pr.run(100 * time.Millisecond)
	results := make([]result, 0, len(scenarios))
	for _, sc := range scenarios {
		if !o.run.MatchString(sc.name) {
			continue
		}
		fmt.Fprintf(out, "running %-44s", sc.name+" …")
		r := runScenario(ctx, sc, o.concurrency, o.warmup, o.duration, pr)
		fmt.Fprintf(out, " %8.0f req/s, p99 %6.1f ms, %d errors\n", r.rps, ms(r.p99), r.errors)
		results = append(results, r)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	peak := pr.stop()

	fmt.Fprintln(out)
	if base != nil {
		fmt.Fprintf(out, "baseline %s: %d deals, %d connections, %s per scenario, measured %s, healthz %.0f req/s (this run: %s)\n\n",
			o.baseline, base.Deals, base.Connections, base.Duration, base.Time.Format(time.RFC3339), base.HealthzRPS, healthzRPS(results))
	}
	rows := assess(results, base)
	failed := printResults(out, rows, o.concurrency, base != nil)
	mem := readMemory(o.pid, peak)
	printMemory(out, o.pid, mem) // a missed memory target is reported, never a failure
	verdict := tallyTargets(rows, mem, base != nil)
	if o.jsonPath != "" {
		if err := writeBenchFile(o.jsonPath, newBenchFile(o, deals, packs, rows, mem, verdict, time.Now())); err != nil {
			return err
		}
		fmt.Fprintf(out, "results written to %s\n", o.jsonPath)
	}

	var seqScans []string
	if o.explain {
		fmt.Fprintln(out)
		if seqScans, err = explainDashboard(ctx, conn, out); err != nil {
			return err
		}
		if len(seqScans) > 0 && deals < o.seqScanMin {
			fmt.Fprintf(out, "(not a failure: with %d deals, under -seqscan-min-deals %d, scanning the small tables is the planner's right call)\n", deals, o.seqScanMin)
			seqScans = nil
		}
	}

	fmt.Fprintf(out, "\n%s\n", verdict)

	var problems []error
	for _, r := range failed {
		problems = append(problems, fmt.Errorf("%s: %d of %d requests failed (%.1f%%), first: %s",
			r.name, r.errors, r.requests+r.errors, 100*r.errorRate(), r.firstError))
	}
	for _, q := range seqScans {
		problems = append(problems, fmt.Errorf("dashboard query %q scans a table sequentially", q))
	}
	return errors.Join(problems...)
}

// healthzRPS says what this run's ceiling was, beside the baseline's: the
// machine's speed moves between runs, and p99 with it.
func healthzRPS(results []result) string {
	for _, r := range results {
		if r.ceiling {
			return fmt.Sprintf("%.0f req/s", r.rps)
		}
	}
	return "not run"
}
