package agents

import "math"

// The demand system of endogenous mode (model-v2.md §3.2; docs/ODD.md,
// "Demand, pricing and welfare"). Replay mode keeps model v1's demand
// (price relative to the market average, no outside good).
//
//   - Potential demand. The buyer population stands for
//     demand.potential_buyers enterprises; a buyer of size z (mean 1) has
//     z workload units a month. Bass adoption (capability-gated) decides
//     who considers hosted models; a buyer that has not adopted buys the
//     outside good. Shares are of potential demand in workload units.
//   - The workload unit is demand.workload_mtok Mtok of fixed-capability
//     workload at month 46, growing at demand.workload_growth_per_year; its
//     bill at alternative a is the price per Mtok times the tokens, in
//     US$M.
//   - Utility. An adopter of segment s choosing alternative a gets
//     V_sa = (model-v1 terms without price) - beta_P,s x bill_a, with
//     beta_P,s = demand.beta_p (x demand.beta_p_high_security in the
//     high-security segments) deflated by the buyers' budget index
//     buyers.spend_growth_per_year^((t - 46)/12): a buyer's US$ is worth
//     less as its AI budget grows. Among adopters the outside good (in-house
//     on open weights, or not buying this month) competes with every inside
//     alternative, in a nest of its own, with utility
//     u_0 = beta_K x K_open + demand.outside_intercept, K_open the best
//     open-weight capability deployed (the lagged frontier when no
//     open-weight lab is active): it moves with open weights, not on a time
//     path. Self-hosting on a cloud stays an inside alternative (the cloud
//     sells it); in-house on own hardware is the outside good.
//   - Spend is sum_a q_a bill_a: it responds to prices (through shares and
//     the outside good) and to capability.
//   - Consumer surplus (US$) = sum over adopters' cells of units x
//     (logsum - u_0) / beta_P,s = units x (-ln s_0) / beta_P,s (Small &
//     Rosen 1981 with the outside good as the zero: a buyer offered only the
//     outside good has surplus 0).

// demandState is the state of the endogenous-mode demand system.
type demandState struct {
	on       bool    // endogenous mode
	workload float64 // Mtok per workload unit this month
	budget   float64 // buyers' budget index this month (1 at month 46)
	betaP    [2]float64
	u0       float64 // the outside good's utility this month
	// unitsPerW converts cell weights (size sums) to workload units of
	// potential demand.
	unitsPerW float64
	// bill[a] is alternative a's US$M per workload unit this month; qty[a]
	// the workload units bought.
	bill [maxAlt]float64
	qty  [maxAlt]float64
	// cloudCDF[cell*nClouds + k]: cumulative probability that a reviewing
	// adopter of the cell picks primary cloud k; primShare the buyers'
	// starting shares by primary cloud; switched this month's primary-cloud
	// moves, reviewers the adopters that could move (churn = switched /
	// adopters of last month)
	cloudCDF  []float64
	primShare [MaxClouds]float64
	switched  int
	churnBase int
	// last month's bills and budget index (the generalized Bass term)
	prevBill   [maxAlt]float64
	prevBudget float64
	// cellOutside[cell] is the outside good's share of an adopter's
	// workload in the cell; evalOutside the same for the conflict's
	// evaluation. cellShare then holds inside shares conditional on buying
	// inside.
	cellOutside, evalOutside []float64
	// welfare this month (US$B/month) and discounted totals over the
	// horizon so far (US$B, at compute.discount_rate per month from month 0)
	cs, ts, outsideShare float64
	csSeg                []float64 // by segment
	ps                   []float64 // by firm: labs, then clouds
	csDisc, tsDisc       float64
	psDisc               []float64
}

func (w *World) newDemand() {
	d := &w.dm
	d.cellOutside = make([]float64, w.numCells)
	d.evalOutside = make([]float64, w.numCells)
	d.csSeg = make([]float64, w.numSeg)
	d.cloudCDF = make([]float64, w.numCells*w.nClouds)
	d.ps = make([]float64, w.nLabs+w.nClouds)
	d.psDisc = make([]float64, w.nLabs+w.nClouds)
	w.evalCache.size(w.numSeg, w.numAlt)
	w.newPricing()
}

