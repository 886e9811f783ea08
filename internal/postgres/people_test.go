package postgres

import (
	"slices"
	"testing"
)

// TestPeopleNamed: a word names everyone whose name holds it, in any case,
// each word on its own.
func TestPeopleNamed(t *testing.T) {
	t.Parallel()
	ps := newPeople([]int64{1, 2, 3, 4}, []string{"Sam Rivera", "Priya Shah", "Alex Ng", "Élodie Durand"})
	for _, tc := range []struct {
		words []string
		want  [][]int64
	}{
		{nil, [][]int64{}},
		{[]string{"RIV"}, [][]int64{{1}}},
		{[]string{"a"}, [][]int64{{1, 2, 3, 4}}},
		{[]string{"ÉLODIE"}, [][]int64{{4}}},
		{[]string{"élodie d"}, [][]int64{{4}}},
		{[]string{"shah", "nobody", "ng"}, [][]int64{{2}, nil, {3}}},
	} {
		got := ps.Named(tc.words)
		if !slices.EqualFunc(got, tc.want, slices.Equal) {
			t.Errorf("Named(%q) = %v, want %v", tc.words, got, tc.want)
		}
	}
}
