package handoff

// The SA staffing guide (README.md) says how many open accounts one SA
// carries: 8 to 15 strategic ones, or 20 to 30 commercial ones.
const (
	StrategicPerSAMin, StrategicPerSAMax   = 8, 15
	CommercialPerSAMin, CommercialPerSAMax = 20, 30
)

// IsStrategic reports whether accounts of segment s count against the
// strategic ratio of the staffing guide (strategic and enterprise); the
// others count against the commercial one (commercial and mid-market).
func (s Segment) IsStrategic() bool { return s == SegmentStrategic || s == SegmentEnterprise }

// Staffing is where an SA's book stands against the staffing guide.
type Staffing string

// The three places a book can stand.
const (
	StaffingBelow  Staffing = "below"
	StaffingWithin Staffing = "within"
	StaffingAbove  Staffing = "above"
)

// Label is the word people see: "Below", "Within", "Above".
func (s Staffing) Label() string {
	switch s {
	case StaffingBelow:
		return "Below"
	case StaffingWithin:
		return "Within"
	case StaffingAbove:
		return "Above"
	}
	return string(s)
}

// StaffingOf places an SA's book of open accounts against the staffing guide.
// Each account counts as its share of a full book: a strategic one 1/15 of a
// book at the top of the guide and 1/8 at the bottom, a commercial one 1/30
// and 1/20. The book is above the guide when it is more than one full book at
// the top ratios, below it when it is less than one full book at the bottom
// ratios, and within otherwise; with one kind of account this is exactly
// 8–15 or 20–30. The sums are kept in whole numbers, so a book on a bound is
// within.
func StaffingOf(strategic, commercial int) Staffing {
	switch {
	// strategic/15 + commercial/30 > 1
	case strategic*CommercialPerSAMax+commercial*StrategicPerSAMax > StrategicPerSAMax*CommercialPerSAMax:
		return StaffingAbove
	// strategic/8 + commercial/20 < 1
	case strategic*CommercialPerSAMin+commercial*StrategicPerSAMin < StrategicPerSAMin*CommercialPerSAMin:
		return StaffingBelow
	}
	return StaffingWithin
}

// StaffingLoad is the book as a share of a full one at the top of the guide
// (strategic/15 + commercial/30): 1.00 is full, over 1.00 is above the guide.
func StaffingLoad(strategic, commercial int) float64 {
	return float64(strategic)/StrategicPerSAMax + float64(commercial)/CommercialPerSAMax
}
