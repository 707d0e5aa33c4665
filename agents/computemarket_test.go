package agents

import (
	"math"
	"os"
	"testing"

	"frontiersim/market"
)

// worldScenario is the hand-built world testdata/worlds/<file> with its
// parameters set.
func worldScenario(t *testing.T, file string, set map[string]float64) Scenario {
	t.Helper()
	b, err := os.ReadFile("testdata/worlds/" + file)
	if err != nil {
		t.Fatal(err)
	}
	s := NewScenario(decodeText(t, file, string(b)))
	for k, v := range set {
		if err := s.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestBanLowersExcludedLabsComputeCost: where the backer's capacity binds,
// a ban on exclusive compute deals (policy.ban_exclusive = 1) lowers the
// compute price the excluded lab pays per GPU-hour and raises its training
// compute (hand-built world short-backer.toml, check mode: money conserved
// every month, capex and compute bills included).
//
// The claim is about the price, so the lab's cash must not bind: it is
// founded with US$50B (labs.ex.cash0, not the world file's 0.5), raises
// no round (the test checks it) and its training rule is never bound by
// its funds; its partnership with the backer is formed by hand at m0, as
// no first round makes it. In the world file as it is the lab's financing
// decides instead, through the rounds the two arms raise: with credits
// spent first (credits.go) training FLOP to m40 is 9.05e25 -> 9.38e25 for
// seed 1 but 9.85e25 -> 3.67e25 and 3.94e25 -> 3.00e25 for seeds 2 and 3;
// without credits (finance.credit_share = 0) 1.24e26 -> 9.98e25,
// 7.55e25 -> 4.41e25 and 9.37e25 -> 2.99e25. (Before credits came first,
// under the ban the market moved most of the lab's purchases to the
// cheaper rival and its backer's credits were stranded: US$6.3B for seed 1
// from m4, cash 0 m18-m26; TestBanLabSpendsItsCredits.)
func TestBanLowersExcludedLabsComputeCost(t *testing.T) {
	const months = 40      // before contract.exclusive_until
	var trained, binds int // months the lab trains, and of those months the backer's capacity binds
	for seed := uint64(1); seed <= 3; seed++ {
		run := func(ban float64) (price, flop float64, excl int) {
			// the backer's capacity_factor is 0.3, not the world file's 0.05:
			// under model v2's demand system (demand.go) the lab's inference
			// and training demand differ, and at 0.05 the capacity binds in
			// fewer than a quarter of its training months for one seed
			w := newTestWorld(t, worldScenario(t, "short-backer.toml", map[string]float64{"policy.ban_exclusive": ban, "clouds.backer.capacity_factor": 0.3, "labs.ex.cash0": 50}), 500, seed)
			l := lab(t, w, "ex")
			w.formContract(l, 0, false)
			holdExclusive(w, l) // the lab sold exclusivity (the claim is about access under it)
			var bill, hours float64
			for m := 0; m < months; m++ {
				stepTo(t, w, m, m+1)
				L := &w.Labs[l]
				if L.raisedM != 0 || L.binding == market.BindFunds || L.binding == market.BindShortfall {
					t.Fatalf("seed %d, ban %g, m%d: the lab's cash binds (raised US$%gB, training rule bound by %v)", seed, ban, m, L.raisedM, L.binding)
				}
				if L.Backer >= 0 && L.Contract.ComputeExclusive && !w.Reg.BanCompute {
					excl++
				}
				if g := L.ComputeSpend * 1e9 / math.Max(L.pricePaid, 1e-300); L.ComputeSpend > 0 {
					bill += L.ComputeSpend * 1e9
					hours += g
				}
				flop += L.TrainFLOP
				if L.ComputeSpend > 0 {
					trained++
					if w.utilisation(0) >= 0.999 {
						binds++
					}
				}
			}
			return bill / hours, flop, excl
		}
		trained, binds = 0, 0
		p0, f0, e0 := run(0)
		t0, b0 := trained, binds
		p1, f1, e1 := run(1)
		t.Logf("seed %d: exclusive months %d -> %d; the backer's capacity binds in %d of %d training months; price paid US$%.3f -> %.3f per GPU-hour; training FLOP to m%d %.4g -> %.4g",
			seed, e0, e1, b0, t0, p0, p1, months, f0, f1)
		if e0 < months/2 || e1 != 0 {
			t.Fatalf("seed %d: the lab is exclusive to its backer %d of %d months without the ban, %d with it", seed, e0, months, e1)
		}
		if 4*b0 < t0 {
			t.Fatalf("seed %d: the backer's capacity binds in %d of the %d months the exclusive lab trains, want at least a quarter", seed, b0, t0)
		}
		if !(p1 < p0) {
			t.Errorf("seed %d: the ban does not lower the price the excluded lab pays: %g -> %g", seed, p0, p1)
		}
		if !(f1 > f0) {
			t.Errorf("seed %d: the ban does not raise the excluded lab's training compute: %g -> %g", seed, f0, f1)
		}
	}
}

// TestSupplyLineNoOscillationWired: in the wired compute market (the
// supply-line rule on the clouds' notional demand from the price solve,
// capex booked), a lab with constant compute demand leaves every cloud's
// capacity approaching its level monotonically, without overshoot, from
// half and from 1.5 times its target (hand-built world short-backer.toml;
// the lab's demand is held at a constant number of GPU-hours, its rule
// bypassed).
func TestSupplyLineNoOscillationWired(t *testing.T) {
	const months = 240
	// The lab is exclusive to the backer, so one cloud faces its whole
	// constant demand. (With the ban both clouds share it, and a shortage
	// at one moves demand to the other through the rents, so neither
	// faces constant demand: capacity then overshoots once from half its
	// target, by about a third in this world.)
	for _, ban := range []float64{0} {
		for _, start := range []float64{0.5, 1.5} {
			w := newTestWorld(t, worldScenario(t, "short-backer.toml", map[string]float64{"policy.ban_exclusive": ban}), 100, 1)
			l := lab(t, w, "ex")
			L := &w.Labs[l]
			L.Active = true
			if ban == 0 {
				w.formContract(l, 0, false)
				holdExclusive(w, l)
			}
			c := &w.cm
			const demand = 2e7 // GPU-hours a month
			// let prices settle at ample capacity first, so that the
			// notional demand the clouds see is constant
			for k := range c.capSt {
				c.m.Capacity[k] = math.Inf(1)
			}
			for m := range 60 {
				w.t = m
				c.want[l], c.trainW[l], c.budget[l] = demand, demand, 1e3
				if err := w.computeMarket(m); err != nil {
					t.Fatal(err)
				}
			}
			for k := range c.capSt {
				st := &c.capSt[k]
				d := c.notional[k]
				st.Capacity = start * d * (1 + c.rule.Reserve)
				clear(st.Pipeline)
				st.ExpectedDemand, st.Trend = d, 0
			}
			caps := make([][]float64, w.nClouds)
			for m := range months {
				w.t = m
				c.want[l], c.trainW[l], c.budget[l] = demand, demand, 1e3
				if err := w.capacityStep(); err != nil {
					t.Fatal(err)
				}
				if err := w.computeMarket(m); err != nil {
					t.Fatal(err)
				}
				if err := w.ledger.check(); err != nil {
					t.Fatalf("m%d: %v", m, err)
				}
				for k := range caps {
					caps[k] = append(caps[k], c.capSt[k].Capacity)
				}
			}
			for k, cp := range caps {
				end := cp[months-1]
				side := math.Copysign(1, cp[c.rule.LeadTime]-end)
				const tol = 1e-9
				for m := c.rule.LeadTime + 1; m < months; m++ {
					if side*(cp[m]-end) < -tol*end || math.Abs(cp[m]-end) > math.Abs(cp[m-1]-end)+tol*end {
						t.Fatalf("ban %g, start %g x target, cloud %d: capacity %g at m%d after %g, settling at %g: not monotone",
							ban, start, k, cp[m], m, cp[m-1], end)
					}
				}
				t.Logf("ban %g, start %g: cloud %d capacity %.4g -> %.4g (m%d) -> %.4g", ban, start, k, cp[0], cp[c.rule.LeadTime], c.rule.LeadTime, end)
			}
		}
	}
}

// TestComputePriceClearsShortCloud: one lab that may buy at one cloud only
// (exclusive to its backer) whose capacity is short pays the price that
// clears it, in closed form from the logit: potential P x s(p) = capacity
// C with s(p) = e^{alpha(V - p)}/(1 + e^{alpha(V - p)}), so
// p = V - ln(C/(P - C))/alpha; the cloud sells exactly its capacity.
func TestComputePriceClearsShortCloud(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "short-backer.toml", nil), 100, 1)
	l := lab(t, w, "ex")
	w.Labs[l].Active = true
	w.formContract(l, 0, false)
	holdExclusive(w, l)
	c := &w.cm
	K := w.nClouds
	for _, short := range []float64{0.5, 0.2, 0.05} { // of the demand at its expected price; below the monopoly quantity
		for m := range 3 {
			w.t = m
			c.want[l], c.trainW[l], c.budget[l] = 1e8, 1e8, 1e3
			c.m.Capacity[0], c.m.Capacity[1] = short*1e8, math.Inf(1)
			if err := w.computeMarket(m); err != nil {
				t.Fatal(err)
			}
			alpha, pot, v, cp := c.m.Alpha[l], c.m.Potential[l], c.m.Value[l*K], c.m.Capacity[0]
			want := v - math.Log(cp/(pot-cp))/alpha
			if got := c.price[l*K]; math.Abs(got-want) > 1e-6 {
				t.Errorf("capacity %g of demand, m%d: price %.9f, market-clearing closed form %.9f", short, m, got, want)
			}
			if got := c.sold[0]; math.Abs(got-cp) > 1e-6*cp {
				t.Errorf("capacity %g of demand, m%d: sold %g of capacity %g", short, m, got, cp)
			}
			if !math.IsInf(c.price[l*K+1], 1) || c.qty[l*K+1] != 0 {
				t.Errorf("the exclusive lab buys %g at the barred cloud at %g", c.qty[l*K+1], c.price[l*K+1])
			}
		}
	}
}

