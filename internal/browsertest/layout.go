package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Phone is the narrowest screen Handoff fits (README.md): no page scrolls
// sideways at this width.
const Phone = 390

// Viewport sets the page's viewport to width × height CSS pixels; the page
// lays itself out again without reloading.
func Viewport(width, height int64) chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(width, height)
}

// sideways lists the elements that reach past the right edge of the viewport
// when the page is wider than it, widest first: what to fix.
const sideways = `(() => {
	const root = document.documentElement, vw = window.innerWidth;
	if (root.scrollWidth <= vw) return [];
	const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
		(el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
	const out = [];
	for (const el of document.body.querySelectorAll("*")) {
		const r = el.getBoundingClientRect();
		if (r.right > vw + 0.5 && r.width > 0) out.push([r.right, name(el.parentElement) + " > " + name(el) + " (right edge " + Math.round(r.right) + "px)"]);
	}
	out.sort((a, b) => b[0] - a[0]);
	return ["page is " + root.scrollWidth + "px wide in a " + vw + "px viewport"].concat(out.slice(0, 8).map(x => x[1]));
})()`

// CheckNoSideScroll fails the test when the page in ctx is wider than its
// viewport (document.documentElement.scrollWidth > innerWidth), naming the
// elements that stick out.
func CheckNoSideScroll(t testing.TB, ctx context.Context) {
	t.Helper()
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](sideways))
	if err != nil {
		t.Fatalf("measure the page: %v", err)
	}
	if len(found) > 0 {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Errorf("%s scrolls sideways: %s", loc, strings.Join(found, "\n    "))
	}
}

// tablesOverflow lists the tables wider than the box they sit in (a
// .table-wrap scrolls them, and a cut-off column hides behind its edge).
const tablesOverflow = `[...document.querySelectorAll("table")].map(t => {
	const box = t.closest(".table-wrap") || t.parentElement;
	const label = t.dataset.testid || (t.querySelector("caption, th") || {}).textContent || "table";
	return t.offsetWidth > box.clientWidth + 0.5 ? label.trim() + ": " + t.offsetWidth + "px in a " + box.clientWidth + "px box" : "";
}).filter(Boolean)`

// CheckTablesFit fails the test when a table on the page in ctx is wider than
// its box, so that some of its columns are cut off or need scrolling.
func CheckTablesFit(t testing.TB, ctx context.Context) {
	t.Helper()
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](tablesOverflow))
	if err != nil {
		t.Fatalf("measure the tables: %v", err)
	}
	if len(found) > 0 {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Errorf("%s: %s", loc, fmt.Sprint(strings.Join(found, "; ")))
	}
}
