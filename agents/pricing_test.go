package agents

import (
	"math"
	"testing"

	"frontiersim/market"
)

// stepToSolve steps w from month `from` until a month in which the pricing
// game was solved, at or after month `at`, and returns that month + 1.
func stepToSolve(t *testing.T, w *World, from, at int) int {
	t.Helper()
	stepTo(t, w, from, at)
	m := at
	for ; m < DefaultMonths; m++ {
		stepTo(t, w, m, m+1)
		if w.pg.solves > 0 && w.pg.fails == 0 {
			return m + 1
		}
	}
	t.Fatalf("no converged pricing solve from month %d", at)
	return 0
}

// TestPricingLernerInLoop: in the hand-built world two-labs.toml each lab
// is a one-product firm (its direct API; the neutral cloud resells
// nothing) without a wedge, so in every solve month the bills the buyers
// face satisfy Lerner = (p - c)/p = 1/|eps|, with the own-price elasticity
// eps of the pricing game's demand measured by a central finite difference
// of market.Pricer.Evaluate (not the solver's formula).
func TestPricingLernerInLoop(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		w := newTestWorld(t, twoLabs(t, nil), 1000, seed)
		next := 0
		checked := 0
		for _, at := range []int{20, 40, 60} {
			next = stepToSolve(t, w, next, at)
			pg := &w.pg
			if len(pg.wedges) != 0 || len(pg.inter) != 0 {
				t.Fatalf("seed %d m%d: the world has %d wedges and %d interests, want none", seed, next-1, len(pg.wedges), len(pg.inter))
			}
			prices := append([]float64(nil), w.dm.bill[:w.numAlt]...)
			var pr market.Pricer
			var eq market.PriceEquilibrium
			for a, av := range pg.avail {
				if !av {
					continue
				}
				p, c := prices[a], pg.cost[a]
				h := 1e-5 * p
				q := func(x float64) float64 {
					pp := append([]float64(nil), prices...)
					pp[a] = x
					if err := pr.Evaluate(&pg.prob, pp, &eq); err != nil {
						t.Fatal(err)
					}
					return eq.Quantity[a]
				}
				q0 := q(p)
				eps := (q(p+h) - q(p-h)) / (2 * h) * p / q0
				lerner := (p - c) / p
				t.Logf("seed %d m%d %s: p %.6g c %.6g Lerner %.9f 1/|eps| %.9f", seed, next-1, w.Labs[a/w.numCh].Name, p, c, lerner, -1/eps)
				if d := math.Abs(lerner + 1/eps); d > 1e-6 {
					t.Errorf("seed %d m%d product %d: Lerner %.9g, 1/|eps| %.9g", seed, next-1, a, lerner, -1/eps)
				}
				checked++
			}
		}
		if checked < 4 {
			t.Fatalf("seed %d: %d products checked, want at least 4", seed, checked)
		}
	}
}

// TestPricingLowerTauLowersPrice: in a solve month of two-labs.toml, a
// revenue wedge tau on the leader's direct API paid outside the game (its
// other terms fixed) raises its price; lowering tau from 0.2 to 0.1 lowers
// the payer's equilibrium price by the amount its first-order condition
// gives, p = c/(1 - tau) + q / sum_c w_c beta_c s_c (1 - s_c) (its product
// sits in the direct nest of lambda 1), evaluated at each equilibrium.
func TestPricingLowerTauLowersPrice(t *testing.T) {
	w := newTestWorld(t, twoLabs(t, nil), 1000, 1)
	stepToSolve(t, w, 0, 40)
	pg := &w.pg
	alpha := lab(t, w, "alpha")
	a := alpha*w.numCh + chDirect
	if !pg.avail[a] {
		t.Fatal("alpha's direct API is not on offer")
	}
	prob := pg.prob
	start := append([]float64(nil), w.dm.bill[:w.numAlt]...)
	var pr market.Pricer
	solve := func(tau float64) (p, foc float64) {
		prob.Wedges = []market.RevenueWedge{{Product: a, Rate: tau, Payee: market.NoFirm}}
		var eq market.PriceEquilibrium
		if err := pr.Solve(&prob, start, &eq); err != nil {
			t.Fatal(err)
		}
		J := len(prob.Owner)
		var q, dq float64
		for c, cell := range prob.Cells {
			s := eq.CellShares[c*J+a]
			q += cell.Weight * s
			dq += cell.Weight * cell.BetaP * s * (1 - s)
		}
		return eq.Prices[a], pg.cost[a]/(1-tau) + q/dq
	}
	p0, f0 := solve(0.2)
	p1, f1 := solve(0.1)
	pn, fn := solve(0)
	t.Logf("alpha's price: tau 0.2 %.9g (FOC %.9g), 0.1 %.9g (FOC %.9g), 0 %.9g (FOC %.9g); world's %.9g", p0, f0, p1, f1, pn, fn, start[a])
	if !(p1 < p0 && pn < p1) {
		t.Errorf("lowering tau does not lower the price: %g, %g, %g", p0, p1, pn)
	}
	if d := math.Abs((p1 - p0) - (f1 - f0)); d > 1e-6*p0 {
		t.Errorf("price change %.9g, first-order-condition change %.9g", p1-p0, f1-f0)
	}
	if d := math.Abs(pn - start[a]); d > 1e-6*pn {
		t.Errorf("without the wedge the price %.9g is not the world's %.9g", pn, start[a])
	}
}