func (w *World) resetDemand() {
	d := &w.dm
	d.on = !w.S.Mode.Replay
	d.workload, d.budget, d.u0, d.unitsPerW = 0, 1, 0, 0
	d.bill, d.qty, d.prevBill, d.prevBudget = [maxAlt]float64{}, [maxAlt]float64{}, [maxAlt]float64{}, 0
	clear(d.cellOutside)
	clear(d.evalOutside)
	w.evalCache.clear()
	clear(d.csSeg)
	clear(d.cloudCDF)
	d.switched, d.churnBase = 0, 0
	d.primShare = [MaxClouds]float64{}
	clear(d.ps)
	clear(d.psDisc)
	d.cs, d.ts, d.outsideShare, d.csDisc, d.tsDisc = 0, 0, 0, 0, 0
	w.resetPricing()
}

// demandDrift sets the month's workload unit, budget index, price
// coefficients and the units of a cell weight.
func (w *World) demandDrift(t int) {
	s := &w.S
	d := &w.dm
	yr := (float64(t) - firstMonth) / 12
	d.workload = s.Demand.WorkloadMtok * math.Pow(s.Demand.WorkloadGrowthPerYear, yr)
	d.budget = math.Pow(s.Buyers.SpendGrowthPerYear, yr)
	d.betaP[0] = s.Demand.BetaP / d.budget
	d.betaP[1] = d.betaP[0] * s.Demand.BetaPHighSecurity
	d.unitsPerW = s.Demand.PotentialBuyers * w.invSize
}

// outsideUtility is u_0 of the month: beta_K x the best deployed open-weight
// capability (else the frontier lagged by capability.open_weight_lag_months)
// plus demand.outside_intercept.
func (w *World) outsideUtility(t int) float64 {
	s := &w.S
	k, found := 0.0, false
	for l := range w.Labs {
		if L := &w.Labs[l]; L.Active && !L.Closed && L.KDep != 0 && (!found || L.KDep > k) {
			k, found = L.KDep, true
		}
	}
	if !found {
		k = w.frontierLagged(t, s.Capability.OpenWeightLagMonths)
	}
	return s.Logit.BetaK*k + s.Demand.OutsideIntercept
}

// pricePerMtok converts a bill (US$M per workload unit) to US$ per Mtok.
func (d *demandState) pricePerMtok(bill float64) float64 { return bill * 1e6 / d.workload }

// withOutside adds the outside good of utility u0, in a nest of its own, to
// an inside choice with log-sum ls (-Inf: nothing inside): it returns the
// log-sum of the whole choice and the outside share.
func withOutside(ls, u0 float64) (logsum, outside float64) {
	if math.IsInf(ls, -1) {
		return u0, 1
	}
	x := ls - u0
	if x > 0 {
		e := math.Exp(-x)
		return ls + math.Log1p(e), e / (1 + e)
	}
	e := math.Exp(x)
	return u0 + math.Log1p(e), 1 / (1 + e)
}

// aggregateDemand is aggregateSpend of endogenous mode: workload units and
// spend by alternative from the cells' adopters, their inside shares and
// the outside good, each lab's served price per Mtok (quantity-weighted;
// what the inference bill converts spend with), and consumer surplus.
func (w *World) aggregateDemand() {
	d := &w.dm
	na, nch := w.numAlt, w.numCh
	spend := w.altSpend[:na]
	clear(spend)
	clear(d.qty[:na])
	clear(w.segW)
	clear(d.csSeg)
	tot, cs, units, out := 0.0, 0.0, 0.0, 0.0
	for cell := 0; cell < w.numCells; cell++ {
		cw := w.cellW[cell]
		if cw == 0 {
			continue
		}
		u := cw * d.unitsPerW
		seg := cell / w.incStride
		_, _, sec := w.segment(seg)
		in := u * (1 - d.cellOutside[cell])
		sh := w.cellShare[cell*na : (cell+1)*na]
		sp := 0.0
		for a := range spend {
			if sh[a] > 0 {
				q := in * sh[a]
				d.qty[a] += q
				x := q * d.bill[a] * 1e-3 // US$B
				spend[a] += x
				sp += x
			}
		}
		w.segW[seg] += sp
		tot += sp
		units += u
		out += u * d.cellOutside[cell]
		c := u * (w.cellLogsum[cell] - d.u0) / d.betaP[sec] * 1e-3
		d.csSeg[seg] += c
		cs += c
	}
	w.spendTot = tot
	d.cs = cs
	d.outsideShare = 0
	if units > 0 {
		d.outsideShare = out / units
	}
	// the price per Mtok each lab's served workload pays on average
	for l := range w.Labs {
		L := &w.Labs[l]
		var x, q float64
		for ch := 0; ch < nch; ch++ {
			if ch != chDirect && !L.Closed {
				break // an open-weight lab serves its direct API only
			}
			a := l*nch + ch
			x += spend[a]
			q += d.qty[a]
		}
		switch a := l * nch; {
		case q > 0:
			L.Price = d.pricePerMtok(x * 1e3 / q)
		case d.bill[a] > 0:
			L.Price = d.pricePerMtok(d.bill[a])
		}
	}
	w.shareTotals(tot)
	d.prevBill, d.prevBudget = d.bill, d.budget // next month's generalized Bass term
}

