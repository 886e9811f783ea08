package handoff

import (
	"fmt"
	"testing"
)

// The staffing guide of README.md: strategic 1:8–15, commercial 1:20–30.
func TestStaffingOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		strategic, commercial int
		want                  Staffing
	}{
		{0, 0, StaffingBelow},
		// Loads of 0.13–0.43, as the demo's SAs carry: below, not within.
		{2, 0, StaffingBelow},
		{0, 4, StaffingBelow},
		{4, 5, StaffingBelow}, // 4/15 + 5/30 ≈ 0.43
		{7, 0, StaffingBelow},
		{0, 19, StaffingBelow},
		// The bounds themselves are within.
		{8, 0, StaffingWithin},
		{15, 0, StaffingWithin},
		{0, 20, StaffingWithin},
		{0, 30, StaffingWithin},
		{12, 0, StaffingWithin},
		{0, 25, StaffingWithin},
		// A mix counts each account at its share: 4/8 + 10/20 = 1 at the bottom.
		{4, 10, StaffingWithin},
		{4, 9, StaffingBelow},
		// 10/15 + 10/30 = 1 at the top.
		{10, 10, StaffingWithin},
		{10, 11, StaffingAbove},
		{16, 0, StaffingAbove},
		{0, 31, StaffingAbove},
		{14, 3, StaffingAbove}, // 14/15 + 3/30 ≈ 1.03
	} {
		t.Run(fmt.Sprintf("%dStrategic%dCommercialIs%s", tc.strategic, tc.commercial, tc.want.Label()), func(t *testing.T) {
			t.Parallel()
			if got := StaffingOf(tc.strategic, tc.commercial); got != tc.want {
				t.Errorf("StaffingOf(%d, %d) = %s, want %s (load %.2f)", tc.strategic, tc.commercial, got, tc.want, StaffingLoad(tc.strategic, tc.commercial))
			}
		})
	}
}

func TestSegmentIsStrategic(t *testing.T) {
	t.Parallel()
	want := map[Segment]bool{SegmentStrategic: true, SegmentEnterprise: true, SegmentMidMarket: false, SegmentCommercial: false}
	for _, s := range Segments {
		if s.IsStrategic() != want[s] {
			t.Errorf("%s.IsStrategic() = %v", s, s.IsStrategic())
		}
	}
}