// TestDemandAccounting: in check mode every month of two-labs.toml the
// shares of potential demand including the outside good sum to 1, payments
// (units x bills) equal spend and the enterprises' ledger payments; consumer
// surplus is units x (-ln s_0)/beta_P over adopters' cells; and the check
// catches a payment that is not spend.
func TestDemandAccounting(t *testing.T) {
	w := newTestWorld(t, twoLabs(t, nil), 1000, 1)
	for m := 0; m < 60; m++ {
		stepTo(t, w, m, m+1) // check mode: checkDemand and the ledger every month
		d := &w.dm
		cs := 0.0
		for cell := 0; cell < w.numCells; cell++ {
			if cw := w.cellW[cell]; cw > 0 {
				_, _, sec := w.segment(cell / w.incStride)
				cs += cw * d.unitsPerW * -math.Log(d.cellOutside[cell]) / d.betaP[sec] * 1e-3
			}
		}
		if e := math.Abs(cs - d.cs); e > 1e-9*math.Max(1, cs) {
			t.Fatalf("m%d: consumer surplus %g, closed form %g", m, d.cs, cs)
		}
	}
	if !(w.spendTot > 0) || !(w.dm.outsideShare > 0 && w.dm.outsideShare < 1) {
		t.Fatalf("spend %g, outside share %g at m59", w.spendTot, w.dm.outsideShare)
	}
	a := 0
	for ; a < w.numAlt && !(w.dm.qty[a] > 0); a++ {
	}
	w.dm.qty[a] *= 1.01
	if err := w.checkDemand(); err == nil {
		t.Error("the check accepts payments 1% above spend")
	}
}

// TestPricingFailureCounted: a solve that does not converge (the solver
// capped at 2 evaluations) is counted in pricing_failures and
// pricing_failure_share, and the buyers keep the held prices.
func TestPricingFailureCounted(t *testing.T) {
	w := newTestWorld(t, twoLabs(t, nil), 1000, 1)
	next := stepToSolve(t, w, 0, 30)
	held := w.dm.bill
	w.pg.pr.MaxIter = 2
	fails := 0
	for m := next; m < next+6; m++ {
		stepTo(t, w, m, m+1)
		fails += int(metric(t, w, "pricing_failures", m))
		if w.pg.fails > 0 && w.dm.bill != held {
			t.Errorf("m%d: a failed solve changed the prices", m)
		}
		held = w.dm.bill
	}
	share := metric(t, w, "pricing_failure_share", next+5)
	t.Logf("failures in 6 months: %d; failure share %.3f", fails, share)
	if fails < 1 || !(share > 0) {
		t.Errorf("failures %d, share %g: a non-converged solve went uncounted", fails, share)
	}
}