// shareTotals sets model and group shares from the month's spend by
// alternative (total tot), or without spend from a new adopter's expected
// shares by segment population.
func (w *World) shareTotals(tot float64) {
	na, nch := w.numAlt, w.numCh
	clear(w.modelShare)
	clear(w.ownModelShare)
	n0 := w.ownAlt0
	if tot > 0 {
		for a, x := range w.altSpend[:na] {
			if a >= n0 {
				w.ownModelShare[w.ownCloud[a-n0]] += x / tot
				continue
			}
			w.modelShare[a/nch] += x / tot
		}
	} else {
		for seg := 0; seg < w.numSeg; seg++ {
			wt := w.segPop[seg]
			none := seg * w.incStride
			sh := w.cellShare[none*na : (none+1)*na]
			for a := range sh {
				if a >= n0 {
					w.ownModelShare[w.ownCloud[a-n0]] += wt * sh[a]
					continue
				}
				w.modelShare[a/nch] += wt * sh[a]
			}
		}
	}
	clear(w.groupShare)
	for l, x := range w.modelShare {
		w.groupShare[w.labGroup[l]] += x
	}
}

// welfare sets the month's producer surplus by firm (its cash flow from the
// enterprise market at this month's quantities: the pricing game's weights
// rho_fj p_j - k_fj, see market.ObjectiveWeights), total surplus, and the
// discounted totals. Call after aggregateDemand and the month's pricing
// problem.
func (w *World) welfare(t int) error {
	d := &w.dm
	pg := &w.pg
	clear(d.ps)
	if pg.built {
		if err := pg.prob.Weights(&pg.cash, &pg.obj); err != nil {
			return err
		}
		J := w.numAlt
		for f := range d.ps {
			x := 0.0
			for a := 0; a < J; a++ {
				if q := d.qty[a]; q > 0 {
					r, k := pg.cash.At(f, a)
					x += (r*d.bill[a] - k) * q
				}
			}
			d.ps[f] = x * 1e-3
		}
	}
	ts := d.cs
	for _, x := range d.ps {
		ts += x
	}
	d.ts = ts
	disc := math.Pow(1+w.S.Compute.DiscountRate, -float64(t))
	d.csDisc += disc * d.cs
	d.tsDisc += disc * ts
	for f, x := range d.ps {
		d.psDisc[f] += disc * x
	}
	return nil
}

// v2Demand is the demand system of endogenous mode seen through the
// compute rule's seam (capabilityDemand). Lab l's expected revenue and
// pi_K come from its pricing game at the month's last prices with every
// potential buyer adopted (what the lab earns once the market it competes
// for has adopted; a pre-revenue lab trains on the market it can win):
// revenue is the owner's revenue from l's products, pi_K the derivative of
// the owner's objective (its profit with every financial interest, see
// pricing.go) in l's capability at fixed prices, by a central difference.
// A lab whose model is not yet released is offered on its direct channel
// at the capability of its training run, priced at cost plus the
// single-product logit markup.
type v2Demand struct{}

// gainNetOfServing: the seam's gain is in the owner's objective, whose
// costs include inference.
func (v2Demand) gainNetOfServing() bool { return true }

func (v2Demand) capabilityGain(w *World, l int) (float64, float64) {
	return w.seamGain(l)
}

