package agents

import (
	"errors"
	"fmt"
	"math"

	"frontiersim/market"
)

// Bertrand–Nash pricing of endogenous mode (model-v2.md §3.2; docs/ODD.md,
// "Demand, pricing and welfare"). Every demand.pricing_period months, and
// whenever the set of products on offer changes, the firms set the bills
// of all alternatives jointly by market.Pricer (multi-product first-order
// conditions under the nested logit with the outside good, Morrow–Skerlos
// fixed point), warm-started from the last prices:
//
//   - products are the alternatives (lab x channel); firms are the labs,
//     then the clouds. A lab prices its direct API; a cloud its resale of
//     a closed model, its hosting of open weights and its own (in-house or
//     acquired) models, whose owner it is. Wholesale terms are contract
//     terms, given: on a resold model the cloud pays the lab the reciprocal
//     share (its backer) or 1 - cloud.marketplace_fee (a marketplace) of the
//     resale revenue; the lab serves the units and the cloud reimburses
//     their cost (a per-unit serving fee), so the reseller bears the
//     serving cost, as the N2 contract of model-v2.md §4 has it;
//   - demand cells are the buyer segments, weighted by last month's
//     adopters (segment populations before any adoption), with the
//     segment utilities of a buyer without incumbent (new and reviewing
//     buyers; the switching cost is left out of the pricing game);
//   - the marginal cost of a unit is market.InferenceCost of its workload
//     at the compute price its server expects (a lab: the price it paid
//     last month; a cloud hosting open weights: its running cost);
//   - every financial interest enters both objectives: the revenue share
//     (with the leakage a cap leaves) is a wedge on all of the lab's revenue
//     and income to the backer; the reciprocal and marketplace shares are
//     wedges on the cloud's resale revenue and income to the lab; the
//     backer's profit share (0 past its total cap) and every hyperscaler's
//     equity are profit interests in the lab (O'Brien–Salop).
//
// Between solves each bill moves with its product's marginal cost and keeps
// the last solve's markup scaled by the buyers' budget index (the markup is
// 1/beta_P-proportional). A solve that does not converge is counted
// (pricing_failures) and the held prices stay (never silently); in check
// mode every converged solve's first-order-condition residual must be at
// most 1e-6 x price.

// pricingResidualCheck is the largest relative first-order-condition
// residual check mode accepts in a converged solve.
const pricingResidualCheck = 1e-6

// pricingState is the pricing game of endogenous mode.
type pricingState struct {
	pr      market.Pricer
	prob    market.PricingProblem
	eq      market.PriceEquilibrium
	cash    market.ObjectiveWeights
	obj     market.ObjectiveWeights
	cells   []market.DemandCell // one per segment
	quality []float64           // segment x alternative
	cost    []float64           // US$M per workload unit
	start   []float64
	markup  []float64 // bill - cost at the last solve
	owner   []int
	bearer  []int
	avail   []bool
	solved  []bool // availability at the last solve
	wedges  []market.RevenueWedge
	fees    []market.UnitFee
	inter   []market.ProfitInterest
	built   bool // the month's problem has an available product
	last    int  // month of the last solve (-1: none)
	budget  float64
	// counters: this month and over the run
	fails, solves, failsTot, solvesTot int
	residual                           float64 // largest residual of a converged solve this run
	// the seam's problem: every potential buyer adopted, unreleased labs
	// offered at their training run's capability
	seam    market.PricingProblem
	seamEq  market.PriceEquilibrium
	seamPr  market.Pricer
	seamC   []market.DemandCell
	seamQ   []float64
	seamP   []float64
	seamAv  []bool
	seamFor int // month the seam's problem was built for (-1: none)
	seamAt  int // month of the last successful seam evaluation (-1: none)
	// the seam's own copies of the month's terms (phase 3 rebuilds the
	// pricing problem after the compute market moved the costs)
	seamOwner, seamBearer []int
	seamCostV             []float64
	seamWedges            []market.RevenueWedge
	seamFees              []market.UnitFee
	// the month's base evaluation and each lab's values (computed once)
	seamBase, seamQty []float64
	seamRev, seamK    [MaxLabs]float64
	seamDone          [MaxLabs]bool
	seamInter         []market.ProfitInterest
	labCost           [MaxLabs]float64
	seamProds         [maxCh]int // seamLab: the lab's products
	seamRequote       bool       // tests: seamLab moves the cells' qualities and requotes (RequoteObjective) rather than ShiftObjective
}

