package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/deadline"
	"github.com/handoff-app/handoff/internal/handoff"
)

// Targets (docs/performance.md) at 16 connections on the 2-core machine, as
// shares of the same run's healthz req/s.
var (
	targetOverdue = target{minShare: 0.025, maxP99ms: 50}
	targetHomes   = target{minShare: 0.025, maxP99ms: 50} // My packs and Inbox
	targetSearch  = target{minShare: 0.02, maxP99ms: 50}
	targetPack    = target{minShare: 0.04, maxP99ms: 30}
	targetSave    = target{minShare: 0.02, maxP99ms: 50}
)

// namedSA is the demo's SA login, whose Inbox the bench loads unless the demo
// gave it too few packs to be representative (see inboxSA).
const namedSA = "alex.sa@example.com"

// inboxScenario is named once: prepare logs the SAs in only when -run selects it.
const inboxScenario = "Inbox (SA)"

// searchWord is the Packs search of the bench: "labs" is in the name of one
// demo account in 25 (every "… Labs"), so at 1,000,000 deals it matches about
// 40,000 packs: the search must read a page of them, not all.
const searchWord = "labs"

// prepare logs every worker in, finds the packs to load, and returns the
// scenarios in the order they run: the trivial handler first as the ceiling.
func prepare(ctx context.Context, o options, conn *pgx.Conn, out io.Writer) ([]scenario, error) {
	n := o.concurrency
	managers, err := loginAll(ctx, o, o.manager, n)
	if err != nil {
		return nil, err
	}
	ses, err := loginAll(ctx, o, o.se, n)
	if err != nil {
		return nil, err
	}

	packPaths, err := packLinks(ctx, managers[0], o.base)
	if err != nil {
		return nil, err
	}

	saverEmail, drafts, err := draftOwner(ctx, conn, n)
	if err != nil {
		return nil, err
	}
	savers, err := loginAll(ctx, o, saverEmail, n)
	if err != nil {
		return nil, err
	}
	var sas []*http.Client
	saNote := ""
	if o.run.MatchString(inboxScenario) {
		saEmail, open, err := inboxSA(ctx, conn, o.sa)
		if err != nil {
			return nil, err
		}
		if sas, err = loginAll(ctx, o, saEmail, n); err != nil {
			return nil, err
		}
		saNote = fmt.Sprintf("; the Inbox is %s's (%d open packs)", saEmail, open)
	}
	fmt.Fprintf(out, "logged in %d × %s, %s, %s; pack page cycles over %d packs from the Overdue page; %s saves the risks of %d own drafts (one per connection)%s\n\n",
		n, o.manager, o.se, saverEmail, len(packPaths), saverEmail, len(drafts), saNote)

	base := o.base
	gets := func(clients []*http.Client, paths ...string) func(int) requestFunc {
		return func(i int) requestFunc { return getter(clients[i], base, paths, i) }
	}
	return []scenario{
		{name: "healthz (ceiling)", ceiling: true, worker: func(i int) requestFunc {
			return getter(managers[i], base, []string{"/healthz"}, 0)
		}},
		{name: "Overdue page", target: targetOverdue, worker: gets(managers, "/overdue?state=overdue")},
		{name: "Overdue, kickoff clock", target: targetOverdue, worker: gets(managers, "/overdue?state=overdue&clock=kickoff")},
		{name: "My packs (SE)", target: targetHomes, worker: gets(ses, "/packs")},
		{name: inboxScenario, target: targetHomes, worker: gets(sas, "/inbox")},
		{name: "Packs search (a word matching many packs)", target: targetSearch, worker: gets(managers, "/search?q="+searchWord)},
		{name: "pack page", target: targetPack, worker: gets(managers, packPaths...)},
		{name: "document save (POST)", target: targetSave, worker: func(i int) requestFunc {
			return saver(savers[i], base, drafts[i])
		}},
	}, nil
}

// login returns a client holding a fresh session of email.
func login(ctx context.Context, o options, email string) (*http.Client, error) {
	c := newClient(o.concurrency)
	form := url.Values{"email": {email}, "password": {o.password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin(o.base))
	var buf bytes.Buffer
	resp, err := do(c, req, &buf)
	if err != nil {
		return nil, fmt.Errorf("log in as %s: %w", email, err)
	}
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("log in as %s: status %d (is the database seeded with `handoff demo`, password %q?)", email, resp.StatusCode, o.password)
	}
	return c, nil
}

// loginAll logs n clients in as email, one after the other (a login is a
// deliberately expensive password hash; doing them at once would only measure
// that).
func loginAll(ctx context.Context, o options, email string, n int) ([]*http.Client, error) {
	cs := make([]*http.Client, n)
	for i := range cs {
		c, err := login(ctx, o, email)
		if err != nil {
			return nil, err
		}
		cs[i] = c
	}
	return cs, nil
}

func origin(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	return u.Scheme + "://" + u.Host
}

var packLink = regexp.MustCompile(`href="/packs/(\d+)"`)

// packLinks returns the pack pages linked from the manager's Overdue page.
func packLinks(ctx context.Context, c *http.Client, base string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/overdue?state=overdue", nil)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	resp, err := do(c, req, &buf)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(req, resp)
	}
	body, err := decoded(resp, &buf)
	if err != nil {
		return nil, fmt.Errorf("overdue page: %w", err)
	}
	seen := map[string]bool{}
	var paths []string
	for _, m := range packLink.FindAllStringSubmatch(body, -1) {
		if p := "/packs/" + m[1]; !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, errors.New("the Overdue page links no pack (href=\"/packs/N\"): is the database seeded with overdue packs?")
	}
	return paths, nil
}