// TestNonStrategicHyperscalerPricesOnItsMargin: a hyperscaler's stake in
// its partner lowers the compute price it charges the partner; with its
// strategic_pricing weight at 0 it prices on its own margin alone, at the
// single-product logit price Cost + 1/(alpha (1 - s)) where its capacity
// does not bind (hand-built world short-backer.toml with the backer's
// capacity made ample, check mode). The twins are identical until the
// backer first holds a stake; that month the strategic backer's price to
// its partner is lower.
func TestNonStrategicHyperscalerPricesOnItsMargin(t *testing.T) {
	ample := map[string]float64{"clouds.backer.capacity_factor": 100}
	plain := map[string]float64{"clouds.backer.capacity_factor": 100, "clouds.backer.strategic_pricing": 0}
	for seed := uint64(1); seed <= 3; seed++ {
		ws := newTestWorld(t, worldScenario(t, "short-backer.toml", ample), 500, seed)
		wp := newTestWorld(t, worldScenario(t, "short-backer.toml", plain), 500, seed)
		l := lab(t, ws, "ex")
		K := ws.nClouds
		found := false
		for m := 0; m < DefaultMonths && !found; m++ {
			stepTo(t, ws, m, m+1)
			stepTo(t, wp, m, m+1)
			// the stake in the backer's price objective this month
			st := ws.cm.m.Stake[l*K]
			if !(st > 0) || !(ws.cm.qty[l*K] > 0) || !(wp.cm.qty[l*K] > 0) {
				continue
			}
			if sp := wp.cm.m.Stake[l*K]; sp != 0 {
				t.Fatalf("seed %d m%d: the non-strategic backer counts a stake %g in its prices", seed, m, sp)
			}
			if a, b := ws.Labs[l].Cap.Stake(ws.hsHolder(0)), wp.Labs[l].Cap.Stake(wp.hsHolder(0)); a != b {
				t.Fatalf("seed %d m%d: the twins diverged before the stake mattered: stakes %g and %g", seed, m, a, b)
			}
			found = true
			ps, pp := ws.cm.price[l*K], wp.cm.price[l*K]
			// the plain backer's closed form (no rent: its capacity is ample)
			sh := wp.cm.eq.Share[l*K]
			want := wp.cm.m.Cost[0] + 1/(wp.cm.m.Alpha[l]*(1-sh))
			t.Logf("seed %d: m%d, backer's stake %.3f: price to its partner US$%.4f strategic, US$%.4f not (closed form %.4f, share %.3f)", seed, m, st, ps, pp, want, sh)
			if u := wp.utilisation(0); u >= 0.999 {
				t.Fatalf("seed %d m%d: the backer's capacity binds (utilisation %g): not the ample case", seed, m, u)
			}
			if math.Abs(pp-want) > 1e-4*want {
				t.Errorf("seed %d m%d: non-strategic price %.6g, want the logit price %.6g", seed, m, pp, want)
			}
			if !(ps < pp) {
				t.Errorf("seed %d m%d: the strategic backer charges its partner %g, not less than the non-strategic %g", seed, m, ps, pp)
			}
		}
		if !found {
			t.Fatalf("seed %d: the backer never held a stake in a month its partner bought from it", seed)
		}
	}
}

