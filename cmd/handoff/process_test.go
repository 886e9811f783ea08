package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// startProcess runs the test binary as `handoff serve` in a real child process
// and returns it with the address it listens on.
func startProcess(t *testing.T, databaseURL string) (*exec.Cmd, string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(),
		"HANDOFF_TEST_RUN_MAIN=serve",
		"DATABASE_URL="+databaseURL,
		"HANDOFF_ADDR=127.0.0.1:0",
		// The job workers would share the slowed database; this test is
		// about HTTP shutdown.
		"HANDOFF_WORKERS=off",
	)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	logs := &syncBuffer{}
	addrc := make(chan string, 1)
	re := regexp.MustCompile(`msg=serving addr=(\S+)`)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			logs.Write([]byte(line + "\n"))
			if m := re.FindStringSubmatch(line); m != nil {
				addrc <- m[1]
			}
		}
	}()
	select {
	case addr := <-addrc:
		return cmd, addr, logs
	case <-time.After(60 * time.Second):
		t.Fatalf("process did not start serving:\n%s", logs)
		return nil, "", nil
	}
}

// A SIGTERM that arrives while a request is being served must let it finish
// and then exit 0, so a rolling deploy never cuts a person off. The database is
// made slow through a proxy, so /readyz is a genuinely slow request.
func TestSIGTERMFinishesInFlightRequestThenExitsZero(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(postgrestest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	u.Host = px.addr
	cmd, addr, logs := startProcess(t, u.String())

	px.delay.Store(int64(time.Second))
	px.drainHeld()
	type result struct {
		status int
		err    error
	}
	resc := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			resc <- result{0, err}
			return
		}
		res.Body.Close()
		resc <- result{res.StatusCode, nil}
	}()
	// Wait until the request is waiting on the database: the proxy is
	// holding back the database's reply to it.
	select {
	case <-px.held:
	case err := <-resc:
		t.Fatalf("the request finished before it reached the database: %+v\n%s", err, logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("the request never reached the database:\n%s", logs)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	res := <-resc
	if res.err != nil || res.status != http.StatusOK {
		t.Fatalf("in-flight request got %d, %v; want 200\n%s", res.status, res.err, logs)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v, want status 0\n%s", err, logs)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("process did not exit after the request finished:\n%s", logs)
	}
	out := logs.String()
	if strings.Index(out, "shutting down") > strings.Index(out, "path=/readyz") {
		t.Errorf("the request should have finished after shutdown began:\n%s", out)
	}
	if !strings.Contains(out, "stopped cleanly") {
		t.Errorf("no clean-stop log line:\n%s", out)
	}
}

// proxy forwards TCP to PostgreSQL and can cut the line, standing in for a
// database outage without stopping the server other tests share.
type proxy struct {
	addr, target string
	delay        atomic.Int64 // added before each reply from the database
	// held receives a signal each time a reply from the database is held
	// back by delay: a query is then in flight, waiting on the database.
	held  chan struct{}
	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	p := &proxy{target: target, held: make(chan struct{}, 1)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.down)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, slowReader{up, &p.delay, p.held}); c.Close() }()
		}
	}()
}

// slowReader delays each read by the proxy's current delay, and says so on
// held.
type slowReader struct {
	r     io.Reader
	delay *atomic.Int64
	held  chan<- struct{}
}

func (s slowReader) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	if d := s.delay.Load(); d > 0 && n > 0 {
		select {
		case s.held <- struct{}{}:
		default: // one pending signal is enough
		}
		time.Sleep(time.Duration(d))
	}
	return n, err
}

// drainHeld forgets a reply held before now, so the next signal on held is
// about a query sent after this call.
func (p *proxy) drainHeld() {
	select {
	case <-p.held:
	default:
	}
}

// down refuses new connections and drops open ones.
func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) up(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy: re-listen on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(postgrestest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	px := newProxy(t, u.Host)
	u.Host = px.addr
	r := mustRunServe(t, u.String(), nil)

	waitFor := func(path string, want int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			got, _ := get(t, r.URL+path)
			if got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET %s stayed %d, want %d", path, got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	waitFor("/readyz", 200)
	px.down()
	waitFor("/readyz", 503)
	if got, _ := get(t, r.URL+"/healthz"); got != 200 {
		t.Errorf("/healthz = %d during the outage; the process itself is fine", got)
	}
	px.up(t)
	waitFor("/readyz", 200) // the pool reconnects by itself
}
