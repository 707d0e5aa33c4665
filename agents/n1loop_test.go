package agents

import (
	"math"
	"testing"

	"frontiersim/market"
)

// n1Settings set the demand of the hand-built world n1.toml to one MNL
// market, as reference case N1 assumes (model-v2.md §4): nest parameter 1,
// no incumbency (state-dependence) term, no cloud affinity, investor ties,
// high-security buyers or their own price coefficient,
// security classes or cloud switching cost, per-unit-fee resale contracts,
// equal bargaining weights (the lab's discount rate that of the cloud,
// whatever its runway) and no acquisitions.
var n1Settings = map[string]float64{
	"contract.resale_term": float64(ResaleUnitFee), "logit.lambda": 1, "logit.gamma": 0,
	"logit.beta_a": 0, "logit.beta_i": 0, "logit.beta_s": 0, "buyers.tie_share": 0, "buyers.security_share": 0, "demand.beta_p_high_security": 1,
	"demand.cloud_switching_cost": 0, "bargaining.r_min": 0.01, "bargaining.r_max": 0.01, "bargaining.r_h": 0.01,
	"acquisition.lambda0": 0,
}

// TestN1StructureInLoop: in the hand-built world n1.toml under n1Settings
// (check mode: money conserved every month) the lab forms per-unit-fee
// agreements with both hyperscalers, which resell at their own prices
// while the lab serves every unit, and the loop's pricing problem with the
// bargained fees satisfies the identities reference case N1 implies
// (model-v2.md §4), which hold at any fees and qualities: under MNL each
// cloud's markup over its fee is 1/(beta(1 - s_i)), and the lab's
// objective per unit of potential demand is p0 - c - 1/beta. The fees are
// the pair's Nash bargain against the pure solver (market.NashInNash) run
// on the one-cell N1 problem built from the loop's own qualities, price
// coefficient and serving cost, to the loop's term tolerance.
func TestN1StructureInLoop(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "n1.toml", n1Settings), 400, 1)
	stepTo(t, w, 0, 36)
	l := lab(t, w, "solo")
	L := &w.Labs[l]
	if L.Backer >= 0 || L.Owner >= 0 {
		t.Fatalf("solo has backer %d, owner %d: N1 has neither", L.Backer, L.Owner)
	}
	for c := 0; c < 2; c++ {
		if !w.ag.on[l][c] {
			t.Fatalf("no agreement of solo with cloud %d", c)
		}
	}
	// the terms in force were bargained at the agreements' last trigger:
	// re-bargain them on this month's primitives (the loop's bargain)
	if _, err := w.bargainAgreements(l, w.t, -1); err != nil {
		t.Fatal(err)
	}
	if a := w.ag.list[0].Alpha; math.Abs(a-0.5) > 1e-12 {
		t.Fatalf("lab's bargaining weight %g, want 0.5", a)
	}
	prob, eq := solveMonthTight(t, w)
	J := len(prob.Owner)
	d0, p1, p2 := l*w.numCh, l*w.numCh+1, l*w.numCh+2
	for j := 0; j < J; j++ {
		if on := j == d0 || j == p1 || j == p2; w.pg.avail[j] != on {
			t.Fatalf("product %d on offer %v", j, w.pg.avail[j])
		}
	}
	// one MNL market: every cell has the same qualities and price coefficient
	c0 := prob.Cells[0]
	var W float64
	for _, c := range prob.Cells {
		W += c.Weight
		if c.BetaP != c0.BetaP {
			t.Fatalf("cells' price coefficients %g, %g", c.BetaP, c0.BetaP)
		}
		for _, j := range []int{d0, p1, p2} {
			if c.Quality[j] != c0.Quality[j] {
				t.Fatalf("cells' qualities of product %d: %g, %g", j, c.Quality[j], c0.Quality[j])
			}
		}
	}
	beta, cost := c0.BetaP, w.pg.cost[d0]
	for _, j := range []int{d0, p1, p2} {
		if w.pg.bearer[j] != l || w.pg.cost[j] != cost {
			t.Fatalf("product %d served by %d at %g, want the lab at %g", j, w.pg.bearer[j], w.pg.cost[j], cost)
		}
	}
	s := func(j int) float64 { return eq.CellShares[j] } // cell 0
	fee := [2]float64{w.ag.share[l][0], w.ag.share[l][1]}
	for i, j := range []int{p1, p2} {
		got, want := eq.Prices[j]-fee[i], 1/(beta*(1-s(j)))
		if math.Abs(got-want) > 1e-8*want {
			t.Fatalf("cloud %d's markup %g, want 1/(beta(1-s)) = %g", i, got, want)
		}
	}
	if got, want := eq.Objectives[l]/W, eq.Prices[d0]-cost-1/beta; math.Abs(got-want) > 1e-8*math.Abs(want) {
		t.Fatalf("lab's objective per unit %g, want p0 - c - 1/beta = %g", got, want)
	}
	// the pure solver on the one-cell N1 problem of the loop's primitives
	q := []float64{c0.Quality[d0], c0.Quality[p1], c0.Quality[p2]}
	n1 := market.PricingProblem{
		Cells: []market.DemandCell{{Weight: 1, BetaP: beta, Quality: q}},
		Cost:  []float64{cost, cost, cost}, Owner: []int{0, 1, 2}, Firms: 3, CostBearer: []int{0, 0, 0},
	}
	ags := []market.Agreement{
		{Lab: 0, Cloud: 1, Product: 1, Term: market.TermUnitFee, Server: market.ServerLab, Value: -1, Lo: 0, Hi: 10 * eq.Prices[d0], Alpha: 0.5},
		{Lab: 0, Cloud: 2, Product: 2, Term: market.TermUnitFee, Server: market.ServerLab, Value: -1, Lo: 0, Hi: 10 * eq.Prices[d0], Alpha: 0.5},
	}
	var nin market.NashInNash
	var res market.NashInNashResult
	if err := nin.Solve(&n1, ags, &res); err != nil {
		t.Fatal(err)
	}
	for i := range fee {
		if math.Abs(fee[i]-res.Terms[i]) > 2*agreementTol*(1+res.Terms[i]) {
			t.Fatalf("loop's fee with cloud %d %g, the pure solver's %g", i, fee[i], res.Terms[i])
		}
	}
	t.Logf("loop: beta %.4g, c %.4g, qualities %.4g; fees %.6g, %.6g (pure solver %.6g, %.6g); prices %.6g %.6g %.6g",
		beta, cost, q, fee[0], fee[1], res.Terms[0], res.Terms[1], eq.Prices[d0], eq.Prices[p1], eq.Prices[p2])
}