func (w *World) newPricing() {
	pg := &w.pg
	S, J := w.numSeg, w.numAlt
	pg.cells = make([]market.DemandCell, S)
	pg.quality = make([]float64, S*J)
	pg.seamC = make([]market.DemandCell, S)
	pg.seamQ = make([]float64, S*J)
	for s := range pg.cells {
		pg.cells[s].Quality = pg.quality[s*J : (s+1)*J]
		pg.seamC[s].Quality = pg.seamQ[s*J : (s+1)*J]
	}
	pg.cost, pg.start, pg.markup = make([]float64, J), make([]float64, J), make([]float64, J)
	pg.owner, pg.bearer = make([]int, J), make([]int, J)
	pg.avail, pg.solved, pg.seamAv = make([]bool, J), make([]bool, J), make([]bool, J)
	pg.seamP, pg.seamCostV = make([]float64, J), make([]float64, J)
	pg.seamOwner, pg.seamBearer = make([]int, J), make([]int, J)
	pg.wedges = make([]market.RevenueWedge, 0, 2*J)
	pg.fees = make([]market.UnitFee, 0, J)
	pg.inter = make([]market.ProfitInterest, 0, w.nLabs*w.nHyper)
	nests := make([]int, J)
	copy(nests, w.altNest[:J])
	lam := make([]float64, w.numNests)
	pg.prob = market.PricingProblem{Cells: pg.cells, Cost: pg.cost, Owner: pg.owner, Firms: w.nLabs + w.nClouds,
		Nest: nests, Lambda: lam, CostBearer: pg.bearer, Available: pg.avail}
}

func (w *World) resetPricing() {
	pg := &w.pg
	pg.built, pg.last, pg.seamFor, pg.seamAt = false, -1, -1, -1
	pg.fails, pg.solves, pg.failsTot, pg.solvesTot, pg.residual = 0, 0, 0, 0, 0
	pg.budget = 1
	clear(pg.markup)
	clear(pg.solved)
	copy(pg.prob.Nest, w.altNest[:w.numAlt])
	copy(pg.prob.Lambda, w.lambda[:w.numNests])
	pg.eq = market.PriceEquilibrium{}
}

// labFirm is the pricing firm of lab l's own products: the lab, or its
// owning hyperscaler (consolidated).
func (w *World) labFirm(l int) int {
	if o := w.Labs[l].Owner; o >= 0 {
		return w.nLabs + o
	}
	return l
}

// phasePricesV2 is phase 3 of endogenous mode: the month's demand drift,
// the pricing problem and, in a pricing period, its Bertrand–Nash solve.
func (w *World) phasePricesV2(t int) error {
	d := &w.dm
	pg := &w.pg
	w.demandDrift(t)
	w.buildAlternatives(t)
	d.u0 = w.outsideUtility(t)
	pg.fails, pg.solves = 0, 0
	if err := w.buildPricing(t); err != nil {
		return err
	}
	if !pg.built {
		clear(d.bill[:w.numAlt])
		return nil
	}
	changed := false
	for a, av := range pg.avail {
		changed = changed || av != pg.solved[a]
	}
	if pg.last < 0 || changed || t-pg.last >= w.S.Demand.PricingPeriod {
		return w.solvePrices(t)
	}
	for a, av := range pg.avail {
		if av {
			d.bill[a] = pg.cost[a] + pg.markup[a]*d.budget/pg.budget
		}
	}
	return nil
}

