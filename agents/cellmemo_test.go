package agents

import (
	"math"
	"testing"
)

// computeCells' memos (incEMemo, cellMemo, incFMemo: exponentials and
// logarithms kept from one call to the next by their arguments) change
// nothing: a world whose computeCells empties them at every call
// (noCellMemo) has bit for bit the same cells every month, the same
// conflict outcomes, and the same conflict evaluations in a sequence of
// disparagement levels and lag penalties that moves some utilities and
// keeps others (the sequence the memos serve).
func TestCellMemoExact(t *testing.T) {
	w := newTestWorld(t, DefaultScenario(), 2000, 1)
	u := newTestWorld(t, DefaultScenario(), 2000, 1)
	u.noCellMemo = true
	same := func(what string, m int, a, b []float64) {
		t.Helper()
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Fatalf("m%d %s[%d]: memo %v, fresh %v", m, what, i, a[i], b[i])
			}
		}
	}
	evals := 0
	for m := 0; m < DefaultMonths; m++ {
		stepTo(t, w, m, m+1)
		stepTo(t, u, m, m+1)
		same("cellShare", m, w.cellShare, u.cellShare)
		same("cellLogsum", m, w.cellLogsum, u.cellLogsum)
		same("cellOutside", m, w.dm.cellOutside, u.dm.cellOutside)
		for h := range w.Hyper {
			if w.Hyper[h].Disparage != u.Hyper[h].Disparage {
				t.Fatalf("m%d hyperscaler %d: disparagement %v, fresh %v", m, h, w.Hyper[h].Disparage, u.Hyper[h].Disparage)
			}
		}
		if m%6 != 5 {
			continue
		}
		for l := range w.Labs {
			if L := &w.Labs[l]; !L.Active || L.Backer < 0 || L.Owner >= 0 || L.Lag != u.Labs[l].Lag {
				if L.Lag != u.Labs[l].Lag {
					t.Fatalf("m%d lab %d: lag %d, fresh %d", m, l, L.Lag, u.Labs[l].Lag)
				}
				continue
			}
			for _, d := range []float64{0, 0.4 * w.S.Conflict.DMax, w.S.Conflict.DMax, 0.4 * w.S.Conflict.DMax} {
				for _, pen := range []float64{0, 0.3, 0} {
					ln, bn, err := w.evalConflict(l, d, pen)
					if err != nil {
						t.Fatal(err)
					}
					lu, bu, err := u.evalConflict(l, d, pen)
					if err != nil {
						t.Fatal(err)
					}
					if ln != lu || bn != bu {
						t.Fatalf("m%d lab %d d=%g pen=%g: memo (%v, %v), fresh (%v, %v)", m, l, d, pen, ln, bn, lu, bu)
					}
					same("evalShare", m, w.evalShare, u.evalShare)
					evals++
				}
			}
		}
	}
	if evals == 0 {
		t.Fatal("no conflict evaluation compared")
	}
	t.Logf("%d conflict evaluations identical", evals)
}
