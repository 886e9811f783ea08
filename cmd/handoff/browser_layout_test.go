package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// links reads the hrefs of the elements matching sel, in page order.
func links(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(`+"`"+sel+"`"+`)].map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatalf("read links %s: %v", sel, err)
	}
	return hrefs
}

var (
	packPathRe = regexp.MustCompile(`^/packs/\d+$`)
	userPathRe = regexp.MustCompile(`^/admin/users/\d+$`)
)

// The screens of README.md in a real browser, on the demo org with deals in
// every state: as each role, every main page (the role's navigation, the
// account page, a pack with each of its documents, versions and
// architecture) fits a 390 px phone without scrolling sideways, its tables fit
// their boxes at 1280 px, and axe-core finds no serious or critical
// accessibility violation on it.
func TestBrowserEveryPageFitsAPhone(t *testing.T) {
	t.Parallel()
	// As many deals as `make run` seeds: long enough lists and names to find
	// what a page does with them.
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1", "HANDOFF_DEMO_DEALS": "120"})
	base := r.URL

	// A page is visited once, as the first role that reaches it: managers and
	// admins see the same lists and packs, and the checks take a second or two
	// a page.
	seen := map[string]bool{}
	visit := func(t *testing.T, ctx context.Context, path string) {
		t.Helper()
		path, _, _ = strings.Cut(path, "#")
		if seen[path] {
			return
		}
		seen[path] = true
		do(t, ctx, chromedp.Navigate(base+path)) // audits the page with axe-core
		browsertest.CheckNoSideScroll(t, ctx)
		if strings.HasPrefix(path, "/overdue") {
			// The manager's list stacks on a phone: every column in view,
			// none behind a scroll.
			browsertest.CheckTablesFit(t, ctx)
		}
		do(t, ctx, browsertest.Viewport(1280, 900))
		browsertest.CheckTablesFit(t, ctx)
		do(t, ctx, browsertest.Viewport(browsertest.Phone, 844))
	}

	t.Run("LoggedOut", func(t *testing.T) {
		ctx := browsertest.New(t)
		do(t, ctx, browsertest.Viewport(browsertest.Phone, 844))
		visit(t, ctx, "/login")
	})
	for _, who := range []struct{ role, email string }{
		{"SE", "sam.se@example.com"}, {"SA", "alex.sa@example.com"},
		{"Manager", "manager@example.com"}, {"Admin", "admin@example.com"},
	} {
		t.Run(who.role, func(t *testing.T) {
			ctx := browsertest.New(t) // a browser each, each with its own time limit
			do(t, ctx, browsertest.Viewport(browsertest.Phone, 844))
			login(t, ctx, base, who.email, demo.Password)
			browsertest.CheckNoSideScroll(t, ctx)

			pages := append(links(t, ctx, ".site-nav a"), "/account")
			switch who.role {
			case "SE":
				pages = append(pages, "/deals/new")
			case "Admin":
				pages = append(pages, "/admin/users/new", "/admin/tokens")
			}
			// One pack the role may see: the first its home links to, else
			// the first on the overdue list.
			findPack := func() string {
				for _, href := range links(t, ctx, "main a[href^='/packs/']") {
					if packPathRe.MatchString(href) {
						return href
					}
				}
				return ""
			}
			pack := findPack()
			if pack == "" {
				do(t, ctx, chromedp.Navigate(base+"/overdue"))
				if pack = findPack(); pack == "" {
					t.Fatalf("no pack linked from the home or /overdue of the %s", who.role)
				}
			}
			for _, p := range pages {
				visit(t, ctx, p)
			}
			if who.role == "Admin" {
				if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"/admin/users")); err != nil {
					t.Fatal(err)
				}
				for _, u := range links(t, ctx, "main a[href^='/admin/users/']") {
					if userPathRe.MatchString(u) {
						visit(t, ctx, u)
						break
					}
				}
			}

			if seen[pack] {
				return
			}
			visit(t, ctx, pack)
			sub := links(t, ctx, "main a[href^='"+pack+"/']")
			versions := 0
			for _, p := range sub {
				if strings.Contains(p, "/versions/") {
					versions++
				}
				visit(t, ctx, p)
			}
			if versions > 1 {
				visit(t, ctx, pack+"/compare?from=1&to=2")
			}
		})
	}
}
