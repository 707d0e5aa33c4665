package agents

import (
	"math"
	"testing"

	"frontiersim/market"
)

// TestAgreementsForm: in the hand-built world own-model.toml (two
// independent closed labs, one hyperscaler, no acquisitions; check mode:
// money conserved) each lab × hyperscaler pair forms a resale agreement in
// a pricing month once the lab has a model, at a term with a positive gain
// to both sides against their disagreement payoffs, so a second lab's
// agreement forms as the first did; the product is then on offer, the
// lab is paid the agreed share of the resale revenue, and the term is the
// maximiser of the pair's Nash product (a brute-force grid around it).
func TestAgreementsForm(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "own-model.toml", map[string]float64{"acquisition.lambda0": 0}), 400, 1)
	formedAt := [MaxLabs]int{}
	for l := range formedAt {
		formedAt[l] = -1
	}
	for m := 0; m < 60; m++ {
		before := w.ag.on
		stepTo(t, w, m, m+1)
		for l := range w.Labs {
			if w.ag.on[l][0] && !before[l][0] {
				formedAt[l] = m
				if w.pg.last != m {
					t.Fatalf("%s's agreement formed in month %d, not a pricing month (last solve %d)", w.Labs[l].Name, m, w.pg.last)
				}
				gL, gC := w.ag.gainL[l][0], w.ag.gainC[l][0]
				if !(gL > 0 && gC > 0) {
					t.Fatalf("%s's agreement formed with gains %g, %g", w.Labs[l].Name, gL, gC)
				}
				if v := w.ag.share[l][0]; !(v > 0 && v < reciprocalHi) {
					t.Fatalf("%s: reciprocal share %g", w.Labs[l].Name, v)
				}
				t.Logf("m%d: %s × hx forms at reciprocal share %.4f, gains %.4g (lab), %.4g (cloud)", m, w.Labs[l].Name, w.ag.share[l][0], gL, gC)
			}
		}
	}
	for l := range w.Labs {
		if formedAt[l] < 0 {
			t.Fatalf("%s formed no agreement with hx", w.Labs[l].Name)
		}
		a := l*w.numCh + 1
		if !w.altAvail[a] {
			t.Fatalf("%s's resale on hx not on offer with an agreement", w.Labs[l].Name)
		}
		if !w.ag.on[l][0] {
			t.Fatalf("%s's agreement ended", w.Labs[l].Name)
		}
	}
	// the lab is paid its share of the resale revenue (plus the serving fee)
	l := lab(t, w, "beta")
	a := l*w.numCh + 1
	E := w.altSpend[a]
	fee := w.dm.qty[a] * w.pg.cost[a] * 1e-3
	if got, want := w.Labs[l].RevResale, w.ag.share[l][0]*E+fee; math.Abs(got-want) > 1e-12*math.Max(1, want) {
		t.Fatalf("beta's resale revenue %g, want share x spend + fee = %g", got, want)
	}
	// the term in force maximises the Nash product of a fresh bargain of
	// beta's agreement against a grid around it (the other term fixed)
	w.ag.on[l][0] = true
	rebargainedIsNashMax(t, w, l, "share", func(v float64) (xs []float64) {
		for _, d := range []float64{-0.02, -0.005, 0.005, 0.02} {
			if x := v + d; x > 0 && x < reciprocalHi {
				xs = append(xs, x)
			}
		}
		return xs
	})
}

// TestNoShareStuckDefault: in a default run no contract share stays above
// min(cap, its Nash share) + band for more than contract.hold_months
// (contract_share_stuck is 0), and the agreement metrics are consistent.
func TestNoShareStuckDefault(t *testing.T) {
	w := newTestWorld(t, DefaultScenario(), 1000, 1)
	stepTo(t, w, 0, DefaultMonths)
	if w.bg.stuck != 0 {
		t.Fatalf("contract_share_stuck %d, want 0", w.bg.stuck)
	}
	if got := metric(t, w, "contract_share_stuck", DefaultMonths-1); got != 0 {
		t.Fatalf("contract_share_stuck metric %g", got)
	}
	n := 0
	for l := range w.Labs {
		if L := &w.Labs[l]; L.Active && L.Backer >= 0 && L.Owner < 0 {
			n++
		}
		n += w.labAgreements(l)
	}
	if got := metric(t, w, "resale_agreements", DefaultMonths-1); got != float64(n) || n == 0 {
		t.Fatalf("resale_agreements %g, counted %d (want equal, > 0)", got, n)
	}
}

