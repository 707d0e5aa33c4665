package agents

import (
	"fmt"
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
// solver iterates), and no solve fails to converge. In the first solve
// months a brute-force check: no firm gains by moving one of its prices
// alone (grid of relative moves, market.Pricer.Evaluate).
//
// The check runs right after the prices phase, on the problem the phase
// solved: in endogenous mode the contract phase that follows bargains the
// lab × hyperscaler agreements (agreements.go), whose terms (and, for an
// agreement that forms, products on offer) apply from the next month's
// prices, and it leaves the month's pricing problem rebuilt with them, so
// at the end of the step it is not the problem the month's prices solve.
func TestPricingFOCResidualDefault(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		w := newTestWorld(t, DefaultScenario(), 1000, seed)
		var pr market.Pricer
		var dev market.PriceEquilibrium
		out := make([]float64, w.numAlt)
		checked, brute, worst, worstGain := 0, 0, 0.0, 0.0
		m := 0
		var failed error
		check := func() error {
			pg := &w.pg
			if pg.solves == 0 || pg.fails != 0 {
				return nil
			}
			r, err := pr.FOCResidual(&pg.prob, pg.eq.Prices, out)
			if err != nil {
				return fmt.Errorf("seed %d m%d: %v", seed, m, err)
			}
			if r > pricingResidualCheck {
				return fmt.Errorf("seed %d m%d: full-Jacobian residual %g x price, want <= %g", seed, m, r, pricingResidualCheck)
			}
			worst = math.Max(worst, r)
			checked++
			if brute >= 3 {
				return nil
			}
			brute++
			p := append([]float64(nil), pg.eq.Prices...)
			if err := pr.Evaluate(&pg.prob, p, &dev); err != nil {
				return fmt.Errorf("seed %d m%d: %v", seed, m, err)
			}
			base := append([]float64(nil), dev.Objectives...)
			for j, av := range pg.prob.Available {
				if !av {
					continue
				}
				f := pg.prob.Owner[j]
				for _, d := range []float64{-0.3, -0.1, -0.03, -0.01, -0.001, 0.001, 0.01, 0.03, 0.1, 0.3} {
					p[j] = pg.eq.Prices[j] * (1 + d)
					if err := pr.Evaluate(&pg.prob, p, &dev); err != nil {
						return fmt.Errorf("seed %d m%d: %v", seed, m, err)
					}
					g := (dev.Objectives[f] - base[f]) / math.Max(1e-12, math.Abs(base[f]))
					worstGain = math.Max(worstGain, g)
					if g > 1e-9 {
						return fmt.Errorf("seed %d m%d: firm %d gains %g (relative) moving product %d's price by %+g", seed, m, f, g, j, d)
					}
				}
				p[j] = pg.eq.Prices[j]
			}
			return nil
		}
		for i := range w.phases {
			if w.phases[i].Name != "prices" {
				continue
			}
			run := w.phases[i].Run
			w.phases[i].Run = func(tm int) error {
				if err := run(tm); err != nil {
					return err
				}
				if failed == nil {
					failed = check()
				}
				return nil
			}
		}
		for m = 0; m < DefaultMonths; m++ {
			stepTo(t, w, m, m+1)
			if failed != nil {
				t.Fatal(failed)
			}
		}
		t.Logf("seed %d: %d solve months checked, worst residual %.3g x price, worst relative gain of a one-price move %.3g (%d months), %d of %d solves failed",
			seed, checked, worst, worstGain, brute, w.pg.failsTot, w.pg.solvesTot)
		if checked < 10 || brute < 3 {
			t.Fatalf("seed %d: %d solve months, want at least 10", seed, checked)
		}
		if w.pg.failsTot != 0 {
			t.Fatalf("seed %d: %d of %d pricing solves did not converge", seed, w.pg.failsTot, w.pg.solvesTot)
		}
	}
}
