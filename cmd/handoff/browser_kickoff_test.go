package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

// pdfText is the text of a PDF as Debian's pdftotext (poppler-utils) reads
// it, pages separated by form feeds. A missing pdftotext fails the test with
// how to install it, unless HANDOFF_SKIP_BROWSER=1 says to skip browser tests.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("HANDOFF_SKIP_BROWSER") == "1" {
			t.Skip("pdftotext missing and HANDOFF_SKIP_BROWSER=1")
		}
		t.Fatal("reading the printed PDF needs pdftotext: apt-get install -y poppler-utils (.ci/run installs it)")
	}
	in := filepath.Join(t.TempDir(), "kickoff.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-raw", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// squeeze drops every space and line break, and undoes typographic
// ligatures, so text compares the same however the print wrapped it.
func squeeze(s string) string {
	s = strings.NewReplacer("ﬁ", "fi", "ﬂ", "fl", "ﬀ", "ff", "ﬃ", "ffi", "ﬄ", "ffl", "\u00ad", "").Replace(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// kickoffSection is one section of the kickoff document as the page shows
// it: its test id and the text of each of its smallest blocks (cells, terms,
// paragraphs, list items).
type kickoffSection struct {
	ID    string   `json:"id"`
	Parts []string `json:"parts"`
}

const readKickoffSections = `[...document.querySelectorAll('[data-testid^="kickoff-"]')].map(s => ({
	id: s.dataset.testid,
	parts: [...s.querySelectorAll('h2, h3, th, td, dt, dd, p, li')]
		.filter(e => !e.querySelector('h2, h3, th, td, dt, dd, p, li'))
		.map(e => e.innerText.trim()).filter(t => t !== ''),
}))`

// The kickoff document (docs/design.md) in a real browser: from the pack page,
// its link opens the document; Chromium prints it to PDF; every document's
// text is in the PDF, each document on a page of its own, and none of the
// page's navigation or forms.
func TestBrowserKickoffDocumentPrintsEveryDocument(t *testing.T) {
	t.Parallel()
	url := postgrestest.URL(t)
	r := mustRunServe(t, url, map[string]string{"HANDOFF_DEMO": "1", "HANDOFF_DEMO_DEALS": "10"})
	base := r.URL

	// The demo's locked pack has all five documents, the SA's decisions and
	// a reference architecture.
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	var packID int64
	err = db.Pool.QueryRow(context.Background(), `SELECT id FROM packs WHERE status = 'locked' ORDER BY id LIMIT 1`).Scan(&packID)
	db.Close()
	if err != nil {
		t.Fatalf("no locked pack in the demo org: %v", err)
	}
	pack := "/packs/" + strconv.FormatInt(packID, 10)

	ctx := browsertest.New(t)
	login(t, ctx, base, "admin@example.com", demo.Password)
	do(t, ctx,
		chromedp.Navigate(base+pack),
		chromedp.WaitVisible(css(`[data-testid="kickoff-link"]`)),
		browsertest.ClickAndWait(`[data-testid="kickoff-link"]`),
	)
	if loc := location(t, ctx); !strings.HasSuffix(loc, pack+"/kickoff") {
		t.Fatalf("the kickoff link led to %s", loc)
	}
	sections, err := chromedp.Run(ctx, chromedp.Evaluate[[]kickoffSection](readKickoffSections))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 16)])
	}
	printed := pdfText(t, pdf)
	// HANDOFF_KEEP_PDF=DIR keeps the PDF and its text there, to look at.
	if dir := os.Getenv("HANDOFF_KEEP_PDF"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "kickoff.pdf"), pdf, 0o644)
		_ = os.WriteFile(filepath.Join(dir, "kickoff.txt"), []byte(printed), 0o644)
	}
	flat := squeeze(printed)

	want := map[string]bool{"kickoff-architecture": false}
	for _, k := range handoff.DocKinds {
		want["kickoff-"+string(k)] = false
	}
	for _, s := range sections {
		if _, ok := want[s.ID]; !ok {
			continue
		}
		want[s.ID] = true
		if len(s.Parts) < 2 {
			t.Errorf("%s shows almost nothing: %q", s.ID, s.Parts)
		}
		for _, part := range s.Parts {
			if !strings.Contains(flat, squeeze(part)) {
				t.Errorf("%s: %q is on the page but not in the PDF", s.ID, part)
			}
		}
	}
	for id, seen := range want {
		if !seen {
			t.Errorf("the kickoff document has no section %s", id)
		}
	}
	for _, k := range handoff.DocKinds {
		if !strings.Contains(flat, squeeze(k.Title())) {
			t.Errorf("the PDF lacks the heading %q", k.Title())
		}
	}
	// One page for the deal, then each document and the architecture start a
	// page of their own.
	if pages := strings.Count(printed, "\f"); pages < len(handoff.DocKinds)+2 {
		t.Errorf("the PDF has %d pages; each of the %d documents and the architecture should start a new one", pages, len(handoff.DocKinds))
	}
	for _, gone := range []string{"Log out", "Skip to content", "Back to the pack", "Save as PDF"} {
		if strings.Contains(flat, squeeze(gone)) {
			t.Errorf("the print shows %q; navigation and hints stay on screen", gone)
		}
	}
}

// A new API token in a real browser: the admin reaches API tokens
// from the navigation, creates one, and the Copy button (an external script,
// as the CSP demands) shows, selects the token and says what it did.
func TestBrowserAPITokenCopyButton(t *testing.T) {
	t.Parallel()
	r := mustRunServe(t, postgrestest.URL(t), map[string]string{"HANDOFF_DEMO": "1"})
	ctx := browsertest.New(t)
	login(t, ctx, r.URL, "admin@example.com", demo.Password)
	do(t, ctx,
		browsertest.ClickAndWait(`.site-nav a[href="/admin/tokens"]`),
		fill(`#f-name`, "Salesforce"),
		browsertest.ClickAndWait(`form[action="/admin/tokens"] button[type=submit]`),
		chromedp.WaitVisible(css(`button[data-copy-target="api-token"]`)),
		chromedp.Click(css(`button[data-copy-target="api-token"]`)),
	)
	token, err := chromedp.Run(ctx, chromedp.Value(css(`#api-token`)))
	if err != nil || len(token) < 20 {
		t.Fatalf("token field = %q (%v)", token, err)
	}
	selected, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`(() => { const f = document.getElementById("api-token"); return f.selectionStart === 0 && f.selectionEnd === f.value.length })()`))
	if err != nil || !selected {
		t.Errorf("the token is not selected after Copy (%v)", err)
	}
	// The clipboard answers asynchronously, so the words come a moment
	// after the click.
	said, err := chromedp.Run(ctx, chromedp.Poll[string](
		`document.getElementById("api-token-status").textContent.trim() || null`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || said == "" {
		t.Errorf("the Copy button said nothing (%v)", err)
	}
}