// TestResaleAgreementWithNewBacker: a lab that holds a resale agreement
// with a hyperscaler and then forms its partnership with that hyperscaler
// (the partnership auction of a later round) re-bargains its agreements
// without error: the partnership is the pair's agreement, the resale
// agreement no longer holds (canResell) and is not bargained a second
// time on the same product; the contract phase ends it. (Found by
// TestSlowInvariantsRandomScenarios: "agreements 0 and 1 both on product
// 1".)
func TestResaleAgreementWithNewBacker(t *testing.T) {
	w := newTestWorld(t, DefaultScenario(), 1000, 1)
	for m := 0; m < DefaultMonths; m++ {
		stepTo(t, w, m, m+1)
		for l := range w.Labs {
			L := &w.Labs[l]
			if L.Backer >= 0 || L.Owner >= 0 || !L.Active {
				continue
			}
			for c := 0; c < w.nHyper; c++ {
				if !w.ag.on[l][c] {
					continue
				}
				w.formContract(l, c, false)
				kept, err := w.bargainAgreements(l, w.t, -1)
				if err != nil {
					t.Fatalf("m%d: %s re-bargains with its new backer %d: %v", m, L.Name, c, err)
				}
				if err := w.phaseAgreements(w.t); err != nil {
					t.Fatal(err)
				}
				if kept && w.ag.on[l][c] {
					t.Fatalf("m%d: %s's resale agreement with its backer %d still in force", m, L.Name, c)
				}
				return
			}
		}
	}
	t.Fatal("no lab without a backer held a resale agreement")
}

// TestFormationTriggers: the formation rule (formationDue). In the
// hand-built world own-model.toml (contract.hold_months 60, so only
// triggers re-examine a pair), a pair whose examination found no gain
// from trade (the state a failed formation bargain leaves: no agreement,
// examined that month) is not examined again in later pricing months
// without a trigger of its lab, and a trigger (a funding round of the
// lab) re-examines it in the next pricing month.
func TestFormationTriggers(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "own-model.toml", map[string]float64{"acquisition.lambda0": 0, "contract.hold_months": 60}), 400, 1)
	l := lab(t, w, "beta")
	m := 0
	for ; m < 60 && w.ag.examined[l][0] == 0; m++ {
		stepTo(t, w, m, m+1)
	}
	if w.ag.examined[l][0] == 0 {
		t.Fatal("beta × hx never examined")
	}
	// the examination found no gain: no agreement, the result kept
	w.ag.on[l][0] = false
	last := w.ag.examined[l][0]
	quiet := 0 // pricing months without a trigger of beta
	for ; m < 60 && quiet < 3; m++ {
		ev := w.ag.event[l]
		stepTo(t, w, m, m+1)
		if !w.canResell(l, 0) {
			t.Fatalf("m%d: beta × hx no longer feasible", m)
		}
		triggered := w.ag.event[l] != ev && w.ag.event[l] > last
		if w.ag.examined[l][0] != last {
			if !triggered {
				t.Fatalf("m%d: beta × hx re-examined without a trigger (last examination month %d, lab's trigger month %d)", m, last-1, w.ag.event[l]-1)
			}
			w.ag.on[l][0] = false
			last = w.ag.examined[l][0]
			continue
		}
		if w.ag.on[l][0] {
			t.Fatalf("m%d: beta × hx formed an agreement without an examination", m)
		}
		if w.pg.last == m && !triggered && w.ag.event[l] <= last {
			quiet++
		}
	}
	if quiet < 3 {
		t.Fatalf("only %d trigger-free pricing months observed", quiet)
	}
	// a funding round of beta: examined in the next pricing month
	w.Labs[l].LastRound = m
	for k := 0; k < 24; k++ {
		stepTo(t, w, m, m+1)
		m++
		if w.pg.last == m-1 {
			if w.ag.examined[l][0] != m {
				t.Fatalf("m%d: beta × hx not re-examined after the lab's funding round (last examination month %d)", m-1, w.ag.examined[l][0]-1)
			}
			if !w.ag.on[l][0] {
				t.Fatalf("m%d: re-examined beta × hx found no agreement (gains %g, %g)", m-1, w.ag.gainL[l][0], w.ag.gainC[l][0])
			}
			return
		}
	}
	t.Fatal("no pricing month after the funding round")
}

