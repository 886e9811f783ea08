// Package browsertest runs journeys in a real headless Chromium through
// chromedp. A missing browser fails the test with the install command, unless
// HANDOFF_SKIP_BROWSER=1 says explicitly to skip (CI never sets it).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds one browser test, so a hung page fails instead of hanging CI.
const Timeout = 90 * time.Second

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
