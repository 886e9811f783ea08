package main

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
)

// matrixRows lists the keys of the closure matrix rows on the architecture
// page the browser shows: the rows that take a closure.
func matrixRows(t *testing.T, ctx context.Context) []string {
	t.Helper()
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('select[name^="closure."]')].map(s => s.name)`))
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = strings.TrimSuffix(strings.TrimPrefix(n, "closure."), ".part")
	}
	return keys
}

// closeMatrix closes every row of the closure matrix on the page: each by
// the integration list, with a note.
func closeMatrix(t *testing.T, ctx context.Context) []chromedp.Action[chromedp.Void] {
	t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for _, key := range matrixRows(t, ctx) {
		steps = append(steps, choose(`[name="closure.`+key+`.part"]`, "integrations"),
			fill(`[name="closure.`+key+`.note"]`, "The integration list designs for it."))
	}
	return steps
}

// The closure matrix and the accuracy score in a real browser, as issue 14
// walks them: the SA's lock is refused while a row is open, naming it; the
// closed matrix is shown for confirmation and frozen; the lock leads on to
// the assessment, whose figure the SE reads as their own and the manager
// reads on the accuracy page and its CSV. axe-core checks every page.
func TestBrowserMatrixLockAssessmentStats(t *testing.T) {
	t.Parallel()
	base, pack, alex := acknowledgedInBrowser(t)
	do(t, alex, chromedp.Navigate(base+pack+"/architecture"), chromedp.WaitVisible(css(`[data-testid="matrix-form"]`)))
	keys := matrixRows(t, alex)
	if len(keys) < 2 {
		t.Fatalf("matrix rows = %v, want both approved commitments at least", keys)
	}
	legend := strings.Fields(text(t, alex, `#row-`+keys[0]+` legend`))
	first := strings.Join(legend[1:], " ") // after the hidden "Commitment:"

	// Everything but the matrix: the lock is refused, naming the open rows.
	do(t, alex, fill(`#f-doc_link`, "https://wiki.globex.example/arch"))
	for _, p := range []string{"diagrams", "data_flows", "identity", "integrations", "scale"} {
		do(t, alex, fill(`[name="`+p+`.notes"]`, "Agreed at the design review: "+p))
	}
	do(t, alex, fill(`#f-sign_off_name`, "Rita Architect"), fill(`#f-sign_off_title`, "Enterprise Architect"),
		choose(`#f-sign_off_on`, nyToday()), fill(`[name="closure.`+keys[1]+`.note"]`, "Half typed, no part yet. "),
		browsertest.ClickAndWait(`[data-testid="lock-button"]`))
	if msg := text(t, alex, `#lock-error`); !strings.Contains(msg, "closure matrix") || !strings.Contains(msg, first) {
		t.Fatalf("lock with the matrix open says %q, want %q named", msg, first)
	}
	if got := value(t, alex, `[name="closure.`+keys[1]+`.note"]`); got != "Half typed, no part yet." {
		t.Errorf("typed note came back as %q", got)
	}

	// Close it: the first row out of scope, the rest by the integration list.
	steps := []chromedp.Action[chromedp.Void]{choose(`[name="closure.`+keys[0]+`.part"]`, "out_of_scope"),
		fill(`[name="closure.`+keys[0]+`.note"]`, "Phase two, agreed with the customer's CIO.")}
	for _, k := range keys[1:] {
		steps = append(steps, choose(`[name="closure.`+k+`.part"]`, "integrations"), fill(`[name="closure.`+k+`.note"]`, " The integration list designs for it."))
	}
	do(t, alex, append(steps, browsertest.ClickAndWait(`[data-testid="lock-button"]`))...)
	if sum := text(t, alex, `[data-testid="lock-summary"]`); !strings.Contains(sum, "Closure matrix: "+strconv.Itoa(len(keys))+" of "+strconv.Itoa(len(keys))+" rows closed.") {
		t.Fatalf("confirmation summary = %q", sum)
	}
	if m := text(t, alex, `[data-testid="matrix-view"]`); !strings.Contains(m, "Phase two, agreed with the customer's CIO.") {
		t.Errorf("confirmation matrix = %q", m)
	}
	do(t, alex, browsertest.ClickAndWait(`[data-testid="lock-confirm-button"]`))
	if loc := location(t, alex); !strings.HasSuffix(loc, pack+"/assessment") {
		t.Fatalf("after the lock the SA is on %s, want the assessment", loc)
	}

	// The assessment: the first item under-scoped, the rest held, one thing
	// surfaced.
	items, err := chromedp.Run(alex, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[type=radio][value="held"]')].map(i => i.name)`))
	if err != nil || len(items) < len(keys) {
		t.Fatalf("assessment items = %v (%v)", items, err)
	}
	do(t, alex, browsertest.ClickAndWait(`[data-testid="assessment-save"]`))
	if got := text(t, alex, `[data-testid="assessment-errors"]`); !strings.Contains(got, "Nothing was saved") {
		t.Fatalf("an empty assessment says %q", got)
	}
	for i, name := range items {
		verdict := "held"
		if i == 0 {
			verdict = "under_scoped"
		}
		do(t, alex, chromedp.Click(css(`input[name="`+name+`"][value="`+verdict+`"]`)))
	}
	note := strings.TrimSuffix(items[0], ".verdict") + ".note"
	do(t, alex, fill(`[name="`+note+`"]`, "Needed two Workday tenants, not one."),
		choose(`[name="surfaced.0.kind"]`, "stakeholder"), choose(`[name="surfaced.0.severity"]`, "high"),
		fill(`[name="surfaced.0.description"]`, "A new CISO re-opened the security review."),
		browsertest.ClickAndWait(`[data-testid="assessment-save"]`))
	n := len(items)
	want := strconv.Itoa(int(math.Round(float64(n-1)/float64(n+1)*100))) + "%"
	if got := text(t, alex, `[data-testid="accuracy-figure"]`); got != want {
		t.Fatalf("accuracy = %q, want %s (%d of %d held, 1 surfaced)", got, want, n-1, n)
	}

	// The SE reads their own score from their nav, and nobody else's.
	sam := browsertest.NewTab(t, alex)
	login(t, sam, base, "sam.se@example.com", demo.Password)
	do(t, sam, browsertest.ClickAndWait(`.site-nav a[href="/accuracy"]`))
	bySE := text(t, sam, `[data-testid="accuracy-by-se"]`)
	if !strings.Contains(bySE, "Sam Rivera") || strings.Contains(bySE, "Priya Shah") {
		t.Errorf("the SE's accuracy table = %q", bySE)
	}

	// The manager: Stats → accuracy, every SE, and the pack in the CSV.
	morgan := browsertest.NewTab(t, alex)
	login(t, morgan, base, "manager@example.com", demo.Password)
	do(t, morgan, chromedp.Navigate(base+"/stats"), browsertest.ClickAndWait(`a[href="/accuracy"]`))
	if got := text(t, morgan, `[data-testid="accuracy-by-se"]`); !strings.Contains(got, "Sam Rivera") {
		t.Errorf("the manager's accuracy table = %q", got)
	}
	csv, _ := newFormClient(t, base, "manager@example.com").get("/accuracy.csv?quarters=1")
	id := strings.TrimPrefix(pack, "/packs/")
	var line string
	for _, l := range strings.Split(csv, "\n") {
		if strings.HasPrefix(l, id+",") {
			line = l
		}
	}
	if !strings.Contains(line, "Globex") || !strings.Contains(line, "Sam Rivera") || !strings.Contains(line, ","+strconv.Itoa(n-1)+",1,0,1,") {
		t.Errorf("the CSV line of the pack = %q, want its counts %d held, 1 under-scoped, 0 wrong, 1 surfaced", line, n-1)
	}
}