// TestTakeOrPayIsAMinimum: a take-or-pay commitment that comes with a
// hyperscaler's strategic investment (compute.take_or_pay) is a monthly
// minimum: every month of its term the lab's bill at the hyperscaler plus
// the take-or-pay charge covers the minimum, nothing of a commitment is
// left after its end, the training rule's floor makes the lab train more
// over the first term than its twin without commitments, and money is
// conserved every month (check mode; hand-built world short-backer.toml
// with the backer's capacity made ample, whose lab forms its partnership
// with the backer's investment at m0; an exited lab's commitments lapse).
func TestTakeOrPayIsAMinimum(t *testing.T) {
	const share, term = 1.0, 24
	ample := map[string]float64{"clouds.backer.capacity_factor": 100}
	for seed := uint64(1); seed <= 3; seed++ {
		w := newTestWorld(t, worldScenario(t, "short-backer.toml", map[string]float64{"clouds.backer.capacity_factor": 100,
			"compute.take_or_pay": share, "compute.take_or_pay_months": term}), 500, seed)
		tw := newTestWorld(t, worldScenario(t, "short-backer.toml", ample), 500, seed)
		l := lab(t, w, "ex")
		var committed, counted, charged, trained, twin float64
		first := -1
		for m := 0; m < DefaultMonths; m++ {
			before := w.Labs[l].commitLeft[0]
			stepTo(t, w, m, m+1)
			stepTo(t, tw, m, m+1)
			holdExclusive(w, l) // both sold exclusivity to the backer (the test is of the minimum, not the access)
			holdExclusive(tw, l)
			L := &w.Labs[l]
			if !L.Active {
				break // an exited lab's commitments lapse
			}
			c := 0.0
			if due := L.commitDue[0]; due > 0 {
				if L.commitPaid[0] < due*(1-1e-12) {
					t.Fatalf("seed %d m%d: paid %g at the backer against a minimum of %g", seed, m, L.commitPaid[0], due)
				}
				c = math.Max(L.commitPaid[0], due)
				charged += L.commitPaid[0] - L.ComputeShare[0]*(L.ComputeSpend+L.InferenceCost)
			}
			counted += c
			committed += L.commitLeft[0] - before + c
			if L.commitLeft[0] > 0 && L.commitEnd[0] <= m {
				t.Fatalf("seed %d m%d: US$B %g of a commitment left after its end m%d", seed, m, L.commitLeft[0], L.commitEnd[0])
			}
			if first < 0 && L.commitLeft[0] > 0 {
				first = L.commitEnd[0]
			}
			if first >= 0 && m < first {
				trained += L.ComputeSpend
				twin += tw.Labs[l].ComputeSpend
			}
		}
		if !(committed > 0) || first < 0 {
			t.Fatalf("seed %d: no commitment formed", seed)
		}
		t.Logf("seed %d: committed US$B %.3f, counted %.3f (take-or-pay charges %.3f), left %.3g at m83; training to m%d US$B %.3f (twin without commitments: %.3f)",
			seed, committed, counted, charged, w.Labs[l].commitLeft[0], first, trained, twin)
		if !(trained > twin) {
			t.Errorf("seed %d: with the commitment the lab trains US$B %g to m%d, not more than its twin's %g", seed, trained, first, twin)
		}
	}
}

