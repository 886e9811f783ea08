package web

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
)

// TestKeptSelectMatchesSelect: options rendered once read as Select renders
// them, escaped, with the chosen one selected.
func TestKeptSelectMatchesSelect(t *testing.T) {
	t.Parallel()
	opts := []handoff.Option{{Value: "1", Label: `Ann "A&B" <x>`}, {Value: "2", Label: "Bo"}}
	for _, sel := range []string{"", "1", "2", "9"} {
		var kept, plain bytes.Buffer
		if err := KeptSelect("se_id", "SE", NewOptions(opts), sel, "Choose…").Render(context.Background(), &kept); err != nil {
			t.Fatal(err)
		}
		if err := Select("se_id", "SE", opts, sel, "Choose…", nil).Render(context.Background(), &plain); err != nil {
			t.Fatal(err)
		}
		// templ puts a space between the placeholder and the loop's options.
		if k, p := kept.String(), strings.ReplaceAll(plain.String(), "</option> <option", "</option><option"); k != p {
			t.Errorf("selected %q:\nkept   %s\nSelect %s", sel, k, p)
		}
	}
}