// TestGeneralizedBass: in endogenous mode the adoption probability is the
// exact Bass step times x = 1 - bass.price_response x dln P, P the real
// price of a workload unit at last month's quantities: a 10% real price
// fall with price_response 2 raises it by 2 x 0.105 = 21%, a rise lowers it.
func TestGeneralizedBass(t *testing.T) {
	s := twoLabs(t, map[string]float64{"bass.price_response": 2})
	w := newTestWorld(t, s, 1000, 1)
	stepTo(t, w, 0, 30)
	d := &w.dm
	if w.gate < 1e-6 {
		t.Fatalf("demand gate %g at m29", w.gate)
	}
	a := 0
	d.qty = [maxAlt]float64{}
	d.qty[a] = 1
	d.prevBill[a], d.prevBudget = 1, d.budget
	w.adopted = 0
	base := func(bill float64) float64 {
		d.bill[a] = bill
		w.adoptionProb()
		return w.pAdopt
	}
	w.S.Bass.PriceResponse = 0
	p0 := base(0.9)
	w.S.Bass.PriceResponse = 2
	p1, p2, p3 := base(0.9), base(1), base(1.05)
	t.Logf("pAdopt: plain Bass %.6g; price -10%% %.6g, flat %.6g, +5%% %.6g", p0, p1, p2, p3)
	if !(p0 > 0) {
		t.Fatal("no adoption hazard")
	}
	if want := p0 * (1 - 2*math.Log(0.9)); math.Abs(p1-want) > 1e-12 {
		t.Errorf("a 10%% price fall: pAdopt %.12g, want %.12g", p1, want)
	}
	if math.Abs(p2-p0) > 1e-15 {
		t.Errorf("flat prices: %g, want the plain Bass step %g", p2, p0)
	}
	if want := p0 * (1 - 2*math.Log(1.05)); math.Abs(p3-want) > 1e-12 {
		t.Errorf("a 5%% price rise: pAdopt %.12g, want %.12g", p3, want)
	}
}

// TestCloudSwitchingClosedForm: in short-backer.toml (two clouds) at m60,
// with vendor review off, a reviewing adopter moves its primary cloud with
// the logit probability of the closed form
// 1 - 1/(1 + sum_{k != p} exp(ln share_k + LS_k - ln share_p - LS_p - kappa psi_C)),
// recomputed here from the cells' log-sums; the buyer loop's moves match
// it within 4 standard errors, and halving the cloud switching cost
// (policy.cloud_switching_cost_multiplier 0.5) raises churn by the closed
// form's amount.
func TestCloudSwitchingClosedForm(t *testing.T) {
	s := worldScenario(t, "short-backer.toml", map[string]float64{"buyers.review_rate": 0, "demand.cloud_review_rate": 0.2})
	w := newTestWorld(t, s, 20000, 1)
	stepTo(t, w, 0, 60)
	seg0 := append([]uint8(nil), w.Buyers.Seg...)
	inc0 := append([]uint8(nil), w.Buyers.Inc...)
	rate := w.S.Demand.CloudReviewRate
	var churn [2]float64
	for arm, psi := range []float64{1, 0.5} {
		w.S.Policy.CloudSwitchingCostMultiplier = psi
		w.cloudChoice()
		kappa := w.S.Demand.CloudSwitchingCost * psi
		var exp, vr, got, n float64
		for rep := 0; rep < 10; rep++ {
			copy(w.Buyers.Seg, seg0)
			copy(w.Buyers.Inc, inc0)
			w.buyerLoop()
			for i, c := range inc0 {
				if c == 0 || w.Labs[c-1].Active == false {
					continue
				}
				sg := int(seg0[i])
				p, rest := sg/w.segStride, sg%w.segStride
				ls := func(k int) float64 {
					return math.Log(w.dm.primShare[k]) + w.cellLogsum[(k*w.segStride+rest)*w.incStride+int(c)]
				}
				den := 1.0
				for k := 0; k < w.nClouds; k++ {
					if k != p {
						den += math.Exp(ls(k) - ls(p) - kappa)
					}
				}
				q := rate * (1 - 1/den)
				exp += q
				vr += q * (1 - q)
				n++
				if int(w.Buyers.Seg[i])/w.segStride != p {
					got++
				}
			}
		}
		churn[arm] = got / n
		t.Logf("psi_C %.1f: churn %.5f per month (%.0f moves), closed form %.5f (sd %.1f moves)", psi, got/n, got, exp/n, math.Sqrt(vr))
		if math.Abs(got-exp) > 4*math.Sqrt(vr) {
			t.Errorf("psi_C %g: %.0f moves, closed form %.1f +- %.1f", psi, got, exp, math.Sqrt(vr))
		}
		if exp < 100 {
			t.Fatalf("psi_C %g: %.1f expected moves, too few to test", psi, exp)
		}
	}
	if !(churn[1] > churn[0]) {
		t.Errorf("halving the cloud switching cost does not raise churn: %g -> %g", churn[0], churn[1])
	}
}