// TestConflictCellMaskExact: the best responses of the channel-conflict
// game evaluate only the cells they weigh (maskConflictCells); their net
// revenues are bit-for-bit those of evaluating every cell, for every lab
// with a backer, at each disparagement and lag, in months across the
// adoption era of the default world.
func TestConflictCellMaskExact(t *testing.T) {
	w := newTestWorld(t, DefaultScenario(), 2000, 1)
	checked := 0
	for m := 0; m < DefaultMonths; m++ {
		stepTo(t, w, m, m+1)
		if m%6 != 5 {
			continue
		}
		for l := range w.Labs {
			L := &w.Labs[l]
			if !L.Active || L.Backer < 0 || L.Owner >= 0 {
				continue
			}
			for _, d := range []float64{0, w.S.Conflict.DMax} {
				for _, pen := range []float64{0, 0.3} {
					w.cellMask = nil
					ln, bn, err := w.evalConflict(l, d, pen)
					if err != nil {
						t.Fatal(err)
					}
					// cells left out keep whatever they held: poison them,
					// so that a cell the mask wrongly leaves out shows
					for i := range w.evalShare {
						w.evalShare[i] = math.NaN()
					}
					w.evalCache.clear() // its cells are gone
					w.maskConflictCells()
					lm, bm, err := w.evalConflict(l, d, pen)
					w.cellMask = nil
					if err != nil {
						t.Fatal(err)
					}
					if lm != ln || bm != bn {
						t.Fatalf("m%d %s d=%g pen=%g: masked (%v, %v), all cells (%v, %v)", m, L.Name, d, pen, lm, bm, ln, bn)
					}
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no lab with a backer to check")
	}
	t.Logf("%d evaluations identical", checked)
}
