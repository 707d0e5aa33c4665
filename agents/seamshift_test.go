package agents

import (
	"context"
	"math"
	"testing"
)

// TestSeamShiftIsRequote: the seam's values from ShiftObjective (the base
// evaluation's shares with a lab's qualities moved, in closed form) agree
// with those from moving the cells' qualities and requoting
// (RequoteObjective, seamRequote) to 1e-8 of the gain per K unit, for every
// lab in every month of a run of the default world in which the seam was
// evaluated; the forward difference divides the objectives' rounding by
// its step, so the gains agree less closely than the objectives do.
func TestSeamShiftIsRequote(t *testing.T) {
	ctx := context.Background()
	w := newTestWorld(t, DefaultScenario(), 2000, 7)
	pg := &w.pg
	compared, positive, worst := 0, 0, 0.0
	for m := 0; m < DefaultMonths; m++ {
		if err := w.Step(ctx, m); err != nil {
			t.Fatalf("month %d: %v", m, err)
		}
		if pg.seamFor != m {
			continue
		}
		var rev, gain [MaxLabs]float64
		for l := range w.Labs {
			rev[l], gain[l] = w.seamLab(l)
		}
		pg.seamRequote = true
		for l := range w.Labs {
			r, g := w.seamLab(l)
			if r != rev[l] || math.Abs(g-gain[l]) > 1e-8*math.Max(math.Abs(g), 1e-12) {
				t.Fatalf("month %d lab %d: ShiftObjective revenue %g gain %.17g, RequoteObjective %g %.17g", m, l, rev[l], gain[l], r, g)
			}
			compared++
			if g != 0 {
				worst = math.Max(worst, math.Abs(g-gain[l])/math.Abs(g))
			}
			if g > 0 {
				positive++
			}
		}
		pg.seamRequote = false
		// the base evaluation again (RequoteObjective moved the Pricer's state)
		if err := pg.seamPr.Evaluate(&pg.seam, pg.seamP, &pg.seamEq); err != nil {
			t.Fatalf("month %d: %v", m, err)
		}
	}
	t.Logf("%d seam values compared, %d of them positive; largest relative difference of a gain %.3g", compared, positive, worst)
	if positive == 0 {
		t.Fatal("no positive seam gain compared")
	}
}
