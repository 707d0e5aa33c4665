package market

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomPricingGame is a nested-logit pricing game of 2–4 firms, 3–8
// products in 1–3 nests (lambda in [0.5, 1]) and 1–4 cells whose betaP
// differ up to fourfold, with a profit interest and a revenue wedge.
func randomPricingGame(r *rand.Rand) *PricingProblem {
	F := 2 + r.IntN(3)
	J := F + 1 + r.IntN(9-F-1)
	G := 1 + r.IntN(3)
	prob := &PricingProblem{Firms: F, Owner: make([]int, J), Cost: make([]float64, J), Nest: make([]int, J), Lambda: make([]float64, G)}
	for g := range G {
		prob.Lambda[g] = uniform(r, 0.5, 1)
	}
	for j := range J {
		prob.Owner[j] = j % F
		prob.Cost[j] = uniform(r, 0.2, 1.5)
		prob.Nest[j] = r.IntN(G)
	}
	for range 1 + r.IntN(4) {
		q := make([]float64, J)
		for j := range q {
			q[j] = uniform(r, 0, 3)
		}
		prob.Cells = append(prob.Cells, DemandCell{Weight: uniform(r, 0.2, 2), BetaP: uniform(r, 0.5, 2), Quality: q})
	}
	prob.Interests = []ProfitInterest{{Holder: 1, Firm: 0, Share: 0.2}}
	prob.Wedges = []RevenueWedge{{Product: J - 1, Rate: 0.1, Payee: (prob.Owner[J-1] + 1) % F}}
	return prob
}

// Anderson acceleration (the solver's default) and the SQUAREM cycles it
// replaced (noAnderson) find the same equilibrium, to 1e-9 of price, in
// random nested-logit games from the built-in starts and from a warm start
// 5% off the equilibrium (a month's drift), at the same tolerance and by
// the same convergence check (both residuals at most Tol); Anderson fails
// no game SQUAREM solves, and over the warm starts it needs fewer
// evaluations in all.
func TestAndersonAgreesWithSquarem(t *testing.T) {
	r := newRand()
	var and, sq Pricer
	sq.noAnderson = true
	var ea, es PriceEquilibrium
	itA, itS, solved := 0, 0, 0
	for i := range 400 {
		prob := randomPricingGame(r)
		errS := sq.Solve(prob, nil, &es)
		errA := and.Solve(prob, nil, &ea)
		if errS != nil {
			continue // a game without a (found) equilibrium
		}
		if errA != nil {
			t.Fatalf("game %d: SQUAREM solves it, Anderson: %v", i, errA)
		}
		solved++
		for j, p := range es.Prices {
			if d := math.Abs(ea.Prices[j] - p); d > 1e-9*math.Abs(p) {
				t.Errorf("game %d product %d: Anderson %.15g, SQUAREM %.15g", i, j, ea.Prices[j], p)
			}
		}
		if ea.Residual > DefaultPricingTol || es.Residual > DefaultPricingTol {
			t.Errorf("game %d: residuals %g, %g above the tolerance", i, ea.Residual, es.Residual)
		}
		start := append([]float64(nil), es.Prices...)
		for j := range start {
			start[j] *= 1 + uniform(r, -0.05, 0.05)
		}
		if err := sq.Solve(prob, start, &es); err != nil {
			t.Fatalf("game %d, warm: SQUAREM: %v", i, err)
		}
		if err := and.Solve(prob, start, &ea); err != nil {
			t.Fatalf("game %d, warm: Anderson: %v", i, err)
		}
		for j, p := range es.Prices {
			if d := math.Abs(ea.Prices[j] - p); d > 1e-9*math.Abs(p) {
				t.Errorf("game %d product %d, warm: Anderson %.15g, SQUAREM %.15g", i, j, ea.Prices[j], p)
			}
		}
		itA += ea.Iterations
		itS += es.Iterations
	}
	if solved < 300 {
		t.Fatalf("only %d of 400 games solved", solved)
	}
	t.Logf("%d games; warm-start evaluations: Anderson %d, SQUAREM %d", solved, itA, itS)
	if itA >= itS {
		t.Errorf("Anderson took %d evaluations from the warm starts, SQUAREM %d", itA, itS)
	}
}
