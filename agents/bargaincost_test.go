package agents

import (
	"context"
	"testing"

	"frontiersim/engine"
)

// TestBargainSolvesDefault counts the price solves of the Nash-in-Nash
// bargains in months 48 on of the default world (seed 1, 1000 buyers), as
// the speed budget's benchmark runs it, and logs them per bargain. It
// asserts only that the counts are consistent (a bargain solves at least
// one price equilibrium); the figures are for the performance notes.
func TestBargainSolvesDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the default world")
	}
	w, err := NewWorld(NewScenario(defaultCast), 1000, engine.NewStreams(1, 0), DefaultMonths, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bargains, solves, iters := 0, 0, 0

	for m := range DefaultMonths {
		e0, i0 := w.ag.evals, w.ag.iters
		if err := w.Step(ctx, m); err != nil {
			t.Fatal(err)
		}
		if m < 48 || w.ag.bargains == 0 {
			continue
		}
		d := w.ag.evals - e0
		if d < w.ag.bargains {
			t.Errorf("month %d: %d bargains, %d price solves", m, w.ag.bargains, d)
		}
		bargains += w.ag.bargains
		solves += d
		iters += w.ag.iters - i0
		t.Logf("month %d: %d bargains, %d price solves, %d price-map evaluations", m, w.ag.bargains, d, w.ag.iters-i0)
	}
	if bargains > 0 {
		t.Logf("months 48-%d: %d bargains, %d price solves (%.1f per bargain), %d price-map evaluations", DefaultMonths-1, bargains, solves, float64(solves)/float64(bargains), iters)
	}
}