// draft is a pack a save worker owns, and its current version.
type draft struct {
	id      int64
	version int
}

// draftOwner finds the SE with the most draft packs and n of those drafts, so
// each save worker edits its own pack and never races another for a version.
func draftOwner(ctx context.Context, conn *pgx.Conn, n int) (string, []draft, error) {
	var (
		seID  int64
		count int
		email string
	)
	err := conn.QueryRow(ctx, `
		SELECT d.se_id, count(*), u.email
		FROM packs p JOIN deals d ON d.id = p.deal_id JOIN users u ON u.id = d.se_id
		WHERE p.status = 'draft' AND u.active
		GROUP BY d.se_id, u.email ORDER BY 2 DESC, 1 LIMIT 1`).Scan(&seID, &count, &email)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, errors.New("no draft packs in the database: the save scenario needs some")
	}
	if err != nil {
		return "", nil, fmt.Errorf("find the SE with most drafts: %w", err)
	}
	if count < n {
		return "", nil, fmt.Errorf("%s has the most draft packs, %d, fewer than the %d connections (one draft each)", email, count, n)
	}
	rows, err := conn.Query(ctx, `
		SELECT p.id, p.version FROM packs p JOIN deals d ON d.id = p.deal_id
		WHERE p.status = 'draft' AND d.se_id = $1 ORDER BY p.id LIMIT $2`, seID, n)
	if err != nil {
		return "", nil, fmt.Errorf("drafts of SE %d: %w", seID, err)
	}
	drafts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (draft, error) {
		var d draft
		err := r.Scan(&d.id, &d.version)
		return d, err
	})
	if err != nil {
		return "", nil, fmt.Errorf("drafts of SE %d: %w", seID, err)
	}
	return email, drafts, nil
}

// inboxSA returns the SA whose Inbox the bench loads and how many open packs
// (a running clock: the Inbox's first two sections) it holds. An explicit
// -sa is taken as given. Otherwise it is the demo's named SA, unless that one
// holds under half as many open packs as the busiest SA; then the busiest, so
// the page stays representative whatever the demo did with the named logins.
func inboxSA(ctx context.Context, conn *pgx.Conn, explicit string) (string, int, error) {
	var open []string
	for _, s := range []deadline.Section{deadline.SectionNeedsYou, deadline.SectionWaiting} {
		// By status only: a locked pack counts whether or not its clocks
		// after the lock run, close enough to pick a busy SA.
		for _, t := range deadline.SectionTerms(s, handoff.RoleSA) {
			open = append(open, string(t.Status))
		}
	}
	const countOf = `
		SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id JOIN users u ON u.id = d.sa_id
		WHERE p.status = ANY($1) AND u.email = $2`
	named := explicit
	if named == "" {
		named = namedSA
	}
	var namedOpen int
	if err := conn.QueryRow(ctx, countOf, open, named).Scan(&namedOpen); err != nil {
		return "", 0, fmt.Errorf("open packs of %s: %w", named, err)
	}
	if explicit != "" {
		return explicit, namedOpen, nil
	}
	var (
		busiest     string
		busiestOpen int
	)
	err := conn.QueryRow(ctx, `
		SELECT u.email, count(*) FROM packs p JOIN deals d ON d.id = p.deal_id JOIN users u ON u.id = d.sa_id
		WHERE p.status = ANY($1) AND u.active AND u.role = $2
		GROUP BY u.id, u.email ORDER BY 2 DESC, u.id LIMIT 1`, open, string(handoff.RoleSA)).Scan(&busiest, &busiestOpen)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, errors.New("no SA holds an open pack: the Inbox scenario needs some")
	}
	if err != nil {
		return "", 0, fmt.Errorf("find the SA with most open packs: %w", err)
	}
	if 2*namedOpen >= busiestOpen {
		return named, namedOpen, nil
	}
	return busiest, busiestOpen, nil
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// saver saves the risks document of its own draft pack, alternating "no known
// risks" with a one-row risk log so the document really changes each time.
// A save succeeds with 303 only when it names the pack's current version; each
// success increments it. On a 409 (stale) it takes the version the conflict
// page shows, so one lost race does not fail every later request.
func saver(c *http.Client, base string, d draft) requestFunc {
	var buf bytes.Buffer
	path := base + "/packs/" + strconv.FormatInt(d.id, 10) + "/documents/risks"
	org := origin(base)
	version, n := d.version, 0
	return func(ctx context.Context) error {
		form := url.Values{"version": {strconv.Itoa(version)}}
		if n%2 == 0 {
			form.Set("no_known_risks", "1")
		} else {
			form.Set("rows", "1")
			form.Set("items.0.category", "integration_unknown")
			form.Set("items.0.description", "SSO integration with the customer's IdP is untested (bench save "+strconv.Itoa(n)+")")
			form.Set("items.0.severity", "medium")
			form.Set("items.0.mitigation", "Test in the kickoff week")
			form.Set("items.0.owner", "SA")
			form.Set("items.0.status", "open")
		}
		n++
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, path, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", org)
		resp, err := do(c, req, &buf)
		if err != nil {
			return err
		}
		switch resp.StatusCode {
		case http.StatusSeeOther:
			version++
			return nil
		case http.StatusConflict:
			if body, err := decoded(resp, &buf); err == nil {
				if m := versionField.FindStringSubmatch(body); m != nil {
					version, _ = strconv.Atoi(m[1])
				}
			}
		}
		return statusError(req, resp)
	}
}