// buildPricing fills the month's pricing problem from the state of the
// world (see the comment at the top of this file).
func (w *World) buildPricing(t int) error {
	s := &w.S
	d := &w.dm
	pg := &w.pg
	J, nch, nl := w.numAlt, w.numCh, w.nLabs
	// marginal cost per workload unit (US$M) of a lab's served units
	ic := market.InferenceCompute{GPUHoursPerUnit: s.Inference.GPUHoursPerMtok, AnchorMonth: s.Inference.AnchorMonth,
		EfficiencyPerYear: s.Inference.EfficiencyPerYear, WorkloadGrowthPerYear: 1}
	hw := w.hardwareFactor(t)
	unit := d.workload * 1e-6
	for l := range w.Labs {
		pg.labCost[l] = 0
		if !w.Labs[l].Active {
			continue
		}
		c, err := market.InferenceCost(ic, float64(t), w.expectedPrice(l)/hw)
		if err != nil {
			return fmt.Errorf("marginal cost of %s: %w", w.Labs[l].Name, err)
		}
		pg.labCost[l] = c * unit
		if s.Inference.FixedUnitCost > 0 {
			pg.labCost[l] = s.Inference.FixedUnitCost // inference.fixed_unit_cost
		}
	}
	pg.wedges = pg.wedges[:0]
	pg.fees = pg.fees[:0]
	pg.inter = pg.inter[:0]
	any := false
	for a := 0; a < J; a++ {
		if a >= w.ownAlt0 {
			// a hyperscaler's own model: the cloud prices and serves it at
			// its own running cost
			c := w.ownCloud[a-w.ownAlt0]
			pg.avail[a] = w.altAvail[a]
			pg.owner[a], pg.bearer[a], pg.cost[a] = nl+c, nl+c, 0
			if !pg.avail[a] {
				continue
			}
			any = true
			x, err := market.InferenceCost(ic, float64(t), w.cm.m.Cost[c]/hw)
			if err != nil {
				return fmt.Errorf("marginal cost of %s's own models: %w", s.cast.Clouds[c].Name, err)
			}
			pg.cost[a] = x * unit
			continue
		}
		l, ch := a/nch, a%nch
		L := &w.Labs[l]
		av := w.altAvail[a]
		pg.avail[a] = av
		f := w.labFirm(l)
		pg.owner[a], pg.bearer[a], pg.cost[a] = f, f, pg.labCost[l]
		if !av {
			continue
		}
		any = true
		tau, b := w.revenueWedge(l)
		if w.ag.openShare[l] {
			tau = 0 // bargained: the Nash-in-Nash solver sets it (agreements.go)
		}
		if ch == chDirect {
			if tau > 0 {
				pg.wedges = append(pg.wedges, market.RevenueWedge{Product: a, Rate: tau, Payee: nl + b})
			}
			continue
		}
		c := ch - 1
		cf := nl + c
		if !L.Closed {
			// open weights hosted by the cloud at its running cost
			pg.owner[a], pg.bearer[a] = cf, cf
			x, err := market.InferenceCost(ic, float64(t), w.cm.m.Cost[c]/hw)
			if err != nil {
				return fmt.Errorf("marginal cost of %s on %s: %w", L.Name, s.cast.Clouds[c].Name, err)
			}
			pg.cost[a] = x * unit
			continue
		}
		if L.Owner == c {
			continue // its owner's own model
		}
		// resale: the cloud prices, the lab serves and receives rho
		pg.owner[a] = cf
		_, isBacker := w.resaleOn(l, c, t)
		rho := w.resaleRate(l, c, isBacker)
		if w.ag.open[l][c] {
			rho = 0 // bargained: the Nash-in-Nash solver sets it (agreements.go)
		}
		if rho > 0 {
			pg.wedges = append(pg.wedges, market.RevenueWedge{Product: a, Rate: rho * (1 - tau), Payee: l})
		}
		if tau > 0 && b != c && rho > 0 {
			pg.wedges = append(pg.wedges, market.RevenueWedge{Product: a, Rate: rho * tau, Payee: nl + b})
		}
		if w.unitFees() && !isBacker {
			// a per-unit-fee agreement (contract.resale_term = unit_fee):
			// the lab serves the units at its own cost and the cloud pays
			// it the fee on every unit (of which the backer's revenue
			// share goes to the backer); an agreement being bargained has
			// its fee set by the solver
			pg.bearer[a] = f
			if fee := w.resaleFee(l, c, false); fee > 0 && !w.ag.open[l][c] {
				pg.fees = append(pg.fees, market.UnitFee{Product: a, Amount: fee * (1 - tau), Payer: cf, Payee: l})
				if tau > 0 && b != c {
					pg.fees = append(pg.fees, market.UnitFee{Product: a, Amount: fee * tau, Payer: cf, Payee: nl + b})
				}
			}
			continue
		}
		// the reseller pays for the serving: the lab serves the units at
		// cost and the cloud reimburses it (a per-unit serving fee); in the
		// game the cloud bears the cost (the same objectives: the lab nets
		// 0 a unit), so a revenue share on the lab's revenue, which leaves
		// the reimbursement out (accounting.go), does not tax it
		pg.bearer[a] = cf
	}
	// profit interests: hyperscalers' equity and the backer's profit share
	for l := range w.Labs {
		L := &w.Labs[l]
		if !L.Active || L.Owner >= 0 {
			continue
		}
		for h := 0; h < w.nHyper; h++ {
			k := L.Cap.Stake(w.hsHolder(h))
			if h == L.Backer {
				pr := L.Contract.ProfitShareAfter
				if !L.Contract.Recouped() {
					pr = L.Contract.ProfitShareBefore
				}
				if c := L.Contract.TotalCap; c > 0 && L.Contract.Paid >= c {
					pr = 0 // past its total cap the share is 0 at the margin
				}
				k = pr + (1-pr)*k
			}
			if k = math.Min(1, math.Max(0, k)); k > 0 {
				pg.inter = append(pg.inter, market.ProfitInterest{Holder: nl + h, Firm: l, Share: k})
			}
		}
	}
	pg.prob.Wedges, pg.prob.Fees, pg.prob.Interests = pg.wedges, pg.fees, pg.inter
	pg.built = any
	if !any {
		return nil
	}
	w.fillCells(pg.cells, false)
	return nil
}

