package agents

import (
	"math"
	"testing"

	"frontiersim/market"
)

// TestDefaultWorldOwnModels: in the shipped world the hyperscalers that
// declare own models (the Azure- and AWS-like clouds; the GCP-like cloud's
// own models are its in-house lab's) sell them in endogenous mode, and the
// horizontal screen of an acquisition of the challenger by each of them
// sees the overlap: ΔHHI = 2 x the hyperscaler's share (own models and
// owned labs) x the challenger's, in points, positive (before own models
// were declared it was 0 for a hyperscaler owning no lab).
func TestDefaultWorldOwnModels(t *testing.T) {
	s := DefaultScenario()
	c := s.Cast()
	if !c.Clouds[c.CloudIndex("azure")].OwnModel || !c.Clouds[c.CloudIndex("aws")].OwnModel || c.Clouds[c.CloudIndex("gcp")].OwnModel {
		t.Fatal("the shipped world should declare own models for azure and aws, not for gcp (its in-house lab's)")
	}
	for _, seed := range []uint64{1, 2} {
		w := newTestWorld(t, s, 1000, seed)
		stepTo(t, w, 0, DefaultMonths)
		l := lab(t, w, "anthropic")
		if w.Labs[l].Owner >= 0 {
			t.Fatalf("seed %d: the challenger is owned by cloud %d at m83", seed, w.Labs[l].Owner)
		}
		for _, name := range []string{"azure", "aws"} {
			h := c.CloudIndex(name)
			a := w.ownOf[h]
			if a < 0 || !w.altAvail[a] || !(w.ownModelShare[h] > 0) {
				t.Fatalf("seed %d: %s's own model not sold at m83 (alternative %d, share %g)", seed, name, a, w.ownModelShare[h])
			}
			r, err := w.horizontalScreen(l, h)
			if err != nil {
				t.Fatal(err)
			}
			want := 2 * 100 * w.ownShare(h) * 100 * w.modelShare[l]
			t.Logf("seed %d m83 %s: own-model share %.4f, bill %.4g (cost %.4g), challenger share %.4f, ΔHHI %.1f, post HHI %.0f",
				seed, name, w.ownModelShare[h], w.dm.bill[a], w.pg.cost[a], w.modelShare[l], r.DeltaHHI, r.PostHHI)
			if math.Abs(r.DeltaHHI-want) > 1e-9*math.Max(1, want) || !(r.DeltaHHI > 0) {
				t.Fatalf("seed %d %s: ΔHHI %g, want 2 s_h s_l = %g > 0", seed, name, r.DeltaHHI, want)
			}
		}
	}
}

// TestPricingFOCResidualDefault: in every month of the default world
// (own models declared) with a converged pricing solve, the first-order
// conditions of the solve's problem at its prices hold to 1e-6 x price by
// the full-Jacobian residual (market.Pricer.FOCResidual, not the ζ map the
// solver iterates), and no solve fails to converge.
func TestPricingFOCResidualDefault(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		w := newTestWorld(t, DefaultScenario(), 1000, seed)
		var pr market.Pricer
		out := make([]float64, w.numAlt)
		checked, worst := 0, 0.0
		for m := 0; m < DefaultMonths; m++ {
			stepTo(t, w, m, m+1)
			pg := &w.pg
			if pg.solves == 0 || pg.fails != 0 {
				continue
			}
			r, err := pr.FOCResidual(&pg.prob, pg.eq.Prices, out)
			if err != nil {
				t.Fatalf("seed %d m%d: %v", seed, m, err)
			}
			if r > pricingResidualCheck {
				t.Fatalf("seed %d m%d: full-Jacobian residual %g x price, want <= %g", seed, m, r, pricingResidualCheck)
			}
			worst = math.Max(worst, r)
			checked++
		}
		t.Logf("seed %d: %d solve months checked, worst residual %.3g x price, %d of %d solves failed", seed, checked, worst, w.pg.failsTot, w.pg.solvesTot)
		if checked < 10 {
			t.Fatalf("seed %d: %d solve months, want at least 10", seed, checked)
		}
		if w.pg.failsTot != 0 {
			t.Fatalf("seed %d: %d of %d pricing solves did not converge", seed, w.pg.failsTot, w.pg.solvesTot)
		}
	}
}