var _ capabilityDemand = v2Demand{}

// priceResponse is the generalized Bass term of the month (Bass, Krishnan
// & Jain 1994; domain model §3.3): x = max(0, 1 - bass.price_response x
// dln P), with P the real price of a workload unit, the month's bills at
// last month's quantities over the budget index, against last month's
// bills and index. 1 without last month's purchases.
func (w *World) priceResponse() float64 {
	d := &w.dm
	var now, before float64
	for a, q := range d.qty[:w.numAlt] {
		if q > 0 {
			now += q * d.bill[a]
			before += q * d.prevBill[a]
		}
	}
	if !(now > 0 && before > 0 && d.prevBudget > 0) {
		return 1
	}
	dlnP := math.Log(now/before) - math.Log(d.budget/d.prevBudget)
	return math.Max(0, 1-w.S.Bass.PriceResponse*dlnP)
}

// cloudChoice fills the primary-cloud CDFs of every cell (endogenous
// mode; docs/ODD.md, "Enterprise cloud switching"). A reviewing adopter of
// segment (primary p, tie, security) with incumbent inc picks primary
// cloud k with logit probability proportional to
//
//	exp(ln share_k + LS(k, tie, security, inc) - kappa psi_C [k != p]),
//
// share_k the buyers' starting share of primary k (the base preference for
// a cloud's other services), LS the log-sum of the AI choice a buyer of
// primary k would face (incl. the outside good), kappa =
// demand.cloud_switching_cost and psi_C = policy.cloud_switching_cost_multiplier.
func (w *World) cloudChoice() {
	d := &w.dm
	nc, stride := w.nClouds, w.segStride
	if d.primShare == ([MaxClouds]float64{}) {
		for seg, x := range w.segPop {
			d.primShare[seg/stride] += x
		}
	}
	cost := w.S.Demand.CloudSwitchingCost * w.S.Policy.CloudSwitchingCostMultiplier
	var lnShare [MaxClouds]float64
	for k := 0; k < nc; k++ {
		lnShare[k] = math.Log(math.Max(d.primShare[k], 1e-12))
	}
	canon := w.canonicalTies()
	var v [MaxClouds]float64
	for cell := 0; cell < w.numCells; cell++ {
		seg, inc := cell/w.incStride, cell%w.incStride
		if inc > w.nLabs {
			continue
		}
		p := seg / stride
		rest := seg - p*stride
		cdf := d.cloudCDF[cell*nc : (cell+1)*nc]
		if src := w.twinCloudCell(seg, inc, &canon); src >= 0 {
			copy(cdf, d.cloudCDF[src*nc:(src+1)*nc])
			continue
		}
		m := math.Inf(-1)
		for k := 0; k < nc; k++ {
			x := lnShare[k] + w.cellLogsum[(k*stride+rest)*w.incStride+inc]
			if k != p {
				x -= cost
			}
			v[k] = x
			m = math.Max(m, x)
		}
		sum := 0.0
		for k := 0; k < nc; k++ {
			v[k] = math.Exp(v[k] - m)
			sum += v[k]
		}
		acc := 0.0
		for k := range cdf {
			acc += v[k] / sum
			cdf[k] = acc
		}
	}
}

// twinCloudCell is the cell of the same primary cloud, security class and
// incumbent, and of seg's canonical investor tie (canonicalTies), whose
// primary-cloud CDF cell (seg, inc) shares: the CDF is a function of the
// primary cloud and of the log-sums of the cells of the other primaries
// alone, so where those log-sums are equal (the twin segments of
// computeCells) it is the same. -1: compute it.
func (w *World) twinCloudCell(seg, inc int, canon *[MaxFunds + 1]int) int {
	prim, tie, sec := w.segment(seg)
	if ct := canon[tie]; ct != tie && !w.noTwins {
		rest, twin := seg-prim*w.segStride, w.segIndex(prim, ct, sec)-prim*w.segStride
		for k := 0; k < w.nClouds; k++ {
			if w.cellLogsum[(k*w.segStride+rest)*w.incStride+inc] != w.cellLogsum[(k*w.segStride+twin)*w.incStride+inc] {
				return -1
			}
		}
		return w.segIndex(prim, ct, sec)*w.incStride + inc
	}
	return -1
}