// revenueWedge is the share of lab l's revenue paid to its backer at the
// margin (the revenue share and the leakage of a cap), and the backer; 0, -1
// without one.
func (w *World) revenueWedge(l int) (float64, int) {
	L := &w.Labs[l]
	if L.Backer < 0 || L.Owner >= 0 {
		return 0, -1
	}
	return math.Min(0.95, L.Contract.RevenueShare+L.leakFrac), L.Backer
}

// fillCells writes the segments' demand cells: utilities of a buyer
// without incumbent relative to the outside good, beta_P of the segment,
// and weights of last month's adopters (all: the segment populations).
func (w *World) fillCells(cells []market.DemandCell, all bool) {
	d := &w.dm
	J := w.numAlt
	var disp [MaxLabs]float64
	var backer [MaxLabs]int
	for l := range w.Labs {
		backer[l] = w.Labs[l].Backer
		if backer[l] >= 0 && w.Labs[l].Owner < 0 {
			disp[l] = w.Hyper[backer[l]].Disparage
		}
	}
	tot := 0.0
	canon := w.canonicalTies()
	for seg := range cells {
		c := &cells[seg]
		prim, tie, sec := w.segment(seg)
		if ct := canon[tie]; ct != tie && !w.noTwins {
			// a twin segment's utilities (canonicalTies)
			copy(c.Quality, cells[w.segIndex(prim, ct, sec)].Quality)
		} else {
			w.segmentUtility(seg, w.altBase[:J], &disp, &backer, c.Quality)
			for a := range c.Quality {
				c.Quality[a] -= d.u0
			}
		}
		c.BetaP = d.betaP[sec]
		c.Weight = 0
		if !all {
			for inc := 0; inc < w.incStride; inc++ {
				c.Weight += w.cellW[seg*w.incStride+inc]
			}
			c.Weight *= d.unitsPerW
		}
		tot += c.Weight
	}
	if tot == 0 {
		for seg := range cells {
			cells[seg].Weight = w.segPop[seg] * w.S.Demand.PotentialBuyers
		}
	}
}

// solvePrices solves the month's pricing game, warm-started, and sets the
// bills; a failure is counted and keeps the held prices.
func (w *World) solvePrices(t int) error {
	d := &w.dm
	pg := &w.pg
	for a, av := range pg.avail {
		pg.start[a] = d.bill[a]
		if av && !(pg.start[a] > pg.cost[a]) {
			// a new product: cost plus a one-product logit markup
			pg.start[a] = pg.cost[a] + 1/d.betaP[0]
		}
	}
	pg.solves++
	pg.solvesTot++
	err := pg.pr.Solve(&pg.prob, pg.start, &pg.eq)
	if errors.Is(err, market.ErrInvalidArgument) {
		// the warm start overflows the demand (a product priced far below
		// its new utility): the solver's own starting points
		err = pg.pr.Solve(&pg.prob, nil, &pg.eq)
	}
	switch {
	case errors.Is(err, market.ErrNoEquilibrium):
		pg.fails++
		pg.failsTot++
		for a, av := range pg.avail {
			if av && !(d.bill[a] > 0) {
				d.bill[a] = pg.start[a]
			}
		}
		return nil
	case err != nil:
		return fmt.Errorf("pricing game of month %d: %w", t, err)
	}
	if w.check && pg.eq.Residual > pricingResidualCheck {
		return fmt.Errorf("pricing game of month %d: first-order-condition residual %g x price, want <= %g", t, pg.eq.Residual, pricingResidualCheck)
	}
	pg.residual = math.Max(pg.residual, pg.eq.Residual)
	for a, av := range pg.avail {
		pg.solved[a] = av
		if av {
			d.bill[a] = pg.eq.Prices[a]
			// the markup carried to the months between solves is never
			// negative: a product with no demand can come out of the
			// solve priced below its cost (0), and cost + a negative
			// markup scaled by the budget's growth would bill below 0
			pg.markup[a] = math.Max(0, pg.eq.Prices[a]-pg.cost[a])
		} else {
			d.bill[a] = 0
		}
	}
	pg.budget = d.budget
	pg.last = t
	return nil
}

