package market

import (
	"math"
	"testing"
)

// Rationing by tier: committed and priority tiers are served in full
// while capacity lasts, the first tier that does not fit pro rata, later
// tiers nothing.
func TestRation(t *testing.T) {
	cases := []struct {
		name     string
		capacity float64
		request  []float64
		tier     []int
		want     []float64
		left     float64
	}{
		{"ample", 10, []float64{1, 2, 3}, []int{0, 1, 2}, []float64{1, 2, 3}, 4},
		{"infinite capacity", math.Inf(1), []float64{1, 2}, nil, []float64{1, 2}, math.Inf(1)},
		{"pro rata, one tier", 3, []float64{1, 2, 3}, nil, []float64{0.5, 1, 1.5}, 0},
		// Committed (tier 0) and exclusive (tier 1) first, then the rest pro rata.
		{"priority first", 5, []float64{2, 2, 3, 1}, []int{0, 1, 2, 2}, []float64{2, 2, 0.75, 0.25}, 0},
		{"first tier short", 1, []float64{2, 2, 3}, []int{0, 0, 1}, []float64{0.5, 0.5, 0}, 0},
		{"tiers in any order and any labels", 5, []float64{3, 2, 2}, []int{7, -1, 3}, []float64{1, 2, 2}, 0},
		{"zero capacity", 0, []float64{1, 2}, []int{0, 1}, []float64{0, 0}, 0},
		{"zero requests", 1, []float64{0, 0}, nil, []float64{0, 0}, 1},
	}
	for _, c := range cases {
		served := make([]float64, len(c.request))
		left, err := Ration(c.capacity, c.request, c.tier, served)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := range served {
			checkExact(t, c.name+" served", served[i], c.want[i])
		}
		if left != c.left {
			t.Errorf("%s: left %g, want %g", c.name, left, c.left)
		}
	}
}