// TestN1InLoop: reference case N1 (model-v2.md §4) inside the monthly
// loop. The hand-built world n1.toml under n1Settings with the case's
// primitives (logit.beta_k = 0, demand.outside_intercept = 0, so the
// qualities are the lab's brand 1 and the clouds' channel intercepts 0.5
// and 0.2 over it; demand.beta_p = 1 with no budget drift,
// buyers.spend_growth_per_year = 1; inference.fixed_unit_cost = 0.5)
// is stepped in check mode; the lab's agreements, re-bargained by the
// loop in the last month, give N1's fees, and the month's price game at
// those fees N1's prices, shares and profits (per unit of potential
// demand), to 1e-4.
func TestN1InLoop(t *testing.T) {
	set := map[string]float64{"logit.beta_k": 0, "demand.outside_intercept": 0, "demand.beta_p": 1,
		"buyers.spend_growth_per_year": 1, "inference.fixed_unit_cost": 0.5}
	for k, v := range n1Settings {
		set[k] = v
	}
	w := newTestWorld(t, worldScenario(t, "n1.toml", set), 400, 1)
	stepTo(t, w, 0, 24)
	l := lab(t, w, "solo")
	// The loop's bargains solve terms to agreementTol (1e-3), which bounds
	// a fee's error by about 1e-3, not 1e-4: the last bargain runs the
	// same loop code with the solver's tolerances tightened so that the
	// comparison is decided by the model, not by where the search stops.
	w.ag.nin.Tol, w.ag.nin.PricingTol = 1e-7, 1e-12
	if _, err := w.bargainAgreements(l, w.t, -1); err != nil {
		t.Fatal(err)
	}
	if !w.ag.on[l][0] || !w.ag.on[l][1] {
		t.Fatalf("agreements in force %v", w.ag.on[l])
	}
	prob, eq := solveMonthTight(t, w)
	var W float64
	for _, c := range prob.Cells {
		W += c.Weight
	}
	d0, p1, p2 := l*w.numCh, l*w.numCh+1, l*w.numCh+2
	h0, h1 := w.nLabs, w.nLabs+1
	const tol = 1e-4
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"fee w1", w.ag.share[l][0], 1.631370}, {"fee w2", w.ag.share[l][1], 1.614168},
		{"price p0", eq.Prices[d0], 2.092445}, {"price p1", eq.Prices[p1], 2.806283}, {"price p2", eq.Prices[p2], 2.746741},
		{"share s0", eq.Quantity[d0] / W, 0.184368}, {"share s1", eq.Quantity[p1] / W, 0.148873}, {"share s2", eq.Quantity[p2] / W, 0.117054},
		{"outside", eq.Outside / W, 0.549704},
		{"lab profit", eq.Objectives[l] / W, 0.592445}, {"cloud 1 profit", eq.Objectives[h0] / W, 0.174913}, {"cloud 2 profit", eq.Objectives[h1] / W, 0.132573},
		{"lab without cloud 1", w.ag.res.LabDisagreement[0] / W, 0.497515}, {"lab without cloud 2", w.ag.res.LabDisagreement[1] / W, 0.521754},
	} {
		t.Logf("%-20s loop %.6f  N1 %.6f  diff %.2g", c.name, c.got, c.want, c.got-c.want)
		if math.Abs(c.got-c.want) > tol {
			t.Errorf("%s: loop %.6f, N1 %.6f", c.name, c.got, c.want)
		}
	}
}

// solveMonthTight rebuilds w's pricing problem at the terms in force and
// solves it to 1e-12 of price (tighter than the loop's solves).
func solveMonthTight(t *testing.T, w *World) (market.PricingProblem, market.PriceEquilibrium) {
	t.Helper()
	if err := w.buildPricing(w.t); err != nil || !w.pg.built {
		t.Fatalf("pricing problem: %v (built %v)", err, w.pg.built)
	}
	prob := w.pg.prob
	var pr market.Pricer
	pr.Tol = 1e-12
	var eq market.PriceEquilibrium
	if err := pr.Solve(&prob, nil, &eq); err != nil {
		t.Fatal(err)
	}
	return prob, eq
}
