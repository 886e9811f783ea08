package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A table wrapper scrolls sideways when its table is wider than the screen;
// keyboard users can only scroll it when it can take focus, and screen
// readers announce it by its name (axe-core's scrollable-region-focusable).
// So every `class="table-wrap"` in a template is a focusable, named region.
func TestTableWrapsAreFocusableNamedRegions(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.templ")
	if err != nil {
		t.Fatal(err)
	}
	tag := regexp.MustCompile(`<div class="table-wrap"[^>]*>`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range tag.FindAllString(string(b), -1) {
			if !strings.Contains(m, `role="region"`) || !strings.Contains(m, `aria-label=`) || !strings.Contains(m, `tabindex="0"`) {
				t.Errorf("%s: %s needs role=\"region\", an aria-label and tabindex=\"0\"", f, m)
			}
		}
	}
}