// seamGain is v2Demand's capabilityGain: lab l's expected revenue (US$B
// per month, its owner's revenue from its products) and the gain in its
// owner's objective per unit of l's capability (US$B per month per K unit),
// in the month's pricing game with every potential buyer adopted, at the
// month's last prices. The values are computed once per lab and month in
// which the seam is evaluated: every demand.seam_period months (1: every
// month); in between a lab keeps the values of the last evaluation (its
// expected revenue still at least last month's revenue), and a lab without
// such values (a new lab) has the seam evaluated anew, which restarts the
// period. It reads the world and changes only the seam's buffers.
func (w *World) seamGain(l int) (float64, float64) {
	pg := &w.pg
	t := w.t
	L := &w.Labs[l]
	if d := t - pg.seamAt; pg.seamFor != t && pg.seamAt >= 0 && d > 0 && d < w.S.Demand.SeamPeriod && pg.seamDone[l] {
		return math.Max(L.prevRevenue, pg.seamRev[l]), pg.seamK[l]
	}
	if pg.seamFor != t {
		// the seam runs in phase 2, before this month's releases and
		// prices: the models deployed so far at last month's prices, every
		// buyer adopted, unreleased labs offered on their direct channel at
		// their training run's capability
		d := &w.dm
		w.demandDrift(t)
		w.buildAlternatives(t)
		d.u0 = w.outsideUtility(t)
		pg.seamFor = -2
		if err := w.buildPricing(t); err == nil && w.seamProblem() {
			if err := pg.seamPr.Quote(&pg.seam, pg.seamP, &pg.seamEq); err == nil {
				pg.seamFor, pg.seamAt = t, t
				pg.seamBase = append(pg.seamBase[:0], pg.seamEq.Objectives...)
				pg.seamQty = append(pg.seamQty[:0], pg.seamEq.Quantity...)
				clear(pg.seamDone[:])
			}
		}
	}
	if pg.seamFor != t {
		return math.Max(L.prevRevenue, w.expShare[l]*w.intensity), 0
	}
	if !pg.seamDone[l] {
		pg.seamRev[l], pg.seamK[l] = w.seamLab(l)
		pg.seamDone[l] = true
	}
	return math.Max(L.prevRevenue, pg.seamRev[l]), pg.seamK[l]
}

// seamLab computes lab l's seam values from the month's seam problem (its
// base evaluation in seamBase, quantities in seamQ0).
func (w *World) seamLab(l int) (rev, gain float64) {
	s := &w.S
	pg := &w.pg
	f := w.labFirm(l)
	nch := w.numCh
	shift := func(x float64) {
		for c := range pg.seamC {
			q := pg.seamC[c].Quality
			for a := l * nch; a < (l+1)*nch; a++ {
				q[a] += x
			}
		}
	}
	// revenue at the base prices (the base evaluation's quantities)
	for a := l * nch; a < (l+1)*nch; a++ {
		if pg.seamAv[a] && pg.seamOwner[a] == f {
			rev += pg.seamP[a] * pg.seamQty[a] * 1e-3
		}
	}
	base := pg.seamBase[f]
	prods := pg.seamProds[:0]
	for a := l * nch; a < (l+1)*nch; a++ {
		prods = append(prods, a)
	}
	eval := func(x float64) float64 {
		if !pg.seamRequote {
			// the base evaluation's shares with the lab's qualities moved
			// by x, in closed form (market.Pricer.ShiftObjective)
			obj, err := pg.seamPr.ShiftObjective(&pg.seam, prods, x, f)
			if err != nil {
				return math.NaN()
			}
			return obj
		}
		shift(x)
		// the seam's problem of the base evaluation, its qualities moved
		obj, err := pg.seamPr.RequoteObjective(&pg.seam, pg.seamP, f)
		shift(-x)
		if err != nil {
			return math.NaN()
		}
		return obj
	}
	// the derivative in K at fixed prices (forward difference)
	const h = 1e-4
	gain = (eval(s.Logit.BetaK*h) - base) / h * 1e-3
	// The logit profit is convex in capability at a small share, so a
	// laggard's local derivative undervalues catching up: the lab values a
	// K unit at the larger of the derivative and the secant to one release
	// step past the frontier (what capability is worth to a lab that
	// catches up: the market it can win).
	k := w.Labs[l].KDep
	if k == 0 {
		k = w.capabilityNow(l)
	}
	if dk := w.seamFrontier(w.t) + s.Capability.ReleaseStep - k; dk > 10*h {
		gain = math.Max(gain, (eval(s.Logit.BetaK*dk)-base)/dk*1e-3)
	}
	gain *= w.horizonGrowth()
	if !(gain >= 0) || math.IsInf(gain, 0) {
		gain = 0
	}
	return rev, gain
}

