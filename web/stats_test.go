package web

import (
	"testing"

	"github.com/handoff-app/handoff/internal/stats"
)

// A bar's label is drawn after its end; the longest one, for a bar of 100%,
// must end inside the chart's 740 units, or the SVG cuts it ("100% late (1").
func TestLateBarLabelsFitTheChart(t *testing.T) {
	t.Parallel()
	const chartW, charW = 740.0, 6.6 // 11px tick text: about 6.6 units a character
	bars := seBars([]stats.Group{{Name: "Sam", Decided: 999, Late: 999}})
	if len(bars) != 1 {
		t.Fatalf("bars = %+v", bars)
	}
	b := bars[0]
	if end := b.X + b.W + 6 + charW*float64(len(b.Value)); end > chartW {
		t.Errorf("label %q ends at %.0f, past the chart's %.0f", b.Value, end, chartW)
	}
}
