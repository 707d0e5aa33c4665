package agents

import (
	"math"
	"testing"

	"frontiersim/market"
)

// nlDemand is an independent implementation of the nested-logit demand of
// market.PricingProblem with an outside good of utility 0: quantities at
// prices p (withdrawn products sell 0).
func nlDemand(prob *market.PricingProblem, p []float64) []float64 {
	J := len(p)
	q := make([]float64, J)
	G := len(prob.Lambda)
	for _, c := range prob.Cells {
		v := make([]float64, J)
		D := make([]float64, G)
		for j := range J {
			if !prob.Available[j] || math.IsInf(c.Quality[j], -1) {
				v[j] = math.Inf(-1)
				continue
			}
			v[j] = c.Quality[j] - c.BetaP*p[j]
			g := prob.Nest[j]
			D[g] += math.Exp(v[j] / prob.Lambda[g])
		}
		den := 1.0
		for g := range G {
			if D[g] > 0 {
				den += math.Pow(D[g], prob.Lambda[g])
			}
		}
		for j := range J {
			if math.IsInf(v[j], -1) {
				continue
			}
			g := prob.Nest[j]
			s := math.Exp(v[j]/prob.Lambda[g]) * math.Pow(D[g], prob.Lambda[g]-1) / den
			q[j] += c.Weight * s
		}
	}
	return q
}

// nlValue is sum_j (R_fj p_j - K_fj) q_j for firm f under weights wt.
func nlValue(wt *market.ObjectiveWeights, f int, p, q []float64) float64 {
	x := 0.0
	for j := range p {
		r, k := wt.At(f, j)
		x += (r*p[j] - k) * q[j]
	}
	return x
}

// TestDealProfitBruteForce checks the merged firm's profit of a deal
// valuation against a brute-force computation on nested-logit pricing
// games of the model: a small one (screens.toml at month 12: three labs,
// two hyperscalers, a fringe cloud) and the shipped world's (month 60,
// several labs, clouds and nests). The deal's problem gives the target's
// products to the buyer with no wedges, fees or interests left on them;
// the merged profit (US$B) equals the buyer's cash flow from an
// independent implementation of the nested-logit demand at the solved
// prices; no deviation of any firm's price on a grid from 0.5 to 2 times
// the solved price, nor a joint scaling of all the merged firm's prices,
// raises that firm's objective (the solve is a Bertrand-Nash equilibrium
// of the merged market: a brute-force check).
func TestDealProfitBruteForce(t *testing.T) {
	t.Run("small", func(t *testing.T) {
		w := newTestWorld(t, worldScenario(t, "screens.toml", map[string]float64{"acquisition.lambda0": 0}), 200, 1)
		stepTo(t, w, 0, 12)
		checkDealBruteForce(t, w)
	})
	t.Run("shipped", func(t *testing.T) {
		w := newTestWorld(t, DefaultScenario(), 200, 1)
		stepTo(t, w, 0, 60)
		checkDealBruteForce(t, w)
	})
}

func checkDealBruteForce(t *testing.T, w *World) {
	t.Helper()
	if !w.pg.built {
		t.Fatal("no pricing game in month 59")
	}
	ok, err := w.dealBase()
	if err != nil || !ok {
		t.Fatalf("standalone solve: %v %v", ok, err)
	}
	nl, nch := w.nLabs, w.numCh
	tested := 0
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || L.Owner >= 0 || L.parentFunded || L.KDep == 0 || !L.Closed {
			continue
		}
		for h := 0; h < w.nHyper; h++ {
			merged, ok, err := w.dealProfit(l, h, false)
			if err != nil || !ok {
				t.Fatalf("%s by %s: %v %v", L.Name, w.Hyper[h].Name, ok, err)
			}
			dl := &w.deal
			prob := &dl.prob
			buyer := nl + h
			for a := l * nch; a < (l+1)*nch; a++ {
				if prob.Available[a] && prob.Owner[a] != buyer {
					t.Fatalf("%s by %s: product %d owned by %d", L.Name, w.Hyper[h].Name, a, prob.Owner[a])
				}
				if a == l*nch && prob.Available[a] {
					t.Fatalf("%s by %s: a closed model's direct channel stays open", L.Name, w.Hyper[h].Name)
				}
			}
			for _, x := range prob.Wedges {
				if x.Product/nch == l && x.Product < w.ownAlt0 {
					t.Fatalf("wedge on the target's product %+v", x)
				}
			}
			for _, x := range prob.Interests {
				if x.Firm == l {
					t.Fatalf("interest in the target %+v", x)
				}
			}
			p := append([]float64(nil), dl.eq.Prices...)
			var cash, obj market.ObjectiveWeights
			if err := prob.Weights(&cash, &obj); err != nil {
				t.Fatal(err)
			}
			q := nlDemand(prob, p)
			want := 1e-3 * (nlValue(&cash, buyer, p, q) + nlValue(&cash, l, p, q))
			if math.Abs(merged-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("%s by %s: merged profit %.12g, brute force %.12g", L.Name, w.Hyper[h].Name, merged, want)
			}
			try := func(f int, what string, pp []float64) {
				best := nlValue(&obj, f, p, q)
				if v := nlValue(&obj, f, pp, nlDemand(prob, pp)); v > best+1e-7*math.Abs(best) {
					t.Fatalf("%s by %s: %s raises firm %d's objective from %.10g to %.10g", L.Name, w.Hyper[h].Name, what, f, best, v)
				}
			}
			for j := range p {
				if !prob.Available[j] {
					continue
				}
				for k := 0; k <= 60; k++ {
					pp := append([]float64(nil), p...)
					pp[j] = p[j] * (0.5 + 1.5*float64(k)/60)
					try(prob.Owner[j], "a deviation of one price", pp)
				}
			}
			for k := 0; k <= 60; k++ {
				f := 0.5 + 1.5*float64(k)/60
				pp := append([]float64(nil), p...)
				for j := range pp {
					if prob.Available[j] && prob.Owner[j] == buyer {
						pp[j] = p[j] * f
					}
				}
				try(buyer, "a joint scaling of its prices", pp)
			}
			tested++
		}
	}
	if tested == 0 {
		t.Fatal("no closed independent lab to value")
	}
}

// TestDealValuationLeavesTheRunAlone: valuing deals (the re-solved games)
// reads the world and changes nothing a run records.
func TestDealValuationLeavesTheRunAlone(t *testing.T) {
	a := newTestWorld(t, DefaultScenario(), 200, 1)
	b := newTestWorld(t, DefaultScenario(), 200, 1)
	for m := 0; m < 30; m++ {
		stepTo(t, a, m, m+1)
		stepTo(t, b, m, m+1)
		for l := range b.Labs {
			if L := &b.Labs[l]; L.Active && L.Owner < 0 && !L.parentFunded {
				for h := 0; h < b.nHyper; h++ {
					if _, _, err := b.dealProfits(l, h, true); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	ra, rb := a.Recorder(), b.Recorder()
	for i, m := range a.Metrics() {
		for t0 := 0; t0 < 30; t0++ {
			x, y := ra.Get(t0, i), rb.Get(t0, i)
			if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
				t.Fatalf("%s month %d: %g vs %g", m.Name, t0, x, y)
			}
		}
	}
}
