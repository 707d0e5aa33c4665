package agents

import (
	"context"
	"math"
	"testing"
)

// closeRel reports whether a and b agree to rel relative to the larger of
// their magnitudes and floor (both infinite of one sign agree).
func closeRel(a, b, rel, floor float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*math.Max(floor, math.Max(math.Abs(a), math.Abs(b)))
}

// TestIncumbentCellsClosedForm: the incumbent cells in closed form
// (incumbentBase, incumbentCell) agree with NestedLogit of the shifted
// utilities (noClosedInc) to 1e-12 in every share, log-sum and outside
// share, month by month over a run of the default world, for the cells
// without incumbent (the same closed form without the shift) and with, for the month's
// cells and for a channel-conflict evaluation (a backed lab's
// disparagement moved, its backer channel penalised), at the default
// switching cost, at 4 utils and at 0.
func TestIncumbentCellsClosedForm(t *testing.T) {
	ctx := context.Background()
	for _, gamma := range []float64{1, 4, 0} {
		s := DefaultScenario()
		s.Logit.Gamma = gamma
		w := newTestWorld(t, s, 2000, 5)
		n := w.numCells * w.numAlt
		fastS, slowS := make([]float64, n), make([]float64, n)
		fastL, slowL := make([]float64, w.numCells), make([]float64, w.numCells)
		fastO, slowO := make([]float64, w.numCells), make([]float64, w.numCells)
		cells := 0
		for m := 0; m < DefaultMonths; m++ {
			if err := w.Step(ctx, m); err != nil {
				t.Fatalf("gamma %g month %d: %v", gamma, m, err)
			}
			saved := append([]float64(nil), w.dm.cellOutside...)
			savedE := append([]float64(nil), w.dm.evalOutside...)
			var disp [MaxLabs]float64
			for _, lab := range []int{-1, 0, 1} {
				outside := w.dm.cellOutside
				if lab >= 0 {
					outside = w.dm.evalOutside
					disp[lab] = 0.3
				}
				for _, slow := range []bool{false, true} {
					w.noClosedInc = slow
					sh, ls, o := fastS, fastL, fastO
					if slow {
						sh, ls, o = slowS, slowL, slowO
					}
					clear(sh)
					if err := w.computeCells(&disp, lab, 0.2, sh, ls); err != nil {
						t.Fatalf("gamma %g month %d lab %d: %v", gamma, m, lab, err)
					}
					copy(o, outside)
				}
				w.noClosedInc = false
				for i := range fastS {
					if !closeRel(fastS[i], slowS[i], 1e-12, 1e-300) {
						t.Fatalf("gamma %g month %d lab %d: share %d: closed form %g, nested logit %g", gamma, m, lab, i, fastS[i], slowS[i])
					}
				}
				for c := range fastL {
					if !closeRel(fastL[c], slowL[c], 1e-12, 1) || !closeRel(fastO[c], slowO[c], 1e-12, 1e-300) {
						t.Fatalf("gamma %g month %d lab %d: cell %d: log-sum %g vs %g, outside %g vs %g", gamma, m, lab, c, fastL[c], slowL[c], fastO[c], slowO[c])
					}
					if fastS[c*w.numAlt] != 0 {
						cells++
					}
				}
			}
			copy(w.dm.cellOutside, saved)
			copy(w.dm.evalOutside, savedE)
			w.evalCache.clear()
		}
		t.Logf("gamma %g: %d cells with demand compared", gamma, cells)
		if cells == 0 {
			t.Fatalf("gamma %g: no cell with demand compared", gamma)
		}
	}
}
