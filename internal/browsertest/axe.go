package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeVersion is the axe-core release the accessibility checks run;
// scripts/axe.sh installs it.
const AxeVersion = "4.14.1"

// axePath finds axe.min.js: HANDOFF_AXE_JS (set by `make test`), else where
// scripts/axe.sh installs it in the module's .cache folder.
func axePath() string {
	if p := os.Getenv("HANDOFF_AXE_JS"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".cache", "axe", "node_modules", "axe-core", "axe.min.js")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// axeSource reads axe.min.js, failing the test with how to get it: a browser
// test never skips its accessibility checks in silence.
func axeSource(t testing.TB) string {
	t.Helper()
	path := axePath()
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		t.Fatalf("accessibility checks need axe-core %s (looked for %q: %v): run `scripts/axe.sh` "+
			"(or `make test`, which runs it) to install it into .cache/axe with npm, "+
			"or set HANDOFF_AXE_JS to the path of an axe.min.js", AxeVersion, path, err)
	}
	return string(b)
}

// Violation is one axe rule a page breaks, with the elements that break it.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s\n      %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n      "))
}

// runAxe audits the whole document with axe's WCAG 2.x A/AA rules and best
// practices, and returns the serious and critical violations. The audit marks
// the document, so checked reports it was audited until the next page loads.
const runAxe = `(async () => {
	const r = await axe.run(document, {resultTypes: ["violations"]});
	window.__handoffAxeChecked = true;
	return r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 8).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))}));
})()`

// CheckAccessibility runs axe-core in the page ctx shows and fails the test
// (without stopping it) on every serious or critical violation, listing each
// with the elements at fault. A page is audited once per load: Handoff's pages
// have no script that changes them after loading, so a second call on the
// same document is a no-op, and a journey may call it after every step.
func CheckAccessibility(t testing.TB, ctx context.Context) {
	t.Helper()
	// No page yet (a new tab's about:blank) or one already audited.
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__handoffAxeChecked === true || !location.protocol.startsWith("http")`))
	if err != nil {
		t.Fatalf("accessibility check: read the page: %v", err)
	}
	if checked {
		return
	}
	vs, err := Audit(t, ctx)
	if err != nil {
		t.Fatalf("accessibility check: %v", err)
	}
	if len(vs) == 0 {
		return
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("\n  - " + v.String())
	}
	t.Errorf("accessibility: %d serious or critical axe violation(s) on %s:%s", len(vs), loc, b.String())
}

// Audit injects axe-core into the page when it is not there yet and returns
// the page's serious and critical violations.
func Audit(t testing.TB, ctx context.Context) ([]Violation, error) {
	t.Helper()
	src := axeSource(t)
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined"`))
	if err != nil {
		return nil, fmt.Errorf("read the page: %w", err)
	}
	if !loaded {
		// Evaluated through the DevTools protocol, so the page's
		// Content-Security-Policy (no script at all) does not apply.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](runAxe, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var vs []Violation
	if err := json.Unmarshal(raw, &vs); err != nil {
		return nil, fmt.Errorf("read axe-core's results: %w", err)
	}
	return vs, nil
}