// seamProblem builds the seam's problem from the month's pricing problem
// (buildPricing): segment populations as weights, unreleased active closed
// labs on their direct channel; it reports whether a product is on offer.
func (w *World) seamProblem() bool {
	pg := &w.pg
	d := &w.dm
	s := &w.S
	J, nch := w.numAlt, w.numCh
	copy(pg.seamAv, pg.avail)
	base := w.altBase[:J]
	saved := [MaxLabs]float64{}
	for l := range w.Labs {
		L := &w.Labs[l]
		a := l * nch
		saved[l] = base[a]
		if L.Active && L.Closed && L.KDep == 0 {
			pg.seamAv[a] = true
			base[a] = s.Logit.BetaK*w.capabilityNow(l) + L.Brand
			w.altSec[a] = s.Security.Direct
		}
	}
	any := false
	for _, av := range pg.seamAv {
		any = any || av
	}
	if any {
		w.fillCells(pg.seamC, true)
	}
	for l := range w.Labs {
		base[l*nch] = saved[l]
	}
	if !any {
		return false
	}
	pg.seam = pg.prob
	pg.seam.Cells = pg.seamC
	pg.seam.Available = pg.seamAv
	copy(pg.seamCostV, pg.cost)
	copy(pg.seamOwner, pg.owner)
	copy(pg.seamBearer, pg.bearer)
	pg.seamWedges = append(pg.seamWedges[:0], pg.wedges...)
	pg.seamInter = append(pg.seamInter[:0], pg.inter...)
	pg.seamFees = append(pg.seamFees[:0], pg.fees...)
	pg.seam.Fees = pg.seamFees
	pg.seam.Cost, pg.seam.Owner, pg.seam.CostBearer = pg.seamCostV, pg.seamOwner, pg.seamBearer
	pg.seam.Wedges, pg.seam.Interests = pg.seamWedges, pg.seamInter
	unpriced := false
	for a := range pg.seamP {
		pg.seamP[a] = d.bill[a]
		if pg.seamAv[a] && !(pg.seamP[a] > pg.cost[a]) {
			pg.seamP[a] = pg.cost[a] + 1/d.betaP[0]
			unpriced = true
		}
	}
	if unpriced {
		// a product without a price yet (a lab's first month, before its
		// first release): the lab expects the equilibrium of the seam's game
		err := pg.seamPr.Solve(&pg.seam, pg.seamP, &pg.seamEq)
		if err == nil || errors.Is(err, market.ErrNoEquilibrium) {
			copy(pg.seamP, pg.seamEq.Prices)
		}
	}
	return true
}

// horizonGrowth is the mean over the compute rule's planning horizon of the
// growth of the enterprise market's money value, buyers.spend_growth_per_year
// a year: (g^(H/12) - 1) / ((H/12) ln g). Costs per workload unit and markups
// both scale with the budget index at fixed shares, so the profit of a
// capability gain grows at that rate; the seam's pi_K is its mean over the
// horizon that AnnuityFactor discounts.
func (w *World) horizonGrowth() float64 {
	g := w.S.Buyers.SpendGrowthPerYear
	y := w.S.Compute.HorizonMonths / 12
	if !(y > 0) || g == 1 {
		return 1
	}
	return (math.Pow(g, y) - 1) / (y * math.Log(g))
}

// seamFrontier is the frontier capability the seam sees in phase 2 of month
// t: last month's, or in month 0 the best closed training run.
func (w *World) seamFrontier(t int) float64 {
	if t > 0 {
		return w.kFrontHist[t-1]
	}
	k := math.Inf(-1)
	for l := range w.Labs {
		if L := &w.Labs[l]; L.Active && L.Closed {
			k = math.Max(k, w.capabilityNow(l))
		}
	}
	if math.IsInf(k, -1) {
		return 0
	}
	return k
}
