package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/handoff-app/handoff/internal/browsertest"
	"github.com/handoff-app/handoff/internal/demo"
)

// First value in a real browser: the SA opens an acknowledged pack of the
// demo org and sends the first value form empty (a message beside each
// field, nothing lost), then records the day the customer first got value;
// the first value clock is done and the SE reads the record. axe-core checks
// every page.
func TestBrowserFirstValue(t *testing.T) {
	t.Parallel()
	base, pack, alex := acknowledgedInBrowser(t)
	today := nyToday() // the kickoff's day too, in the demo org's zone
	do(t, alex, chromedp.Navigate(base+pack+"#first-value"), chromedp.WaitVisible(css(`[data-testid="first-value"] form`)))
	if due := text(t, alex, `[data-testid="first-value-due"]`); !strings.HasPrefix(due, "Not recorded yet — due ") {
		t.Fatalf("before recording the card says %q", due)
	}
	if k := text(t, alex, `[data-testid="clock-first_value"]`); strings.Contains(k, "Done") {
		t.Fatalf("first value clock = %q before recording", k)
	}

	// Empty: refused beside each field.
	do(t, alex, browsertest.ClickAndWait(`[data-testid="first-value-submit"]`))
	if got := text(t, alex, `[data-testid="first-value-errors"]`); !strings.Contains(got, "Nothing was saved") {
		t.Fatalf("an empty form says %q", got)
	}
	for _, id := range []string{"first_value_on", "first_value_what"} {
		if msg := text(t, alex, `#f-`+id+`-error`); msg == "" {
			t.Errorf("no message beside %s", id)
		}
	}

	// Only the words typed, then sent again: they are kept, and the date is
	// still asked for.
	what := "First 200 agents live on SSO; ticket deflection measured at 18%."
	do(t, alex, fill(`#f-first_value_what`, what), browsertest.ClickAndWait(`[data-testid="first-value-submit"]`))
	if got := value(t, alex, `#f-first_value_what`); got != what {
		t.Fatalf("the typed words came back as %q", got)
	}
	if msg := text(t, alex, `#f-first_value_on-error`); !strings.Contains(msg, "Enter a date") {
		t.Errorf("beside the date: %q", msg)
	}

	// The day: recorded, the clock done.
	do(t, alex, choose(`#f-first_value_on`, today), browsertest.ClickAndWait(`[data-testid="first-value-submit"]`))
	if got := text(t, alex, `#first-value .flash-success`); !strings.Contains(got, "First value recorded: "+today) {
		t.Fatalf("after recording the card's flash says %q", got)
	}
	inView, err := chromedp.Run(alex, chromedp.Evaluate[bool](`(() => { const r = document.querySelector('#first-value .flash-success').getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight; })()`))
	if err != nil || !inView {
		t.Errorf("after recording the confirmation is out of view (%v)", err)
	}
	if !strings.HasSuffix(location(t, alex), "#first-value") {
		t.Errorf("after recording the SA is at %s, want the card", location(t, alex))
	}
	if k := text(t, alex, `[data-testid="clock-first_value"]`); !strings.Contains(k, "Done") {
		t.Errorf("first value clock = %q, want done", k)
	}
	if got := text(t, alex, `[data-testid="first-value-what"]`); got != what {
		t.Errorf("the record reads %q", got)
	}

	// The SE reads it, with who recorded it, and gets no form.
	sam := browsertest.NewTab(t, alex)
	login(t, sam, base, "sam.se@example.com", demo.Password)
	do(t, sam, chromedp.Navigate(base+pack), chromedp.WaitVisible(css(`[data-testid="first-value-record"]`)))
	if got := text(t, sam, `[data-testid="first-value-by"]`); !strings.HasPrefix(got, "Recorded by Alex Chen at ") {
		t.Errorf("the SE reads %q", got)
	}
	if n, _ := chromedp.Run(sam, chromedp.Evaluate[int](`document.querySelectorAll('form[action$="/first-value"]').length`)); n != 0 {
		t.Error("the SE gets the first value form")
	}
}