// TestUnitFeeAgreementsForm: under contract.resale_term = unit_fee (the
// contract of reference case N1) in the hand-built world own-model.toml
// (check mode: money conserved every month) each lab × hyperscaler pair
// forms an agreement at a positive per-unit fee with positive gains to
// both; the lab serves the resold units (the pricing problem's cost
// bearer), the cloud pays it the fee on every unit (its resale revenue is
// fee × units, no reciprocal share, no serving reimbursement), and the fee
// maximises the pair's Nash product against a grid around it.
func TestUnitFeeAgreementsForm(t *testing.T) {
	w := newTestWorld(t, worldScenario(t, "own-model.toml", map[string]float64{"acquisition.lambda0": 0, "contract.resale_term": float64(ResaleUnitFee)}), 400, 1)
	stepTo(t, w, 0, 60)
	for l := range w.Labs {
		if !w.ag.on[l][0] {
			t.Fatalf("%s formed no agreement with hx", w.Labs[l].Name)
		}
		if gL, gC := w.ag.gainL[l][0], w.ag.gainC[l][0]; !(gL > 0 && gC > 0) {
			t.Fatalf("%s's agreement with gains %g, %g", w.Labs[l].Name, gL, gC)
		}
		if _, hi := w.resaleFeeRange(l); !(w.ag.share[l][0] > 0 && w.ag.share[l][0] < hi) {
			t.Fatalf("%s: fee %g outside (0, %g)", w.Labs[l].Name, w.ag.share[l][0], hi)
		}
		t.Logf("%s × hx: fee %.4g (lab cost %.4g, direct price %.4g)", w.Labs[l].Name, w.ag.share[l][0], w.pg.labCost[l], w.dm.bill[l*w.numCh])
	}
	l := lab(t, w, "beta")
	a := l*w.numCh + 1
	if w.pg.bearer[a] != w.labFirm(l) {
		t.Fatalf("beta's resale served by firm %d, want the lab %d", w.pg.bearer[a], w.labFirm(l))
	}
	fee := w.ag.share[l][0]
	if got, want := w.Labs[l].RevResale, w.dm.qty[a]*fee*1e-3; !(want > 0) || math.Abs(got-want) > 1e-12*want {
		t.Fatalf("beta's resale revenue %g, want fee x units = %g", got, want)
	}
	// the fee in force maximises the Nash product of a fresh bargain
	rebargainedIsNashMax(t, w, l, "fee", func(v float64) (xs []float64) {
		for _, d := range []float64{-0.05, -0.01, 0.01, 0.05} {
			if x := v * (1 + d); x > 0 {
				xs = append(xs, x)
			}
		}
		return xs
	})
}

// rebargainedIsNashMax re-bargains lab l's agreements in the world's month
// and checks that its first agreement's term (a share or fee, named
// term) maximises the pair's Nash product against the terms around(v) of
// the bargained v (to 1e-7), the other terms as in force; it leaves the
// bargained term in force.
func rebargainedIsNashMax(t *testing.T, w *World, l int, term string, around func(v float64) []float64) {
	t.Helper()
	t0 := w.t
	if _, err := w.bargainAgreements(l, t0, -1); err != nil {
		t.Fatal(err)
	}
	v := w.ag.share[l][0]
	nash := nashProductOfFirst(t, w, l, t0)
	at := nash(v)
	for _, x := range around(v) {
		if f := nash(x); f > at+1e-7 {
			t.Fatalf("beta: Nash product %g at %s %g above %g at the bargained %g", f, term, x, at, v)
		}
	}
	w.ag.share[l][0] = v
}

// nashProductOfFirst returns the Nash product of lab l's first agreement
// in month t0 at term x (the other terms as in force): the month's pricing
// problem rebuilt at x and solved to 1e-12, less the disagreement payoffs
// of the last bargain, weighted by its Alpha; -Inf without gains to both.
// It leaves the term at the last x asked for.
func nashProductOfFirst(t *testing.T, w *World, l, t0 int) func(x float64) float64 {
	t.Helper()
	var pr market.Pricer
	pr.Tol = 1e-12
	var eq market.PriceEquilibrium
	return func(x float64) float64 {
		w.ag.share[l][0] = x
		if err := w.buildPricing(t0); err != nil {
			t.Fatal(err)
		}
		prob := w.pg.prob
		if err := pr.Solve(&prob, nil, &eq); err != nil {
			t.Fatal(err)
		}
		gL := eq.Objectives[l] - w.ag.res.LabDisagreement[0]
		gC := eq.Objectives[w.nLabs] - w.ag.res.CloudDisagreement[0]
		if !(gL > 0 && gC > 0) {
			return math.Inf(-1)
		}
		return w.ag.list[0].Alpha*math.Log(gL) + (1-w.ag.list[0].Alpha)*math.Log(gC)
	}
}
