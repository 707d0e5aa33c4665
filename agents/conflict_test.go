package agents

import (
	"errors"
	"math"
	"testing"
)

// TestMaxGoldenClosedForm: on a payoff a·x less a convex cost c·x² the
// golden-section best response is the closed form a/(2c) (to 1e-6), or the
// upper bound exactly when a/(2c) lies beyond it.
func TestMaxGoldenClosedForm(t *testing.T) {
	for _, tc := range []struct{ a, c, hi, want float64 }{
		{1, 2, 0.5, 0.25},
		{0.3, 1, 0.5, 0.15},
		{3, 10, 2, 0.15},
		{2, 1, 0.5, 0.5}, // a/(2c) = 1 > hi
	} {
		f := func(x float64) (float64, error) { return tc.a*x - tc.c*x*x, nil }
		x, v, err := maxGolden(f, 0, tc.hi, 50)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(x-tc.want) > 1e-6 {
			t.Errorf("a=%g c=%g hi=%g: best response %.9g, want %.9g", tc.a, tc.c, tc.hi, x, tc.want)
		}
		if want := tc.a*tc.want - tc.c*tc.want*tc.want; math.Abs(v-want) > 1e-9 {
			t.Errorf("a=%g c=%g: payoff %g, want %g", tc.a, tc.c, v, want)
		}
	}
}

// TestMaxGoldenZeroWhenCostSlopeExceedsGain: a concave gain whose marginal
// value at 0 is below the cost's slope at 0 gives a best response of
// exactly 0.
func TestMaxGoldenZeroWhenCostSlopeExceedsGain(t *testing.T) {
	for _, tc := range []struct{ a, k float64 }{{1, 1.01}, {0.5, 2}, {0, 0.1}} {
		f := func(x float64) (float64, error) {
			return tc.a*(1-math.Exp(-x)) - tc.k*x - 0.1*x*x, nil
		}
		x, _, err := maxGolden(f, 0, 0.5, conflictGoldenEvals)
		if err != nil {
			t.Fatal(err)
		}
		if x != 0 {
			t.Errorf("marginal gain %g, cost slope %g: best response %g, want 0", tc.a, tc.k, x)
		}
	}
	// and the error of an evaluation comes back
	boom := errors.New("boom")
	if _, _, err := maxGolden(func(float64) (float64, error) { return 0, boom }, 0, 1, 4); !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
}

// TestConflictChoicesDefaultRun: in the default world (seeds 1-20, 2000
// buyers) the backer's disparagement is chosen inside (0, d_max) in some
// quarter with both channels open (the costless rule put it only at the
// bounds), and the evaluations the game costs are counted. It reports,
// over the quarters from resale start with a backer contract, the
// fraction at each bound and the correlation of d with the contract share.
func TestConflictChoicesDefaultRun(t *testing.T) {
	var ds, ss []float64
	var d0, dTop, l0, lTop, q, evals int
	for seed := uint64(1); seed <= 20; seed++ {
		w := newTestWorld(t, DefaultScenario(), 2000, seed)
		stepTo(t, w, 0, DefaultMonths)
		evals += w.conflictEvals
		dMax, lMax := w.S.Conflict.DMax, float64(w.S.Conflict.LMax)
		for _, l := range w.S.Cast().Metrics.BackerLabs {
			n := w.S.Cast().Labs[l].Name
			for m := w.S.Contract.ResaleStart; m < DefaultMonths; m++ {
				if m%3 != 0 {
					continue
				}
				share := metric(t, w, "contract_share_"+n, m)
				if share == 0 {
					continue // no backer contract: no game
				}
				d := metric(t, w, "conflict_disparagement_"+n, m)
				lag := metric(t, w, "conflict_lag_"+n, m)
				ds, ss = append(ds, d), append(ss, share)
				q++
				switch d {
				case 0:
					d0++
				case dMax:
					dTop++
				}
				switch lag {
				case 0:
					l0++
				case lMax:
					lTop++
				}
			}
		}
	}
	t.Logf("%d quarters from resale start with a backer contract: d at 0 %.3f, at d_max %.3f, interior %.3f; lag at 0 %.3f, at l_max %.3f; corr(d, contract share) %.3f",
		q, frac(d0, q), frac(dTop, q), frac(q-d0-dTop, q), frac(l0, q), frac(lTop, q), correlation(ds, ss))
	t.Logf("evalConflict calls over %d months, 20 replications: %d", DefaultMonths, evals)
	if q-d0-dTop == 0 {
		t.Fatal("disparagement never inside (0, d_max)")
	}
}

func frac(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// correlation is Pearson's r (NaN when a series is constant).
func correlation(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i] / n
		my += y[i] / n
	}
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}
