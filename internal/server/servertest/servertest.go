// Package servertest drives the real router, with all its middleware, over an
// in-process HTTP server on a fresh, migrated database per test. Responses come
// back parsed, so tests assert on what a person would see with CSS selectors.
package servertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/password"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
	"github.com/handoff-app/handoff/internal/server"
)

// Env is one test's running server and its database.
type Env struct {
	T      testing.TB
	DB     *postgres.DB
	Server *httptest.Server
	App    *server.Server
	logs   *syncBuffer
	skip   *atomic.Int64 // how far Advance moved the server's clock
}

// Advance moves the server's clock forward by d.
func (e *Env) Advance(d time.Duration) { e.skip.Add(int64(d)) }

// Logs returns everything the server has logged so far.
func (e *Env) Logs() string { return e.logs.String() }

// Today is the instant every test server starts its clock at.
func Today() time.Time { return time.Date(2026, time.November, 25, 17, 0, 0, 0, time.UTC) }

// Option changes how New builds the server.
type Option func(*server.Config)

// WithBaseURL sets the public URL the server believes it has (https turns on
// Secure cookies and HSTS).
func WithBaseURL(raw string) Option {
	return func(c *server.Config) { c.BaseURL, _ = url.Parse(raw) }
}

// WithTrustedProxies makes the server believe X-Forwarded-For from peers in
// cidrs. Test clients connect from 127.0.0.1, so WithTrustedProxies
// ("127.0.0.0/8") lets a test speak from any address it puts in the header.
func WithTrustedProxies(cidrs ...string) Option {
	return func(c *server.Config) {
		for _, s := range cidrs {
			c.TrustedProxies = append(c.TrustedProxies, netip.MustParsePrefix(s))
		}
	}
}

// New starts the real handler on a new database.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return start(t, postgrestest.New(t), &atomic.Int64{}, opts)
}

// Instance starts another server on e's database, as a second instance of a
// deployment behind a load balancer: its own process state (caches, limiters),
// the same data, sessions and clock.
func (e *Env) Instance(opts ...Option) *Env {
	e.T.Helper()
	return start(e.T, e.DB, e.skip, opts)
}

func start(t testing.TB, db *postgres.DB, skip *atomic.Int64, opts []Option) *Env {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// Tests live on 2026-11-25 (a Wednesday before Thanksgiving, noon in New
	// York), with the clock running from there, so dates in tests never age
	// out of the rules (a Closed-Won more than three years ago is refused).
	began := time.Now()
	cfg := server.Config{Hasher: password.Cheap(), Now: func() time.Time {
		return Today().Add(time.Since(began) + time.Duration(skip.Load()))
	}}
	WithBaseURL("http://127.0.0.1")(&cfg)
	for _, o := range opts {
		o(&cfg)
	}
	h, err := server.New(cfg, db, logger)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &Env{T: t, DB: db, Server: ts, App: h, logs: logs, skip: skip}
}

// Client is one browser-like visitor: it keeps cookies and does not follow
// redirects, so tests see each 303 for what it is.
type Client struct {
	env  *Env
	http *http.Client
}

// Client returns a new visitor with an empty cookie jar.
func (e *Env) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}}
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body string
	t    testing.TB
}

// Doc parses the body as HTML.
func (r *Response) Doc() *goquery.Document {
	r.t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	if err != nil {
		r.t.Fatalf("servertest: parse HTML: %v", err)
	}
	return doc
}

// Text returns the trimmed text of the first element matching sel.
func (r *Response) Text(sel string) string {
	r.t.Helper()
	return strings.TrimSpace(r.Doc().Find(sel).First().Text())
}

// Do sends req and reads the whole response.
func (c *Client) Do(req *http.Request) *Response {
	t := c.env.T
	t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("servertest: %s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("servertest: read body: %v", err)
	}
	return &Response{Response: res, Body: string(b), t: t}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.env.T.Helper()
	req, err := http.NewRequest(http.MethodGet, c.env.Server.URL+path, nil)
	if err != nil {
		c.env.T.Fatal(err)
	}
	return c.Do(req)
}

// PostForm submits form to path as a same-origin browser would.
func (c *Client) PostForm(path string, form url.Values) *Response {
	c.env.T.Helper()
	req, err := http.NewRequest(http.MethodPost, c.env.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.env.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.env.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}

// Password is the password every user made by CreateUser has.
const Password = "correct horse battery"

// CreateUser adds an active user with Password.
func (e *Env) CreateUser(name, email string, role handoff.Role) *handoff.User {
	e.T.Helper()
	hash, err := password.Cheap().Hash(Password)
	if err != nil {
		e.T.Fatal(err)
	}
	u, err := e.DB.CreateUser(context.Background(), postgres.NewUser{Email: email, Name: name, Role: role, PasswordHash: hash})
	if err != nil {
		e.T.Fatalf("servertest: create user %s: %v", email, err)
	}
	return u
}

// Login returns a new client logged in as email (with Password).
func (e *Env) Login(email string) *Client {
	e.T.Helper()
	c := e.Client()
	res := c.PostForm("/login", url.Values{"email": {email}, "password": {Password}})
	if res.StatusCode != http.StatusSeeOther {
		e.T.Fatalf("servertest: login as %s: status %d\n%s", email, res.StatusCode, res.Body)
	}
	return c
}

// CreatePack records a deal for se (and sa, when not nil) through the real
// storage path and returns its pack id. Closed-Won is closedWon (YYYY-MM-DD).
func (e *Env) CreatePack(account string, se, sa *handoff.User, closedWon string) int64 {
	e.T.Helper()
	cw, err := time.Parse("2006-01-02", closedWon)
	if err != nil {
		e.T.Fatal(err)
	}
	d := handoff.Deal{AccountName: account, OpportunityName: account + " platform", Segment: handoff.SegmentEnterprise,
		ARR: handoff.Money{Minor: 12_000_000, Currency: "USD"}, ClosedWonOn: cw, SEID: se.ID}
	if sa != nil {
		d.SAID = sa.ID
	}
	id, err := e.DB.CreateDeal(context.Background(), se, d, e.App.DueSource(), time.Now())
	if err != nil {
		e.T.Fatalf("servertest: create pack: %v", err)
	}
	return id
}
