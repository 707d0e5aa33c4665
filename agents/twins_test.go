package agents

import (
	"context"
	"math"
	"testing"
)

// sameBits reports whether a and b are equal element by element, bit for
// bit (NaN included).
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// TestTwinSegmentsExact: copying the cells of segments whose investor ties
// steer alike (canonicalTies), and keeping the conflict evaluations' cells
// whose utilities did not move (evalCache), gives bit for bit what
// computing them gives,
// month by month over a run of the default world, in the month's choice
// cells, vendor and primary-cloud CDFs, the pricing and seam cells, and the
// bills, seam values and channel-conflict best responses downstream.
func TestTwinSegmentsExact(t *testing.T) {
	ctx := context.Background()
	fast := newTestWorld(t, DefaultScenario(), 2000, 3)
	slow := newTestWorld(t, DefaultScenario(), 2000, 3)
	slow.noTwins = true
	twins, steered := 0, 0
	for m := 0; m < DefaultMonths; m++ {
		if err := fast.Step(ctx, m); err != nil {
			t.Fatalf("month %d: %v", m, err)
		}
		if err := slow.Step(ctx, m); err != nil {
			t.Fatalf("month %d: %v", m, err)
		}
		canon := fast.canonicalTies()
		for tie := 0; tie <= fast.nFunds; tie++ {
			if canon[tie] != tie {
				twins++
			} else if tie > 0 {
				steered++
			}
		}
		switch {
		case !sameBits(fast.cellShare, slow.cellShare):
			t.Fatalf("month %d: cell shares differ", m)
		case !sameBits(fast.cellLogsum, slow.cellLogsum):
			t.Fatalf("month %d: cell log-sums differ", m)
		case !sameBits(fast.cellCDF, slow.cellCDF):
			t.Fatalf("month %d: vendor CDFs differ", m)
		case !sameBits(fast.dm.cellOutside, slow.dm.cellOutside):
			t.Fatalf("month %d: outside shares differ", m)
		case !sameBits(fast.dm.cloudCDF, slow.dm.cloudCDF):
			t.Fatalf("month %d: primary-cloud CDFs differ", m)
		case !sameBits(fast.pg.quality, slow.pg.quality) || !sameBits(fast.pg.seamQ, slow.pg.seamQ):
			t.Fatalf("month %d: pricing cells differ", m)
		case !sameBits(fast.dm.bill[:], slow.dm.bill[:]):
			t.Fatalf("month %d: bills differ", m)
		case !sameBits(fast.pg.seamK[:], slow.pg.seamK[:]):
			t.Fatalf("month %d: seam values differ", m)
		}
		for h := range fast.Hyper {
			if math.Float64bits(fast.Hyper[h].Disparage) != math.Float64bits(slow.Hyper[h].Disparage) {
				t.Fatalf("month %d: disparagement of cloud %d differs", m, h)
			}
		}
		for l := range fast.Labs {
			if fast.Labs[l].Lag != slow.Labs[l].Lag {
				t.Fatalf("month %d: lag of lab %d differs", m, l)
			}
		}
	}
	if twins == 0 || steered == 0 {
		t.Fatalf("%d twin ties and %d distinct tied ones over the run: the test covers too little", twins, steered)
	}
}
