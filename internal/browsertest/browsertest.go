// Package browsertest runs journeys in a real headless Chromium through
// chromedp. A missing browser fails the test with the install command, unless
// HANDOFF_SKIP_BROWSER=1 says explicitly to skip (CI never sets it).
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds one browser test, so a hung page fails instead of hanging CI.
// It starts once the test has its browser (see browsers); every page a
// journey visits is also audited with axe-core, a second or so each.
const Timeout = 3 * time.Minute

// browsers bounds how many browsers the package's parallel tests run at once:
// more than the machine has cores only makes each slower, until journeys hit
// Timeout. A test waits in New for its turn. (A journey with two people uses
// NewTab for the second, never a second New.)
var browsers = make(chan struct{}, max(2, runtime.NumCPU()))

// chromiumPath finds the browser: HANDOFF_CHROMIUM, then Debian's chromium,
// then other common names.
func chromiumPath() string {
	if p := os.Getenv("HANDOFF_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New returns a chromedp context on a fresh browser profile, closed when the
// test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("HANDOFF_SKIP_BROWSER") == "1" {
			t.Skip("browser test skipped: HANDOFF_SKIP_BROWSER=1 and no Chromium installed")
		}
		t.Fatal("browser tests need Chromium: install it with `apt-get install -y chromium` " +
			"(or set HANDOFF_CHROMIUM to its path); set HANDOFF_SKIP_BROWSER=1 to skip them explicitly")
	}
	browsers <- struct{}{}
	t.Cleanup(func() { <-browsers }) // runs last, after the browser is closed
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), Timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	// Start the browser now, so a broken install fails here with a clear message.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("browsertest: start Chromium at %s: %v", path, err)
	}
	return bctx
}

// NewTab returns a second, independent browser session in the same browser:
// its own cookies, as if another person were at another computer.
func NewTab(t testing.TB, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: new tab: %v", err)
	}
	return ctx
}

// ClickAndWait clicks sel and waits until the browser has loaded the page the
// click leads to (a form post and its redirect, or a link), so the next step
// reads the new page and not the old one.
func ClickAndWait(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.Evaluate[bool](`window.__browsertestOld = true`)(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		if _, err := chromedp.Click(chromedp.CSS(sel))(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			done, err := chromedp.Evaluate[bool](`window.__browsertestOld === undefined && document.readyState === "complete"`)(ctx, t)
			if err == nil && done {
				return chromedp.Void{}, nil
			}
			if time.Now().After(deadline) {
				return chromedp.Void{}, fmt.Errorf("browsertest: no new page after clicking %s", sel)
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
}
